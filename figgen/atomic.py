"""Files appear whole or not at all: written under a hidden temporary name, then renamed into place.

Used for every file figgen writes (figures, manifest, gallery, cache entries), so an interrupted build or a
crash never leaves a half-written file where a reader (a browser, a docs build, the next build) looks.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_temp_counter = itertools.count()


def _remove(path: Path) -> None:
    """Delete a file or folder if it exists."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a hidden temporary path beside ``path``; rename it into place when the block succeeds.

    The temporary name is ``.<stem>.tmp-<pid>-<n><suffix>`` in the same folder (same file system,
    so the rename is atomic, and the suffix stays for tools that look at it). On any exception,
    KeyboardInterrupt included, the temporary file or folder is removed and the target is left as
    it was. A folder written at the temporary path replaces a folder at ``path``: the old one is
    moved aside first, then deleted, so readers never see a half-written folder.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp-{os.getpid()}-{next(_temp_counter)}{path.suffix}")
    try:
        yield tmp
        if tmp.is_dir():
            old = path.with_name(f".{path.stem}.old-{os.getpid()}-{next(_temp_counter)}")
            if path.exists():
                os.replace(path, old)
            os.replace(tmp, path)
            _remove(old)
        else:
            os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise


_LEFTOVER = re.compile(r"^\..+\.(tmp|old)-(\d+)-\d+")


def remove_leftovers(folder: str | os.PathLike) -> list[str]:
    """Delete temporaries that a killed process left in ``folder`` (its pid no longer runs); return names.

    A process stopped by SIGKILL or a power cut cannot clean up; the next build does it here.
    """
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        match = _LEFTOVER.match(path.name)
        if match and not _alive(int(match.group(2))):
            _remove(path)
            removed.append(path.name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_text_if_changed(path: str | os.PathLike, text: str) -> bool:
    """Write ``text`` to ``path`` atomically unless the file holds exactly it; return whether it wrote.

    An unchanged file keeps its modification time, so tools that watch files (docs builds) see no change.
    """
    path = Path(path)
    try:
        if path.read_text() == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return True
