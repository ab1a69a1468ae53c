"""The sampling page's "Your generator" under AppTest: a Keras file written by real Keras and a PyTorch
export judged like the shipped models, in English and French; hostile files refused with one
message and nothing else changed; the upload kept in its own session only, and offered on the latent walks."""

import json
import subprocess
import sys

import pytest

from ganzoo.export import generator_files
from harness.keras_course import keras_files  # noqa: F401
from tests.pages.apptest import ROOT, open_page, speak_french

PAGE = "app_pages/mnist_sampling.py"


def upload(at, files):
    pickers = at.get("file_uploader")
    assert len(pickers) == 1
    pickers[0].set_value(files).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def keras_file(folder, name):
    return [(name, (folder / name).read_bytes(), "application/octet-stream")]


def page_text(at) -> str:
    """Every caption, message and markdown of the page, columns included."""
    return " ".join(e.value for kind in ("caption", "markdown", "info", "warning", "error", "subheader")
                    for e in getattr(at, kind))


def report_columns(at) -> dict:
    table = at.table[0].value
    return {column: list(table[column]) for column in table.columns}


def yours_page(lang=None):
    at = open_page(PAGE, lang=lang)
    at.selectbox(key="model").set_value("yours").run()
    return at


def test_a_students_keras_generator_gets_its_batch_census_and_report_card(keras_files):  # noqa: F811
    at = yours_page()
    assert at.info and "Upload a generator" in at.info[0].value and not at.get("image")
    upload(at, keras_file(keras_files, "dense.weights.h5"))  # the course's network, trained (mnist-dense's weights)
    text = page_text(at)
    assert "Read as the course's Keras generator" in text and "uses every layer" in text
    assert len(at.get("image")) == 1 and "64 samples, seed 0" in at.get("image")[0].proto.imgs[0].caption
    assert any("What the classifier reads" in p.proto.spec for p in at.get("plotly_chart"))
    assert any("collapsed" in w.value for w in at.warning)  # mnist-dense draws 3s and 8s only
    assert [w.key for w in at.toggle] == ["show_before"]  # no discriminator came with it: no D(x) view
    at.toggle(key="show_before").set_value(True).run()  # the same noise through the untrained course network
    assert not at.exception and len(at.get("image")) == 2
    columns = report_columns(at)
    assert list(columns) == ["your generator", "the course's dense GAN", "self-conditioned DCGAN",
                             "real images (card, 10,000)"]
    assert columns["your generator"] == columns["the course's dense GAN"]  # the same network, the same samples
    assert columns["real images (card, 10,000)"][0] == "9.87"
    assert any("on the same 1,000 samples (seed 0)" in c.value for c in at.caption)
    assert any("Your generator: dense.weights.h5 (this session only)" in c.value for c in at.sidebar.caption)


def test_the_report_card_reads_in_french(keras_files, monkeypatch):  # noqa: F811
    speak_french(monkeypatch)
    at = upload(yours_page("fr"), keras_file(keras_files, "skipping.keras"))
    text = page_text(at)
    assert "dont le call() sautait dense_2 et dense_3" in text and "Bulletin" in text
    assert list(report_columns(at))[0] == "votre générateur"
    assert not at.toggle  # neither D's scores nor an untrained twin: its skipped layers are not rebuilt untrained
    assert any("les mêmes 1\u202f000 échantillons" in c.value for c in at.caption)


def test_a_pytorch_export_draws_what_the_shipped_model_draws():
    files = generator_files("mnist-dcgan")
    at = open_page(PAGE, model="mnist-dcgan")
    shipped = at.get("image")[0].proto.imgs[0].url
    at.selectbox(key="model").set_value("yours").run()
    weights = ("model.safetensors", files["model.safetensors"], "application/octet-stream")
    upload(at, [weights])  # one half of the pair first: the picker keeps it for the other half
    assert "needs its config.json" in at.error[0].value and at.get("file_uploader")[0].value
    upload(at, [weights, ("config.json", files["config.json"], "application/json")])
    assert "Read as ganzoo's DCGAN" in page_text(at) and not at.error
    assert not at.get("file_uploader")[0].value  # taken: the picker is empty for the next one
    assert at.get("image")[0].proto.imgs[0].url == shipped
    assert at.table and [w.key for w in at.toggle] == ["show_before"]


