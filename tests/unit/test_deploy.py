"""The Dockerfile, the Space's front matter, the README's run command and Streamlit's config agree."""

import importlib.machinery
import importlib.util
import json
import os
import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def front_matter() -> dict:
    text = (ROOT / "README.md").read_text().split("---")[1]
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in text.splitlines() if ":" in line)}


def dockerfile() -> dict:
    """Instruction -> list of its arguments, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            out.setdefault(word.upper(), []).append(rest.strip())
    return out


def test_front_matter_is_a_docker_space_on_the_dockerfiles_port():
    meta, docker = front_matter(), dockerfile()
    assert meta["sdk"] == "docker" and "suggested_hardware" in meta and "models" in meta
    assert docker["EXPOSE"] == [meta["app_port"]]
    health = " ".join(docker["HEALTHCHECK"])
    assert f":{meta['app_port']}/_stcore/health" in health


def serve_module():
    """./serve, imported without running it."""
    loader = importlib.machinery.SourceFileLoader("serve", str(ROOT / "serve"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("serve", loader))
    loader.exec_module(module)
    return module


def test_the_container_runs_serve_on_the_spaces_port_as_uid_1000():
    docker, readme = dockerfile(), (ROOT / "README.md").read_text()
    cmd = eval(docker["CMD"][0])  # the exec form: a JSON list of strings
    assert cmd == ["./serve", "--port", front_matter()["app_port"]]
    assert os.access(ROOT / "serve", os.X_OK)
    assert "apt-get install -y --no-install-recommends caddy" in " ".join(docker["RUN"])  # its proxy
    # Each of serve's processes runs the README's one-process command; with one process, on all interfaces.
    run_command = re.search(r"pip install -r requirements.txt && (streamlit run \S+)", readme).group(1)
    command = serve_module().streamlit_command("0.0.0.0", 8501)
    assert " ".join(command[2:4]) + " " + Path(command[4]).name == run_command
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"].get("port", 8501) == int(front_matter()["app_port"])
    assert config["server"]["headless"] is True
    assert "--uid 1000" in " ".join(docker["RUN"]) and docker["USER"] == ["user"]
    assert docker["FROM"][0].startswith("python:3.11-slim")


def test_serve_defaults_to_the_cores_it_may_use():
    assert 1 <= serve_module().default_processes() <= len(os.sched_getaffinity(0))


def test_serve_shares_the_cores_out_as_torch_threads_unless_the_operator_chose(monkeypatch):
    serve = serve_module()
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(serve, "default_processes", lambda: 8)
    assert [serve.backend_env(k)["OMP_NUM_THREADS"] for k in (1, 2, 3, 8, 16)] == ["8", "4", "2", "1", "1"]
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert serve.backend_env(2)["OMP_NUM_THREADS"] == "3"


def test_cpu_builds_take_pytorchs_cpu_wheels_at_the_pinned_versions():
    docker = dockerfile()
    assert docker["ARG"] == ["TORCH=cpu"]
    install = " ".join(docker["RUN"])
    assert "download.pytorch.org/whl/${TORCH}" in install
    # torch is installed from that index before requirements.txt, at the versions it pins.
    assert install.index("download.pytorch.org") < install.index("pip install -r requirements.txt")
    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
                if line.startswith(("torch==", "torchvision==")))
    assert set(pins) == {"torch", "torchvision"}
    assert "s/^torch==//p" in install and "s/^torchvision==//p" in install


def caddy_adapts(text: str, tmp_path) -> None:
    """Caddy (Debian's, which .ci/run installs) reads the Caddyfile: what `caddy run` would load."""
    path = tmp_path / "Caddyfile"
    path.write_text(text)
    done = subprocess.run(["caddy", "adapt", "--config", str(path), "--adapter", "caddyfile"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_serves_and_the_compose_files_caddyfiles_are_valid_and_stick_by_cookie(tmp_path):
    serve = caddy_adapts(serve_module().caddyfile(8501, "0.0.0.0", [40001, 40002]), tmp_path)
    compose = caddy_adapts((ROOT / "deploy" / "Caddyfile").read_text(), tmp_path)
    for config in (serve, compose):
        route = config["apps"]["http"]["servers"]["srv0"]["routes"][0]["handle"][0]
        assert route["handler"] == "reverse_proxy"
        assert route["load_balancing"]["selection_policy"]["policy"] == "cookie"
    assert [u["dial"] for u in serve["apps"]["http"]["servers"]["srv0"]["routes"][0]["handle"][0]["upstreams"]] \
        == ["127.0.0.1:40001", "127.0.0.1:40002"]
    services = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())["services"]
    assert services["app"]["command"][0] == "./serve"
    assert "./Caddyfile:/etc/ganzoo/Caddyfile:ro" in services["proxy"]["volumes"]
