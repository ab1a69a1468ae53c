"""The quizzes under AppTest: nothing judged before a pick, right and wrong explained, the visit's
score in the sidebar, in both languages, and still there when a page stops early."""

from tests.pages.apptest import open_page, speak_french


def test_a_right_and_a_wrong_answer_are_explained_and_scored():
    at = open_page("app_pages/upsampling.py")
    assert at.header[-1].value == "Check yourself"
    assert at.radio(key="quiz_up_centre").value is None and not at.success
    at.radio(key="quiz_up_centre").set_value(2).run()
    assert "Right." in at.success[0].value and "10·2 + 20·2 + 15·1 + 7·1 = 82" in at.success[0].value
    at.radio(key="quiz_up_checkerboard").set_value(3).run()
    assert "Not quite: the answer is \"3 is not a multiple of 2" in at.error[0].value
    assert any("Quiz: 1 right out of 2 answered" in c.value for c in at.sidebar.caption)


def test_the_course_questions_on_the_home_page_in_french(monkeypatch):
    speak_french(monkeypatch)
    at = open_page("app_pages/home.py", lang="fr")
    assert any(h.value == "Les trois questions du cours" for h in at.header)
    at.radio(key="quiz_course_minimax").set_value(1).run()
    assert at.success[0].value.startswith("Juste.")


def test_a_page_that_stops_early_still_ends_with_its_quiz():
    at = open_page("app_pages/draw_digit.py")  # nothing drawn yet: the page stops after its invitation
    assert at.info and at.header[-1].value == "Check yourself"
    at.radio(key="quiz_draw_search").set_value(1).run()
    assert at.error and "Only z" in at.error[0].value
