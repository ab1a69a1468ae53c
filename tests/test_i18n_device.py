"""The translation layer and the device policy."""

import ast
import re
import string
from pathlib import Path

import pytest
import torch

from ganzoo import device
from ganzoo.i18n import STRINGS, tr

ROOT = Path(__file__).resolve().parent.parent


def fields(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_present_with_the_same_fields(key):
    en, fr = STRINGS[key]
    assert en.strip() and fr.strip()
    assert {f.split(":")[0] for f in fields(en)} == {f.split(":")[0] for f in fields(fr)}


def test_every_key_used_by_the_pages_exists():
    used = set()
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([\w.\-]+)["']""", path.read_text()))
    prefixes = {k for k in used if k.endswith(".")}  # t("toy.loss." + choice)
    missing = sorted(k for k in used - prefixes if k not in STRINGS)
    missing += [p for p in prefixes if not any(k.startswith(p) for k in STRINGS)]
    assert not missing
    assert len(used) > 50


def test_french_differs_and_formats():
    assert tr("home.title", "fr") != tr("home.title", "en")
    assert "3" in tr("mnist.covered", "fr", covered=3)
    assert tr("home.title", "xx") == tr("home.title", "en")


def test_library_never_imports_streamlit():
    for path in (ROOT / "ganzoo").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] == "streamlit" for n in names), path


def test_policy_defaults_to_cpu_here_and_honours_overrides(monkeypatch):
    device.policy.cache_clear()
    p = device.policy()
    assert p.device.type == ("cuda" if torch.cuda.is_available() else p.device.type)
    monkeypatch.setenv("GANZOO_DEVICE", "cpu")
    monkeypatch.setenv("GANZOO_PRECISION", "fp32")
    device.policy.cache_clear()
    p = device.policy()
    assert p.device == torch.device("cpu") and p.precision == "fp32" and p.autocast_dtype is None
    monkeypatch.setenv("GANZOO_PRECISION", "bf16")
    device.policy.cache_clear()
    p = device.policy()
    with p.autocast():
        y = torch.nn.Linear(4, 4)(torch.ones(2, 4))
    assert y.dtype == torch.bfloat16
    device.policy.cache_clear()
