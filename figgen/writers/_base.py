"""The writer registry, the two writer protocols, and ``write_animation``/``write_still`` that drive them.

An animation writer streams: ``setup`` → ``grab_frame`` … → ``finish`` (``cleanup`` always), driven through
:meth:`AnimationWriter.saving`, so no format holds every frame in memory. A still writer writes one image in
one call. Each writer says whether it can run here (:meth:`unavailable`), so a build refuses a format this
machine cannot write before it starts rather than in the middle. A new format is one registered class.
"""

from __future__ import annotations

import abc
import contextlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import numpy as np

from figgen.core.errors import FiggenError, unknown
from figgen.core.progress import Progress
from figgen.files.atomic import atomic_path

WRITERS: dict[str, type[Writer]] = {}
_WriterClass = TypeVar("_WriterClass", bound="type[Writer]")


def register(name: str) -> Callable[[_WriterClass], _WriterClass]:
    """Class decorator: make a writer available under ``name`` (its format and file suffix)."""

    def decorate(cls: _WriterClass) -> _WriterClass:
        cls.name = name
        WRITERS[name] = cls
        return cls

    return decorate


def get_writer(name: str) -> type[Writer]:
    """The writer class registered as ``name``; an unknown name raises FiggenError with a suggestion."""
    try:
        return WRITERS[name]
    except (KeyError, TypeError):
        raise unknown("format", name, WRITERS) from None


def formats(kind: str | None = None) -> tuple[str, ...]:
    """The registered formats (of one kind, "animation" or "still"), in registration order."""
    return tuple(name for name, cls in WRITERS.items() if kind is None or cls.kind == kind)


def file_suffixes() -> tuple[str, ...]:
    """The suffixes of the files the writers write: each format's name, and the suffixes of the files of a
    format that writes several (the ``frames`` format's ``.tex``, ``.txt`` and ``.png``)."""
    found = [suffix for name, cls in WRITERS.items() for suffix in (cls.suffixes or (name,))]
    return tuple(dict.fromkeys(found))


def check_available(names: Iterable[str]) -> None:
    """Raise a one-line FiggenError for the first format that is unknown or cannot be written here."""
    for name in names:
        reason = get_writer(name).unavailable()
        if reason:
            raise FiggenError(f"format '{name}' cannot be written on this machine: {reason}")


class Writer:
    """What every format says of itself: its kind, its name, how a page shows it, whether it runs here."""

    kind: ClassVar[str] = "?"  # "animation" or "still"
    name: ClassVar[str] = "?"  # the format and file suffix, set by @register
    shown_as: ClassVar[str] = "img"  # how a page shows the file: "img", "video", "frame" or "link"
    suffixes: ClassVar[tuple[str, ...]] = ()  # the suffixes of its files when they are not its name

    @classmethod
    def unavailable(cls) -> str | None:
        """Why this format cannot be written on this machine, or None when it can."""
        return None


class AnimationWriter(Writer, abc.ABC):
    """A streaming animation writer: ``setup`` → ``grab_frame`` … → ``finish``, through :meth:`saving`.

    ``setup`` gets the (temporary) path and the frame size in pixels; every frame has that size.
    ``grab_frame`` gets a uint8 RGB or RGBA frame and how long it shows. ``finish`` completes the file and
    returns extra info (e.g. the frames actually stored); ``cleanup`` releases files and processes and runs
    whether or not ``finish`` did.
    """

    kind: ClassVar[str] = "animation"

    @abc.abstractmethod
    def setup(self, path: Path, width: int, height: int, **options: Any) -> None: ...

    @abc.abstractmethod
    def grab_frame(self, frame: np.ndarray, duration_ms: float) -> None: ...

    @abc.abstractmethod
    def finish(self) -> dict: ...

    def cleanup(self) -> None:  # optional hook: most writers have nothing to release
        """Release resources; safe to call more than once."""

    @contextmanager
    def saving(self, path: Path, width: int, height: int, **options: Any) -> Iterator[AnimationWriter]:
        """Set up, yield the writer for ``grab_frame`` calls, then finish; always clean up."""
        self.info: dict = {}
        self.setup(path, width, height, **options)
        try:
            yield self
            self.info = self.finish()
        finally:
            self.cleanup()


