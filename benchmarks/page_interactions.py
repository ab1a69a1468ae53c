"""Server-side time of each page interaction, driven with Streamlit's AppTest.

Each row is the median time of one rerun after a control changes (models already loaded), with
the ratio to a baseline measured in the same process: a rerun of the home page, which loads no model.

python -m benchmarks.page_interactions [WORD ...]   (only the rows whose name holds one of the words)
"""

import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from benchmarks.timing import Row, print_rows
from ganzoo.runtime.i18n import tr

ROOT = Path(__file__).resolve().parent.parent

APP = str(ROOT / "app.py")
SAMPLES = ["monet_d5b0c260a0.jpg", "monet_d6d6e625bd.jpg", "monet_d9e8704878.jpg", "synthetic_landscape.png"]


def page(path):
    at = AppTest.from_file(APP, default_timeout=300).run()  # pages are known by url_path after a first run
    at.switch_page(path)
    at.run()
    return at


def next_sample(at):
    """Another bundled image than the one shown: the page keeps its passes per image, so each timed
    rerun starts from an image it has not translated yet."""
    box = at.selectbox(key="sample")
    box.set_value(SAMPLES[(SAMPLES.index(box.value) + 1) % len(SAMPLES)])


def open_tab(at, key, label):
    """Tabs that run only the open one keep it in session state under their key (and an expander
    that runs only when open, its state: True or False)."""
    at.session_state[key] = label


def log_loss_slider(at, i):
    if not at.slider:  # the home page's curves open on demand
        open_tab(at, "logloss_open", True)
        at.run()
    at.slider(key="p").set_value(0.1 + 0.1 * i)


def timed(at, action, repeats=5):
    times = []
    for i in range(repeats):
        action(at, i)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return statistics.median(times) * 1e3


CASES = [
    (
        "home: log-loss curves opened, closed",
        "app_pages/home.py",
        lambda at, i: open_tab(at, "logloss_open", i % 2 == 0),
    ),
    ("home: log-loss slider", "app_pages/home.py", log_loss_slider),
    ("sampling: seed", "app_pages/mnist_sampling.py", lambda at, i: at.number_input(key="seed").set_value(i + 1)),
    (
        "sampling: 256 images (n changes)",
        "app_pages/mnist_sampling.py",
        lambda at, i: at.number_input(key="n").set_value(256 - i),
    ),
    (
        "sampling: truncation",
        "app_pages/mnist_sampling.py",
        lambda at, i: at.slider(key="psi").set_value(0.5 + 0.1 * i),
    ),
    (
        "sampling: D scores on",
        "app_pages/mnist_sampling.py",
        lambda at, i: at.toggle(key="show_d").set_value(i % 2 == 0),
    ),
    (
        "conditional: digit",
        "app_pages/mnist_conditional.py",
        lambda at, i: at.segmented_control(key="digit").set_value(i % 10),
    ),
    (
        "conditional: samples per digit",
        "app_pages/mnist_conditional.py",
        lambda at, i: at.number_input(key="per_digit").set_value(4 + i),
    ),
    (
        "conditional: write a number",
        "app_pages/mnist_conditional.py",
        lambda at, i: at.text_input(key="number").input(str(31415 + i)),
    ),
    (
        "latent walks: steps",
        "app_pages/latent_interpolation.py",
        lambda at, i: at.number_input(key="steps").set_value(8 + i),
    ),
    (
        "latent walks: start seed",
        "app_pages/latent_interpolation.py",
        lambda at, i: at.number_input(key="a").set_value(20 + i),
    ),
    (
        "latent walks: target digit",
        "app_pages/latent_interpolation.py",
        lambda at, i: at.selectbox(key="target").set_value(i % 10),
    ),
    (
        "latent walks: strength",
        "app_pages/latent_interpolation.py",
        lambda at, i: at.slider(key="alpha").set_value(0.25 * i),
    ),
    (  # the direction switch a visitor makes after seeing a new image one way
        "CycleGAN: direction (256 crop)",
        "app_pages/cyclegan.py",
        lambda at, i: (next_sample(at), at.radio(key="direction").set_value("BA"), at.run(),
                       at.radio(key="direction").set_value("AB")),
    ),
    (  # the side-by-side tab, open first: the translation alone
        "CycleGAN: sample image (256 crop)",
        "app_pages/cyclegan.py",
        lambda at, i: next_sample(at),
    ),
    (  # the translation and its cycle back
        "CycleGAN: sample image (256 crop, cycle tab open)",
        "app_pages/cyclegan.py",
        lambda at, i: (open_tab(at, "cycle_tab", tr("cycle.tab.cycle")), next_sample(at)),
    ),
    ("training lab: step D and G", "app_pages/training_lab.py", lambda at, i: at.button(key="step_both").click()),
    (
        "training lab: loss",
        "app_pages/training_lab.py",
        lambda at, i: at.selectbox(key="loss").set_value(["least-squares", "non-saturating"][i % 2]),
    ),
    ("StyleGAN: source A seeds", "app_pages/stylegan.py", lambda at, i: at.number_input(key="a").set_value(10 + i)),
    (
        "StyleGAN: layers from B",
        "app_pages/stylegan.py",
        lambda at, i: at.segmented_control(key="layers").set_value([["fine"], ["coarse"], ["middle"]][i % 3]),
    ),
    ("StyleGAN: truncation ψ", "app_pages/stylegan.py", lambda at, i: at.slider(key="psi").set_value(0.4 + 0.1 * i)),
    ("StyleGAN: noise seed", "app_pages/stylegan.py", lambda at, i: at.number_input(key="noise_seed").set_value(i + 1)),
    ("GAN vs VAE: seed", "app_pages/gan_vs_vae.py", lambda at, i: at.number_input(key="seed").set_value(i + 1)),
    ("GAN vs VAE: walk seed", "app_pages/gan_vs_vae.py", lambda at, i: at.number_input(key="a").set_value(i + 20)),
    ("slanted faces: one SGD step", "app_pages/toy_gan.py", lambda at, i: at.button(key="one_step").click()),
    (  # the step inspector, open by default, replays no training
        "slanted faces: seed (step inspector open)",
        "app_pages/toy_gan.py",
        lambda at, i: at.number_input(key="seed").set_value(100 + i),
    ),
    (  # one new training run, alone
        "slanted faces: seed (training tab open)",
        "app_pages/toy_gan.py",
        lambda at, i: (open_tab(at, "toy_tab", tr("toy.tab.train")), at.number_input(key="seed").set_value(200 + i)),
    ),
    (  # 64 runs trained at once
        "slanted faces: seed (seed sweep tab open)",
        "app_pages/toy_gan.py",
        lambda at, i: (open_tab(at, "toy_tab", tr("toy.tab.sweep")), at.number_input(key="seed").set_value(300 + i)),
    ),
]


def measure(cases=CASES):
    baseline_at = AppTest.from_file(APP, default_timeout=300).run()
    baseline = timed(baseline_at, lambda at, i: None)
    pages, rows = {}, []
    for name, path, action in cases:
        at = pages.get(path) or pages.setdefault(path, page(path))
        rows.append(Row(f"page interaction (server), {name}", timed(at, action), "home page rerun", baseline, "ms"))
    return rows


if __name__ == "__main__":
    words = sys.argv[1:]
    print_rows(measure([c for c in CASES if not words or any(w in c[0] for w in words)]))
