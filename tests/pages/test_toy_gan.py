"""The 2x2 slanted-faces page under AppTest."""


import pytest

from tests.pages.apptest import open_page

TABS = {"inspect": "Step inspector", "train": "Training", "sweep": "Seed sweep"}


def open_tab(at, tab):
    """The tabs run only the open one's content: open it as a click on its label would."""
    at.session_state["toy_tab"] = TABS[tab]
    return at.run()


def final_weights(at):
    """The table of final weights in the Training tab (opened first)."""
    if not any(tab.label == TABS["train"] and tab.dataframe for tab in at.tabs):
        open_tab(at, "train")
    return next(tab for tab in at.tabs if tab.label == TABS["train"]).dataframe[0].value


def test_toy_page_scores_the_course_examples():
    at = open_page("app_pages/toy_gan.py")
    latex = " ".join(x.body for x in at.latex)
    assert "1 - 0 - 0 + 1 = 2 > 1" in latex
    assert "0.25 - 1 - 0.5 + 0.75 = -0.5" in latex


def test_toy_custom_image_is_scored_live():
    at = open_page("app_pages/toy_gan.py")
    for i, v in enumerate([1.0, 0.0, 0.0, 1.0]):
        at.slider(key=f"px{i}").set_value(v)
    at.run()
    assert any("1 - 0 - 0 + 1 = 2" in x.body for x in at.latex)
    at.slider(key="px1").set_value(1.0).run()
    assert any("1 - 1 - 0 + 1 = 1" in x.body and "le 1" in x.body for x in at.latex)


def test_toy_step_inspector_matches_autograd_and_resets():
    at = open_page("app_pages/toy_gan.py")
    at.button(key="one_step").click().run()
    at.button(key="one_step").click().run()
    assert not at.exception
    assert any("Step **2**" in m.value for m in at.markdown)
    assert at.success and "difference" in at.success[0].value
    diff = float(at.success[0].value.rsplit(":", 1)[1])
    assert diff < 1e-10
    at.button(key="reset_steps").click().run()
    assert any("No step taken yet" in i.value for i in at.info)


def test_toy_training_controls_change_the_run():
    at = open_page("app_pages/toy_gan.py")
    first = final_weights(at)
    at.number_input(key="epochs").set_value(50)
    at.number_input(key="lr").set_value(0.5)
    at.selectbox(key="loss").set_value("saturating")
    at.selectbox(key="dataset").set_value("reference")
    at.run()
    assert not at.exception
    assert not final_weights(at).equals(first)
    at.select_slider(key="snapshot").set_value(0).run()
    assert not at.exception


def test_toy_seed_is_visible_and_reproducible():
    a = open_page("app_pages/toy_gan.py", seed=7)
    b = open_page("app_pages/toy_gan.py", seed=7)
    c = open_page("app_pages/toy_gan.py", seed=8)
    assert final_weights(a).equals(final_weights(b))
    assert not final_weights(a).equals(final_weights(c))


def test_toy_reference_mode_shows_the_published_weights():
    at = open_page("app_pages/toy_gan.py")
    at.toggle(key="reference").set_value(True).run()
    assert not at.exception
    final = final_weights(at)
    v = final[final.iloc[:, 0].str.startswith("G: v")].iloc[:, 1].tolist()
    assert v == pytest.approx([0.70702123, 0.03720449, -0.45703394, 0.79375751], abs=1e-8)


def test_toy_seed_sweep_counts_runs():
    at = open_tab(open_page("app_pages/toy_gan.py"), "sweep")
    at.slider(key="runs").set_value(16).run()
    assert not at.exception
    count = [m for m in at.metric if "draw faces" in m.label][0].value
    ok, total = count.split(" / ")
    assert total == "16" and 0 <= int(ok) <= 16
    # Moved by one seed, the sweep reuses 15 runs it knows and must still count seeds 1..16's own.
    at.number_input(key="seed").set_value(at.number_input(key="seed").value + 1).run()
    seed = at.number_input(key="seed").value
    from ganzoo.lessons import toy
    expected = toy.sweep(toy.FACES, 1000, 0.01, seed, "non-saturating", 16).faces_ok.sum()
    assert [m for m in at.metric if "draw faces" in m.label][0].value == f"{expected} / 16"


def test_toy_training_tab_reads_the_equilibrium():
    at = open_tab(open_page("app_pages/toy_gan.py", seed=0), "train")
    caption = next(c.value for c in at.caption if "−log 4" in c.value)
    assert "At the end: D gives" in caption
    assert "ends close to it" in caption or "has not reached it" in caption


def test_the_training_tab_shows_the_seeds_own_run_whatever_the_sweep_size():
    # The sweep is trained apart: resizing it must not change the run the training tab shows.
    at = open_page("app_pages/toy_gan.py", seed=3)
    first = final_weights(at)
    open_tab(at, "sweep").slider(key="runs").set_value(5).run()
    assert not at.exception
    open_tab(at, "train")
    assert final_weights(at).equals(first)
    from ganzoo.lessons import toy
    alone = toy.train(toy.FACES, 1000, 0.01, 3, "non-saturating").final.as_dict()
    v = first[first.iloc[:, 0].str.startswith("G: v")].iloc[:, 1].tolist()
    assert v == pytest.approx(alone["G_weights"], abs=1e-12)


def test_only_the_open_tab_runs_and_the_sweep_size_survives_a_tab_switch():
    at = open_page("app_pages/toy_gan.py")
    assert any("No step taken yet" in i.value for i in at.info)  # the inspector, open by default
    assert not any("−log 4" in c.value for c in at.caption)  # the training tab's reading is not computed
    assert not at.metric  # the sweep's count is not computed
    open_tab(at, "sweep").slider(key="runs").set_value(12).run()
    assert [m.value for m in at.metric if "draw faces" in m.label][0].endswith("/ 12")
    assert not any("No step taken yet" in i.value for i in at.info)
    open_tab(at, "train")
    open_tab(at, "sweep")
    assert at.slider(key="runs").value == 12
