"""MyST-MD (``mystmd``, Jupyter Book 2): the ``figgen`` directive, as a MyST executable plugin.

MyST-MD runs on Node and cannot load Sphinx extensions; it runs programs instead (its "executable plugins").
pip installs this one as ``figgen-myst``; ``myst.yml`` names its path (MyST does not search ``PATH``)::

    project:
      plugins:
        - type: executable
          path: .venv/bin/figgen-myst

Then, in a page::

    ```{figgen} weights_evolution
    :caption: Each frame is a model trained on more examples.
    ```

The protocol: run with no argument (or ``--plugin``), the program prints its specification, the directive
and its options, as JSON; run with ``--directive figgen``, it reads the directive's data (``arg``,
``options``, ``body``, ``node``) as JSON on stdin and writes the AST nodes that replace it as JSON on stdout.
MyST runs it once per directive, in the folder ``myst`` runs in.

The directive takes what the Sphinx directive takes: ``RECIPE`` or ``RECIPE/OUTPUT``, ``:format:``,
``:theme:``, ``:preset:``, ``:quick:`` (the page options, :data:`~figgen.integrations.pages.PAGE_OPTIONS`),
``:set:``, ``:alt:``, ``:caption:`` (MyST markup; the directive's body is a caption too), ``:width:``,
``:align:``, ``:class:`` and ``:label:`` (or ``:name:``) for cross-references. A still or filmstrip is a PNG
image (or the format named), an animation a GIF: images, with their alt text, that MyST copies into every
export, the site and the static ones (it turns a GIF into a still for PDF and Word). ``:format: mp4`` gives
a video, which MyST's site plays looped and muted; MyST's static exports cannot show a video, so a page
meant for PDF keeps the GIF or shows the filmstrip (``RECIPE/RECIPE_filmstrip``). figgen's HTML player is a
page of its own, which MyST does not copy into a site, so it is not offered here. A caption or a label makes
a figure (a ``container`` node).

Outputs are built through :func:`figgen.build` (training cached) into ``myst/`` in figgen's cache folder
(``$FIGGEN_CACHE``, figgen.toml's ``cache``, else ``.figgen-cache``; never the pages' folders), and MyST
copies what a page shows into its build. Defaults come from figgen.toml (``theme``, ``preset``,
``recipes_dir``, ``[params]``), and ``FIGGEN_QUICK=1`` builds every figure at quick sizes (previews, CI).
Bad input is one line on stderr and a non-zero exit, which MyST reports with the page's name:
``figgen: line 3: unknown recipe 'wieghts' (did you mean 'weights'?)``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from figgen.core.errors import FiggenError
from figgen.integrations.pages import PAGE_OPTIONS, PageChoice

if TYPE_CHECKING:
    from figgen.builder.manifest import Output

NAME = "figgen"
QUICK = "FIGGEN_QUICK"  # 1: every figure at quick sizes
ALIGN = ("left", "center", "right")
# MyST's option types: text, a flag, or MyST markup (parsed into nodes by MyST)
_TEXT, _FLAG, _MARKUP = "string", "boolean", "myst"

SPEC: dict[str, Any] = {
    "name": "figgen figures",
    "directives": [
        {
            "name": NAME,
            "doc": "A figure or animation built by figgen from a recipe: RECIPE or RECIPE/OUTPUT.",
            "arg": {
                "type": _TEXT,
                "required": True,
                "doc": "RECIPE, or RECIPE/OUTPUT for one of its outputs",
            },
            "options": {
                "format": {
                    "type": _TEXT,
                    "doc": "png, svg, pdf, gif, webp or mp4 (default: png; an animation: gif)",
                },
                **{
                    name: {"type": _FLAG if kind is bool else _TEXT, "doc": f"figgen's {name} option"}
                    for name, kind in PAGE_OPTIONS.items()
                },
                "set": {"type": _TEXT, "doc": "KEY=VALUE parameters, separated by spaces or one a line"},
                "alt": {"type": _TEXT, "doc": "alternative text (default: the recipe's)"},
                "caption": {"type": _MARKUP, "doc": "the figure's caption (the body is a caption too)"},
                "width": {"type": _TEXT, "doc": "a CSS width: 60%, 400px"},
                "align": {"type": _TEXT, "doc": "left, center or right"},
                "class": {"type": _TEXT, "doc": "classes, separated by spaces"},
                "label": {"type": _TEXT, "alias": ["name"], "doc": "a label for cross-references"},
            },
            "body": {"type": _MARKUP, "doc": "the figure's caption"},
        }
    ],
}


def run(data: dict) -> list[dict]:
    """The AST nodes for one ``figgen`` directive's ``data`` (what MyST sends); FiggenError for bad input."""
    from figgen.builder.options import parse_sets
    from figgen.builder.workfolders import work_folder
    from figgen.integrations.pages import build_target, choose_formats, find_target

    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise FiggenError("the directive's options are not a mapping")
    arg = data.get("arg")
    if not isinstance(arg, str) or not arg.strip():
        raise FiggenError("give a recipe: ```{figgen} RECIPE``` or RECIPE/OUTPUT")
    align = _text(options, "align")
    if align is not None and align not in ALIGN:
        raise FiggenError(f":align: {align!r} is not one of {', '.join(ALIGN)}")
    if options.get("caption") and data.get("body"):
        raise FiggenError("give the caption as :caption: or as the body, not both")
    target = find_target(arg)
    fmt = _text(options, "format")
    if fmt == "html":
        raise FiggenError(
            f"{arg} as html: MyST does not copy figgen's player (a page of its own) into the site; "
            "give :format: gif or mp4"
        )
    formats = choose_formats(target, fmt, "myst")
    params = parse_sets((_text(options, "set") or "").split(), ":set: item")
    (shown,) = build_target(target, formats, work_folder("myst"), params=params, **_page_options(options))
    media = _image(shown, _text(options, "alt") or shown.alt, options)
    caption = options.get("caption") or data.get("body")
    label = _text(options, "label")
    if not caption and not label:
        return [media]
    figure: dict[str, Any] = {"type": "container", "kind": "figure", "children": [media]}
    if caption:
        inline = all(node.get("type") in _INLINE for node in caption)
        figure["children"].append(
            {
                "type": "caption",
                "children": [{"type": "paragraph", "children": caption}] if inline else caption,
            }
        )
    if label:
        figure["label"] = label
        figure["identifier"] = " ".join(label.split()).lower()
    return [figure]


