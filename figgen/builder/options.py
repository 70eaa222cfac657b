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

import argparse
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from figgen.builder import checks
from figgen.builder.checks import Check, shown
from figgen.core.errors import FiggenError, suggest
from figgen.core.themes import PALETTES, PRESETS, THEMES, get_theme
from figgen.files.own import check_folder


def _line_of(text: str, key: str) -> str:
    for row, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*(\[[^\]]*\b{re.escape(key)}\b|\"?{re.escape(key)}\"?\s*=)", line):
            return f", line {row}"
    return ""


def config_files(path: str | None) -> list[Path]:
    """The files a build reads its configuration from, in order, whether or not they exist yet: ``path``,
    else ./figgen.toml and ./pyproject.toml (tools that rebuild on a change watch these)."""
    return [Path(path)] if path else [Path("figgen.toml"), Path("pyproject.toml")]


def load_config(path: str | None) -> dict:
    """Read a configuration file (default: ./figgen.toml, else ./pyproject.toml's [tool.figgen])."""
    try:
        if path and not Path(path).exists():
            raise FiggenError(f"configuration file {path} does not exist")
        if path and not Path(path).is_file():
            raise FiggenError(f"configuration file {path} is not a file")
    except OSError as exc:  # a name too long, say
        raise FiggenError(f"configuration file {shown(path)}: {exc.strerror or exc}") from None
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
            table = tool.get("figgen")
            if table is None:
                continue
            if not isinstance(table, dict):
                raise FiggenError(f"{candidate}: [tool.figgen] must be a table, got {table!r}")
            document = table
        _check_config(candidate, text, document)
        return _resolve_paths(candidate, text, document)
    return {}


def _resolve_paths(path: Path, text: str, document: dict) -> dict:
    """Paths relative to the configuration file's folder. An ``out`` or ``cache`` outside it is kept as an
    error to raise when that value is used (see :func:`configured`): the command line may override it."""
    folder = path.parent
    resolved = dict(document)
    for key in (*(o.name for o in OPTIONS if o.path), "recipes_dir"):
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
            if isinstance(value, dict) and key == "recipes":
                for name, table in value.items():
                    if not isinstance(table, dict):
                        raise FiggenError(f"[recipes.{name}] must be a table of parameters")
            elif key in OPTION_NAMES:
                option = get_option(key)
                if option.accepts is not None:
                    option.accepts(value, key)
                if option.check is not None and not option.path:  # a path is checked once resolved
                    option.check(value, key)
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


def split_params(params: Mapping[str, object]) -> tuple[dict[str, object], dict[str, dict[str, object]]]:
    """Split parameters into those for every recipe (``KEY``) and per recipe (``RECIPE.KEY``)."""
    everywhere: dict[str, object] = {}
    per_recipe: dict[str, dict[str, object]] = {}
    for key, value in params.items():
        recipe, dot, name = str(key).rpartition(".")
        if dot:
            per_recipe.setdefault(recipe, {})[name] = value
        else:
            everywhere[key] = value
    return everywhere, per_recipe


def type_checked(name: str, value):
    """``value`` of the build option ``name`` after its table's type check, naming it by ``name`` (None:
    None): for the API's functions that take an option outside a build, which check the value themselves."""
    accepts = get_option(name).accepts
    return value if value is None or accepts is None else accepts(value, name)


@dataclass(frozen=True)
class Option:
    """One build option, read from its field in :class:`BuildOptions` (see :func:`option`)."""

    name: str
    default: Any
    toml: type | None  # its type in figgen.toml; None: a file may not set it
    stamp: bool  # part of every output's stamp: changing it marks outputs stale
    path: bool  # a path: in figgen.toml relative to the file's folder, checked once resolved
    page: bool  # a docs page (Sphinx, MkDocs, a notebook) may choose it (figgen.integrations.pages)
    check: Check | None  # (value, where) -> the value to keep; raises FiggenError naming ``where``
    accepts: Check | None  # (value, name) -> the value: its type, checked before ``check``, naming ``name``
    flags: tuple[str, ...]  # the build command's flags; () for none
    cli: Mapping[str, Any]  # argparse's keywords for them: help (text, or a function giving it), ...

    @property
    def where(self) -> str:
        """How an error names the option given by a caller: its flag, else its name."""
        return next((f for f in self.flags if f.startswith("--") and not f.startswith("--no-")), self.name)

    def help(self) -> str:
        text = self.cli.get("help", "")
        return text() if callable(text) else text


class OnOff(argparse.Action):
    """A flag and its opposite, ``--NAME`` and ``--no-NAME``, both in an option's ``flags``: given, the
    option is True or False (and overrides figgen.toml); not given, None (the file's value or the default)."""

    def __init__(self, option_strings, dest, **keywords):
        super().__init__(option_strings, dest, nargs=0, **keywords)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, not str(option_string).startswith("--no-"))

    def format_usage(self) -> str:
        return " | ".join(self.option_strings)


