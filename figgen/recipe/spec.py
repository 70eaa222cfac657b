"""Recipes: short scripts that each make one family of figures.

figgen's own recipes live in the repository's top-level ``recipes/`` and ship in the wheel as
``figgen/recipes`` (:func:`builtin_recipe_dir`); a user's folder (``--recipes``, ``recipes_dir`` in
figgen.toml, else ``recipes/`` where figgen runs) adds recipes of its own and replaces figgen's by name
(:func:`discover_recipes`; ``figgen recipes copy NAME`` starts such a copy).

A recipe module holds, as literal values read with :func:`ast.literal_eval` (so listing and staleness checks
never import or run it):

- a module docstring: its first line is the title, the rest the description (a missing one is an error);
- ``KNOBS`` (optional): the text's knobs it uses, by name (``"TRAIN_SIZE"``, ...); their defaults, ``--quick``
  values and ranges come from :mod:`figgen.core.knobs`;
- ``PARAMS``: its own parameters and their defaults (and a knob's default where the recipe's differs);
- ``QUICK``: the ``--quick`` values that differ from the knobs' shared ones (tests, previews);
- ``LIMITS`` (optional): ``{"KEY": (low, high)}`` inclusive ranges for its parameters (a knob's narrow the
  knob's own); ``high`` may be ``"train"`` or ``"test"`` (the data set's count), another parameter
  (``"TEST_SIZE"``), either with ``-1`` for an index (``"train-1"``, ``"STOP-1"``); a list parameter's
  range applies to each item, and ``{"range": (low, high), "items": (least, most)}`` also bounds its length.
  Every value LIMITS allow must build (the tests build the bounds);
- ``OUTPUTS``: ``{"stem": "animation" | "still" | "explorable"}``, the files it writes (each in the formats
  of its kind; an explorable is an interactive page, :mod:`figgen.writers.explorable`);
- ``ORDER`` (optional): a number, its place in the catalogue (``figgen list``, the gallery, the manifest):
  recipes go by ORDER, lowest first, then those without one, each group by name. The shipped recipes count
  in tens (``digit`` is 10), so a new one slots in between without renumbering;

and a function ``make(ctx, p)`` that gets a :class:`~figgen.recipe.context.RecipeContext` and the parameters
as a frozen dataclass. A recipe imports figgen's names from :mod:`figgen.kit` only. Ending the file with
``if __name__ == "__main__": run_recipe_file(__file__)`` (from the kit) lets
``python recipes/NAME.py [--set KEY=VALUE ...]`` build it alone.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import importlib.util
import math
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from figgen.core import knobs
from figgen.core.errors import FiggenError, suggest

KINDS = ("animation", "still", "explorable")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Recipe:
    """A recipe file as read without running it."""

    name: str
    path: Path
    title: str
    description: str
    params: dict
    quick: dict
    limits: dict
    outputs: dict  # stem -> kind
    source_hash: str
    order: int | float | None = None  # its place in the catalogue (ORDER); None: after those with one

    def summary(self) -> dict:
        """What ``figgen list --json`` says of a recipe, and each parameter's default, quick value, range."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "outputs": self.outputs,
            "params": self.params,
            "parameters": [
                {
                    "name": key,
                    "default": default,
                    "quick": self.quick.get(key, default),
                    "range": self.range_text(key),
                }
                for key, default in self.params.items()
            ],
            "path": str(self.path),
            "builtin": is_builtin(self),  # figgen's own, else the user's (a recipe of theirs, or a copy)
        }

    def range_text(self, key: str) -> str:
        """The values ``key`` takes, in words: "1 to the training examples", "above 0, at most 2; 1 to 4
        values"."""
        rules = [rule for rule in (knobs.RULES.get(key), self.limit(key)) if rule is not None]
        if not rules:
            return ""
        # a recipe's LIMITS narrow a knob's rule: the higher low bound, the recipe's high bound and counts
        low, low_open = max(((r.low, r.low_open) for r in rules if r.low is not None), default=(None, False))
        high = _bound_words(next((r.high for r in reversed(rules) if r.high is not None), None))
        items = next((r.items for r in reversed(rules) if r.items), None)
        if low is None:
            span = f"at most {high}" if high else ""
        elif low_open:
            span = f"above {low:g}" + (f", at most {high}" if high else "")
        else:
            span = f"{low:g} to {high}" if high else f"at least {low:g}"
        return "; ".join(w for w in (span, f"{items[0]} to {items[1]} values" if items else "") if w)

    def resolve(self, overrides: dict | None = None, *, quick: bool = False, data=None) -> dict:
        """Return the parameter values: defaults, then QUICK, then the overrides, coerced and checked.

        ``data`` (a data set) also checks sizes and indices against its counts.
        """
        values = dict(self.params)
        if quick:
            values.update(self.quick)
        for key, raw in (overrides or {}).items():
            if key not in values:
                raise FiggenError(f"recipe {self.name!r} has no parameter {key!r}{suggest(key, values)}")
            values[key] = coerce(f"{self.name}.{key}", raw, self.params[key], self.item_kind(key))
        for key, value in values.items():
            self.check(key, value, data, values)
        if "TRAIN_STEPS" in values:
            knobs.check_log_lines(
                values["TRAIN_STEPS"], values.get("LOG_EVERY", knobs.Knobs.LOG_EVERY), f"{self.name}."
            )
        return values

    def parameters(self, values: dict):
        """The resolved ``values`` as the frozen dataclass a recipe's ``make(ctx, p)`` gets as ``p``."""
        cls = dataclasses.make_dataclass(
            f"{self.name}_params", [(k, type(v)) for k, v in values.items()], frozen=True
        )
        return cls(**values)

    def check(self, key: str, value, data=None, values: dict | None = None) -> None:
        """Raise FiggenError if ``value`` is outside the range of parameter ``key`` (a knob's, and LIMITS)."""
        where = f"{self.name}.{key}"
        rules = [rule for rule in (knobs.RULES.get(key), self.limit(key)) if rule is not None]
        for rule in rules:
            knobs.check_value(where, value, rule, data, values)
        if rules:
            return
        items = value if isinstance(value, (list, tuple)) else [value]
        if isinstance(value, (list, tuple)) and not items:
            raise FiggenError(f"{where} needs at least one value")
        if any(isinstance(v, float) and not math.isfinite(v) for v in items):
            raise FiggenError(f"{where} must be a finite number, got {value}")

    def limit(self, key: str) -> knobs.Rule | None:
        """The rule of ``key``'s LIMITS entry, or None."""
        if key not in self.limits:
            return None
        spec = self.limits[key]
        (low, high), items = (spec["range"], spec.get("items")) if isinstance(spec, dict) else (spec, None)
        kind = self.item_kind(key) or type(self.params[key])
        return knobs.Rule(kind, low, high, items=tuple(items) if items else None)

    def item_kind(self, key: str) -> type | None:
        """The type of a list parameter's items: its default's, or for an empty default its lower bound's."""
        default = self.params[key]
        if not isinstance(default, list):
            return None
        if default:
            return type(default[0])
        spec = self.limits.get(key)
        low = (spec["range"] if isinstance(spec, dict) else spec)[0] if spec else None
        return type(low) if isinstance(low, (int, float)) and not isinstance(low, bool) else None


