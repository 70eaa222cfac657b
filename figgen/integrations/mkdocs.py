"""The MkDocs plugin ``figgen``: Markdown images ``![](figgen:RECIPE.FORMAT)`` become built files in the site.

In ``mkdocs.yml``::

    plugins:
      - figgen:
          quick: false       # small sizes, for previews
          theme: light       # light, dark, transparent (default: figgen.toml's, else light)
          preset: docs       # docs, slides
          config: figgen.toml

and in a page: ``![](figgen:weights.svg)``, ``![](figgen:weights_evolution.html)`` (the interactive player),
``![Key frames](figgen:weights_evolution/weights_evolution_filmstrip.png)``; without a format a still is a
PNG and an animation its player. An empty alt takes the recipe's alt text.

With Python-Markdown's ``attr_list`` in ``markdown_extensions``, an image takes options in braces right after
it: ``![](figgen:weights.png){ width="300" .shadow theme="dark" set="TRAIN_SIZE=1000 TRAIN_STEPS=500" }``.
figgen's own are ``set`` (KEY=VALUE items, as the Sphinx directive's ``:set:``), ``theme``, ``preset`` and
``quick``; the rest go to the ``<img>`` as attr_list puts them; a player or a video takes ``width``, classes
and an id. Without attr_list, braces stay text, as Python-Markdown leaves them.

On Material for MkDocs with a palette that has the ``slate`` scheme, each figure is built in figgen's light
and dark themes (unless the image or the plugin names a theme): images as Material's ``#only-light`` /
``#only-dark`` pair, players and videos in ``figgen-only-light`` / ``figgen-only-dark`` blocks that the
stylesheet ``figgen/figgen.css``, added to ``extra_css``, shows by ``data-md-color-scheme``.

Each output is built through :func:`figgen.build` into ``mkdocs/`` in figgen's cache folder (never the
docs folder, which ``mkdocs serve`` watches, so a build cannot start another: a cache folder inside the docs
or the site is refused) and added to the site as a
file of its own, so only what pages show is copied and MkDocs checks the links like any other.
``mkdocs serve`` also watches the recipes and figgen.toml: editing a recipe rebuilds it and reloads. Bad
input stops the build with the page, the line and what is wrong, and so does a ``figgen:`` reference it
cannot read (outside code): one is never left in a page. A title may be written "...", '...' or (...),
with backslash escapes (``"a \\"quoted\\" title"``). Paths in the options are relative to mkdocs.yml.
Also ``cache`` (the training cache) and ``recipes`` (the recipe folder).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File

from figgen.core.errors import FiggenError
from figgen.integrations.pages import PAGE_OPTIONS

if TYPE_CHECKING:
    from figgen.recipe.spec import Recipes

log = get_plugin_logger(__name__)

STYLESHEET = "figgen/figgen.css"  # in a site with a dark scheme: shows each player's and video's copy

# ![alt](figgen:target "title"), outside code (fenced blocks and `spans` show the syntax, they do not use it).
# The title is Markdown's: "...", '...' or (...), with backslash escapes; the target may be in <...>.
TITLE = r""""(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\((?:\\.|[^()\\])*\)"""
IMAGE = re.compile(
    r"!\[(?P<alt>(?:\\.|[^\]\\])*)\]\(\s*(?P<angle><)?figgen:(?P<target>[^)\s<>]+)(?(angle)>)"
    rf"(?P<title>\s+(?:{TITLE}))?\s*\)"
)
# { width="300" .shadow theme="dark" set="TRAIN_SIZE=1000" } right after it, with Python-Markdown's attr_list:
# the tokens attr_list's own scanner reads (key="...", key='...', key=value, .class, #id, a bare word)
ATTRS = (
    r"""\{:?(?P<attrs>(?:[ ]+|[^ =}\n]+="[^"\n]*"|[^ =}\n]+='[^'\n]*'|[^ =}\n]+=[^ =}\n]+|[^ =}\n]+)*)\}"""
)
IMAGE_WITH_ATTRS = re.compile(rf"{IMAGE.pattern}(?:{ATTRS})?")
ATTR_LIST = ("attr_list", "markdown.extensions.attr_list")  # how mkdocs.yml may name the extension
FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
# what is left of a figgen reference the plugin could not read: figgen: in a link, or before a name
LEFTOVER = re.compile(r"\]\(\s*<?figgen:|figgen:(?=[^\s`])")


