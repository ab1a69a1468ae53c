"""A before/after slider over two images of the same size (the CycleGAN page). Built on Streamlit's
own components v2 (HTML, CSS and JS from this folder, nothing fetched from a CDN) because the PyPI
comparison components load their script from one, which an offline or locked-down host cannot reach."""

import base64
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent
_BEFORE_AFTER = st.components.v2.component(
    "ganzoo.before_after",
    html=(HERE / "slider.html").read_text(),
    css=(HERE / "slider.css").read_text(),
    js=(HERE / "slider.js").read_text(),
)


def _data_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def before_after(before_jpeg: bytes, after_jpeg: bytes, left: str, right: str, label: str, key: str) -> None:
    """Two images of one size, the second revealed right of a line the visitor drags (or moves
    with the arrow keys)."""
    _BEFORE_AFTER(data=dict(before=_data_uri(before_jpeg), after=_data_uri(after_jpeg), left=left, right=right,
                            label=label), key=key)