def _bound_words(high) -> str | None:
    """An upper bound in words: 9, 100,000, "the training examples", "the last test example", "STOP − 1"."""
    if high is None or not isinstance(high, str):
        return None if high is None else f"{high:,}" if isinstance(high, int) else f"{high:g}"
    name, _, minus = high.partition("-")
    split = {"train": "training", "test": "test"}.get(name)
    if split:
        return f"the last {split} example" if minus else f"the {split} examples"
    return f"{name} − {minus}" if minus else name


def _limit_shaped(spec) -> bool:
    def pair(value):
        return isinstance(value, (tuple, list)) and len(value) == 2

    if isinstance(spec, dict):
        return set(spec) <= {"range", "items"} and pair(spec.get("range")) and pair(spec.get("items", (0, 0)))
    return pair(spec)


def coerce(where: str, raw, default, items: type | None = None):
    """Turn a command-line or TOML value into the type of ``default`` (a list's items: ``items``, else the
    type of the default's first item); never evaluates code."""
    kind = type(default)
    if isinstance(raw, str) and kind is not str:
        text = raw.strip()
        try:
            if kind is bool:
                lowered = text.lower()
                if lowered not in ("true", "false", "yes", "no", "1", "0", "on", "off"):
                    raise ValueError
                return lowered in ("true", "yes", "1", "on")
            if kind is int:
                return int(text.replace("_", ""))
            if kind is float:
                return float(text)
            if kind in (list, tuple):
                value = ast.literal_eval(text if text.startswith(("[", "(")) else f"[{text}]")
                return coerce(where, list(value), default, items)
        except (ValueError, SyntaxError):
            raise FiggenError(f"{where} must be {_type_name(default)}, got {raw!r}") from None
    if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    if kind in (list, tuple) and isinstance(raw, (list, tuple)):
        items = items or (type(default[0]) if default else None)
        if items is not None and not all(_fits(v, items) for v in raw):
            raise FiggenError(f"{where} must be {_type_name(default)}, got {raw!r}")
        return kind(float(v) if items is float else v for v in raw)
    if not isinstance(raw, kind) or (kind is int and isinstance(raw, bool)):
        raise FiggenError(f"{where} must be {_type_name(default)}, got {raw!r}")
    return raw


