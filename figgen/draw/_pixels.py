"""Pixel-level helpers shared by the array renderers: enlarging, pasting, outlining, blank canvases, and
painting a colour through a coverage mask (text and shapes alike)."""

from __future__ import annotations

import functools
from typing import TypedDict

import numpy as np
from PIL import Image

from figgen.core.knobs import SIDE
from figgen.core.themes import RGB, Theme


def upscale(image28: np.ndarray, factor: int) -> np.ndarray:
    """Enlarge an image (H, W[, C]) by repeating each pixel into a factor x factor block."""
    if factor < 1 or int(factor) != factor:
        raise ValueError(f"upscale factor must be a positive integer, got {factor}")
    factor = int(factor)
    return np.repeat(np.repeat(image28, factor, axis=0), factor, axis=1)


def blank(theme: Theme, width: int, height: int) -> np.ndarray:
    """A frame of the theme's background colour."""
    canvas = np.empty((height, width, theme.channels), np.uint8)
    canvas[...] = theme.background_pixel
    return canvas


def put(canvas: np.ndarray, x: int, y: int, rgb: np.ndarray) -> None:
    """Paste an opaque RGB block with its top-left corner at (x, y)."""
    h, w = rgb.shape[:2]
    canvas[y : y + h, x : x + w, :3] = rgb
    if canvas.shape[2] == 4:
        canvas[y : y + h, x : x + w, 3] = 255


def border(canvas: np.ndarray, x: int, y: int, w: int, h: int, colour, width: int) -> None:
    """Draw a rectangle outline of ``width`` pixels just outside the box (x, y, w, h)."""
    value = (*colour, 255) if canvas.shape[2] == 4 else tuple(colour)
    x0, y0 = max(x - width, 0), max(y - width, 0)
    canvas[y0:y, x0 : x + w + width] = value
    canvas[y + h : y + h + width, x0 : x + w + width] = value
    canvas[y0 : y + h + width, x0:x] = value
    canvas[y0 : y + h + width, x + w : x + w + width] = value


class TextStyle(TypedDict):
    """Keyword arguments of :func:`figgen.draw.text.draw_text` that follow the theme."""

    outline: RGB | None


def text_kwargs(theme: Theme) -> TextStyle:
    """Keyword arguments that give drawn text the theme's halo."""
    return {"outline": theme.outline}


def as_images(images: np.ndarray) -> np.ndarray:
    """(n, 784) or (n, 28, 28) pixels as (n, 28, 28)."""
    images = np.asarray(images)
    if images.ndim == 2 and images.shape[1] == SIDE * SIDE:
        return images.reshape(-1, SIDE, SIDE)
    if images.ndim == 3 and images.shape[1:] == (SIDE, SIDE):
        return images
    raise ValueError(f"expected images of shape (n, 784) or (n, 28, 28), got {images.shape}")


@functools.lru_cache(maxsize=8)
def _coverage_table(levels: int) -> tuple[int, ...]:
    return tuple(round(round(v * (levels - 1) / 255) * 255 / (levels - 1)) for v in range(256))


def paint(
    image: Image.Image, colour: tuple[int, ...], corner: tuple[int, int], mask: Image.Image, levels: int
) -> None:
    """Paint ``colour`` (RGB or RGBA) onto a Pillow image through an "L" coverage mask placed at ``corner``.

    Edge coverage is kept to ``levels`` steps (0 and full included), so anti-aliased text and shapes add
    only a handful of colours to a frame and animations fit one 256-colour GIF palette exactly.
    """
    colour = tuple(int(c) for c in colour)
    if image.mode == "RGBA" and len(colour) == 3:
        colour = (*colour, 255)
    elif image.mode == "RGB" and len(colour) == 4:
        colour = colour[:3]
    x, y = corner
    image.paste(colour, (x, y, x + mask.width, y + mask.height), mask.point(_coverage_table(levels)))
