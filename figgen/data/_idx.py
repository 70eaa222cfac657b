"""Strict readers for the IDX files of MNIST (gzipped or not) and keras-style ``.npz`` archives.

Every error is a :class:`DataError` whose message names the file and what is wrong with it.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

from figgen.errors import FiggenError

IMAGE_MAGIC = 2051  # unsigned byte, 3 dimensions
LABEL_MAGIC = 2049  # unsigned byte, 1 dimension
IMAGE_SHAPE = (28, 28)


class DataError(FiggenError):
    """A data file or data source that cannot be used, with a message naming it."""


def read_bytes(path: Path) -> bytes:
    """Return the content of ``path``, gunzipped when it is gzip-compressed."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as exc:
            raise DataError(f"{path}: damaged or truncated gzip data ({exc})") from None
    return raw


def _header(path: Path, raw: bytes, magic: int, ndim: int) -> tuple[int, ...]:
    size = 4 + 4 * ndim
    if len(raw) < size:
        raise DataError(f"{path}: truncated IDX header ({len(raw)} bytes)")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        kind = "image" if magic == IMAGE_MAGIC else "label"
        raise DataError(f"{path}: not an IDX {kind} file (magic number {found}, expected {magic})")
    return tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))


def _payload(path: Path, raw: bytes, offset: int, count: int) -> np.ndarray:
    if len(raw) - offset < count:
        raise DataError(
            f"{path}: truncated IDX data ({len(raw) - offset} bytes of {count} announced in its header)"
        )
    if len(raw) - offset > count:
        raise DataError(f"{path}: {len(raw) - offset - count} unexpected bytes after the IDX data")
    return np.frombuffer(raw, dtype=np.uint8, count=count, offset=offset)


def read_idx_images(path: Path) -> np.ndarray:
    """Read an IDX image file into a ``(N, 28, 28)`` uint8 array."""
    raw = read_bytes(path)
    n, rows, cols = _header(path, raw, IMAGE_MAGIC, 3)
    if (rows, cols) != IMAGE_SHAPE:
        raise DataError(f"{path}: images are {rows}x{cols}, expected 28x28")
    return _payload(path, raw, 16, n * rows * cols).reshape(n, rows, cols)


def read_idx_labels(path: Path) -> np.ndarray:
    """Read an IDX label file into an ``(N,)`` uint8 array of digits 0-9."""
    raw = read_bytes(path)
    (n,) = _header(path, raw, LABEL_MAGIC, 1)
    labels = _payload(path, raw, 8, n)
    check_labels(path, labels)
    return labels


def check_labels(where: object, labels: np.ndarray) -> None:
    """Raise a :class:`DataError` unless every label is a digit 0-9."""
    bad = np.flatnonzero((labels < 0) | (labels > 9))
    if bad.size:
        raise DataError(f"{where}: label {int(labels[bad[0]])} at index {int(bad[0])} is outside 0-9")


NPZ_ARRAYS = ("x_train", "y_train", "x_test", "y_test")


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """Read a keras-style ``mnist.npz`` (x_train, y_train, x_test, y_test), never unpickling."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [name for name in NPZ_ARRAYS if name not in archive.files]
            if missing:
                raise DataError(f"{path}: missing array(s) {', '.join(missing)}")
            arrays = {name: archive[name] for name in NPZ_ARRAYS}
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except DataError:
        raise
    except (OSError, ValueError, zlib.error, EOFError) as exc:
        raise DataError(f"{path}: not a readable .npz archive ({exc})") from None
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE:
            raise DataError(f"{path}: x_{split} has shape {x.shape}, expected (N, 28, 28)")
        if y.ndim != 1:
            raise DataError(f"{path}: y_{split} has shape {y.shape}, expected (N,)")
        if not np.issubdtype(y.dtype, np.integer):
            raise DataError(f"{path}: y_{split} has dtype {y.dtype}, expected integers")
        check_labels(f"{path} (y_{split})", y)
        if x.dtype != np.uint8:
            if not np.issubdtype(x.dtype, np.number) or x.min() < 0 or x.max() > 255:
                raise DataError(f"{path}: x_{split} must hold pixel values 0-255")
            arrays[f"x_{split}"] = x.astype(np.uint8)
    return arrays
