"""The quizzes: which questions each page asks and which option is right. Their words live in the
locale files, under quiz.<page>.<question>.q (the question), .o1 .o2 .o3 (the options) and .why
(the explanation shown once answered), so a translation translates the quiz too."""

OPTIONS = (1, 2, 3)

ANSWERS = {  # page: {question: the right option}
    "course": {"components": 2, "minimax": 1, "vae": 3},  # the course's own three (file 001)
    "toy": {"score": 3, "signal": 1},
    "lab": {"collapse": 2, "saturating": 3, "nash": 2},
    "up": {"centre": 2, "checkerboard": 1},
    "vae": {"blur": 2, "encoder": 1},
    "mnist": {"truncation": 3, "census": 1, "dcgan": 2},
    "cond": {"label": 2, "columns": 1},
    "interp": {"slerp": 3, "direction": 1},
    "draw": {"framing": 1, "search": 2},
    "cycle": {"cycle": 3, "unpaired": 1},
    "style": {"mixing": 2, "truncation": 3, "noise": 1},
}


def key(page: str, question: str, part: str) -> str:
    """The locale key of a question's part: "q", "o1", "o2", "o3" or "why"."""
    return f"quiz.{page}.{question}.{part}"


def state_key(page: str, question: str) -> str:
    """Where a page keeps the option a visitor picked (one per question, for the visit)."""
    return f"quiz_{page}_{question}"


def score(picked: dict) -> tuple[int, int]:
    """(right, answered) over every question, from {state_key: option or None}."""
    right = answered = 0
    for page, questions in ANSWERS.items():
        for question, answer in questions.items():
            choice = picked.get(state_key(page, question))
            if choice is not None:
                answered += 1
                right += choice == answer
    return right, answered
