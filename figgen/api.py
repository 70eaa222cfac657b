"""figgen's public Python API: build recipes, run one, list them, copy one to change, load a data set, train,
clean.

The command line, the Sphinx extension, the MkDocs plugin and the notebook display build and train through
these, so staleness, caching and writing live in one place (the docs tools also share
:mod:`figgen.integrations.pages`, which calls :func:`build`, and read the writers' registry for page markup).

Options that are not given (None) come from ``figgen.toml`` (or ``[tool.figgen]`` in pyproject.toml, or the
file named by ``config``), then from figgen's defaults. Every function raises :class:`figgen.FiggenError`
(a ValueError) for bad input, with a one-line message naming what is wrong.

Heavy modules (TensorFlow, matplotlib) load only inside the calls that need them, so ``import figgen`` is
cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from figgen.core.errors import FiggenError, recipe_failed
from figgen.core.progress import BuildEvents, Progress, no_events

if TYPE_CHECKING:
    from figgen.builder.build import BuildResult
    from figgen.builder.deck import Deck
    from figgen.builder.manifest import Output
    from figgen.data import Dataset
    from figgen.recipe.spec import Recipes
    from figgen.training import TrainResult

T = TypeVar("T")


def build(
    recipes: str | Iterable[str] | None = (),
    *,
    out: str | Path | None = None,
    theme: str | None = None,
    preset: str | None = None,
    palette: str | None = None,
    background: str | None = None,
    formats: Sequence[str] | str | None = None,
    pace: float | None = None,
    params: Mapping[str, object] | None = None,
    data: str | None = None,
    split: str | None = None,
    class_names: Sequence[str] | str | None = None,
    quick: bool = False,
    force: bool = False,
    jobs: int | None = None,
    strict: bool = False,
    wait: bool = True,
    config: str | Path | None = None,
    cache: str | Path | None = None,
    recipes_dir: str | Path | None = None,
    gallery: bool | None = None,
    progress: BuildEvents | None = None,
) -> BuildResult:
    """Build the named recipes (one name, or a list; all when none) into ``out`` and return what was built or
    up to date.

    ``params`` maps ``KEY`` (every selected recipe that has it) or ``RECIPE.KEY`` to a value, as
    ``--set`` does; ``formats`` picks among ``gif, mp4, webp, png, svg, pdf``; ``split="text"`` trains on the
    text's split; ``class_names`` names the ten classes (default: the data's own); ``background`` ("#1f4e9c",
    transparent theme only) is the slide colour the figures will sit on. Only stale recipes run; the
    others are reported up to date from the folder's manifest. A failing recipe does not raise: it is in
    ``result.failures`` (``strict`` stops the others at the first). ``progress(event, **info)`` receives
    the build's events (see :func:`figgen.builder.build.build`).
    """
    arguments = locals()
    from figgen.builder.build import build as run_build
    from figgen.builder.options import OPTIONS, BuildOptions

    given = {o.name: arguments[o.name] for o in OPTIONS}  # every build option is a keyword above
    options = BuildOptions.resolve(
        config=_path("config", config, "a file's path"),
        params=params,
        selected=_names(recipes),
        recipes=_path("recipes_dir", recipes_dir, "a folder's path"),
        **given,
    )
    return run_build(options, report=_listener(progress, "progress(event, **info)") or no_events)


def run_recipe(recipe: str, **options) -> list[Output]:
    """Build one recipe (options as :func:`build`) and return its outputs; raise FiggenError if it fails."""
    if not isinstance(recipe, str):
        from figgen.builder.checks import shown

        raise FiggenError(f"run_recipe needs one recipe name (text), got {shown(recipe)}")
    result = build([recipe], **options)
    for failure in result.failures:
        raise FiggenError(recipe_failed(failure.name, failure.error))
    return result.find(recipe)


def list_recipes(recipes_dir: str | Path | None = None, *, config: str | Path | None = None) -> Recipes:
    """The recipes a build reads, without running them: figgen's own (unless the configuration says
    ``builtin_recipes = false``) and yours, from ``recipes_dir``, else the configuration's ``recipes_dir``,
    else ``recipes/`` here if there is one; yours replace figgen's of the same name.

    A file there that cannot be read as a recipe (a syntax error, say) is not in the list: a FiggenWarning
    names it (file and line), and the list's ``broken`` holds it. The others are listed as ever.
    """
    import warnings

    from figgen.builder.options import configured, load_config
    from figgen.core.errors import FiggenWarning
    from figgen.recipe.spec import discover_recipes

    document = load_config(None if config is None else str(config))
    if recipes_dir is None:
        recipes_dir = configured(document, "recipes_dir")
    recipes = discover_recipes(recipes_dir, builtin=document.get("builtin_recipes", True))
    for broken in recipes.broken:
        warnings.warn(f"recipe {broken.name} cannot be read: {broken.error}", FiggenWarning, stacklevel=2)
    return recipes


def copy_recipes(
    recipes: str | Iterable[str], to: str | Path | None = None, *, config: str | Path | None = None
) -> list[Path]:
    """Copy figgen's recipes (a name or several) into your recipe folder to change them; return the copies.

    The folder is ``to``, else the configuration's ``recipes_dir``, else ``recipes/`` here (made if missing).
    Your copy then replaces figgen's recipe of that name in every build. A file of that name already there is
    never overwritten: a FiggenError says so, and nothing is copied.
    """
    from figgen.builder.options import configured, load_config
    from figgen.recipe.user import copy_recipes as copy

    folder = _path("to", to, "a folder's path")
    if folder is None:
        folder = configured(load_config(_path("config", config, "a file's path")), "recipes_dir")
    return copy(_names(recipes), folder or "recipes")


def load_dataset(
    source: str | Path | None = None,
    *,
    split: str | None = None,
    class_names: Sequence[str] | str | None = None,
    config: str | Path | None = None,
) -> Dataset:
    """Load a data set: ``sample`` (bundled), ``auto``, an IDX folder or an ``.npz``; options not given come
    from the configuration (``split="text"``: the text's split; ``class_names``: ten names)."""
    from figgen.builder.checks import path_check
    from figgen.builder.options import load_config, type_checked
    from figgen.data import load_dataset as load

    source = None if source is None else path_check("sample, auto or a path")(source, "source")
    split, class_names = type_checked("split", split), type_checked("class_names", class_names)
    document = load_config(_path("config", config, "a file's path"))
    return load(
        str(source or document.get("data") or "sample"),
        split=split or document.get("split") or "original",
        class_names=class_names if class_names is not None else document.get("class_names"),
    )


def train(
    *,
    data: str | Path | None = None,
    split: str | None = None,
    force: bool = False,
    allow_diverged: bool = False,
    config: str | Path | None = None,
    cache: str | Path | None = None,
    progress: Progress | None = None,
    **knobs,
) -> TrainResult:
    """Train the text's model with its knobs (``TRAIN_SIZE=500, LEARNING_RATE=0.5``; the text's defaults
    otherwise) through the training cache; ``force`` trains again.

    A run that diverged raises :class:`figgen.training.DivergedError` unless ``allow_diverged``.
    ``progress(updates_done, updates_total)`` is called as training goes (not for a cached run).
    """
    from figgen.builder.checks import flag_check
    from figgen.builder.options import cache_folder, load_config, type_checked
    from figgen.core.knobs import NAMES, Knobs
    from figgen.files.cache import Cache
    from figgen.training.cached import cached_run

    unknown = sorted(set(knobs) - set(NAMES))
    if unknown:
        from figgen.core.errors import unknown as unknown_error

        raise unknown_error("knob", unknown[0], NAMES)
    data = type_checked("data", data)
    force, allow_diverged = flag_check(force, "force"), flag_check(allow_diverged, "allow_diverged")
    cache = _path("cache", cache, "a folder's path")
    listener = _listener(progress, "progress(done, total)")
    knobbed = Knobs(**knobs).check()  # types and ranges, before the data set loads
    document = load_config(_path("config", config, "a file's path"))
    dataset = load_dataset(data, split=split, config=config)
    store = Cache(cache or cache_folder(document))
    return cached_run(dataset, knobbed, store, allow_diverged=allow_diverged, force=force, progress=listener)


def clean(
    out: str | Path | None = None, *, cache: bool = False, config: str | Path | None = None
) -> list[str]:
    """Remove what builds wrote into ``out`` (and with ``cache``, the training cache and what the docs tools
    built there); return what it did, one line per folder. Only files figgen recorded, whose bytes are still
    what it wrote, are removed, and then the folders builds made, once empty. Without ``out``, the quick
    builds' folder in the default one (``output/quick``) is cleaned too."""
    from figgen.builder.checks import flag_check
    from figgen.builder.folder import OutputFolder
    from figgen.builder.options import QUICK_FOLDER, cache_folder, configured, load_config
    from figgen.files.cache import Cache
    from figgen.files.locks import folder_lock
    from figgen.files.own import MARKER, kind, remove_folder, remove_folders

    out, cache = _path("out", out, "a folder's path"), flag_check(cache, "cache")
    document = load_config(_path("config", config, "a file's path"))
    folder = Path(out or configured(document, "out") or "output")
    if folder.exists() and not folder.is_dir():
        raise FiggenError(f"{folder} is not a folder")
    if not folder.is_dir():
        lines = [f"nothing to clean: {folder} does not exist"]
    else:
        lines = []
        quick = folder / QUICK_FOLDER  # where quick builds go when no folder is named, if a build made it
        if out is None and kind(quick / MARKER) == "file":
            with folder_lock(quick):  # emptied and removed under its lock: no build is writing there
                lines.append(OutputFolder(quick).load().clean())
                remove_folder(quick)
        with folder_lock(folder):
            lines.append(OutputFolder(folder).load().clean())
            for gone in remove_folders(folder):  # those the builds made, now empty
                lines.append(f"removed the folder {gone}")
    if cache:
        from figgen.builder.workfolders import clean_work_folders

        store = Cache(cache_folder(document))
        count = store.clear() if store.folder.is_dir() else 0
        lines.append(f"removed {count} cache entries from {store.folder}")
        if store.folder.is_dir():
            lines.append(clean_work_folders(store.folder))
    return lines


def deck(
    recipes: str | Iterable[str] | None = (),
    *,
    out: str | Path = "deck.pptx",
    video: bool = False,
    theme: str | None = None,
    preset: str | None = None,
    palette: str | None = None,
    background: str | None = None,
    pace: float | None = None,
    params: Mapping[str, object] | None = None,
    data: str | None = None,
    split: str | None = None,
    class_names: Sequence[str] | str | None = None,
    quick: bool = False,
    force: bool = False,
    jobs: int | None = None,
    wait: bool = True,
    config: str | Path | None = None,
    cache: str | Path | None = None,
    recipes_dir: str | Path | None = None,
    progress: BuildEvents | None = None,
) -> Deck:
    """Write a PowerPoint deck of the named recipes' figures (all when none) to ``out``; return it.

    One slide per output, titled with the recipe's title: an animation's GIF (with ``video``, its MP4 as a
    movie with a poster frame), a still's PNG, the alt text as the picture's description, and the recipe's
    description and parameters in the speaker notes. Options are :func:`build`'s; the figures are built
    into a folder of figgen's cache, never ``out``'s. The deck is written whole or not at all, and replaces
    only a deck figgen wrote that is unchanged. A recipe that fails raises FiggenError and writes no deck.
    """
    arguments = locals()
    from figgen.builder.build import build as run_build
    from figgen.builder.checks import flag_check
    from figgen.builder.deck import (
        DECK_OPTIONS,
        FORMATS,
        VIDEO_FORMATS,
        check_deck_path,
        require_pptx,
        slides_of,
        work_folder,
        write_deck,
    )
    from figgen.builder.options import BuildOptions
    from figgen.builder.workfolders import work_folder as tool_folder

    path = check_deck_path(_path("out", out, "a .pptx file's path") or "deck.pptx")
    formats = VIDEO_FORMATS if flag_check(video, "video") else FORMATS
    require_pptx()
    config, cache = _path("config", config, "a file's path"), _path("cache", cache, "a folder's path")
    root = tool_folder("deck", cache, config)
    options = BuildOptions.resolve(
        config=config,
        params=params,
        selected=_names(recipes),
        recipes=_path("recipes_dir", recipes_dir, "a folder's path"),
        out=str(root),
        formats=formats,
        gallery=False,
        strict=True,
        cache=cache,
        **{name: arguments[name] for name in DECK_OPTIONS},
    )
    options.out = str(work_folder(root, options, formats))
    result = run_build(options, report=_listener(progress, "progress(event, **info)") or no_events)
    for failure in result.failures:
        raise FiggenError(recipe_failed(failure.name, failure.error))
    slides = slides_of(Path(options.out), [r.name for r in result.recipes], video=formats == VIDEO_FORMATS)
    return write_deck(path, slides, options, Path(options.out))


def _path(name: str, value: object, what: str) -> str | None:
    """A path argument as text (None: not given); anything but text or a Path is a FiggenError naming it."""
    from figgen.builder.checks import path_check

    return None if value is None else path_check(what)(value, name)


def _names(recipes: object) -> list[str]:
    """The recipes to build: one name (text) is that recipe, else a list (an iterable) of names; None: all."""
    if recipes is None:
        return []
    if isinstance(recipes, str):
        return [recipes]
    names = list(recipes) if isinstance(recipes, Iterable) and not isinstance(recipes, Mapping) else None
    if names is None or not all(isinstance(name, str) for name in names):
        from figgen.builder.checks import shown

        raise FiggenError(f"recipes must be a recipe name or a list of them, got {shown(recipes)}")
    return names


def _listener(progress: T | None, signature: str) -> T | None:
    """A progress function (or None); anything that cannot be called is a FiggenError naming ``signature``."""
    if progress is not None and not callable(progress):
        from figgen.builder.checks import shown

        raise FiggenError(f"progress must be a function {signature}, got {shown(progress)}")
    return progress
