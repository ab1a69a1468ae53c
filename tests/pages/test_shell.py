"""The app shell under AppTest: language, sidebar, and every page's URL parameters."""


import pytest
from streamlit.testing.v1 import AppTest

from ganzoo.runtime.device import policy
from tests.pages.apptest import APP, TIMEOUT, open_page


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
    at.switch_page("app_pages/toy_gan.py").run()  # the choice survives a page switch
    assert at.title[0].value == "Le GAN des visages penchés 2x2"


def test_sidebar_shows_device_and_precision():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert policy().describe() in captions  # whatever this machine runs, the sidebar says it


ABSURD_URLS = [  # page, query parameters a visitor could type, what each widget must show instead
    ("app_pages/home.py", {"lang": "xx", "p": "-3"}, {"title": "What is a GAN?"}),
    ("app_pages/toy_gan.py", {"seed": "-12", "lang": "<script>"}, {"seed": 0, "title": "The 2x2 slanted-faces GAN"}),
    ("app_pages/toy_gan.py", {"seed": "99999999999999999999999"}, {"seed": 2**31 - 1}),
    ("app_pages/mnist_sampling.py", {"n": "inf", "seed": "nan", "model": "../../etc/passwd"},
     {"n": 64, "seed": 0, "model": "mnist-scgan"}),
    ("app_pages/mnist_conditional.py", {"digit": "42", "per_digit": "-3", "seed": "1e400",
                                    "number": "12ab" + "9" * 500},
     {"digit": 9, "per_digit": 1, "seed": 0, "number": "1299999999999999"}),
    ("app_pages/latent_interpolation.py", {"model": "mnist-cgan2", "steps": "1000000", "a": "-1", "b": "x",
                                       "target": "-4", "dseed": "-9"},
     {"model": "mnist-dcgan", "steps": 32, "a": 0, "b": 2, "target": 0, "dseed": 0}),
    ("app_pages/latent_interpolation.py", {"model": "mnist-cgan", "da": "99", "db": "-99"}, {"da": 9, "db": 0}),
    ("app_pages/cyclegan.py", {"style": "cyclegan-official-monet'; drop", "direction": "XY"},
     {"style": "cyclegan-monet-compact", "direction": "BA"}),
    ("app_pages/training_lab.py", {"preset": "nope", "target": "moon", "loss": "hinge", "g_lr": "nan", "d_lr": "1e9",
                               "d_steps": "1000", "g_hidden": "7", "smoothing": "-1", "noise": "pink", "seed": "-1"},
     {"preset": "none", "target": "ring8", "loss": "non-saturating", "g_lr": 1e-3, "d_steps": 1, "g_hidden": 64,
      "smoothing": 1.0, "noise": "gaussian", "seed": 0}),
]


@pytest.mark.parametrize("path,params,expected", ABSURD_URLS)
def test_every_page_survives_absurd_url_parameters(path, params, expected):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()  # switch_page finds a page by its url_path only after a first run
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "the page did not render"
    for key, value in expected.items():
        actual = at.title[0].value if key == "title" else at.session_state[key]  # an unknown ?lang= gives English
        assert actual == value, (key, actual)


@pytest.mark.parametrize("path,english", [("app_pages/home.py", [r"\text{when"]),
                                          ("app_pages/toy_gan.py", [r"\text{face}", r"\text{real", r"\text{fake"])])
def test_words_inside_formulas_follow_the_language(path, english):
    fr = open_page(path, lang="fr")
    latex_fr = " ".join(x.body for x in fr.latex)
    assert not [word for word in english if word in latex_fr], latex_fr
    en = " ".join(x.body for x in open_page(path).latex)
    assert all(word in en for word in english)