def _setting(kind: type) -> config_options.BaseConfigOption:
    """A plugin setting: a flag defaults to false, text to figgen.toml's (else figgen's default)."""
    if kind is bool:
        return config_options.Type(bool, default=False)
    return config_options.Optional(config_options.Type(kind))


class FiggenConfig(Config):
    """The plugin's settings, which MkDocs reads from the class's attributes: the page options, each of the
    kind :data:`PAGE_OPTIONS` gives it (read by name, as the table lists them), and the paths (relative to
    mkdocs.yml). A page option missing here fails tests/test_markup.py."""

    theme = _setting(PAGE_OPTIONS["theme"])
    preset = _setting(PAGE_OPTIONS["preset"])
    quick = _setting(PAGE_OPTIONS["quick"])
    config = config_options.Optional(config_options.Type(str))
    cache = config_options.Optional(config_options.Type(str))
    recipes = config_options.Optional(config_options.Type(str))


class FiggenPlugin(BasePlugin[FiggenConfig]):
    """Resolves ``figgen:`` images to built files; see the module docstring."""

    attr_list = False  # the site reads { ... } after an image (Python-Markdown's attr_list)
    schemes = False  # the site has a light and a dark scheme (Material's palette with slate)
    recipes: Recipes | None = None  # as read once per build (mkdocs serve builds again after each edit)

    def on_config(self, config):
        base = Path(config.config_file_path or ".").resolve().parent
        for name in ("config", "cache", "recipes"):
            value = self.config[name]
            if value and not Path(value).is_absolute():
                self.config[name] = str(base / value)
        self.attr_list = any(name in ATTR_LIST for name in config.markdown_extensions)
        self.schemes = _has_slate(config.theme)
        if self.schemes:
            config.extra_css.append(STYLESHEET)
        self._check_work_folder(config)
        return config

    def _check_work_folder(self, config) -> None:
        """Refuse a cache folder inside the docs (``mkdocs serve`` watches them: each build would start
        another, and the files would be published) or the site (each build empties it)."""
        from figgen.builder.options import cache_folder, load_config

        try:
            cache = self.config.cache or cache_folder(load_config(self.config.config))
        except FiggenError as exc:
            raise PluginError(f"figgen: {exc}") from None
        root = Path(cache).resolve()
        for setting in ("docs_dir", "site_dir"):
            folder = Path(config[setting]).resolve()
            if root == folder or folder in root.parents:
                raise PluginError(
                    f"figgen: the cache folder {cache} is inside {setting} {config[setting]}: figgen builds "
                    "there, so set the plugin's cache to a folder outside it"
                )

    def on_pre_build(self, config):
        self.recipes = None  # read again: a recipe may have changed since the last build

    def on_files(self, files, config):
        if self.schemes:  # the stylesheet that shows a player's or video's copy for the scheme
            from figgen.writers.markup import scheme_pair_css

            # Material's own rules for images (#only-light, #only-dark), for the blocks of a pair
            css = scheme_pair_css('[data-md-color-scheme="default"]', '[data-md-color-scheme="slate"]')
            files.append(File.generated(config, STYLESHEET, content=css))
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        code = _code_spans(markdown)
        pattern = IMAGE_WITH_ATTRS if self.attr_list else IMAGE
        skipped = _lines_before(markdown, page)  # lines are the file's: its front matter counts
        images = [m for m in pattern.finditer(markdown) if not _inside(m.start(), code)]
        for leftover in LEFTOVER.finditer(markdown):  # a reference never stays in the page unread
            if not _inside(leftover.start(), code + [m.span() for m in images]):
                line = skipped + markdown.count("\n", 0, leftover.start()) + 1
                text = markdown.splitlines()[line - 1].strip()
                raise PluginError(
                    f"{page.file.src_uri}:{line}: cannot read this figgen reference: "
                    f"{text[:120] + ('...' if len(text) > 120 else '')} "
                    f'(write an image: ![alt](figgen:RECIPE.FORMAT "title"))'
                )

        def replace(match: re.Match) -> str:
            if _inside(match.start(), code):
                return match.group(0)
            line = skipped + markdown.count("\n", 0, match.start()) + 1
            try:
                return self._show(match, page, config, files)
            except FiggenError as exc:
                attrs = match.groupdict().get("attrs")
                written = f"figgen:{match['target']}" + ("" if attrs is None else f"{{{attrs}}}")
                raise PluginError(f"{page.file.src_uri}:{line}: {written}: {exc}") from None

        return pattern.sub(replace, markdown)

    def _show(self, match: re.Match, page, config, files) -> str:
        from figgen.integrations.pages import choose_formats, find_target, poster_file
        from figgen.writers.markup import block_html, scheme_pair_html, shown_as

        name, dot, fmt = match["target"].rpartition(".")
        if not dot:
            name, fmt = fmt, None
        options, params, attrs = read_attrs(match.groupdict().get("attrs"))
        if self.recipes is None:
            from figgen.api import list_recipes

            self.recipes = list_recipes(self.config.recipes, config=self.config.config)
        target = find_target(name, self.config.recipes, known=self.recipes)
        formats = choose_formats(target, fmt, "mkdocs")
        shown = shown_as(formats[0])
        chosen = {option: options.get(option, self.config[option]) for option in PAGE_OPTIONS}
        # a site with a dark scheme gets the figure in figgen's light and dark themes, unless a theme is
        # chosen (a PDF, a link, is for print: light)
        themes: tuple[str | None, ...] = (chosen["theme"],)
        if self.schemes and chosen["theme"] is None:
            themes = ("light",) if shown == "link" else ("light", "dark")
        if shown in ("frame", "video"):  # checked before any work
            media, ident = _media_attrs(attrs, shown, formats[0])
        shown_files = [
            self._built(target, formats, page, config, files, params, {**chosen, "theme": theme})
            for theme in themes
        ]
        title = _title(match["title"])
        if shown in ("frame", "video"):
            markup = []
            for output, url, _ in shown_files:  # a video shows its poster still (added too) until it plays
                still = poster_file(output) if shown == "video" else None
                poster = self._site_file(still, config, files).url_relative_to(page.file) if still else None
                markup.append(_media(output, url, shown, match["alt"], media, poster))
            html = block_html(scheme_pair_html(*markup) if len(markup) == 2 else markup[0], ident=ident)
            return f"\n\n{html}\n\n"
        written: list[str] = []
        for (output, _, link), fragment in zip(shown_files, ("#only-light", "#only-dark"), strict=False):
            alt = _escape(_unescape(match["alt"]) or output.alt)
            if len(shown_files) == 2:  # Material's pair: it shows the image whose fragment fits the scheme
                link += fragment
                if written:  # one element has an id: the first
                    attrs = [(key, value) for key, value in attrs if key != "id"]
            if shown == "link":  # a PDF: a link named by its alt text
                written.append(f"[{alt}]({link}{title}){_attr_list(attrs)}")
            else:  # an image: Markdown, so MkDocs checks the link like any other
                written.append(f"![{alt}]({link}{title}){_attr_list(attrs)}")
        return "".join(written)

    def _built(self, target, formats, page, config, files, params, chosen) -> tuple[Any, str, str]:
        """Build ``target`` (if stale) and add its file to the site: the output, its URL from the page, and
        its path from the page (for a Markdown link)."""
        from figgen.builder.workfolders import work_folder
        from figgen.integrations.pages import build_target

        (output,) = build_target(
            target,
            formats,
            work_folder("mkdocs", self.config.cache, self.config.config),
            params=params,
            config=self.config.config,
            cache=self.config.cache,
            progress=_log_progress,
            **chosen,
        )
        file = self._site_file(output.path, config, files)
        link = posixpath.relpath(_site_path(output.path), posixpath.dirname(page.file.src_uri) or ".")
        return output, file.url_relative_to(page.file), link

    def _site_file(self, path: Path, config, files):
        """A file figgen built, added to the site once (at :func:`_site_path`)."""
        src_uri = _site_path(path)
        file = files.get_file_from_path(src_uri)
        if file is None:
            file = File.generated(config, src_uri, abs_src_path=str(path))
            files.append(file)
        return file

    def on_serve(self, server, config, builder):
        """Rebuild when a recipe or figgen.toml changes, as when a page does."""
        from figgen.api import list_recipes
        from figgen.builder.options import config_files

        try:  # every folder recipes are read from: figgen's own and the user's
            folders = list_recipes(self.config.recipes, config=self.config.config).folders
        except FiggenError:
            folders = []
        for path in [*folders, *config_files(self.config.config)]:
            if Path(path).exists():
                server.watch(str(Path(path).resolve()))
        return server


