"""Draw a digit: the classifier reads it, the discriminator judges it, and a search over z finds
the generated digits nearest to it."""

import hashlib

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from ganzoo.inference import sampling
from ganzoo.io.images import ImageInputError, decode_image, grid, grid_png, png_bytes, to_uint8, upscale
from ganzoo.lessons import drawing
from ui import lang, load_model, query_int, quiz_section, seed_input, stop, t

GAN = "mnist-dcgan"
CANVAS = 280  # ten screen pixels per MNIST pixel
STARTS = 8


st.title(t("draw.title"))
st.markdown(t("draw.intro"))

left, right = st.columns([1, 1])
with left:
    st.markdown(f"**{t('draw.canvas')}**")
    # White ink on black, as MNIST stores its digits.
    stroke = st_canvas(stroke_width=22, stroke_color="#FFFFFF", background_color="#000000", height=CANVAS,
                       width=CANVAS, drawing_mode="freedraw", return_image_data=True, key="canvas")
    upload = st.file_uploader(t("draw.upload"), type=["png", "jpg", "jpeg", "webp"], key="upload")
    st.caption(t("draw.canvas_help"))

data = upload.getvalue() if upload is not None else stroke.image_bytes
try:
    if not data:
        raise ImageInputError("empty_drawing")
    digit = drawing.mnist_style(drawing.ink_from_picture(decode_image(data, mode="L")))
except ImageInputError as exc:
    if upload is not None or exc.key != "errors.image.empty_drawing":
        right.error(t("draw.bad_input", error=exc.text(lang())))
    else:
        right.info(t("draw.start"))
    stop("draw")

classifier = load_model("mnist-classifier")
gan = load_model(GAN)
probabilities = sampling.classify(classifier, digit)[0].numpy()
realness = float(sampling.discriminator_probabilities(gan, digit)[0])
read = int(probabilities.argmax())

with right:
    st.markdown(f"**{t('draw.seen')}**")
    st.image(png_bytes(upscale(to_uint8(digit[0]), 6)), width="content", caption=t("draw.seen_caption"),
             output_format="PNG")
    st.metric(t("draw.reads"), t("draw.reads_value", digit=read, p=probabilities[read] * 100))
    st.metric(t("draw.realness"), f"{realness:.2f}", help=t("draw.realness_help"))
fig = go.Figure(go.Bar(x=list(range(10)), y=probabilities * 100, marker_color="#3b6e8f",
                       text=[f"{p * 100:.0f}" for p in probabilities], textposition="outside"))
fig.update_layout(height=240, margin=dict(l=10, r=10, t=40, b=10), title=t("draw.probabilities"),
                  xaxis=dict(tickmode="linear", title=t("mnist.digit")), yaxis=dict(range=[0, 115], title="%"))
st.plotly_chart(fig, width="stretch", key="probabilities")

st.header(t("draw.search"))
st.markdown(t("draw.search_text"))
st.latex(r"z^\star = \arg\min_z \; \big\lVert G(z) - x \big\rVert^2 + \lambda \big(\lVert z \rVert^2 / d - 1\big)^2")
query_int("steps", 50, 600, 200)
c1, c2 = st.columns(2)
with c1:
    seed = seed_input("seed", 0)
steps = c2.slider(t("draw.steps"), 50, 600, step=50, key="steps")
st.query_params["steps"] = str(steps)
wanted = (hashlib.sha256(digit.numpy().tobytes()).hexdigest(), seed, steps)
if st.button(t("draw.search_button"), key="search", type="primary"):
    with st.spinner(t("draw.searching")):
        st.session_state["inversion"] = (wanted, drawing.invert(gan, digit, seed=seed, starts=STARTS, steps=steps))
found = st.session_state.get("inversion")
if found is None or found[0] != wanted:
    st.caption(t("draw.search_hint", starts=STARTS))
    stop("draw")

result = found[1]
best = to_uint8(result.images[0])
c1, c2 = st.columns([1, 2])
pair = grid(np.stack([to_uint8(digit[0]), best]), 2, pad=2, pad_value=255)
c1.image(png_bytes(upscale(pair, 5)), width="content", output_format="PNG",
         caption=t("draw.pair_caption", error=float(result.errors[0])))
curves = go.Figure()
for k in range(result.curves.shape[1]):
    curves.add_scatter(y=result.curves[:, k].numpy(), mode="lines", name=t("draw.start_n", k=k + 1),
                       line=dict(width=3 if k == 0 else 1))
curves.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10), title=t("draw.curve_title"),
                     xaxis_title=t("draw.step"), yaxis=dict(title=t("draw.error"), type="log", dtick=1))
c2.plotly_chart(curves, width="stretch", key="curves")
st.markdown(f"**{t('draw.nearest')}**")
nearest = grid_png(result.images, STARTS, 4)
st.image(nearest, width="content", output_format="PNG",
         caption=t("draw.nearest_caption", errors=" · ".join(f"{e:.3f}" for e in result.errors.tolist())))
reread = sampling.classify(classifier, result.images[:1])[0]
st.markdown(t("draw.verdict", digit=int(reread.argmax()), p=float(reread.max()) * 100,
              realness=float(sampling.discriminator_probabilities(gan, result.images[:1])[0])))

quiz_section("draw")
