"""The app's plotly figures, a section per page: each function takes what its page computed (plain data,
labels already translated or the visitor's language) and returns a go.Figure. Plotly only: no streamlit, no torch."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ganzoo.runtime.i18n import tr

# --- The 2x2 slanted faces (app_pages/toy_gan.py) ------------------------------------------------
# Heatmaps of 2x2 images, the errors and D's outputs of one training run, and a seed sweep's spread.


def toy_heatmaps(images, titles, height=150, gap=0.03) -> go.Figure:
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


def toy_errors(history, lang: str) -> go.Figure:
    """D's and G's error at every step of one run (a toy.History)."""
    steps = np.arange(1, history.d_error.shape[0] + 1)
    fig = go.Figure()
    fig.add_scatter(x=steps, y=history.g_error[:, 0], name=tr("toy.err.g", lang), line=dict(color="#c0663a", width=1))
    fig.add_scatter(x=steps, y=history.d_error[:, 0], name=tr("toy.err.d", lang), line=dict(color="#3b6e8f", width=1))
    fig.update_layout(height=300, xaxis_title=tr("toy.axis.step", lang), yaxis_title=tr("toy.axis.error", lang),
                      margin=dict(l=10, r=10, t=30, b=10), title=tr("toy.curves.errors", lang),
                      legend=dict(orientation="h", y=1.1, x=1, xanchor="right"))
    return fig


def toy_d_outputs(history, lang: str) -> go.Figure:
    """Per epoch, D's mean output on the faces and on G's images beside the 1/2 of the equilibrium,
    and V(D, G) beside its optimum -log 4."""
    ep = np.arange(1, history.d_on_real.shape[0] + 1)
    fig = make_subplots(rows=1, cols=2, subplot_titles=(tr("toy.curves.d", lang), tr("toy.curves.value", lang)),
                        horizontal_spacing=0.1)
    fig.add_scatter(x=ep, y=history.d_on_real[:, 0], name=tr("toy.curves.d_real", lang), line=dict(color="#3b6e8f"),
                    row=1, col=1)
    fig.add_scatter(x=ep, y=history.d_on_fake[:, 0], name=tr("toy.curves.d_fake", lang), line=dict(color="#c0663a"),
                    row=1, col=1)
    fig.add_hline(y=0.5, line_dash="dot", line_color="grey", annotation_text="1/2", row=1, col=1)
    fig.add_scatter(x=ep, y=history.value[:, 0], name="V(D, G)", line=dict(color="#6b4c9a"), row=1, col=2)
    fig.add_hline(y=-np.log(4), line_dash="dot", line_color="grey", annotation_text="−log 4", row=1, col=2)
    fig.update_yaxes(range=[0, 1], row=1, col=1)
    fig.update_xaxes(title_text=tr("toy.axis.epoch", lang))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.3, x=0))
    return fig


def toy_sweep_spread(sweep, seed: int, lang: str) -> go.Figure:
    """The last epoch's mean errors of every run of a seed sweep (a toy.Sweep), one point a run."""
    fig = go.Figure()
    fig.add_box(y=sweep.d_error, name=tr("toy.err.d", lang), boxpoints="all", jitter=0.4, marker_color="#3b6e8f")
    fig.add_box(y=sweep.g_error, name=tr("toy.err.g", lang), boxpoints="all", jitter=0.4, marker_color="#c0663a")
    fig.update_layout(height=320, yaxis_title=tr("toy.sweep.final_error", lang), margin=dict(l=10, r=10, t=30, b=10),
                      showlegend=False,
                      title=tr("toy.sweep.spread", lang, seed=seed, last=seed + len(sweep.seeds) - 1))
    return fig


# --- The training lab (app_pages/training_lab.py) ------------------------------------------------
# The canvas to draw a target on, and the live view of a lab.LabRun: the plane, the curves, the equilibrium.

SHOWN_POINTS = 300


