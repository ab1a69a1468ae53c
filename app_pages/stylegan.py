"""StyleGAN: the style-based generator, small and trained here. Its architecture with the formulas,
the paper's style-mixing grid, truncation in w next to truncation in z, stochastic variation, and
progressive growing in a few sentences."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ganzoo.inference import sampling
from ganzoo.io import checkpoints
from ganzoo.io.images import grid_png
from ganzoo.lessons import styles
from ganzoo.maths import metrics
from ganzoo.models.stylegan import STYLE_GROUPS
from ganzoo.runtime.seed import MAX_SEED
from ui import dataset_choice, load_model, query_int, query_number, quiz_section, seed_input, t

SHOWN = 5  # sources A and B in the mixing grid
NOISE_DRAWS = 8  # images shown for stochastic variation (the deviation map uses STD_DRAWS)
STD_DRAWS = 64
TRUNCATED = 8
SCALE = 3  # 28 -> 84 pixels a digit, nearest-neighbour: crisp


def picture(images, cols: int, pad: int = 2) -> bytes:
    return grid_png(images, cols, SCALE, pad=pad)


def mixing_figure(result: dict) -> bytes:
    """The paper's layout: source B across the top, source A down the left, each cell A restyled by B."""
    return picture(styles.mixing_layout(result), len(result["b"]) + 1, pad=4)


def architecture_dot() -> str:
    """The generator as a Graphviz graph: z -> mapping -> w -> styles, the constant and the noise into synthesis."""
    nodes = {
        "z": ("z ~ N(0, I)", "64", "#eef3f7"),
        "map": (t("style.arch.mapping"), "4 x FC + LeakyReLU", "#eef3f7"),
        "w": ("w", "64", "#eef3f7"),
        "A": ("A: " + t("style.arch.affine"), t("style.arch.per_layer"), "#fdf1e6"),
        "const": (t("style.arch.const"), "4x4x128", "#eef3f7"),
        "syn": (t("style.arch.synthesis"), "4 → 8 → 16 → 32\\n" + t("style.arch.layers"), "#eef3f7"),
        "B": ("B: " + t("style.arch.noise"), t("style.arch.noise_detail"), "#f1f7ec"),
        "img": (t("style.arch.image"), "28x28", "#eef3f7"),
    }
    lines = ['rankdir=TB; bgcolor="transparent"; nodesep=0.3; ranksep=0.3;',
             'node [shape=box, style="rounded,filled", fontname="sans-serif", fontsize=14];']
    lines += [f'{key} [label="{title}\\n{detail}", fillcolor="{colour}"];'
              for key, (title, detail, colour) in nodes.items()]
    lines += ["z -> map -> w -> A -> syn; const -> syn; B -> syn; syn -> img;"]
    return "digraph {\n" + "\n".join(lines) + "\n}"


def seed_list(first: int, count: int) -> list:
    return [min(first + i, MAX_SEED) for i in range(count)]


# Each section's work is cached on its own inputs (and the dataset, which names the models), so a
# control redraws its own section only; the language changes nothing here.
@st.cache_data(show_spinner=False, max_entries=64)
def mixing_section(dataset: str, first_a: int, first_b: int, groups: tuple, _model, _judge) -> tuple:
    grid = styles.mixing_grid(_model, seed_list(first_a, SHOWN), seed_list(first_b, SHOWN), list(groups))
    return mixing_figure(grid), styles.mixing_follows(_judge, grid)


@st.cache_data(show_spinner=False, max_entries=64)
def truncation_section(dataset: str, seed: int, psi: float, _model, _judge) -> dict:
    """Per kind ("w", "z"): the PNG and what the judge makes of it."""
    out = {}
    for kind, images in styles.truncation_pair(_model, seed_list(seed, TRUNCATED), psi).items():
        probs = sampling.classify(_judge, images)
        out[kind] = (picture(images, TRUNCATED), dict(confidence=probs.max(1).values.mean().item(),
                                                      classes=len(set(probs.argmax(1).tolist())),
                                                      sharpness=metrics.sharpness(images)))
    return out


