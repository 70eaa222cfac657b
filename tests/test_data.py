"""figgen.data: the bundled sample, IDX folders, .npz files, ``auto`` and strict errors (``fetch_mnist``:
test_fetch.py)."""

from __future__ import annotations

import gzip
import os
import shutil
import struct
import tempfile
from pathlib import Path

import numpy as np
import pytest

from figgen.core.errors import FiggenError
from figgen.data import (
    IDX_FILES,
    DataError,
    Dataset,
    download_dir,
    load_dataset,
    one_hot,
    sample_dir,
    verify_sample,
)

SAMPLE_FINGERPRINT = "e5ab4c404c823ddc"  # a cache key: changing it invalidates every cached run


# --- helpers: tiny IDX files and .npz archives --------------------------------------------------------


def idx_images(pixels: np.ndarray, magic: int = 2051) -> bytes:
    n, rows, cols = pixels.shape
    return struct.pack(">IIII", magic, n, rows, cols) + pixels.astype(np.uint8).tobytes()


def idx_labels(labels: np.ndarray, magic: int = 2049) -> bytes:
    return struct.pack(">II", magic, len(labels)) + np.asarray(labels, np.uint8).tobytes()


def tiny_arrays(n_train: int = 6, n_test: int = 4, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "train_pixels": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, n_train).astype(np.uint8),
        "test_pixels": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, n_test).astype(np.uint8),
    }


def idx_payloads(arrays: dict[str, np.ndarray]) -> dict[str, bytes]:
    """The four IDX files' bytes, keyed by their standard stem."""
    return {
        stem: (idx_images if key.endswith("pixels") else idx_labels)(arrays[key])
        for key, stem in IDX_FILES.items()
    }


def write_idx_folder(
    folder: Path,
    arrays: dict[str, np.ndarray] | None = None,
    gz: bool = False,
    replace: dict[str, bytes] | None = None,
) -> Path:
    """Write the four IDX files (optionally gzipped); ``replace`` swaps a file's raw bytes by stem."""
    folder.mkdir(parents=True, exist_ok=True)
    payloads = idx_payloads(arrays if arrays is not None else tiny_arrays())
    payloads.update(replace or {})
    for stem, payload in payloads.items():
        if gz:
            (folder / f"{stem}.gz").write_bytes(gzip.compress(payload, mtime=0))
        else:
            (folder / stem).write_bytes(payload)
    return folder


def write_npz(
    path: Path, arrays: dict[str, np.ndarray] | None = None, drop: str | None = None, **extra
) -> Path:
    a = arrays if arrays is not None else tiny_arrays()
    keras = {
        "x_train": a["train_pixels"],
        "y_train": a["train_labels"],
        "x_test": a["test_pixels"],
        "y_test": a["test_labels"],
    }
    keras.update(extra)
    if drop:
        del keras[drop]
    np.savez(path, **keras)
    return path


# --- the bundled sample ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load_dataset("sample")


def test_sample_counts_shapes_and_ranges(sample):
    assert (sample.source, sample.n_train, sample.n_test) == ("sample", 10000, 10000)
    x, y = sample.train()
    xt, yt = sample.test()
    assert x.shape == (10000, 784) and xt.shape == (10000, 784)
    assert x.dtype == np.float32 and xt.dtype == np.float32
    assert x.min() == 0.0 and x.max() == 1.0 and xt.min() == 0.0 and xt.max() == 1.0
    # pixel / 255 exactly, as the text's data sets store them
    np.testing.assert_array_equal(x[3], sample.train_pixels[3].reshape(-1).astype(np.float32) / 255)
    assert np.issubdtype(y.dtype, np.integer) and np.issubdtype(yt.dtype, np.integer)
    assert set(np.unique(y)) == set(range(10)) and set(np.unique(yt)) == set(range(10))
    # the first labels of the original MNIST training and test sets
    assert y[:5].tolist() == [5, 0, 4, 1, 9]
    assert yt[:5].tolist() == [7, 2, 1, 0, 4]


