"""Strict, bounded readers for the IDX files of MNIST (gzipped or not) and keras-style ``.npz`` archives.

Every error is a :class:`DataError` whose message names the file and what is wrong with it. The cost of a
file is bounded by what its header declares: a declared size that cannot fit in memory is refused before
anything is allocated, and data is decompressed as a stream that stops at the declared size, so a small
file that inflates to gigabytes (a "zip bomb") costs no more than an honest one.

An ``.npz`` is judged by its headers before any array is read: every member's shape and dtype, that the
shapes agree, that each zip entry holds exactly what its header declares, and what the whole load costs
(the arrays as stored plus the uint8 pixels made from them) against :func:`memory_budget`. Only regular
files are opened: a FIFO, a device or a socket is refused, never waited on.
"""

from __future__ import annotations

import gzip
import io
import math
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from figgen.core.errors import FiggenError
from figgen.core.knobs import SIDE

IMAGE_MAGIC = 2051  # unsigned byte, 3 dimensions
LABEL_MAGIC = 2049  # unsigned byte, 1 dimension
IMAGE_SHAPE = (SIDE, SIDE)
PIXELS = SIDE * SIDE
NPZ_ARRAYS = ("x_train", "y_train", "x_test", "y_test")
NPY_MAGIC = b"\x93NUMPY"
NPY_HEADER_MAX = 10_000  # numpy's own limit on an .npy header (its max_header_size)
READ_CHUNK = 1 << 20  # bytes read into an array at a time
CONVERT_CHUNK = 1 << 18  # pixels converted to uint8 at a time
CONVERT_SCRATCH = CONVERT_CHUNK * 9  # the float64 copy and the finiteness mask of one chunk


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


def size_text(count: int) -> str:
    """A size in words: ``3136.0 GiB``, ``12.4 MiB``, ``16,384 bytes``."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if count >= 1 << shift:
            return f"{count / (1 << shift):.1f} {unit}"
    return f"{count:,} bytes"


def check_budget(where: object, count: int, what: str) -> None:
    """Refuse ``count`` bytes declared by a file's header when they cannot fit in memory."""
    budget = memory_budget()
    if count > budget:
        raise DataError(
            f"{where}: its header declares {what} ({size_text(count)}), more than this machine can hold "
            f"for a data set ({size_text(budget)})"
        )


