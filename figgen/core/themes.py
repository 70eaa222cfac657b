"""Themes (colours), palettes (the colours that carry meaning) and presets (sizes): plain frozen data.

The array renderer (:mod:`figgen.draw`) reads them directly and matplotlib figures through
:mod:`figgen.figures.style`, so a dark slide deck and a light docs page come from the same recipe. This module
imports nothing heavy: the command line and the configuration check names against :data:`THEMES`,
:data:`PALETTES` and :data:`PRESETS` without loading matplotlib. A new theme, palette or preset is one entry
here.

Decisions a lecturer may ask about:

- Digits and weight sheets keep the text's own colours in every theme: ink on white paper (``gray_r``) and
  white for a zero weight (``seismic``), as the text says "white as neutral". On a dark slide they sit as
  light cards with a muted frame, rather than with inverted colours that would contradict the text.
- Right and wrong are never told by colour alone: figures add ✓/✗ or a marker shape. The ``colorblind``
  palette (Okabe and Ito's colours) keeps right, wrong and the main series apart under the common colour
  vision deficiencies as well; the diverging weight map stays centred on white zero.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from figgen.core.errors import FiggenError, unknown

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Theme:
    """Colours of one look; channels are 0-255 integers.

    ``background`` is RGBA: the transparent theme has alpha 0 there and renders RGBA frames; the
    others render RGB. ``outline`` (or None) is a halo drawn around text so it stays readable on
    any slide colour.
    """

    name: str
    background: RGBA
    foreground: RGB
    muted: RGB
    mistake: RGB
    good: RGB
    accent: RGB
    transparent: bool = False
    outline: RGB | None = None
    extra: tuple[RGB, ...] = ((214, 95, 0), (148, 103, 189), (140, 86, 75), (0, 128, 140))
    palette: str = "default"
    slide: RGB | None = None  # the colour a transparent figure is shown on, when the user said it

    @property
    def series(self) -> tuple[RGB, ...]:
        """Colours of successive data series (the lines of a plot): the accent, then the extras. Right and
        wrong are not among them, so no series seems to say either."""
        return (self.accent, *self.extra)

    @property
    def channels(self) -> int:
        """Channels of the frames rendered in this theme: 4 when transparent, else 3."""
        return 4 if self.transparent else 3

    def fill(self, rgb: RGB) -> tuple[int, ...]:
        """A colour as a pixel value of this theme's frames (opaque RGBA when transparent)."""
        return (*rgb, 255) if self.transparent else tuple(rgb)

    @property
    def page(self) -> RGB:
        """The colour every text and mark must read against: the slide's when the user named it, the halo's
        on a slide of unknown colour (the transparent theme outlines everything), else the background."""
        if self.slide is not None:
            return self.slide
        if self.transparent and self.outline is not None:
            return self.outline
        return self.background[:3]

    def text_ink(self, rgb: RGB) -> RGB:
        """A data colour made fit for text: the same hue, at 4.5:1 against :attr:`page` (a label in a
        series' colour, a ✓ in the colour of right)."""
        r, g, b = rgb[:3]
        return ink_for((r, g, b), self.page, TEXT_CONTRAST)

    @property
    def background_pixel(self) -> tuple[int, ...]:
        """The background as a pixel value of this theme's frames."""
        return self.background if self.transparent else self.background[:3]


@dataclass(frozen=True)
class Preset:
    """Sizes for one medium.

    ``width`` is the canvas width in pixels; ``height`` is a fixed canvas height (slides) or None
    when the content decides. ``font_size`` is the base text size in pixels, ``scale`` multiplies
    line widths and gaps, ``dpi`` converts pixels to inches for matplotlib stills.
    """

    name: str
    width: int
    height: int | None
    font_size: int
    scale: float
    dpi: int

    def px(self, value: float) -> int:
        """A length given for the docs preset, scaled to this preset and rounded to whole pixels."""
        return max(1, round(value * self.scale))

    def points(self, size: float) -> float:
        """A line width or marker size in points that looks the same in every preset (scaled like fonts)."""
        return size * self.scale * 100 / self.dpi


