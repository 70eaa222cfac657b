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

How it fits Sphinx: outputs are built through :func:`figgen.build` (training cached) into ``figgen/`` in
Sphinx's doctrees folder (``_build/doctrees``; or in ``figgen_cache``, ``$FIGGEN_CACHE`` or figgen.toml's
``cache`` when one is set; or ``figgen_out``), never into the sources; only the recipes a page uses are
built, and only the files a page shows are copied into the output (images by Sphinx's own image handling,
players and videos as download files). Each page depends on its recipes' files, on figgen.toml and on the
files it shows (absolute paths), so editing one re-reads exactly the pages that show it, and a build with
nothing changed reads no page at all. The extension keeps no state of its own, so ``sphinx-build -j auto``
is safe. A figure that cannot be built is an error at the directive's file and line (``-W`` fails on it).

Builders that cannot play a player or a video (LaTeX, EPUB, text, man, ...) show a still in its place: an
animation's filmstrip PNG (a PDF's PNG), with the caption; every page is read once for all builders. A site
whose HTML theme has a dark mode (Furo, pydata-sphinx-theme, sphinx-book-theme) gets each figure in
figgen's light and dark themes, marked with the theme's own ``only-light`` and ``only-dark`` classes, so a
reader sees the one that matches the scheme; print and e-books get the light one. An explicit
``figgen_theme`` or ``:theme:`` builds that theme alone, and ``figgen_dark_mode`` (True or False) decides
for other themes.

