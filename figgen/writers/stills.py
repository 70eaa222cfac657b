"""Still images (PNG, SVG, PDF) from a matplotlib Figure or a uint8 frame, with nothing time- or
run-dependent inside: no date, software version or random id goes into a file, so its bytes depend only on
its content. matplotlib is imported only when a figure (or an SVG/PDF of a frame) is written.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from figgen.writers._base import StillWriter, register

#: Salt for matplotlib's SVG ids, fixed so that two saves of one figure give identical bytes.
SVG_HASHSALT = "figgen"

# Metadata matplotlib would otherwise fill with dates and version strings.
_FIGURE_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def save_png(path: Path, frame: np.ndarray) -> None:
    """A uint8 RGB(A) frame as PNG: no tIME or text chunks, fixed compression."""
    Image.fromarray(np.ascontiguousarray(frame)).save(path, format="PNG", compress_level=6)


class _Still(StillWriter):
    """PNG, SVG and PDF share one implementation; the registered name is the format."""

    def write(self, path: Path, content: Any, **savefig_kw) -> tuple[int, int]:
        if hasattr(content, "savefig"):  # a matplotlib Figure
            return self._write_figure(path, content, **savefig_kw)
        frame = np.asarray(content)
        if frame.dtype != np.uint8 or frame.ndim not in (2, 3):
            raise ValueError(
                f"expected a matplotlib Figure or a uint8 image, got {frame.dtype} {frame.shape}"
            )
        if self.name == "png":
            save_png(path, frame)
        else:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            # The pixels 1:1 in a figure of exactly their size, handed to the renderer as they are
            dpi = 100
            fig = Figure(figsize=(frame.shape[1] / dpi, frame.shape[0] / dpi), dpi=dpi)
            FigureCanvasAgg(fig)
            fig.patch.set_alpha(0)
            fig.add_artist(_pixels(frame))
            self._write_figure(path, fig, dpi=dpi)
        return frame.shape[1], frame.shape[0]

    def _write_figure(self, path: Path, fig, **savefig_kw) -> tuple[int, int]:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        metadata = {**_FIGURE_METADATA[self.name], **savefig_kw.pop("metadata", {})}
        dpi = savefig_kw.get("dpi", fig.dpi)
        width, height = (round(v) for v in fig.get_size_inches() * (fig.dpi if dpi == "figure" else dpi))
        with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT}):
            if self.name != "svg":
                fig.savefig(path, format=self.name, metadata=metadata, **savefig_kw)
            else:
                buffer = io.BytesIO()
                fig.savefig(buffer, format="svg", metadata=metadata, **savefig_kw)
                path.write_bytes(_svg_size(buffer.getvalue(), width, height))
        return width, height


def _svg_size(svg: bytes, width: int, height: int) -> bytes:
    """The SVG with its root's width and height set to the PNG's pixel size, in px.

    matplotlib writes points (72 an inch: an 800-pixel figure at 100 dpi is 576pt, 768 CSS px); the viewBox
    keeps the points, so the drawing scales to exactly the pixel size the manifest records.
    """
    root = re.search(rb"<svg\b[^>]*>", svg)
    if root is None:
        raise RuntimeError("matplotlib wrote an SVG without an <svg> element")
    tag = re.sub(rb'\bwidth="[^"]*"', b'width="%dpx"' % width, root[0], count=1)
    tag = re.sub(rb'\bheight="[^"]*"', b'height="%dpx"' % height, tag, count=1)
    return svg[: root.start()] + tag + svg[root.end() :]


def _pixels(frame: np.ndarray):
    """An artist that draws a uint8 frame at the figure's origin, one image pixel per figure pixel.

    Not ``figimage``: that resamples even at 1:1, through float64 copies of the frame (a filmstrip's PDF
    peaked at 140 MB and took 0.2 s that way), and changes the colour under fully transparent pixels.
    """
    from matplotlib.artist import Artist

    rgba = np.ascontiguousarray(frame if frame.ndim == 3 else np.repeat(frame[..., None], 3, axis=2))
    if rgba.shape[2] == 3:
        rgba = np.dstack([rgba, np.full(rgba.shape[:2], 255, np.uint8)])

    class Pixels(Artist):
        def draw(self, renderer) -> None:
            gc = renderer.new_gc()
            renderer.draw_image(gc, 0, 0, rgba[::-1])  # renderers take the bottom row first
            gc.restore()

    return Pixels()


@register("png")
class PngWriter(_Still):
    """PNG still."""


@register("svg")
class SvgWriter(_Still):
    """SVG still: text as paths, ids from a fixed salt, no date."""


@register("pdf")
class PdfWriter(_Still):
    """PDF still: no creation date, producer or creator."""

    shown_as = "link"
