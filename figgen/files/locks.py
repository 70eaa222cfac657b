"""Advisory locks: one build at a time in an output folder, one process per training run in the cache.

An output folder is locked through the folder itself (``flock`` on its directory descriptor), so a build
creates no lock file in a folder it may share with other people's files. A cache entry is locked through a
``.lock`` file beside it, in the cache folder figgen owns. Either lock goes with the process: a killed holder
never leaves it taken.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from figgen.core.errors import FiggenError


class Busy(FiggenError):
    """The lock is held by another process and the caller asked not to wait."""


def _hold(
    fd: int,
    what: Path,
    wait: bool,
    on_wait: Callable[[], None] | None,
    busy: str | None,
    poll: Callable[[], None] | None = None,
) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if not wait:
            raise Busy(busy or f"{what} is locked by another process") from None
        if on_wait is not None:
            on_wait()
        if poll is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
            return
        while True:  # a thread cannot be interrupted in flock(): it asks ``poll`` between tries
            poll()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                time.sleep(0.1)


@contextlib.contextmanager
def folder_lock(
    folder: Path,
    *,
    wait: bool = True,
    on_wait: Callable[[], None] | None = None,
    busy: str | None = None,
) -> Iterator[None]:
    """Hold an exclusive lock on an existing folder for the block, creating nothing in it.

    When another process holds it: raise :class:`Busy` (with the message ``busy``) if not ``wait``, else
    call ``on_wait`` once and wait.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise FiggenError(f"cannot use {folder} as an output folder: {exc.strerror or exc}") from None
    try:
        _hold(fd, Path(folder), wait, on_wait, busy)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def file_lock(path: Path, poll: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a lock file, created if missing) for the block; wait for it.

    ``poll``, if given, is called every tenth of a second while waiting; it may raise to stop waiting.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise FiggenError(f"cannot lock {path}: {exc.strerror or exc}") from None
    try:
        _hold(fd, Path(path), True, None, None, poll)
        yield
    finally:
        os.close(fd)
