"""app_figures.py, the sections of the 2x2 page and the training lab: plotly only, and the words
inside the figures in the visitor's language."""

import json
import subprocess
import sys

import numpy as np

import app_figures as figures
from ganzoo.lessons import lab, toy
from tests.pages.apptest import ROOT


def test_the_figures_module_imports_neither_streamlit_nor_torch():
    script = "import sys, json, app_figures; print(json.dumps([m for m in ('streamlit', 'torch') if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_toy_figures_draw_the_run_in_the_visitors_language():
    history = toy.train(toy.FACES, epochs=3, lr=0.01, seed=0, snapshots=1)
    errors = figures.toy_errors(history, "fr")
    english = figures.toy_errors(history, "en")
    assert len(errors.data[0].y) == 12 and errors.layout.xaxis.title.text != english.layout.xaxis.title.text
    heat = figures.toy_heatmaps(toy.FACES[:2], ["a", "b"])
    assert [a.text for a in heat.layout.annotations] == ["a", "b"]
    assert np.array_equal(heat.data[1].z, [[0.75, 0], [0, 0.75]])  # face 2, dark on its diagonal
    sweep = toy.sweep(toy.FACES, epochs=2, lr=0.01, seed=5, runs=3)
    assert "5" in figures.toy_sweep_spread(sweep, 5, "en").layout.title.text and "7" in \
        figures.toy_sweep_spread(sweep, 5, "en").layout.title.text  # seeds 5 to 7


def test_the_lab_figures_draw_the_run_as_it_stands():
    run = lab.LabRun(lab.LabConfig(g_hidden=8, d_hidden=8, batch_size=32))
    run.train(30)
    plane = figures.lab_plane(run, "en", lab.EXTENT)
    fake = next(trace for trace in plane.data if trace.name == "generated")
    np.testing.assert_allclose(np.stack([fake.x, fake.y], 1), run.fake_points()[:figures.SHOWN_POINTS], atol=1e-6)
    assert tuple(plane.layout.xaxis.range) == (-lab.EXTENT, lab.EXTENT)
    curves = figures.lab_curves(run, "en", 8)
    assert curves.layout.yaxis3.range == (0, 8.5)  # the modes axis holds every mode
    assert len(figures.lab_curves(run, "en", None).data) == 3  # no modes curve for a target without modes
    assert len(figures.lab_canvas([[0, 0], [1, 1]]).data) == 2 and len(figures.lab_canvas([]).data) == 1
