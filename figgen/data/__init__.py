"""MNIST-shaped data sets as plain numpy arrays, from the bundled sample, IDX folders or ``.npz`` files.

A data source is named by a string:

- ``sample``: the real MNIST sample shipped inside the package (10,000 training and 10,000 test images),
  verified against its ``SHA256SUMS``;
- a folder holding the four standard IDX files (gzipped or not), of any size;
- a keras-style ``.npz`` file (``x_train``, ``y_train``, ``x_test``, ``y_test``);
- ``auto``: full MNIST where it already lies on disk (``$FIGGEN_MNIST``, figgen's download folder, keras's
  cache), else the sample. :attr:`Dataset.note` says which it chose.

Two options shape what a source gives. ``split="text"`` is the text's own split: TensorFlow's
``read_data_sets`` held the first 5,000 training images out for validation, so the text's ``x_train[0]`` is
image 5,000 of the training file. ``class_names`` names the ten classes (a clothing data set in MNIST's
format reads "Sneaker", not "7"); a ``labels.txt`` beside an IDX folder (one name a line) does the same.

Nothing here touches the network; downloading is :func:`figgen.data.fetch.fetch_mnist`, called explicitly.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import numpy as np

from figgen.core.knobs import Rule, check_value
from figgen.data._idx import DataError, open_regular, read_idx_images, read_idx_labels, read_npz

__all__ = ["DataError", "Dataset", "load_dataset", "one_hot", "sample_dir", "download_dir", "SPLITS"]

SAMPLE_DIR = Path(__file__).with_name("mnist-sample")
DIGITS = tuple(str(k) for k in range(10))
SPLITS = ("original", "text")
TEXT_HOLDOUT = 5000  # read_data_sets kept the first 5,000 training images for validation
LABELS_FILE = "labels.txt"
LABELS_MAX = 16 << 10  # ten names of at most 40 characters, one a line: a few KB at most
IDX_FILES = {
    "train_pixels": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_pixels": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def sample_dir() -> Path:
    """Return the folder of the bundled MNIST sample."""
    return SAMPLE_DIR


def download_dir() -> Path:
    """Return the folder ``figgen data fetch`` downloads the full MNIST into, where ``auto`` looks for it:
    ``$FIGGEN_DATA_HOME``, else ``figgen/mnist`` in ``$XDG_CACHE_HOME`` (default ``~/.cache``).

    Not the training cache (:func:`figgen.files.cache.cache_dir`)."""
    if os.environ.get("FIGGEN_DATA_HOME"):
        return Path(os.environ["FIGGEN_DATA_HOME"]).expanduser()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "figgen" / "mnist"


@dataclass(frozen=True, eq=False)
class Dataset:
    """Training and test images with their labels, as the text uses them.

    Images are kept as the original uint8 pixels; :meth:`train` and :meth:`test` give float32 rows of 784
    values in [0, 1] (pixel / 255), as the text's ``mnist.train.images`` did.
    """

    train_pixels: np.ndarray  # (N, 28, 28) uint8
    train_labels: np.ndarray  # (N,) uint8
    test_pixels: np.ndarray
    test_labels: np.ndarray
    source: str  # "sample", "idx" or "npz"
    path: str
    note: str = ""
    class_names: tuple[str, ...] = DIGITS  # the name of each label 0-9
    split: str = "original"  # or "text": the first TEXT_HOLDOUT training images held out, as in the text
    fingerprint: str = field(init=False)

    def __post_init__(self) -> None:
        for split in ("train", "test"):
            n_images = len(getattr(self, f"{split}_pixels"))
            n_labels = len(getattr(self, f"{split}_labels"))
            if n_images != n_labels:
                raise DataError(f"{self.path}: {n_images} {split} images but {n_labels} {split} labels")
            if n_images == 0:
                raise DataError(f"{self.path}: the {split} set is empty")
        digest = hashlib.sha256()
        for array in (self.train_pixels, self.train_labels, self.test_pixels, self.test_labels):
            digest.update(str(array.shape).encode())
            digest.update(np.ascontiguousarray(array, dtype=np.uint8).data)  # no copy of uint8 pixels
        object.__setattr__(self, "fingerprint", digest.hexdigest()[:16])

    @property
    def n_train(self) -> int:
        return len(self.train_labels)

    @property
    def n_test(self) -> int:
        return len(self.test_labels)

    def train(self, size: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return the first ``size`` training images (float32, (size, 784)) and labels, like TRAIN_SIZE."""
        return self._take("train", size)

    def test(self, size: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return the first ``size`` test images and labels, like the text's TEST_SIZE."""
        return self._take("test", size)

    def _take(self, split: str, size: int | None) -> tuple[np.ndarray, np.ndarray]:
        pixels, labels = getattr(self, f"{split}_pixels"), getattr(self, f"{split}_labels")
        if size is not None:
            check_value(f"{split} size", size, Rule(int, 1, len(labels)))
        return as_float_rows(pixels[:size]), labels[:size].astype(np.int64)

    def class_name(self, label: int) -> str:
        """The name of a label: the digit itself for MNIST, ``"Sneaker"`` for a clothing data set."""
        return self.class_names[int(label)]

    def text_index(self, index: int = 0) -> int | None:
        """Where the text's ``x_train[index]`` is among this data set's training images, or None.

        The text read MNIST with its first 5,000 training images held out for validation: under the text's
        split that is ``index``; otherwise ``5000 + index``, if the data set holds that many (None if not).
        """
        if self.split == "text":
            return index if index < self.n_train else None
        return TEXT_HOLDOUT + index if TEXT_HOLDOUT + index < self.n_train else None

    def example_phrase(self, label: int) -> str:
        """An example of a label in words, for alt texts: "a handwritten 7", "a Sneaker", "an Ankle boot"."""
        name = self.class_name(label)
        if self.digits:
            return f"a handwritten {name}"
        return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"

    @property
    def digits(self) -> bool:
        """Whether the classes are MNIST's digits 0-9 (figures then say "a handwritten 7")."""
        return self.class_names == DIGITS

    def describe(self) -> dict:
        """Return a JSON-ready summary: source, path, counts, split, class names and fingerprint."""
        return {
            "source": self.source,
            "path": self.path,
            "train": self.n_train,
            "test": self.n_test,
            "split": self.split,
            "class_names": list(self.class_names),
            "fingerprint": self.fingerprint,
            "note": self.note,
        }


def as_float_rows(pixels: np.ndarray) -> np.ndarray:
    """Flatten uint8 images to float32 rows in [0, 1], as the text's data sets store them."""
    return (pixels.reshape(len(pixels), -1).astype(np.float32)) / np.float32(255.0)


def one_hot(labels: np.ndarray, classes: int = 10) -> np.ndarray:
    """Return labels as float32 one-hot rows, the text's ``y_train`` form (7 -> [0,0,0,0,0,0,0,1,0,0])."""
    labels = np.asarray(labels)
    out = np.zeros((labels.size, classes), dtype=np.float32)
    out[np.arange(labels.size), labels.reshape(-1)] = 1.0
    return out


def _find_idx(folder: Path, stem: str) -> Path:
    """The file of ``stem`` (gzipped first); one that is there but no regular file is refused when read."""
    for name in (stem + ".gz", stem):
        if (folder / name).exists():
            return folder / name
    raise DataError(f"{folder}: missing {stem}[.gz]")


class _IdxArrays(TypedDict):
    """An IDX folder's four arrays, named as :class:`Dataset`'s fields."""

    train_pixels: np.ndarray
    train_labels: np.ndarray
    test_pixels: np.ndarray
    test_labels: np.ndarray


def _load_idx_folder(folder: Path) -> _IdxArrays:
    return _IdxArrays(
        train_pixels=read_idx_images(_find_idx(folder, IDX_FILES["train_pixels"])),
        train_labels=read_idx_labels(_find_idx(folder, IDX_FILES["train_labels"])),
        test_pixels=read_idx_images(_find_idx(folder, IDX_FILES["test_pixels"])),
        test_labels=read_idx_labels(_find_idx(folder, IDX_FILES["test_labels"])),
    )


def verify_sample(folder: Path = SAMPLE_DIR) -> None:
    """Check the bundled sample's files against its SHA256SUMS."""
    sums = folder / "SHA256SUMS"
    for line in sums.read_text().splitlines():
        expected, name = line.split()
        path = folder / name
        try:
            actual = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            raise DataError(f"{path}: bundled sample file is missing; reinstall figgen") from None
        if actual != expected:
            raise DataError(f"{path}: checksum mismatch, the bundled sample is damaged; reinstall figgen")


def _auto_candidates() -> list[Path]:
    found = []
    if os.environ.get("FIGGEN_MNIST"):
        found.append(Path(os.environ["FIGGEN_MNIST"]).expanduser())
    found.append(download_dir())
    keras_home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    found.append(keras_home / "datasets" / "mnist.npz")
    return found


@functools.lru_cache(maxsize=4)
def _load_cached(source: str, mtime_key: tuple) -> Dataset:
    return _load(source)


@functools.lru_cache(maxsize=8)
def _shaped(source: str, mtime_key: tuple, split: str, class_names: tuple[str, ...] | None) -> Dataset:
    data = _load_cached(source, mtime_key)
    names = class_names or _labels_file(data) or DIGITS
    if split not in SPLITS:
        raise DataError(f"unknown split {split!r}: use 'original' or 'text'")
    if split == "original" and names == data.class_names:
        return data
    train_pixels, train_labels = data.train_pixels, data.train_labels
    if split == "text":
        if data.n_train <= TEXT_HOLDOUT:
            raise DataError(
                f"{data.path}: the text's split holds out the first {TEXT_HOLDOUT:,} training images for "
                f"validation, but the data set has only {data.n_train:,}"
            )
        train_pixels, train_labels = train_pixels[TEXT_HOLDOUT:], train_labels[TEXT_HOLDOUT:]
    held = f"; the text's split: training images {TEXT_HOLDOUT:,} on" if split == "text" else ""
    return Dataset(
        train_pixels,
        train_labels,
        data.test_pixels,
        data.test_labels,
        source=data.source,
        path=data.path,
        note=data.note + held,
        class_names=check_class_names(names, "class names"),
        split=split,
    )


def load_dataset(source: str = "sample", *, split: str = "original", class_names=None) -> Dataset:
    """Load a data set by name (``sample``, ``auto``, an IDX folder or an ``.npz`` path).

    ``split="text"`` gives the text's split; ``class_names`` (ten names) override the data's own
    (``labels.txt`` beside an IDX folder), which default to the digits. Loads are memoised per process,
    keyed by the source, its files' modification times and the options.
    """
    source = str(source)
    # `auto` depends on the environment and on what lies in its candidate places, so they are the key
    paths = _auto_candidates() if source == "auto" else [Path(source).expanduser()]
    mtime_key = tuple((str(path), _mtimes(path)) for path in paths)
    names = tuple(check_class_names(class_names, "class names")) if class_names is not None else None
    return _shaped(source, mtime_key, split, names)


def check_class_names(names, where: str) -> tuple[str, ...]:
    """Ten distinct, non-empty, one-line names of at most 40 characters, or a DataError naming ``where``."""
    if isinstance(names, str):
        names = names.split(",")
    names = tuple(str(n).strip() for n in names)
    if len(names) != 10:
        raise DataError(f"{where}: 10 names are needed, one for each label 0-9; got {len(names)}")
    for name in names:
        if not name or len(name) > 40 or not name.isprintable():
            raise DataError(f"{where}: {name!r} is not a name (1 to 40 printable characters)")
    if len(set(names)) != 10:
        raise DataError(f"{where}: the names must differ; {sorted(names)} repeats one")
    return names


def _labels_file(data: Dataset) -> tuple[str, ...] | None:
    """The class names in a ``labels.txt`` beside an IDX folder (one a line), if there is one.

    It names ten classes, so it is a few KB: a larger one is refused before it is read."""
    path = Path(data.path) / LABELS_FILE
    if data.source != "idx" or not path.exists():
        return None
    with open_regular(path, "a text file") as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(LABELS_MAX + 1) if size <= LABELS_MAX else b""  # bounded, should it grow
        except OSError as exc:
            raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
        if size > LABELS_MAX or len(raw) > LABELS_MAX:
            raise DataError(
                f"{path}: {max(size, len(raw)):,} bytes; a labels.txt names ten classes, one a line, "
                f"in at most {LABELS_MAX:,} bytes"
            )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: cannot read it as UTF-8 text ({exc})") from None
    return check_class_names([line for line in text.splitlines() if line.strip()], str(path))


def _mtimes(path: Path) -> tuple[int, ...]:
    try:
        return tuple(p.stat().st_mtime_ns for p in [path, *path.glob("*")]) if path.exists() else ()
    except OSError:
        return ()


def _load(source: str) -> Dataset:
    if source == "sample":
        verify_sample()
        return Dataset(
            **_load_idx_folder(SAMPLE_DIR),
            source="sample",
            path=str(SAMPLE_DIR),
            note="bundled MNIST sample (first 10,000 training images, full test set)",
        )
    if source == "auto":
        for candidate in _auto_candidates():
            # a FIFO or device where a data set should be is refused when read, not passed over
            if (candidate.exists() and not candidate.is_dir()) or (
                candidate.is_dir() and any(candidate.iterdir())
            ):
                data = _load(str(candidate))
                return Dataset(
                    data.train_pixels,
                    data.train_labels,
                    data.test_pixels,
                    data.test_labels,
                    source=data.source,
                    path=data.path,
                    note=f"auto: full data found at {candidate}",
                )
        data = _load("sample")
        return Dataset(
            data.train_pixels,
            data.train_labels,
            data.test_pixels,
            data.test_labels,
            source="sample",
            path=data.path,
            note="auto: no full MNIST on disk (run `figgen data fetch`), using the bundled sample",
        )
    path = Path(source).expanduser()
    if path.is_dir():
        return Dataset(**_load_idx_folder(path), source="idx", path=str(path))
    if path.suffix == ".npz":
        arrays = read_npz(path)
        return Dataset(
            arrays["x_train"],
            arrays["y_train"],
            arrays["x_test"],
            arrays["y_test"],
            source="npz",
            path=str(path),
        )
    if not path.exists():
        raise DataError(
            f"unknown data source {source!r}: use 'sample', 'auto', a folder of IDX files or an .npz file"
        )
    raise DataError(f"{path}: not a data source (expected a folder of IDX files or an .npz file)")
