"""Where the docs tools and ``figgen deck`` build: one folder per tool (``sphinx``, ``mkdocs``, ``notebook``,
``deck``) in figgen's cache folder, one output folder per way of showing a recipe inside it (made by
:mod:`figgen.integrations.pages` and :mod:`figgen.builder.deck`)."""

from __future__ import annotations

import os
from pathlib import Path

from figgen.builder.folder import OutputFolder
from figgen.builder.options import cache_folder, load_config
from figgen.files.locks import folder_lock
from figgen.files.own import MARKER, check_folder, kind, remove_folder

TOOLS = ("sphinx", "mkdocs", "notebook", "myst", "deck")  # each builds in a folder of its name there


def work_folder(tool: str, cache: str | Path | None = None, config: str | Path | None = None) -> Path:
    """Where ``tool`` (one of :data:`TOOLS`) builds: a folder of that name in figgen's cache folder
    (``cache``, else ``$FIGGEN_CACHE``, figgen.toml's ``cache`` or ``.figgen-cache``), which is neither
    the docs' sources nor their output (:func:`build_folder`: checked, made by the build)."""
    root = Path(cache) if cache else Path(cache_folder(load_config(None if config is None else str(config))))
    return build_folder(root / tool)


def build_folder(path: Path) -> Path:
    """``path`` as a folder a build will make (marked: clean --cache may remove it), checked now: never a
    link, a file, or inside one. Not made here: the build makes it after its own checks, so input it
    refuses (a bad theme, an unknown recipe) leaves no empty folder behind."""
    check_folder(path)
    return path


def clean_work_folders(cache: Path) -> str:
    """Remove what the docs tools built in ``cache`` (figgen's files only, as ``clean`` does); one line."""
    removed = 0
    for tool in TOOLS:
        root = Path(cache) / tool
        if kind(root) != "folder" or kind(root / MARKER) != "file":
            continue  # a link, a file, or a folder of the user's own of that name: never entered
        for name in sorted(entry.name for entry in os.scandir(root)):
            folder = root / name
            if kind(folder) != "folder" or kind(folder / MARKER) != "file":
                continue  # not a build folder figgen made (a link, the user's drafts): left as it is
            with folder_lock(folder):
                OutputFolder(folder).load().clean()
            removed += remove_folder(folder)
        remove_folder(root)
    return f"removed {removed} docs-tool build folders from {cache}"
