"""How figgen's work reports how far it has got: the callback protocols, in one place.

Work that counts (a training's updates, an animation's frames) calls a :class:`Progress` with what it has
done of how much. Someone who hears several kinds of work (a recipe's, through its context) takes a
:class:`TaskProgress`, which adds the task's name ("training", "frames of weights_evolution"). A build tells
its caller what happens (recipes started, outputs written, progress, warnings) through :class:`BuildEvents`.
None of them may raise; none is called from a thread other than the caller's.
"""

from __future__ import annotations

from typing import Any, Protocol


class Progress(Protocol):
    """``done`` of ``total`` units of one piece of work (``total`` None: not known yet)."""

    def __call__(self, done: int, total: int | None, /) -> None: ...


class TaskProgress(Protocol):
    """A :class:`Progress` for several pieces of work, each named by its ``task``."""

    def __call__(self, task: str, done: int, total: int | None, /) -> None: ...


class BuildEvents(Protocol):
    """One event of a build, with what it carries (see :func:`figgen.builder.build.build`)."""

    def __call__(self, event: str, /, **info: Any) -> None: ...


def for_task(listener: TaskProgress | None, task: str) -> Progress | None:
    """A :class:`Progress` that tells ``listener`` of ``task``, or None when no one listens."""
    if listener is None:
        return None

    def progress(done: int, total: int | None) -> None:
        listener(task, done, total)

    return progress


def no_events(event: str, /, **info: Any) -> None:
    """The :class:`BuildEvents` of a caller who listens to none."""