Settings in ``conf.py`` (paths relative to its folder, as Sphinx's own): ``figgen_config`` (figgen.toml to
read; default: figgen's own lookup in the folder sphinx-build runs in, else the figgen.toml beside conf.py or
in its parent folder, so ``make html`` in ``docs/`` reads the project's), ``figgen_cache`` (the training
cache and build folder), ``figgen_recipes`` (the recipe folder), ``figgen_out`` (where outputs are built),
``figgen_theme``, ``figgen_preset`` and ``figgen_quick`` (the defaults of the options), ``figgen_dark_mode``
(default: whether the HTML theme is one of :data:`DARK_MODE_THEMES`).
"""

from __future__ import annotations

import os
import posixpath
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from figgen._version import __version__
from figgen.core.errors import FiggenError
from figgen.integrations.pages import PAGE_OPTIONS, PageChoice

if TYPE_CHECKING:
    from figgen.builder.manifest import Output
    from figgen.integrations.pages import Target

logger = logging.getLogger(__name__)

PATH_SETTINGS = ("figgen_config", "figgen_cache", "figgen_recipes", "figgen_out")
# HTML themes whose reader switches between a light and a dark scheme, and whose stylesheet shows an element
# of class only-light or only-dark in its scheme alone (Furo: body[data-theme]; pydata-sphinx-theme and
# sphinx-book-theme, Jupyter Book's: html[data-theme])
DARK_MODE_THEMES = ("furo", "pydata_sphinx_theme", "sphinx_book_theme")
SCHEMES = {"light": "only-light", "dark": "only-dark"}  # figgen's theme -> the class that shows it
WORK_FOLDER = "figgen"  # in Sphinx's doctrees folder, unless a cache is configured
LATEX_STILL_HEIGHT = r"0.75\textheight"  # the tallest still in place of an animation, its caption below


class figgen_media(nodes.General, nodes.Element):  # docutils names nodes in lower case
    """A player (iframe), a video or a link (PDF): files a browser shows but ``<img>`` cannot. Its one child
    is the still that other builders show in its place (removed for HTML)."""


class figgen_pair(nodes.General, nodes.Element):
    """A figure in figgen's light and dark themes: two children, of classes only-light and only-dark."""


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
        from figgen.integrations.pages import choose_formats, find_target
        from figgen.writers.markup import shown_as

        config = self.config
        try:
            target = find_target(self.arguments[0], config.figgen_recipes, config=config.figgen_config)
            for path in [*target.dependencies, *_config_files(config.figgen_config)]:
                self.env.note_dependency(str(Path(path).resolve()))
            formats = choose_formats(target, self.options.get("format"), "sphinx")
            shown = shown_as(formats[0])
            image_only = [f":{o}:" for o in self.IMAGE_ONLY if o in self.options]
            if image_only and shown != "img":
                raise FiggenError(
                    f"{' and '.join(image_only)} apply to an image; {self.arguments[0]} is shown as "
                    f"{formats[0].upper()} (give :format: png, or leave them out)"
                )
            built = [self._build(target, formats, theme) for theme in self._themes(shown)]
        except FiggenError as exc:
            raise self.error(f"figgen: {exc}") from None
        alt = self.options.get("alt") or built[0][0][0].alt
        pieces = [self._shown(outputs, still, alt) for outputs, still in built]
        if len(pieces) == 2:  # each in its scheme: the class on the image or player itself
            for piece, scheme in zip(pieces, SCHEMES.values(), strict=True):
                _innermost(piece)["classes"].append(scheme)
            media: nodes.Element = figgen_pair("", *pieces)
            self.set_source_info(media)
        else:
            media = pieces[0]
        align = self.options.get("align")
        if not any(o in self.options for o in self.FIGURE):
            if align:  # as Sphinx's HTML writer aligns an image
                for piece in pieces:
                    _innermost(piece)["classes"].append(f"align-{align}")
            self.add_name(media)
            return [media]
        figure = nodes.figure()
        if align:
            figure["align"] = align
        if "figwidth" in self.options:
            figure["width"] = self.options["figwidth"]
        figure["classes"] += self.options.get("figclass", [])
        figure += media
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

    def _themes(self, shown: str) -> tuple[str | None, ...]:
        """The themes to build: ``:theme:`` or ``figgen_theme`` when given (None: figgen.toml's, else the
        default); else light and dark in a site with a dark mode, but for a PDF, which is for print."""
        chosen = self.options.get("theme") or self.config.figgen_theme
        if chosen or not self.config.figgen_dark_mode or shown == "link":
            return (chosen,)
        return tuple(SCHEMES)

    def _build(
        self, target: Target, formats: tuple[str, ...], theme: str | None
    ) -> tuple[list[Output], Path | None]:
        """The target's files in ``formats`` (built if stale), and the still other builders show in place
        of a player, a video or a PDF: the animation's filmstrip PNG, the explorable's poster still (its first
        state), the PNG of a still or a filmstrip."""
        from figgen.builder.options import parse_sets
        from figgen.builder.workfolders import work_folder
        from figgen.integrations.pages import build_target
        from figgen.writers.markup import poster_name, shown_as
        from figgen.writers.outputs import FILMSTRIP

        config = self.config
        plays = shown_as(formats[0]) != "img"
        wanted = (*formats, "png") if plays and "png" not in formats else formats
        cache = _cache(config, self.env.doctreedir)
        outputs = build_target(
            target,
            wanted,
            config.figgen_out or work_folder("sphinx", cache, config.figgen_config),
            params=parse_sets(self.options.get("set", "").split(), ":set: item"),  # one a line, or spaced
            config=config.figgen_config,
            cache=cache,
            progress=_log_progress,
            **self._page_options(theme),
        )
        shown = [o for o in outputs if o.format in formats]
        if not plays:
            return shown, None
        stem = shown[0].name
        if target.kind == "explorable":  # its first state: its poster still
            name = poster_name(stem)
        else:  # an animation's filmstrip, or the PNG of a still or a filmstrip
            name = f"{stem}{FILMSTRIP if target.kind == 'animation' else ''}.png"
        still = shown[0].path.with_name(name)
        if not still.is_file():
            raise FiggenError(f"recipe {target.recipe.name} wrote no {name}")
        return shown, still

    def _page_options(self, theme: str | None) -> PageChoice:
        """``theme``, and ``:preset:``, ``:quick:``, each else its ``figgen_`` setting in conf.py."""
        given, config = self.options, self.config
        return PageChoice(
            theme=theme,
            preset=given.get("preset") or config.figgen_preset,
            quick="quick" in given or config.figgen_quick,  # a flag
        )

    def _shown(self, outputs: list[Output], still: Path | None, alt: str) -> nodes.Element:
        """An image node (Sphinx copies the file it picks), maybe in a link, or a player, a video or a PDF
        link registered for copying (a video with its poster still), holding the still that builders other
        than HTML show."""
        from figgen.integrations.pages import poster_file
        from figgen.writers.markup import shown_as

        first = outputs[0]
        classes = self.options.get("class", [])
        if still is None:
            image = self._image(first.path, ".*" if len(outputs) > 1 else first.path.suffix, alt)
            image["classes"] += classes
            for option in ("width", "height", "scale", "loading"):
                if option in self.options:
                    image[option] = self.options[option]
            if "target" in self.options:  # the image links there, as docutils' image does
                return nodes.reference("", "", image, refuri=directives.uri(self.options["target"]))
            return image
        # as Sphinx does for images: gone means read again (and build again); absolute, as Sphinx resolves
        # a relative one against the source folder
        self.env.note_dependency(str(first.path.absolute()))
        poster = poster_file(first) if shown_as(first.format) == "video" else None  # copied like the video
        node = figgen_media(
            shown_as=shown_as(first.format),
            kind=first.kind,
            filename=self._download(first.path),
            poster=self._download(poster) if poster is not None else None,
            width=first.width,
            height=first.height,
            alt=alt,
            size=_css_length(self.options.get("width")),
            classes=list(classes),
        )
        picture = self._image(still, still.suffix, alt)
        if "width" in self.options:
            picture["width"] = self.options["width"]
        node += picture
        self.set_source_info(node)
        return node

    def _download(self, path: Path) -> str:
        """``path`` registered for copying into the build's download folder: its name there."""
        relative = os.path.relpath(path.absolute(), self.env.srcdir).replace(os.sep, "/")
        return str(self.env.dlfiles.add_file(self.env.docname, relative))

    def _image(self, path: Path, suffix: str, alt: str) -> nodes.image:
        """An image of the file ``path`` with ``suffix`` (``.*``: each format built, the builder picks)."""
        doc_dir = Path(self.env.srcdir, self.env.docname).parent
        uri = os.path.relpath(path.absolute().with_suffix(""), doc_dir).replace(os.sep, "/") + suffix
        image = nodes.image(uri=uri, alt=alt)
        self.set_source_info(image)
        return image


