"""How torch's OpenMP threads wait between operations in a server process.

By default libgomp's worker threads spin for a while after each parallel region, waiting for the
next one. A training loop gains from that; a server does not: a page run does a few dozen small
operations with Python (and other visitors' sessions) between them, so the spinning threads burn a
core doing nothing and take it from the other sessions and processes. Measured on the click
scenario (one visitor, streamlit run, 2 cores): 116 ms of server CPU a click with the spin, 84 ms
with passive waits, and no page slower. Results are unchanged: only how idle threads wait.
"""

import os
import sys


def passive_waits() -> None:
    """OMP_WAIT_POLICY=PASSIVE unless the operator set it. libgomp reads it once, when torch is first
    imported, so this must run before that (it does nothing once torch is loaded)."""
    if "torch" not in sys.modules:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
