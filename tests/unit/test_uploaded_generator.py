"""A visitor's generator (ganzoo/inference/uploaded.py, keras_course.py): the course's Keras generator as
real Keras 3 wrote it, ganzoo's own through ganzoo.export, and every hostile file refused with its
one message, in English and French, before anything is allocated."""

import io
import json
import subprocess
import sys
import zipfile

import h5py
import numpy as np
import pytest
import torch
from safetensors.torch import save

from ganzoo.export import GENERATORS, export, generator_files
from ganzoo.inference.sampling import sample
from ganzoo.inference.uploaded import load_files, load_hub, load_paths
from ganzoo.io import checkpoints
from ganzoo.models.mnist import DenseGenerator, MnistGAN, SkippingDenseGenerator
from ganzoo.runtime.i18n import VisitorError
from harness.keras_course import ROOT, keras_files, keras_outputs  # noqa: F401
from tests.unit.test_checkpoints import RunsCode, run_offline, write_hub_snapshot


def refusal(files, **kwargs) -> VisitorError:
    with pytest.raises(VisitorError) as caught:
        load_files(files, **kwargs)
    error = caught.value
    assert error.key.startswith("yours.error.")
    assert error.text("fr") != error.text("en")  # a French message, with every field filled
    return error


def one(path) -> list:
    return [(path.name, path.read_bytes())]


# --- The course's Keras generator, as Keras wrote it ----------------------------------------------

def test_keras_does_not_store_every_layer_under_its_attribute_name(keras_files):  # noqa: F811
    """What the reader must cope with, seen in the real file: output_layer sits under layers/dense_4."""
    with h5py.File(keras_files / "generator.weights.h5", "r") as f:
        assert "input_layer/vars/0" in f and "output_layer" not in f
        assert f["layers/dense_4/vars/0"].shape == (256, 784)
    with zipfile.ZipFile(keras_files / "generator.keras") as archive:
        assert {"config.json", "model.weights.h5", "metadata.json"} <= set(archive.namelist())


@pytest.mark.parametrize("filename,layout,module", [
    ("generator.weights.h5", "as_written", DenseGenerator),
    ("generator.keras", "as_written", DenseGenerator),
    ("skipping.weights.h5", "skipping", SkippingDenseGenerator),
    ("skipping.keras", "skipping", SkippingDenseGenerator),
])
def test_the_course_generator_runs_as_keras_runs_it(keras_files, filename, layout, module):  # noqa: F811
    uploaded = load_files(one(keras_files / filename))
    assert (uploaded.kind, uploaded.layout) == ("keras", layout)
    assert type(uploaded.model.generator) is module and uploaded.model.discriminator is None
    outputs = keras_outputs(keras_files)
    with torch.no_grad():
        mine = uploaded.model.float()(torch.from_numpy(outputs["noise"]))
    expected = outputs[filename.split(".")[0]].reshape(-1, 1, 28, 28)
    np.testing.assert_allclose(mine.numpy(), expected, atol=2e-6)
    assert uploaded.model.sample_noise(1000).abs().max() <= 1  # the course's noise: uniform in [-1, 1]


def test_mnist_dense_through_keras_is_mnist_dense(keras_files):  # noqa: F811
    """The shipped mnist-dense weights set into the course's Keras Generator and saved by Keras come
    back as the same network: the same images for the same seed."""
    uploaded = load_files(one(keras_files / "dense.weights.h5"))
    shipped = checkpoints.load("mnist-dense").model
    torch.testing.assert_close(sample(uploaded.model, 32, 7), sample(shipped, 32, 7), atol=1e-5, rtol=0)


def test_the_app_never_imports_keras_or_tensorflow(keras_files):  # noqa: F811
    load_files(one(keras_files / "generator.keras"))
    assert "keras" not in sys.modules and "tensorflow" not in sys.modules


# --- ganzoo's own generators, through ganzoo.export --------------------------------------------------