def _innermost(node: nodes.Element) -> nodes.Element:
    """The image in a link, or the node itself: what carries a scheme's or an alignment's class."""
    return cast(nodes.Element, node[0]) if isinstance(node, nodes.reference) else node


def _cache(config, doctreedir: str | os.PathLike) -> str | None:
    """Where figgen trains and builds: ``figgen_cache``; else None where ``$FIGGEN_CACHE`` or figgen.toml's
    ``cache`` says (figgen's own lookup); else ``figgen`` in Sphinx's doctrees folder, beside what Sphinx
    derives from the sources (never the sources themselves)."""
    from figgen.builder.options import configured, load_config
    from figgen.files.cache import ENVIRONMENT

    if config.figgen_cache:
        return config.figgen_cache
    if os.environ.get(ENVIRONMENT) or configured(load_config(config.figgen_config), "cache"):
        return None
    return str(Path(doctreedir, WORK_FOLDER))


def _project_config(confdir: Path) -> str | None:
    """The figgen.toml beside conf.py or in its parent folder (the project's, when sphinx-build runs in
    ``docs/``), unless the folder sphinx-build runs in has a configuration of its own (figgen's own lookup:
    None)."""
    from figgen.builder.options import config_files

    if any(p.is_file() for p in config_files(None)):
        return None
    found = [
        folder / "figgen.toml" for folder in (confdir, confdir.parent) if (folder / "figgen.toml").is_file()
    ]
    return str(found[0].resolve()) if found else None


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
    anchors = "".join(f'<span id="{ident}"></span>' for ident in node["ids"])  # :name: without a figure
    if node["shown_as"] == "frame":
        html = player_html(
            src,
            **size,
            alt=node["alt"],
            classes=node["classes"],
            max_width=node["size"],
            kind=node.get("kind", "animation"),
        )
    elif node["shown_as"] == "link":  # a PDF: a link named by its alt text
        html = link_html(src, text=node["alt"], classes=node["classes"])
    else:
        max_width = node["size"] or "100%"
        poster = node.get("poster")
        if poster:  # shown until the video plays
            poster = posixpath.join(self.builder.dlpath, urllib.parse.quote(poster))
        html = video_html(
            src, **size, alt=node["alt"], classes=node["classes"], max_width=max_width, poster=poster
        )
    self.body.append(anchors + html)
    raise nodes.SkipNode