def test_a_fashion_generator_is_judged_by_the_fashion_judge():
    files = generator_files("fashion-dcgan")
    at = open_page(PAGE, data="fashion")
    at.selectbox(key="model").set_value("yours").run()
    upload(at, [(name, data, "application/octet-stream") for name, data in files.items()])
    columns = report_columns(at)
    assert list(columns)[:2] == ["your generator", "DCGAN"] and columns["your generator"] == columns["DCGAN"]
    assert any("Trouser" in p.proto.spec for p in at.get("plotly_chart"))  # the census names garments


@pytest.mark.parametrize("filename,data,words", [
    ("g.weights.h5", b"\x89HDF\r\n\x1a\n" + bytes(200), "truncated or damaged"),
    ("g.weights.h5", b"PK\x05\x06" + bytes(18), "its content is zip"),
    ("model.safetensors", b"\x10\x00\x00\x00\x00\x00\x00\x00{}" + bytes(14), "needs its config.json"),
    ("g.keras", b"PK\x03\x04 truncated", "truncated or damaged"),
])
def test_a_hostile_file_gets_one_message_and_changes_nothing_else(keras_files, filename, data, words):  # noqa: F811
    at = upload(yours_page(), [(filename, data, "application/octet-stream")])
    assert len(at.error) == 1 and words in at.error[0].value, [e.value for e in at.error]
    assert not at.get("image") and not at.table  # nothing drawn from it
    upload(at, keras_file(keras_files, "generator.weights.h5"))
    good = at.get("image")[0].proto.imgs[0].url
    assert not at.error
    upload(at, [(filename, data, "application/octet-stream")])  # a bad file after a good one
    assert len(at.error) == 1 and words in at.error[0].value
    assert at.get("image")[0].proto.imgs[0].url == good and "generator.weights.h5" in page_text(at)


def test_the_upload_stays_in_its_own_session_and_walks_the_latent_space(keras_files):  # noqa: F811
    mine = upload(yours_page(), keras_file(keras_files, "generator.keras"))
    other = yours_page()  # another visitor, the same server process
    assert other.info and not other.get("image") and not other.error
    other.selectbox(key="model").set_value("mnist-dcgan").run()
    assert not other.exception and len(other.get("image")) == 1
    mine.switch_page("app_pages/latent_interpolation.py").run()
    assert "your generator (upload)" in mine.selectbox(key="model").options
    mine.selectbox(key="model").set_value("yours").run()
    assert not mine.exception and len(mine.get("image")) >= 2  # the linear and the spherical walk
    mine.switch_page(PAGE).run()
    mine.selectbox(key="model").set_value("yours").run()
    assert mine.get("image")  # still there, until forgotten
    mine.button(key="yours_forget").click().run()
    assert not mine.exception and mine.info and not mine.get("image")


FOOTPRINT = """
import json, sys
from pathlib import Path
from ganzoo.export import generator_files
from tests.pages.apptest import open_page
at = open_page("app_pages/mnist_sampling.py")
at.selectbox(key="model").set_value("yours").run()
at.get("file_uploader")[0].set_value([(n, d, "application/octet-stream")
                                       for n, d in generator_files("mnist-dcgan").items()]).run()
keras = Path(sys.argv[1])
at.get("file_uploader")[0].set_value([(keras.name, keras.read_bytes(), "application/octet-stream")]).run()
assert not at.exception and not at.error and at.table
print(json.dumps([m for m in ("keras", "tensorflow", "sympy", "torch._dynamo") if m in sys.modules]))
"""


def test_an_upload_loads_neither_keras_nor_the_compiler_stack(keras_files):  # noqa: F811
    """Both kinds of upload, in a fresh process: h5py reads Keras's file, and the PyTorch path never
    materialises through Module.to_empty, which imports sympy (tests/pages/test_import_footprint.py)."""
    out = subprocess.run([sys.executable, "-c", FOOTPRINT, str(keras_files / "generator.keras")], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
