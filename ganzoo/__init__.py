"""ganzoo: the GAN models, training loops, checkpoints, metrics and image handling behind the app.

This package never imports streamlit: pages, tests, benchmarks and CLIs all call into it.
"""

__version__ = "0.3.0"  # the one version number: pyproject.toml reads it from here
