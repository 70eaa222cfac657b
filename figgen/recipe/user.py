"""The user's own copies of figgen's recipes: ``figgen recipes copy NAME`` puts one into their recipe folder,
where it replaces figgen's recipe of the same name (:func:`~figgen.recipe.spec.discover_recipes`) and is
theirs to change. A file already there is never overwritten: it may hold the user's edits.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from figgen.core.errors import FiggenError, suggest
from figgen.files.atomic import atomic_path
from figgen.files.own import kind, make_folder
from figgen.recipe.spec import builtin_recipe_dir, discover_recipes, is_builtin


def copy_recipes(names: Iterable[str], folder: str | Path = "recipes") -> list[Path]:
    """Copy figgen's recipes ``names`` into ``folder`` (made if missing); return the new files' paths.

    Every name and target is checked before anything is copied: an unknown name, or a file of that name
    already in ``folder``, is a one-line FiggenError and nothing is written.
    """
    ours = {r.name: r for r in discover_recipes(builtin_recipe_dir()) if is_builtin(r)}
    folder = Path(folder)
    names = list(dict.fromkeys(names))  # each once, in the order given
    for name in names:
        if name not in ours:
            raise FiggenError(f"figgen has no recipe {name!r}{suggest(name, list(ours))}")
        target = folder / f"{name}.py"
        if kind(target) is not None:
            raise FiggenError(
                f"{target} already exists: figgen never replaces a recipe of yours (remove it first)"
            )
    if not names:
        raise FiggenError("name at least one recipe to copy (figgen list shows them)")
    make_folder(folder, named=True)
    copies = []
    for name in names:
        with atomic_path(folder / f"{name}.py") as tmp:
            shutil.copyfile(ours[name].path, tmp)
        copies.append(folder / f"{name}.py")
    return copies
