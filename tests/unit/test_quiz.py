"""Every quiz question is complete in every language, has one right option, and is scored."""

import pytest

from ganzoo.lessons import quiz
from ganzoo.runtime.i18n import LANGS, STRINGS


@pytest.mark.parametrize("lang", list(LANGS))
def test_every_question_has_its_text_options_and_explanation(lang):
    for page, questions in quiz.ANSWERS.items():
        assert len(questions) >= 2 or page == "course"
        for question, answer in questions.items():
            assert answer in quiz.OPTIONS
            parts = ["q", "why"] + [f"o{o}" for o in quiz.OPTIONS]
            for part in parts:
                assert STRINGS[lang].get(quiz.key(page, question, part)), (lang, page, question, part)
            options = [STRINGS[lang][quiz.key(page, question, f"o{o}")] for o in quiz.OPTIONS]
            assert len(set(options)) == len(options)


def test_the_course_asks_its_three_questions():
    assert list(quiz.ANSWERS["course"]) == ["components", "minimax", "vae"]


def test_score_counts_answered_and_right_questions():
    picked = {quiz.state_key("up", "centre"): 2, quiz.state_key("up", "checkerboard"): 3,
              quiz.state_key("toy", "score"): None, "unrelated": 1}
    assert quiz.score(picked) == (1, 2)
    assert quiz.score({}) == (0, 0)