def test_sample_train_size_takes_the_first_rows(sample):
    x, y = sample.train(5500)
    assert x.shape == (5500, 784) and y.shape == (5500,)
    full_x, full_y = sample.train()
    np.testing.assert_array_equal(x, full_x[:5500])
    np.testing.assert_array_equal(y, full_y[:5500])
    xt, yt = sample.test(100)
    assert xt.shape == (100, 784)
    np.testing.assert_array_equal(yt, sample.test()[1][:100])


def test_sample_fingerprint_is_stable_and_content_based(sample):
    assert sample.fingerprint == SAMPLE_FINGERPRINT
    assert len(sample.fingerprint) == 16 and int(sample.fingerprint, 16) >= 0
    copy = Dataset(
        sample.train_pixels.copy(),
        sample.train_labels.copy(),
        sample.test_pixels.copy(),
        sample.test_labels.copy(),
        source="npz",
        path="elsewhere",
    )
    assert copy.fingerprint == sample.fingerprint  # content, not origin
    pixels = sample.test_pixels.copy()
    pixels[0, 0, 0] ^= 1
    changed = Dataset(
        sample.train_pixels, sample.train_labels, pixels, sample.test_labels, source="sample", path="x"
    )
    assert changed.fingerprint != sample.fingerprint


def test_sample_checksums_are_verified(tmp_path):
    verify_sample()  # the installed sample is intact
    damaged = tmp_path / "sample"
    shutil.copytree(sample_dir(), damaged)
    target = damaged / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(target.read_bytes())
    raw[-1] ^= 0xFF
    target.write_bytes(bytes(raw))
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.gz: checksum mismatch"):
        verify_sample(damaged)
    target.unlink()
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.gz.*missing"):
        verify_sample(damaged)


def test_one_hot():
    assert one_hot(np.array([7])).tolist() == [[0, 0, 0, 0, 0, 0, 0, 1, 0, 0]]
    rows = one_hot(np.array([0, 9, 3]))
    assert rows.dtype == np.float32 and rows.shape == (3, 10)
    assert rows.argmax(axis=1).tolist() == [0, 9, 3] and rows.sum() == 3


@pytest.mark.parametrize(
    "split, size",
    [
        ("train", 0),
        ("train", 10001),
        ("test", 0),
        ("test", 10001),
        ("train", -1),
        ("train", 2.5),
        ("train", True),
    ],
)
def test_sizes_outside_the_data_set_are_refused(sample, split, size):
    with pytest.raises(FiggenError, match=f"^{split} size"):
        getattr(sample, split)(size)


# --- IDX folders and .npz files --------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [False, True])
def test_idx_folder_round_trip(tmp_path, gz):
    arrays = tiny_arrays(n_train=7, n_test=3)
    data = load_dataset(str(write_idx_folder(tmp_path / "idx", arrays, gz=gz)))
    assert (data.source, data.path, data.n_train, data.n_test) == ("idx", str(tmp_path / "idx"), 7, 3)
    for key, array in arrays.items():
        np.testing.assert_array_equal(getattr(data, key), array)
    x, y = data.train(2)
    np.testing.assert_array_equal(x, arrays["train_pixels"][:2].reshape(2, 784) / np.float32(255))
    assert y.tolist() == arrays["train_labels"][:2].tolist()
    same = Dataset(**arrays, source="npz", path="-")
    assert data.fingerprint == same.fingerprint


def test_npz_source(tmp_path):
    arrays = tiny_arrays(n_train=5, n_test=2, seed=3)
    data = load_dataset(str(write_npz(tmp_path / "mnist.npz", arrays)))
    assert (data.source, data.n_train, data.n_test) == ("npz", 5, 2)
    for key, array in arrays.items():
        np.testing.assert_array_equal(getattr(data, key), array)
    assert data.fingerprint == Dataset(**arrays, source="idx", path="-").fingerprint


