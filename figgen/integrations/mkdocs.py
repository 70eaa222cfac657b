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

Each output is built through :func:`figgen.build` into ``mkdocs/`` in figgen's cache folder (never the
docs folder, which ``mkdocs serve`` watches, so a build cannot start another) and added to the site as a
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
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File

from figgen.core.errors import FiggenError
from figgen.integrations.pages import PAGE_OPTIONS

log = get_plugin_logger(__name__)

# ![alt](figgen:target "title"), outside code (fenced blocks and `spans` show the syntax, they do not use it).
# The title is Markdown's: "...", '...' or (...), with backslash escapes; the target may be in <...>.
TITLE = r""""(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\((?:\\.|[^()\\])*\)"""
IMAGE = re.compile(
    r"!\[(?P<alt>(?:\\.|[^\]\\])*)\]\(\s*(?P<angle><)?figgen:(?P<target>[^)\s<>]+)(?(angle)>)"
    rf"(?P<title>\s+(?:{TITLE}))?\s*\)"
)
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

    def on_config(self, config):
        base = Path(config.config_file_path or ".").resolve().parent
        for name in ("config", "cache", "recipes"):
            value = self.config[name]
            if value and not Path(value).is_absolute():
                self.config[name] = str(base / value)
        return config

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        code = _code_spans(markdown)
        images = [m for m in IMAGE.finditer(markdown) if not _inside(m.start(), code)]
        for leftover in LEFTOVER.finditer(markdown):  # a reference never stays in the page unread
            if not _inside(leftover.start(), code + [m.span() for m in images]):
                line = markdown.count("\n", 0, leftover.start()) + 1
                text = markdown.splitlines()[line - 1].strip()
                raise PluginError(
                    f"{page.file.src_uri}:{line}: cannot read this figgen reference: "
                    f"{text[:120] + ('...' if len(text) > 120 else '')} "
                    f'(write an image: ![alt](figgen:RECIPE.FORMAT "title"))'
                )

        def replace(match: re.Match) -> str:
            if _inside(match.start(), code):
                return match.group(0)
            line = markdown.count("\n", 0, match.start()) + 1
            try:
                return self._show(match, page, config, files)
            except FiggenError as exc:
                raise PluginError(f"{page.file.src_uri}:{line}: figgen:{match['target']}: {exc}") from None

        return IMAGE.sub(replace, markdown)

    def _show(self, match: re.Match, page, config, files) -> str:
        from figgen.builder.workfolders import work_folder
        from figgen.integrations.pages import build_target, choose_formats, find_target
        from figgen.writers.markup import player_html, shown_as, video_html

        name, dot, fmt = match["target"].rpartition(".")
        if not dot:
            name, fmt = fmt, None
        target = find_target(name, self.config.recipes)
        formats = choose_formats(target, fmt, "mkdocs")
        (output,) = build_target(
            target,
            formats,
            work_folder("mkdocs", self.config.cache, self.config.config),
            config=self.config.config,
            cache=self.config.cache,
            progress=_log_progress,
            **{option: self.config[option] for option in PAGE_OPTIONS},
        )
        src_uri = f"figgen/{output.path.parent.name}/{output.path.name}"
        file = files.get_file_from_path(src_uri)
        if file is None:
            file = File.generated(config, src_uri, abs_src_path=str(output.path))
            files.append(file)
        alt = _unescape(match["alt"]) or output.alt
        shown, url = shown_as(output.format), file.url_relative_to(page.file)
        width, height = output.width, output.height
        if shown == "frame":
            return f"\n\n{player_html(url, width=width, height=height, alt=alt)}\n\n"
        if shown == "video":
            video = video_html(url, width=width, height=height, alt=alt, classes=(), max_width="100%")
            return f"\n\n{video}\n\n"
        # an image or a link: Markdown, so MkDocs checks the link like any other
        link = posixpath.relpath(src_uri, posixpath.dirname(page.file.src_uri) or ".")
        title = _title(match["title"])
        if shown == "link":  # a PDF: a link named by its alt text
            return f"[{_escape(alt)}]({link}{title})"
        return f"![{_escape(alt)}]({link}{title})"

    def on_serve(self, server, config, builder):
        """Rebuild when a recipe or figgen.toml changes, as when a page does."""
        from figgen.api import list_recipes
        from figgen.builder.options import config_files

        try:
            folder = list_recipes(self.config.recipes)[0].path.parent
        except (FiggenError, IndexError):
            folder = None
        for path in [folder, *config_files(self.config.config)]:
            if path is not None and Path(path).exists():
                server.watch(str(Path(path).resolve()))
        return server


def _log_progress(event: str, /, **info: Any) -> None:
    if event == "recipe_done":
        log.info(f"built {info['recipe']}")


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
