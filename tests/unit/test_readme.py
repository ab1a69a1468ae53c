"""The README is a front door: short, no generated tables, every link and quoted command real.
The measured tables live where their commands write them: docs/models.md and benchmarks/README.md."""

import importlib.util
import re
from pathlib import Path

import pytest

from ganzoo import evaluate
from ganzoo.io.marked_blocks import replace_block

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
MARKER = re.compile(r"<!-- ([\w-]+):(start|end) -->")


def relative_links(text: str) -> list[str]:
    """Targets of Markdown links and images that point into the repository (no scheme, no bare anchor)."""
    targets = re.findall(r"!?\[[^\]]*\]\(([^)\s]+)\)", text)
    return [t.split("#")[0] for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t) and not t.startswith("#")]


def quoted_commands(text: str) -> list[str]:
    """Modules the README runs with `python -m`, in its code blocks and inline code alike."""
    code = re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S) + re.findall(r"`([^`\n]+)`", text)
    module = r"python -m (\w+(?:\.\w+)*)(?![\w.<])"  # a whole dotted name, not a `ganzoo.<command>` pattern
    return [m for span in code for m in re.findall(module, span)]


def test_the_readme_is_short_and_holds_no_generated_table():
    assert len(README.splitlines()) <= 250
    assert not MARKER.search(README), MARKER.search(README).group(0)


def test_every_relative_link_in_the_readme_resolves_to_a_file():
    links = relative_links(README)
    assert "docs/screenshot.png" in links and "benchmarks/README.md" in links and "docs/models.md" in links
    assert "weights/mnist-scgan/README.md" in links  # each model links its card
    missing = [link for link in links if not (ROOT / link).is_file()]
    assert not missing, missing
    # The link finder itself: an external address and an anchor are not files to look for.
    sample = "[a](https://x.org/y) [b](#top) ![c](docs/x.png) [d](a/b.md#part)"
    assert relative_links(sample) == ["docs/x.png", "a/b.md"]


def test_every_model_folder_is_linked_from_the_readme():
    folders = {p.name for p in (ROOT / "weights").iterdir() if (p / "README.md").is_file()}
    linked = {link.split("/")[1] for link in relative_links(README) if link.startswith("weights/")}
    assert folders == linked


def test_every_command_the_readme_quotes_is_a_module_that_runs():
    modules = quoted_commands(README)
    assert {"ganzoo.sample", "ganzoo.translate", "ganzoo.train", "ganzoo.evaluate"} <= set(modules)
    for module in modules:
        if not (ROOT / module.split(".")[0]).is_dir():  # a tool the test command installs (pytest)
            assert importlib.util.find_spec(module), f"python -m {module}: not installed"
            continue
        path = ROOT.joinpath(*module.split("."))
        script = path.with_suffix(".py") if path.with_suffix(".py").is_file() else path / "__main__.py"
        assert script.is_file(), f"python -m {module}: no such module"
        assert "__main__" in script.read_text(), f"python -m {module} has no main"


def test_the_readmes_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert ci.startswith("(test -x /usr/bin/chromium") and f"```bash\n{ci}\n```" in README


def test_the_quality_tables_in_docs_are_what_evaluate_builds_from_the_cards():
    page = (ROOT / "docs" / "models.md").read_text()
    for name, dataset in (("metrics", "mnist"), ("metrics-fashion", "fashion")):
        block = re.search(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", page, flags=re.S)
        assert block and block.group(1) == evaluate.readme_table(dataset), "run python -m ganzoo.evaluate --readme"


def test_evaluate_readme_writes_the_tables_into_the_page_it_is_given(tmp_path, capsys):
    page = tmp_path / "quality.md"
    page.write_text("# Quality\n\n<!-- metrics:start -->\nold\n<!-- metrics:end -->\n\nProse after the table.\n")
    evaluate.main(["--readme", str(page)])
    text = page.read_text()
    assert "old" not in text and "Prose after the table." in text
    assert evaluate.readme_table("mnist") in text and evaluate.readme_table("fashion") in text
    assert text.index("Prose after") < text.index("<!-- metrics-fashion:start -->")  # an absent block is appended
    with pytest.raises(SystemExit) as stop:
        evaluate.main(["--readme", str(tmp_path / "absent.md")])
    assert stop.value.code == 2 and "absent.md not found" in capsys.readouterr().err


def test_a_block_is_replaced_in_place_and_nothing_else_moves(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("a\n<!-- t:start -->\n1\n<!-- t:end -->\nb\n<!-- u:start -->\nkeep\n<!-- u:end -->\n")
    replace_block(page, "t", "2\n3")
    assert page.read_text() == "a\n<!-- t:start -->\n2\n3\n<!-- t:end -->\nb\n<!-- u:start -->\nkeep\n<!-- u:end -->\n"


def test_the_benchmark_report_is_where_run_all_writes_it():
    from benchmarks import run_all

    assert run_all.REPORT == ROOT / "benchmarks" / "README.md"
    report = run_all.REPORT.read_text()
    for name in ("benchmarks", "memory"):
        assert f"<!-- {name}:start -->" in report and f"<!-- {name}:end -->" in report


def test_every_relative_link_in_the_pages_the_readme_sends_to_resolves():
    pages = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "benchmarks" / "README.md"]
    missing = [f"{page.relative_to(ROOT)} -> {link}" for page in pages for link in relative_links(page.read_text())
               if not (page.parent / link).resolve().is_file()]
    assert not missing, missing
