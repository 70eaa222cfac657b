"""``figgen build --watch``: build, then build again whenever a recipe, the configuration or the data changes.

It polls modification times rather than asking the operating system for file events: a build reads a
handful of files (the recipes, figgen.toml or pyproject.toml, the data set), so two looks a second cost
nothing measurable, need no extra package, and work where file events do not (network drives, containers
with bind mounts, editors that save by replacing the file). A change is acted on once the files have been
quiet for a moment, so an editor that saves in several writes causes one build. Each build is an ordinary
:func:`figgen.build`: only what the change made stale runs.

The user's recipe folder is the one the watch started with (``--recipes``, else the configuration's
``recipes_dir``, else ``recipes/`` here, if any): deleted, it is reported at each change and waited for, never
dropped (figgen's own recipes would then replace the user's copies of them without a word).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

Snapshot = dict[Path, tuple[int, int] | None]


def recipe_folder(
    recipes_dir: str | Path | None = None, config: str | Path | None = None, fallback: Path | None = None
) -> str | None:
    """The user's recipe folder a build of these options reads: ``recipes_dir``, else the configuration's
    ``recipes_dir``, else ``fallback`` (the folder :func:`~figgen.recipe.spec.default_recipe_dir` gave when
    the watch started), whether or not it exists now, else ``recipes/`` here if there is one; None: figgen's
    own recipes alone."""
    from figgen.recipe.spec import default_recipe_dir

    found = recipes_dir or _setting(config, "recipes_dir") or fallback or default_recipe_dir()
    return None if found is None else str(found)


def _setting(config: str | Path | None, key: str):
    from figgen.builder.options import configured, load_config
    from figgen.core.errors import FiggenError

    try:
        return configured(load_config(None if config is None else str(config)), key)
    except (FiggenError, OSError):
        return None  # the build says what is wrong with the file; it is watched meanwhile


def watched_files(
    recipes_dir: str | Path | None = None,
    config: str | Path | None = None,
    data: str | None = None,
    fallback: Path | None = None,
) -> list[Path]:
    """The files a build of these options reads: every ``*.py`` of the recipe folder (:func:`recipe_folder`;
    none while it is missing), the configuration files (also those not written yet) and the data set's files
    (none for the bundled sample)."""
    from figgen.builder.options import config_files
    from figgen.core.errors import FiggenError
    from figgen.recipe.spec import builtin_recipe_dir

    user = recipe_folder(recipes_dir, config, fallback)
    ours = [builtin_recipe_dir()] if _setting(config, "builtin_recipes") is not False else []
    recipes: list[Path] = []
    for folder in [*ours, *([Path(user)] if user else [])]:
        try:
            recipes += sorted(folder.glob("*.py"))
        except OSError:
            pass
    files = [*recipes, *config_files(None if config is None else str(config))]
    source = str(data or _setting(config, "data") or "sample")
    if source == "auto":
        from figgen.api import load_dataset

        try:
            source = load_dataset("auto").path
        except FiggenError:
            source = "sample"
    if source != "sample":
        path = Path(source).expanduser()
        files += [path, *sorted(path.glob("*"))] if path.is_dir() else [path]
    return files


def snapshot(paths: list[Path]) -> Snapshot:
    """Each path's modification time and size, or None where it does not exist."""
    state: Snapshot = {}
    for path in paths:
        try:
            info = path.stat()
            state[path] = (info.st_mtime_ns, info.st_size)
        except OSError:
            state[path] = None
    return state


def watch(
    build: Callable[[], object],
    sources: Callable[[], list[Path]],
    on_change: Callable[[list[Path]], None],
    *,
    interval: float = 0.5,
    settle: float = 0.2,
    keep_going: Callable[[], bool] = lambda: True,
) -> None:
    """Run ``build``, then, while ``keep_going()``, wait for a change among ``sources()`` and build again.

    ``on_change(paths)`` hears which files changed (added, edited or removed) before each new build. Ctrl-C
    (KeyboardInterrupt) ends the watch at once; the caller decides how to report it.
    """
    seen = snapshot(sources())  # taken before each build, so a change during it starts another
    build()
    while keep_going():
        time.sleep(interval)
        now = snapshot(sources())
        if now == seen:
            continue
        while True:  # wait until the files are quiet
            time.sleep(settle)
            again = snapshot(sources())
            if again == now:
                break
            now = again
        on_change(sorted(p for p in seen.keys() | now.keys() if seen.get(p) != now.get(p)))
        seen = now
        build()
