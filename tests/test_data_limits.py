"""figgen.data: inputs that would cost more than they declare. An .npz is checked header by header (shapes,
dtypes, counts, what a load costs against the memory budget) before any array is read; a labels.txt is a
few KB; only regular files are opened, so a FIFO never hangs a load."""

from __future__ import annotations

import io
import os
import signal
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

import figgen.data._idx as idx
from figgen.cli import main
from figgen.data import DataError, load_dataset
from figgen.data._idx import read_idx_images, read_npz

from .test_data import CLOTHES, tiny_arrays, write_idx_folder, write_npz

# --- helpers: npz members written by hand, declaring what they like ------------------------------------


def npy_header(shape: tuple[int, ...], descr: str = "|u1", version: tuple[int, int] = (1, 0)) -> bytes:
    out = io.BytesIO()
    write = (
        np.lib.format.write_array_header_1_0 if version == (1, 0) else np.lib.format.write_array_header_2_0
    )
    write(out, {"descr": descr, "fortran_order": False, "shape": shape})
    return out.getvalue()


def npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.lib.format.write_array(out, array, allow_pickle=False)
    return out.getvalue()


GOOD_MEMBERS = {
    "x_train": npy(np.zeros((6, 28, 28), np.uint8)),
    "y_train": npy(np.arange(6, dtype=np.uint8)),
    "x_test": npy(np.zeros((4, 28, 28), np.uint8)),
    "y_test": npy(np.arange(4, dtype=np.uint8)),
}


def write_members(path: Path, compress: bool = False, **members: bytes) -> Path:
    """An .npz of the four good members, with ``members`` replacing some by their raw bytes."""
    chosen = {**GOOD_MEMBERS, **members}
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", compression=method, compresslevel=1 if compress else None) as archive:
        for name, payload in chosen.items():
            archive.writestr(f"{name}.npy", payload)
    return path


def zeros_member(archive: zipfile.ZipFile, name: str, header: bytes, size: int) -> None:
    """A deflated member: ``header`` then ``size`` zero bytes, written a slice at a time."""
    with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
        member.write(header)
        block = bytes(1 << 20)
        while size > 0:
            member.write(block[: min(size, len(block))])
            size -= len(block)


def peak_bytes(call) -> tuple[int, BaseException | None]:
    """The peak of memory traced while ``call()`` runs (numpy's arrays included), and what it raised."""
    tracemalloc.start()
    try:
        call()
        raised = None
    except DataError as exc:
        raised = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, raised


@pytest.fixture
def budget(monkeypatch):
    """Pretend the machine has ``set(n)`` bytes of memory for a data set."""

    def set_budget(count: int) -> None:
        monkeypatch.setattr(idx, "memory_budget", lambda: count)

    return set_budget


