"""A content-addressed cache of training results on disk, safe across processes and against damage.

An entry is one ``.npz`` file named by its kind and the sha256 of what produced it (data fingerprint,
parameters, trainer version): ``run-<32 hex digits>.npz``. It holds plain arrays (never pickled objects),
metadata as a JSON string, and a checksum of all of it. An entry that fails to load, to match its checksum
or to have the arrays its reader expects is damaged: it is recomputed and replaced, with a warning. Entries
are written to a temporary name and renamed into place, and a per-key lock makes a second process wait for
the first one's result instead of training the same thing twice.

The cache folder follows the output folder's rules: figgen touches only names of its own form there
(entries, their locks, its temporaries), never follows a link, and ``clear`` removes nothing else. A cache
that cannot be written (read-only, full) costs a warning and a recomputation, never the recipe.

Where a miss is computed is up to the caller's context: :data:`ELSEWHERE`, when set, takes it (a serial
build trains in a background thread while it draws, :mod:`figgen.training.ahead`); else it is computed here.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

import numpy as np

from figgen.core.errors import FiggenError, FiggenWarning
from figgen.files.atomic import NO_ROOM, atomic_path, is_temporary
from figgen.files.locks import file_lock
from figgen.files.own import remove_file

META = "__meta__"
CHECKSUM = "__checksum__"
ENVIRONMENT = "FIGGEN_CACHE"
DEFAULT_FOLDER = ".figgen-cache"
_ENTRY = re.compile(r"^[a-z]+-[0-9a-f]{32}\.(npz|lock)$")

Compute = Callable[[], tuple[dict[str, np.ndarray], dict]]
Check = Callable[[dict[str, np.ndarray], dict], bool]

# ``elsewhere(name, compute_and_store)`` computes a miss for this context, or raises to say it will: set
# only around a serial build's recipes, so threads it starts (and every other caller) compute in place.
# It is called as ``elsewhere(name, compute_and_store, cost)``, ``cost`` the entry's estimated work.
# ``compute_and_store(stop)`` calls ``stop()`` while it waits for another process and before it stores: a
# stop that raises ends it there, with nothing stored.
ELSEWHERE: ContextVar[Callable | None] = ContextVar("figgen_cache_elsewhere", default=None)
# Where the cache's warnings go instead of ``warnings.warn``, when set: a thread computing for another one
# collects them for it (Python's warning filters and recorders are global, not per thread).
WARNINGS: ContextVar[list[str] | None] = ContextVar("figgen_cache_warnings", default=None)


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
        if self.folder.exists() and not self.folder.is_dir():
            raise FiggenError(
                f"the training cache {self.folder} is a file, not a folder (see ${ENVIRONMENT})"
            )
        self.hits = 0
        self.misses = 0

    def path(self, kind: str, key: str) -> Path:
        return self.folder / f"{kind}-{key[:32]}.npz"

    def get_or_compute(
        self,
        kind: str,
        key: str,
        compute: Compute,
        *,
        force: bool = False,
        check: Check | None = None,
        cost: float = 0.0,
    ) -> tuple[dict, dict, bool]:
        """Return ``(arrays, meta, hit)``: from the cache, or computed, stored and returned (``hit`` False).

        ``force`` computes even when an entry exists, and replaces it. ``check(arrays, meta)`` says whether
        a loaded entry has what its reader needs; one that has not counts as damaged. ``cost`` estimates the
        computation's work (any unit, the same for every entry): where it is computed elsewhere, cheaper
        ones go first.
        """
        path = self.path(kind, key)
        found = None if force else self._load(path, check, warn=True)
        if found is not None:
            self.hits += 1
            return (*found, True)
        writable = self._writable()  # here: it may warn, and warnings belong to the caller's thread
        elsewhere = ELSEWHERE.get()
        if elsewhere is not None:
            name = (str(path), force)
            return elsewhere(
                name, lambda stop: self._compute(path, compute, force, check, writable, stop), cost
            )
        return self._compute(path, compute, force, check, writable)

    def _compute(
        self,
        path: Path,
        compute: Compute,
        force: bool,
        check: Check | None,
        writable: bool,
        stop: Callable[[], None] | None = None,
    ) -> tuple[dict, dict, bool]:
        if not writable:
            self.misses += 1
            return (*compute(), False)
        with file_lock(path.with_suffix(".lock"), poll=stop):
            found = None if force else self._load(path, check, warn=False)  # another process computed it?
            if found is not None:
                self.hits += 1
                return (*found, True)
            self.misses += 1
            arrays, meta = compute()
            if stop is not None:
                stop()
            self._store(path, arrays, meta)
            return arrays, meta, False

    def _writable(self) -> bool:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _warn(
                f"the training cache {self.folder} cannot be created ({exc.strerror}); training is not kept"
            )
            return False
        if not os.access(self.folder, os.W_OK | os.X_OK):
            _warn(f"the training cache {self.folder} is not writable; training is not kept")
            return False
        return True

    def _load(self, path: Path, check: Check | None, warn: bool) -> tuple[dict, dict] | None:
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return None  # not figgen's: never read through a link or into a folder
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
            if not isinstance(meta, dict) or (check is not None and not check(arrays, meta)):
                raise ValueError("missing or misshapen arrays")
        except Exception as exc:  # any damage means: recompute (and replace it)
            if warn:
                _warn(f"damaged training cache entry {path} ({exc}); it is trained again and replaced")
            return None
        return arrays, meta

    def _store(self, path: Path, arrays: dict, meta: dict) -> None:
        arrays = {name: np.ascontiguousarray(value) for name, value in arrays.items()}
        arrays[META] = np.array(json.dumps(meta, sort_keys=True))
        arrays[CHECKSUM] = np.array(_checksum(arrays))
        if os.path.islink(path) or (path.exists() and not path.is_file()):
            _warn(f"{path} is not a file figgen wrote; the training result is not kept")
            return
        try:
            with atomic_path(path) as tmp, open(tmp, "wb") as handle:
                np.savez(handle, **arrays)
        except OSError as exc:
            if exc.errno not in NO_ROOM:
                raise
            _warn(f"cannot write the training cache entry {path} ({exc.strerror}); training is not kept")

    def clear(self) -> int:
        """Delete every entry (and lock and temporary) of figgen's; return how many entries there were.

        Files of other names (someone's own ``.npz`` in a shared folder) are never touched.
        """
        count = 0
        for entry in os.scandir(self.folder):
            ours = _ENTRY.match(entry.name) or is_temporary(entry.name)
            if ours and remove_file(Path(entry.path)):  # a regular file of figgen's name: never a link
                count += entry.name.endswith(".npz") and not is_temporary(entry.name)
        return count


def _warn(message: str) -> None:
    sink = WARNINGS.get()
    if sink is not None:
        sink.append(message)
    else:
        warnings.warn(message, FiggenWarning, stacklevel=3)


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        if name == CHECKSUM:
            continue
        value = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}:{value.dtype.str}:{value.shape}".encode())
        digest.update(value.tobytes())
    return digest.hexdigest()