def lab_canvas(points) -> go.Figure:
    """The grid a visitor picks the custom target's points on (click or box), with those picked."""
    axis = np.linspace(-4, 4, 33)
    gx, gy = np.meshgrid(axis, axis)
    canvas = go.Figure(go.Scatter(x=gx.ravel(), y=gy.ravel(), mode="markers", marker=dict(size=7, color="#e3e7ea"),
                                  hoverinfo="x+y", name=""))
    if points:
        pts = np.asarray(points)
        canvas.add_scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", marker=dict(size=9, color="#3b6e8f"), name="")
    canvas.update_layout(height=380, width=380, showlegend=False, margin=dict(l=0, r=0, t=0, b=0),
                         # Fixed axes: a click selects the point under it (Streamlit turns click-selection
                         # off while the box tool is active, so the box is the toolbar's second mode).
                         xaxis=dict(range=[-4.5, 4.5], fixedrange=True),
                         yaxis=dict(range=[-4.5, 4.5], scaleanchor="x", fixedrange=True))
    return canvas


def lab_plane(run, lang: str, extent: float, arrows=True) -> go.Figure:
    """D's verdict over the plane [-extent, extent]^2, the real and the generated points, and the
    strokes along which G's loss pushes each generated point."""
    axis, surface = run.d_surface()
    fig = go.Figure(go.Heatmap(x=axis, y=axis, z=surface, colorscale="RdBu", opacity=0.55, showscale=True,
                               colorbar=dict(title="D", len=0.8), hoverinfo="skip"))
    # 300 points a side draw the distributions as clearly as the 600 + 512 shown before; each point is
    # an SVG path the browser lays out again on every switch and live step.
    real = run.eval_real[:SHOWN_POINTS]
    fig.add_scatter(x=real[:, 0], y=real[:, 1], mode="markers", name=tr("lab.real", lang),
                    marker=dict(size=4, color="#1f4e6e"))
    fake = run.fake_points()[:SHOWN_POINTS]
    fig.add_scatter(x=fake[:, 0], y=fake[:, 1], mode="markers", name=tr("lab.fake", lang),
                    marker=dict(size=4, color="#d9622b"))
    if arrows:
        pts, grad = run.generator_arrows()
        norm = np.linalg.norm(grad, axis=1, keepdims=True)
        scale = 0.5 / max(float(norm.max()), 1e-12)
        ends = pts + grad * scale
        xs = np.column_stack([pts[:, 0], ends[:, 0], np.full(len(pts), np.nan)]).ravel()
        ys = np.column_stack([pts[:, 1], ends[:, 1], np.full(len(pts), np.nan)]).ravel()
        fig.add_scatter(x=xs, y=ys, mode="lines", name=tr("lab.arrows", lang), line=dict(color="#222", width=1))
    fig.update_layout(height=520, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h", y=-0.05),
                      # constrain="domain": a square plane shrinks its box instead of widening an axis.
                      xaxis=dict(range=[-extent, extent], constrain="domain"),
                      yaxis=dict(range=[-extent, extent], scaleanchor="x", constrain="domain"))
    return fig


def lab_curves(run, lang: str, modes: int | None) -> go.Figure:
    """The losses at every step above the KL and (for a target of `modes` modes) the modes covered."""
    h, m = run.history, run.metrics
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=(tr("lab.curves.losses", lang), tr("lab.curves.coverage", lang)),
                        specs=[[{}], [{"secondary_y": True}]])
    fig.add_scatter(x=h["step"], y=h["loss_d"], name=tr("lab.loss_d", lang), line=dict(color="#3b6e8f", width=1),
                    row=1, col=1)
    fig.add_scatter(x=h["step"], y=h["loss_g"], name=tr("lab.loss_g", lang), line=dict(color="#c0663a", width=1),
                    row=1, col=1)
    fig.add_scatter(x=m["step"], y=m["kl"], name=tr("lab.kl", lang), line=dict(color="#6b4c9a"), row=2, col=1)
    if modes is not None:
        fig.add_scatter(x=m["step"], y=m["modes"], name=tr("lab.modes", lang), line=dict(color="#2e8b57", dash="dot"),
                        row=2, col=1, secondary_y=True)
        fig.update_yaxes(range=[0, modes + 0.5], dtick=2 if modes > 10 else 1, row=2, col=1,
                         secondary_y=True, title_text=tr("lab.modes", lang))
    fig.update_yaxes(rangemode="tozero", row=2, col=1, secondary_y=False, title_text="KL")
    fig.update_layout(height=520, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.08))
    return fig


