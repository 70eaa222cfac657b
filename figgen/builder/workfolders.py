"""Where the docs tools build: one folder per tool (``sphinx``, ``mkdocs``, ``notebook``) in figgen's cache
folder, one output folder per way of showing a recipe inside it (made by :mod:`figgen.integrations.pages`)."""

from __future__ import annotations

from pathlib import Path

from figgen.builder.folder import OutputFolder
from figgen.builder.options import cache_folder, load_config
from figgen.files.locks import folder_lock

TOOLS = ("sphinx", "mkdocs", "notebook")  # each builds in a folder of its name in figgen's cache folder


def work_folder(tool: str, cache: str | Path | None = None, config: str | Path | None = None) -> Path:
    """Where ``tool`` (one of :data:`TOOLS`) builds: a folder of that name in figgen's cache folder
    (``cache``, else ``$FIGGEN_CACHE``, figgen.toml's ``cache`` or ``.figgen-cache``), which is neither
    the docs' sources nor their output."""
    if cache:
        return Path(cache) / tool
    return Path(cache_folder(load_config(None if config is None else str(config)))) / tool


def clean_work_folders(cache: Path) -> str:
    """Remove what the docs tools built in ``cache`` (figgen's files only, as ``clean`` does); one line."""
    removed = 0
    for tool in TOOLS:
        for folder in sorted((Path(cache) / tool).glob("*/")):
            with folder_lock(folder):
                OutputFolder(folder).load().clean()
            if not any(folder.iterdir()):
                folder.rmdir()
                removed += 1
        if (Path(cache) / tool).is_dir() and not any((Path(cache) / tool).iterdir()):
            (Path(cache) / tool).rmdir()
    return f"removed {removed} docs-tool build folders from {cache}"