@pytest.fixture
def no_hang():
    """Fail (rather than hang the run) when the test blocks for more than 5 seconds, in open() included."""

    def expire(signum, frame):
        raise TimeoutError("blocked for 5 s (opening a FIFO?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# --- item 1: every npz header is checked before any array is read ----------------------------------------


def test_a_mismatch_in_a_later_header_is_reported_before_the_first_array_is_read(tmp_path):
    path = tmp_path / "mismatch.npz"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        zeros_member(archive, "x_train", npy_header((60000, 28, 28)), 60000 * 784)  # 47 MB, honestly stored
        archive.writestr("y_train.npy", npy(np.zeros(10, np.uint8)))  # but 10 labels
        archive.writestr("x_test.npy", GOOD_MEMBERS["x_test"])
        archive.writestr("y_test.npy", GOOD_MEMBERS["y_test"])
    assert path.stat().st_size < 1 << 20
    peak, raised = peak_bytes(lambda: load_dataset(str(path)))
    assert isinstance(raised, DataError)
    assert str(raised) == f"{path}: 60,000 train images (x_train) but 10 train labels (y_train)"
    assert peak < 2 << 20, f"{peak:,} bytes: the 47 MB x_train was read before y_train's header"


@pytest.mark.parametrize(
    "name, header, message",
    [
        ("x_train", npy_header((-1, 28, 28)), r"x_train declares a negative shape \(-1, 28, 28\)"),
        ("x_train", npy_header((-2, -28, 28)), r"x_train declares a negative shape \(-2, -28, 28\)"),
        ("y_test", npy_header((-4,)), r"y_test declares a negative shape \(-4,\)"),
    ],
)
def test_negative_shapes_are_refused(tmp_path, name, header, message):
    # a negative count once read the whole member and let reshape infer the -1
    path = write_members(tmp_path / "negative.npz", **{name: header + bytes(2 * 784)})
    with pytest.raises(DataError, match=rf"^{path}: {message}$"):
        load_dataset(str(path))


def test_images_of_784_values_a_row_load_as_28x28(tmp_path):
    arrays = tiny_arrays(n_train=5, n_test=3)
    path = write_npz(tmp_path / "rows.npz", arrays, x_train=arrays["train_pixels"].reshape(5, 784))
    data = load_dataset(str(path))
    assert data.train_pixels.shape == (5, 28, 28)
    np.testing.assert_array_equal(data.train_pixels, arrays["train_pixels"])


def test_what_a_load_costs_with_its_conversions_is_checked_against_the_budget(tmp_path, budget):
    # float64 images: 9,408,000 bytes stored and 1,176,000 bytes of uint8 pixels made from them
    arrays = tiny_arrays(n_train=1500)
    floats = write_npz(tmp_path / "floats.npz", arrays, x_train=np.zeros((1500, 28, 28)))
    budget(10 << 20)  # each member fits, the load does not
    with pytest.raises(DataError) as raised:
        load_dataset(str(floats))
    message = str(raised.value)
    assert message.startswith(
        f"{floats}: its headers declare 1,500 train and 4 test images (float64 and uint8), "
    )
    assert message.endswith("MiB to load, more than this machine can hold for a data set (10.0 MiB)")
    assert "\n" not in message
    # the same images as uint8 cost only what is stored, and load
    pixels = write_npz(tmp_path / "pixels.npz", arrays)
    assert load_dataset(str(pixels)).n_train == 1500


def test_the_budget_is_checked_before_anything_is_read(tmp_path, budget):
    path = tmp_path / "big.npz"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        zeros_member(archive, "x_train", npy_header((30000, 28, 28)), 30000 * 784)
        archive.writestr("y_train.npy", npy(np.zeros(30000, np.uint8)))
        archive.writestr("x_test.npy", GOOD_MEMBERS["x_test"])
        archive.writestr("y_test.npy", GOOD_MEMBERS["y_test"])
    budget(20_000_000)
    peak, raised = peak_bytes(lambda: load_dataset(str(path)))
    assert isinstance(raised, DataError) and "more than this machine can hold" in str(raised)
    assert peak < 2 << 20, f"{peak:,} bytes"


def test_a_member_holding_more_than_its_header_declares_is_refused(tmp_path):
    # a zip entry whose size is not the header's: a zip bomb behind an honest-looking header, or junk
    path = write_members(tmp_path / "more.npz", compress=True, x_test=GOOD_MEMBERS["x_test"] + bytes(1 << 20))
    with pytest.raises(
        DataError,
        match=rf"^{path}: x_test holds 1,051,840 bytes, not the 3,264 bytes its header declares \(a header "
        r"of 128 and 3,136 bytes of data\)$",
    ):
        load_dataset(str(path))


def test_a_member_holding_less_than_its_header_declares_is_refused(tmp_path):
    path = write_members(tmp_path / "less.npz", y_train=GOOD_MEMBERS["y_train"][:-1])
    with pytest.raises(DataError, match=rf"^{path}: y_train holds 133 bytes, not the 134 bytes"):
        load_dataset(str(path))


def test_a_header_length_of_4_gb_is_not_read(tmp_path):
    # npy 2.0 gives a header's length in 4 bytes; numpy reads that many bytes before it checks them
    path = tmp_path / "header.npz"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        zeros_member(archive, "x_train", b"\x93NUMPY\x02\x00" + (2**32 - 1).to_bytes(4, "little"), 64 << 20)
        for name in ("y_train", "x_test", "y_test"):
            archive.writestr(f"{name}.npy", GOOD_MEMBERS[name])
    peak, raised = peak_bytes(lambda: load_dataset(str(path)))
    assert isinstance(raised, DataError)
    assert str(raised) == f"{path}: x_train has a header of 4,294,967,295 bytes (at most 10,000)"
    assert peak < 2 << 20, f"{peak:,} bytes"


@pytest.mark.parametrize(
    "descr, message",
    [
        ("<c8", r"\(x_train\): complex pixel values"),
        ("<U1", r"\(x_train\): pixels of dtype <U1"),
        ([("a", "u1")], r"\(x_train\): pixels of dtype \[\('a', 'u1'\)\]"),
    ],
)
def test_pixel_dtypes_are_checked_from_the_header(tmp_path, descr, message):
    path = write_members(tmp_path / "dtype.npz", x_train=npy_header((6, 28, 28), descr))  # no data at all
    with pytest.raises(DataError, match=rf"^{path} {message}"):
        load_dataset(str(path))


def test_float_pixels_are_converted_a_slice_at_a_time(tmp_path):
    pixels = np.arange(3000 * 784, dtype=np.int64).reshape(3000, 28, 28) % 256
    path = write_npz(
        tmp_path / "floats.npz", tiny_arrays(n_train=3000), x_train=(pixels / 255).astype(np.float32)
    )
    data_bytes = 3000 * 784 * 4
    peak, raised = peak_bytes(lambda: read_npz(path))
    assert raised is None
    # the float32 array as stored and its uint8 pixels, not float64 copies of it
    assert peak < data_bytes + 3000 * 784 + (8 << 20), f"{peak:,} bytes"
    np.testing.assert_array_equal(read_npz(path)["x_train"], pixels.astype(np.uint8))


# --- item 2: labels.txt is a few KB ------------------------------------------------------------------------


def test_a_large_labels_txt_is_refused_before_it_is_read(tmp_path):
    folder = write_idx_folder(tmp_path / "clothes")
    labels = folder / "labels.txt"
    labels.write_text("\n".join(CLOTHES) + "\n" * (1 << 20))  # ten names, then a megabyte of blank lines
    peak, raised = peak_bytes(lambda: load_dataset(str(folder)))
    assert isinstance(raised, DataError)
    assert str(raised) == (
        f"{labels}: 1,048,647 bytes; a labels.txt names ten classes, one a line, in at most 16,384 bytes"
    )
    assert peak < 256 << 10, f"{peak:,} bytes"


# --- item 3: only regular files are opened -----------------------------------------------------------------


def test_a_fifo_given_as_data_is_refused_not_waited_on(tmp_path, no_hang, capsys):
    fifo = tmp_path / "mnist.npz"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match=rf"^{fifo} is not a regular file \(it is a FIFO\)$"):
        load_dataset(str(fifo))
    assert main(["data", "--data", str(fifo)]) == 2
    assert capsys.readouterr().err == f"figgen: error: {fifo} is not a regular file (it is a FIFO)\n"


