"""Training lab: watch a GAN learn a 2D distribution, and see its failure modes happen."""

import time

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ganzoo.io.images import gif_bytes, png_bytes
from ganzoo.lessons import lab, lab_players
from ganzoo.runtime import limits
from ganzoo.runtime.i18n import VisitorError
from ui import lang, query_choice, query_number, quiz_section, seed_input, stop, t

TICK_SECONDS = 0.5  # the live view refreshes twice a second while training runs

st.title(t("lab.title"))
st.markdown(t("lab.intro"))

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


def start_play():
    """Play runs for a bounded number of steps and seconds (ganzoo.runtime.limits), then pauses by itself:
    a forgotten tab must not keep a shared server's cores busy."""
    st.session_state.lab_playing = True
    st.session_state.lab_autopaused = None
    st.session_state.lab_play_from = (st.session_state.lab_run.step if "lab_run" in st.session_state else 0,
                                      time.monotonic())


def apply_preset():
    name = st.session_state.preset
    if name == "none":
        return
    for key, value in lab.preset_config(name, st.session_state.get("seed", 0)).as_dict().items():
        if key not in ("custom", "seed", "batch_size"):
            st.session_state[key] = value
    start_play()


if "lab_run" not in st.session_state and st.session_state.preset != "none" \
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
                            disabled=loss not in ("saturating", "non-saturating"))

custom = st.session_state.setdefault("lab_custom", [])
if target == "custom":
    st.markdown(t("lab.custom.text"))
    u1, u2 = st.columns([2, 1])
    upload = u1.file_uploader(t("lab.custom.csv"), type=["csv", "txt"], key="points_csv")
    if upload is not None and st.session_state.get("_points_file") != upload.file_id:
        try:
            st.session_state.lab_custom = custom = lab.parse_points_csv(
                upload.getvalue().decode("utf-8", "replace")
            ).tolist()
            st.session_state._points_file = upload.file_id
        except VisitorError as exc:
            st.error(t("lab.custom.bad", error=exc.text(lang())))
    if u2.button(t("lab.custom.clear"), key="clear_points"):
        st.session_state.lab_custom = custom = []
    # Each consumed selection retires the chart's key: a fresh chart starts with nothing selected,
    # so the next click adds a point instead of first clearing the previous selection.
    version = st.session_state.setdefault("canvas_version", 0)
    pending = st.session_state.get(f"canvas_{version}")
    chosen = [(p["x"], p["y"]) for p in (pending.selection.points if pending else []) if p.get("curve_number") == 0]
    if chosen:
        st.session_state.lab_custom = custom = sorted(set(map(tuple, custom)) | set(chosen))
        version = st.session_state.canvas_version = version + 1
    axis = np.linspace(-4, 4, 33)
    gx, gy = np.meshgrid(axis, axis)
    canvas = go.Figure(go.Scatter(x=gx.ravel(), y=gy.ravel(), mode="markers", marker=dict(size=7, color="#e3e7ea"),
                                  hoverinfo="x+y", name=""))
    if custom:
        pts = np.asarray(custom)
        canvas.add_scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", marker=dict(size=9, color="#3b6e8f"), name="")
    canvas.update_layout(height=380, width=380, showlegend=False, margin=dict(l=0, r=0, t=0, b=0),
                         # Fixed axes: a click selects the point under it (Streamlit turns click-selection
                         # off while the box tool is active, so the box is the toolbar's second mode).
                         xaxis=dict(range=[-4.5, 4.5], fixedrange=True),
                         yaxis=dict(range=[-4.5, 4.5], scaleanchor="x", fixedrange=True))
    st.plotly_chart(canvas, key=f"canvas_{version}", on_select="rerun", selection_mode=("points", "box"),
                    width="content")
    st.caption(t("lab.custom.count", n=len(custom)))
    if len(custom) < 2:
        st.warning(t("lab.custom.need"))
        stop("lab")

