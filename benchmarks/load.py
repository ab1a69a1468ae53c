"""A class at once: simulated visitors against a server this script starts, without a browser.

Each visitor speaks Streamlit's websocket protocol (benchmarks/streamlit_visitor.py). Scenarios:

- click: a class clicking around. Each click opens a page by its url path with random URL parameters
  (?seed=, ?a=, ?b=) in a fresh session, so every click does the page's real work, fetches the images
  the run made, and the visitor waits 0.5 to 1.5 s before the next. Latency: from the click (health
  check, websocket, run) to the run's script_finished.
- lab: a class pressing Play in the training lab on one preset (?preset=mode-collapse opens it playing),
  answering the server's auto_rerun of the live view as the browser's timer does, while --clickers
  visitors click around. Counts each player's live-view updates per second (a run that shows a higher
  step count) and the clickers' latency.
- upload: a class uploading photos to the CycleGAN page: open the page, upload a photo of random size
  and framing through /_stcore/upload_file, wait for the translation's run, 0.5 to 1.5 s, again.
  Latency: from asking for the upload URL to the run's script_finished.

python -m benchmarks.load [--scenario click lab upload] [--visitors 10 30 100] [--seconds 30]
                          [--processes K] [--clickers 10] [--port 8650] [--seed 37] [--write FILE]

--processes 0 (default) runs `streamlit run app.py`; K >= 1 runs `./serve --processes K`. Every backend
is warmed first (each page once, so models are loaded). Every random draw comes from --seed.
The server runs with GANZOO_LAB_PLAY_STEPS=1000000, so Play does not pause itself mid-measurement.
"""

import argparse
import asyncio
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from benchmarks.served import Server
from benchmarks.streamlit_visitor import Visit, VisitError

ROOT = Path(__file__).resolve().parent.parent
# url path and the URL parameters a click draws at random: home, sampling, conditional, latent walks,
# StyleGAN, CycleGAN, 2x2 faces, GAN vs VAE, lab, upsampling.
CLICK_PAGES = [("", ("seed",)), ("mnist-sampling", ("seed",)), ("conditional-digits", ("seed",)),
               ("latent-walks", ("seed", "a", "b")), ("stylegan", ("seed", "a", "b")), ("cyclegan", ("seed",)),
               ("slanted-faces", ("seed",)), ("gan-vs-vae", ("seed", "a", "b")), ("training-lab", ("seed",)),
               ("upsampling", ("seed",))]
LAB_PRESET = "mode-collapse"
PHOTOS = ["monet_d5b0c260a0.jpg", "monet_d6d6e625bd.jpg", "monet_d9e8704878.jpg", "synthetic_landscape.png"]
SERVER_ENV = {"GANZOO_LAB_PLAY_STEPS": "1000000"}
EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN


@dataclass
class Tally:
    """What the visitors of one scenario saw."""
    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    served: set = field(default_factory=set)  # visitors with at least one finished click
    updates: dict = field(default_factory=dict)  # lab player -> live-view updates
    steps: dict = field(default_factory=dict)  # lab player -> (first, last) step count shown
    in_browser: set = field(default_factory=set)  # lab players whose Play trained in their browser
    hand_backs: list = field(default_factory=list)  # seconds from a browser's hand-back to the paused page

    def error(self, who: str, what: str) -> None:
        self.errors.append(f"{who}: {what}")


def click_target(rng: random.Random) -> tuple[str, str]:
    path, params = rng.choice(CLICK_PAGES)
    return path, "&".join(f"{name}={rng.randrange(10_000)}" for name in params)


