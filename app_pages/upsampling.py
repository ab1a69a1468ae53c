"""Upsampling: nearest neighbour, the transposed convolution computed cell by cell (the course's
example), and why uneven overlap paints a checkerboard."""

import numpy as np
import streamlit as st

import app_figures
from ganzoo.io import inputs
from ganzoo.io.images import png_bytes
from ganzoo.lessons import upsampling
from ui import query_int, quiz_section, stop, t

COURSE_INPUT, COURSE_KERNEL = "10 20; 15 7", "1 1; 2 2"


def fmt(v: float) -> str:
    return f"{v:g}"


def bmatrix(m) -> str:
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(fmt(v) for v in row) for row in np.asarray(m)) + \
        r"\end{bmatrix}"


def cell_sum(x, k, terms) -> str:
    """A cell as the slide writes it: 10*2 + 20*2 + 15*1 + 7*1."""
    return " + ".join(rf"{fmt(x[i][j])} \cdot {fmt(k[a][b])}" for i, j, a, b in terms) or "0"


def matrix_input(key: str, default: str, label: str):
    if key not in st.session_state:
        wanted = st.query_params.get(key, default)
        st.session_state[key] = wanted if inputs.matrix(wanted) is not None else default
    text = st.text_input(label, key=key, help=t("up.matrix_help"))
    value = inputs.matrix(text)
    if value is None:
        st.error(t("up.not_a_matrix", text=text[:40]))
    else:
        st.query_params[key] = text
    return value


st.title(t("up.title"))
st.markdown(t("up.intro"))

st.header(t("up.nearest.title"))
st.markdown(t("up.nearest.text"))
course = [[10, 20], [15, 7]]
st.latex(bmatrix(course) + r"\;\xrightarrow{\times 2}\;" + bmatrix(upsampling.nearest(course)))

st.header(t("up.transposed.title"))
st.markdown(t("up.transposed.text"))
c1, c2, c3, c4 = st.columns([3, 3, 2, 2])
with c1:
    x = matrix_input("x", COURSE_INPUT, t("up.input"))
with c2:
    k = matrix_input("k", COURSE_KERNEL, t("up.filter"))
query_int("stride", 1, 3, 1)
query_int("padding", 0, 2, 0)
stride = c3.slider(t("up.stride"), 1, 3, key="stride")
padding = c4.slider(t("up.padding"), 0, 2, key="padding")
st.query_params.update(stride=str(stride), padding=str(padding))
if x is None or k is None:
    stop("up")
try:
    out, terms = upsampling.transposed_conv(x, k, stride, padding)
except ValueError:
    st.error(t("up.padding_too_big", padding=padding))
    stop("up")

st.latex(bmatrix(x) + r"\;\circledast_{s=" + str(stride) + r",\,p=" + str(padding) + r"}\;" + bmatrix(k) +
         " = " + bmatrix(out))
if out.shape[1] <= 3:  # the slide's table of sums fits the page up to three columns
    st.markdown(t("up.every_cell"))
    st.latex(r"\begin{array}{" + "c" * out.shape[1] + "}" + r" \\[4pt] ".join(
        " & ".join(cell_sum(x, k, terms[r][c]) for c in range(out.shape[1])) for r in range(out.shape[0]))
        + r"\end{array}")
st.markdown(t("up.pick_cell"))
c1, c2, _ = st.columns([1, 1, 3])
row = c1.selectbox(t("up.row"), range(out.shape[0]), index=out.shape[0] // 2, key="row")
col = c2.selectbox(t("up.col"), range(out.shape[1]), index=out.shape[1] // 2, key="col")
row, col = min(row, out.shape[0] - 1), min(col, out.shape[1] - 1)
st.latex(rf"y_{{{row},{col}}} = {cell_sum(x, k, terms[row][col])} = {fmt(out[row, col])}")
st.caption(t("up.torch_check"))

st.header(t("up.overlap.title"))
st.markdown(t("up.overlap.text"))
# A 4x4 input: the maps show the pattern and its borders; each printed count is an SVG text the
# browser lays out (the 5x5 input's 363 counts took about 140 ms of a page switch, the 4x4 input gives 243).
maps = [(t("up.overlap.k3s2"), upsampling.taps_transposed(3, 2, size=4)),
        (t("up.overlap.k4s2"), upsampling.taps_transposed(4, 2, size=4)),
        (t("up.overlap.resize"), upsampling.taps_resize_conv(3, 2, size=4))]
st.plotly_chart(app_figures.overlap_maps(maps, t("up.overlap.taps")), width="stretch", key="overlap")
st.markdown(t("up.overlap.after"))

st.header(t("up.cyclegan.title"))
st.markdown(t("up.cyclegan.text"))


@st.cache_resource(show_spinner=False)
def flat_grey_through(name: str):
    """A flat grey image through a shipped photo -> painting generator in fp32 (the lesson's
    flat_grey_through): the amplified centre as an image, and its phase spread."""
    return upsampling.flat_grey_through(upsampling.photo_to_painting(name))


cols = st.columns(2)
for col, name in zip(cols, ("cyclegan-monet-compact-v1", "cyclegan-monet-compact")):
    picture, spread = flat_grey_through(name)
    col.image(png_bytes(picture), caption=t(f"up.cyclegan.{name}", spread=spread), width="stretch", output_format="PNG")

quiz_section("up")