def visit_pair_html(self, node: figgen_pair) -> None:
    self.body.append(self.starttag(node, "div", CLASS="figgen-pair"))


def depart_pair_html(self, node: figgen_pair) -> None:
    self.body.append("</div>\n")


def show_for_builder(app, doctree: nodes.document, docname: str) -> None:
    """HTML builders play the player or the video (their stills go); the others show the still, which
    Sphinx copies (LaTeX, EPUB: a book's reader runs no player and has no downloads), and the light one of a
    pair (print and e-books have one scheme)."""
    if app.builder.format == "html" and not app.builder.name.startswith("epub"):
        for media in doctree.findall(figgen_media):
            media.children = []
        return
    for pair in list(doctree.findall(figgen_pair)):
        light = cast(nodes.Element, pair[0])
        _innermost(light)["classes"].remove(SCHEMES["light"])
        _in_place_of(pair, light)
    for media in list(doctree.findall(figgen_media)):
        still = cast(nodes.Element, media[0])
        still["classes"] += [c for c in media["classes"] if c not in SCHEMES.values()]
        if app.builder.format == "latex" and "width" not in still:
            # a filmstrip is a column of key frames: at Sphinx's cap (the text's height) its caption ran
            # into the footer, and one that starts down a page ran off it
            still["height"] = LATEX_STILL_HEIGHT
        _in_place_of(media, still)


def _in_place_of(node: nodes.Element, shown: nodes.Element) -> None:
    """``shown`` where ``node`` was, after a target holding ``node``'s ids (its :name:, for :ref:): the LaTeX
    writer labels a target, but not an image."""
    anchors = [nodes.target("", "", ids=list(node["ids"]))] if node["ids"] else []
    node.replace_self([*anchors, shown])


def resolve_paths(app, config) -> None:
    """Path settings are relative to conf.py's folder, like Sphinx's own; ``figgen_dark_mode`` left unset
    is whether the HTML theme has a dark mode (an "env" setting: changing theme reads the pages again)."""
    for name in PATH_SETTINGS:
        value = getattr(config, name)
        if value and not Path(value).is_absolute():
            setattr(config, name, str(Path(app.confdir, value).resolve()))
    if config.figgen_config is None:
        config.figgen_config = _project_config(Path(app.confdir))
    if config.figgen_dark_mode is None:
        config.figgen_dark_mode = getattr(config, "html_theme", None) in DARK_MODE_THEMES


def setup(app) -> dict:
    for name in PATH_SETTINGS:
        app.add_config_value(name, None, "env", (str,))
    for name, kind in PAGE_OPTIONS.items():  # figgen_theme, figgen_preset, figgen_quick
        app.add_config_value(f"figgen_{name}", False if kind is bool else None, "env", (kind,))
    app.add_config_value("figgen_dark_mode", None, "env", (bool,))
    app.add_node(figgen_media, html=(visit_media_html, None))
    app.add_node(figgen_pair, html=(visit_pair_html, depart_pair_html))
    app.add_directive("figgen", FiggenDirective)
    app.connect("config-inited", resolve_paths)
    app.connect("doctree-resolved", show_for_builder)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
