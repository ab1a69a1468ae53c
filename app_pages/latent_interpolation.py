"""Latent interpolation and controllable generation: walking through z, and g(z + d)."""

import numpy as np
import plotly.express as px
import streamlit as st

from ganzoo.inference import sampling
from ganzoo.io import checkpoints
from ganzoo.io.images import gif_bytes, grid, grid_png, png_bytes, to_uint8, upscale
from ganzoo.lessons import latent
from ui import (
    class_name,
    class_phrase,
    dataset_choice,
    load_model,
    query_choice,
    query_int,
    quiz_section,
    seed_input,
    stop,
    t,
)
from your_generator import YOURS, uploaded_for_walks

MODELS = {"mnist": ["mnist-dcgan", "mnist-dense", "mnist-cgan"], "fashion": ["fashion-dcgan", "fashion-cgan"]}
SCALE = 4

st.title(t("interp.title"))
st.markdown(t("interp.intro"))
dataset = dataset_choice()
yours = uploaded_for_walks()  # the visitor's own generator, uploaded on the sampling page, in this session
MODELS = MODELS[dataset] + ([YOURS] if yours else [])

query_choice("model", MODELS, MODELS[0])
if st.session_state.model not in MODELS:  # the data changed: its first generator
    st.session_state.model = MODELS[0]
query_int("steps", 2, 32, 10)
query_int("a", 0, 2**31 - 1, 1)
query_int("b", 0, 2**31 - 1, 2)
query_int("da", 0, 9, 1)
query_int("db", 0, 9, 7)
c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
name = c1.selectbox(t("mnist.model"), MODELS, key="model", format_func=lambda m: t("model." + m))
model = yours.model if name == YOURS else load_model(name)
cache_name = yours.digest if name == YOURS else name  # what the caches below know the generator by
steps = c2.number_input(t("interp.steps"), 2, 32, key="steps")


@st.cache_data(max_entries=32, show_spinner=False)
def walks(name: str, steps: int, a: int, b: int, seed: int | None, frame_label: str, _model) -> tuple:
    """Each walk's strip as PNG (by its caption's key), the strips as one image, the animation and its
    frames, once per (model, steps, endpoints, seed): coming back to the page, or moving only the
    controls below, redraws nothing. Conditional models morph the label a -> b under one seed's
    noise; the others walk from seed a's noise to seed b's."""
    if _model.conditional:
        z = sampling.latents(_model, 1, seed).repeat(steps, 1)
        rows = {"interp.morph": sampling.generate(_model, z, latent.label_morph(a, b, steps))}
    else:
        z0, z1 = sampling.latents(_model, 1, a)[0], sampling.latents(_model, 1, b)[0]
        rows = {f"interp.{kind}": sampling.generate(_model, latent.interpolate(z0, z1, steps, method))
                for kind, method in (("linear", "lerp"), ("spherical", "slerp"))}
    rows = {key: to_uint8(images) for key, images in rows.items()}
    strips = {key: upscale(grid(images, steps, pad=2, pad_value=255), SCALE) for key, images in rows.items()}
    sheet = np.concatenate(list(strips.values()), axis=0)  # the download: every strip, one under the other
    # Every frame: the rows stacked, so linear and spherical play side by side.
    frames = np.stack([np.concatenate([np.pad(images[i], 2, constant_values=255) for images in rows.values()], axis=1)
                       for i in range(steps)])
    upscaled = np.repeat(np.repeat(frames, SCALE, 1), SCALE, 2)
    # As PNG frames (binary_string): a twelfth of the JSON of a heatmap per frame, built 2.4x faster.
    fig = px.imshow(upscaled, animation_frame=0, binary_string=True, labels={"animation_frame": frame_label})
    fig.update_layout(coloraxis_showscale=False, height=420, margin=dict(l=10, r=10, t=10, b=10))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return {key: png_bytes(strip) for key, strip in strips.items()}, sheet, fig, upscaled


if model.conditional:
    a = c3.selectbox(t("interp.digit_a"), list(range(10)), key="da", format_func=lambda k: class_name(dataset, k))
    b = c4.selectbox(t("interp.digit_b"), list(range(10)), key="db", format_func=lambda k: class_name(dataset, k))
    seed = seed_input("seed", 0)
    st.query_params.update(model=name, steps=str(steps), da=str(a), db=str(b))
    st.caption(t("interp.morph.caption", a=class_name(dataset, a), b=class_name(dataset, b)))
