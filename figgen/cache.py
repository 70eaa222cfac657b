"""A content-addressed cache of training results on disk, safe across processes and against damage.

An entry is one ``.npz`` file named by the sha256 of what produced it (data fingerprint, parameters,
trainer version). It holds plain arrays (never pickled objects), metadata as a JSON string, and a checksum
of all of it; an entry that fails to load or to match its checksum is deleted and recomputed. Entries are
written to a temporary name and renamed into place, and a per-key lock makes a second process wait for
the first one's result instead of training the same thing twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from figgen.atomic import atomic_path
from figgen.locks import file_lock

META = "__meta__"
CHECKSUM = "__checksum__"


ENVIRONMENT = "FIGGEN_CACHE"
DEFAULT_FOLDER = ".figgen-cache"


def cache_dir(configured: str | os.PathLike | None = None) -> Path:
    """The training cache's folder: ``$FIGGEN_CACHE``, else ``configured`` (figgen.toml's ``cache``),
    else ``.figgen-cache`` in the current folder."""
    return Path(os.environ.get(ENVIRONMENT) or configured or DEFAULT_FOLDER)


def cache_key(**parts) -> str:
    """Return the sha256 of the parts (JSON-serialisable values), the entry's name."""
    text = json.dumps(parts, sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot use {type(value).__name__} in a cache key")


class Cache:
    """Entries of arrays plus JSON metadata, keyed by content hash."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder else cache_dir()
        self.hits = 0
        self.misses = 0

    def path(self, kind: str, key: str) -> Path:
        return self.folder / f"{kind}-{key[:32]}.npz"

    def get_or_compute(
        self,
        kind: str,
        key: str,
        compute: Callable[[], tuple[dict[str, np.ndarray], dict]],
        *,
        force: bool = False,
    ) -> tuple[dict, dict, bool]:
        """Return ``(arrays, meta, hit)``: from the cache, or computed, stored and returned (``hit`` False).

        ``force`` computes even when an entry exists, and replaces it.
        """
        path = self.path(kind, key)
        found = None if force else self._load(path)
        if found is not None:
            self.hits += 1
            return (*found, True)
        self.folder.mkdir(parents=True, exist_ok=True)
        with file_lock(path.with_suffix(".lock")):
            found = None if force else self._load(path)  # another process may have computed it meanwhile
            if found is not None:
                self.hits += 1
                return (*found, True)
            self.misses += 1
            arrays, meta = compute()
            self._store(path, arrays, meta)
            return arrays, meta, False

    def _load(self, path: Path) -> tuple[dict, dict] | None:
        try:
            payload = path.read_bytes()
        except OSError:
            return None
        try:
            with np.load(io.BytesIO(payload), allow_pickle=False) as archive:
                arrays = {name: archive[name] for name in archive.files}
            stored = str(arrays.pop(CHECKSUM))
            if stored != _checksum(arrays):
                raise ValueError("checksum mismatch")
            meta = json.loads(str(arrays.pop(META)))
        except Exception:  # noqa: BLE001 - any damage means: recompute
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        return arrays, meta

    def _store(self, path: Path, arrays: dict, meta: dict) -> None:
        arrays = {name: np.ascontiguousarray(value) for name, value in arrays.items()}
        arrays[META] = np.array(json.dumps(meta, sort_keys=True))
        arrays[CHECKSUM] = np.array(_checksum(arrays))
        with atomic_path(path) as tmp, open(tmp, "wb") as handle:
            np.savez(handle, **arrays)

    def clear(self) -> int:
        """Delete every entry; return how many there were."""
        count = 0
        for entry in self.folder.glob("*.npz"):
            entry.unlink()
            count += 1
        for lock in self.folder.glob("*.lock"):
            lock.unlink()
        return count


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        if name == CHECKSUM:
            continue
        value = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}:{value.dtype.str}:{value.shape}".encode())
        digest.update(value.tobytes())
    return digest.hexdigest()