@dataclass
class HeldFrame:
    """A frame a writer holds back until the next one shows whether it changed: an unchanged frame adds its
    duration to it instead of being stored (GIF and WebP merge repeats so)."""

    frame: np.ndarray
    duration_ms: float


class StillWriter(Writer, abc.ABC):
    """A still image written in one call: a matplotlib Figure or a uint8 frame."""

    kind: ClassVar[str] = "still"

    @abc.abstractmethod
    def write(self, path: Path, content: Any, **options: Any) -> tuple[int, int]:
        """Write ``content`` to ``path``; return its (width, height) in pixels."""


#: What makes ``durations_ms`` one duration for every frame rather than one per frame: an int, a float or a
#: numpy scalar.
_ONE_DURATION = (int, float, np.generic)


def _durations(durations_ms: float | Sequence[float]) -> Iterator[float]:
    """An endless stream of durations from a constant, or the items of a sequence then an error."""
    if isinstance(durations_ms, _ONE_DURATION):
        value = float(durations_ms)
        if not value > 0:
            raise ValueError(f"frame duration must be positive, got {durations_ms} ms")
        return itertools.repeat(value)

    def items() -> Iterator[float]:
        for value in durations_ms:
            if not float(value) > 0:
                raise ValueError(f"frame duration must be positive, got {value} ms")
            yield float(value)
        raise ValueError(f"more frames than the {len(durations_ms)} durations given")

    return items()


def _frame_rate(durations_ms: float | Sequence[float], hold_last_ms: float) -> float:
    """The video frame rate for these durations: one frame a duration when they are all the same, else
    the slowest whole rate up to 60 fps at which each duration (and the last one's hold) is a whole number
    of frames, so no frame is stretched or cut, else 25 fps (durations rounded on the running total)."""
    if isinstance(durations_ms, _ONE_DURATION):
        return min(60.0, max(1.0, 1000 / float(durations_ms)))
    values = [float(d) for d in durations_ms]
    if values:
        values.append(values[-1] + hold_last_ms)
    for fps in range(1, 61):
        if all((v * fps / 1000).is_integer() for v in values):
            return float(fps)
    return 25.0


def _check_frame(frame: np.ndarray, shape: tuple[int, ...] | None, index: int) -> np.ndarray:
    frame = np.asarray(frame)
    if frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[2] not in (3, 4):
        raise ValueError(f"frame {index}: expected uint8 (H, W, 3|4), got {frame.dtype} {frame.shape}")
    if shape is not None and frame.shape != shape:
        raise ValueError(f"frame {index} is {frame.shape}, the first frame was {shape}")
    return np.ascontiguousarray(frame)


def write_animation(
    path: str | os.PathLike,
    frames: Iterable[np.ndarray],
    fmt: str,
    **options: Any,
) -> dict:
    """Write frames as an animation in format ``fmt``: :func:`write_animations` with one target."""
    return write_animations([(path, fmt)], frames, **options)[0]


