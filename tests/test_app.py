"""Every page under Streamlit's AppTest: it runs without exception and its controls work."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")

TIMEOUT = 120  # model loading and the first torch import take longer than AppTest's 3 s


def open_page(path, lang=None, **state):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_home_teaches_the_game_in_english():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "What is a GAN?"
    latex = " ".join(x.body for x in at.latex)
    assert r"\min_G \max_D V(D, G)" in latex and r"\log D(G(z))" in latex
    assert any("2.3" in m.value for m in at.markdown)


def test_home_log_loss_slider_updates_the_readout():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.slider(key="p").set_value(0.9).run()
    assert not at.exception
    readout = [m.value for m in at.markdown if "error is" in m.value][0]
    assert "**0.11**" in readout and "**2.30**" in readout


def test_lang_query_param_switches_to_french():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Qu'est-ce qu'un GAN ?"


def test_language_selector_switches_language():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.radio(key="lang_picker").set_value("fr").run()
    assert at.title[0].value == "Qu'est-ce qu'un GAN ?"
    at.switch_page("pages/toy_gan.py").run()  # the choice survives a page switch
    assert at.title[0].value == "Le GAN des visages penchés 2x2"


def test_sidebar_shows_device_and_precision():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "CPU ·" in captions


# --- 2x2 slanted faces ---------------------------------------------------------------------

def final_weights(at):
    """The table of final weights in the Training tab."""
    return at.tabs[1].dataframe[0].value


def test_toy_page_scores_the_course_examples():
    at = open_page("pages/toy_gan.py")
    latex = " ".join(x.body for x in at.latex)
    assert "1 - 0 - 0 + 1 = 2 > 1" in latex
    assert "0.25 - 1 - 0.5 + 0.75 = -0.5" in latex


def test_toy_custom_image_is_scored_live():
    at = open_page("pages/toy_gan.py")
    for i, v in enumerate([1.0, 0.0, 0.0, 1.0]):
        at.slider(key=f"px{i}").set_value(v)
    at.run()
    assert any("1 - 0 - 0 + 1 = 2" in x.body for x in at.latex)
    at.slider(key="px1").set_value(1.0).run()
    assert any("1 - 1 - 0 + 1 = 1" in x.body and "le 1" in x.body for x in at.latex)


def test_toy_step_inspector_matches_autograd_and_resets():
    at = open_page("pages/toy_gan.py")
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
    at = open_page("pages/toy_gan.py")
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
    a = open_page("pages/toy_gan.py", seed=7)
    b = open_page("pages/toy_gan.py", seed=7)
    c = open_page("pages/toy_gan.py", seed=8)
    assert final_weights(a).equals(final_weights(b))
    assert not final_weights(a).equals(final_weights(c))


def test_toy_reference_mode_shows_the_published_weights():
    at = open_page("pages/toy_gan.py")
    at.toggle(key="reference").set_value(True).run()
    assert not at.exception
    final = final_weights(at)
    v = final[final.iloc[:, 0].str.startswith("G: v")].iloc[:, 1].tolist()
    assert v == pytest.approx([0.70702123, 0.03720449, -0.45703394, 0.79375751], abs=1e-8)


def test_toy_seed_sweep_counts_runs():
    at = open_page("pages/toy_gan.py")
    at.slider(key="runs").set_value(16).run()
    assert not at.exception
    count = [m for m in at.metric if "draw faces" in m.label][0].value
    ok, total = count.split(" / ")
    assert total == "16" and 0 <= int(ok) <= 16


# --- MNIST pages -----------------------------------------------------------------------------

def test_mnist_sampling_controls():
    at = open_page("pages/mnist_sampling.py")
    at.number_input(key="n").set_value(100).run()
    assert not at.exception
    caption = at.get("image")[0].proto.imgs[0].caption
    assert "100 samples, seed 0" in caption
    at.slider(key="psi").set_value(1.0).run()
    at.selectbox(key="model").set_value("mnist-dense").run()
    assert not at.exception
    at.button(key="new_batch").click().run()
    assert "seed 1" in at.get("image")[0].proto.imgs[0].caption
    at.toggle(key="show_d").set_value(True).run()
    assert not at.exception
    assert any("D(x)" in p.proto.spec for p in at.get("plotly_chart"))
    assert len(at.get("image")) == 1
    at.toggle(key="show_before").set_value(True).run()  # the same noise through an untrained G
    assert not at.exception
    assert len(at.get("image")) == 2
    assert at.get("image")[1].proto.imgs[0].url != at.get("image")[0].proto.imgs[0].url


def test_mnist_sampling_seed_input_sets_the_batch():
    at = open_page("pages/mnist_sampling.py")
    at.number_input(key="seed").set_value(41).run()
    assert "seed 41" in at.get("image")[0].proto.imgs[0].caption
    first = at.get("image")[0].proto.imgs[0].url
    at.number_input(key="seed").set_value(42).run()
    at.number_input(key="seed").set_value(41).run()
    assert at.get("image")[0].proto.imgs[0].url == first  # the same seed gives the same picture


ABSURD_URLS = [  # page, query parameters a visitor could type, what each widget must show instead
    ("pages/home.py", {"lang": "xx", "p": "-3"}, {"title": "What is a GAN?"}),
    ("pages/toy_gan.py", {"seed": "-12", "lang": "<script>"}, {"seed": 0, "title": "The 2x2 slanted-faces GAN"}),
    ("pages/toy_gan.py", {"seed": "99999999999999999999999"}, {"seed": 2**31 - 1}),
    ("pages/mnist_sampling.py", {"n": "inf", "seed": "nan", "model": "../../etc/passwd"},
     {"n": 64, "seed": 0, "model": "mnist-dcgan"}),
    ("pages/mnist_conditional.py", {"digit": "42", "per_digit": "-3", "seed": "1e400",
                                    "number": "12ab" + "9" * 500},
     {"digit": 9, "per_digit": 1, "seed": 0, "number": "1299999999999999"}),
    ("pages/latent_interpolation.py", {"model": "mnist-cgan2", "steps": "1000000", "a": "-1", "b": "x",
                                       "target": "-4", "dseed": "-9"},
     {"model": "mnist-dcgan", "steps": 32, "a": 0, "b": 2, "target": 0, "dseed": 0}),
    ("pages/latent_interpolation.py", {"model": "mnist-cgan", "da": "99", "db": "-99"}, {"da": 9, "db": 0}),
    ("pages/cyclegan.py", {"style": "cyclegan-official-monet'; drop", "direction": "XY"},
     {"style": "cyclegan-monet-compact", "direction": "BA"}),
    ("pages/training_lab.py", {"preset": "nope", "target": "moon", "loss": "hinge", "g_lr": "nan", "d_lr": "1e9",
                               "d_steps": "1000", "g_hidden": "7", "smoothing": "-1", "noise": "pink", "seed": "-1"},
     {"preset": "none", "target": "ring8", "loss": "non-saturating", "g_lr": 1e-3, "d_steps": 1, "g_hidden": 64,
      "smoothing": 1.0, "noise": "gaussian", "seed": 0}),
]


@pytest.mark.parametrize("path,params,expected", ABSURD_URLS)
def test_every_page_survives_absurd_url_parameters(path, params, expected):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "the page did not render"
    for key, value in expected.items():
        actual = at.title[0].value if key == "title" else at.session_state[key]  # an unknown ?lang= gives English
        assert actual == value, (key, actual)


def test_mnist_sampling_clamps_absurd_url_parameters():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"n": "100000", "seed": "-5", "model": "not-a-model"})
    at.switch_page("pages/mnist_sampling.py")
    at.run()
    assert not at.exception
    assert at.number_input(key="n").value == 256
    assert at.number_input(key="seed").value == 0
    assert at.selectbox(key="model").value == "mnist-dcgan"


def test_conditional_digit_picker_draws_the_chosen_digit():
    at = open_page("pages/mnist_conditional.py")
    for digit in (0, 3, 9):
        at.segmented_control(key="digit").set_value(digit).run()
        assert not at.exception
        caption = at.get("image")[0].proto.imgs[0].caption
        assert caption.startswith(f"8 samples of the digit {digit}")
        assert int(caption.split("reads ")[1].split()[0]) >= 6
    at.segmented_control(key="digit").set_value(None).run()  # deselecting falls back to 7
    assert at.get("image")[0].proto.imgs[0].caption.startswith("8 samples of the digit 7")
    first = [img.proto.imgs[0].url for img in at.get("image")]
    at.number_input(key="seed").set_value(123).run()  # a new seed redraws every picture on the page
    second = [img.proto.imgs[0].url for img in at.get("image")]
    assert len(first) == len(second) and all(a != b for a, b in zip(first, second))


def test_conditional_digit_and_number():
    at = open_page("pages/mnist_conditional.py")
    at.number_input(key="per_digit").set_value(10).run()
    caption = at.get("image")[0].proto.imgs[0].caption
    assert caption.startswith("10 samples of the digit 7")
    agree = int(caption.split("reads ")[1].split()[0])
    assert agree >= 8  # the conditional GAN draws what it is asked
    at.text_input(key="number").input("31415").run()
    assert not at.exception
    verdict = (at.success or at.warning)[0].value
    assert "digits agree" in verdict and "of 5" in verdict
    at.text_input(key="number").input("12a").run()
    assert any("Only the digits" in w.value for w in at.warning)


def test_interpolation_models_and_direction():
    at = open_page("pages/latent_interpolation.py")
    assert len(at.get("image")) >= 3  # linear strip, spherical strip, controllable grid
    at.number_input(key="steps").set_value(5).run()
    at.slider(key="alpha").set_value(2.0).run()
    assert not at.exception
    assert "α = +2.00" in at.get("image")[-1].proto.imgs[0].caption
    at.radio(key="direction_kind").set_value("random").run()
    assert not at.exception
    at.selectbox(key="model").set_value("mnist-cgan").run()
    assert not at.exception
    assert any("Class morph" in m.value for m in at.markdown)


def strips(at):
    return [img.proto.imgs[0].url for img in at.get("image")]


def test_interpolation_endpoint_seeds_move_the_ends():
    at = open_page("pages/latent_interpolation.py")
    before = strips(at)
    at.number_input(key="a").set_value(11).run()
    assert not at.exception
    after_a = strips(at)
    assert after_a[0] != before[0] and after_a[1] != before[1]  # both strips start elsewhere
    at.number_input(key="b").set_value(12).run()
    assert strips(at)[0] != after_a[0]
    at.number_input(key="a").set_value(1).run()
    at.number_input(key="b").set_value(2).run()
    assert strips(at)[:2] == before[:2]  # back to the same endpoints, the same pictures


def test_interpolation_class_morph_digits_and_target():
    at = open_page("pages/latent_interpolation.py", model="mnist-cgan")
    at.selectbox(key="da").set_value(4).run()
    at.selectbox(key="db").set_value(9).run()
    assert not at.exception
    assert any("from 4 to 9" in c.value for c in at.caption)
    morph = strips(at)[0]
    at.number_input(key="seed").set_value(5).run()
    assert strips(at)[0] != morph  # the seed picks the style that is morphed
    at = open_page("pages/latent_interpolation.py")
    at.selectbox(key="target").set_value(1).run()
    assert not at.exception

    def ones():
        caption = at.get("image")[-1].proto.imgs[0].caption
        assert caption.endswith("as 1."), caption
        return int(caption.split("reads ")[1].split()[0])

    still = ones()
    at.slider(key="alpha").set_value(4.0).run()
    assert ones() > still  # pushing along "more like a 1" makes more ones
    moved = strips(at)[-1]
    at.number_input(key="a").set_value(99).run()  # the start seed does not move the direction...
    assert strips(at)[-1] == moved
    at.number_input(key="dseed").set_value(3).run()  # ...its own seed re-estimates it
    assert "direction seed 3" in at.caption[-1].value and strips(at)[-1] != moved


def test_cyclegan_page_controls():
    at = open_page("pages/cyclegan.py")
    captions = " ".join(c.value for c in at.caption)
    assert "compact model" in captions
    for policy in ("keep", "tiled"):
        at.radio(key="size_policy").set_value(policy).run()
        assert not at.exception
    at.slider(key="max_side").set_value(512).run()
    at.radio(key="size_policy").set_value("crop256").run()
    at.selectbox(key="sample").set_value("monet_d6d6e625bd.jpg").run()
    at.radio(key="direction").set_value("AB").run()
    assert not at.exception
    text = " ".join(str(el.proto) for el in at.main if hasattr(el, "proto"))
    assert "mean L1 error" in text and "Translation," in text
