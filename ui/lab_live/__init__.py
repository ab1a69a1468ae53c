"""The training lab's live view while Play trains in the visitor's browser (ganzoo/lessons/lab.js).

A Streamlit component (components v1: an iframe, so that it can load plotly.js from this server, not
from a CDN) given the run as it stands (lab_browser.run_state), the page's own plane and curves
figures (app_figures, so the live view looks as the server's does) and what is left of Play's budget.
It trains, redraws, and pauses on its Pause button or by itself; then it hands the run back once,
and the page takes it in (LabSession.adopt_from_browser).
"""

import atexit
import json
import shutil
import tempfile
from pathlib import Path

import plotly
import streamlit.components.v1 as components

from ui.language import t

HERE = Path(__file__).parent
FILES = {"index.html": HERE / "index.html", "live.js": HERE / "live.js",
         "lab.js": HERE.parent.parent / "ganzoo" / "lessons" / "lab.js",
         "plotly.min.js": Path(plotly.__file__).parent / "package_data" / "plotly.min.js"}


def _served_folder() -> Path:
    """A folder of this process's own (mkdtemp: private, not a name another user could plant files
    under) holding the component's files, plotly.js included: Streamlit serves a component's files
    from one folder and follows no link out of it."""
    folder = Path(tempfile.mkdtemp(prefix="ganzoo-lab-live-"))
    atexit.register(shutil.rmtree, folder, True)
    for name, path in FILES.items():
        shutil.copyfile(path, folder / name)
    return folder


_LIVE = components.declare_component("lab_live", path=str(_served_folder()))


def figure_json(figure) -> dict:
    return json.loads(figure.to_json())


def lab_live(token: str, state: dict, plane, curves, budget: dict, seed: int, key: str = "lab_live"):
    """Show the browser's Play; returns what it handed back ({token, reason, state}) or None."""
    labels = {key: t(f"lab.{name}") for key, name in (("pause", "pause"), ("steps", "steps_done"), ("modes", "modes"),
                                                        ("kl", "kl.short"), ("grad", "grad_g"))}
    labels |= dict(caption=t("lab.browser.caption", seed=seed), handing_back=t("lab.browser.handing_back"))
    return _LIVE(token=token, state=state, plane=figure_json(plane), curves=figure_json(curves), labels=labels,
                 budget=budget, key=key, default=None)