config = lab.LabConfig(
    target=target,
    loss=loss,
    noise=noise,
    g_optimizer=g_opt,
    d_optimizer=d_opt,
    g_lr=float(g_lr),
    d_lr=float(d_lr),
    d_steps=int(d_steps),
    smoothing=float(smoothing),
    g_hidden=int(g_hidden),
    d_hidden=int(d_hidden),
    seed=int(seed),
    custom=[list(p) for p in custom] if target == "custom" else [],
)
st.query_params.update(preset=st.session_state.preset, target=target, loss=loss,
                       **{key: str(st.session_state[key]) for key in URL_SETTINGS})

run = st.session_state.get("lab_run")
if run is None or run.config != config:
    run = st.session_state.lab_run = lab.LabRun(config)  # any setting change starts a fresh run

# --- Controls ----------------------------------------------------------------------------------
st.session_state.setdefault("lab_playing", False)


def toggle_play():
    if st.session_state.lab_playing:
        st.session_state.lab_playing = False
    else:
        start_play()


def advance(steps, only=None):
    st.session_state.lab_run.train(steps, only=only)


def reset():
    st.session_state.lab_run = lab.LabRun(st.session_state.lab_run.config)
    st.session_state.lab_playing = False


b = st.columns(3) + st.columns(3)  # two rows of three: French labels fit at 1024 px
b[0].button(t("lab.pause") if st.session_state.lab_playing else t("lab.play"), key="play", type="primary",
            on_click=toggle_play, width="stretch")
b[1].button(t("lab.step"), key="step_both", on_click=advance, args=(1,), width="stretch")
b[2].button(t("lab.train100"), key="train100", on_click=advance, args=(100,), width="stretch")
b[3].button(t("lab.step_d"), key="step_d", on_click=advance, args=(1, "D"), width="stretch")
b[4].button(t("lab.step_g"), key="step_g", on_click=advance, args=(1, "G"), width="stretch")
b[5].button(t("lab.reset"), key="reset", on_click=reset, width="stretch")
run = st.session_state.lab_run


SHOWN_POINTS = 300


def plane_figure(run: lab.LabRun, fake=None, arrows=True):
    axis, surface = run.d_surface()
    fig = go.Figure(go.Heatmap(x=axis, y=axis, z=surface, colorscale="RdBu", opacity=0.55, showscale=True,
                               colorbar=dict(title="D", len=0.8), hoverinfo="skip"))
    # 300 points a side draw the distributions as clearly as the 600 + 512 shown before; each point is
    # an SVG path the browser lays out again on every switch and live step.
    real = run.eval_real[:SHOWN_POINTS]
    fig.add_scatter(x=real[:, 0], y=real[:, 1], mode="markers", name=t("lab.real"),
                    marker=dict(size=4, color="#1f4e6e"))
    fake = (run.fake_points() if fake is None else fake)[:SHOWN_POINTS]
    fig.add_scatter(x=fake[:, 0], y=fake[:, 1], mode="markers", name=t("lab.fake"),
                    marker=dict(size=4, color="#d9622b"))
    if arrows:
        pts, grad = run.generator_arrows()
        norm = np.linalg.norm(grad, axis=1, keepdims=True)
        scale = 0.5 / max(float(norm.max()), 1e-12)
        ends = pts + grad * scale
        xs = np.column_stack([pts[:, 0], ends[:, 0], np.full(len(pts), np.nan)]).ravel()
        ys = np.column_stack([pts[:, 1], ends[:, 1], np.full(len(pts), np.nan)]).ravel()
        fig.add_scatter(x=xs, y=ys, mode="lines", name=t("lab.arrows"), line=dict(color="#222", width=1))
    fig.update_layout(height=520, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h", y=-0.05),
                      # constrain="domain": a square plane shrinks its box instead of widening an axis.
                      xaxis=dict(range=[-lab.EXTENT, lab.EXTENT], constrain="domain"),
                      yaxis=dict(range=[-lab.EXTENT, lab.EXTENT], scaleanchor="x", constrain="domain"))
    return fig


