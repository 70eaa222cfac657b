"""The Sphinx extension: ``.. figgen:: RECIPE`` builds a recipe's output during the docs build and shows it.

In ``conf.py``: ``extensions = ["figgen.sphinx"]`` (and ``"myst_parser"`` for ```` ```{figgen} ```` in
Markdown). Then, in a page::

    .. figgen:: weights_evolution
       :caption: The cheat sheets as the training size grows.

    .. figgen:: weights
       :format: png
       :theme: dark
       :set: TRAIN_SIZE=1000
             TRAIN_STEPS=500
       :quick:
       :alt: Ten weight sheets after training on 1,000 examples.
       :width: 60%
       :class: shadow

The argument is ``RECIPE`` or ``RECIPE/OUTPUT``. Without ``:format:`` a still is offered as SVG and PNG (the
builder picks: SVG for HTML, PNG for LaTeX), a filmstrip as PNG and PDF, an animation as its interactive
HTML player. ``:alt:`` defaults to the recipe's own alt text. ``:set:`` takes KEY=VALUE items, one per line
or separated by spaces, as ``--set`` does. The options of Sphinx's own figure work too: ``:name:``,
``:align:``, ``:figwidth:``, ``:figclass:``, ``:figname:``, and for an image ``:height:``, ``:scale:``,
``:loading:``, ``:target:``.

How it fits Sphinx: outputs are built through :func:`figgen.build` (training cached) into ``sphinx/`` in
figgen's cache folder (or ``figgen_out``), never into the sources; only the recipes a page uses are built,
and only the files a page shows are copied into the output (images by Sphinx's own image handling, players
and videos as download files). Each page depends on its recipes' files and on figgen.toml, so editing one
re-reads exactly the pages that show it, and a build with nothing changed reads no page at all. The
extension keeps no state of its own, so ``sphinx-build -j auto`` is safe. Bad input is an error at the
directive's file and line.

Settings in ``conf.py`` (paths relative to its folder): ``figgen_config`` (figgen.toml to read; default:
figgen's own lookup from the folder sphinx-build runs in), ``figgen_cache`` (the training cache),
``figgen_recipes`` (the recipe folder), ``figgen_out`` (where outputs are built), ``figgen_theme``,
``figgen_preset`` and ``figgen_quick`` (the defaults of the options).
"""

from __future__ import annotations

import os
import posixpath
import urllib.parse
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from figgen._version import __version__
from figgen.core.errors import FiggenError
from figgen.integrations.pages import PAGE_OPTIONS, PageChoice

logger = logging.getLogger(__name__)

PATH_SETTINGS = ("figgen_config", "figgen_cache", "figgen_recipes", "figgen_out")


class figgen_media(nodes.General, nodes.Element):  # docutils names nodes in lower case
    """A player (iframe), a video or a link (PDF): files a browser shows but ``<img>`` cannot."""


