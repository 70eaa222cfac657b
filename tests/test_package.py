"""The package's layers: imports go one way (core, files, data, training, drawing, writers, recipes,
build, API, integrations, CLI) with no cycle, nothing below the command line imports it, TensorFlow stays in
figgen.training and tqdm in the CLI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "figgen"

# Low to high, by package (or top-level module); a module may import its own layer and those below, never
# above, at the top of a file or inside a function alike. Nothing is exempt: the package itself (its
# ``__init__``, the public API) is the top, and only the entry points may import it.
LAYERS = [
    {"_version", "core"},  # errors, the text's knobs, the regime rule, themes
    {"files"},  # atomic writes, locks, the training cache
    {"data"},
    {"training"},
    {"analysis"},
    {"draw", "figures"},
    {"writers"},
    {"recipe"},  # reading recipe files, the context a recipe draws through
    {"builder"},  # options, plan and workers, the output folder, manifest, gallery
    {"api"},
    {"integrations"},  # Sphinx, MkDocs, notebooks and their one page-embedding module: callers of the API
    {"cli"},
    {
        "__init__",
        "sphinx",
        "__main__",
        "kit",
    },  # the public faces: the package, the Sphinx name, the recipe kit
]


def layer_of(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return next(i for i, names in enumerate(LAYERS) if top in names)


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, known: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """Every module a file imports, at the top or inside a function. ``from a import b`` imports ``a.b``
    when that is a module (one of ``known``), else ``a`` (b is a name in it)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                names.add(sub if sub in known else node.module)
    return names


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: {t for t in imports(path, set(found)) if t in found} for name, path in found.items()}


def test_every_module_has_a_layer():
    for name in modules():
        layer_of(name)


def test_imports_never_run_back_up():
    wrong = [
        f"{name} imports {target}, a layer above it"
        for name, targets in graph().items()
        for target in targets
        if layer_of(target) > layer_of(name)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_imports_have_no_cycle():
    """No module reaches itself through imports (Tarjan's strongly connected components, all of size 1)."""
    edges = graph()
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges[node]:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert not cycles, cycles


def test_the_layering_check_sees_imports_inside_functions(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from figgen.api import build\n    from figgen import cli\n")
    assert imports(probe, {"figgen.api", "figgen.cli"}) == {"figgen.api", "figgen.cli"}


def test_nothing_below_the_command_line_imports_it():
    """Only the entry point and the recipe kit (``run_recipe_file`` runs ``figgen build``) call the CLI."""
    for name, path in modules().items():
        if not name.startswith(("figgen.cli", "figgen.__main__", "figgen.kit")):
            assert not any(i.startswith("figgen.cli") for i in imports(path, set(modules()))), name


RECIPES = sorted((ROOT / "recipes").glob("*.py"))


def kit_names_imported(path: Path) -> set[str]:
    """The names a file imports from figgen.kit; raise if it imports figgen any other way."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            wrong = [a.name for a in node.names if a.name == "figgen" or a.name.startswith("figgen.")]
            assert not wrong, f"{path.name}:{node.lineno} imports {wrong[0]}; import names from figgen.kit"
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "figgen":
            assert node.module == "figgen.kit", (
                f"{path.name}:{node.lineno} imports from {node.module}; a recipe imports from figgen.kit only"
            )
            names.update(alias.name for alias in node.names)
    return names


def test_recipes_import_figgen_only_through_the_kit_and_the_kit_holds_what_they_use():
    import figgen.kit as kit

    assert RECIPES
    used = set().union(*(kit_names_imported(path) for path in RECIPES))
    assert "*" not in used, "a recipe names what it imports from figgen.kit"
    assert used <= set(kit.__all__), f"not in figgen.kit.__all__: {sorted(used - set(kit.__all__))}"
    assert len(kit.__all__) == len(set(kit.__all__))
    missing = [name for name in kit.__all__ if not hasattr(kit, name)]
    assert not missing, f"figgen.kit.__all__ names what it does not define: {missing}"
    # every name is for recipes: one uses it, or the kit's docstring offers it to authors
    idle = [name for name in kit.__all__ if name not in used and f"``{name}``" not in kit.__doc__]
    assert not idle, f"in figgen.kit.__all__ but used by no recipe nor documented for authors: {idle}"


def test_the_kit_check_sees_every_way_of_importing_figgen(tmp_path):
    probe = tmp_path / "probe.py"
    for line in ("import figgen.draw", "from figgen.draw import weights_frame", "from figgen import kit"):
        probe.write_text(f"def make(ctx, p):\n    {line}\n")
        with pytest.raises(AssertionError):
            kit_names_imported(probe)
    probe.write_text("import numpy as np\nfrom figgen.kit import weights_frame, run_recipe_file\n")
    assert kit_names_imported(probe) == {"weights_frame", "run_recipe_file"}


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


def test_the_wheel_lists_every_package_and_ships_the_recipes():
    """pyproject.toml lists figgen's packages (one missing would leave its modules out of the wheel) and maps
    the top-level recipes/ into the wheel as figgen.recipes, figgen's own recipes of an installed figgen."""
    import tomllib

    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {".".join(p.relative_to(ROOT).parent.parts) for p in (ROOT / "figgen").rglob("__init__.py")}
    assert set(settings["packages"]) == found | {"figgen.recipes"}
    assert settings["package-dir"] == {"figgen.recipes": "recipes"}