def read_attrs(written: str | None) -> tuple[dict[str, Any], dict[str, str], list[tuple[str, str | None]]]:
    """An image's ``{ ... }`` (attr_list's syntax) as figgen's choices and the HTML attributes: the
    :data:`PAGE_OPTIONS` (``theme="dark"``, ``preset="slides"``, ``quick`` or ``quick="false"``), the
    parameters (``set="TRAIN_SIZE=1000 LEARNING_RATE=0.1"``, as the Sphinx directive's ``:set:``) and,
    in order, the rest as attr_list reads them (``('.', 'shadow')`` for ``.shadow``, ``('id', 'x')`` for
    ``#x``, a value of None for a bare word)."""
    if not written:
        return {}, {}, []
    from markdown.extensions.attr_list import get_attrs_and_remainder  # type: ignore[import-untyped]

    from figgen.builder.options import parse_sets

    options: dict[str, Any] = {}
    params: dict[str, str] = {}
    attrs: list[tuple[str, str | None]] = []
    for key, value in get_attrs_and_remainder(written)[0]:
        if key == "set":
            if not value:
                raise FiggenError('set takes KEY=VALUE items: set="TRAIN_SIZE=1000 LEARNING_RATE=0.1"')
            params.update(parse_sets(value.split(), "set item"))
        elif key in PAGE_OPTIONS and PAGE_OPTIONS[key] is bool:
            if (value or "true").lower() not in ("true", "false"):
                raise FiggenError(f'{key}="{value}": expected {key} (or {key}="true"), or {key}="false"')
            options[key] = (value or "true").lower() == "true"
        elif key in PAGE_OPTIONS:
            if not value:
                raise FiggenError(f'{key} takes a value: {key}="..."')
            options[key] = value
        elif re.fullmatch(r"[A-Z][A-Z0-9_]*", key):  # a recipe's parameter, written as an attribute
            raise FiggenError(f'{key}: a parameter is set with set="{key}={value or "VALUE"}"')
        else:
            attrs.append((key, value))
    return options, params, attrs


