"""One version number: pyproject.toml takes the package's from ganzoo.__version__."""

import tomllib
from pathlib import Path

from setuptools.config.pyprojecttoml import read_configuration

import ganzoo

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_reads_its_version_from_the_package():
    static = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in static and "version" in static["dynamic"]
    assert read_configuration(ROOT / "pyproject.toml")["project"]["version"] == ganzoo.__version__
