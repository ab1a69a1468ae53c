"""The benchmark report: every speed and memory figure of the app in one table, each row against
a baseline measured in the same run.

python -m benchmarks.run_all [--readme] [--quick] [--cpu-baseline]

--readme rewrites the table between the benchmark markers of benchmarks/README.md (with the
machine it ran on). --quick uses fewer repeats and skips 1024x1024, for a smoke run. --cpu-baseline runs every
row a second time, in a process of its own, on the path an ordinary CPU takes (ORDINARY_CPU below:
fp32, no int8, oneDNN and ATen held to AVX2), and adds that table: the figures a host without
AVX512-BF16 or VNNI sees. With CUDA present it adds the GPU rows (benchmarks/gpu.py). Run it on an
idle machine: every row is a wall-clock time.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from benchmarks import (
    cpu_runtimes,
    cyclegan,
    cyclegan_page,
    gpu,
    lab,
    memory,
    page_interactions,
    sampling,
    toy_gan,
    training,
)
from benchmarks.timing import REPORT, Row, machine, markdown, print_rows
from ganzoo.io.marked_blocks import replace_block
from ganzoo.runtime.i18n import tr

ROOT = Path(__file__).resolve().parent.parent
HELLO_APP = 'import streamlit as st\nst.title("Hello")\n'
# Sidebar label and page title (h1) of each page, in English.
PAGES = [("nav.toy", "The 2x2 slanted-faces GAN"), ("nav.lab", "Training lab: a GAN on the plane"),
         ("nav.mnist", "MNIST sampling"), ("nav.cond", "Conditional digit picking"),
         ("nav.interp", "Latent interpolation and control"), ("nav.draw", "Draw a digit"),
         ("nav.up", "Upsampling: transposed convolution and the checkerboard"), ("nav.vae", "GAN versus VAE"),
         ("nav.style", "StyleGAN: style mixing, truncation and noise"),
         ("nav.cycle", "Photo ↔ painting with CycleGAN")]


def _rendered(page, title, timeout=120_000):
    """Until the page's h1 reads `title` and the page has rendered (tests.browser.wait_rendered).
    The title is checked on every animation frame: an `expect` polls at 100, 250 and 500 ms
    intervals, which added up to 250 ms to a switch whose title came just after a poll."""
    from harness import wait_rendered
    page.wait_for_function("t => { const h = document.querySelector('h1'); return !!h && h.textContent.includes(t); }",
                           arg=title, timeout=timeout, polling="raf")
    wait_rendered(page, timeout)


COLD_STARTS = 3  # each app, alternated; the row takes the medians


def _cold_start(browser, script, title):
    """Seconds from `streamlit run` to the first page rendered in Chromium; and the server process."""
    from harness import open_page, start_server
    start = time.perf_counter()
    url, proc = start_server(script)
    page = open_page(browser, url)
    _rendered(page, title)
    seconds = time.perf_counter() - start
    return seconds, proc, url, page


def _switch(page, label, title):
    start = time.perf_counter()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=label).click()
    _rendered(page, title)
    return (time.perf_counter() - start) * 1e3


def browser_rows():
    """Cold start and page switches, in a real server and Chromium."""
    from playwright.sync_api import sync_playwright

    from harness import launch, stop_server
    rows = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = launch(p)
        hello = Path(tmp) / "hello_app.py"
        hello.write_text(HELLO_APP)
        # One cold start varies by 10-20% here.
        hello_times, ours_times = [], []
        for i in range(COLD_STARTS):
            hello_s, hello_proc, _, hello_page = _cold_start(browser, hello, "Hello")
            hello_page.close()
            stop_server(hello_proc)
            hello_times.append(hello_s)
            ours_s, proc, url, page = _cold_start(browser, "app.py", tr("nav.home", "en"))
            ours_times.append(ours_s)
            if i < COLD_STARTS - 1:  # the last server stays up for the page switches
                page.close()
                stop_server(proc)
        rows.append(Row("cold start: `streamlit run` to the first page in Chromium", statistics.median(ours_times),
                        "one-line Streamlit app", statistics.median(hello_times), "s"))
        try:
            home = tr("nav.home", "en")
            for key, title in PAGES:  # first visits: every model gets loaded once
                _switch(page, tr(key, "en"), title)
                _switch(page, home, home)
            base = min(_switch(page, home, home) for _ in range(3))
            for key, title in PAGES:
                times = []
                for _ in range(2):
                    _switch(page, home, home)
                    times.append(_switch(page, tr(key, "en"), title))
                ms = min(times)
                rows.append(Row(f"page switch in Chromium (models loaded): {tr(key, 'en')}", ms,
                                "switch to the home page", base, "ms"))
        finally:
            page.close()
            stop_server(proc)
            browser.close()
    return rows


# What a 2-core AVX2 host without native bf16 or VNNI runs: the policy's fp32 path, and the kernels
# oneDNN and ATen pick when the CPU offers no more than AVX2.
ORDINARY_CPU = {"GANZOO_PRECISION": "fp32", "GANZOO_INT8": "0", "ONEDNN_MAX_CPU_ISA": "AVX2",
                "ATEN_CPU_CAPABILITY": "avx2"}


def ordinary_cpu_rows(quick: bool) -> tuple[str, list]:
    """Every row again in a child process under ORDINARY_CPU (the ISA caps are read at start-up,
    so they cannot be set in this process): (its machine line, its rows)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.json"
        command = [sys.executable, "-m", "benchmarks.run_all", "--json", str(out)] + (["--quick"] if quick else [])
        subprocess.run(command, cwd=ROOT, env={**os.environ, **ORDINARY_CPU}, check=True)
        saved = json.loads(out.read_text())
    return saved["machine"], [Row(**row) for row in saved["rows"]]