# --- opening: regular files only -------------------------------------------------------------------------

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular(path: Path, mode: int, what: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise DataError(f"{path}: a folder, not {what}")
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    raise DataError(f"{path} is not a regular file (it is {kind})")


def open_regular(path: Path, what: str = "a data file") -> IO[bytes]:
    """Open a regular file for reading; anything else (a FIFO, a device, a socket, a folder) is a DataError.

    The path is checked before it is opened, and the opened file again: it is opened without blocking, so
    a FIFO swapped in between the two is refused rather than waited on.
    """
    try:
        _check_regular(path, os.stat(path).st_mode, what)
        nonblocking = getattr(os, "O_NONBLOCK", 0)
        flags = os.O_RDONLY | nonblocking | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        _check_regular(path, os.fstat(fd).st_mode, what)
        if nonblocking:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


# --- IDX ---------------------------------------------------------------------------------------------------


def _open(path: Path) -> IO[bytes]:
    """A binary stream of the file's content, gunzipped as it is read when the file is gzip-compressed."""
    handle = open_regular(path, "an IDX file")
    if handle.read(2) == b"\x1f\x8b":
        handle.seek(0)
        return gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[return-value]
    handle.seek(0)
    return handle


def _read(stream, path: Path, count: int) -> bytes:
    """Exactly ``count`` bytes of the stream (fewer at its end); gzip damage is a DataError."""
    try:
        return stream.read(count)
    except (EOFError, OSError, zlib.error) as exc:
        raise DataError(f"{path}: damaged or truncated gzip data ({exc})") from None


def _read_into(stream, buffer: memoryview) -> int:
    """Fill ``buffer`` from the stream a slice at a time (no copy of the whole); return the bytes read."""
    done = 0
    while done < len(buffer):
        got = stream.readinto(buffer[done : done + READ_CHUNK])
        if not got:
            break
        done += got
    return done


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
        data = np.empty(count, np.uint8)
        try:
            got = _read_into(stream, data.data)
        except (EOFError, OSError, zlib.error) as exc:
            raise DataError(f"{path}: damaged or truncated gzip data ({exc})") from None
        if got < count:
            raise DataError(f"{path}: truncated IDX data ({got} bytes of {count} announced in its header)")
        if _read(stream, path, 1):
            raise DataError(
                f"{path}: unexpected bytes after the {count} bytes of IDX data its header announces"
            )
    return data.reshape(dims)


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


# --- .npz --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Member:
    """One array of an .npz as its header declares it, and where its data starts in its zip entry."""

    name: str
    info: zipfile.ZipInfo
    offset: int  # the bytes of the .npy header, before the data
    shape: tuple[int, ...]
    fortran: bool
    dtype: np.dtype

    @property
    def nbytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize

    @property
    def count(self) -> int:
        """How many images or labels: the first dimension."""
        return self.shape[0]


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """Read a keras-style ``mnist.npz`` (x_train, y_train, x_test, y_test), never unpickling.

    Images are ``(N, 28, 28)`` or ``(N, 784)``. Pixels may be integers 0-255 or floats in [0, 1] (how many
    people store them); they are kept as uint8 (floats are rounded to the nearest of 256 levels). Anything
    else (NaN, complex numbers, values out of range, a misshapen array, counts that disagree, a load that
    would not fit in memory) is a DataError naming the file and the array; what the headers declare is
    checked before any array is read.
    """
    path = Path(path)
    try:
        with open_regular(path, "an .npz file") as handle, zipfile.ZipFile(handle) as archive:
            infos = {Path(info.filename).stem: info for info in _npz_members(archive).values()}
            missing = [name for name in NPZ_ARRAYS if name not in infos]
            if missing:
                raise DataError(f"{path}: missing array(s) {', '.join(missing)}")
            members = {name: _read_header(path, archive, infos[name], name) for name in NPZ_ARRAYS}
            _check_counts(path, members)
            _check_cost(path, members)
            arrays = {name: _read_data(path, archive, members[name]) for name in NPZ_ARRAYS}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, NotImplementedError) as exc:
        raise DataError(f"{path}: not a readable .npz archive ({_first_line(exc)})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for split in ("train", "test"):
        y = arrays[f"y_{split}"]
        check_labels(f"{path} (y_{split})", y)
        arrays[f"y_{split}"] = y.astype(np.uint8)
        x = as_pixels(arrays[f"x_{split}"], f"{path} (x_{split})")
        arrays[f"x_{split}"] = x.reshape(len(x), *IMAGE_SHAPE)
    return arrays


def _first_line(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0]


def _npz_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    return {info.filename: info for info in archive.infolist() if info.filename.endswith(".npy")}


def _read_header(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> _Member:
    """One member's .npy header, read (a few KB at most) and checked; none of its data is read."""
    with archive.open(info) as member:
        start = member.read(8)
        if len(start) < 8 or start[:6] != NPY_MAGIC:
            raise DataError(f"{path}: {name} is not a numpy array (no .npy header)")
        version = (start[6], start[7])
        if version not in ((1, 0), (2, 0), (3, 0)):
            raise DataError(f"{path}: {name} is a .npy of format version {version[0]}.{version[1]}")
        width = 2 if version == (1, 0) else 4
        length_bytes = member.read(width)
        length = int.from_bytes(length_bytes, "little")
        if len(length_bytes) < width:
            raise DataError(f"{path}: {name} is not a numpy array (truncated .npy header)")
        if length > NPY_HEADER_MAX:
            raise DataError(f"{path}: {name} has a header of {length:,} bytes (at most {NPY_HEADER_MAX:,})")
        text = member.read(length)
        if len(text) < length:
            raise DataError(f"{path}: {name} is not a numpy array (truncated .npy header)")
    parse = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    try:
        shape, fortran, dtype = parse(io.BytesIO(length_bytes + text))
    except (ValueError, TypeError, SyntaxError) as exc:
        raise DataError(f"{path}: {name} is not a numpy array ({_first_line(exc)})") from None
    shape = tuple(int(n) for n in shape)
    if any(n < 0 for n in shape):
        raise DataError(f"{path}: {name} declares a negative shape {shape}")
    if dtype.hasobject:
        raise DataError(f"{path}: {name} holds Python objects, which figgen never unpickles")
    found = _Member(name, info, 8 + width + length, shape, bool(fortran), dtype)
    _check_role(path, found)
    declared = found.offset + found.nbytes
    if info.file_size != declared:
        raise DataError(
            f"{path}: {name} holds {info.file_size:,} bytes, not the {declared:,} bytes its header declares "
            f"(a header of {found.offset:,} and {found.nbytes:,} bytes of data)"
        )
    return found


def _check_role(path: Path, member: _Member) -> None:
    """Images (N, 28, 28) or (N, 784) of integers, booleans or floats; labels (N,) of integers."""
    name, shape, dtype = member.name, member.shape, member.dtype
    if name.startswith("x_"):
        if not (len(shape) == 3 and shape[1:] == IMAGE_SHAPE) and not (
            len(shape) == 2 and shape[1] == PIXELS
        ):
            raise DataError(f"{path}: {name} has shape {shape}, expected (N, 28, 28) or (N, {PIXELS})")
        if dtype.kind == "c":
            raise DataError(
                f"{path} ({name}): complex pixel values; pixels are integers 0-255 or floats in [0, 1]"
            )
        if dtype.kind not in "buif":
            raise DataError(
                f"{path} ({name}): pixels of dtype {dtype}; expected integers 0-255 or floats in [0, 1]"
            )
    else:
        if len(shape) != 1:
            raise DataError(f"{path}: {name} has shape {shape}, expected (N,)")
        if dtype.kind not in "ui":
            raise DataError(f"{path}: {name} has dtype {dtype}, expected integers")


def _check_counts(path: Path, members: dict[str, _Member]) -> None:
    for split in ("train", "test"):
        images, labels = members[f"x_{split}"].count, members[f"y_{split}"].count
        if images != labels:
            raise DataError(
                f"{path}: {images:,} {split} images (x_{split}) but {labels:,} {split} labels (y_{split})"
            )
        if images == 0:
            raise DataError(f"{path}: the {split} set is empty")


def _load_cost(members: dict[str, _Member]) -> int:
    """The bytes a load takes at its peak: the arrays as read, the uint8 pixels and labels made from them,
    the scratch of the conversion and the check of the labels."""
    cost = READ_CHUNK + sum(member.nbytes for member in members.values())
    for member in members.values():
        if member.name.startswith("x_") and (member.dtype != np.uint8 or member.fortran):
            cost += member.count * PIXELS + CONVERT_SCRATCH
        if member.name.startswith("y_"):
            cost += 4 * member.count  # the masks of check_labels and the uint8 labels
    return cost


def _check_cost(path: Path, members: dict[str, _Member]) -> None:
    cost, budget = _load_cost(members), memory_budget()
    if cost > budget:
        x_train, x_test = members["x_train"], members["x_test"]
        dtypes = " and ".join(sorted({str(x_train.dtype), str(x_test.dtype)}))
        images = f"{x_train.count:,} train and {x_test.count:,} test images ({dtypes})"
        raise DataError(
            f"{path}: its headers declare {images}, "
            f"{size_text(cost)} to load, more than this machine can hold for a data set ({size_text(budget)})"
        )


def _read_data(path: Path, archive: zipfile.ZipFile, member: _Member) -> np.ndarray:
    """A member's data, read straight into its array a slice at a time."""
    flat = np.empty(math.prod(member.shape), member.dtype)
    with archive.open(member.info) as stream:
        stream.read(member.offset)
        got = _read_into(stream, flat.view(np.uint8).data)
    if got < member.nbytes:
        raise DataError(f"{path}: {member.name} is truncated ({got:,} of {member.nbytes:,} bytes)")
    return flat.reshape(member.shape, order="F" if member.fortran else "C")


def as_pixels(x: np.ndarray, where: str) -> np.ndarray:
    """Images as C-ordered uint8 0-255: integers 0-255 as they are, floats in [0, 1] scaled; anything else
    refused. Converted a slice at a time, so a conversion costs the uint8 result and a little scratch."""
    if x.dtype == np.uint8 and x.flags.c_contiguous:
        return x
    if np.issubdtype(x.dtype, np.complexfloating):
        raise DataError(f"{where}: complex pixel values; pixels are integers 0-255 or floats in [0, 1]")
    floating = np.issubdtype(x.dtype, np.floating)
    if not (floating or np.issubdtype(x.dtype, np.integer) or x.dtype == np.bool_):
        raise DataError(f"{where}: pixels of dtype {x.dtype}; expected integers 0-255 or floats in [0, 1]")
    rows = max(1, CONVERT_CHUNK // max(1, math.prod(x.shape[1:])))
    slices = [slice(start, start + rows) for start in range(0, len(x), rows)]
    if floating:
        for part in slices:
            if not np.isfinite(x[part]).all():
                raise DataError(f"{where}: pixel values that are not finite numbers (NaN or infinity)")
        if x.size and (x.min() < 0 or x.max() > 1):
            raise DataError(
                f"{where}: float pixels from {x.min():g} to {x.max():g}; floats must lie in [0, 1] "
                "(or store integers 0-255)"
            )
    elif x.dtype != np.bool_ and x.size and (x.min() < 0 or x.max() > 255):
        raise DataError(f"{where}: pixel values {x.min()} to {x.max()}, outside 0-255")
    out = np.empty(x.shape, np.uint8)
    for part in slices:
        if floating:
            scaled: Any = x[part].astype(np.float64)
            scaled *= 255
            out[part] = np.rint(scaled, out=scaled)
        else:
            out[part] = x[part]
    return out
