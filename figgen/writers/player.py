"""The ``html`` format: one self-contained interactive player per animation (a page shows it in an iframe:
:func:`figgen.writers.markup.player_html`).

A GIF can only play; a reader who wants to compare two frames, read a caption or stop the motion needs a
player. The page works from ``file://`` with no network: play/pause, a scrubber, previous/next, the keys
space, ← and → (while the player has the focus; Escape gives it back, and every other key, a clicker's
PageDown say, goes on to the page or the slide deck around it), the alt text and each frame's caption for
screen readers (the frames show their caption themselves: it is not drawn twice), and
``prefers-reduced-motion`` honoured by starting paused on the last frame (where the animation arrives).
Frames show for the durations a GIF gives them (centisecond steps, at least 20 ms) and loop as the GIF does.
The controls are sized for the frames: the docs preset's 15 px text for frames up to its 800 px, growing
with the width to 36 px for the slides preset's 1920 px, so that a deck scaled to the screen keeps them as
legible as its own text (down to 15 px where the player is shown too narrow for them: 4% of its width).

How it stays small (0.45 to 0.65 of the GIF's bytes for the weight sheets) and exact:

* Colours enter one palette in the order frames bring them; a frame is stored as palette indices, one byte
  each while the palette has at most 255 colours, two bytes up to 65,535, and as raw RGBA beyond (exact
  in every case, never dithered).
* After the first frame only the rectangle of changed pixels is stored, with the unchanged pixels inside it
  marked "keep" (index 255 or 65,535), which compresses well; unchanged frames merge into one.
* Every frame's bytes go into one zlib stream, base64 in the page; the page inflates it with the browser's
  ``DecompressionStream`` and paints a canvas, keeping a snapshot every few frames so a jump back is fast.

Nothing in the page depends on the time or the machine, so two writes of the same frames are identical.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Sequence
from html import escape
from pathlib import Path

import numpy as np

from figgen.core.themes import get_preset
from figgen.writers._base import AnimationWriter, register
from figgen.writers._player_page import render_page

KEEP = {1: 0xFF, 2: 0xFFFF}  # the index that means "this pixel does not change", per index width
MIN_DURATION_MS = 20  # as in the GIF: browsers slow shorter delays down
CONTROLS_PX = 88  # the caption line and the controls under the frame, for a page's first layout of it


@register("html")
class HtmlPlayerWriter(AnimationWriter):
    """Interactive HTML player; options ``alt`` (the alt text) and ``captions`` (one text per frame)."""

    shown_as = "frame"

    def setup(
        self,
        path: Path,
        width: int,
        height: int,
        *,
        loop: int | None = 0,
        alt: str = "",
        captions: Sequence[str] | None = None,
        slide: tuple[int, int, int] | None = None,
        **_: object,
    ) -> None:
        """``slide``: the colour see-through frames are made for (the page shows them on it)."""
        if loop is not None and not 0 <= loop < 65536:
            raise ValueError(f"loop must be None or 0-65535, got {loop}")
        self._path = path
        self._size = (width, height)
        self._loop, self._alt = loop, str(alt)
        self._slide = tuple(int(c) for c in slide) if slide is not None else None
        self._captions = list(captions) if captions is not None else None
        self._deflate = zlib.compressobj(9, zlib.DEFLATED, 15, 9)
        self._chunks: list[bytes] = []
        self._known = np.zeros(0, np.uint32)  # packed RGBA colours seen, sorted
        self._slot = np.zeros(0, np.int64)  # each known colour's palette index
        self._palette: list[int] = []  # packed RGBA, in palette order
        self._shown: np.ndarray | None = None  # the packed frame on screen
        self._records: list[list] = []  # [x, y, w, h, bytes per pixel, duration ms, caption]
        self._grabbed = 0
        self._corner = np.zeros(4, np.uint8)

    def grab_frame(self, frame: np.ndarray, duration_ms: float) -> None:
        caption = self._caption(self._grabbed)
        self._grabbed += 1
        packed = _pack(frame)
        if (
            self._shown is not None
            and self._records[-1][6] == caption
            and np.array_equal(packed, self._shown)
        ):
            self._records[-1][5] += duration_ms
            return
        if self._shown is None:
            x0, y0, x1, y1 = 0, 0, packed.shape[1], packed.shape[0]
            changed = None
        else:
            changed = packed != self._shown
            rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
            if len(rows):
                y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
            else:  # same picture, new caption
                x0 = y0 = x1 = y1 = 0
        block = packed[y0:y1, x0:x1]
        width = self._index_width(block)
        if width == 4:
            data = _unpack(block).tobytes()
        else:
            indices = self._slot[np.searchsorted(self._known, block)]
            if changed is not None:
                indices[~changed[y0:y1, x0:x1]] = KEEP[width]
            data = indices.astype("<u1" if width == 1 else "<u2").tobytes()
        self._chunks.append(self._deflate.compress(data))
        self._records.append([int(x0), int(y0), int(x1 - x0), int(y1 - y0), width, duration_ms, caption])
        if self._shown is None:
            self._corner = _unpack(packed[0, 0])
        self._shown = packed

    def _caption(self, index: int) -> str:
        if self._captions is None:
            return ""
        if index >= len(self._captions):
            raise ValueError(f"more frames than the {len(self._captions)} captions given")
        return str(self._captions[index])

    def _index_width(self, block: np.ndarray) -> int:
        """Learn the block's new colours; return the bytes per pixel it is stored with (1, 2 or 4)."""
        colours = np.unique(block)
        new = colours[~np.isin(colours, self._known, assume_unique=True)]
        if len(self._palette) + len(new) > KEEP[2]:
            return 4  # too many colours for an index: this block goes raw, the palette stays as it is
        if len(new):
            start = len(self._palette)
            self._palette.extend(int(c) for c in new)
            known = np.concatenate([self._known, new])
            slot = np.concatenate([self._slot, np.arange(start, start + len(new))])
            order = np.argsort(known, kind="stable")
            self._known, self._slot = known[order], slot[order]
        return 1 if len(self._palette) <= KEEP[1] else 2

    def finish(self) -> dict:
        if self._captions is not None and self._grabbed != len(self._captions):
            raise ValueError(f"{self._grabbed} frames but {len(self._captions)} captions")
        self._chunks.append(self._deflate.flush())
        width, height = self._size
        film = {
            "width": width,
            "height": height,
            "loop": self._loop,
            "frames": [[*r[:5], ms] for r, ms in zip(self._records, _gif_delays(self._records), strict=True)],
            "captions": [r[6] for r in self._records] if self._captions is not None else None,
            "palette": base64.b64encode(_unpack(np.array(self._palette, np.uint32)).tobytes()).decode(),
            "data": base64.b64encode(b"".join(self._chunks)).decode(),
        }
        script_safe = json.dumps(film, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
        red, green, blue, alpha = (int(v) for v in self._corner)
        if alpha < 255 and self._slide is not None:  # see-through frames, on the slide they were made for
            (red, green, blue), alpha = self._slide, 255
        dark = alpha == 255 and 0.2126 * red + 0.7152 * green + 0.0722 * blue < 128
        page = render_page(
            # the page takes the frames' background (their top-left pixel) unless they are see-through
            background=f"rgb({red},{green},{blue})" if alpha == 255 else "Canvas",
            scheme="dark" if dark else "light" if alpha == 255 else "light dark",
            alt=escape(self._alt),
            width=width,
            height=height,
            font=controls_font_px(width),
            film=script_safe,
        )
        self._path.write_text(page, encoding="utf-8")
        return {"frames": len(self._records), "colours": len(self._palette)}


def controls_font_px(width: int) -> int:
    """The text size of the player's controls for frames ``width`` pixels wide: the docs preset's text size,
    scaled with the width past the docs preset's width (36 px for the slides preset's 1920)."""
    docs = get_preset("docs")
    return max(docs.font_size, round(docs.font_size * width / docs.width))


def _gif_delays(records: list[list]) -> list[int]:
    """Each frame's time on screen as the GIF writer stores it: whole centiseconds, rounded on the running
    total so they do not drift, at least 20 ms."""
    delays, elapsed = [], 0.0
    for record in records:
        start = int(elapsed / 10 + 0.5)
        elapsed += record[5]
        delays.append(10 * max(MIN_DURATION_MS // 10, int(elapsed / 10 + 0.5) - start))
    return delays


def _pack(frame: np.ndarray) -> np.ndarray:
    """RGB(A) pixels as one uint32 each (0xRRGGBBAA; RGB frames are opaque)."""
    frame = frame.astype(np.uint32)
    alpha = frame[..., 3] if frame.shape[2] == 4 else np.uint32(255)
    return (frame[..., 0] << 24) | (frame[..., 1] << 16) | (frame[..., 2] << 8) | alpha


def _unpack(packed: np.ndarray) -> np.ndarray:
    """Packed 0xRRGGBBAA values as RGBA bytes, the order a canvas's ImageData holds them in."""
    packed = np.asarray(packed, np.uint32)
    return np.stack([(packed >> s) & 255 for s in (24, 16, 8, 0)], axis=-1).astype(np.uint8)
