"""The package's layers: imports go one way (data, training, drawing, writers, recipes, build, API, CLI),
nothing below the command line imports it, TensorFlow stays in figgen.training and tqdm in the CLI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "figgen"

# Low to high; a module may import its own layer and those below, never above.
LAYERS = [
    {"errors", "knobs", "themes", "atomic", "locks", "regime"},
    {"data", "cache"},
    {"training"},
    {"analysis"},
    {"draw", "figures"},
    {"writers"},
    {"recipe", "context", "gallery", "manifest", "folder", "jobs", "config"},
    {"builder"},
    {"api", "__init__", "embed", "notebook", "watch"},
    {"sphinx", "mkdocs"},  # the docs tools' integrations: callers of the API, like the command line
    {"cli", "__main__"},
]


def layer_of(module: str) -> int:
    top = module.split(".")[1] if module.count(".") else "__init__"
    return next(i for i, names in enumerate(LAYERS) if top in names)


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_every_module_has_a_layer():
    for name in modules():
        layer_of(name if name != "figgen" else "figgen.__init__")


def test_imports_never_run_back_up():
    found = modules()
    for name, path in found.items():
        own = layer_of(name if name != "figgen" else "figgen.__init__")
        for target in imports(path):
            if target in found and target != "figgen":
                assert layer_of(target) <= own, f"{name} imports {target}, a layer above it"


def test_nothing_imports_the_command_line_and_recipes_stand_on_the_recipe_layer():
    for name, path in modules().items():
        if name not in ("figgen.cli", "figgen.__main__"):
            assert "figgen.cli" not in imports(path), name
    for recipe in (ROOT / "recipes").glob("*.py"):
        assert not any(i.startswith("figgen.cli") for i in imports(recipe)), recipe.name


@pytest.mark.parametrize("library, home", [("tensorflow", "figgen.training"), ("tqdm", "figgen.cli")])
def test_heavy_or_interactive_libraries_stay_in_their_home(library, home):
    for name, path in modules().items():
        if any(i == library or i.startswith(f"{library}.") for i in imports(path)):
            assert name.startswith(home), f"{name} imports {library}"


def test_import_figgen_is_light():
    heavy = "('numpy', 'matplotlib', 'tensorflow', 'PIL')"
    probe = f"import sys, figgen; print(sorted(m for m in {heavy} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stderr
