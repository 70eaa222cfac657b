"""Download the full MNIST (60,000 + 10,000 images) into figgen's download folder: figgen's only network use.

It runs only when asked (``figgen data fetch``). Each file is checked against its published MD5 before it is
moved into place, so an interrupted or corrupted download never becomes a data set.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from figgen.data import DataError, download_dir
from figgen.files.atomic import atomic_path

MIRRORS = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
)
MD5 = {  # the published checksums of the original files
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}


MOST_BYTES = 16 << 20  # the largest MNIST file is 9.9 MB gzipped: a mirror sending more is not sending it


def fetch_mnist(
    target: Path | None = None,
    *,
    mirrors=MIRRORS,
    checksums=MD5,
    timeout: float = 30.0,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Download the four MNIST files into ``target`` (default: :func:`download_dir`) and return the folder.

    Files already present with the right checksum are kept. Raises :class:`DataError` when no mirror
    delivers a file with the right checksum.
    """
    target = Path(target) if target else download_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name, md5 in checksums.items():
        path = target / name
        if path.is_file() and _md5(path.read_bytes()) == md5:
            continue
        errors = []
        for mirror in mirrors:
            if progress:
                progress(f"downloading {mirror}{name}")
            try:
                with urllib.request.urlopen(mirror + name, timeout=timeout) as response:
                    payload = response.read(MOST_BYTES + 1)  # never more than an MNIST file can be
            except (urllib.error.URLError, OSError, ValueError) as exc:
                errors.append(f"{mirror}: {getattr(exc, 'reason', exc)}")
                continue
            if len(payload) > MOST_BYTES:
                errors.append(f"{mirror}: more than {MOST_BYTES >> 20} MiB, not an MNIST file")
                continue
            if _md5(payload) != md5:
                errors.append(f"{mirror}: checksum mismatch")
                continue
            with atomic_path(path) as tmp:  # whole or not at all, never through a link
                tmp.write_bytes(payload)
            break
        else:
            raise DataError(f"could not download {name} ({'; '.join(errors)})")
    return target


def _md5(payload: bytes) -> str:
    return hashlib.md5(payload, usedforsecurity=False).hexdigest()
