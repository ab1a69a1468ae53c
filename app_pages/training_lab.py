"""Training lab: watch a GAN learn a 2D distribution, and see its failure modes happen."""

import numpy as np
import streamlit as st

import app_figures as figures
from ganzoo.lessons import lab, lab_browser, lab_players
from ganzoo.lessons.lab_session import TICK_SECONDS, LabSession
from ganzoo.runtime.i18n import VisitorError
from ui import lang, query_choice, query_number, quiz_section, seed_input, stop, t
from ui.lab_live import lab_live

st.title(t("lab.title"))
st.markdown(t("lab.intro"))
session: LabSession = st.session_state.setdefault("lab_session", LabSession())

# --- Settings (all in the URL) -------------------------------------------------------------------
PRESET_NAMES = ["none"] + list(lab.PRESETS)
query_choice("preset", PRESET_NAMES, "none")
query_choice("target", list(lab.TARGETS), "ring8")
query_choice("loss", list(lab.LOSSES), "non-saturating")
defaults = lab.LabConfig()
HIDDEN = [8, 16, 32, 64, 128]
URL_SETTINGS = ("noise", "g_optimizer", "d_optimizer", "g_lr", "d_lr", "d_steps", "smoothing", "g_hidden", "d_hidden")
query_choice("noise", list(lab.NOISES), defaults.noise)
query_choice("g_optimizer", list(lab.OPTIMIZERS), defaults.g_optimizer)
query_choice("d_optimizer", list(lab.OPTIMIZERS), defaults.d_optimizer)
query_number("g_lr", 1e-5, 1.0, defaults.g_lr)
query_number("d_lr", 1e-5, 1.0, defaults.d_lr)
query_choice("d_steps", list(range(1, 11)), defaults.d_steps)
query_number("smoothing", 0.7, 1.0, defaults.smoothing)
query_choice("g_hidden", HIDDEN, defaults.g_hidden)
query_choice("d_hidden", HIDDEN, defaults.d_hidden)


def apply_preset():
    name = st.session_state.preset
    if name == "none":
        return
    for key, value in lab.preset_config(name, st.session_state.get("seed", 0)).as_dict().items():
        if key not in ("custom", "seed", "batch_size"):
            st.session_state[key] = value
    session.start_play()


if session.run is None and st.session_state.preset != "none" \
        and not any(key in st.query_params for key in URL_SETTINGS):
    apply_preset()  # a shared link to a preset opens it ready to play

p1, p2 = st.columns([2, 3])
p1.selectbox(t("lab.preset"), PRESET_NAMES, key="preset", on_change=apply_preset,
             format_func=lambda p: t("lab.preset." + p))
if st.session_state.preset != "none":
    p2.info(t("lab.story." + st.session_state.preset))

with st.expander(t("lab.settings"), expanded=st.session_state.preset == "none"):
    # Two columns, the generator's settings left and the critic's right: they fit at 1024 px in French.
    c = st.columns(2)
    target = c[0].selectbox(t("lab.target"), lab.TARGETS, key="target", format_func=lambda x: t("lab.target." + x))
    loss = c[1].selectbox(t("lab.loss"), lab.LOSSES, key="loss", format_func=lambda x: t("lab.loss." + x))
    noise = c[0].selectbox(t("lab.noise"), lab.NOISES, key="noise", format_func=lambda x: t("lab.noise." + x))
    with c[1]:
        seed = seed_input("seed", 0)
    g_opt = c[0].selectbox(t("lab.g_opt"), lab.OPTIMIZERS, key="g_optimizer")
    d_opt = c[1].selectbox(t("lab.d_opt"), lab.OPTIMIZERS, key="d_optimizer")
    g_lr = c[0].number_input(t("lab.g_lr"), 1e-5, 1.0, format="%.5f", key="g_lr")
    d_lr = c[1].number_input(t("lab.d_lr"), 1e-5, 1.0, format="%.5f", key="d_lr")
    g_hidden = c[0].select_slider(t("lab.g_hidden"), HIDDEN, key="g_hidden")
    d_hidden = c[1].select_slider(t("lab.d_hidden"), HIDDEN, key="d_hidden")
    d_steps = c[0].number_input(t("lab.d_steps"), 1, 10, key="d_steps", help=t("lab.d_steps.help"))
    smoothing = c[1].slider(t("lab.smoothing"), 0.7, 1.0, step=0.05, key="smoothing",
                            disabled=loss not in lab.CROSS_ENTROPY)