@pytest.mark.parametrize("name", GENERATORS)
def test_every_shipped_generator_round_trips_through_export(tmp_path, name):
    folder = export(name, tmp_path / name)
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.safetensors"]
    uploaded = load_paths([folder])
    assert uploaded.kind == "pytorch" and uploaded.model.discriminator is None
    shipped = checkpoints.load(name).model
    torch.testing.assert_close(sample(uploaded.model, 20, 5), sample(shipped, 20, 5), atol=1e-5, rtol=0)


def test_a_zip_and_a_whole_weights_folder_load_too(tmp_path):
    zipped = load_paths([export("mnist-scgan", tmp_path / "scgan.zip")])
    assert zipped.layout == "scgan" and zipped.label == "scgan.zip"
    whole = load_paths([checkpoints.embedded_folder("mnist-cgan")])  # its discriminator is checked, not read
    assert whole.layout == "conditional" and whole.model.discriminator is None
    torch.testing.assert_close(sample(whole.model, 10, 1), sample(checkpoints.load("mnist-cgan").model, 10, 1))


def test_the_command_line_takes_the_same_files_with_the_same_messages(tmp_path, keras_files):  # noqa: F811
    from ganzoo import export as export_cli
    from ganzoo import sample as sample_cli
    assert export_cli.main(["mnist-dcgan", str(tmp_path / "dc.zip")]) == 0
    assert sample_cli.main([str(tmp_path / "dc.zip"), "--n", "6", "--seed", "3", "--out", str(tmp_path / "a.npz")]) == 0
    assert sample_cli.main(["mnist-dcgan", "--n", "6", "--seed", "3", "--out", str(tmp_path / "b.npz")]) == 0
    np.testing.assert_array_equal(np.load(tmp_path / "a.npz")["images"], np.load(tmp_path / "b.npz")["images"])
    assert sample_cli.main([str(keras_files / "skipping.keras"), "--n", "3", "--out", str(tmp_path / "k")]) == 0
    assert len(list((tmp_path / "k").glob("*.png"))) == 3
    bad = tmp_path / "broken.weights.h5"
    bad.write_bytes((keras_files / "generator.weights.h5").read_bytes()[:5000])
    message = refusal(one(bad)).text("en")
    for command in (["ganzoo.sample", str(bad), "--out", str(tmp_path / "x.npz")], ["ganzoo.evaluate", str(bad)]):
        out = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert out.returncode == 2 and out.stderr.strip() == f"error: {message}", out.stderr


# --- Hostile files ---------------------------------------------------------------------------------

def edited_h5(source, tmp_path, edit) -> list:
    path = tmp_path / "edited.weights.h5"
    path.write_bytes(source.read_bytes())
    with h5py.File(path, "a") as f:
        edit(f)
    return one(path)


def replace(f, name, data, **kwargs):
    del f[name]
    f.create_dataset(name, data=data, **kwargs)


H5_CASES = {  # what is done to the course's real file: the refusal's key
    "an extra dataset": (lambda f: f.create_dataset("evil", data=np.zeros(3)), "h5_odd"),
    "a soft link": (lambda f: f.__setitem__("dense_1/vars/2", h5py.SoftLink("/input_layer/vars/0")), "h5_odd"),
    "an external link": (lambda f: f.__setitem__("elsewhere", h5py.ExternalLink("/etc/passwd", "/")), "h5_odd"),
    "external storage": (lambda f: f.create_dataset("layers/x/vars/0", shape=(10,), dtype="f4",
                                                    external=[("/etc/hostname", 0, 40)]), "h5_odd"),
    "a huge declared shape": (lambda f: f.create_dataset("layers/big/vars/0", shape=(10**6, 10**6), dtype="f4",
                                                         chunks=(1, 1)), "h5_shape"),
    "a compressed weight": (lambda f: replace(f, "dense_1/vars/0", f["dense_1/vars/0"][()], compression="gzip"),
                            "h5_odd"),
    "integer weights": (lambda f: replace(f, "dense_1/vars/0", np.ones((100, 128), np.int32)), "h5_odd"),
    "a NaN": (lambda f: f["dense_1/vars/0"].__setitem__((0, 0), np.nan), "not_finite"),
    "a missing output layer": (lambda f: f.__delitem__("layers/dense_4"), "keras_arch"),
    "a wider layer": (lambda f: replace(f, "dense_2/vars/0", np.zeros((128, 129), np.float32)), "keras_arch"),
}


