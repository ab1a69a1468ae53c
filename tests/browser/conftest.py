"""One `streamlit run app.py` server and one Chromium per browser-test module."""

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import ROOT, launch, start_server, stop_server


@pytest.fixture(scope="module")
def server_process():
    try:
        url, proc = start_server("app.py", ROOT / "tests" / ".streamlit-server.log")
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield url, proc
    stop_server(proc)


@pytest.fixture(scope="module")
def server(server_process):
    return server_process[0]


@pytest.fixture(scope="module")
def server_pid(server_process):
    return server_process[1].pid


@pytest.fixture(scope="module")
def browser(server):
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
