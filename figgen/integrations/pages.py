"""One recipe output shown in a page (Sphinx, MkDocs, a notebook): which file, in which format, built where.

A page names a recipe (``weights``) or one of its outputs (``weights_evolution/weights_evolution_filmstrip``)
and maybe a format. The name is checked against the recipes as read, without running them (a typo gets a
suggestion); a missing format is the docs tool's default for the output's kind (:data:`PAGE_FORMATS`); the
page may choose the build options :data:`PAGE_OPTIONS` (named as in the build's table of options); and the
output is built through :func:`figgen.build` into a folder of its own under the tool's work folder
(:func:`~figgen.builder.workfolders.work_folder`; never the docs' sources or output). There is one folder
per recipe and per choice of formats, theme, preset, parameters and quick, so two pages that show a
recipe two ways never replace each other's files, and a page read again finds its files up to date: no
training, no drawing, no matplotlib.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

from figgen import api
from figgen.builder.options import OPTIONS
from figgen.core.errors import FiggenError, recipe_failed, suggest

if TYPE_CHECKING:
    from figgen.builder.manifest import Output
    from figgen.core.progress import BuildEvents
    from figgen.recipe.spec import Recipe

# What a page shows an output of each kind as when it names no format, per docs tool. (What a build writes
# when given no formats is another table: figgen.writers.outputs.BUILD_FORMATS.) Sphinx offers a still as
# SVG and PNG and a filmstrip as PNG and PDF, and its builder picks (SVG for HTML, PNG or PDF for LaTeX). An
# explorable is its page, or as PNG its still (STEM_poster.png: the page's first state).
PAGE_FORMATS: dict[str, dict[str, tuple[str, ...]]] = {
    "sphinx": {
        "still": ("svg", "png"),
        "filmstrip": ("png", "pdf"),
        "animation": ("html",),
        "explorable": ("html",),
    },
    "mkdocs": {"still": ("png",), "filmstrip": ("png",), "animation": ("html",), "explorable": ("html",)},
    "notebook": {"still": ("png",), "filmstrip": ("png",), "animation": ("html",), "explorable": ("html",)},
    # images every export takes
    "myst": {"still": ("png",), "filmstrip": ("png",), "animation": ("gif",), "explorable": ("png",)},
}

# The build options a page (or its tool's settings) may choose besides its formats and parameters: those the
# build's one table of options marks ``page``, each with the type of its default (text, or a bool for a flag).
# Their values are checked where every build's are (figgen.builder.options.BuildOptions).
PAGE_OPTIONS: dict[str, type] = {o.name: type(o.default) for o in OPTIONS if o.page}


class PageChoice(TypedDict, total=False):
    """What a page chose of the :data:`PAGE_OPTIONS` (the same keys: a test checks), as :func:`figgen.build`
    takes them; None or left out: figgen.toml's, then the default."""

    theme: str | None
    preset: str | None
    quick: bool


@dataclass(frozen=True)
class Target:
    """One output of one recipe, known from the recipe file alone."""

    recipe: Recipe
    output: str
    kind: str  # "animation", "still", "explorable" or "filmstrip"

    @property
    def dependencies(self) -> list[Path]:
        """The files whose change changes this output: the recipe and its folder's ``_*.py`` helpers."""
        return [self.recipe.path, *sorted(self.recipe.path.parent.glob("_*.py"))]

    def allowed_formats(self) -> tuple[str, ...]:
        from figgen.writers import formats, formats_for

        if self.kind == "explorable":  # the page, or its still
            return (*formats_for(self.kind, formats()), "png")
        return formats_for(self.kind, formats())


def find_target(
    text: str,
    recipes_dir: str | Path | None = None,
    *,
    known: Sequence[Recipe] | None = None,
    config: str | Path | None = None,
) -> Target:
    """The output named ``RECIPE`` (a recipe with one output) or ``RECIPE/OUTPUT``, among the recipes
    ``known`` (a docs tool's list, read once per build), else those :func:`figgen.api.list_recipes` reads
    (with the build's figgen.toml ``config``: its recipes_dir and builtin_recipes)."""
    from figgen.writers.outputs import FILMSTRIP  # numpy: not when Sphinx or MkDocs loads figgen

    name, _, output = text.strip().partition("/")
    recipes = {r.name: r for r in (api.list_recipes(recipes_dir, config=config) if known is None else known)}
    if name not in recipes:
        raise FiggenError(f"unknown recipe '{name}'{suggest(name, recipes, list_all=True)}")
    recipe = recipes[name]
    kinds = dict(recipe.outputs)
    kinds.update(
        {stem + FILMSTRIP: "filmstrip" for stem, kind in recipe.outputs.items() if kind == "animation"}
    )
    if not output:
        if len(recipe.outputs) > 1:
            choices = ", ".join(recipe.outputs)
            raise FiggenError(f"recipe '{name}' has several outputs ({choices}); name one as {name}/OUTPUT")
        output = next(iter(recipe.outputs))
    if output not in kinds:
        raise FiggenError(f"recipe '{name}' has no output '{output}'{suggest(output, kinds, list_all=True)}")
    return Target(recipe, output, kinds[output])