THEMES: dict[str, Theme] = {
    "light": Theme(
        name="light",
        background=(255, 255, 255, 255),
        foreground=(34, 34, 34),
        muted=(112, 112, 112),
        mistake=(214, 39, 40),
        good=(44, 160, 44),
        accent=(31, 119, 180),
    ),
    "dark": Theme(
        name="dark",
        background=(24, 26, 31, 255),
        foreground=(236, 236, 236),
        muted=(160, 164, 170),
        mistake=(255, 99, 99),
        good=(110, 220, 130),
        accent=(102, 178, 255),
        extra=((255, 127, 14), (180, 140, 230), (215, 130, 100), (23, 190, 207)),
    ),
    # Mid-dark gray text with a white halo reads on white and on dark slides alike; pixels with
    # alpha 0 keep a white colour so a viewer that ignores alpha shows a light page.
    "transparent": Theme(
        name="transparent",
        background=(255, 255, 255, 0),
        foreground=(72, 72, 72),
        muted=(110, 110, 110),
        mistake=(214, 39, 40),
        good=(44, 160, 44),
        accent=(31, 119, 180),
        transparent=True,
        outline=(255, 255, 255),
    ),
}

PRESETS: dict[str, Preset] = {
    "docs": Preset(name="docs", width=800, height=None, font_size=15, scale=1.0, dpi=100),
    "slides": Preset(name="slides", width=1920, height=1080, font_size=36, scale=2.4, dpi=200),
    # A 4:3 projector (1024 x 768): the 16:9 slides' sizes relative to the slide's width (1024/1920 of
    # theirs), so every figure lays out across as it does on them, with a third more height; text at least
    # 13 px tall. (Sized by the height instead, titles, legends and labels ran off a 4:3 slide's sides.)
    "slides43": Preset(name="slides43", width=1024, height=768, font_size=19, scale=1.28, dpi=107),
}


#: Palettes replace the colours that carry meaning (right, wrong, the main series, other series), for light
#: backgrounds (the light and transparent themes) and dark ones. None: each theme's own colours.
PALETTES: dict[str, dict[str, dict] | None] = {
    "default": None,
    "colorblind": {  # Okabe & Ito: apart under deuteranopia, protanopia and tritanopia (tested in CAM02-UCS)
        # on white, sky blue, orange and yellow are below 3:1: deeper shades of the same hues keep 3:1
        "light": {
            "good": (0, 114, 178),  # blue
            "mistake": (213, 94, 0),  # vermillion
            "accent": (0, 158, 115),  # bluish green
            "extra": ((180, 120, 0), (190, 100, 150), (140, 86, 75), (90, 90, 90)),  # grey last: not a rule
        },
        "dark": {
            "good": (86, 180, 233),  # sky blue
            "mistake": (230, 159, 0),  # orange
            "accent": (240, 228, 66),  # yellow
            "extra": ((0, 158, 115), (204, 121, 167), (213, 94, 0), (200, 200, 200)),
        },
    },
}


def _lookup(kind: str, name: str, table: dict):
    """Return ``table[name]`` or raise a FiggenError (a ValueError) with a close-match suggestion."""
    try:
        return table[name]
    except (KeyError, TypeError):
        raise unknown(kind, name, table) from None


def get_theme(name: str | Theme, palette: str = "default", background: str | None = None) -> Theme:
    """Return the theme called ``name`` in ``palette`` (a Theme passes through); unknown names raise
    FiggenError with a suggestion.

    ``background`` (``"#1f4e9c"``; only with the transparent theme) is the colour of the slide or page the
    figures will sit on: the inks are then chosen for it (:func:`on_slide`) instead of for any colour.
    """
    if isinstance(name, Theme):
        return name
    theme, colours = _lookup("theme", name, THEMES), _lookup("palette", palette, PALETTES)
    if colours is not None:
        theme = dataclasses.replace(theme, palette=palette, **colours["dark" if name == "dark" else "light"])
    if background is not None:
        if not theme.transparent:
            raise FiggenError(
                f"--background is for the transparent theme; the {name} theme paints its own background"
            )
        return on_slide(theme, parse_colour(background))
    return theme