@pytest.mark.parametrize("name", ["train-images-idx3-ubyte", "t10k-labels-idx1-ubyte.gz"])
def test_a_fifo_in_an_idx_folder_is_refused(tmp_path, no_hang, name):
    folder = write_idx_folder(tmp_path / "idx", gz=name.endswith(".gz"))
    (folder / name).unlink()
    os.mkfifo(folder / name)
    with pytest.raises(DataError, match=rf"^{folder / name} is not a regular file \(it is a FIFO\)$"):
        load_dataset(str(folder))
    with pytest.raises(DataError, match="is not a regular file"):
        read_idx_images(folder / name)


def test_a_fifo_as_labels_txt_is_refused(tmp_path, no_hang):
    folder = write_idx_folder(tmp_path / "idx")
    os.mkfifo(folder / "labels.txt")
    with pytest.raises(DataError, match=rf"^{folder / 'labels.txt'} is not a regular file \(it is a FIFO\)$"):
        load_dataset(str(folder))


def test_a_device_is_refused(no_hang):
    with pytest.raises(DataError, match=r"^/dev/zero is not a regular file \(it is a character device\)$"):
        read_idx_images(Path("/dev/zero"))


def test_a_fifo_swapped_in_after_the_check_does_not_hang(tmp_path, no_hang, monkeypatch):
    # the path is checked, then replaced by a FIFO before it is opened: the open must not wait for a writer
    regular = write_npz(tmp_path / "real.npz")
    fifo = tmp_path / "swapped.npz"
    os.mkfifo(fifo)
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        return real_stat(regular if os.fspath(path) == str(fifo) else path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    with pytest.raises(DataError, match=rf"^{fifo} is not a regular file \(it is a FIFO\)$"):
        read_npz(fifo)