def write_readme(rows, header, ordinary=None):
    text = f"{header}\n\n{markdown(rows)}"
    if ordinary:
        setting = " ".join(f"{k}={v}" for k, v in ORDINARY_CPU.items())
        text += (f"\n\n**The ordinary-CPU path** (`{setting}`, the same run, in a process of its own: "
                 f"{ordinary[0]}):\n\n{markdown(ordinary[1])}")
    replace_block(REPORT, "benchmarks", text)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--readme", action="store_true", help="write the table into benchmarks/README.md")
    p.add_argument("--quick", action="store_true", help="fewer repeats, no 1024x1024")
    p.add_argument("--cpu-baseline", action="store_true", help="also every row on the ordinary-CPU path")
    p.add_argument("--json", type=Path, help="write the rows here (what --cpu-baseline reads back)")
    args = p.parse_args(argv)
    command = ("python -m benchmarks.run_all" + (" --quick" if args.quick else "")
               + (" --cpu-baseline" if args.cpu_baseline else ""))
    header = f"Measured by `{command}` on {time.strftime('%Y-%m-%d')}: {machine()}."
    print(header, flush=True)
    sections = [
        ("browser", browser_rows),
        ("memory", memory.measure),
        ("pages", page_interactions.measure),
        ("sampling", lambda: sampling.measure(64)),
        ("cyclegan page", lambda: cyclegan_page.measure(2 if args.quick else 3)),
        ("cyclegan", lambda: cyclegan.measure((256, 512) if args.quick else (256, 512, 1024), 2 if args.quick else 5)),
        ("int8 runtimes", lambda: cpu_runtimes.measure((256,) if args.quick else (256, 512), 2 if args.quick else 5)),
        ("toy", lambda: toy_gan.measure(16 if args.quick else 64)),
        ("lab", lab.measure),
        ("training", lambda: training.measure(5 if args.quick else 20)),
    ]
    if torch.cuda.is_available():  # synchronised rows on the GPU, app path against fp32 eager there
        sections.append(("gpu", lambda: gpu.measure("cuda", (256, 512) if args.quick else (256, 512, 1024),
                                                   2 if args.quick else 7, 5 if args.quick else 20)))
    rows = []
    for name, measure in sections:
        start = time.perf_counter()
        part = measure()
        print_rows(part, f"\n## {name} ({time.perf_counter() - start:.0f} s)")
        rows += part
    print("\n## all")
    print_rows(rows)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "rows": [vars(r) for r in rows]}))
    ordinary = None
    if args.cpu_baseline:
        print("\n## the ordinary-CPU path: " + " ".join(f"{k}={v}" for k, v in ORDINARY_CPU.items()), flush=True)
        ordinary = ordinary_cpu_rows(args.quick)
        print_rows(ordinary[1])
    if args.readme:
        write_readme(rows, header, ordinary)
        print(f"\nwrote the table into {REPORT}")


if __name__ == "__main__":
    main()
