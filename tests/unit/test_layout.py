"""The layout a newcomer relies on: no import cycle anywhere, the library free of streamlit, the top
of ganzoo/ holding only commands, one route for the device, thin pages in app_pages/ (not
Streamlit's legacy pages/ folder), benchmarks that never import the tests."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ganzoo"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, known: set) -> set:
    """ganzoo modules imported anywhere in the file (top level or inside functions)."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            for alias in node.names:  # `from ganzoo import checkpoints` imports a module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    # Importing a.b.c runs a and a.b first; those parents are not edges of interest unless modules.
    return {m for m in found if m in known and m != here and not here.startswith(m + ".") and m not in FIRST_PARTY}


FIRST_PARTY = ("ganzoo", "ui", "harness", "benchmarks", "tests")


def first_party_files(roots=FIRST_PARTY) -> list:
    return sorted(f for r in roots for f in (ROOT / r).rglob("*.py")) + sorted(ROOT.glob("*.py"))


def import_graph(files=None) -> dict:
    files = files or sorted(PACKAGE.rglob("*.py"))
    known = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, known) for f in files}


def find_cycle(graph: dict):
    state = {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt, stack + [nxt])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_finds_a_planted_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_ganzoo_has_no_import_cycle():
    graph = import_graph()
    assert "ganzoo.models.cyclegan" in graph and "ganzoo.models.cyclegan" in graph["ganzoo.inference.fast_cyclegan"]
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_no_import_cycle_anywhere_and_benchmarks_never_import_the_tests():
    graph = import_graph(first_party_files())
    assert "benchmarks.run_all" in graph and "ui.models" in graph and "harness" in graph
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))
    for name, deps in graph.items():
        if name.startswith("benchmarks"):
            assert not {d for d in deps if d.startswith("tests")}, name


def test_the_top_of_ganzoo_holds_only_commands():
    """Every module at the top of ganzoo/ is a command (`python -m ganzoo.NAME`): the library is grouped
    in its subpackages by role."""
    top = [f for f in PACKAGE.glob("*.py") if f.name != "__init__.py"]
    assert {f.stem for f in top} >= {"train", "sample", "evaluate", "translate"}
    for f in top:
        text = f.read_text()
        assert "def main(" in text and 'if __name__ == "__main__":' in text, f.name


def test_the_device_policy_is_read_only_at_the_edges():
    """`policy()` (this machine's policy) is read in device.py and by the commands' entry points; the
    rest of the library gets it from the model (`policy_of`) or as an argument."""
    for f in PACKAGE.rglob("*.py"):
        if f.parent == PACKAGE or f.relative_to(PACKAGE).as_posix() == "runtime/device.py":
            continue
        assert "policy()" not in f.read_text(), f


def test_pages_are_thin():
    """A page reads its inputs, calls the library and draws: no torch, no global seeding, at most 200 lines."""
    for page in (ROOT / "app_pages").glob("*.py"):
        text = page.read_text()
        imported = {n.split(".")[0] for n in imports_of_any(page)}
        assert "torch" not in imported, page.name
        assert "manual_seed" not in text, page.name
        assert len(text.splitlines()) <= 200, (page.name, len(text.splitlines()))


def imports_of_any(path: Path) -> set:
    """Every module name a file imports, first-party or not."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add(node.module or "")
    return names


def test_models_know_nothing_of_devices_inference_or_training():
    graph = import_graph()
    for name, deps in graph.items():
        if name.startswith("ganzoo.models"):
            forbidden = ("ganzoo.runtime.device", "ganzoo.inference", "ganzoo.training")
            assert not {d for d in deps if d.startswith(forbidden)}, name


def test_library_never_imports_streamlit():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] == "streamlit" for n in names), path


def test_pages_live_in_app_pages_and_no_legacy_pages_folder_exists():
    assert not (ROOT / "pages").exists()
    app = (ROOT / "app.py").read_text()
    pages = sorted(p.name for p in (ROOT / "app_pages").glob("*.py"))
    assert len(pages) >= 7 and all(f'"app_pages/{name}"' in app for name in pages)


def test_the_app_never_imports_keras_or_tensorflow():
    """A visitor's Keras generator is read with h5py (ganzoo/inference/keras_course.py): the app, its
    library and its commands run without Keras; only the tests write real Keras files."""
    app = [*PACKAGE.rglob("*.py"), *(ROOT / "app_pages").glob("*.py"), *ROOT.glob("*.py")]
    assert ROOT / "your_generator.py" in app
    for path in app:
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] in ("keras", "tensorflow", "tf_keras") for n in names), path
