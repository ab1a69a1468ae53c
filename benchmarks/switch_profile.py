"""Where a page switch's time goes in Chromium: the JavaScript CPU profile of each switch (Chrome's
DevTools profiler, sampling every 100 µs), split into plotly.js (Streamlit's PlotlyChart chunk,
which bundles it) and the rest of the page's JavaScript (Streamlit's React front end, KaTeX...),
next to the switch's time as benchmarks/run_all.py measures it (click to title, script finished
and charts drawn; models already loaded). What is not JavaScript is the server running the page's
script, the websocket, and the browser's layout and paint.

python -m benchmarks.switch_profile [--repeats 3]
"""

import argparse
from collections import defaultdict

from benchmarks.run_all import PAGES, _switch
from ganzoo.runtime.i18n import tr


def self_ms_by_script(profile: dict) -> dict:
    """Milliseconds of samples whose innermost frame is in each script URL ("(program)" and the like
    for time outside JavaScript)."""
    interval_ms = (profile["endTime"] - profile["startTime"]) / 1e3 / max(1, len(profile["samples"]))
    url_of = {node["id"]: node["callFrame"]["url"] or node["callFrame"]["functionName"] for node in profile["nodes"]}
    out = defaultdict(float)
    for node_id in profile["samples"]:
        out[url_of[node_id]] += interval_ms
    return out


def profile_switches(repeats: int = 3) -> list[tuple[str, float, float, float]]:
    """(page, switch ms, JavaScript ms, of which plotly.js ms), each the median of `repeats`."""
    from playwright.sync_api import sync_playwright

    from harness import launch, open_page, start_server, stop_server
    home = tr("nav.home", "en")
    url, proc = start_server("app.py")
    rows = []
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = open_page(browser, url)
            _switch(page, home, home)
            for key, title in PAGES:  # first visits: every model loaded, plotly.js fetched and compiled
                _switch(page, tr(key, "en"), title)
                _switch(page, home, home)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 100})
            for key, title in PAGES:
                runs = []
                for _ in range(repeats):
                    _switch(page, home, home)
                    cdp.send("Profiler.start")
                    ms = _switch(page, tr(key, "en"), title)
                    by_script = self_ms_by_script(cdp.send("Profiler.stop")["profile"])
                    js = sum(v for k, v in by_script.items() if k.startswith("http"))
                    plotly = sum(v for k, v in by_script.items() if "/PlotlyChart." in k)
                    runs.append((ms, js, plotly))
                runs.sort()
                rows.append((tr(key, "en"), *runs[len(runs) // 2]))
            browser.close()
    finally:
        stop_server(proc)
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args(argv)
    print("| page | switch | plotly.js | other JavaScript | the rest: server, network, waiting |")
    print("| --- | --- | --- | --- | --- |")
    for name, ms, js, plotly in profile_switches(args.repeats):
        print(f"| {name} | {ms:.0f} ms | {plotly:.0f} ms | {js - plotly:.0f} ms | {ms - js:.0f} ms |")


if __name__ == "__main__":
    main()