def write_animations(
    targets: Sequence[tuple[str | os.PathLike, str]],
    frames: Iterable[np.ndarray],
    *,
    durations_ms: float | Sequence[float] = 100,
    hold_last_ms: float = 1500,
    loop: int | None = 0,
    fps: float | None = None,
    captions: Sequence[str] | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> list[dict]:
    """Write frames (consumed one at a time, a generator is fine) as animations, one per ``(path, format)``.

    Each frame is made once and handed to every target's writer in turn, so drawing costs the same for one
    format as for several, and only one frame is held at a time.
    ``durations_ms`` is one duration for every frame or one per frame (a length mismatch is an
    error). The last frame shows for its duration plus ``hold_last_ms``. ``loop`` 0 repeats forever,
    N repeats N more times, None plays once (GIF and WebP; video players decide for MP4). ``fps``
    is the MP4 frame rate (default: 1000 / duration for a constant duration, else the slowest whole rate
    up to 60 fps that shows every duration as whole frames, else 25); frames are repeated to honour
    durations. ``captions`` (one text per frame) reach writers that show text beside
    the picture (the HTML player); ``alt`` and other ``options`` go to the writers, which ignore what they
    do not use. ``progress(i, n)`` is called after each frame (n is None for an unsized iterable).
    RGBA frames need a format with transparency (GIF, WebP, PNG, HTML); MP4 composites them over white.
    Returns, per target, ``{"width", "height", "frames", "bytes", "format"}``; ``frames`` counts frames
    stored in the file (after merging of unchanged frames, where the format does that).
    The files appear only when all are complete; any error leaves no file and no temporary behind.
    """
    classes: list[type[AnimationWriter]] = []
    for cls in [get_writer(fmt) for _, fmt in targets]:
        if not issubclass(cls, AnimationWriter):
            raise ValueError(f"format '{cls.name}' is a still image; use write_still")
        classes.append(cls)
    if not targets:
        raise ValueError("no animation format to write")
    if hold_last_ms < 0:
        raise ValueError(f"hold_last_ms must be >= 0, got {hold_last_ms}")
    total = len(frames) if isinstance(frames, Sized) else None
    durations = _durations(durations_ms)  # first: a duration of 0 is refused before the rate divides by it
    if fps is None:
        fps = _frame_rate(durations_ms, hold_last_ms)
    stream = iter(frames)
    paths = [Path(path) for path, _ in targets]
    if captions is not None:
        options["captions"] = captions
    with contextlib.ExitStack() as files:
        temporaries = [files.enter_context(atomic_path(path)) for path in paths]
        try:
            first = _check_frame(next(stream), None, 0)
        except StopIteration:
            raise ValueError("no frames to write") from None
        height, width = first.shape[:2]
        writers = [cls() for cls in classes]
        with contextlib.ExitStack() as saving:  # every writer finishes, or all are cleaned up
            for writer, tmp in zip(writers, temporaries, strict=True):
                saving.enter_context(writer.saving(tmp, width, height, loop=loop, fps=fps, **options))
            # One frame of lookahead: a frame is handed on only once we know whether it is the last.
            pending, pending_ms, count = first, next(durations), 1
            for count, frame in enumerate(stream, start=2):
                frame = _check_frame(frame, first.shape, count - 1)
                for writer in writers:
                    writer.grab_frame(pending, pending_ms)
                if progress is not None:
                    progress(count - 1, total)
                pending, pending_ms = frame, next(durations)
            if not isinstance(durations_ms, _ONE_DURATION) and len(durations_ms) != count:
                raise ValueError(f"{count} frames but {len(durations_ms)} durations")
            if captions is not None and len(captions) != count:
                raise ValueError(f"{count} frames but {len(captions)} captions")
            for writer in writers:
                writer.grab_frame(pending, pending_ms + hold_last_ms)
            if progress is not None:
                progress(count, total)
    return [
        {
            "format": cls.name,
            "width": width,
            "height": height,
            "frames": count,
            **writer.info,
            "bytes": path.stat().st_size,
        }
        for cls, writer, path in zip(classes, writers, paths, strict=True)
    ]


def write_still(path: str | os.PathLike, content: Any, fmt: str, **options: Any) -> dict:
    """Write a matplotlib Figure or a uint8 frame as a still image in format ``fmt``, atomically.

    Returns ``{"format", "width", "height", "bytes"}`` (pixels; for a figure, its size at its dpi).
    """
    writer_cls = get_writer(fmt)
    if not issubclass(writer_cls, StillWriter):
        raise ValueError(f"format '{fmt}' is an animation; use write_animation")
    path = Path(path)
    with atomic_path(path) as tmp:
        width, height = writer_cls().write(tmp, content, **options)
    return {"format": fmt, "width": width, "height": height, "bytes": path.stat().st_size}
