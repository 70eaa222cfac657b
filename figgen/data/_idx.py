"""Strict, bounded readers for the IDX files of MNIST (gzipped or not) and keras-style ``.npz`` archives.

Every error is a :class:`DataError` whose message names the file and what is wrong with it. The cost of a
file is bounded by what its header declares: a declared size that cannot fit in memory is refused before
anything is allocated, and data is decompressed as a stream that stops at the declared size, so a small
file that inflates to gigabytes (a "zip bomb") costs no more than an honest one.
"""

from __future__ import annotations

import gzip
import math
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from figgen.core.errors import FiggenError
from figgen.core.knobs import SIDE

IMAGE_MAGIC = 2051  # unsigned byte, 3 dimensions
LABEL_MAGIC = 2049  # unsigned byte, 1 dimension
IMAGE_SHAPE = (SIDE, SIDE)
NPZ_ARRAYS = ("x_train", "y_train", "x_test", "y_test")


class DataError(FiggenError):
    """A data file or data source that cannot be used, with a message naming it."""


def memory_budget() -> int:
    """Bytes a data set may take: half the memory available now (the rest is for training and drawing)."""
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024 // 2
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def check_budget(where: object, count: int, what: str) -> None:
    """Refuse ``count`` bytes declared by a file's header when they cannot fit in memory."""
    budget = memory_budget()
    if count > budget:
        raise DataError(
            f"{where}: its header declares {what} ({count / 2**30:.1f} GiB), more than this machine can hold "
            f"for a data set ({budget / 2**30:.1f} GiB)"
        )