def option(
    default: Any,
    *,
    toml: type | None = None,
    stamp: bool = False,
    path: bool = False,
    page: bool = False,
    check: Check | None = None,
    accepts: Check | None = None,
    flags: tuple[str, ...] = (),
    **cli: Any,
) -> Any:
    """A :class:`BuildOptions` field that is a build option: its default, its type in figgen.toml, whether
    it is stamped, whether it is a path, whether a docs page may choose it, its check, the check of its
    type (``accepts``: every option has one, a test checks), and its command-line flags with argparse's
    keywords (``help``, ``metavar``, ``type``, ``action``)."""
    meta = dict(
        toml=toml, stamp=stamp, path=path, page=page, check=check, accepts=accepts, flags=flags, cli=cli
    )
    return field(default=default, metadata={"option": meta})


@dataclass
class BuildOptions:
    """The resolved options of one build, and the one table of build options.

    Every field made with :func:`option` is a build option: :data:`OPTIONS` reads them, in this order, and
    the configuration file's keys, its checks, the stamp, the command line's build flags and the docs tools'
    choices derive from it; ``api.build`` names each as a keyword (a test checks they agree). Adding an
    option is one field here, its keyword in ``api.build`` and the code that uses it.
    """

    out: str = option(
        "output",
        toml=str,
        path=True,
        check=checks.folder("output folder {} is a file"),
        accepts=checks.path_check("a folder's path"),
        flags=("--out",),
        metavar="DIR",
        help="output folder (default: output/; quick builds: quick/ in it, apart from the real figures)",
    )
    theme: str = option(
        "light",
        toml=str,
        stamp=True,
        page=True,
        check=checks.one_of("theme", lambda: THEMES),
        accepts=checks.text_of(lambda: THEMES),
        flags=("--theme",),
        help=lambda: ", ".join(THEMES),
    )
    preset: str = option(
        "docs",
        toml=str,
        stamp=True,
        page=True,
        check=checks.one_of("preset", lambda: PRESETS),
        accepts=checks.text_of(lambda: PRESETS),
        flags=("--preset",),
        help=lambda: ", ".join(PRESETS),
    )
    palette: str = option(
        "default",
        toml=str,
        stamp=True,
        check=checks.one_of("palette", lambda: PALETTES),
        accepts=checks.text_of(lambda: PALETTES),
        flags=("--palette",),
        help=lambda: f"{', '.join(PALETTES)}: colour-blind safe colours for right and wrong",
    )
    background: str | None = option(  # the slide's colour (transparent theme): inks chosen for it
        None,
        toml=str,
        stamp=True,
        check=checks.colour,
        accepts=checks.colour_text,
        flags=("--background",),
        metavar="COLOUR",
        help="with --theme transparent: the slide's colour (#1f4e9c); inks are chosen to read on it",
    )
    formats: tuple[str, ...] | None = option(
        None,
        toml=list,
        stamp=True,
        check=checks.format_list,
        accepts=checks.names("format names"),
        flags=("--formats",),
        help=lambda: f"comma-separated: {','.join(checks.formats())}",
    )
    pace: float = option(
        1.0,
        toml=float,
        stamp=True,
        check=checks.pace,
        accepts=checks.number,
        flags=("--pace",),
        type=float,
        help="frames show this many times as long: 2 for a lecture, 0.5 for a preview",
    )
    data: str = option(  # its content fingerprint, not its name, is in the stamp
        "sample",
        toml=str,
        path=True,
        check=checks.path_text,
        accepts=checks.path_check("sample, auto or a path"),
        flags=("--data",),
        help="data source: sample, auto, an IDX folder or an .npz file",
    )
    split: str = option(
        "original",
        toml=str,
        stamp=True,
        check=checks.split,
        accepts=checks.text_of(checks.splits),
        flags=("--split",),
        help="original (default) or text: the text's split, training images 5,000 on",
    )
    class_names: tuple[str, ...] | None = option(  # None: the data set's own (labels.txt), else the digits
        None,
        toml=list,
        stamp=True,
        check=checks.class_names,
        accepts=checks.names("ten names"),
        flags=("--class-names",),
        metavar="A,B,...",
        help="ten names for the labels 0-9 (default: the digits)",
    )
    jobs: int = option(
        1,
        toml=int,
        check=checks.jobs,
        accepts=checks.whole,
        flags=("--jobs", "-j"),
        type=int,
        help="recipes to run in parallel processes",
    )
    cache: str = option(  # or $FIGGEN_CACHE
        ".figgen-cache",
        toml=str,
        path=True,
        check=checks.folder("the training cache {} is a file, not a folder (see FIGGEN_CACHE)"),
        accepts=checks.path_check("a folder's path"),
    )
    gallery: bool = option(
        True,
        toml=bool,
        accepts=checks.flag_check,
        flags=("--gallery", "--no-gallery"),
        action=OnOff,
        help="write the gallery page index.html (default), or not (a page of your own lives in the folder); "
        "either overrides figgen.toml's gallery",
    )
    force: bool = option(
        False,
        accepts=checks.flag_check,
        flags=("--force",),
        action="store_true",
        help="rebuild even what is up to date",
    )
    quick: bool = option(  # quick sizes change the parameters, which the stamp holds
        False,
        page=True,
        accepts=checks.flag_check,
        flags=("--quick",),
        action="store_true",
        help="small sizes, for tests and previews",
    )
    strict: bool = option(
        False,
        accepts=checks.flag_check,
        flags=("--strict",),
        action="store_true",
        help="stop at the first failing recipe",
    )
    wait: bool = option(
        True,
        accepts=checks.flag_check,
        flags=("--no-wait",),
        action="store_false",
        help="fail instead of waiting for another build",
    )
    # not options: what to build and the parameters
    selected: list[str] = field(default_factory=list)
    recipes: str | None = None  # the user's recipe folder (None: recipes/ here, if any)
    builtin_recipes: bool = True  # figgen's own recipes too (figgen.toml: builtin_recipes = false: yours)
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
        for each in OPTIONS:  # what the file sets, unless given
            if each.toml is not None and each.name in document and given.get(each.name) is None:
                setattr(options, each.name, configured(document, each.name))
        if given.get("cache") is None:  # $FIGGEN_CACHE, else the file's, else the default
            options.cache = str(cache_folder(document))
        options.recipes = document.get("recipes_dir")
        options.builtin_recipes = document.get("builtin_recipes", True)
        options.config_params = dict(document.get("params", {}))
        options.config_recipe_params = {k: dict(v) for k, v in document.get("recipes", {}).items()}
        for key, value in given.items():
            if value is not None:
                setattr(options, key, list(value) if key == "selected" else value)
        options.params, options.recipe_params = split_params(checks.check_params(params))
        if options.quick is True and given.get("out") is None:  # a preview never replaces the real figures
            options.out = str(Path(options.out) / QUICK_FOLDER)
        options.check()
        from figgen.files.cache import ENVIRONMENT  # numpy: not at import

        named = {key for key, value in given.items() if value is not None} | set(document)
        if os.environ.get(ENVIRONMENT):
            named.add("cache")
        for key in ("out", "cache"):  # a default that is a link (committed in a repository): refused
            if key not in named:
                check_folder(Path(getattr(options, key)), named=False)
        return options

    def check(self) -> None:
        """Check every option's type (naming it by its name) and value (naming its flag), keeping the checked
        value (a tuple for a list, text for a path), then what options say together."""
        for each in OPTIONS:
            value = getattr(self, each.name)
            if value is None:
                continue
            if each.accepts is not None:
                value = each.accepts(value, each.name)
            if each.check is not None:
                value = each.check(value, each.where)
            setattr(self, each.name, value)
        get_theme(self.theme, self.palette, self.background)  # a background needs the transparent theme

    def overrides_for(self, selected, discovered) -> dict[str, dict]:
        """Return each selected recipe's overrides: configuration first, then the given ones.

        A given ``KEY`` must belong to a selected recipe; a configuration's ``[params]`` key to any recipe
        (a file serves every build, whichever recipes it selects). A recipe named in either must exist.
        """
        known = {r.name for r in discovered}
        for name in {**self.config_recipe_params, **self.recipe_params}:
            if name not in known:
                raise FiggenError(
                    f"unknown recipe {name!r} in the parameters or configuration{suggest(name, known)}"
                )
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


OPTIONS: tuple[Option, ...] = tuple(
    Option(f.name, f.default, **f.metadata["option"]) for f in fields(BuildOptions) if "option" in f.metadata
)
STAMPED = tuple(o.name for o in OPTIONS if o.stamp)
# the file's keys: the options it may set, the recipes (the user's folder, whether figgen's own are built too)
# and the parameter tables
TOP_KEYS = {o.name: o.toml for o in OPTIONS if o.toml is not None} | {
    "recipes_dir": str,
    "builtin_recipes": bool,
    "params": dict,
    "recipes": dict,
}


#: where a quick build goes when no output folder is given: this folder in the default or configured one
QUICK_FOLDER = "quick"

OPTION_NAMES = frozenset(o.name for o in OPTIONS)


def get_option(name: str) -> Option:
    return next(o for o in OPTIONS if o.name == name)