def curves_figure(run: lab.LabRun):
    h, m = run.history, run.metrics
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=(t("lab.curves.losses"), t("lab.curves.coverage")),
                        specs=[[{}], [{"secondary_y": True}]])
    fig.add_scatter(x=h["step"], y=h["loss_d"], name=t("lab.loss_d"), line=dict(color="#3b6e8f", width=1), row=1, col=1)
    fig.add_scatter(x=h["step"], y=h["loss_g"], name=t("lab.loss_g"), line=dict(color="#c0663a", width=1), row=1, col=1)
    fig.add_scatter(x=m["step"], y=m["kl"], name=t("lab.kl"), line=dict(color="#6b4c9a"), row=2, col=1)
    centers = lab.mode_centers(run.config.target)
    if centers is not None:
        fig.add_scatter(x=m["step"], y=m["modes"], name=t("lab.modes"), line=dict(color="#2e8b57", dash="dot"),
                        row=2, col=1, secondary_y=True)
        fig.update_yaxes(range=[0, len(centers) + 0.5], dtick=2 if len(centers) > 10 else 1, row=2, col=1,
                         secondary_y=True, title_text=t("lab.modes"))
    fig.update_yaxes(rangemode="tozero", row=2, col=1, secondary_y=False, title_text="KL")
    fig.update_layout(height=520, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.08))
    return fig


CROSS_ENTROPY = ("saturating", "non-saturating")


def equilibrium_figure(run: lab.LabRun):
    """D's mean probability on real and on generated points, with the 1/2 of the equilibrium, and
    V(D, G) with its optimum -log 4."""
    m = run.metrics
    fig = make_subplots(rows=1, cols=2, subplot_titles=(t("lab.eq.d_title"), t("lab.eq.v_title")),
                        horizontal_spacing=0.1)
    fig.add_scatter(x=m["step"], y=m["d_real"], name=t("lab.eq.d_real"), line=dict(color="#3b6e8f"), row=1, col=1)
    fig.add_scatter(x=m["step"], y=m["d_fake"], name=t("lab.eq.d_fake"), line=dict(color="#c0663a"), row=1, col=1)
    fig.add_scatter(x=m["step"], y=m["d_spread"], name=t("lab.eq.d_spread"), line=dict(color="#2e8b57", dash="dot"),
                    row=1, col=1)
    fig.add_hline(y=0.5, line=dict(color="#444", dash="dash"), annotation_text="1/2", row=1, col=1)
    fig.add_scatter(x=m["step"], y=m["value"], name="V(D, G)", line=dict(color="#6b4c9a"), row=1, col=2)
    fig.add_hline(y=-np.log(4), line=dict(color="#444", dash="dash"), annotation_text="−log 4", row=1, col=2)
    fig.update_yaxes(range=[0, 1], row=1, col=1)
    fig.update_xaxes(title_text=t("lab.eq.step"))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.25))
    return fig


