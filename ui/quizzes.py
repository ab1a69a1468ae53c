"""A page's quiz: its questions, the visitor's picks, and why each answer is right."""

import streamlit as st

from ganzoo.lessons import quiz
from ui.language import t


def quiz_section(page: str, title_key: str = "quiz.title") -> None:
    """A page's questions: no option picked at first; once one is, whether it is right and why.
    The picks last for the visit; the sidebar keeps the score."""
    st.header(t(title_key))
    for question, answer in quiz.ANSWERS[page].items():
        with st.container(border=True):
            st.markdown(f"**{t(quiz.key(page, question, 'q'))}**")
            picked = st.radio(t("quiz.pick"), quiz.OPTIONS, index=None, key=quiz.state_key(page, question),
                              format_func=lambda o, q=question: t(quiz.key(page, q, f"o{o}")),
                              label_visibility="collapsed")
            if picked is None:
                continue
            why = t(quiz.key(page, question, "why"))
            if picked == answer:
                st.success(f"{t('quiz.right')} {why}")
            else:
                st.error(f"{t('quiz.wrong', answer=t(quiz.key(page, question, f'o{answer}')))} {why}")