else:
    a = c3.number_input(t("interp.seed_a"), 0, 2**31 - 1, key="a")
    b = c4.number_input(t("interp.seed_b"), 0, 2**31 - 1, key="b")
    seed = None
    st.query_params.update(model=name, steps=str(steps), a=str(a), b=str(b))
    st.caption(t("interp.why_slerp"))

strips, sheet, fig, upscaled = walks(cache_name, int(steps), int(a), int(b), seed, t("interp.frame"), model)
for key, strip in strips.items():
    st.markdown(f"**{t(key)}**")
    st.image(strip, output_format="PNG")
st.plotly_chart(fig, key="animation")
st.caption(t("interp.animation", rows=" | ".join(t(key) for key in strips)))
d1, d2 = st.columns(2)
# Built only when clicked: encoding a GIF on every interaction would slow the page down.
d1.download_button(t("interp.gif"), lambda: gif_bytes(list(upscaled) + list(upscaled[::-1])),
                   f"interpolation_{name}.gif", "image/gif", key="download_gif")
d2.download_button(t("download.png"), lambda: png_bytes(sheet),
                   f"interpolation_{name}.png", "image/png", key="download_strip")

# --- Controllable generation --------------------------------------------------------------------
st.header(t("ctrl.title"))
st.markdown(t("ctrl.intro"))
st.latex(r"x = g(z + \alpha\, d)")
if model.conditional:
    st.info(t("ctrl.conditional"))
    stop("interp")

classifier = load_model(checkpoints.judge_of(dataset))
query_int("target", 0, 9, 7)
query_int("dseed", 0, 2**31 - 1, 0)
k1, k2, k3, k4 = st.columns([2, 2, 2, 3])
kind = k1.radio(t("ctrl.kind"), ["digit", "random"], key="direction_kind", horizontal=True,
                format_func=lambda k: t("ctrl.kind." + k))
target = k2.selectbox(t(f"data.{dataset}.kind"), list(range(10)), key="target", disabled=kind == "random",
                      format_func=lambda k: class_name(dataset, k))
dseed = k3.number_input(t("ctrl.dseed"), 0, 2**31 - 1, key="dseed", help=t("ctrl.dseed.help"))
alpha = k4.slider(t("ctrl.alpha"), -4.0, 4.0, 0.0, 0.25, key="alpha")
st.query_params.update(target=str(target), dseed=str(dseed))


@st.cache_data(max_entries=16, show_spinner=False)
def directions(name: str, dseed: int, _model, _classifier) -> dict:
    """Every digit's direction from one batch, once per (model, seed): moving the endpoints, the
    digit or the strength costs nothing more."""
    return {k: v.numpy() for k, v in latent.class_directions(_model, _classifier, dseed).items()}


if kind == "random":
    d = latent.random_direction(model.latent_size, int(dseed)).numpy() * 3
else:
    found = directions(cache_name, int(dseed), model, classifier)
    if int(target) not in found:
        st.warning(t("ctrl.no_direction", target=class_phrase(dataset, target)))
        stop("interp")
    d = found[int(target)]


@st.cache_data(max_entries=32, show_spinner=False)
def moved(name: str, kind: str, target: int, dseed: int, alpha: float, b: int, _d, _model, _classifier):
    """Seed b's ten samples moved by alpha along the direction (named by kind, target and dseed), as
    PNG, and how many the judge reads as the target."""
    images = sampling.generate(_model, latent.along(sampling.latents(_model, 10, b), _d, alpha))
    reads = sampling.classify(_classifier, images).argmax(1)
    return grid_png(images, 10, SCALE), int((reads == target).sum())


shown, count = moved(cache_name, kind, int(target), int(dseed), float(alpha), int(b), d, model, classifier)
st.image(shown, caption=t("ctrl.caption", alpha=alpha, count=count, target=class_phrase(dataset, target)),
         output_format="PNG")
st.caption(t("ctrl.how", seed=int(dseed), samples_seed=int(b), norm=float(np.linalg.norm(d))))

quiz_section("interp")
