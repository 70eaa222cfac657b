"""The *explorable* output kind: one self-contained HTML page where a reader turns the text's knobs and sees
real results, plus a still (``STEM_poster.png``) of its initial state for the places that run no page.

A recipe writes one with ``ctx.explorable(stem, page, alt=..., still=FRAME_OR_FIGURE)``, where ``page`` is an
:class:`ExplorablePage` (its own markup, style, script and data; figgen wraps them in the shell of
:mod:`figgen.writers._explorable_page` in the build's theme and preset) or a finished page as text. The page
works offline from ``file://``: no network, no file beside it. Its script calls ``FX.expose({set, state})``,
which publishes ``window.figgenExplorable``: ``state()`` names the knobs as the text does and the numbers as
shown, ``set({...})`` snaps each value to the nearest the page holds. Controls are native, labelled range
inputs (keyboard steps for free), the state is described in an aria-live region, reduced motion is
respected, and the slides presets size everything (controls included) for a projector. A page shows it like
the player, in an iframe sized to it (:func:`figgen.writers.markup.player_html` with ``kind="explorable"``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape

from figgen.core.themes import Preset, Theme, luminance
from figgen.writers._explorable_page import render_shell

KIND = "explorable"
FORMATS = ("html",)  # the page; its still comes with it (and with --formats png) as STEM_poster.png


@dataclass(frozen=True)
class ExplorablePage:
    """The parts of an explorable page that are its own; figgen adds the shell, theme and preset.

    ``body``: markup inside the page's ``<main>`` (controls, canvases); ``script``: JavaScript run after
    the shell's, which reads ``FX.data`` (``data``, as JSON) and ends by calling ``FX.expose``; ``style``:
    CSS of its own; ``aspect``: the page's height over its width at the preset's width, for the first
    layout of an iframe before the page reports its height (and the manifest's pixel size).
    """

    title: str
    body: str
    script: str
    data: dict = field(default_factory=dict)
    style: str = ""
    aspect: float = 0.75


def render_explorable(page: ExplorablePage, theme: Theme, preset: Preset, alt: str) -> str:
    """The whole page: ``page``'s parts in the shell, coloured by ``theme`` and sized by ``preset``."""
    solid = theme.slide or ((255, 255, 255) if theme.transparent else theme.background[:3])
    background = "transparent" if theme.transparent and theme.slide is None else _css(solid)
    names = {
        "bg": background,
        "bg-solid": _css(solid),
        "fg": _css(theme.foreground),
        "muted": _css(theme.muted),
        "accent": _css(theme.accent),
        "accent-text": _css(theme.text_ink(theme.accent)),
        "good": _css(theme.good),
        "mistake": _css(theme.mistake),
        **{f"series-{i}": _css(colour) for i, colour in enumerate(theme.series)},
    }
    colours = " ".join(f"--fx-{name}: {value};" for name, value in names.items())
    halo = ""
    if theme.transparent and theme.slide is None and theme.outline is not None:  # any slide: a halo
        halo = f"text-shadow: 0 0 .12em {_css(theme.outline)}, 0 0 .12em {_css(theme.outline)};"
    data = json.dumps(page.data, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return render_shell(
        theme=escape(theme.name),
        preset=escape(preset.name),
        title=escape(page.title),
        scheme="dark" if luminance(solid) < 0.2 else "light",
        colours=colours,
        halo=halo,
        font=preset.font_size,
        width=preset.width,
        fit=1 if preset.height else 0,
        alt=escape(alt),
        style=page.style.replace("</", "<\\/"),
        body=page.body,
        data=data.replace("<", "\\u003c"),
        script=re.sub(r"</(script)", r"<\\/\1", page.script, flags=re.IGNORECASE),
    )


def page_size(page: ExplorablePage, preset: Preset) -> tuple[int, int]:
    """The page's size in CSS pixels at the preset's width (the manifest's width and height of it): on a
    preset of fixed height (slides) at most that height, which the page scales itself down to fit."""
    height = round(preset.width * page.aspect)
    return preset.width, min(height, preset.height) if preset.height else height


def _css(rgb: tuple[int, ...]) -> str:
    r, g, b = (int(c) for c in rgb[:3])
    return f"rgb({r},{g},{b})"
