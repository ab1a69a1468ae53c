"""The MNIST sampling page under AppTest, including a Hub failure seen from the page."""

import json
import os
import subprocess
import sys

from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, ROOT, TIMEOUT, open_page
from tests.unit.test_hub_failures import COMMIT, REPO, snapshot_with


def test_mnist_sampling_controls():
    at = open_page("app_pages/mnist_sampling.py")
    at.number_input(key="n").set_value(100).run()
    assert not at.exception
    caption = at.get("image")[0].proto.imgs[0].caption
    assert "100 samples, seed 0" in caption
    at.slider(key="psi").set_value(1.0).run()
    at.selectbox(key="model").set_value("mnist-dense").run()
    assert not at.exception
    at.button(key="new_batch").click().run()
    assert "seed 1" in at.get("image")[0].proto.imgs[0].caption
    at.toggle(key="show_d").set_value(True).run()
    assert not at.exception
    assert any("D(x)" in p.proto.spec for p in at.get("plotly_chart"))
    assert len(at.get("image")) == 1
    at.toggle(key="show_before").set_value(True).run()  # the same noise through an untrained G
    assert not at.exception
    assert len(at.get("image")) == 2
    assert at.get("image")[1].proto.imgs[0].url != at.get("image")[0].proto.imgs[0].url


def test_the_self_conditioned_generator_comes_first_and_its_d_reads_each_images_cluster():
    at = open_page("app_pages/mnist_sampling.py")
    assert at.selectbox(key="model").value == "mnist-scgan"
    assert any("self-conditioned" in c.value and "50 groups" in c.value for c in at.caption)
    at.toggle(key="show_d").set_value(True).run()  # D judges each image beside the cluster its z drew
    assert not at.exception
    assert any("D(x)" in p.proto.spec for p in at.get("plotly_chart"))
    at.toggle(key="show_before").set_value(True).run()
    assert not at.exception and len(at.get("image")) == 2
    at.selectbox(key="model").set_value("mnist-scgan-w64").run()  # the wider one, on its own 100 clusters
    assert not at.exception
    assert any("self-conditioned" in c.value and "100 groups" in c.value for c in at.caption)
    at.selectbox(key="model").set_value("mnist-dcgan").run()  # the plain DCGAN says nothing of clusters
    assert not any("self-conditioned" in c.value for c in at.caption)


def test_mnist_sampling_seed_input_sets_the_batch():
    at = open_page("app_pages/mnist_sampling.py")
    at.number_input(key="seed").set_value(41).run()
    assert "seed 41" in at.get("image")[0].proto.imgs[0].caption
    first = at.get("image")[0].proto.imgs[0].url
    at.number_input(key="seed").set_value(42).run()
    at.number_input(key="seed").set_value(41).run()
    assert at.get("image")[0].proto.imgs[0].url == first  # the same seed gives the same picture


def test_mnist_sampling_clamps_absurd_url_parameters():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # pages are known by url_path after a first run
    at.query_params.update({"n": "100000", "seed": "-5", "model": "not-a-model"})
    at.switch_page("app_pages/mnist_sampling.py")
    at.run()
    assert not at.exception
    assert at.number_input(key="n").value == 256
    assert at.number_input(key="seed").value == 0
    assert at.selectbox(key="model").value == "mnist-scgan"


PAGE = """
import json
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120).run()  # pages are known by url_path after a first run
at.query_params["model"] = "mnist-dcgan"  # the generator whose Hub copy is corrupt
at.switch_page("app_pages/mnist_sampling.py")
at.run()
first = dict(warnings=[w.value for w in at.warning], errors=[e.value for e in at.error],
             exceptions=len(at.exception), images=len(at.get("image")))
at.number_input(key="seed").set_value(5).run()  # the session carries on
first["after"] = dict(exceptions=len(at.exception), caption=at.get("image")[0].proto.imgs[0].caption)
print(json.dumps(first))
"""


def test_sampling_page_shows_one_warning_and_carries_on(tmp_path):
    snapshot_with(tmp_path, "corrupt safetensors")
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT),
           "GANZOO_HUB_MNIST_DCGAN": f"{REPO}@{COMMIT}"}
    result = subprocess.run([sys.executable, "-c", PAGE], capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["exceptions"] == 0 and report["errors"] == [] and report["images"] >= 1
    assert len(report["warnings"]) == 1 and "corrupt" in report["warnings"][0], report["warnings"]
    assert report["after"]["exceptions"] == 0 and "seed 5" in report["after"]["caption"]
