"""GAN versus VAE: one decoder size, two objectives. Samples side by side with their sharpness, the
VAE's encoder against the GAN's search for z, latent walks in both, and the two losses."""

import time

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ganzoo.inference import sampling
from ganzoo.io import checkpoints
from ganzoo.io.images import grid_png
from ganzoo.lessons import drawing, latent
from ganzoo.runtime.seed import clamp_seed
from ui import dataset_choice, load_model, query_int, quiz_section, seed_input, t

RECONSTRUCTED = 8  # images sent through the encoder (and searched for in the GAN's latent space)
WALK_STEPS = 8
SEARCH_STEPS, SEARCH_STARTS = 200, 4


st.title(t("vae.title"))
st.markdown(t("vae.intro"))
dataset = dataset_choice()

query_int("n", 4, 64, 32)
c1, c2, _ = st.columns([1, 1, 2])
n = int(c1.number_input(t("vae.n"), 4, 64, key="n"))
with c2:
    seed = seed_input("seed", 0)
st.query_params["n"] = str(n)

gan = load_model(f"{dataset}-dcgan")
vae = load_model(f"{dataset}-vae")
judge = load_model(checkpoints.judge_of(dataset))

# --- Samples ------------------------------------------------------------------------------------
st.header(t("vae.samples"))


@st.cache_data(show_spinner=False, max_entries=32)
def judged_samples(dataset: str, n: int, seed: int, _gan, _vae, _judge) -> tuple[dict, dict]:
    """Both models' batches for (data, n, seed) and the judge's reading of them: kept, so coming
    back to the page or moving a walk seed redraws nothing."""
    batches = {"gan": sampling.sample(_gan, n, seed), "vae": sampling.sample(_vae, n, seed)}
    return batches, {kind: sampling.judged(_judge, images) for kind, images in batches.items()}


batches, scores = judged_samples(dataset, n, seed, gan, vae, judge)
cols = int(np.ceil(np.sqrt(n)))
for column, kind in zip(st.columns(2), ("gan", "vae")):
    with column:
        st.subheader(t(f"vae.{kind}"))
        st.image(grid_png(batches[kind], cols), caption=t("vae.caption", n=n, seed=seed, **scores[kind]),
                 width="content", output_format="PNG")
ratio = scores["gan"]["sharpness"] / max(scores["vae"]["sharpness"], 1e-9)
st.markdown(t("vae.sharper", ratio=ratio))

# --- Reconstructions ------------------------------------------------------------------------------
st.header(t("vae.recon"))
st.markdown(t("vae.recon.text", k=RECONSTRUCTED))
shown = batches["gan"][:RECONSTRUCTED]


@st.cache_data(show_spinner=False, max_entries=32)
def reconstruction(dataset: str, seed: int, count: int, _vae, _shown) -> tuple:
    """The VAE's reconstruction of the shown images (the seed's first `count`) and the milliseconds
    it took, once per (data, seed, count), like the search below."""
    start = time.perf_counter()
    rebuilt = sampling.reconstruct(_vae, _shown)
    return rebuilt, 1000 * (time.perf_counter() - start)


rebuilt, encode_ms = reconstruction(dataset, seed, len(shown), vae, shown)
rows = {t("vae.recon.input"): shown, t("vae.recon.vae", ms=encode_ms): rebuilt}
search = st.toggle(t("vae.search"), key="search", help=t("vae.search.help"))


@st.cache_data(show_spinner=False, max_entries=16)
def latent_search(dataset: str, seed: int, count: int, _gan, _shown) -> tuple:
    """The GAN's search for the shown images and the seconds it took, once per (data, seed, count):
    a second of work that moving a walk seed or the language should not redo. The images are the
    first `count` of the seed's batch, the same whatever the batch size."""
    start = time.perf_counter()
    # Starts from the next seed's codes: the page's own seed drew these very images.
    found = drawing.invert_each(_gan, _shown, seed=clamp_seed(seed + 1), starts=SEARCH_STARTS, steps=SEARCH_STEPS)
    return found.images, time.perf_counter() - start


