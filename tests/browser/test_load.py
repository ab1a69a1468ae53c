"""The load benchmark, small: a few simulated visitors (Streamlit's websocket protocol, no browser)
against a real `streamlit run app.py`. It checks that every visitor was served without an error, not
how fast: speed is benchmarks/load.py's to measure."""

import pytest

from benchmarks import load
from benchmarks.served import Server
from tests.browser import free_port


@pytest.fixture(scope="module")
def plain_server():
    with Server(free_port(), processes=0, env=load.SERVER_ENV) as server:
        yield server


def assert_all_served(row, visitors):
    main, extra = row["main"], row["extra"]
    assert main.errors == [] and extra.errors == []
    assert main.served == {f"{row['scenario']}{i}" for i in range(visitors)}


def test_a_few_visitors_click_around(plain_server):
    row = load.scenario("click", plain_server.url, visitors=3, seed=1, seconds=0, limit=2)
    assert_all_served(row, 3)
    assert len(row["main"].latencies) == 6  # 3 visitors x 2 clicks, each a finished run with its images fetched


def test_lab_players_see_their_view_move_while_others_click(plain_server):
    row = load.scenario("lab", plain_server.url, visitors=2, seed=1, seconds=0, clickers=1, limit=2)
    assert_all_served(row, 2)
    assert row["extra"].served == {"clicker0"}
    for first, last in row["main"].steps.values():
        assert last > first  # the step count shown grew: training went on between updates
    assert all(n == 2 for n in row["main"].updates.values())


def test_a_few_visitors_upload_photos_to_cyclegan(plain_server):
    row = load.scenario("upload", plain_server.url, visitors=2, seed=1, seconds=0, limit=1)
    assert_all_served(row, 2)
