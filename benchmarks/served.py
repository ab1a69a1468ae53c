"""A server under test, started here and stopped here: `streamlit run app.py`, or `./serve --processes K`
(K Streamlit processes behind Caddy), with its memory and CPU time read from /proc over its process tree."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def process_tree(pid: int) -> list[int]:
    """pid and every process below it."""
    children, tree, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo += children.get(p, [])
    return tree


def tree_rss_mb(pid: int) -> float:
    total = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def tree_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of every process in the tree so far."""
    total = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


class Server:
    """`with Server(port, processes) as server:` server.url, server.backends (each process's own URL)."""

    def __init__(self, port: int, processes: int = 0, env: dict | None = None, log_path: Path | None = None):
        self.port, self.processes = port, processes
        self.env = dict(os.environ, **(env or {}))
        self.log_path = log_path or ROOT / "benchmarks" / f".load-server-{port}.log"
        self.url = f"http://127.0.0.1:{port}"
        self.backends: list[str] = []
        self.proc = None

    def command(self) -> list[str]:
        if self.processes == 0:  # plain `streamlit run app.py`, the one-process way
            return [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
                    "--server.address", "127.0.0.1", "--server.headless", "true",
                    "--browser.gatherUsageStats", "false"]
        return [str(ROOT / "serve"), "--port", str(self.port), "--processes", str(self.processes),
                "--address", "127.0.0.1"]

    def __enter__(self):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.command(), cwd=ROOT, env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.log_path.read_text()[-3000:]}")
            log = self.log_path.read_text()
            # ./serve --processes 1 execs Streamlit alone, which never prints "serve: ready"
            ready = "serve: ready" in log if self.processes > 1 else self._healthy(self.url)
            if ready:
                self.backends = re.findall(r"serve: backend \d+ of \d+ at (\S+)", log) or [self.url]
                return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server not ready within 240 s: {self.log_path.read_text()[-3000:]}")

    @staticmethod
    def _healthy(url: str) -> bool:
        try:
            return urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok"
        except OSError:
            return False

    def rss_mb(self) -> float:
        return tree_rss_mb(self.proc.pid)

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: only what this script started
            self.proc.wait()

    def __exit__(self, *exc):
        self.stop()
        self.log.close()