if search:
    found, seconds = latent_search(dataset, seed, len(shown), gan, shown)
    rows[t("vae.recon.gan", steps=SEARCH_STEPS, starts=SEARCH_STARTS, seconds=seconds)] = found
for label, images in rows.items():
    st.markdown(f"**{label}**")
    st.image(grid_png(images, RECONSTRUCTED), output_format="PNG")
errors = {label: (images - shown).pow(2).mean().item() for label, images in list(rows.items())[1:]}
st.caption(" · ".join(t("vae.recon.error", label=label, mse=mse) for label, mse in errors.items()))

# --- Latent walks ---------------------------------------------------------------------------------
st.header(t("vae.walk"))
st.markdown(t("vae.walk.text"))
query_int("a", 0, 2**31 - 1, 1)
query_int("b", 0, 2**31 - 1, 2)
w1, w2, _ = st.columns([1, 1, 2])
a = int(w1.number_input(t("interp.seed_a"), 0, 2**31 - 1, key="a"))
b = int(w2.number_input(t("interp.seed_b"), 0, 2**31 - 1, key="b"))
st.query_params.update(a=str(a), b=str(b))


@st.cache_data(show_spinner=False, max_entries=32)
def walk(dataset: str, kind: str, a: int, b: int, _model) -> bytes:
    z0, z1 = sampling.latents(_model, 1, a)[0], sampling.latents(_model, 1, b)[0]
    return grid_png(sampling.generate(_model, latent.interpolate(z0, z1, WALK_STEPS, "slerp")), WALK_STEPS)


for kind, model in (("gan", gan), ("vae", vae)):
    st.markdown(f"**{t(f'vae.{kind}')}**")
    st.image(walk(dataset, kind, a, b, model), output_format="PNG")

# --- Objectives -----------------------------------------------------------------------------------
st.header(t("vae.objectives"))
# One under the other: side by side, the formulas do not fit half of a 1024-pixel window.
st.markdown(t("vae.objective.vae"))
st.latex(r"\mathcal{L}_{\text{VAE}} = \underbrace{\mathbb{E}_{q(z|x)}\left[-\ln p(x|z)\right]}"
         r"_{\text{reconstruction}} + "
         r"\underbrace{\mathrm{KL}\left(q(z|x)\,\|\,\mathcal{N}(0, I)\right)}_{\text{KL}}")
st.markdown(t("vae.objective.gan"))
st.latex(r"\min_G \max_D\; \mathbb{E}_x\left[\ln D(x)\right]"
         r" + \mathbb{E}_z\left[\ln\left(1 - D(G(z))\right)\right]")
card = checkpoints.read_card(checkpoints.embedded_folder(f"{dataset}-vae"))
history = card.get("history", [])
if history:
    epochs = [h["epoch"] for h in history]
    fig = go.Figure([go.Scatter(x=epochs, y=[h["reconstruction"] for h in history], name=t("vae.curve.recon")),
                     go.Scatter(x=epochs, y=[h["kl"] for h in history], name=t("vae.curve.kl"), yaxis="y2")])
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10), title=t("vae.curve.title"),
                      xaxis_title=t("vae.curve.epoch"), yaxis=dict(title=t("vae.curve.recon")),
                      yaxis2=dict(title=t("vae.curve.kl"), overlaying="y", side="right", tickformat=".1f"),
                      legend=dict(orientation="h", y=-0.25))
    st.plotly_chart(fig, width="stretch", key="elbo_curve")
    elbo = card.get("metrics", {}).get("raw", {}).get("model", {}).get("elbo")
    if elbo:  # measured by python -m ganzoo.evaluate
        st.caption(t("vae.curve.caption", elbo=elbo["negative_elbo"], reconstruction=elbo["reconstruction"],
                     kl=elbo["kl"]))

st.header(t("vae.compare"))
st.markdown(t("vae.table"))

quiz_section("vae")
