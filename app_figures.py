"""The app's plotly figures, grouped by page. Each function takes plain data and the labels the page
has already translated, and returns a go.Figure; the page draws it (no streamlit here)."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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
