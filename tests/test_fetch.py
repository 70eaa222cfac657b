"""figgen.data.fetch: downloading the full MNIST, from file:// mirrors (no network in tests)."""

from __future__ import annotations

import gzip
import hashlib

import pytest

from figgen.data import DataError, download_dir, load_dataset
from figgen.data.fetch import fetch_mnist
from tests.test_data import idx_payloads, tiny_arrays


@pytest.fixture
def mirror(tmp_path):
    """A local mirror of the four files (tiny, gzipped) and their MD5s."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    checksums = {}
    for stem, payload in idx_payloads(tiny_arrays(n_train=5, n_test=3)).items():
        blob = gzip.compress(payload, mtime=0)
        (folder / f"{stem}.gz").write_bytes(blob)
        checksums[f"{stem}.gz"] = hashlib.md5(blob).hexdigest()
    return folder, checksums


def test_fetch_downloads_and_verifies(tmp_path, mirror):
    folder, checksums = mirror
    lines = []
    target = fetch_mnist(
        tmp_path / "dest", mirrors=[folder.as_uri() + "/"], checksums=checksums, progress=lines.append
    )
    assert target == tmp_path / "dest"
    assert sorted(p.name for p in target.iterdir()) == sorted(checksums)
    for name in checksums:
        assert (target / name).read_bytes() == (folder / name).read_bytes()
    assert len(lines) == 4 and all(line.startswith("downloading file://") for line in lines)
    data = load_dataset(str(target))
    assert (data.source, data.n_train, data.n_test) == ("idx", 5, 3)


def test_fetch_skips_files_already_present(tmp_path, mirror):
    folder, checksums = mirror
    uri = folder.as_uri() + "/"
    fetch_mnist(tmp_path / "dest", mirrors=[uri], checksums=checksums)
    # one local file damaged: only that one is downloaded again
    damaged = tmp_path / "dest" / "t10k-images-idx3-ubyte.gz"
    damaged.write_bytes(b"junk")
    lines = []
    fetch_mnist(tmp_path / "dest", mirrors=[uri], checksums=checksums, progress=lines.append)
    assert lines == [f"downloading {uri}t10k-images-idx3-ubyte.gz"]
    assert damaged.read_bytes() == (folder / damaged.name).read_bytes()
    # everything present: the (now empty) mirror is not asked at all
    for path in folder.iterdir():
        path.unlink()
    lines.clear()
    fetch_mnist(tmp_path / "dest", mirrors=[uri], checksums=checksums, progress=lines.append)
    assert lines == []


def test_fetch_tries_the_next_mirror(tmp_path, mirror):
    folder, checksums = mirror
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    fetch_mnist(tmp_path / "dest", mirrors=[empty.as_uri() + "/", folder.as_uri() + "/"], checksums=checksums)
    assert sorted(p.name for p in (tmp_path / "dest").iterdir()) == sorted(checksums)


def test_fetch_bad_checksum_leaves_nothing_behind(tmp_path, mirror):
    folder, checksums = mirror
    name = "train-images-idx3-ubyte.gz"
    bad = {name: "0" * 32}
    with pytest.raises(DataError, match=f"could not download {name} .*checksum mismatch"):
        fetch_mnist(tmp_path / "dest", mirrors=[folder.as_uri() + "/"], checksums=bad)
    assert list((tmp_path / "dest").iterdir()) == []


def test_fetch_missing_everywhere(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="could not download a.gz"):
        fetch_mnist(tmp_path / "dest", mirrors=[empty.as_uri() + "/"], checksums={"a.gz": "0" * 32})
    assert list((tmp_path / "dest").iterdir()) == []


def test_fetch_defaults_to_the_cache_that_auto_reads(clean_env, mirror):
    folder, checksums = mirror
    target = fetch_mnist(mirrors=[folder.as_uri() + "/"], checksums=checksums)
    assert target == download_dir() == clean_env / "figgen-data"
    data = load_dataset("auto")
    assert (data.source, data.n_train) == ("idx", 5)


def test_a_mirror_sending_more_than_an_mnist_file_is_not_read_on(tmp_path, monkeypatch):
    """A mirror that sends a stream without end (or a huge file) is read only to the largest size an MNIST
    file can have, then passed over."""
    from figgen.data import fetch

    folder = tmp_path / "mirror"
    folder.mkdir()
    name = "train-images-idx3-ubyte.gz"
    (folder / name).write_bytes(b"\0" * 2000)
    monkeypatch.setattr(fetch, "MOST_BYTES", 1000)
    with pytest.raises(DataError, match=f"could not download {name} .*more than 0 MiB, not an MNIST file"):
        fetch_mnist(tmp_path / "dest", mirrors=[folder.as_uri() + "/"], checksums={name: "0" * 32})
    assert list((tmp_path / "dest").iterdir()) == []
