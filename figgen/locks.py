"""One advisory file lock, used by the output folder (one build at a time) and the training cache (one
process trains a given run while the others wait for its result)."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Callable, Iterator
from pathlib import Path

from figgen.errors import FiggenError


class Busy(FiggenError):
    """The lock is held by another process and the caller asked not to wait."""


@contextlib.contextmanager
def file_lock(
    path: Path,
    *,
    wait: bool = True,
    on_wait: Callable[[], None] | None = None,
    busy: str | None = None,
) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing) for the block.

    When another process holds it: raise :class:`Busy` (with the message ``busy``) if not ``wait``, else
    call ``on_wait`` once and wait. The lock goes with the process, so a killed holder never leaves it taken.
    """
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise Busy(busy or f"{path} is locked by another process") from None
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