def test_a_changed_folder_is_reloaded_not_served_from_memory(tmp_path):
    folder = write_idx_folder(tmp_path / "idx", tiny_arrays(seed=1))
    first = load_dataset(str(folder))
    write_idx_folder(folder, tiny_arrays(seed=2))
    for path in folder.iterdir():  # make the change visible even on coarse file-system clocks
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = load_dataset(str(folder))
    assert first.fingerprint != second.fingerprint
    np.testing.assert_array_equal(second.train_pixels, tiny_arrays(seed=2)["train_pixels"])


# --- auto ------------------------------------------------------------------------------------------------


def test_auto_falls_back_to_the_sample_with_a_note(clean_env):
    data = load_dataset("auto")
    assert data.source == "sample" and data.n_train == 10000
    assert data.fingerprint == SAMPLE_FINGERPRINT
    assert "no full MNIST" in data.note and "figgen data fetch" in data.note


def test_auto_finds_keras_npz(clean_env):
    keras_file = clean_env / "keras" / "datasets" / "mnist.npz"
    keras_file.parent.mkdir(parents=True)
    write_npz(keras_file, tiny_arrays(n_train=8, n_test=3))
    data = load_dataset("auto")
    assert (data.source, data.path, data.n_train) == ("npz", str(keras_file), 8)
    assert str(keras_file) in data.note


def test_auto_prefers_the_figgen_cache_then_figgen_mnist(clean_env, monkeypatch):
    keras_file = clean_env / "keras" / "datasets" / "mnist.npz"
    keras_file.parent.mkdir(parents=True)
    write_npz(keras_file, tiny_arrays(n_train=8))
    (clean_env / "figgen-data").mkdir()  # an empty cache folder is not a data set
    assert load_dataset("auto").source == "npz"
    write_idx_folder(clean_env / "figgen-data", tiny_arrays(n_train=9), gz=True)
    data = load_dataset("auto")
    assert (data.source, data.n_train) == ("idx", 9)
    explicit = write_idx_folder(clean_env / "explicit", tiny_arrays(n_train=11))
    monkeypatch.setenv("FIGGEN_MNIST", str(explicit))
    data = load_dataset("auto")
    assert (data.source, data.path, data.n_train) == ("idx", str(explicit), 11)


def test_auto_does_not_hide_a_damaged_full_set(clean_env):
    write_idx_folder(clean_env / "figgen-data", replace={"train-labels-idx1-ubyte": b"\0\0\x08"})
    with pytest.raises(DataError, match="train-labels-idx1-ubyte"):
        load_dataset("auto")


def test_download_dir_follows_the_environment(clean_env, monkeypatch):
    assert download_dir() == clean_env / "figgen-data"
    monkeypatch.delenv("FIGGEN_DATA_HOME")
    assert download_dir() == clean_env / "home" / ".cache" / "figgen" / "mnist"
    monkeypatch.setenv("XDG_CACHE_HOME", str(clean_env / "xdg"))
    assert download_dir() == clean_env / "xdg" / "figgen" / "mnist"


# --- strict errors: every message names the file -----------------------------------------------------------

GOOD = idx_payloads(tiny_arrays(n_train=6, n_test=4))
TRAIN_IMAGES, TRAIN_LABELS = "train-images-idx3-ubyte", "train-labels-idx1-ubyte"


