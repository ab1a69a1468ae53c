"""The 2x2 "slanted faces" GAN: a discriminator by hand, then a one-layer GAN trained live."""

import streamlit as st

import app_figures as figures
from ganzoo.lessons import toy, toy_text
from ui import lang, quiz_section, seed_input, t

st.title(t("toy.title"))
st.markdown(t("toy.intro"))


def show(fig, key):
    st.plotly_chart(fig, width="stretch", key=key, config={"displayModeBar": False})


# --- The data ---------------------------------------------------------------------------------
st.header(t("toy.data"))
st.caption(t("toy.data.caption"))
show(figures.toy_heatmaps(toy.FACES, [t("toy.face", i=i + 1) for i in range(4)]), "faces")
show(figures.toy_heatmaps(toy.NOISE, [t("toy.noise", i=i + 1) for i in range(4)]), "noise")

# --- Part 1 -----------------------------------------------------------------------------------
st.header(t("toy.part1"))
st.markdown(t("toy.part1.text"))
for formula in toy_text.rule_latex(lang()):
    st.latex(formula)
st.dataframe(toy_text.hand_rows(lang()), hide_index=True, width="stretch")
st.markdown(t("toy.examples"))
st.latex(toy_text.score_latex(toy.FACES[0], lang()))
st.latex(toy_text.score_latex(toy.NOISE[1], lang()))

st.subheader(t("toy.custom"))
cols = st.columns([1, 1, 2])
labels = ["toy.px.tl", "toy.px.tr", "toy.px.bl", "toy.px.br"]
custom = [cols[i % 2].slider(t(labels[i]), 0.0, 1.0, [1.0, 0.0, 0.25, 0.75][i], 0.05, key=f"px{i}")
          for i in range(4)]
with cols[2]:
    show(figures.toy_heatmaps([custom], [t("toy.your_image")], height=190), "custom")
st.latex(toy_text.score_latex(custom, lang()))

# --- Part 2 -----------------------------------------------------------------------------------
st.header(t("toy.part2"))
st.markdown(t("toy.part2.text"))
for formula in toy_text.model_latex(lang()):
    st.latex(formula)
with st.expander(t("toy.gradients"), expanded=False):
    for formula in toy_text.gradient_latex(lang()):
        st.latex(formula)
    st.info(t("toy.slide_fix"))
    st.markdown(t("toy.saturating_grad"))
    st.latex(toy_text.SATURATING_GRADIENT_LATEX)

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
    gan, record = toy.replay(faces, lr, seed, loss, k)  # step k is step k of a training run
    if record is None:
        st.info(t("toy.inspect.none"))
        st.dataframe(toy_text.weights_rows(gan.as_dict(), None, lang()), hide_index=True, width="stretch")
    else:
        st.markdown(t("toy.inspect.step_n", k=k, face=(k - 1) % len(faces) + 1, z=record.z))
        show(figures.toy_heatmaps([record.real, record.fake], [t("toy.inspect.real"), t("toy.inspect.fake")],
                                  height=170), "inspect_images")
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("D(x)", f"{record.d_real:.4f}")
        m2.metric("D(G(z))", f"{record.d_fake:.4f}")
        m3.metric(t("toy.err.d"), f"{record.errors['d']:.4f}")
        m4.metric(t("toy.err.g"), f"{record.errors['g']:.4f}")
        d_real, d_fake, g = toy_text.step_latex(record, loss)
        for key, formula in (("toy.inspect.d_real", d_real), ("toy.inspect.d_fake", d_fake), ("toy.inspect.g", g)):
            st.markdown(t(key))
            st.latex(formula)
        diff = record.max_difference
        (st.success if diff < 1e-10 else st.error)(t("toy.inspect.autograd", diff=diff))
        st.markdown(t("toy.inspect.weights"))
        st.dataframe(toy_text.weights_rows(record.before, record.after, lang()), hide_index=True,
                     width="stretch")

# --- Live training ---
def train_view() -> None:
    history, faces_ok = trained()
    st.plotly_chart(figures.toy_errors(history, lang()), width="stretch", key="errors")
    st.plotly_chart(figures.toy_d_outputs(history, lang()), width="stretch", key="d_outputs")
    reading = dict(d_real=float(history.d_on_real[-1, 0]), d_fake=float(history.d_on_fake[-1, 0]),
                   v=float(history.value[-1, 0]))
    st.caption(t("toy.curves.equilibrium", **reading) + " " +
               t("toy.curves.near" if toy.near_equilibrium(history) else "toy.curves.far"))
    st.subheader(t("toy.snapshots"))
    idx = st.select_slider(t("toy.snapshot.epoch"), options=list(range(len(history.snapshot_epochs))),
                           value=len(history.snapshot_epochs) - 1, key="snapshot",
                           format_func=lambda i: str(history.snapshot_epochs[i]))
    images = history.snapshots[idx, 0]
    show(figures.toy_heatmaps(images, [f"z = {z:.2f}" for z in toy.SNAPSHOT_Z], height=170), "snapshot_images")
    scores = toy.hand_score(images)
    st.caption(t("toy.snapshot.scores", scores=", ".join(f"{s:.2f}" for s in scores)))
    (st.success if faces_ok[0] else st.warning)(t("toy.faces_ok" if faces_ok[0] else "toy.faces_not"))
    st.subheader(t("toy.final"))
    st.dataframe(toy_text.weights_rows(history.final.as_dict(), None, lang()), hide_index=True, width="stretch")

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
    st.plotly_chart(figures.toy_sweep_spread(sweep, seed, lang()), width="stretch", key="sweep_box")
    shown = min(runs, 8)
    mid = sweep.middle[:shown]  # G(1/3) of the first runs
    titles = [f"{t('seed.label')} {seed + r}" + (" ✓" if ok[r] else " ✗") for r in range(shown)]
    show(figures.toy_heatmaps(mid, titles, height=150), "sweep_images")

for tab, view in ((inspect_tab, inspect_view), (train_tab, train_view), (sweep_tab, sweep_view)):
    if tab.open is not False:  # None when tabs cannot track state (every tab runs then)
        with tab:
            view()

quiz_section("toy")