if target == "custom":
    st.markdown(t("lab.custom.text"))
    u1, u2 = st.columns([2, 1])
    upload = u1.file_uploader(t("lab.custom.csv"), type=["csv", "txt"], key="points_csv")
    if upload is not None and session.points_file != upload.file_id:
        try:
            session.read_points_file(upload.getvalue().decode("utf-8", "replace"), upload.file_id)
        except VisitorError as exc:
            st.error(t("lab.custom.bad", error=exc.text(lang())))
    if u2.button(t("lab.custom.clear"), key="clear_points"):
        session.clear_points()
    pending = st.session_state.get(f"canvas_{session.canvas_version}")
    chosen = [(p["x"], p["y"]) for p in (pending.selection.points if pending else []) if p.get("curve_number") == 0]
    if chosen:
        session.add_points(chosen)
    st.plotly_chart(figures.lab_canvas(session.custom), key=f"canvas_{session.canvas_version}", on_select="rerun",
                    selection_mode=("points", "box"), width="content")
    st.caption(t("lab.custom.count", n=len(session.custom)))
    if len(session.custom) < 2:
        st.warning(t("lab.custom.need"))
        stop("lab")

config = lab.LabConfig(target=target, loss=loss, noise=noise, g_optimizer=g_opt, d_optimizer=d_opt, g_lr=float(g_lr),
                       d_lr=float(d_lr), d_steps=int(d_steps), smoothing=float(smoothing), g_hidden=int(g_hidden),
                       d_hidden=int(d_hidden), seed=int(seed),
                       custom=[list(p) for p in session.custom] if target == "custom" else [])
st.query_params.update(preset=st.session_state.preset, target=target, loss=loss,
                       **{key: str(st.session_state[key]) for key in URL_SETTINGS})
session.use_config(config)  # any setting change starts a fresh run

# --- Controls ----------------------------------------------------------------------------------
b = st.columns(3) + st.columns(3)  # two rows of three: French labels fit at 1024 px
in_browser = session.playing and session.in_browser  # the browser holds the run: Pause is in its view
b[0].button(t("lab.browser.stop") if in_browser else t("lab.pause") if session.playing else t("lab.play"),
            key="play", type="secondary" if in_browser else "primary", on_click=session.toggle_play, width="stretch")
for slot, (label, key, args) in zip(b[1:5], (("lab.step", "step_both", (1,)), ("lab.train100", "train100", (100,)),
                                             ("lab.step_d", "step_d", (1, "D")), ("lab.step_g", "step_g", (1, "G")))):
    slot.button(t(label), key=key, on_click=session.advance, args=args, width="stretch", disabled=in_browser)
b[5].button(t("lab.reset"), key="reset", on_click=session.reset, width="stretch")


def draw_plane(run: lab.LabRun):
    return figures.lab_plane(run, lang(), lab.EXTENT)


def draw_summaries(run: lab.LabRun) -> tuple:
    """The curves and (for the cross-entropy losses) the equilibrium: the slow figures."""
    centers = lab.mode_centers(run.config.target)
    modes = None if centers is None else len(centers)
    equilibrium = figures.lab_equilibrium(run, lang()) if run.config.loss in lab.CROSS_ENTROPY else None
    return figures.lab_curves(run, lang(), modes), equilibrium