@pytest.mark.parametrize(
    "stem, payload, message",
    [
        (TRAIN_IMAGES, b"\0\0\x08\x01" + GOOD[TRAIN_IMAGES][4:], "not an IDX image file .*magic number 2049"),
        (TRAIN_LABELS, b"\0\0\x08\x03" + GOOD[TRAIN_LABELS][4:], "not an IDX label file .*magic number 2051"),
        (TRAIN_IMAGES, idx_images(np.zeros((6, 27, 28), np.uint8)), "images are 27x28, expected 28x28"),
        (TRAIN_IMAGES, GOOD[TRAIN_IMAGES][:10], r"truncated IDX header \(10 bytes\)"),
        (TRAIN_LABELS, b"", r"truncated IDX header \(0 bytes\)"),
        (TRAIN_IMAGES, GOOD[TRAIN_IMAGES][:-1], "truncated IDX data"),
        (TRAIN_LABELS, GOOD[TRAIN_LABELS][:-1], "truncated IDX data"),
        (TRAIN_IMAGES, GOOD[TRAIN_IMAGES] + b"\0", "unexpected bytes after the 4704 bytes of IDX data"),
        (TRAIN_LABELS, idx_labels(np.array([1, 2, 10, 3, 4, 5])), "label 10 at index 2 is outside 0-9"),
    ],
)
@pytest.mark.parametrize("gz", [False, True])
def test_bad_idx_files(tmp_path, stem, payload, message, gz):
    folder = write_idx_folder(tmp_path / "idx", replace={stem: payload}, gz=gz)
    with pytest.raises(DataError, match=f"{stem}{'.gz' if gz else ''}: {message}"):
        load_dataset(str(folder))


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_damaged_gzip(tmp_path, damage):
    folder = write_idx_folder(tmp_path / "idx", gz=True)
    path = folder / "t10k-images-idx3-ubyte.gz"
    raw = bytearray(path.read_bytes())
    if damage == "truncate":
        raw = raw[: len(raw) // 2]
    else:
        raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(DataError, match="t10k-images-idx3-ubyte.gz: damaged or truncated gzip"):
        load_dataset(str(folder))


def test_image_and_label_counts_must_match(tmp_path):
    folder = write_idx_folder(
        tmp_path / "idx", replace={"t10k-labels-idx1-ubyte": idx_labels(np.array([1, 2, 3]))}
    )
    with pytest.raises(DataError, match=f"{folder}: 4 test images but 3 test labels"):
        load_dataset(str(folder))


def test_missing_idx_file(tmp_path):
    folder = write_idx_folder(tmp_path / "idx")
    (folder / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(DataError, match=r"missing t10k-labels-idx1-ubyte\[\.gz\]"):
        load_dataset(str(folder))


def test_npz_missing_an_array(tmp_path):
    path = write_npz(tmp_path / "m.npz", drop="y_test")
    with pytest.raises(DataError, match=r"m\.npz: missing array\(s\) y_test"):
        load_dataset(str(path))


class _Trap:
    """Pickles as ``open(marker, 'w')``: unpickling it would create the marker file."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_npz_object_array_is_never_unpickled(tmp_path):
    marker = tmp_path / "unpickled"
    labels = np.empty(6, dtype=object)
    labels[:] = [_Trap(marker)] * 6
    path = write_npz(tmp_path / "evil.npz", y_train=labels)
    with pytest.raises(
        DataError, match=r"evil\.npz: y_train holds Python objects, which figgen never unpickles"
    ):
        load_dataset(str(path))
    assert not marker.exists()
    # the trap is real: loading with pickles allowed would have run it
    with np.load(path, allow_pickle=True) as archive:
        archive["y_train"]
    assert marker.exists()


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("y_train", np.array([0, 1, 2, 3, 4, 12]), "label 12 at index 5 is outside 0-9"),
        ("y_test", np.array([0.0, 1.0, 2.0, 3.0]), "y_test has dtype float64, expected integers"),
        ("x_test", np.zeros((4, 28, 27), np.uint8), r"x_test has shape \(4, 28, 27\)"),
        (
            "x_train",
            np.full((6, 28, 28), 300, np.int32),
            r"\(x_train\): pixel values 300 to 300, outside 0-255",
        ),
        ("x_train", np.full((6, 28, 28), np.nan), r"\(x_train\): pixel values that are not finite"),
        ("x_test", np.full((4, 28, 28), 0.5 + 1j), r"\(x_test\): complex pixel values"),
        (
            "x_train",
            np.full((6, 28, 28), 255.0),
            r"\(x_train\): float pixels from 255 to 255; floats must lie in",
        ),
        ("x_train", np.full((6, 28, 28), -0.5), r"\(x_train\): float pixels from -0.5 to -0.5"),
    ],
)
def test_bad_npz_arrays(tmp_path, key, value, message):
    path = write_npz(tmp_path / "m.npz", **{key: value})
    with pytest.raises(DataError, match=rf"m\.npz.*{message}"):
        load_dataset(str(path))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_images_in_0_1_load_like_their_uint8_pixels(tmp_path, dtype):
    pixels = np.arange(6 * 784, dtype=np.int64).reshape(6, 28, 28) % 256
    path = write_npz(tmp_path / "floats.npz", x_train=(pixels / 255).astype(dtype))
    data = load_dataset(str(path))
    np.testing.assert_array_equal(data.train_pixels, pixels.astype(np.uint8))  # not truncated to 0 and 1
    assert data.train(6)[0].max() == 1.0 and data.train(6)[0][0, 1] == pytest.approx(1 / 255)


def test_not_an_npz_archive(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(DataError, match=r"junk\.npz: not a readable \.npz archive"):
        load_dataset(str(path))


def test_unknown_source_names(tmp_path):
    with pytest.raises(DataError, match="unknown data source 'nonesuch'"):
        load_dataset("nonesuch")
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(DataError, match=rf"{other}: not a data source"):
        load_dataset(str(other))


# --- property-based: any bytes, any arrays ------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from figgen.data._idx import read_idx_images, read_idx_labels  # noqa: E402

FUZZ = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def idx_bytes(magic: int, dims: list[int], body: bytes) -> bytes:
    return b"".join(v.to_bytes(4, "big") for v in (magic, *dims)) + body


@FUZZ
@given(
    magic=st.sampled_from([2049, 2051, 0, 2**32 - 1]),
    dims=st.lists(st.integers(0, 2**32 - 1) | st.integers(0, 40), min_size=0, max_size=3),
    body=st.binary(max_size=3000),
    gz=st.booleans(),
    cut=st.integers(0, 40),
)
def test_any_idx_file_reads_or_is_one_clear_data_error(tmp_path_factory, magic, dims, body, gz, cut):
    raw = idx_bytes(magic, dims, body)
    raw = raw[: len(raw) - cut] if cut < len(raw) else raw
    path = tmp_path_factory.mktemp("fuzz") / ("f.gz" if gz else "f")
    path.write_bytes(gzip.compress(raw, mtime=0) if gz else raw)
    for reader in (read_idx_images, read_idx_labels):
        try:
            array = reader(path)
        except DataError as exc:
            assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        else:
            assert array.dtype == np.uint8
            assert array.shape[1:] == ((28, 28) if reader is read_idx_images else ())
            assert reader is read_idx_images or array.max(initial=0) <= 9


ARRAYS = st.sampled_from(
    [
        np.zeros((3, 28, 28), np.uint8),
        np.full((3, 28, 28), 0.25),
        np.full((3, 28, 28), 2.0),
        np.full((3, 28, 28), np.nan, np.float32),
        np.full((3, 28, 28), 7, np.int64),
        np.full((3, 28, 28), -1, np.int16),
        np.zeros((3, 28, 28), np.complex64),
        np.zeros((3, 28), np.uint8),
        np.zeros((0, 28, 28), np.uint8),
        np.array([1, 2, 3]),
        np.array([1, 2, 30]),
        np.array([1.0, 2.0, 3.0]),
        np.array(["a", "b", "c"]),
        np.array([True, False, True]),
        np.zeros((3, 1), np.int64),
    ]
)


@FUZZ
@given(x_train=ARRAYS, y_train=ARRAYS, x_test=ARRAYS, y_test=ARRAYS)
def test_any_npz_loads_or_is_one_clear_data_error(tmp_path_factory, x_train, y_train, x_test, y_test):
    path = tmp_path_factory.mktemp("npz") / "m.npz"
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    try:
        data = load_dataset(str(path))
    except DataError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
    else:
        assert data.train_pixels.dtype == np.uint8 and data.n_train == 3 and data.n_test == 3


# --- bounded cost ------------------------------------------------------------------------------------------


def test_a_gzip_bomb_costs_what_its_header_declares_not_what_it_inflates_to(tmp_path):
    import subprocess
    import sys

    folder = write_idx_folder(tmp_path / "bomb", gz=True)
    header = b"".join(v.to_bytes(4, "big") for v in (2051, 6, 28, 28))  # declares 6 images: 4,704 bytes
    with gzip.open(folder / "train-images-idx3-ubyte.gz", "wb", compresslevel=1) as handle:
        handle.write(header)
        zeros = bytes(16 << 20)
        for _ in range(24):  # but inflates to 384 MiB
            handle.write(zeros)
    assert (folder / "train-images-idx3-ubyte.gz").stat().st_size < 2 << 20
    probe = (  # VmHWM: this process's own peak (ru_maxrss would include its parent's, from before exec)
        "import re\n"
        "from figgen.cli import main\n"
        f"code = main(['data', '--data', {str(folder)!r}])\n"
        "status = open('/proc/self/status').read()\n"
        "print(code, int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    code, peak_mib = done.stdout.split()
    assert code == "2" and "unexpected bytes after the 4704 bytes of IDX data" in done.stderr
    assert int(peak_mib) < 150, f"{peak_mib} MiB"  # it read 4,705 bytes of the 384 MiB, not all of them


def test_a_header_declaring_more_than_memory_holds_is_refused_before_allocating(tmp_path):
    header = b"".join(v.to_bytes(4, "big") for v in (2051, 2**32 - 1, 28, 28))
    folder = write_idx_folder(tmp_path / "huge", replace={TRAIN_IMAGES: header})
    with pytest.raises(
        DataError, match=r"its header declares 4,294,967,295 entries \(3136\.0 GiB\), more than"
    ):
        load_dataset(str(folder))


# --- the text's split and class names ----------------------------------------------------------------------


def test_the_texts_split_holds_out_the_first_5000_training_images(sample):
    text = load_dataset("sample", split="text")
    assert text.n_train == sample.n_train - 5000 and text.n_test == sample.n_test
    np.testing.assert_array_equal(text.train_pixels[0], sample.train_pixels[5000])
    assert text.class_name(text.train_labels[0]) == "7"  # the text's x_train[0]: a 7
    assert text.fingerprint != sample.fingerprint and "training images 5,000 on" in text.note
    folder = write_idx_folder(Path(tempfile.mkdtemp()) / "small")
    with pytest.raises(DataError, match="holds out the first 5,000 training images .* has only 6"):
        load_dataset(str(folder), split="text")


CLOTHES = [
    "T-shirt",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]


def test_class_names_come_from_labels_txt_or_the_caller(tmp_path):
    folder = write_idx_folder(tmp_path / "clothes")
    assert load_dataset(str(folder)).class_names == tuple(str(k) for k in range(10))
    (folder / "labels.txt").write_text("\n".join(CLOTHES) + "\n")
    data = load_dataset(str(folder))
    assert data.class_names == tuple(CLOTHES) and data.class_name(7) == "Sneaker" and not data.digits
    assert data.example_phrase(7) == "a Sneaker" and data.example_phrase(9) == "an Ankle boot"
    assert load_dataset("sample").example_phrase(7) == "a handwritten 7"
    assert load_dataset(str(folder), class_names=",".join("abcdefghij")).class_name(0) == "a"
    assert load_dataset(str(folder)).fingerprint == data.fingerprint  # names do not change what trains


@pytest.mark.parametrize(
    "names, message",
    [
        ("a,b,c", "10 names are needed, one for each label 0-9; got 3"),
        ("a,b,c,d,e,f,g,h,i,a", "the names must differ"),
        ("a,b,c,d,e,f,g,h,i,", "'' is not a name"),
        (["x" * 41, *"bcdefghij"], "'x{41}' is not a name"),
    ],
)
def test_bad_class_names_are_refused(names, message):
    with pytest.raises(DataError, match=f"^class names: {message}"):
        load_dataset("sample", class_names=names)