def choose_formats(target: Target, fmt: str | None, tool: str) -> tuple[str, ...]:
    """``fmt`` when the output's kind can be written in it (else a FiggenError), or the kind's default for
    the docs tool ``tool`` (a key of :data:`PAGE_FORMATS`)."""
    if not fmt:
        return PAGE_FORMATS[tool][target.kind]
    from figgen.writers import get_writer

    get_writer(fmt)  # an unknown name: "unknown format 'gfi' (did you mean 'gif'?)"
    allowed = target.allowed_formats()
    if fmt not in allowed:
        raise FiggenError(
            f"{target.recipe.name}/{target.output} is {'an' if target.kind == 'animation' else 'a'} "
            f"{target.kind}: format '{fmt}' is not one of {', '.join(allowed)}"
        )
    return (fmt,)


def _output(target: Target, fmt: str) -> str:
    """The output whose file in ``fmt`` shows ``target``: an explorable's PNG is its still."""
    from figgen.writers.outputs import POSTER

    return target.output + POSTER if target.kind == "explorable" and fmt == "png" else target.output


def poster_file(output: Output, stem: str | None = None) -> Path | None:
    """The poster still built beside ``output`` (an animation's, or an explorable's first state), named as
    :func:`~figgen.writers.markup.poster_name` names it, ``STEM_poster.png``; None where there is none.
    ``stem``: the output whose poster it is, when not ``output`` itself (an explorable's PNG is its still)."""
    from figgen.writers.markup import poster_name  # numpy: not when Sphinx or MkDocs loads figgen

    poster = output.path.with_name(poster_name(stem or output.path.name))
    return poster if poster.is_file() else None


def build_target(
    target: Target,
    formats: Sequence[str],
    root: str | Path,
    *,
    params: Mapping[str, object] | None = None,
    config: str | Path | None = None,
    cache: str | Path | None = None,
    progress: BuildEvents | None = None,
    **options: Unpack[PageChoice],
) -> list[Output]:
    """Build the target's recipe (if stale) into its folder under ``root``; return the target's files, one
    per format in ``formats``' order. ``options`` are the :data:`PAGE_OPTIONS` (``theme``, ``preset``,
    ``quick``; None or left out: figgen.toml's, then the defaults). A failing recipe raises FiggenError."""
    unexpected = sorted(set(options) - set(PAGE_OPTIONS))
    if unexpected:  # for callers the checker does not see
        raise TypeError(f"build_target() got an unexpected keyword argument {unexpected[0]!r}")
    chosen = PageChoice(
        theme=options.get("theme"), preset=options.get("preset"), quick=bool(options.get("quick"))
    )
    choice = {
        "formats": list(formats),
        **chosen,
        "params": sorted((str(k), str(v)) for k, v in (params or {}).items()),
        "config": str(config or ""),
        "recipes": str(target.recipe.path.parent.resolve()),
    }
    digest = hashlib.sha256(json.dumps(choice, sort_keys=True).encode()).hexdigest()[:12]
    from figgen.builder.workfolders import build_folder  # numpy: not when Sphinx or MkDocs loads figgen

    out = build_folder(Path(root) / f"{target.recipe.name}-{digest}")
    result = api.build(
        [target.recipe.name],
        out=out,
        formats=list(formats),
        **chosen,
        params={(k if "." in str(k) else f"{target.recipe.name}.{k}"): v for k, v in (params or {}).items()},
        config=config,
        cache=cache,
        recipes_dir=target.recipe.path.parent,
        progress=progress,
    )
    for failure in result.failures:
        raise FiggenError(recipe_failed(failure.name, failure.error))
    shown = [o for fmt in formats for o in result.find(target.recipe.name, _output(target, fmt), fmt)]
    if not shown:
        raise FiggenError(f"recipe {target.recipe.name} wrote no {target.output} in {', '.join(formats)}")
    return shown
