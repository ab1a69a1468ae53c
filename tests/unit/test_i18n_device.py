"""The translation layer and the device policy."""

import copy
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from ganzoo import inference
from ganzoo.models.cyclegan import ResnetGenerator
from ganzoo.models.mnist import MnistClassifier, MnistGAN
from ganzoo.runtime import device, i18n
from ganzoo.runtime.i18n import LANGS, STRINGS, tr

ROOT = Path(__file__).resolve().parents[2]


def fields(text):
    return {f.split(":")[0] for _, f, _, _ in string.Formatter().parse(text) if f}


OTHER_LANGS = [code for code in LANGS if code != "en"]


@pytest.mark.parametrize("code", OTHER_LANGS)
def test_every_locale_file_has_the_english_keys_with_the_same_fields(code):
    english, other = STRINGS["en"], STRINGS[code]
    assert sorted(other) == sorted(english)
    for key, text in english.items():
        assert text.strip() and other[key].strip(), key
        assert fields(text) == fields(other[key]), key


def test_a_missing_key_falls_back_to_english_and_a_new_file_is_a_new_language(tmp_path):
    (tmp_path / "en.toml").write_text('language = "English"\n[home]\ntitle = "Hi {name}"\nonly = "x"\n')
    (tmp_path / "de.toml").write_text('language = "Deutsch"\n[home]\ntitle = "Hallo {name}"\n')
    name, strings = i18n.load_locale(tmp_path / "de.toml")
    assert name == "Deutsch" and strings == {"home.title": "Hallo {name}"}
    # A language the app has, without one key: that key reads in English.
    monkeypatched = dict(i18n.STRINGS, de=strings)
    original = i18n.STRINGS
    try:
        i18n.STRINGS = monkeypatched
        assert i18n.tr("home.title", "de", name="Ada") == "Hallo Ada"
        assert i18n.tr("home.title", "de", name="Ada") != i18n.tr("home.title", "en", name="Ada")
        assert i18n.tr("nav.home", "de") == i18n.tr("nav.home", "en")
    finally:
        i18n.STRINGS = original
    with pytest.raises(KeyError):
        i18n.tr("no.such.key", "fr")


def test_every_key_used_by_the_pages_exists():
    used = set()
    for path in [*ROOT.glob("*.py"), *(ROOT / "ui").rglob("*.py"), *(ROOT / "app_pages").glob("*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([\w.\-]+)["']""", path.read_text()))
    keys = STRINGS["en"]
    prefixes = {k for k in used if k.endswith(".")}  # t("toy.loss." + choice)
    missing = sorted(k for k in used - prefixes if k not in keys)
    missing += [p for p in prefixes if not any(k.startswith(p) for k in keys)]
    assert not missing
    assert len(used) > 50


def test_french_differs_and_formats():
    assert tr("home.title", "fr") != tr("home.title", "en")
    assert "3" in tr("mnist.covered", "fr", covered=3, kinds=tr("data.mnist.kinds", "fr"))
    assert tr("home.title", "xx") == tr("home.title", "en")


def test_policy_defaults_to_cpu_here_and_honours_overrides(monkeypatch):
    device.resolve.cache_clear()
    p = device.policy()
    assert p.device.type == ("cuda" if torch.cuda.is_available() else p.device.type)
    monkeypatch.setenv("GANZOO_DEVICE", "cpu")
    monkeypatch.setenv("GANZOO_PRECISION", "fp32")
    device.resolve.cache_clear()
    p = device.policy()
    assert p.device == torch.device("cpu") and p.precision == "fp32" and p.autocast_dtype is None
    monkeypatch.setenv("GANZOO_PRECISION", "bf16")
    device.resolve.cache_clear()
    p = device.policy()
    # bf16 where the CPU has it natively; elsewhere emulated bf16 is slower, and the policy says fp32.
    assert p.precision == ("bf16" if device._cpu_has_native_bf16() else "fp32")
    with p.autocast():
        y = torch.nn.Linear(4, 4)(torch.ones(2, 4))
    assert y.dtype == (p.autocast_dtype or torch.float32)
    device.resolve.cache_clear()


def test_a_prepared_model_carries_its_policy_and_the_library_runs_it_under_that_one():
    from ganzoo.inference.sampling import generate
    chosen = device.Policy(torch.device("cpu"), "bf16")
    gen = MnistGAN("dcgan", width=8)
    assert device.policy_of(gen) == device.Policy.plain()  # nobody prepared it: plain fp32
    prepared = inference.prepare(gen, chosen)
    assert device.policy_of(prepared) is chosen
    seen = []
    hook = prepared.generator.register_forward_hook(lambda m, i, o: seen.append(torch.get_autocast_dtype("cpu")
                                                                              if torch.is_autocast_enabled("cpu")
                                                                              else None))
    generate(prepared, torch.zeros(2, prepared.latent_dim))
    hook.remove()
    assert seen == [torch.bfloat16]  # the model's policy, not this machine's
    plain = inference.prepare(ResnetGenerator(ngf=8, n_blocks=1), device.Policy.plain())
    assert device.policy_of(plain).precision == "fp32"


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_the_judge_runs_folded_and_in_channels_last_on_a_cpu_with_the_same_outputs(precision):
    torch.manual_seed(0)
    judge = MnistClassifier(width=8).eval()
    for m in judge.modules():  # BatchNorm statistics that are not the identity, so folding shows
        if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2)
    x = torch.rand(16, 1, 28, 28) * 2 - 1
    with torch.no_grad():
        expected = judge(x)
        p = device.Policy(torch.device("cpu"), precision)
        prepared = inference.prepare(copy.deepcopy(judge), p)
        assert prepared.features[0].weight.is_contiguous(memory_format=torch.channels_last)
        assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in prepared.modules())
        torch.testing.assert_close(prepared(x), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("flags,capability,native", [
    ("fpu avx2 avx512f avx512_bf16", "AVX512", True),
    ("fpu avx2 amx_bf16 amx_tile", "AVX512", True),
    ("fpu avx2 avx512f avx512_bf16", "AVX2", False),  # kernels capped, as ATEN_CPU_CAPABILITY=avx2 does
    ("fpu avx2 fma", "AVX2", False),  # an ordinary CPU
])
def test_bf16_counts_as_native_only_where_the_cpu_and_the_kernels_have_it(monkeypatch, flags, capability, native):
    monkeypatch.setattr(device, "_cpu_flags", lambda: flags)
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: capability)
    assert device.native_bf16_training(torch.device("cpu")) is native
    monkeypatch.setenv("GANZOO_DEVICE", "cpu")
    monkeypatch.setenv("GANZOO_PRECISION", "bf16")
    device.resolve.cache_clear()
    try:
        assert device.policy().precision == ("bf16" if native else "fp32")
    finally:
        device.resolve.cache_clear()


def test_bf16_training_on_a_cpu_without_it_says_so_and_trains_in_fp32(tmp_path):
    from tests.unit.synthetic_mnist import ROOT, synthetic_digits, write_idx
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_idx(raw, *synthetic_digits(128, 0), "train")
    # An AVX2 CPU as the README simulates one: whatever this machine has, bf16 is not native there.
    env = {**os.environ, "ATEN_CPU_CAPABILITY": "avx2", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "ganzoo.train", "dcgan", "--bf16", "--data", str(tmp_path),
                             "--out", str(tmp_path / "out"), "--epochs", "1", "--batch-size", "64", "--width", "4"],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("no native bf16") == 1
