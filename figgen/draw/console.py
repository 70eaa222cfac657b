"""A console: lines of monospace text on a console-like panel, as a program printed them.

The panel is the page's colour mixed a quarter of the way to the theme's text colour (opaque in every theme,
so the console reads on any slide, like a screenshot of a terminal); its lines are DejaVu Sans Mono in the
theme's text colour, made to read 4.5:1 on the panel. A title in the theme's text sits above it. Same
conventions as :mod:`figgen.draw.grids`: uint8 RGB frames (RGBA for the transparent theme).

A console of ``rows`` rows keeps its size whatever it shows, so the frames of :func:`console_frames` (one more
line each, as a program prints them) do not jump. On a preset of fixed height (slides) the text shrinks to fit
its rows, never below the legible size; lines beyond what fits are elided in the middle of a still
(:func:`shown_lines`) and scroll off the top of an animation, as a terminal scrolls.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from figgen.core.themes import TEXT_CONTRAST, Preset, Theme, get_preset, get_theme, ink_for, mix
from figgen.draw._pixels import blank, border, text_kwargs
from figgen.draw.text import draw_text, legible_size, text_size

#: How far the panel's colour is mixed from the page towards the theme's text colour.
PANEL_MIX = 0.25
#: Line pitch as a multiple of the font size.
LINE_PITCH = 1.3


@dataclass(frozen=True)
class Console:
    """The layout of a console: its font and title sizes, rows and pixel geometry."""

    font: int  # monospace font size, px
    title_font: int
    rows: int  # lines the panel has room for
    pitch: int  # px from one line to the next
    pad: int  # px of panel around the text
    margin: int
    title_h: int
    text_w: int  # the widest line's width, px
    width: int  # the frame's
    height: int


def console_layout(lines: Sequence[str], title: str, preset: Preset | str) -> Console:
    """Lay out a console for ``lines`` (the longest sets its width) under ``title`` on ``preset``.

    The font starts at the preset's text size and shrinks, never below the legible size, until the longest
    line fits the width and, on a preset of fixed height, every line fits the height; then the rows are as
    many as fit (all the lines, where they do).
    """
    preset = get_preset(preset)
    margin, pad = preset.px(10), preset.px(12)
    least = legible_size(preset)
    title_font = max(least, preset.font_size)
    title_h = text_size(title, title_font, bold=True)[1] + preset.px(8) if title else 0
    longest = max(lines, key=len, default="")
    font = max(preset.font_size, least)

    def fits(size: int) -> bool:
        wide = text_size(longest, size, mono=True)[0] <= preset.width - 2 * (margin + pad)
        pitch = round(size * LINE_PITCH)
        tall = preset.height is None or title_h + 2 * (margin + pad) + len(lines) * pitch <= preset.height
        return wide and tall

    while font > least and not fits(font):
        font -= 1
    pitch = round(font * LINE_PITCH)
    rows = max(1, len(lines))
    if preset.height is not None:
        rows = max(1, min(rows, (preset.height - title_h - 2 * (margin + pad)) // pitch))
    text_w = text_size(longest, font, mono=True)[0]
    height = preset.height or title_h + 2 * (margin + pad) + rows * pitch
    return Console(font, title_font, rows, pitch, pad, margin, title_h, text_w, preset.width, height)


def shown_lines(lines: Sequence[str], rows: int) -> list[str]:
    """``lines`` as a still of ``rows`` rows shows them: all, or the first and last with the middle elided in
    one row that says how many lines it stands for."""
    lines = list(lines)
    if len(lines) <= rows:
        return lines
    if rows < 3:
        return lines[-rows:]
    head = (rows - 1) // 2
    tail = rows - 1 - head
    return [*lines[:head], f"… {len(lines) - head - tail:,} more lines …", *lines[len(lines) - tail :]]


def panel_colour(theme: Theme) -> tuple[int, int, int]:
    """The console panel's colour: the page's mixed :data:`PANEL_MIX` of the way to the theme's text."""
    return mix(theme.page, theme.foreground, PANEL_MIX)


def console_frame(
    shown: Sequence[str], layout: Console, theme: Theme | str, *, title: str = ""
) -> np.ndarray:
    """A frame of a console of ``layout`` showing the lines ``shown`` (at most its rows) from its top row."""
    theme = get_theme(theme)
    canvas = blank(theme, layout.width, layout.height)
    panel = panel_colour(theme)
    panel_w = min(layout.width - 2 * layout.margin, layout.text_w + 2 * layout.pad)
    panel_h = layout.rows * layout.pitch + 2 * layout.pad
    x0 = (layout.width - panel_w) // 2
    body = layout.title_h + panel_h + 2 * layout.margin
    y0 = (layout.height - body) // 2 + layout.margin + layout.title_h
    canvas[y0 : y0 + panel_h, x0 : x0 + panel_w] = theme.fill(panel)
    edge = ink_for(panel, panel, 1.5)  # a hairline a shade from the panel: its edge on a page of its colour
    border(canvas, x0, y0, panel_w, panel_h, edge, max(1, layout.pad // 12))
    picture = Image.fromarray(canvas)
    draw = ImageDraw.Draw(picture)
    if title:
        ty = y0 - layout.title_h
        style = text_kwargs(theme)
        draw_text(
            draw,
            (layout.width / 2, ty),
            title,
            layout.title_font,
            theme.foreground,
            anchor="ma",
            bold=True,
            **style,
        )
    ink = ink_for(theme.foreground, panel, TEXT_CONTRAST)
    text_x = x0 + layout.pad
    for row, line in enumerate(shown[: layout.rows]):
        draw_text(draw, (text_x, y0 + layout.pad + row * layout.pitch), line, layout.font, ink, mono=True)
    return np.array(picture)


def console_frames(
    lines: Sequence[str], theme: Theme | str, preset: Preset | str, *, title: str = ""
) -> Iterator[np.ndarray]:
    """Frames of a console printing ``lines`` one by one: frame k shows the first k + 1 lines (the last rows
    of them, when more are printed than fit: the console scrolls). Every frame has the full console's size."""
    layout = console_layout(lines, title, preset)
    for k in range(len(lines)):
        yield console_frame(lines[max(0, k + 1 - layout.rows) : k + 1], layout, theme, title=title)


def console_still(
    lines: Sequence[str], theme: Theme | str, preset: Preset | str, *, title: str = ""
) -> np.ndarray:
    """A console showing all of ``lines`` (the middle elided where they do not fit: :func:`shown_lines`)."""
    layout = console_layout(lines, title, preset)
    return console_frame(shown_lines(lines, layout.rows), layout, theme, title=title)