def lab_equilibrium(run, lang: str) -> go.Figure:
    """D's mean probability on real and on generated points, with the 1/2 of the equilibrium, and
    V(D, G) with its optimum -log 4."""
    m = run.metrics
    fig = make_subplots(rows=1, cols=2, subplot_titles=(tr("lab.eq.d_title", lang), tr("lab.eq.v_title", lang)),
                        horizontal_spacing=0.1)
    fig.add_scatter(x=m["step"], y=m["d_real"], name=tr("lab.eq.d_real", lang), line=dict(color="#3b6e8f"),
                    row=1, col=1)
    fig.add_scatter(x=m["step"], y=m["d_fake"], name=tr("lab.eq.d_fake", lang), line=dict(color="#c0663a"),
                    row=1, col=1)
    fig.add_scatter(x=m["step"], y=m["d_spread"], name=tr("lab.eq.d_spread", lang),
                    line=dict(color="#2e8b57", dash="dot"), row=1, col=1)
    fig.add_hline(y=0.5, line=dict(color="#444", dash="dash"), annotation_text="1/2", row=1, col=1)
    fig.add_scatter(x=m["step"], y=m["value"], name="V(D, G)", line=dict(color="#6b4c9a"), row=1, col=2)
    fig.add_hline(y=-np.log(4), line=dict(color="#444", dash="dash"), annotation_text="−log 4", row=1, col=2)
    fig.update_yaxes(range=[0, 1], row=1, col=1)
    fig.update_xaxes(title_text=tr("lab.eq.step", lang))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.25))
    return fig


# --- Upsampling ----------------------------------------------------------------------------------


def overlap_maps(maps: list[tuple[str, np.ndarray]], taps_title: str) -> go.Figure:
    """(title, tap counts) side by side as heatmaps on one 0-9 scale, every count printed in its cell."""
    fig = make_subplots(rows=1, cols=len(maps), subplot_titles=[title for title, _ in maps], horizontal_spacing=0.06)
    for i, (_, counts) in enumerate(maps):
        fig.add_trace(go.Heatmap(z=counts, text=counts.astype(int), texttemplate="%{text}", colorscale="Viridis",
                                 zmin=0, zmax=9, showscale=i == len(maps) - 1, colorbar=dict(title=taps_title)),
                      1, i + 1)
    fig.update_yaxes(autorange="reversed", scaleanchor="x", showticklabels=False)
    fig.update_xaxes(showticklabels=False)
    fig.update_layout(height=380, margin=dict(l=10, r=10, t=40, b=10))
    return fig


# --- CycleGAN ------------------------------------------------------------------------------------


def cycle_error_map(error_map: np.ndarray, title: str) -> go.Figure:
    """The cycle's error per pixel, 0 to 1, in a colour scale that reads for colour-blind visitors;
    `title` names it in the course's symbols (|x − F(G(x))| for the direction shown)."""
    fig = go.Figure(go.Heatmap(z=error_map, colorscale="Magma", zmin=0, zmax=1, colorbar=dict(title=title)))
    fig.update_yaxes(autorange="reversed", scaleanchor="x", visible=False)
    fig.update_xaxes(visible=False)
    fig.update_layout(height=360, margin=dict(l=0, r=0, t=10, b=0))
    return fig


def cycle_loss_history(history: list[dict], shown: int, names: dict[str, str], title: str,
                       iteration_label: str) -> go.Figure:
    """The losses a model card logged while it trained (`names`: loss key -> its label, in the order
    drawn), with a dotted line at the iteration shown."""
    steps = [h["iteration"] for h in history]
    fig = go.Figure([go.Scatter(x=steps, y=[h[k] for h in history], name=name) for k, name in names.items()])
    fig.add_vline(x=shown, line_dash="dot", line_color="grey")
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10), title=title, xaxis_title=iteration_label,
                      legend=dict(orientation="h", y=-0.3))
    return fig
