"""Every page, run in a fresh process, leaves the compiler stack unimported.

torch.optim's first step and torchvision.utils both import torch._dynamo, which brings sympy and
friends: +160 MB in every server process (python -m benchmarks.memory), a sixth of the 1 GB the
server may use. The pages use ganzoo.maths.optim and numpy grids instead; this keeps it so.
"""

import json
import subprocess
import sys

from tests.pages.apptest import ROOT

HEAVY = ["torch._dynamo", "torch._inductor", "sympy", "torchvision"]
SCRIPT = f"""
import json, sys
from tests.pages.apptest import open_page
from tests.pages.test_draw_digit import ONE, picture
for page in ["home", "toy_gan", "training_lab", "mnist_sampling", "mnist_conditional", "latent_interpolation",
             "cyclegan"]:
    open_page(f"app_pages/{{page}}.py")
at = open_page("app_pages/draw_digit.py")
at.file_uploader(key="upload").set_value(("one.png", picture(ONE), "image/png")).run()
at.slider(key="steps").set_value(50).run()
at.button(key="search").click().run()
assert not at.exception and at.metric
print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
"""


def test_no_page_imports_the_compiler_stack():
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


HOME = """
import json, sys
from tests.pages.apptest import open_page
at = open_page("app_pages/home.py")
first = [c.value for c in at.sidebar.caption]
loaded_on_home = "torch" in sys.modules
at = open_page("app_pages/mnist_sampling.py")
print(json.dumps([loaded_on_home, first, [c.value for c in at.sidebar.caption]]))
"""


def test_the_home_page_runs_without_torch_and_a_model_page_says_where_it_runs():
    """A cold start shows the home page first: it must not wait for torch (1.4 s to import here)."""
    out = subprocess.run([sys.executable, "-c", HOME], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    loaded_on_home, home_captions, model_captions = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded_on_home is False
    assert "PyTorch is not loaded yet: no page has needed a model so far." in home_captions
    assert any(c.startswith("Device and precision:") for c in model_captions)