def _fits(value, kind: type) -> bool:
    """Whether a value can stand for ``kind``: an int for a float, but never a bool for a number."""
    if isinstance(value, bool):
        return kind is bool
    return isinstance(value, kind) or (kind is float and isinstance(value, int))


def _type_name(default) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, (list, tuple)):
        return "a list like 1,2,3"
    return "text"


def builtin_recipe_dir() -> Path:
    """The recipes that ship with figgen: ``figgen/recipes`` in an installed wheel (pyproject maps the
    repository's top-level ``recipes/`` there), the repository's ``recipes/`` in a source checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "recipes"
    return installed if installed.is_dir() else package.parent / "recipes"


def default_recipe_dir() -> Path | None:
    """The user's recipes when none are named: ``recipes/`` in the current folder, if there is one."""
    here = Path("recipes")
    return here if here.is_dir() else None


def read_recipe(path: Path) -> Recipe:
    """Read a recipe file's docstring and literal settings without importing it."""
    path = Path(path)
    name = path.stem
    if not NAME.match(name):
        raise FiggenError(f"{path}: recipe names are lower-case letters, digits and '_'")
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise FiggenError(f"{path}: cannot read recipe ({exc.strerror or exc})") from None
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:  # its line, and Python's words without the file it names again
        where = f"{path}:{exc.lineno}" if exc.lineno else str(path)
        raise FiggenError(f"{where}: {exc.msg}") from None
    except ValueError as exc:
        raise FiggenError(f"{path}: cannot read recipe ({exc})") from None
    doc = ast.get_docstring(tree)
    if not doc:
        raise FiggenError(f"{path}: a recipe needs a module docstring (its first line is the title)")
    title, _, description = doc.partition("\n")
    settings = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            key = node.targets[0].id
            if key in ("KNOBS", "PARAMS", "QUICK", "LIMITS", "OUTPUTS", "ORDER"):
                try:
                    settings[key] = ast.literal_eval(node.value)
                except ValueError:
                    raise FiggenError(f"{path}:{node.lineno}: {key} must be a literal value") from None
    used = settings.get("KNOBS", ())
    if not isinstance(used, (list, tuple)) or not all(k in knobs.NAMES for k in used):
        raise FiggenError(f"{path}: KNOBS must list some of {', '.join(knobs.NAMES)}, got {used!r}")
    text = knobs.Knobs()
    params = {k: getattr(text, k) for k in used} | settings.get("PARAMS", {})
    quick = {k: knobs.QUICK[k] for k in used if k in knobs.QUICK} | settings.get("QUICK", {})
    outputs, limits = settings.get("OUTPUTS"), settings.get("LIMITS", {})
    if not isinstance(outputs, dict) or not outputs:
        raise FiggenError(f"{path}: a recipe needs OUTPUTS = {{'stem': 'animation' or 'still'}}")
    for stem, kind in outputs.items():
        if not isinstance(stem, str) or not NAME.match(stem):
            raise FiggenError(f"{path}: output name {stem!r} must be lower-case letters, digits and '_'")
        if kind not in KINDS:
            raise FiggenError(
                f"{path}: output {stem!r} has kind {kind!r}; use 'animation', 'still' or 'explorable'"
            )
    order = settings.get("ORDER")
    if order is not None and (
        isinstance(order, bool) or not isinstance(order, (int, float)) or not math.isfinite(order)
    ):
        raise FiggenError(f"{path}: ORDER must be a number (its place in the catalogue), got {order!r}")
    unknown = set(quick) - set(params)
    if unknown:
        raise FiggenError(f"{path}: QUICK sets {sorted(unknown)[0]!r}, which is not in PARAMS")
    for key, spec in limits.items():
        if key not in params or not _limit_shaped(spec):
            raise FiggenError(
                f"{path}: LIMITS[{key!r}] must be (low, high) or "
                "{'range': (low, high), 'items': (least, most)} for a parameter in PARAMS"
            )
    return Recipe(
        name=name,
        path=path,
        title=title.strip(),
        description=" ".join(description.split()),
        params=params,
        quick=quick,
        limits=limits,
        outputs=outputs,
        source_hash=hashlib.sha256(source).hexdigest(),
        order=order,
    )


@dataclass(frozen=True)
class BrokenRecipe:
    """A recipe file that cannot be read as a recipe (a syntax error, no docstring, bad settings): that
    recipe's failure, never the others'."""

    name: str
    path: Path
    error: str  # one line, from the file (and its line, where one is at fault): "recipes/x.py:3: ..."

    @property
    def line(self) -> int | None:
        """The line the error names, if it names one."""
        found = re.match(re.escape(str(self.path)) + r":(\d+):", self.error)
        return int(found.group(1)) if found else None