@st.cache_data(show_spinner=False, max_entries=64)
def noise_section(dataset: str, seed: int, noise_seed: int, _model) -> tuple:
    variation = styles.noise_variation(_model, seed, noise_seed, STD_DRAWS)
    return picture(variation["images"][:NOISE_DRAWS], NOISE_DRAWS // 2), variation["std"].numpy()


st.title(t("style.title"))
st.markdown(t("style.intro"))
dataset = dataset_choice()
model = load_model(f"{dataset}-stylegan")
judge = load_model(checkpoints.judge_of(dataset))

# --- Architecture -----------------------------------------------------------------------------------
st.header(t("style.arch"))
# The graph alone on its row (beside text, a 1024-pixel window shrinks its labels past reading), and the
# formulas one per line (side by side, that window cuts the AdaIN one).
st.graphviz_chart(architecture_dot(), width="stretch")
st.markdown(t("style.arch.text"))
st.latex(r"w = f(z), \qquad y = (y_s, y_b) = A\,w + b")
st.latex(r"\mathrm{AdaIN}(x_i, y) = y_{s,i}\,\frac{x_i - \mu(x_i)}{\sigma(x_i)} + y_{b,i}")
st.caption(t("style.arch.groups"))

# --- Style mixing --------------------------------------------------------------------------------------
st.header(t("style.mixing"))
st.markdown(t("style.mixing.text"))
query_int("a", 0, MAX_SEED, 0)
query_int("b", 0, MAX_SEED, 100)
c1, c2, _ = st.columns([1, 1, 2])
first_a = int(c1.number_input(t("style.seed_a"), 0, MAX_SEED, key="a", help=t("seed.help")))
first_b = int(c2.number_input(t("style.seed_b"), 0, MAX_SEED, key="b", help=t("seed.help")))
groups_url = [g for g in st.query_params.get("layers", "coarse").split(",") if g in STYLE_GROUPS]
if "layers" not in st.session_state:
    st.session_state.layers = groups_url
groups = st.segmented_control(t("style.layers"), list(STYLE_GROUPS), selection_mode="multi", key="layers",
                              format_func=lambda g: t(f"style.group.{g}"))
st.query_params.update(a=str(first_a), b=str(first_b), layers=",".join(groups))
figure, follows = mixing_section(dataset, first_a, first_b, tuple(groups), model, judge)
st.image(figure, output_format="PNG", width="content",
         caption=t("style.mixing.caption", a=first_a, a_last=first_a + SHOWN - 1, b=first_b,
                   b_last=first_b + SHOWN - 1,
                   layers=", ".join(t(f"style.group.{g}") for g in groups) if groups else t("style.none")))
st.markdown(t("style.mixing.judge", a=follows["a"], b=follows["b"]) + " " + t("style.mixing.read"))

# --- Truncation ------------------------------------------------------------------------------------
st.header(t("style.trunc"))
st.markdown(t("style.trunc.text"))
query_number("psi", 0.0, 1.0, 0.7)
c1, c2, _ = st.columns([2, 1, 1])
psi = c1.slider("ψ", 0.0, 1.0, step=0.05, key="psi", help=t("style.trunc.help"))
with c2:
    seed = seed_input("seed", 0)
st.query_params["psi"] = f"{psi:g}"
st.latex(r"w' = \bar{w} + \psi\,(w - \bar{w}) \qquad\text{" + t("style.trunc.vs") + r"}\qquad z' = \psi\, z")
for kind, (png, judged) in truncation_section(dataset, seed, float(psi), model, judge).items():
    st.markdown(f"**{t(f'style.trunc.{kind}', psi=psi)}**")
    st.image(png, output_format="PNG", caption=t("style.trunc.caption", n=TRUNCATED, **judged))
st.markdown(t("style.trunc.read"))

# --- Stochastic variation ------------------------------------------------------------------------------
st.header(t("style.noise"))
st.markdown(t("style.noise.text"))
c1, c2, _ = st.columns([1, 1, 2])
with c1:
    noise_of = seed_input("w_seed", 7, "style.noise.w_seed")
with c2:
    noise_seed = seed_input("noise_seed", 0, "style.noise.seed")
png, std = noise_section(dataset, noise_of, noise_seed, model)
left, right = st.columns([3, 2])
with left:
    st.image(png, output_format="PNG", caption=t("style.noise.caption", n=NOISE_DRAWS, seed=noise_seed))
with right:
    fig = go.Figure(go.Heatmap(z=std[::-1], colorscale="Viridis", zmin=0, colorbar=dict(title="σ", thickness=12),
                               hovertemplate="σ %{z:.3f}<extra></extra>"))
    fig.update_layout(height=300, width=330, margin=dict(l=10, r=10, t=40, b=10),
                      title=t("style.noise.std", n=STD_DRAWS), xaxis=dict(visible=False),
                      yaxis=dict(visible=False, scaleanchor="x"))
    st.plotly_chart(fig, width="content", key="noise_std")
st.markdown(t("style.noise.read", share=float((std > 0.02).mean()), peak=float(np.max(std))))

# --- Progressive growing --------------------------------------------------------------------------------
st.header(t("style.progressive"))
st.markdown(t("style.progressive.text"))

quiz_section("style")
