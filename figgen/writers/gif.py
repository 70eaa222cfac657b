"""A streaming GIF writer: one global palette, merged repeats, changed-rectangle frames.

The file is written frame by frame, so memory holds only the frame on screen and one pending
frame, whatever the length. How it stays small and exact:

* Palette: colours enter one global table (255 entries; index 255 is kept for transparency) in the
  order frames bring them, the table is patched into the header when the stream ends. Array-rendered
  frames (lookup-table colours plus text) fit, so they are stored exactly, with no dithering. When a
  frame brings more new colours than there is room for, the most frequent ones get the free entries
  and the rest map to the nearest entry (RGB distance): a documented loss, never noise.
* Each frame's transparent index is the first unused palette entry and its LZW codes are only as
  wide as the entries in use need (6-bit codes for 63 colours instead of 8).
* Unchanged frames (after palette mapping) merge into one frame with the summed duration.
* After the first frame, each frame stores only the bounding box of changed pixels, with unchanged
  pixels inside it transparent, which compresses well.
* RGBA frames: alpha below 128 is transparent. When a pixel goes from drawn to transparent the
  frame before is stored whole with disposal "restore to background", so the canvas clears.
* Durations are in centiseconds, rounded on the running total so they do not drift; a frame shows
  at least 20 ms (browsers slow shorter delays down to 100 ms).
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
from PIL import GifImagePlugin, Image, ImageFile

from figgen.writers._base import AnimationWriter, HeldFrame, register

TRANSPARENT = 255
MIN_DELAY_CS = 2


def _lzw_block(indices: np.ndarray, bits: int) -> bytes:
    """LZW image data (code size byte, sub-blocks, terminator) of a 2-D uint8 index array.

    Pillow's C encoder does the LZW work. Codes start at ``bits`` + 1 bits, so a frame with few
    colours codes smaller; that needs Pillow's encoder arguments, and when they are not accepted
    we fall back to the public ``getdata`` (always 8 bits: valid, slightly larger).
    """
    image = Image.fromarray(np.ascontiguousarray(indices))
    if bits < 8:
        out = io.BytesIO()
        try:
            ImageFile._save(image, out, [ImageFile._Tile("gif", (0, 0, *image.size), 0, ("L", bits, 0))])
        except (AttributeError, TypeError, ValueError):
            pass
        else:
            return bytes([bits]) + out.getvalue() + b"\0"
    data = b"".join(GifImagePlugin.getdata(image))
    if data[:1] != b"," or data[10:11] != b"\x08":
        raise RuntimeError("unexpected output from Pillow's GIF encoder")
    return data[10:]


@register("gif")
class GifWriter(AnimationWriter):
    """Animated GIF; see the module docstring for palette, merging and frame optimisation."""

    def setup(self, path: Path, width: int, height: int, *, loop: int | None = 0, **_: object) -> None:
        if not (0 < width < 65536 and 0 < height < 65536):
            raise ValueError(f"GIF frames must be 1-65535 pixels a side, got {width}x{height}")
        if loop is not None and not 0 <= loop < 65536:
            raise ValueError(f"loop must be None or 0-65535, got {loop}")
        self._fp = open(path, "wb")  # closed in cleanup()
        self._size = (width, height)
        # 0xF7: global colour table present, 8-bit colour resolution, 256 entries.
        self._fp.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0))
        self._fp.write(bytes(768))  # the palette, patched in finish()
        if loop is not None:
            self._fp.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", loop) + b"\x00")
        # packed RGB -> palette index; TRANSPARENT marks "not seen yet" (no colour maps to it).
        self._table = np.full(1 << 24, TRANSPARENT, np.uint8)
        self._palette: list[int] = []
        self._pending: HeldFrame | None = None  # palette indices, not yet stored
        self._shown: np.ndarray | None = None  # indices now on the canvas, None before frame 1
        self._elapsed_ms = 0.0
        self._frames = 0

    # --- colours ------------------------------------------------------------------------------

    def _learn(self, packed: np.ndarray) -> None:
        """Give new colours palette entries, or map them to the nearest entry when full."""
        colours, counts = np.unique(packed, return_counts=True)
        room = TRANSPARENT - len(self._palette)
        if len(colours) > room:
            order = np.lexsort((colours, -counts))  # most frequent first, ties by colour
            colours, rest = np.sort(colours[order[:room]]), colours[order[room:]]
        else:
            rest = colours[:0]
        start = len(self._palette)
        self._table[colours] = np.arange(start, start + len(colours), dtype=np.uint8)
        self._palette.extend(int(c) for c in colours)
        if len(rest):
            pal = _unpack(np.array(self._palette, np.uint32)).astype(np.int32)
            for chunk in np.array_split(rest, max(1, len(rest) // 4096)):
                diff = _unpack(chunk).astype(np.int32)[:, None, :] - pal[None, :, :]
                self._table[chunk] = np.argmin((diff * diff).sum(axis=2), axis=1).astype(np.uint8)

    def _index(self, frame: np.ndarray) -> np.ndarray:
        """Palette indices of a frame (TRANSPARENT where an RGBA frame is see-through)."""
        packed = (
            (frame[..., 0].astype(np.uint32) << 16) | (frame[..., 1].astype(np.uint32) << 8) | frame[..., 2]
        )
        clear = frame[..., 3] < 128 if frame.shape[2] == 4 else None
        indices = self._table[packed]
        unknown = indices == TRANSPARENT
        if clear is not None:
            unknown &= ~clear
        if unknown.any():
            self._learn(packed[unknown])
            indices = self._table[packed]
        if clear is not None:
            indices[clear] = TRANSPARENT
        return indices

    # --- frames -------------------------------------------------------------------------------

    def grab_frame(self, frame: np.ndarray, duration_ms: float) -> None:
        indices = self._index(frame)
        if self._pending is not None and np.array_equal(self._pending.frame, indices):
            self._pending.duration_ms += duration_ms
            return
        if self._pending is not None:
            self._emit(self._pending.frame, self._pending.duration_ms, following=indices)
        self._pending = HeldFrame(indices, duration_ms)

    def _delay_cs(self, duration_ms: float) -> int:
        start = int(self._elapsed_ms / 10 + 0.5)
        self._elapsed_ms += duration_ms
        return max(MIN_DELAY_CS, int(self._elapsed_ms / 10 + 0.5) - start)

    def _emit(self, indices: np.ndarray, duration_ms: float, following: np.ndarray | None) -> None:
        """Store one frame: the changed rectangle against the canvas, or all of it when it must clear."""
        height, width = indices.shape
        base = self._shown if self._shown is not None else np.full_like(indices, TRANSPARENT)
        changed = indices != base
        # If the next frame makes a drawn pixel transparent, this frame must clear the canvas after.
        clear_after = following is not None and bool(
            ((indices != TRANSPARENT) & (following == TRANSPARENT)).any()
        )
        if self._shown is None or clear_after:
            x0, y0, x1, y1 = 0, 0, width, height
        else:
            rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
            if len(rows) == 0:  # only reachable for a frame equal to the canvas: keep a 1-pixel frame
                rows, cols = np.array([0]), np.array([0])
            y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        block = indices[y0:y1, x0:x1].copy()
        if self._shown is not None:
            block[~changed[y0:y1, x0:x1]] = TRANSPARENT
        # The transparent index is the first unused entry, so few colours mean short LZW codes.
        transparent = min(len(self._palette), TRANSPARENT)
        if transparent != TRANSPARENT:
            block[block == TRANSPARENT] = transparent
        bits = max(2, int(transparent).bit_length())
        disposal = 2 if clear_after else 1
        gce = struct.pack(
            "<4BHBB", 0x21, 0xF9, 4, (disposal << 2) | 1, self._delay_cs(duration_ms), transparent, 0
        )
        descriptor = b"," + struct.pack("<4HB", x0, y0, x1 - x0, y1 - y0, 0)
        self._fp.write(gce + descriptor + _lzw_block(block, bits))
        self._shown = np.full_like(indices, TRANSPARENT) if clear_after else indices
        self._frames += 1

    def finish(self) -> dict:
        if self._pending is not None:
            self._emit(self._pending.frame, self._pending.duration_ms, following=None)
            self._pending = None
        self._fp.write(b";")
        palette = _unpack(np.array(self._palette, np.uint32)).astype(np.uint8).tobytes()
        self._fp.seek(13)
        self._fp.write(palette)
        self._fp.close()
        return {"frames": self._frames, "colours": len(self._palette)}

    def cleanup(self) -> None:
        fp = getattr(self, "_fp", None)
        if fp is not None and not fp.closed:
            fp.close()
        self._table = np.empty(0, np.uint8)  # lets the 16 MiB colour table go


def _unpack(packed: np.ndarray) -> np.ndarray:
    """Packed 0xRRGGBB integers as an (n, 3) array."""
    packed = np.asarray(packed, np.uint32)
    return np.stack([(packed >> 16) & 255, (packed >> 8) & 255, packed & 255], axis=-1)
