"""Build options: defaults, then ``figgen.toml`` (or ``[tool.figgen]`` in pyproject.toml), then what the
caller gives (the command line, the Python API, a docs tool).

A configuration file looks like this; every key is optional::

    out = "output"
    theme = "light"            # light, dark, transparent
    preset = "docs"            # docs, slides
    palette = "default"        # or "colorblind": right and wrong apart under colour vision deficiencies
    background = "#1f4e9c"     # transparent theme only: the slide's colour, inks chosen for it
    formats = ["gif", "mp4", "png", "svg"]
    pace = 1.0                 # every animation frame shows this many times as long (0.25 to 4)
    data = "sample"            # sample, auto, an IDX folder or an .npz file
    split = "original"         # or "text": the text's split (the first 5,000 training images held out)
    class_names = ["T-shirt", "Trouser", ...]   # ten names for the labels 0-9 (default: the digits)
    jobs = 1
    cache = ".figgen-cache"
    gallery = true             # write index.html; false where a page of your own lives in the folder

    [params]                   # for every recipe that has the parameter
    TRAIN_STEPS = 2500

    [recipes.weights_evolution]
    TRAIN_SIZE = 1000

Errors name the file, the key and its line. Values are data (TOML); nothing is evaluated. The names of
themes, presets and formats are checked against their registries (:mod:`figgen.core.themes`,
:mod:`figgen.writers`), never against a list of their own. Paths are relative to the file's folder, and
``out`` and ``cache`` must stay inside it: a configuration file (from a repository you cloned, say) never
makes figgen write elsewhere; ``--out`` on the command line can.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from figgen.core.errors import FiggenError, suggest, unknown
from figgen.core.knobs import Rule, check_value
from figgen.core.themes import PALETTES, PRESETS, THEMES, get_theme, parse_colour
from figgen.data import SPLITS, check_class_names


@dataclass(frozen=True)
class Option:
    """One build option: its type in ``figgen.toml`` (None: the file may not set it), whether it marks
    outputs stale (part of every output's stamp) and whether a recipe's job needs it (:class:`Settings`).

    The table :data:`OPTIONS` is the one list of build options: the configuration file's keys, the options
    a file may set, the stamp and what every job gets derive from it; :class:`BuildOptions`, the CLI's flags
    and ``api.build``'s keywords are checked against it by the tests.
    """

    name: str
    toml: type | None
    stamp: bool = False
    job: bool = False


OPTIONS: tuple[Option, ...] = (
    Option("out", str, job=True),
    Option("theme", str, stamp=True, job=True),
    Option("preset", str, stamp=True, job=True),
    Option("palette", str, stamp=True, job=True),
    Option("background", str, stamp=True, job=True),
    Option("formats", list, stamp=True, job=True),
    Option("pace", float, stamp=True, job=True),
    Option("data", str, job=True),  # its content fingerprint, not its name, is in the stamp
    Option("split", str, stamp=True, job=True),
    Option("class_names", list, stamp=True, job=True),
    Option("jobs", int),
    Option("cache", str, job=True),
    Option("gallery", bool),
    Option("quick", None, job=True),  # quick sizes change the parameters, which the stamp holds
    Option("force", None),
    Option("strict", None),
    Option("wait", None),
)
STAMPED = tuple(o.name for o in OPTIONS if o.stamp)
# the file's keys: the options it may set, the recipes folder and the parameter tables
TOP_KEYS = {o.name: o.toml for o in OPTIONS if o.toml is not None} | {
    "recipes_dir": str,
    "params": dict,
    "recipes": dict,
}


PACE = Rule(float, 0.25, 4.0)  # how many times as long every animation frame shows


def _formats() -> tuple[str, ...]:
    from figgen.writers import formats

    return formats()


def _line_of(text: str, key: str) -> str:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*(\[[^\]]*\b{re.escape(key)}\b|\"?{re.escape(key)}\"?\s*=)", line):
            return f", line {number}"
    return ""


def _choice(where: str, value: str, choices) -> str:
    if value not in choices:
        raise unknown(where, value, choices)
    return value


def config_files(path: str | None) -> list[Path]:
    """The files a build reads its configuration from, in order, whether or not they exist yet: ``path``,
    else ./figgen.toml and ./pyproject.toml (tools that rebuild on a change watch these)."""
    return [Path(path)] if path else [Path("figgen.toml"), Path("pyproject.toml")]


def load_config(path: str | None) -> dict:
    """Read a configuration file (default: ./figgen.toml, else ./pyproject.toml's [tool.figgen])."""
    if path and not Path(path).exists():
        raise FiggenError(f"configuration file {path} does not exist")
    if path and not Path(path).is_file():
        raise FiggenError(f"configuration file {path} is not a file")
    for candidate in [p for p in config_files(path) if p.is_file()]:
        try:
            text = candidate.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise FiggenError(f"{candidate}: not UTF-8 text (TOML files are UTF-8)") from None
        except OSError as exc:
            raise FiggenError(f"{candidate}: cannot read ({exc.strerror or exc})") from None
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise FiggenError(f"{candidate}: invalid TOML ({exc})") from None
        if candidate.name == "pyproject.toml" and not path:
            tool = document.get("tool", {})
            if not isinstance(tool, dict):
                raise FiggenError(f"{candidate}: [tool] must be a table")
            document = tool.get("figgen")
            if document is None:
                continue
            if not isinstance(document, dict):
                raise FiggenError(f"{candidate}: [tool.figgen] must be a table, got {document!r}")
        _check_config(candidate, text, document)
        return _resolve_paths(candidate, text, document)
    return {}


def _resolve_paths(path: Path, text: str, document: dict) -> dict:
    """Paths relative to the configuration file's folder. An ``out`` or ``cache`` outside it is kept as an
    error to raise when that value is used (see :func:`configured`): the command line may override it."""
    folder = path.parent
    resolved = dict(document)
    for key in ("out", "cache", "data", "recipes_dir"):
        if key not in document or (key == "data" and document[key] in ("sample", "auto")):
            continue
        value = Path(document[key]).expanduser()
        joined = value if value.is_absolute() else folder / value
        resolved[key] = str(joined) if folder != Path(".") or value.is_absolute() else str(value)
        if key in ("out", "cache") and not joined.resolve().is_relative_to(folder.resolve()):
            resolved[key] = FiggenError(
                f"{path}: {key} = {document[key]!r}{_line_of(text, key)} is outside the project folder "
                f"{folder.resolve()}; a configuration file writes only inside its project "
                f"(give {'--out' if key == 'out' else 'FIGGEN_CACHE'} to write elsewhere)"
            )
    return resolved


def configured(document: dict, key: str, default=None):
    """A configuration value, or ``default``; raises the error of a path the file may not use."""
    value = document.get(key, default)
    if isinstance(value, FiggenError):
        raise value
    return value


def cache_folder(document: dict):
    """The training cache's folder: ``$FIGGEN_CACHE``, else the configured ``cache``, else the default."""
    from figgen.files.cache import ENVIRONMENT, cache_dir

    return cache_dir(None if os.environ.get(ENVIRONMENT) else configured(document, "cache"))


def _check_config(path: Path, text: str, document: dict) -> None:
    for key, value in document.items():
        where = f"{path}: {key}{_line_of(text, key)}"
        if key not in TOP_KEYS:
            raise FiggenError(f"{path}: unknown key {key!r}{_line_of(text, key)}{suggest(key, TOP_KEYS)}")
        kind = TOP_KEYS[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = document[key] = float(value)  # pace = 2 means 2.0
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise FiggenError(f"{where}: expected {kind.__name__}, got {value!r}")
        try:
            if key == "theme":
                _choice("theme", value, THEMES)
            elif key == "preset":
                _choice("preset", value, PRESETS)
            elif key == "palette":
                _choice("palette", value, PALETTES)
            elif key == "background":
                parse_colour(value)
            elif key == "formats":
                for fmt in value:
                    _choice("format", fmt, _formats())
            elif key == "split":
                _choice("split", value, SPLITS)
            elif key == "class_names":
                check_class_names(value, "class_names")
            elif key == "pace":
                check_value("pace", value, PACE)
            elif key == "jobs" and value < 1:
                raise FiggenError(f"jobs must be at least 1, got {value}")
            elif key == "recipes":
                for name, table in value.items():
                    if not isinstance(table, dict):
                        raise FiggenError(f"[recipes.{name}] must be a table of parameters")
        except FiggenError as exc:
            raise FiggenError(f"{where}: {exc}") from None


def parse_sets(items: list[str], where: str = "--set") -> dict[str, str]:
    """``--set KEY=VALUE`` items as a mapping of ``KEY`` (or ``RECIPE.KEY``) to the value's text; an error
    names an item as ``where`` and the item (Sphinx's ``:set:`` passes ``:set: item``)."""
    params = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise FiggenError(f"{where} {item!r}: expected KEY=VALUE")
        params[key] = value
    return params


def split_params(params: Mapping[str, object]) -> tuple[dict, dict]:
    """Split parameters into those for every recipe (``KEY``) and per recipe (``RECIPE.KEY``)."""
    everywhere, per_recipe = {}, {}
    for key, value in params.items():
        recipe, dot, name = str(key).rpartition(".")
        if dot:
            per_recipe.setdefault(recipe, {})[name] = value
        else:
            everywhere[key] = value
    return everywhere, per_recipe


@dataclass
class BuildOptions:
    """The resolved options of one build."""

    selected: list[str] = field(default_factory=list)
    out: str = "output"
    theme: str = "light"
    preset: str = "docs"
    palette: str = "default"
    background: str | None = None  # the slide's colour (transparent theme): inks chosen for it
    formats: tuple[str, ...] | None = None
    pace: float = 1.0
    data: str = "sample"
    split: str = "original"
    class_names: tuple[str, ...] | None = None  # None: the data set's own (labels.txt), else the digits
    jobs: int = 1
    cache: str = ".figgen-cache"
    gallery: bool = True
    recipes: str | None = None
    force: bool = False
    quick: bool = False
    strict: bool = False
    wait: bool = True
    params: dict = field(default_factory=dict)  # given KEY=value, for every recipe that has KEY
    recipe_params: dict = field(default_factory=dict)  # given RECIPE.KEY=value: recipe -> {KEY -> value}
    config_params: dict = field(default_factory=dict)  # the same two from the configuration file
    config_recipe_params: dict = field(default_factory=dict)

    @classmethod
    def resolve(cls, *, config: str | None = None, params: Mapping | None = None, **given) -> BuildOptions:
        """Merge defaults, the configuration file and the ``given`` options (None: not given); check them.

        ``params`` maps ``KEY`` or ``RECIPE.KEY`` to a value (text from the command line, or a value).
        ``formats`` may be a list or comma-separated text.
        """
        document = load_config(config)
        options = cls()
        for option in OPTIONS:  # what the file sets, unless given (cache and formats: below)
            key = option.name
            if option.toml is not None and key not in ("cache", "formats"):
                if key in document and given.get(key) is None:
                    setattr(options, key, configured(document, key))
        if given.get("cache") is None:
            options.cache = str(cache_folder(document))
        if "formats" in document:
            options.formats = tuple(document["formats"])
        options.recipes = document.get("recipes_dir")
        options.config_params = dict(document.get("params", {}))
        options.config_recipe_params = {k: dict(v) for k, v in document.get("recipes", {}).items()}
        formats = given.pop("formats", None)
        if isinstance(formats, str):
            formats = [f.strip() for f in formats.split(",") if f.strip()]
        if formats is not None:
            options.formats = tuple(formats)
        for key, value in given.items():
            if value is not None:
                setattr(options, key, list(value) if key == "selected" else value)
        options.params, options.recipe_params = split_params(params or {})
        options.check()
        return options

    def check(self) -> None:
        _choice("theme", self.theme, THEMES)
        _choice("preset", self.preset, PRESETS)
        _choice("palette", self.palette, PALETTES)
        get_theme(self.theme, self.palette, self.background)  # a background needs the transparent theme
        _choice("split", self.split, SPLITS)
        if self.class_names is not None:
            self.class_names = check_class_names(self.class_names, "--class-names")
        for fmt in self.formats or ():
            _choice("format", fmt, _formats())
        check_value("--pace", self.pace, PACE)
        if self.formats is not None and not self.formats:
            raise FiggenError("--formats names no format")
        if isinstance(self.jobs, bool) or not isinstance(self.jobs, int) or self.jobs < 1:
            raise FiggenError(f"--jobs must be at least 1, got {self.jobs}")
        if not str(self.out).strip():
            raise FiggenError("--out needs a folder name, got an empty one")
        if Path(self.out).exists() and not Path(self.out).is_dir():
            raise FiggenError(f"output folder {self.out} is a file")
        if Path(self.cache).exists() and not Path(self.cache).is_dir():
            raise FiggenError(f"the training cache {self.cache} is a file, not a folder (see FIGGEN_CACHE)")

    def overrides_for(self, selected, discovered) -> dict[str, dict]:
        """Return each selected recipe's overrides: configuration first, then the given ones.

        A given ``KEY`` must belong to a selected recipe; a configuration's ``[params]`` key to any recipe
        (a file serves every build, whichever recipes it selects). A recipe named in either must exist.
        """
        known = {r.name for r in discovered}
        for name in {**self.config_recipe_params, **self.recipe_params}:
            if name not in known:
                raise FiggenError(f"unknown recipe {name!r} in --set or configuration{suggest(name, known)}")
        selected_keys = {k for r in selected for k in r.params}
        for key in self.params:
            if key not in selected_keys:
                raise FiggenError(f"no selected recipe has a parameter {key!r}{suggest(key, selected_keys)}")
        all_keys = {k for r in discovered for k in r.params}
        for key in self.config_params:
            if key not in all_keys:
                raise FiggenError(
                    f"configuration [params]: no recipe has a parameter {key!r}{suggest(key, all_keys)}"
                )
        result = {}
        for recipe in selected:
            values = {k: v for k, v in self.config_params.items() if k in recipe.params}
            values.update(self.config_recipe_params.get(recipe.name, {}))
            values.update({k: v for k, v in self.params.items() if k in recipe.params})
            values.update(self.recipe_params.get(recipe.name, {}))
            result[recipe.name] = values
        return result