def live_figures(run: lab.LabRun) -> tuple:
    """The plane, the curves and (for the cross-entropy losses) the equilibrium, for the run as it
    stands: kept in the session until the run takes a step or the language changes, so coming back
    to the page, or a click outside the live view, rebuilds none of them (about 0.3 s of D's surface,
    G's arrows and plotly figures). The curves and the equilibrium (55 of the 65 ms CPU) are rebuilt
    when metrics are recorded, less often when many players share the process (lab_players)."""
    kept = st.session_state.get("lab_figures")
    summary = (len(run.metrics["step"]) // lab_players.summary_stride(lab_players.PLAYERS.active()), lang())
    if kept is None or kept[0] is not run or kept[1] != (run.step, lang()):
        if kept is None or kept[0] is not run or kept[2] != summary:
            equilibrium = equilibrium_figure(run) if run.config.loss in CROSS_ENTROPY else None
            summaries = (curves_figure(run), equilibrium)
        else:
            summaries = kept[4:]
        kept = st.session_state.lab_figures = (run, (run.step, lang()), summary, plane_figure(run), *summaries)
    return kept[3:]


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


def play_limit_reached(run) -> str | None:
    first_step, last_click = st.session_state.get("lab_play_from", (0, time.monotonic()))
    stop = limits.autoplay_stop(st.session_state.preset, run.step - first_step, time.monotonic() - last_click)
    if stop is None:
        return None
    kind, amount = stop
    return t("lab.autopaused.steps", steps=amount) if kind == "steps" else t("lab.autopaused.idle", seconds=amount)


def live_view():
    run = st.session_state.lab_run
    with lab_players.turn(st.session_state.lab_playing):  # one playing view at a time in this process
        if st.session_state.lab_playing:
            lab_players.play_tick(run, id(run))  # trains for this tick's share of the process among the players
            reason = play_limit_reached(run)
            if reason:
                st.session_state.lab_playing = False
                st.session_state.lab_autopaused = reason
                st.rerun()  # the whole page: the button reads Play again and the timer stops
        plane, curves, equilibrium = live_figures(run)
    left, right = st.columns([1, 1])
    left.plotly_chart(plane, key="plane")
    right.plotly_chart(curves, key="curves")
    m = run.metrics
    covered = f"{m['modes'][-1]} / {len(lab.mode_centers(run.config.target))}" \
        if lab.mode_centers(run.config.target) is not None else "–"
    k = st.columns(4)
    k[0].metric(t("lab.steps_done"), run.step)
    k[1].metric(t("lab.modes"), covered)
    k[2].metric(t("lab.kl.short"), f"{m['kl'][-1]:.2f}", help=t("lab.kl"))
    k[3].metric(t("lab.grad_g"), f"{run.history['grad_g'][-1]:.1e}" if run.history["grad_g"] else "–")
    equilibrium_view(run, equilibrium)


if st.session_state.lab_playing and "lab_play_from" in st.session_state:
    # A full rerun is a visitor's click (the live view's timer reruns only its fragment): the idle
    # clock starts again, the step budget does not.
    st.session_state.lab_play_from = (st.session_state.lab_play_from[0], time.monotonic())
if st.session_state.get("lab_autopaused") and not st.session_state.lab_playing:
    st.info(st.session_state.lab_autopaused)
st.fragment(live_view, run_every=TICK_SECONDS if st.session_state.lab_playing else None)()

# --- Timeline and export --------------------------------------------------------------------------
if not st.session_state.lab_playing and len(run.snapshots) > 1:
    st.subheader(t("lab.timeline"))
    last = len(run.snapshots) - 1
    st.session_state.timeline = min(st.session_state.get("timeline", last), last)  # a reset shortens it
    i = st.slider(t("lab.timeline.step"), 0, last, key="timeline")
    step, points = run.snapshots[i]
    st.caption(t("lab.timeline.caption", step=step, kl=run.metrics["kl"][i]))
    st.image(lab.render_points(run.eval_real[:1500], points.astype(np.float32)), width=360, output_format="PNG")
    e = st.columns(3)
    # Exports are built only when clicked.
    e[0].download_button(
        t("lab.export.png"),
        lambda: png_bytes(lab.render_points(run.eval_real[:1500], run.fake_points())),
        "gan_lab.png",
        "image/png",
        key="export_png",
    )
    e[1].download_button(t("lab.export.csv"), lambda: lab.history_csv(run), "gan_lab.csv", "text/csv", key="export_csv")
    e[2].download_button(
        t("lab.export.gif"),
        lambda: gif_bytes(
            [
                lab.render_points(run.eval_real[:800], p.astype(np.float32), 240)
                for _, p in run.snapshots[:: max(1, len(run.snapshots) // 60)]
            ],
            80,
        ),
        "gan_lab.gif",
        "image/gif",
        key="export_gif",
    )

quiz_section("lab")
