"""The browser tests' real server and Chromium: harness/, which the benchmarks drive too."""

from harness import (  # noqa: F401 - re-exported for the browser tests
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    draw_a_one,
    free_port,
    launch,
    open_page,
    peak_rss_mb,
    rss_mb,
    start_server,
    stop_server,
    wait_idle,
    wait_rendered,
)