class Recipes(list[Recipe]):
    """The readable recipes of a folder, in the catalogue's order (a list of :class:`Recipe`), and in
    ``broken`` the files there that cannot be read as recipes, by name."""

    def __init__(
        self,
        recipes: Iterable[Recipe] = (),
        broken: Iterable[BrokenRecipe] = (),
        folders: Iterable[Path] = (),
    ):
        super().__init__(recipes)
        self.broken: list[BrokenRecipe] = list(broken)
        self.folders: list[Path] = list(folders)  # where they were read: figgen's own, then the user's


def recipe_folder(folder: str | Path) -> Path:
    """``folder`` checked: a one-line FiggenError when it is missing, is not a folder or cannot be looked at
    (a name too long, no permission)."""
    folder = Path(folder)
    try:
        info = folder.stat()
    except FileNotFoundError:
        raise FiggenError(f"recipe folder {folder} does not exist") from None
    except NotADirectoryError:
        raise FiggenError(f"recipe folder {folder} is inside a file, not a folder") from None
    except OSError as exc:
        raise FiggenError(f"recipe folder {folder} cannot be used: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise FiggenError(f"recipe folder {folder} is not a folder")
    return folder


def recipe_folders(folder: str | Path | None = None, *, builtin: bool = True) -> list[Path]:
    """The folders recipes are read from, later ones winning by name: figgen's own
    (:func:`builtin_recipe_dir`; left out when not ``builtin``), then the user's: ``folder`` (which must
    exist), else ``recipes/`` here if there is one. Figgen's own folder is read once, even when it is also the
    user's (a source checkout); it is read when ``builtin`` is false only if the user names it."""
    ours = builtin_recipe_dir()
    user = recipe_folder(folder) if folder else default_recipe_dir()
    folders = [ours] if builtin and ours.is_dir() else []
    if user is not None and not (folders and _same_folder(user, ours)):
        folders.append(user)
    return folders


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def discover_recipes(folder: str | Path | None = None, *, builtin: bool = True) -> Recipes:
    """Return the recipes of :func:`recipe_folders` (figgen's own unless not ``builtin``, and the user's
    ``folder`` or ``recipes/``, whose recipes add to figgen's or replace one of the same name) in the
    catalogue's order: by their ``ORDER``, then those without one; each group by name. A file that cannot be
    read as a recipe is not among them but in the result's ``broken``: it fails alone, when it is built or
    listed."""
    folders = recipe_folders(folder, builtin=builtin)
    found: dict[str, Recipe | BrokenRecipe] = {}
    for where in folders:
        try:
            paths = sorted(p for p in where.glob("*.py") if not p.name.startswith("_"))
        except OSError as exc:
            raise FiggenError(f"recipe folder {where} cannot be read: {exc.strerror or exc}") from None
        for path in paths:
            try:
                found[path.stem] = read_recipe(path)
            except FiggenError as exc:
                found[path.stem] = BrokenRecipe(path.stem, path, str(exc))
    recipes = [r for r in found.values() if isinstance(r, Recipe)]
    broken = [b for b in found.values() if isinstance(b, BrokenRecipe)]
    recipes.sort(key=lambda r: (r.order is None, r.order or 0, r.name))
    return Recipes(recipes, broken, folders)


def is_builtin(recipe: Recipe | BrokenRecipe) -> bool:
    """Whether ``recipe`` is one of figgen's own (not the user's copy or a recipe of their own)."""
    return _same_folder(recipe.path.parent, builtin_recipe_dir())


def select_recipes(recipes: list[Recipe], names: list[str]) -> list[Recipe]:
    """Return the recipes named (all when none), or raise with a close-match suggestion. A name among the
    broken recipes (``recipes.broken``) is no error here: :func:`broken_selected` gives it."""
    if not names:
        return recipes
    by_name = {r.name: r for r in recipes}
    broken = {b.name for b in getattr(recipes, "broken", [])}
    for name in names:
        if name not in by_name and name not in broken:
            raise FiggenError(f"unknown recipe {name!r}{suggest(name, [*by_name, *broken])}")
    return [r for r in recipes if r.name in names]


def broken_selected(recipes: list[Recipe], names: list[str]) -> list[BrokenRecipe]:
    """The broken recipes among those named (all of them when none are): each is a failure of its own."""
    return [b for b in getattr(recipes, "broken", []) if not names or b.name in names]


def load_make(recipe: Recipe):
    """Import a recipe file and return its ``make`` function (the only place a recipe file runs)."""
    spec = importlib.util.spec_from_file_location(f"figgen_recipe_{recipe.name}", recipe.path)
    if spec is None or spec.loader is None:  # a path Python does not import (not a .py file)
        raise FiggenError(f"{recipe.path}: a recipe is a Python file, and this one cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    make = getattr(module, "make", None)
    if not callable(make):
        raise FiggenError(f"{recipe.path}: a recipe needs a function make(ctx, p)")
    return make
