"""The layout a newcomer relies on: no import cycles inside ganzoo, the library free of streamlit,
pages in app_pages/ (not Streamlit's legacy pages/ folder)."""

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
    return {m for m in found if m in known and m != here and not here.startswith(m + ".") and m != "ganzoo"}


def import_graph() -> dict:
    files = sorted(PACKAGE.rglob("*.py"))
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


def test_models_know_nothing_of_devices_inference_or_training():
    graph = import_graph()
    for name, deps in graph.items():
        if name.startswith("ganzoo.models"):
            assert not {d for d in deps if d.startswith(("ganzoo.device", "ganzoo.inference", "ganzoo.training"))}, name


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