# What a player or a video takes of an image's attributes: its width (CSS: 300 is 300px), classes, an id.
MEDIA_ATTRS = ("width", "class", ".", "id")
CSS_LENGTH = re.compile(r"(?P<number>\d+(?:\.\d+)?)(?P<unit>px|%|em|rem|ch|vw)?")


def _media_attrs(attrs: list[tuple[str, str | None]], shown: str, fmt: str) -> tuple[dict, str | None]:
    """A player's or video's attributes as the keywords of its markup (classes, max_width) and its id."""
    what = "a player" if shown == "frame" else "a video"
    chosen: dict[str, Any] = {"classes": []}
    ident = None
    for key, value in attrs:
        if key not in MEDIA_ATTRS:
            raise FiggenError(
                f"{key!r} is for an image: {what} ({fmt}) takes width, class and id "
                '(width="300", .name, #name)'
            )
        if not value:
            raise FiggenError(f'{key!r} takes a value on {what} ({fmt}): {key}="…"')
        if key in (".", "class"):
            chosen["classes"].extend(value.split())
        elif key == "id":
            ident = value
        else:
            length = CSS_LENGTH.fullmatch(value)
            if not length:
                raise FiggenError(f'width="{value}": expected a CSS width (300, 300px, 50%)')
            chosen["max_width"] = value if length["unit"] else f"{value}px"
    return chosen, ident


