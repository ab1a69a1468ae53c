"""The 2x2 "slanted faces" GAN: a discriminator by hand, then a one-layer GAN trained live."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ganzoo.lessons import toy
from ui import quiz_section, seed_input, t

st.title(t("toy.title"))
st.markdown(t("toy.intro"))


NEAR_HALF = 0.1  # D's mean answers this close to 1/2 on faces and on G's images: it can no longer tell them apart


def heatmaps(images, titles, height=150, gap=0.03):
    """2x2 images as a row of heatmaps, dark = 1, with each pixel's value written in. Built from
    plain dicts rather than make_subplots, which costs ~25 ms a figure here (9x more)."""
    n = len(images)
    width = (1 - gap * (n - 1)) / n
    data, layout = [], dict(height=height, margin=dict(l=0, r=0, t=28, b=0), plot_bgcolor="white", annotations=[])
    for i, (img, title) in enumerate(zip(images, titles)):
        z = np.round(np.asarray(img, dtype=float).reshape(2, 2), 4).tolist()
        ax = "" if i == 0 else str(i + 1)
        left = i * (width + gap)
        data.append(dict(type="heatmap", z=z, zmin=0, zmax=1, colorscale="Greys", showscale=False,
                         text=np.round(z, 2).tolist(), texttemplate="%{text}", hoverinfo="skip",
                         textfont=dict(size=13), xgap=2, ygap=2, xaxis="x" + ax, yaxis="y" + ax))
        layout["xaxis" + ax] = dict(domain=[left, left + width], visible=False, anchor="y" + ax)
        layout["yaxis" + ax] = dict(visible=False, autorange="reversed", scaleanchor="x" + ax, anchor="x" + ax)
        layout["annotations"].append(dict(text=title, x=left + width / 2, y=1, xref="paper", yref="paper",
                                          xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=12)))
    return go.Figure(data=data, layout=layout)


def _vec(values):
    return r"\begin{pmatrix}" + r" & ".join(f"{v:.4f}" for v in values) + r"\end{pmatrix}"


def _weights_rows(before, after=None):
    rows = []
    for key, label in (("D_weights", "D: w"), ("D_bias", "D: b"), ("G_weights", "G: v"), ("G_biases", "G: c")):
        b = np.atleast_1d(before[key])
        a = np.atleast_1d(after[key]) if after else None
        for i in range(len(b)):
            row = {t("toy.col.param"): f"{label}{i + 1 if len(b) > 1 else ''}", t("toy.col.before"): float(b[i])}
            if after:
                row[t("toy.col.after")] = float(a[i])
                row["Δ"] = float(a[i] - b[i])
            rows.append(row)
    return rows


def show(fig, key):
    st.plotly_chart(fig, width="stretch", key=key, config={"displayModeBar": False})


# --- The data ---------------------------------------------------------------------------------
st.header(t("toy.data"))
st.caption(t("toy.data.caption"))
show(heatmaps(toy.FACES, [t("toy.face", i=i + 1) for i in range(4)]), "faces")
show(heatmaps(toy.NOISE, [t("toy.noise", i=i + 1) for i in range(4)]), "noise")

# --- Part 1 -----------------------------------------------------------------------------------
st.header(t("toy.part1"))
st.markdown(t("toy.part1.text"))
score_word, face_word = t("toy.formula.score"), t("toy.verdict.face")
# Two lines: on one, the French words push the rule past the page's width at 1024 px.
st.latex(r"\text{" + score_word + r"}(x) = (+1)\,x_{\nwarrow} + (-1)\,x_{\nearrow} + (-1)\,x_{\swarrow} "
         r"+ (+1)\,x_{\searrow}")
st.latex(r"\text{" + face_word + r"} \iff \text{" + score_word + "} > 1")


def score_latex(x):
    terms = " ".join(f"{'+' if wt > 0 else '-'} {v:g}" for v, wt in zip(x, toy.HAND_WEIGHTS)).lstrip("+ ")
    score = float(toy.hand_score(x))
    verdict = r"> 1 \Rightarrow \text{" + t("toy.verdict.face") + "}" if score > toy.HAND_THRESHOLD \
        else r"\le 1 \Rightarrow \text{" + t("toy.verdict.noise") + "}"
    return f"{terms} = {score:g} {verdict}"


rows = []
for kind, images in ((t("toy.face_word"), toy.FACES), (t("toy.noise_word"), toy.NOISE)):
    for i, img in enumerate(images):
        s = float(toy.hand_score(img))
        rows.append({t("toy.col.image"): f"{kind} {i + 1}", t("toy.col.pixels"): str(img),
                     t("toy.col.score"): s, t("toy.col.verdict"):
                     t("toy.verdict.face") if s > toy.HAND_THRESHOLD else t("toy.verdict.noise")})
st.dataframe(rows, hide_index=True, width="stretch")
st.markdown(t("toy.examples"))
st.latex(score_latex(toy.FACES[0]))
st.latex(score_latex(toy.NOISE[1]))

st.subheader(t("toy.custom"))
cols = st.columns([1, 1, 2])
labels = ["toy.px.tl", "toy.px.tr", "toy.px.bl", "toy.px.br"]
custom = [cols[i % 2].slider(t(labels[i]), 0.0, 1.0, [1.0, 0.0, 0.25, 0.75][i], 0.05, key=f"px{i}")
          for i in range(4)]
with cols[2]:
    show(heatmaps([custom], [t("toy.your_image")], height=190), "custom")
st.latex(score_latex(custom))

# --- Part 2 -----------------------------------------------------------------------------------
st.header(t("toy.part2"))
st.markdown(t("toy.part2.text"))
st.latex(r"D(x) = \sigma\Big(\sum_{i=1}^4 w_i x_i + b\Big) \qquad "
         r"G(z) = \big(\sigma(v_i z + c_i)\big)_{i=1..4},\; z \sim U[0,1]")
real, fake = t("toy.formula.real"), t("toy.formula.fake")
# Long formulas break into lines (gathered) so they fit a narrow page.
st.latex(r"\begin{gathered}E_{\text{" + real + r"}} = -\ln D(x) \qquad E_{\text{" + fake + r"}} = "
         r"-\ln\big(1 - D(G(z))\big) \\ E_G = -\ln D(G(z)) \;\text{" + t("toy.or")
         + r"}\; \ln\big(1 - D(G(z))\big)\end{gathered}")
with st.expander(t("toy.gradients"), expanded=False):
    st.latex(r"\text{" + real + r": } \frac{\partial E}{\partial w_i} = -(1 - D(x))\,x_i \qquad "
             r"\frac{\partial E}{\partial b} = -(1 - D(x))")
    st.latex(r"\text{" + fake + r": } \frac{\partial E}{\partial w_i} = D(x)\,x_i \qquad "
             r"\frac{\partial E}{\partial b} = D(x)")
    st.latex(r"\begin{gathered}G: \frac{\partial E}{\partial v_i} = -(1 - D(G(z)))\,w_i\,G_i(1 - G_i)\,z \\ "
             r"\frac{\partial E}{\partial c_i} = -(1 - D(G(z)))\,w_i\,G_i(1 - G_i)\end{gathered}")
    st.info(t("toy.slide_fix"))
    st.markdown(t("toy.saturating_grad"))
    st.latex(r"\frac{\partial}{\partial v_i} \ln\big(1 - D(G(z))\big) = -D(G(z))\,w_i\,G_i(1 - G_i)\,z")

reference = st.toggle(t("toy.reference"), key="reference", help=t("toy.reference.help"))
c1, c2, c3 = st.columns(3)
c4, c5 = st.columns(2)  # the loss and data names need the width in French
with c1:
    lr = st.number_input(t("toy.lr"), 0.0001, 5.0, 0.01, 0.005, format="%.4f", key="lr", disabled=reference)
with c2:
    epochs = st.number_input(t("toy.epochs"), 1, 5000, 1000, 100, key="epochs", disabled=reference)
with c3:
    seed = seed_input("seed", 42) if not reference else st.number_input(t("seed.label"), value=42, disabled=True)
with c4:
    loss = st.selectbox(t("toy.loss"), toy.LOSSES, key="loss", disabled=reference,
                        format_func=lambda x: t("toy.loss." + x))
with c5:
    data_name = st.selectbox(t("toy.dataset"), ["course", "reference"], key="dataset", disabled=reference,
                             format_func=lambda x: t("toy.dataset." + x))
if reference:
    lr, epochs, seed, loss, data_name = (toy.REFERENCE["lr"], toy.REFERENCE["epochs"],
                                         toy.REFERENCE["seed"], toy.REFERENCE["loss"], "reference")
faces = toy.FACES if data_name == "course" else toy.REFERENCE_FACES


@st.cache_data(max_entries=64, show_spinner=False)
def run(faces, epochs, lr, seed, loss):
    h = toy.train(faces, int(epochs), float(lr), int(seed), loss)
    return h, toy.draws_faces(h.final).tolist()


SWEEP_RUNS = 64  # the sweep's default size
# Tabs that track which one is open, so only that one runs: a new seed costs no training while the
# step inspector is shown, one run in the training tab (not the sweep too), and a page switch draws
# one tab's charts, not all of them.
inspect_tab, train_tab, sweep_tab = st.tabs([t("toy.tab.inspect"), t("toy.tab.train"), t("toy.tab.sweep")],
                                            key="toy_tab", on_change="rerun")


def trained() -> tuple:
    with st.spinner(t("toy.training")):
        return run(tuple(map(tuple, faces)), epochs, lr, seed, loss)


# --- Step inspector ---
def inspect_view() -> None:
    st.markdown(t("toy.inspect.text"))
    config = (tuple(map(tuple, faces)), float(lr), int(seed), loss)
    if st.session_state.get("inspect_config") != config:
        st.session_state.inspect_config, st.session_state.inspect_steps = config, 0
    b1, b2, _ = st.columns([2, 2, 3])  # room for the French labels at 1024 px
    if b1.button(t("toy.inspect.step"), key="one_step", type="primary"):
        st.session_state.inspect_steps += 1
    if b2.button(t("toy.inspect.reset"), key="reset_steps"):
        st.session_state.inspect_steps = 0
    k = st.session_state.inspect_steps
    # Replaying k steps from the seed makes step k identical to step k of a training run.
    gan = toy.ToyGAN.init([int(seed)])
    data = np.asarray(faces, dtype=toy.DTYPE)
    zs = toy.z_sequence([int(seed)], max(k, 1))
    record = None
    for i in range(k):
        _, record = toy.step(gan, data[i % len(data)], zs[i], float(lr), loss, inspect=(i == k - 1))
    if record is None:
        st.info(t("toy.inspect.none"))
        st.dataframe(_weights_rows(gan.as_dict()), hide_index=True, width="stretch")
    else:
        st.markdown(t("toy.inspect.step_n", k=k, face=(k - 1) % len(faces) + 1, z=record.z))
        show(heatmaps([record.real, record.fake], [t("toy.inspect.real"), t("toy.inspect.fake")],
                      height=170), "inspect_images")
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("D(x)", f"{record.d_real:.4f}")
        m2.metric("D(G(z))", f"{record.d_fake:.4f}")
        m3.metric(t("toy.err.d"), f"{record.errors['d']:.4f}")
        m4.metric(t("toy.err.g"), f"{record.errors['g']:.4f}")
        d = record.d_real
        st.markdown(t("toy.inspect.d_real"))
        st.latex(r"\frac{\partial E}{\partial w} = -(1 - " + f"{d:.4f}" + r")\,x = "
                 + _vec(record.grads["w_real"]) + r"\qquad \frac{\partial E}{\partial b} = "
                 + f"{record.grads['b_real']:.4f}")
        st.markdown(t("toy.inspect.d_fake"))
        st.latex(r"\frac{\partial E}{\partial w} = " + f"{record.d_fake:.4f}" + r"\,G(z) = "
                 + _vec(record.grads["w_fake"]) + r"\qquad \frac{\partial E}{\partial b} = "
                 + f"{record.grads['b_fake']:.4f}")
        st.markdown(t("toy.inspect.g"))
        k_factor = -(1 - record.d_gen) if loss == "non-saturating" else -record.d_gen
        st.latex(r"\frac{\partial E}{\partial v_i} = " + f"({k_factor:.4f})" + r"\,w_i\,G_i(1 - G_i)\cdot "
                 + f"{record.z:.4f} = " + _vec(record.grads["v"]) + r"\qquad \frac{\partial E}{\partial c} = "
                 + _vec(record.grads["c"]))
        diff = record.max_difference
        (st.success if diff < 1e-10 else st.error)(t("toy.inspect.autograd", diff=diff))
        st.markdown(t("toy.inspect.weights"))
        st.dataframe(_weights_rows(record.before, record.after), hide_index=True, width="stretch")

# --- Live training ---
def train_view() -> None:
    history, faces_ok = trained()
    steps = np.arange(1, history.d_error.shape[0] + 1)
    fig = go.Figure()
    fig.add_scatter(x=steps, y=history.g_error[:, 0], name=t("toy.err.g"), line=dict(color="#c0663a", width=1))
    fig.add_scatter(x=steps, y=history.d_error[:, 0], name=t("toy.err.d"), line=dict(color="#3b6e8f", width=1))
    fig.update_layout(height=300, xaxis_title=t("toy.axis.step"), yaxis_title=t("toy.axis.error"),
                      margin=dict(l=10, r=10, t=30, b=10), title=t("toy.curves.errors"),
                      legend=dict(orientation="h", y=1.1, x=1, xanchor="right"))
    st.plotly_chart(fig, width="stretch", key="errors")
    ep = np.arange(1, history.d_on_real.shape[0] + 1)
    fig = make_subplots(rows=1, cols=2, subplot_titles=(t("toy.curves.d"), t("toy.curves.value")),
                        horizontal_spacing=0.1)
    fig.add_scatter(x=ep, y=history.d_on_real[:, 0], name=t("toy.curves.d_real"), line=dict(color="#3b6e8f"),
                    row=1, col=1)
    fig.add_scatter(x=ep, y=history.d_on_fake[:, 0], name=t("toy.curves.d_fake"), line=dict(color="#c0663a"),
                    row=1, col=1)
    fig.add_hline(y=0.5, line_dash="dot", line_color="grey", annotation_text="1/2", row=1, col=1)
    fig.add_scatter(x=ep, y=history.value[:, 0], name="V(D, G)", line=dict(color="#6b4c9a"), row=1, col=2)
    fig.add_hline(y=-np.log(4), line_dash="dot", line_color="grey", annotation_text="−log 4", row=1, col=2)
    fig.update_yaxes(range=[0, 1], row=1, col=1)
    fig.update_xaxes(title_text=t("toy.axis.epoch"))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.3, x=0))
    st.plotly_chart(fig, width="stretch", key="d_outputs")
    d_real, d_fake = float(history.d_on_real[-1, 0]), float(history.d_on_fake[-1, 0])
    near = abs(d_real - 0.5) < NEAR_HALF and abs(d_fake - 0.5) < NEAR_HALF
    st.caption(t("toy.curves.equilibrium", d_real=d_real, d_fake=d_fake, v=float(history.value[-1, 0])) + " " +
               t("toy.curves.near" if near else "toy.curves.far"))
    st.subheader(t("toy.snapshots"))
    idx = st.select_slider(t("toy.snapshot.epoch"), options=list(range(len(history.snapshot_epochs))),
                           value=len(history.snapshot_epochs) - 1, key="snapshot",
                           format_func=lambda i: str(history.snapshot_epochs[i]))
    images = history.snapshots[idx, 0]
    show(heatmaps(images, [f"z = {z:.2f}" for z in toy.SNAPSHOT_Z], height=170), "snapshot_images")
    scores = toy.hand_score(images)
    st.caption(t("toy.snapshot.scores", scores=", ".join(f"{s:.2f}" for s in scores)))
    (st.success if faces_ok[0] else st.warning)(t("toy.faces_ok" if faces_ok[0] else "toy.faces_not"))
    st.subheader(t("toy.final"))
    final = history.final.as_dict()
    st.dataframe(_weights_rows(final), hide_index=True, width="stretch")

# --- Seed sweep ---
SWEEP_STORE_MAX = 100_000  # runs remembered per setting (a few hundred bytes each)


@st.cache_resource(max_entries=16, show_spinner=False)
def sweep_store(faces, epochs, lr, loss) -> dict:
    """Every sweep run trained with these settings, by seed, shared by all sessions: a seed moved
    by one, or a few runs added, trains only the new runs (toy.sweep)."""
    return {}


def sweep_view() -> None:
    st.markdown(t("toy.sweep.text"))
    if "runs" not in st.session_state:  # a widget forgets its value while its tab is closed
        st.session_state["runs"] = st.session_state.get("sweep_runs", SWEEP_RUNS)
    runs = st.session_state["sweep_runs"] = st.slider(t("toy.sweep.runs"), 2, 256, key="runs")
    known = sweep_store(tuple(map(tuple, faces)), int(epochs), float(lr), loss)
    if len(known) > SWEEP_STORE_MAX:
        known.clear()
    with st.spinner(t("toy.training")):
        sweep = toy.sweep(faces, int(epochs), float(lr), int(seed), loss, runs, known=known)
    ok = sweep.faces_ok
    count = int(ok.sum())
    st.metric(t("toy.sweep.count"), f"{count} / {runs}")
    last_d, last_g = sweep.d_error, sweep.g_error
    fig = go.Figure()
    fig.add_box(y=last_d, name=t("toy.err.d"), boxpoints="all", jitter=0.4, marker_color="#3b6e8f")
    fig.add_box(y=last_g, name=t("toy.err.g"), boxpoints="all", jitter=0.4, marker_color="#c0663a")
    fig.update_layout(height=320, yaxis_title=t("toy.sweep.final_error"), margin=dict(l=10, r=10, t=30, b=10),
                      showlegend=False, title=t("toy.sweep.spread", seed=seed, last=seed + runs - 1))
    st.plotly_chart(fig, width="stretch", key="sweep_box")
    shown = min(runs, 8)
    mid = sweep.middle[:shown]  # G(1/3) of the first runs
    show(heatmaps(mid, [f"{t('seed.label')} {seed + r}" + (" ✓" if ok[r] else " ✗") for r in range(shown)],
                  height=150), "sweep_images")

for tab, view in ((inspect_tab, inspect_view), (train_tab, train_view), (sweep_tab, sweep_view)):
    if tab.open is not False:  # None when tabs cannot track state (every tab runs then)
        with tab:
            view()

quiz_section("toy")