# --- contrast -------------------------------------------------------------------------------------

TEXT_CONTRAST = 4.5  # WCAG AA for text
MARK_CONTRAST = 3.0  # WCAG for graphics: data lines, bars, markers
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def parse_colour(text: str) -> RGB:
    """``"#1f4e9c"`` (or ``"1f4e9c"``, ``"#fff"``) as an RGB triple; anything else is a FiggenError."""
    match = _HEX.fullmatch(str(text).strip())
    if not match:
        raise FiggenError(f"--background must be a colour as #rrggbb (e.g. #1f4e9c), got {text!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return r, g, b


def luminance(rgb: tuple[int, ...]) -> float:
    """WCAG relative luminance of a 0-255 colour: 0 for black, 1 for white."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """WCAG contrast ratio of two colours, 1 (the same) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(a: tuple[int, ...], b: tuple[int, ...], share: float) -> RGB:
    """The 0-255 colour ``share`` of the way from ``a`` to ``b`` (0: ``a``, 1: ``b``), channels rounded."""
    r, g, bl = (round(x + (y - x) * share) for x, y in zip(a[:3], b[:3], strict=True))
    return (r, g, bl)


def ink_for(rgb: RGB, background: RGB, minimum: float) -> RGB:
    """``rgb``, mixed towards white on a dark background (towards black on a light one) by the least amount
    that gives it ``minimum`` contrast against ``background``: the same hue, as readable as asked."""
    target = (
        (255, 255, 255)
        if contrast((255, 255, 255), background) >= contrast((0, 0, 0), background)
        else (0, 0, 0)
    )
    for step in range(0, 101, 2):
        mixed = mix(rgb, target, step / 100)
        if contrast(mixed, background) >= minimum:
            return mixed
    return target


def ink_on(fill: RGB) -> RGB:
    """White or black, whichever reads better on a shape filled with ``fill`` (a number in a cell): at least
    4.58:1 on any colour (a near-black would fall short of 4.5:1 on some)."""
    white, black = (255, 255, 255), (0, 0, 0)
    return white if contrast(white, fill) >= contrast(black, fill) else black


def on_slide(theme: Theme, slide: RGB) -> Theme:
    """The transparent theme for figures shown on a slide of colour ``slide``: light inks on a dark slide,
    dark ones on a light slide (the dark or light theme's, in the theme's palette), each raised to 4.5:1
    (text) or 3:1 (data marks) against the slide, so nothing needs a halo (one in the slide's colour would
    eat thin trails and small dots); pixels left transparent carry the slide's colour (what a viewer that
    ignores alpha shows)."""
    dark = contrast((255, 255, 255), slide) >= contrast((0, 0, 0), slide)
    base = get_theme("dark" if dark else "light", theme.palette)
    return dataclasses.replace(
        theme,
        background=(*slide, 0),
        foreground=ink_for(base.foreground, slide, TEXT_CONTRAST),
        muted=ink_for(base.muted, slide, TEXT_CONTRAST),
        mistake=ink_for(base.mistake, slide, MARK_CONTRAST),
        good=ink_for(base.good, slide, MARK_CONTRAST),
        accent=ink_for(base.accent, slide, MARK_CONTRAST),
        extra=tuple(ink_for(c, slide, MARK_CONTRAST) for c in base.extra),
        outline=None,
        slide=slide,
    )


def get_preset(name: str | Preset) -> Preset:
    """Return the preset called ``name`` (a Preset passes through); unknown names raise ValueError."""
    return name if isinstance(name, Preset) else _lookup("preset", name, PRESETS)
