"""Arbitrary unicode in every URL parameter and typed input of every page: never an exception.

Hypothesis draws the values; the cases that once crashed a page are pinned as explicit examples.
"""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, TIMEOUT

PAGES = {  # page script: the URL parameters it reads
    "app_pages/home.py": ["lang", "p"],
    "app_pages/toy_gan.py": ["lang", "seed"],
    "app_pages/mnist_sampling.py": ["data", "model", "n", "seed"],
    "app_pages/mnist_conditional.py": ["data", "digit", "per_digit", "seed", "number"],
    "app_pages/latent_interpolation.py": ["data", "model", "steps", "a", "b", "da", "db", "target", "dseed", "seed"],
    "app_pages/draw_digit.py": ["seed", "steps"],
    "app_pages/upsampling.py": ["x", "k", "stride", "padding"],
    "app_pages/cyclegan.py": ["style", "direction", "mode"],
    "app_pages/training_lab.py": ["preset", "target", "loss", "noise", "g_optimizer", "d_optimizer", "g_lr",
                                  "d_lr", "d_steps", "smoothing", "g_hidden", "d_hidden", "seed"],
}
# Anything a URL can carry once decoded; lone surrogates cannot be sent as UTF-8 at all.
VALUES = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def run_with(path, params):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()  # switch_page finds a page by its url_path only after a first run
    at.switch_page(path).run()
    assert not at.exception, (params, [e.value for e in at.exception])
    return at


@pytest.mark.parametrize("path", list(PAGES))
def test_arbitrary_url_values_never_raise(path):
    keys = PAGES[path]

    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(st.fixed_dictionaries({}, optional={key: VALUES for key in keys}))
    @example({key: "²" for key in keys})
    @example({key: "①②" for key in keys})
    @example({key: "12³34" for key in keys})
    def check(params):
        run_with(path, params)

    check()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=16))
@example("²")
@example("①②")
@example("12³34")
def test_typed_numbers_never_raise(text):
    at = run_with("app_pages/mnist_conditional.py", {})
    at.text_input(key="number").input(text).run()
    assert not at.exception, (text, [e.value for e in at.exception])