_INLINE = {
    "text",
    "emphasis",
    "strong",
    "inlineCode",
    "inlineMath",
    "link",
    "break",
    "abbreviation",
    "crossReference",
}


def _image(output: Output, alt: str, options: dict) -> dict:
    """An ``image`` node for ``output`` (MyST shows an ``.mp4`` one as a video), with its url from the
    project's folder (a leading ``/``), whatever page it is in."""
    node: dict[str, Any] = {"type": "image", "url": _url(output.path), "alt": alt}
    for key in ("width", "align", "class"):
        value = _text(options, key)
        if value:
            node[key] = value
    return node


def _url(path: Path) -> str:
    """``path`` as MyST reads an image's url that starts with ``/``: from the project's folder."""
    return "/" + os.path.relpath(path.resolve(), _project_folder()).replace(os.sep, "/")


def _project_folder() -> Path:
    """The folder of the nearest ``myst.yml`` up from where ``myst`` runs (else that folder)."""
    here = Path.cwd().resolve()
    return next((p for p in (here, *here.parents) if (p / "myst.yml").is_file()), here)


def _page_options(options: dict) -> PageChoice:
    return PageChoice(
        theme=_text(options, "theme"),
        preset=_text(options, "preset"),
        quick=bool(options.get("quick")) or os.environ.get(QUICK, "") not in ("", "0"),
    )


def _text(options: dict, key: str) -> str | None:
    value = options.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise FiggenError(f":{key}: expects text, got {value!r}")
    return str(value).strip()


def main(argv: list[str] | None = None) -> int:
    """``figgen-myst``: the specification (no argument, or ``--plugin``), or ``--directive figgen`` with the
    directive's data on stdin. An error is one line on stderr, exit 2; MyST names the page."""
    args = sys.argv[1:] if argv is None else argv
    if args in ([], ["--plugin"]):
        json.dump(SPEC, sys.stdout)
        return 0
    if len(args) != 2 or args[0] != "--directive":
        kinds = {"--role": "role", "--transform": "transform"}
        what = (
            f"no {kinds[args[0]]} {args[1]!r}"
            if len(args) == 2 and args[0] in kinds
            else f"{' '.join(args)!r}"
        )
        print(
            f"figgen-myst: {what}: it runs as MyST's executable plugin (--directive figgen)", file=sys.stderr
        )
        return 2
    if args[1] != NAME:
        print(f"figgen-myst: no directive {args[1]!r} (it has '{NAME}')", file=sys.stderr)
        return 2
    line = None
    try:
        data = json.load(sys.stdin)
        line = ((data.get("node") or {}).get("position") or {}).get("start", {}).get("line")
        nodes = run(data)
    except (FiggenError, ValueError, OSError) as exc:  # json's errors are ValueErrors
        where = f"line {line}: " if isinstance(line, int) else ""
        print(f"figgen: {where}{_one_line(exc)}", file=sys.stderr)
        return 2
    json.dump(nodes, sys.stdout)
    return 0


def _one_line(exc: BaseException) -> str:
    text = str(exc) if isinstance(exc, FiggenError) else f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())


if __name__ == "__main__":
    sys.exit(main())
