"""MNIST (or Fashion-MNIST) sampling: a batch from a trained generator, D's verdicts and the classifier's census."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import course
from ganzoo.inference import sampling
from ganzoo.io import checkpoints
from ganzoo.io.images import display_scale, grid, grid_png, png_bytes, to_uint8, upscale
from ganzoo.models.mnist import MnistGAN
from ganzoo.runtime.seed import clamp_seed
from ui import class_name, dataset_choice, load_model, query_choice, query_int, quiz_section, seed_input, t
from your_generator import YOURS, report_card_section, your_generator_source

MODELS = {"mnist": ["mnist-scgan", "mnist-scgan-w64", "mnist-dcgan", "mnist-stylegan", "mnist-dense"]
          + [n for n in checkpoints.available("hub")],
          "fashion": ["fashion-dcgan", "fashion-stylegan"]}
COLLAPSE_CLASSES = 7  # a batch of >= 50 digits covering fewer classes than this looks collapsed

def next_seed():
    st.session_state.seed = clamp_seed(st.session_state.seed + 1)


heading = st.empty()  # the title names the chosen data, so it is written once that is known
dataset = dataset_choice()
heading.title(t(f"data.{dataset}.sampling_title"))
st.markdown(t(f"data.{dataset}.intro"))
MODELS = MODELS[dataset] + [YOURS]

query_choice("model", MODELS, MODELS[0])
if st.session_state.model not in MODELS:  # the data changed: its first generator
    st.session_state.model = MODELS[0]
query_int("n", 1, 256, 64)
c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
name = c1.selectbox(t("mnist.model"), MODELS, key="model", format_func=lambda m: t("model." + m))
n = c2.number_input(t("mnist.n"), 1, 256, key="n")
with c3:
    seed = seed_input("seed", 0)
psi = c4.slider(t("mnist.psi"), 0.0, 3.0, 0.0, 0.1, key="psi",
                help=t("mnist.psi.help.dense" if name == "mnist-dense" else "mnist.psi.help"))
st.query_params.update(model=name, n=str(n))
st.button(t("mnist.new_batch"), key="new_batch", on_click=next_seed)

repo = None
if name == YOURS:  # the visitor's own generator, in this session only; the page stops here until there is one
    yours = your_generator_source("mnist")
    model, repo = yours.model, yours.digest
else:
    if dataset == "mnist" and checkpoints.visitor_repos_allowed():  # off on public demos: README, "Hub checkpoints"
        repo = st.text_input(t("mnist.hub_repo"), key="repo", placeholder="owner/name@revision").strip() or None
    model: MnistGAN = load_model(name, repo)
classifier = load_model(checkpoints.judge_of(dataset))
if getattr(model, "self_conditioned", False):
    st.caption(t("mnist.self_conditioned", k=model.codes, kinds=t(f"data.{dataset}.kinds")))
if name == "mnist-dense":
    course.dense_gan(name)
course.section("dcgan")


@st.cache_data(show_spinner=False, max_entries=64)
def batch(name: str, repo: str | None, n: int, seed: int, psi: float | None, _model, _classifier):
    """Images, the grid as PNG and the classifier's census for one (model, n, seed, psi): a rerun
    that changes none of them (a toggle, the language) costs nothing. The models are the process's
    cached ones, named by (name, repo)."""
    images = sampling.sample(_model, n, seed, psi)
    cols = int(np.ceil(np.sqrt(n)))
    picture = grid_png(images, cols)
    counts = np.bincount(sampling.classify(_classifier, images).argmax(1).numpy(), minlength=10)
    return images, picture, counts


images, picture, counts = batch(name, repo, int(n), seed, psi or None, model, classifier)
cols = int(np.ceil(np.sqrt(n)))
left, right = st.columns([3, 2])
with left:
    st.image(picture, caption=t("mnist.caption", n=n, seed=seed), width="content", output_format="PNG")
    st.download_button(t("download.png"), picture, f"{name}_seed{seed}_n{n}.png", "image/png", key="download")
with right:
    fig = go.Figure(go.Bar(x=[class_name(dataset, k) for k in range(10)], y=counts, marker_color="#3b6e8f"))
    fig.update_layout(height=260, margin=dict(l=10, r=10, t=30, b=10), title=t("mnist.histogram"),
                      xaxis=dict(type="category", title=t(f"data.{dataset}.kind")), yaxis_title=t("mnist.count"))
    st.plotly_chart(fig, width="stretch", key="histogram")
    covered = int((counts > 0).sum())
    if n >= 50 and covered < COLLAPSE_CLASSES:
        st.warning(t("mnist.collapsed", covered=covered, kinds=t(f"data.{dataset}.kinds")))
    else:
        st.caption(t("mnist.covered", covered=covered, kinds=t(f"data.{dataset}.kinds")))
if name == YOURS:
    report_card_section(yours, dataset, classifier)

has_discriminator = isinstance(model, MnistGAN) and model.discriminator is not None  # an upload has none
if has_discriminator and st.toggle(t("mnist.show_d"), key="show_d"):
    # A self-conditioned D judges each image beside its cluster: the code its latent vector drew.
    clusters = model.code_of(sampling.latents(model, int(n), seed, psi or None)) if model.self_conditioned else None
    scores = sampling.discriminator_probabilities(model, images, clusters).numpy()
    rows = int(np.ceil(n / cols))
    table = np.full(rows * cols, np.nan)
    table[:n] = scores
    fig = go.Figure(go.Heatmap(z=table.reshape(rows, cols), zmin=0, zmax=1, colorscale="RdBu",
                               text=np.round(table.reshape(rows, cols), 2), texttemplate="%{text}",
                               colorbar=dict(title="D(x)")))
    fig.update_yaxes(autorange="reversed", visible=False)
    fig.update_xaxes(visible=False)
    fig.update_layout(height=min(60 + 32 * rows, 600), margin=dict(l=10, r=10, t=30, b=10),
                      title=t("mnist.d_scores", mean=float(scores.mean())))
    st.plotly_chart(fig, width="stretch", key="d_scores")


@st.cache_resource(show_spinner=False)
def untrained(name: str, repo: str | None, _model) -> MnistGAN:
    return sampling.untrained_like(_model, seed=0)  # a fixed, visible initialisation


# A toggle rather than an expander: an expander's body runs on every rerun, even closed.
# Needs no D: an upload gets its untrained twin too, but for a Keras call() that skipped layers (not rebuilt here).
untrained_twin = isinstance(model, MnistGAN) and not (name == YOURS and yours.layout == "skipping")
if untrained_twin and st.toggle(t("mnist.before"), key="show_before"):
    st.markdown(t("mnist.before.text"))
    raw = untrained(name, repo, model)
    before = to_uint8(sampling.generate(raw, sampling.latents(model, int(n), seed, psi or None)))
    same_size, _ = st.columns([3, 2])  # the same width as the trained grid above, for comparison
    same_size.image(png_bytes(upscale(grid(before, cols, pad=2, pad_value=255), display_scale(cols))), width="content",
                    output_format="PNG")

quiz_section("mnist")