@pytest.mark.parametrize("case", list(H5_CASES))
def test_hostile_hdf5_files_are_refused_with_their_message(tmp_path, keras_files, case):  # noqa: F811
    edit, key = H5_CASES[case]
    assert refusal(edited_h5(keras_files / "generator.weights.h5", tmp_path, edit)).key == f"yours.error.{key}"


def test_the_discriminator_and_a_truncated_file_are_named_as_such(keras_files):  # noqa: F811
    assert refusal(one(keras_files / "discriminator.weights.h5")).key == "yours.error.keras_discriminator"
    data = (keras_files / "generator.weights.h5").read_bytes()
    assert refusal([("cut.weights.h5", data[:len(data) // 2])]).key == "yours.error.h5_damaged"
    keras = (keras_files / "generator.keras").read_bytes()
    assert refusal([("cut.keras", keras[:len(keras) // 2])]).key == "yours.error.zip_damaged"


def zip_of(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def dcgan_files() -> dict:
    return generator_files("mnist-dcgan")


def safetensors_with(state: dict) -> bytes:
    return save({k: v.contiguous() for k, v in state.items()})


def dcgan_state() -> dict:
    model = checkpoints.load_folder(MnistGAN, checkpoints.embedded_folder("mnist-dcgan"))
    return {k: v for k, v in model.state_dict().items() if k.startswith("generator.")}


def hostile_pytorch_cases():
    files = dcgan_files()
    weights, config = files["model.safetensors"], files["config.json"]
    state = dcgan_state()
    as_int = dict(state, **{"generator.net.0.weight": state["generator.net.0.weight"].long()})
    size = int.from_bytes(weights[:8], "little")
    header = json.loads(weights[8:8 + size])
    header["generator.net.0.weight"]["shape"] = [64000, 256, 7, 7]  # a thousand times its bytes
    lie = json.dumps(header).encode().ljust(size)  # the same length: only the shape lies
    lying = weights[:8] + lie + weights[8 + size:]
    return {
        "weights alone": ([("model.safetensors", weights)], "needs_config"),
        "config alone": ([("config.json", config)], "needs_weights"),
        "a truncated safetensors": ([("model.safetensors", weights[:len(weights) // 2]), ("config.json", config)],
                                    "safetensors_bad"),
        "a header that lies about a shape": ([("model.safetensors", lying), ("config.json", config)],
                                             "safetensors_bad"),
        "another architecture's config": ([("model.safetensors", weights),
                                           ("config.json", json.dumps({"arch": "dcgan", "width": 32}).encode())],
                                          "pytorch_arch"),
        "an absurd width": ([("model.safetensors", weights),
                             ("config.json", json.dumps({"arch": "dcgan", "width": 10**9}).encode())], "pytorch_arch"),
        "an unknown architecture": ([("model.safetensors", weights),
                                     ("config.json", json.dumps({"arch": "transformer"}).encode())], "pytorch_arch"),
        "a config that is not JSON": ([("model.safetensors", weights), ("config.json", b"{nope")], "config_bad"),
        "integers where floats belong": ([("model.safetensors", safetensors_with(as_int)), ("config.json", config)],
                                         "pytorch_arch"),
        "a zip of something else": ([("a.zip", zip_of({"notes.txt": b"hello"}))], "zip_contents"),
        "a .keras whose config is not Keras's": ([("g.keras", zip_of({"config.json": b"{}",
                                                                       "model.weights.h5": b"x"}))], "zip_contents"),
        "a zip bomb": ([("bomb.zip", zip_of({"config.json": config, "model.safetensors": bytes(40 << 20)}))],
                       "too_big"),
        "a zip named .h5": ([("g.weights.h5", zip_of({"config.json": config}))], "not_what_it_says"),
        "a PNG named .h5": ([("g.weights.h5", b"\x89PNG\r\n\x1a\n" + bytes(100))], "unrecognised"),
        "an empty file": ([("g.weights.h5", b"")], "empty"),
        "a file of another kind": ([("g.png", b"\x89PNG\r\n\x1a\n")], "which_files"),
        "three files": ([("model.safetensors", weights), ("config.json", config), ("x.json", config)], "which_files"),
    }


@pytest.mark.parametrize("case", list(hostile_pytorch_cases()))
def test_hostile_pytorch_files_are_refused_with_their_message(case):
    files, key = hostile_pytorch_cases()[case]
    assert refusal(files).key == f"yours.error.{key}"


@pytest.mark.parametrize("zipped,key", [(True, "not_what_it_says"), (False, "unrecognised")])
def test_a_pickle_named_safetensors_never_runs(tmp_path, zipped, key):
    """torch.save's zip (or its older plain pickle) under the name model.safetensors, or inside a .zip."""
    buffer = io.BytesIO()
    torch.save({"evil": RunsCode(tmp_path / "pwned")}, buffer, _use_new_zipfile_serialization=zipped)
    files = [("model.safetensors", buffer.getvalue()), ("config.json", dcgan_files()["config.json"])]
    assert refusal(files).key == f"yours.error.{key}"
    assert refusal([("model.zip", buffer.getvalue())]).key == ("yours.error.zip_contents" if zipped
                                                               else "yours.error.unrecognised")
    assert not (tmp_path / "pwned").exists()


def test_the_upload_limit_is_the_operators(monkeypatch, tmp_path):
    files = list(dcgan_files().items())  # 5.3 MB
    assert load_files(files).layout == "dcgan"
    monkeypatch.setenv("GANZOO_MAX_GENERATOR_MB", "2")
    error = refusal(files)
    assert error.key == "yours.error.too_big" and error.fields["limit"] == 2
    folder = export("mnist-dcgan", tmp_path / "dc")
    with pytest.raises(VisitorError, match="at most 2 MB"):  # the command line stats before it reads
        load_paths([folder])


# --- The Hub ---------------------------------------------------------------------------------------

def test_a_visitors_repo_id_needs_the_operators_consent():
    with pytest.raises(VisitorError) as caught:
        load_hub("someone/their-gan")
    assert caught.value.key == "yours.error.hub_off"


HUB = """
import json
from ganzoo.runtime.i18n import VisitorError
from ganzoo.inference.uploaded import load_hub
try:
    got = load_hub({repo!r})
    print(json.dumps({{"layout": got.layout, "label": got.label}}))
except VisitorError as exc:
    print(json.dumps({{"key": exc.key, "text": str(exc)}}))
"""


def test_a_hub_repo_loads_with_the_same_checks(tmp_path):
    commit = "0123456789abcdef0123456789abcdef01234567"
    write_hub_snapshot(tmp_path / "hf", "student/course-gan", commit, export("mnist-dense", tmp_path / "src"))
    report = run_offline(tmp_path, HUB.format(repo=f"student/course-gan@{commit}"), GANZOO_ALLOW_VISITOR_REPOS="1")
    assert report == {"layout": "dense", "label": f"student/course-gan@{commit}"}
    report = run_offline(tmp_path, HUB.format(repo=f"nobody/nothing@{commit}"), GANZOO_ALLOW_VISITOR_REPOS="1")
    assert report["key"] == "yours.error.hub_failed" and "nobody/nothing" in report["text"]


# --- The report card's reference --------------------------------------------------------------------

def test_the_frechet_distance_against_stored_statistics_is_the_same():
    from ganzoo.maths.metrics import feature_stats, frechet_distance
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(500, 16, generator=g), torch.randn(400, 16, generator=g) * 1.3 + 0.2
    assert frechet_distance(a, feature_stats(b)) == pytest.approx(frechet_distance(a, b), rel=1e-12)


@pytest.mark.parametrize("dataset", ["mnist", "fashion"])
def test_each_judge_ships_its_test_set_statistics(dataset):
    from ganzoo.evaluate import reference_stats
    mean, cov = reference_stats(dataset)
    assert mean.shape == (128,) and cov.shape == (128, 128)
    torch.testing.assert_close(cov, cov.T)
    assert torch.linalg.eigvalsh(cov).min() > -1e-6