class FiggenDirective(SphinxDirective):
    """``.. figgen:: RECIPE[/OUTPUT]``: build the output and show it."""

    required_arguments = 1
    option_spec = {
        "format": directives.unchanged_required,
        # :theme:, :preset: and the flag :quick: (else conf.py's figgen_theme, figgen_preset, figgen_quick)
        **{
            name: directives.flag if kind is bool else directives.unchanged_required
            for name, kind in PAGE_OPTIONS.items()
        },
        "set": directives.unchanged,
        "alt": directives.unchanged,
        "caption": directives.unchanged,
        "width": directives.length_or_percentage_or_unitless,
        "class": directives.class_option,
        # what Sphinx's own figure directive takes besides (docutils' Figure)
        "name": directives.unchanged,  # a label for :ref: and, with a caption and numfig, :numref:
        "align": lambda value: directives.choice(value, ("left", "center", "right")),
        "figwidth": directives.length_or_percentage_or_unitless,
        "figclass": directives.class_option,
        "figname": directives.unchanged,
        # for an image only (a still or filmstrip): a player or video takes :width: alone
        "height": directives.length_or_unitless,
        "scale": directives.percentage,
        "loading": lambda value: directives.choice(value, ("embed", "link", "lazy")),
        "target": directives.unchanged_required,
    }
    IMAGE_ONLY = ("height", "scale", "loading", "target")
    FIGURE = ("caption", "figwidth", "figclass", "figname")  # any of them makes a figure

    def run(self) -> list[nodes.Node]:
        from figgen.builder.options import parse_sets
        from figgen.builder.workfolders import work_folder
        from figgen.integrations.pages import build_target, choose_formats, find_target

        config = self.config
        try:
            target = find_target(self.arguments[0], config.figgen_recipes)
            for path in [*target.dependencies, *_config_files(config.figgen_config)]:
                self.env.note_dependency(str(Path(path).resolve()))
            formats = choose_formats(target, self.options.get("format"), "sphinx")
            outputs = build_target(
                target,
                formats,
                config.figgen_out or work_folder("sphinx", config.figgen_cache, config.figgen_config),
                params=parse_sets(self.options.get("set", "").split(), ":set: item"),  # one a line, or spaced
                config=config.figgen_config,
                cache=config.figgen_cache,
                progress=_log_progress,
                **self._page_options(),
            )
        except FiggenError as exc:
            raise self.error(f"figgen: {exc}") from None
        alt = self.options.get("alt") or outputs[0].alt
        media = self._media(outputs, alt)
        image_only = [f":{o}:" for o in self.IMAGE_ONLY if o in self.options]
        if image_only and not isinstance(media, nodes.image):
            raise self.error(
                f"figgen: {' and '.join(image_only)} apply to an image; {self.arguments[0]} is shown as "
                f"{outputs[0].format.upper()} (give :format: png, or leave them out)"
            )
        shown: nodes.Element = media
        if "target" in self.options:  # the image links there, as docutils' image does
            shown = nodes.reference("", "", media, refuri=directives.uri(self.options["target"]))
        align = self.options.get("align")
        if not any(o in self.options for o in self.FIGURE):
            if align:
                media["classes"] += [f"align-{align}"]  # as Sphinx's HTML writer aligns an image
            self.add_name(media)
            return [shown]
        figure = nodes.figure()
        if align:
            figure["align"] = align
        if "figwidth" in self.options:
            figure["width"] = self.options["figwidth"]
        figure["classes"] += self.options.get("figclass", [])
        figure += shown
        messages: list[nodes.system_message] = []
        if "caption" in self.options:
            text_nodes, messages = self.state.inline_text(self.options["caption"], self.lineno)
            figure += nodes.caption(self.options["caption"], "", *text_nodes)
        self.set_source_info(figure)
        self.add_name(figure)  # the figure (with its caption) is what :numref: numbers
        if "figname" in self.options:
            figure["names"].append(nodes.fully_normalize_name(self.options["figname"]))
            self.state.document.note_explicit_target(figure, figure)
        return [figure, *messages]

    def _page_options(self) -> PageChoice:
        """``:theme:``, ``:preset:``, ``:quick:``, each else its ``figgen_`` setting in conf.py."""
        given, config = self.options, self.config
        return PageChoice(
            theme=given.get("theme") or config.figgen_theme,
            preset=given.get("preset") or config.figgen_preset,
            quick="quick" in given or config.figgen_quick,  # a flag
        )

    def _media(self, outputs, alt: str) -> nodes.Element:
        """An image node (Sphinx copies the file it picks), or a player or video registered for copying."""
        from figgen.writers.markup import shown_as

        first = outputs[0]
        doc_dir = Path(self.env.srcdir, self.env.docname).parent
        classes = self.options.get("class", [])
        if shown_as(first.format) == "img":
            stem = first.path.with_suffix("")
            uri = os.path.relpath(stem, doc_dir).replace(os.sep, "/")
            uri += ".*" if len(outputs) > 1 else first.path.suffix
            image = nodes.image(uri=uri, alt=alt, classes=list(classes))
            for option in ("width", "height", "scale", "loading"):
                if option in self.options:
                    image[option] = self.options[option]
            self.set_source_info(image)
            return image
        relative = os.path.relpath(first.path, self.env.srcdir).replace(os.sep, "/")
        self.env.note_dependency(str(first.path))  # as Sphinx does for images: gone means read again
        node = figgen_media(
            shown_as=shown_as(first.format),
            filename=str(self.env.dlfiles.add_file(self.env.docname, relative)),
            width=first.width,
            height=first.height,
            alt=alt,
            size=_css_length(self.options.get("width")),
            classes=list(classes),
        )
        self.set_source_info(node)
        return node


def _config_files(config: str | None) -> list[Path]:
    from figgen.builder.options import config_files

    return [p for p in config_files(config) if p.is_file()]


def _css_length(width: str | None) -> str | None:
    """``:width:`` as CSS: a bare number means pixels, as for Sphinx's images."""
    return f"{width}px" if width and width.replace(".", "", 1).isdigit() else width


def _log_progress(event: str, /, **info: Any) -> None:
    if event == "recipe_done":
        logger.info(f"figgen: built {info['recipe']}")
    elif event == "waiting":
        logger.info(info["message"])


def visit_media_html(self, node: figgen_media) -> None:
    """Write the player's iframe, the PDF's link or the video tag, pointing at the copied file."""
    from figgen.writers.markup import link_html, player_html, video_html

    src = posixpath.join(self.builder.dlpath, urllib.parse.quote(node["filename"]))
    size = {"width": node["width"], "height": node["height"]}
    if node["shown_as"] == "frame":
        html = player_html(src, **size, alt=node["alt"], classes=node["classes"], max_width=node["size"])
    elif node["shown_as"] == "link":  # a PDF: a link named by its alt text
        html = link_html(src, text=node["alt"], classes=node["classes"])
    else:
        max_width = node["size"] or "100%"
        html = video_html(src, **size, alt=node["alt"], classes=node["classes"], max_width=max_width)
    self.body.append(html)
    raise nodes.SkipNode


def replace_media_elsewhere(app, doctree: nodes.document, docname: str) -> None:
    """Builders that cannot show a player or a video (LaTeX, text, man) get the alt text in its place."""
    if app.builder.format == "html":
        return
    for node in list(doctree.findall(figgen_media)):
        node.replace_self(nodes.paragraph("", "", nodes.emphasis(node["alt"], node["alt"])))


def resolve_paths(app, config) -> None:
    """Path settings are relative to conf.py's folder, like Sphinx's own."""
    for name in PATH_SETTINGS:
        value = getattr(config, name)
        if value and not Path(value).is_absolute():
            setattr(config, name, str(Path(app.confdir, value).resolve()))


def setup(app) -> dict:
    for name in PATH_SETTINGS:
        app.add_config_value(name, None, "env", (str,))
    for name, kind in PAGE_OPTIONS.items():  # figgen_theme, figgen_preset, figgen_quick
        app.add_config_value(f"figgen_{name}", False if kind is bool else None, "env", (kind,))
    app.add_node(figgen_media, html=(visit_media_html, None))
    app.add_directive("figgen", FiggenDirective)
    app.connect("config-inited", resolve_paths)
    app.connect("doctree-resolved", replace_media_elsewhere)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