def _site_path(path: Path) -> str:
    """Where a file figgen built goes in the site: ``figgen/FOLDER/NAME`` (its work folder's name)."""
    return f"figgen/{path.parent.name}/{path.name}"


def _media(output, url: str, shown: str, alt: str, attrs: dict, poster: str | None = None) -> str:
    """A player's or a video's markup for the page (a video shows its ``poster`` before it plays)."""
    from figgen.writers.markup import player_html, video_html

    alt = _unescape(alt) or output.alt
    size = {"width": output.width, "height": output.height, "alt": alt}
    if shown == "frame":
        return player_html(url, **size, **attrs, kind=output.kind)
    return video_html(url, **size, **{"max_width": "100%", **attrs}, poster=poster)


def _attr_list(attrs: list[tuple[str, str | None]]) -> str:
    """HTML attributes, as :func:`read_attrs` returns them, written back as attr_list reads them ('' for
    none)."""
    if not attrs:
        return ""
    written = []
    for key, value in attrs:
        if key == ".":
            written.append(f".{value}")
        elif value is None:
            written.append(key)
        else:
            written.append(f"{key}='{value}'" if '"' in value else f'{key}="{value}"')
    return "{ " + " ".join(written) + " }"


def _has_slate(theme) -> bool:
    """Whether the site's theme is Material for MkDocs with a palette that has the dark scheme (slate),
    alone or in a toggle."""
    if theme.name != "material" or "palette" not in theme:
        return False
    palette = theme["palette"]
    schemes = palette if isinstance(palette, list) else [palette]
    return any(isinstance(s, dict) and s.get("scheme") == "slate" for s in schemes)


def _log_progress(event: str, /, **info: Any) -> None:
    if event == "recipe_done":
        log.info(f"built {info['recipe']}")


def _lines_before(markdown: str, page) -> int:
    """How many lines of the page's file come before ``markdown``: MkDocs gives a page without its front
    matter (``---`` YAML, or MultiMarkdown's ``Key: value`` lines) and the blank lines after it."""
    try:
        source = page.file.content_string
    except (AttributeError, OSError, UnicodeDecodeError):
        return 0
    if not markdown or not source.endswith(markdown):
        return 0  # another plugin changed it: count from its start
    return source.count("\n", 0, len(source) - len(markdown))


def _code_spans(markdown: str) -> list[tuple[int, int]]:
    """Where the page shows code: fenced blocks, then `spans` in the rest (offsets into ``markdown``)."""
    fences = [m.span() for m in FENCE.finditer(markdown)]
    rest = list(markdown)
    for start, end in fences:  # blanked, so a fence's backticks pair with nothing outside it
        rest[start:end] = " " * (end - start)
    return fences + [m.span() for m in CODE_SPAN.finditer("".join(rest))]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _escape(text: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def _title(written: str | None) -> str:
    """A title as the page wrote it ("...", '...' or (...), with backslash escapes) in the one form MkDocs'
    Markdown reads whatever it holds: double quotes, a quote inside as &quot; ('' for none)."""
    if not written:
        return ""
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", written.strip()[1:-1])  # Markdown's escapes: punctuation
    return ' "' + text.replace('"', "&quot;") + '"'


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).strip()