def _open(path: Path):
    """A binary stream of the file's content, gunzipped as it is read when the file is gzip-compressed."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: a folder, not an IDX file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if handle.read(2) == b"\x1f\x8b":
        handle.seek(0)
        return gzip.GzipFile(fileobj=handle, mode="rb")
    handle.seek(0)
    return handle


def _read(stream, path: Path, count: int) -> bytes:
    """Exactly ``count`` bytes of the stream (fewer at its end); gzip damage is a DataError."""
    try:
        return stream.read(count)
    except (EOFError, OSError, zlib.error) as exc:
        raise DataError(f"{path}: damaged or truncated gzip data ({exc})") from None


def _read_idx(path: Path, magic: int, ndim: int, shape_check) -> np.ndarray:
    with _open(path) as stream:
        header = _read(stream, path, 4 + 4 * ndim)
        if len(header) < 4 + 4 * ndim:
            raise DataError(f"{path}: truncated IDX header ({len(header)} bytes)")
        found = int.from_bytes(header[:4], "big")
        if found != magic:
            kind = "image" if magic == IMAGE_MAGIC else "label"
            raise DataError(f"{path}: not an IDX {kind} file (magic number {found}, expected {magic})")
        dims = tuple(int.from_bytes(header[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
        shape_check(dims)
        count = math.prod(dims)
        check_budget(path, count, f"{dims[0]:,} entries")
        payload = _read(stream, path, count)
        if len(payload) < count:
            raise DataError(
                f"{path}: truncated IDX data ({len(payload)} bytes of {count} announced in its header)"
            )
        if _read(stream, path, 1):
            raise DataError(
                f"{path}: unexpected bytes after the {count} bytes of IDX data its header announces"
            )
    return np.frombuffer(payload, dtype=np.uint8).reshape(dims)


def read_idx_images(path: Path) -> np.ndarray:
    """Read an IDX image file into a ``(N, 28, 28)`` uint8 array."""

    def check(dims):
        if tuple(dims[1:]) != IMAGE_SHAPE:
            raise DataError(f"{path}: images are {dims[1]}x{dims[2]}, expected 28x28")

    return _read_idx(Path(path), IMAGE_MAGIC, 3, check)


def read_idx_labels(path: Path) -> np.ndarray:
    """Read an IDX label file into an ``(N,)`` uint8 array of digits 0-9."""
    labels = _read_idx(Path(path), LABEL_MAGIC, 1, lambda dims: None)
    check_labels(path, labels)
    return labels


def check_labels(where: object, labels: np.ndarray, classes: int = 10) -> None:
    """Raise a :class:`DataError` unless every label is a class index 0 to ``classes - 1``."""
    bad = np.flatnonzero((labels < 0) | (labels >= classes))
    if bad.size:
        raise DataError(f"{where}: label {labels[bad[0]]} at index {int(bad[0])} is outside 0-{classes - 1}")


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """Read a keras-style ``mnist.npz`` (x_train, y_train, x_test, y_test), never unpickling.

    Pixels may be integers 0-255 or floats in [0, 1] (how many people store them); they are kept as uint8
    (floats are rounded to the nearest of 256 levels). Anything else (NaN, complex numbers, values out of
    range, a misshapen array) is a DataError naming the file and the array.
    """
    path = Path(path)
    arrays = {}
    try:
        with zipfile.ZipFile(path) as archive:
            members = {Path(name).stem: info for name, info in _npz_members(archive).items()}
            missing = [name for name in NPZ_ARRAYS if name not in members]
            if missing:
                raise DataError(f"{path}: missing array(s) {', '.join(missing)}")
            for name in NPZ_ARRAYS:
                arrays[name] = _read_member(path, archive, members[name], name)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: a folder, not an .npz file") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, NotImplementedError) as exc:
        raise DataError(f"{path}: not a readable .npz archive ({exc})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE:
            raise DataError(f"{path}: x_{split} has shape {x.shape}, expected (N, 28, 28)")
        if y.ndim != 1:
            raise DataError(f"{path}: y_{split} has shape {y.shape}, expected (N,)")
        if not np.issubdtype(y.dtype, np.integer):
            raise DataError(f"{path}: y_{split} has dtype {y.dtype}, expected integers")
        check_labels(f"{path} (y_{split})", y)
        arrays[f"x_{split}"] = as_pixels(x, f"{path} (x_{split})")
    return arrays


def _npz_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    return {info.filename: info for info in archive.infolist() if info.filename.endswith(".npy")}


def _read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> np.ndarray:
    """One array of the archive; its declared size is checked against memory before it is read."""
    check_budget(f"{path} ({name})", info.file_size, f"a {name} of {info.file_size:,} bytes")
    with archive.open(info) as member:
        try:
            version = np.lib.format.read_magic(member)
            header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = header(member)
        except ValueError as exc:
            raise DataError(f"{path}: {name} is not a numpy array ({exc})") from None
        if dtype.hasobject:
            raise DataError(f"{path}: {name} holds Python objects, which figgen never unpickles")
        count = math.prod(shape) * dtype.itemsize
        if count > info.file_size:
            raise DataError(
                f"{path}: {name} declares {count:,} bytes of data in a {info.file_size:,}-byte member"
            )
        data = member.read(count)
        if len(data) < count:
            raise DataError(f"{path}: {name} is truncated")
    array = np.frombuffer(data, dtype=dtype)
    return array.reshape(shape, order="F" if fortran else "C")


def as_pixels(x: np.ndarray, where: str) -> np.ndarray:
    """Images as uint8 0-255: integers 0-255 as they are, floats in [0, 1] scaled; anything else refused."""
    if x.dtype == np.uint8:
        return x
    if np.issubdtype(x.dtype, np.complexfloating):
        raise DataError(f"{where}: complex pixel values; pixels are integers 0-255 or floats in [0, 1]")
    if np.issubdtype(x.dtype, np.integer) or x.dtype == np.bool_:
        if x.size and (x.min() < 0 or x.max() > 255):
            raise DataError(f"{where}: pixel values {x.min()} to {x.max()}, outside 0-255")
        return x.astype(np.uint8)
    if not np.issubdtype(x.dtype, np.floating):
        raise DataError(f"{where}: pixels of dtype {x.dtype}; expected integers 0-255 or floats in [0, 1]")
    if x.size and not np.isfinite(x).all():
        raise DataError(f"{where}: pixel values that are not finite numbers (NaN or infinity)")
    if x.size and (x.min() < 0 or x.max() > 1):
        raise DataError(
            f"{where}: float pixels from {x.min():g} to {x.max():g}; floats must lie in [0, 1] "
            "(or store integers 0-255)"
        )
    return np.rint(x.astype(np.float64) * 255).astype(np.uint8)
