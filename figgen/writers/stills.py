"""Still images (PNG, SVG, PDF) and PNG frame sequences, with nothing time- or run-dependent inside."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from figgen.draw.theme import SVG_HASHSALT
from figgen.writers._base import Writer, register

# Metadata matplotlib would otherwise fill with dates and version strings.
_FIGURE_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def save_png(path: Path, frame: np.ndarray) -> None:
    """A uint8 RGB(A) frame as PNG: no tIME or text chunks, fixed compression."""
    Image.fromarray(np.ascontiguousarray(frame)).save(path, format="PNG", compress_level=6)


class StillWriter(Writer):
    """A single image written in one call to :meth:`write`."""

    animated = False
    fmt = "png"

    def write(self, path: Path, obj: Figure | np.ndarray, **savefig_kw) -> tuple[int, int]:
        """Write ``obj`` to ``path``; returns its (width, height) in pixels."""
        if isinstance(obj, Figure):
            return self._write_figure(path, obj, **savefig_kw)
        frame = np.asarray(obj)
        if frame.dtype != np.uint8 or frame.ndim not in (2, 3):
            raise ValueError(
                f"expected a matplotlib Figure or a uint8 image, got {frame.dtype} {frame.shape}"
            )
        if self.fmt == "png":
            save_png(path, frame)
        else:
            # Embed the pixels 1:1 in a figure of exactly their size.
            dpi = 100
            fig = Figure(figsize=(frame.shape[1] / dpi, frame.shape[0] / dpi), dpi=dpi)
            FigureCanvasAgg(fig)
            fig.patch.set_alpha(0)
            fig.figimage(frame, xo=0, yo=0, origin="upper", resize=False)
            self._write_figure(path, fig, dpi=dpi)
        return frame.shape[1], frame.shape[0]

    def _write_figure(self, path: Path, fig: Figure, **savefig_kw) -> tuple[int, int]:
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        metadata = {**_FIGURE_METADATA[self.fmt], **savefig_kw.pop("metadata", {})}
        with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT}):
            fig.savefig(path, format=self.fmt, metadata=metadata, **savefig_kw)
        dpi = savefig_kw.get("dpi", fig.dpi)
        width, height = fig.get_size_inches() * (fig.dpi if dpi == "figure" else dpi)
        return round(width), round(height)


@register("png")
class PngWriter(StillWriter):
    """PNG still."""

    fmt = "png"


@register("svg")
class SvgWriter(StillWriter):
    """SVG still: text as paths, ids from a fixed salt, no date."""

    fmt = "svg"


@register("pdf")
class PdfWriter(StillWriter):
    """PDF still: no creation date, producer or creator."""

    fmt = "pdf"


@register("png-frames")
class PngFramesWriter(Writer):
    """A folder of ``frame-00000.png``… (one per frame, none merged) and ``frames.json`` with durations.

    The folder is written under a temporary name and swapped in whole by ``atomic_path``.
    """

    def setup(self, path: Path, width: int, height: int, **_: object) -> None:
        self._folder = Path(path)
        self._folder.mkdir(parents=True)
        self._entries: list[dict] = []

    def grab_frame(self, frame: np.ndarray, duration_ms: float) -> None:
        name = f"frame-{len(self._entries):05d}.png"
        save_png(self._folder / name, frame)
        self._entries.append({"file": name, "duration_ms": round(float(duration_ms), 3)})

    def finish(self) -> dict:
        text = json.dumps({"frames": self._entries}, indent=1, sort_keys=True) + "\n"
        (self._folder / "frames.json").write_text(text, encoding="utf-8")
        return {"frames": len(self._entries)}
