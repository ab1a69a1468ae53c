"""Inputs every page reads the same way: seeds, the dataset, numbers and choices carried in the URL
so a shared link reproduces the view, and class names in the visitor's language."""

import streamlit as st

from ganzoo.io import inputs
from ganzoo.runtime.seed import MAX_SEED, clamp_seed
from ui.language import t


def seed_input(key: str = "seed", default: int = 0, label_key: str = "seed.label") -> int:
    """A visible, settable seed, carried in the URL (`?seed=`) so a shared link reproduces the view."""
    if key not in st.session_state:
        st.session_state[key] = clamp_seed(st.query_params.get(key, default))
    value = st.number_input(t(label_key), min_value=0, max_value=MAX_SEED, step=1, key=key,
                            help=t("seed.help"))
    st.query_params[key] = str(int(value))
    return int(value)


DATASETS = ("mnist", "fashion")  # ganzoo.io.data.DATASETS, named here so the home page needs no torch


def dataset_choice(key: str = "data") -> str:
    """MNIST digits or Fashion-MNIST garments, carried in the URL (`?data=fashion`) and from page to
    page: the four pages that offer it share the key, and a widget's state on one page is not the
    same widget's on the next, so the value is handed over as plain session state before the widget
    is drawn (else the next page's control starts empty)."""
    held = st.session_state.get(key)
    st.session_state[key] = held if held in DATASETS else inputs.choice(st.query_params.get(key, DATASETS[0]),
                                                                       list(DATASETS), DATASETS[0])
    chosen = st.segmented_control(t("data.label"), list(DATASETS), key=key, required=True,
                                  format_func=lambda d: t("data." + d))
    st.query_params[key] = chosen
    return chosen


def class_name(dataset: str, k: int) -> str:
    """A class as a label in a list: "7", or "Trouser"."""
    return str(k) if dataset == "mnist" else t(f"data.fashion.{k}")


def class_phrase(dataset: str, k: int) -> str:
    """A class inside a sentence: "the digit 7", or "“Trouser”"."""
    return t(f"data.{dataset}.class", name=class_name(dataset, k))


def query_choice(key: str, options: list, default):
    """Initialise a widget's state from the URL when the value is one of `options`."""
    if key not in st.session_state:
        st.session_state[key] = inputs.choice(st.query_params.get(key, default), options, default)


def query_int(key: str, low: int, high: int, default: int):
    """Initialise a widget's state from the URL, clamped into [low, high]."""
    if key not in st.session_state:
        st.session_state[key] = inputs.integer(st.query_params.get(key, default), low, high, default)


def query_number(key: str, low: float, high: float, default: float):
    """Initialise a widget's state from the URL when it is a finite number inside [low, high]."""
    if key not in st.session_state:
        st.session_state[key] = inputs.number(st.query_params.get(key, default), low, high, default)
