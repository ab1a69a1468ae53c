"""The training lab's Play in a browser (ganzoo/lessons/lab.js in Chromium) against the server's
(LabRun on torch, one thread as the lab runs it), preset by preset, on this machine.

    python -m benchmarks.lab_browser [--seconds 5] [--write FILE]

For each preset: generator steps a second in Chromium and on torch (the ratio is the browser's speed
as a share of an idle server's for one player), and the milliseconds one redraw's D surface takes in
Chromium. A student's own machine runs its browser; on this one it shares the cores with everything.
"""

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from ganzoo.lessons import lab, lab_browser
from harness import launch

ROOT = Path(__file__).resolve().parent.parent

MEASURE = """([state, seconds]) => {
  const run = new GanLab.Run(state, GanLab.seededDraws(state.draws_seed, state.config));
  run.train(2);
  const t0 = performance.now();
  let steps = 0;
  while (performance.now() - t0 < 1000 * seconds) { run.train(1); steps += 1; }
  const elapsed = (performance.now() - t0) / 1000;
  const s0 = performance.now();
  for (let i = 0; i < 5; i++) run.surface();
  return { steps_per_s: steps / elapsed, surface_ms: (performance.now() - s0) / 5 };
}"""


def torch_steps_per_s(run: lab.LabRun, seconds: float) -> float:
    run.train(2)
    start, steps = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        run.train(5)
        steps += 5
    return steps / (time.perf_counter() - start)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    rows = ["| preset | Chromium steps/s | torch steps/s (server, 1 thread) | ratio | one redraw's D surface |",
            "| --- | --- | --- | --- | --- |"]
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.set_content("<html><body></body></html>")
        page.add_script_tag(path=str(ROOT / "ganzoo" / "lessons" / "lab.js"))
        for name in lab.PRESETS:
            state = json.loads(json.dumps(lab_browser.run_state(lab.LabRun(lab.preset_config(name)))))
            js = page.evaluate(MEASURE, [state, args.seconds])
            on_torch = torch_steps_per_s(lab.LabRun(lab.preset_config(name)), args.seconds)
            rows.append(f"| {name} | {js['steps_per_s']:.1f} | {on_torch:.1f} | {js['steps_per_s'] / on_torch:.2f} | "
                        f"{js['surface_ms']:.0f} ms |")
            print(rows[-1], flush=True)
        browser.close()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    text = (f"`python -m benchmarks.lab_browser --seconds {args.seconds:g}` at {commit.strip()}, "
            f"{time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores, load average {load}.\n\n"
            + "\n".join(rows) + "\n")
    print(text)
    if args.write:
        with open(args.write, "a") as f:
            f.write("\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