def random_photo(rng: random.Random) -> bytes:
    """One of the bundled photos and paintings, cropped and scaled at random: every upload is new work."""
    image = Image.open(ROOT / "assets" / "samples" / rng.choice(PHOTOS)).convert("RGB")
    w, h = image.size
    cw, ch = rng.randint(w // 2, w), rng.randint(h // 2, h)
    x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
    side = rng.randint(160, 512)
    image = image.crop((x, y, x + cw, y + ch)).resize((side, max(32, side * ch // cw)))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


async def pause(rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0.5, 1.5))


async def one_click(base: str, cookies: dict, path: str, query: str, who: str, tally: Tally) -> None:
    start = time.perf_counter()
    async with Visit(base, cookies) as visit:
        run = await visit.open(path, query)
        await visit.fetch_media(run)
    for problem in run.errors:
        tally.error(who, f"/{path}?{query}: {problem}")
    if not run.errors:
        tally.latencies.append(time.perf_counter() - start)
        tally.served.add(who)


async def clicker(base: str, rng: random.Random, who: str, deadline: float, tally: Tally, clicks=None) -> None:
    cookies: dict = {}  # one browser: a proxy's sticky cookie stays with it from click to click
    await asyncio.sleep(rng.uniform(0, 1))
    done = 0
    while time.monotonic() < deadline and (clicks is None or done < clicks):
        path, query = click_target(rng)
        try:
            await one_click(base, cookies, path, query, who, tally)
        except VisitError as exc:
            tally.error(who, f"/{path}?{query}: {exc}")
        done += 1
        await pause(rng)


async def uploader(base: str, rng: random.Random, who: str, deadline: float, tally: Tally, clicks=None) -> None:
    cookies: dict = {}
    await asyncio.sleep(rng.uniform(0, 1))
    done = 0
    while time.monotonic() < deadline and (clicks is None or done < clicks):
        photo = random_photo(rng)
        try:
            async with Visit(base, cookies) as visit:
                page = await visit.open("cyclegan")
                if not page.uploaders:
                    raise VisitError(f"no file uploader on the page ({page.errors})")
                start = time.perf_counter()
                run = await visit.upload(page.uploaders[0], f"photo_{done}.png", photo)
                await visit.fetch_media(run)
            for problem in page.errors + run.errors:
                tally.error(who, problem)
            if not run.errors:
                tally.latencies.append(time.perf_counter() - start)
                tally.served.add(who)
        except VisitError as exc:
            tally.error(who, str(exc))
        done += 1
        await pause(rng)


def steps_shown(run) -> int | None:
    """The live view's first metric is the step count."""
    for body in run.metrics.values():
        try:
            return int(body.replace(",", "").replace("\u202f", ""))
        except ValueError:
            return None
    return None


def handed_back(component: tuple) -> "WidgetState":
    """What lab.js hands back when Pause is pressed at once: the run it was given, no step further
    (the server's whole path: the page's rerun, LabSession.adopt_from_browser's checks, the paused page)."""
    widget_id, json_args = component
    args = json.loads(json_args)
    state = args["state"]
    returned = {"token": args["token"], "reason": "paused", "state": {
        "step": state["step"], "G": state["G"], "D": state["D"], "opt_g": state["opt_g"], "opt_d": state["opt_d"],
        "history": {k: [] for k in state["history"]}, "metrics": {k: [] for k in state["metrics"]}, "snapshots": []}}
    widget = WidgetState(id=widget_id)
    widget.json_value = json.dumps(returned)
    return widget


async def player(base: str, rng: random.Random, who: str, deadline: float, tally: Tally, updates=None) -> None:
    """Open the lab on the preset (it starts playing). Played by the server (the process's first
    player): answer auto_rerun as the browser does, its timer sending the fragment's rerun every
    interval whether or not the previous one has finished. Played in the visitor's browser (the
    others): the server has nothing to do until Pause, so wait, then hand the run back as lab.js does."""
    await asyncio.sleep(rng.uniform(0, 1))
    tally.updates[who] = 0
    try:
        async with Visit(base) as visit:
            first = await visit.open("training-lab", f"preset={LAB_PRESET}&seed={rng.randrange(10_000)}")
            for problem in first.errors:
                tally.error(who, problem)
            if not visit.fragment_id:
                await play_in_browser(visit, first, who, deadline if updates is None else 0, tally)
                return
            await play_on_server(visit, first, who, deadline, tally, updates)
    except VisitError as exc:
        tally.error(who, str(exc))


async def play_in_browser(visit: Visit, first, who: str, until: float, tally: Tally) -> None:
    if "lab_live" not in first.components:
        raise VisitError("the lab neither played on the server (no auto_rerun) nor in the browser")
    tally.in_browser.add(who)
    tally.updates.pop(who, None)  # its view's updates happen in its browser (benchmarks/lab_browser.py)
    await asyncio.sleep(max(0.0, until - time.monotonic() - 2))
    pause = visit.rerun_message(page="training-lab", widgets=[handed_back(first.components["lab_live"])])
    start = time.perf_counter()
    back = await visit.run(pause)
    for _ in range(3):  # the adopting run ends early for the paused page's rerun (so may another)
        if back.status != EARLY_FOR_RERUN or back.errors:
            break
        back = await visit.read_run()
    for problem in back.errors:
        tally.error(who, problem)
    if "lab_live" in back.components or not back.metrics:
        tally.error(who, "the page did not take the run back")
        return
    tally.hand_backs.append(time.perf_counter() - start)
    tally.served.add(who)


async def play_on_server(visit: Visit, first, who: str, deadline: float, tally: Tally, updates) -> None:
    shown = steps_shown(first) or 0
    tally.steps[who] = (shown, shown)

    async def timer():
        while True:
            await asyncio.sleep(visit.interval)
            await visit.send(visit.rerun_message(fragment_id=visit.fragment_id))

    ticking = asyncio.create_task(timer())
    try:
        while time.monotonic() < deadline and (updates is None or tally.updates[who] < updates):
            run = await visit.read_run()
            for problem in run.errors:
                tally.error(who, problem)
            step = steps_shown(run)
            if step is not None and step > shown:
                shown = step
                tally.updates[who] += 1
                tally.steps[who] = (tally.steps[who][0], shown)
                tally.served.add(who)
    finally:
        ticking.cancel()


def percentile(values: list, q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run_visitors(kinds: list[tuple], seconds: float) -> float:
    """kinds: (coroutine function, base, rng, who, tally, limit) each; returns the wall time taken."""
    # HTTP (health, media, uploads) runs in threads: enough for every visitor, or they queue here.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=max(8, 2 * len(kinds))))
    start = time.monotonic()
    deadline = start + seconds
    await asyncio.gather(*(fn(base, rng, who, deadline, tally, limit) for fn, base, rng, who, tally, limit in kinds))
    return time.monotonic() - start


def scenario(name: str, base: str, visitors: int, seed: int, seconds: float, clickers: int = 0,
             limit: int | None = None) -> dict:
    """Run one scenario; returns its tallies and wall time. `limit`: clicks (or live-view updates) per
    visitor, for a small run that ends when every visitor has had them."""
    main, extra = Tally(), Tally()
    fn = {"click": clicker, "upload": uploader, "lab": player}[name]
    kinds = [(fn, base, random.Random(f"{seed}:{name}:{i}"), f"{name}{i}", main, limit) for i in range(visitors)]
    if name == "lab":
        kinds += [(clicker, base, random.Random(f"{seed}:lab-clicker:{i}"), f"clicker{i}", extra, limit)
                  for i in range(clickers)]
    wall = asyncio.run(run_visitors(kinds, seconds if limit is None else 3600))
    return {"scenario": name, "visitors": visitors, "clickers": clickers if name == "lab" else 0, "wall": wall,
            "main": main, "extra": extra}


def warm(backends: list[str], seed: int) -> None:
    """Every page once on every backend (each process loads its models), an upload, and the lab."""
    for base in backends:
        rng = random.Random(f"{seed}:warm")
        tally = Tally()
        for path, _ in CLICK_PAGES:
            asyncio.run(one_click(base, {}, path, "", "warm", tally))
        asyncio.run(uploader(base, rng, "warm", time.monotonic() + 600, tally, 1))
        if tally.errors:
            raise RuntimeError(f"warm-up on {base} failed: {tally.errors[:3]}")


def ms(seconds: float) -> str:
    return "–" if seconds != seconds else (f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.2f} s")


def table(rows: list[dict]) -> str:
    lines = ["| scenario | server | visitors | served | per s | p50 | p95 | max | errors | live-view updates "
             "per player per s (min / mean) | clickers' p50 / p95 | server CPU (cores) | server RSS after |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        main, extra = r["main"], r["extra"]
        who = f"{r['visitors']} players + {r['clickers']} clickers" if r["scenario"] == "lab" else str(r["visitors"])
        if r["scenario"] == "lab":
            rates = [n / r["wall"] for n in main.updates.values()] or [float("nan")]
            live = f"on the server {len(main.updates)}: {min(rates):.2f} / {statistics.mean(rates):.2f}"
            if main.in_browser:
                live += (f"; in their browsers {len(main.in_browser)} (hand-back p95 "
                         f"{ms(percentile(main.hand_backs, 0.95))})")
            per_s = f"{sum(main.updates.values()) / r['wall']:.1f} updates"
            lat = main.latencies
            clicks = f"{ms(percentile(extra.latencies, 0.5))} / {ms(percentile(extra.latencies, 0.95))}" \
                if r["clickers"] else ""
            p50 = p95 = top = "–"
        else:
            lat = main.latencies
            live, clicks = "", ""
            per_s = f"{len(lat) / r['wall']:.1f}"
            p50, p95, top = ms(percentile(lat, 0.5)), ms(percentile(lat, 0.95)), ms(max(lat, default=float("nan")))
        errors = len(main.errors) + len(extra.errors)
        lines.append(f"| {r['scenario']} | {r['server']} | {who} | {len(main.served)}/{r['visitors']} | {per_s} | "
                     f"{p50} | {p95} | {top} | {errors} | {live} | {clicks} | {r['cpu']:.2f} | {r['rss']:,.0f} MB |")
    return "\n".join(lines)


def conditions(args) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"`python -m benchmarks.load {' '.join(sys.argv[1:])}` at {commit.strip() or '?'}, "
            f"{time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores, load average before the run "
            f"{load} (1 / 5 / 15 min); seed {args.seed}; {args.seconds:.0f} s a row.")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", nargs="+", choices=["click", "lab", "upload"], default=["click", "lab", "upload"])
    parser.add_argument("--visitors", nargs="+", type=int, default=[10, 30, 100])
    parser.add_argument("--clickers", type=int, default=10, help="visitors clicking around while the lab plays")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each row runs")
    parser.add_argument("--processes", type=int, default=0, help="0: streamlit run app.py; K: ./serve --processes K")
    parser.add_argument("--port", type=int, default=8650)
    parser.add_argument("--seed", type=int, default=37)
    parser.add_argument("--write", type=Path, help="append the conditions and the table to this markdown file")
    args = parser.parse_args(argv)
    print(f"seed {args.seed}", flush=True)
    label = "streamlit run" if args.processes == 0 else f"./serve, {args.processes} processes"
    before = conditions(args)
    rows = []
    with Server(args.port, args.processes, env=SERVER_ENV) as server:
        warm(server.backends, args.seed)
        for name in args.scenario:
            for visitors in args.visitors:
                cpu = server.cpu_seconds()
                row = scenario(name, server.url, visitors, args.seed, args.seconds, args.clickers)
                row.update(server=label, rss=server.rss_mb(), cpu=(server.cpu_seconds() - cpu) / row["wall"])
                rows.append(row)
                print(table([row]).splitlines()[-1], flush=True)
                for problem in (row["main"].errors + row["extra"].errors)[:5]:
                    print("  error:", problem, flush=True)
                time.sleep(3)  # the sessions of this row close before the next starts
    text = f"{before}\n\n{table(rows)}\n"
    print("\n" + text)
    if args.write:
        with open(args.write, "a") as out:
            out.write("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
