"""Files appear whole or not at all: written under a temporary name of figgen's own, then renamed into place.

Used for every file figgen writes (figures, manifest, gallery, cache entries), so an interrupted build or a
crash never leaves a half-written file where a reader (a browser, a docs build, the next build) looks.

A temporary is ``.figgen-tmp-<pid>-<n>.<name>`` beside its target: hidden, on the same file system (so the
rename is atomic), unmistakably figgen's, and tied to the process that writes it. The next figgen run in
that folder removes the temporaries of processes that no longer run (a SIGKILL or a power cut cannot clean
up); it never removes anything else: no folder, no link, no file without that exact form of name.
"""

from __future__ import annotations

import errno
import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from figgen.core.errors import FiggenError
from figgen.files.own import ANY_FILE, discard, is_temporary, move_into_place, remove_file, temporary_pid

_counter = itertools.count()


#: errno values that mean the machine cannot take the file (bad environment, not a figgen bug): exit 2.
NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


def temporary_path(path: str | os.PathLike) -> Path:
    """A fresh temporary name beside ``path`` (nothing is created)."""
    path = Path(path)
    return path.with_name(f".figgen-tmp-{os.getpid()}-{next(_counter)}.{path.name}")


@contextmanager
def atomic_path(path: str | os.PathLike, *, replaces: str | None = ANY_FILE) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place when the block succeeds.

    On any exception, KeyboardInterrupt included, the temporary is removed and the target is left as it
    was. The suffix of the target is kept at the end of the temporary name, for tools that look at it.
    A ``path`` that is itself a temporary (a staged output) is written directly: no temporary of a
    temporary. The target is replaced only if it is absent or a regular file, and with ``replaces`` only if
    it is what that says (:func:`figgen.files.own.move_into_place`).
    """
    path = Path(path)
    staged = is_temporary(path.name)
    tmp = path if staged else temporary_path(path)
    try:
        yield tmp
        if not staged and not move_into_place(tmp, path, replaces=replaces):
            changed = "" if replaces == ANY_FILE else ", or it changed since figgen looked at it"
            raise FiggenError(
                f"{path} is not a file figgen may replace (a link, a folder or a device{changed})"
            )
    except BaseException:
        discard(tmp)
        raise


def remove_leftovers(folder: str | os.PathLike) -> list[str]:
    """Delete the temporaries that dead figgen processes left in ``folder``; return their names.

    Only regular files (not links, not folders) named like figgen's temporaries, whose process no longer
    runs, are removed.
    """
    removed: list[str] = []
    folder = Path(folder)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        pid = temporary_pid(entry.name)
        if pid is not None and not _alive(pid):
            try:
                if remove_file(Path(entry.path)):
                    removed.append(entry.name)
            except OSError:
                continue
    return removed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, dead but not yet reaped by its parent, does not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def write_text_if_changed(path: str | os.PathLike, text: str) -> bool:
    """Write ``text`` to ``path`` atomically unless the file holds exactly it; return whether it wrote.

    An unchanged file keeps its modification time, so tools that watch files (docs builds) see no change.
    """
    path = Path(path)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return True


def environment_error(exc: OSError, what: str) -> FiggenError:
    """A one-line error for a file operation the machine refused (full disk, read-only, no permission)."""
    reason = exc.strerror or str(exc)
    return FiggenError(f"cannot write {what}: {reason}")