def equilibrium_view(run: lab.LabRun, figure):
    st.subheader(t("lab.eq.title"))
    if figure is None:
        st.caption(t("lab.eq.not_cross_entropy"))
        return
    st.plotly_chart(figure, key="equilibrium")
    m = run.metrics
    values = dict(d_real=m["d_real"][-1], d_fake=m["d_fake"][-1], spread=m["d_spread"][-1], v=m["value"][-1],
                  kl=m["kl"][-1], optimum=-np.log(4))
    if lab.at_equilibrium(run):
        st.success(t("lab.eq.reached", **values))
    else:
        st.caption(t("lab.eq.not_yet", **values))


def autopaused_text(reason: tuple[str, int]) -> str:
    kind, amount = reason
    return t("lab.autopaused.steps", steps=amount) if kind == "steps" else t("lab.autopaused.idle", seconds=amount)


def live_view():
    with lab_players.turn(session.playing):  # one playing view at a time in this process, in turn
        if session.playing and session.play_tick(st.session_state.preset):
            st.rerun()  # Play paused itself: the whole page, so the button reads Play again and the timer stops
        stride = lab_players.summary_stride(lab_players.PLAYERS.active())
        plane, curves, equilibrium = session.live_figures(lang(), draw_plane, draw_summaries, stride)
    run = session.run
    left, right = st.columns([1, 1])
    left.plotly_chart(plane, key="plane")
    right.plotly_chart(curves, key="curves")
    m, centers = run.metrics, lab.mode_centers(run.config.target)
    k = st.columns(4)
    k[0].metric(t("lab.steps_done"), run.step)
    k[1].metric(t("lab.modes"), f"{m['modes'][-1]} / {len(centers)}" if centers is not None else "–")
    k[2].metric(t("lab.kl.short"), f"{m['kl'][-1]:.2f}", help=t("lab.kl"))
    k[3].metric(t("lab.grad_g"), f"{run.history['grad_g'][-1]:.1e}" if run.history["grad_g"] else "–")
    equilibrium_view(run, equilibrium)


def live_in_browser():
    """Play trained in the visitor's browser (lab_players.plays_on_server): handed over, taken back on Pause."""
    run, preset = session.run, st.session_state.preset
    centers = lab.mode_centers(run.config.target)
    curves = figures.lab_curves(run, lang(), None if centers is None else len(centers))
    returned = lab_live(session.browser_token(preset), lab_browser.run_state(run), draw_plane(run), curves,
                        session.browser_budget(preset), seed=run.config.seed)
    if session.adopt_from_browser(returned, preset):
        st.rerun()  # the whole page, paused, with the run the browser trained (or the refusal's message)


session.visitor_clicked()
if session.autopaused and not session.playing:
    st.info(autopaused_text(session.autopaused))
if session.refused is not None:
    st.error(session.refused.text(lang()))
    session.refused = None
live_in_browser() if in_browser else st.fragment(live_view, run_every=TICK_SECONDS if session.playing else None)()

# --- Timeline and export --------------------------------------------------------------------------
run = session.run
if not session.playing and len(run.snapshots) > 1:
    st.subheader(t("lab.timeline"))
    last = len(run.snapshots) - 1
    st.session_state.timeline = min(st.session_state.get("timeline", last), last)  # a reset shortens it
    i = st.slider(t("lab.timeline.step"), 0, last, key="timeline")
    step, points = run.snapshots[i]
    st.caption(t("lab.timeline.caption", step=step, kl=run.metrics["kl"][i]))
    st.image(lab.render_points(run.eval_real[:1500], points.astype(np.float32)), width=360, output_format="PNG")
    e = st.columns(3)  # exports are built only when clicked
    e[0].download_button(t("lab.export.png"), lambda: lab.png_export(run), "gan_lab.png", "image/png", key="export_png")
    e[1].download_button(t("lab.export.csv"), lambda: lab.history_csv(run), "gan_lab.csv", "text/csv", key="export_csv")
    e[2].download_button(t("lab.export.gif"), lambda: lab.gif_export(run), "gan_lab.gif", "image/gif", key="export_gif")

quiz_section("lab")
