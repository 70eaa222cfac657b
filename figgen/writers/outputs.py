"""The files one recipe writes: which formats, where (never outside the output folder), and their records.

An output has a kind: an *animation* is written in the build's animation formats (default GIF, MP4 and the
HTML player) plus a *filmstrip* still of its key frames (PNG and PDF, for printed handouts); a *still* in the
still formats (default PNG and SVG). ``--formats`` picks among the registered formats of each kind. Every
file written gets a record for the manifest: its format, pixel size, frames, bytes, sha256 and alt text.

Files are *staged*: written whole under a temporary name beside their final one (``staged`` pairs them).
The build swaps them in with the recipe's manifest entry (:meth:`~figgen.builder.folder.OutputFolder.commit`),
or
discards them if the recipe fails, so a recipe's outputs change together or not at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from figgen.core.errors import FiggenError
from figgen.core.progress import Progress, TaskProgress
from figgen.core.themes import Preset, Theme
from figgen.files.atomic import temporary_path
from figgen.files.own import discard
from figgen.writers._base import formats, write_animations, write_still
from figgen.writers.record import OutputRecord

# What a build writes when given no --formats (a docs page has defaults of its own: pages.PAGE_FORMATS)
BUILD_FORMATS = {"animation": ("gif", "mp4", "html"), "still": ("png", "svg"), "filmstrip": ("png", "pdf")}
FILMSTRIP_FORMATS = ("png", "pdf")  # raster key frames for print: no point in an SVG wrapper
FILMSTRIP = "_filmstrip"  # an animation's filmstrip still is named the animation's name with this suffix


def formats_for(kind: str, chosen: Sequence[str] | None) -> tuple[str, ...]:
    """The formats an output of ``kind`` is written in, given the build's ``--formats`` (None: defaults)."""
    if chosen is None:
        return BUILD_FORMATS[kind]
    allowed = FILMSTRIP_FORMATS if kind == "filmstrip" else formats(kind)
    return tuple(f for f in chosen if f in allowed)


def output_names(declared: dict[str, str], chosen: Sequence[str] | None) -> list[str]:
    """The file names a recipe with these OUTPUTS may write for the build's formats (filmstrips included)."""
    return [name for name, _ in output_files(declared, chosen)]


def output_files(declared: dict[str, str], chosen: Sequence[str] | None) -> list[tuple[str, str]]:
    """Each file name of :func:`output_names` with the output that writes it, in words ("its still x",
    "its animation x", "the filmstrip of its animation x"): for errors naming both writers of one name."""
    files = []
    for stem, kind in declared.items():
        files += [(f"{stem}.{fmt}", f"its {kind} {stem}") for fmt in formats_for(kind, chosen)]
        if kind == "animation":
            strip = f"the filmstrip of its animation {stem}"
            files += [(f"{stem}{FILMSTRIP}.{fmt}", strip) for fmt in formats_for("filmstrip", chosen)]
    return files


@dataclass
class OutputSet:
    """The outputs of one recipe run: writes them into ``folder`` and keeps a record of each file."""

    recipe: str
    declared: dict[str, str]  # output stem -> "animation" | "still", from the recipe's OUTPUTS
    folder: Path
    theme: Theme
    preset: Preset
    formats: tuple[str, ...] | None = None  # the build's --formats; None: the defaults of each kind
    pace: float = 1.0  # every frame shows this many times as long (2: a slower lecture; 0.5: a thumbnail)
    progress: TaskProgress | None = None  # hears of "frames of STEM" as they are drawn
    records: list[OutputRecord] = field(default_factory=list)
    staged: list[tuple[str, str]] = field(default_factory=list)  # (temporary name, final name) in ``folder``

    def figure(self, stem: str, fig, *, alt: str) -> None:
        """Write a matplotlib Figure as the still ``stem``, in the still formats of the build."""
        from figgen.figures.style import matplotlib_style

        self._check(stem, "still", alt)
        with matplotlib_style(self.theme, self.preset):  # savefig reads facecolor, transparency, fonts
            self._write_still(stem, fig, alt, "still")

    def image(self, stem: str, frame: np.ndarray, *, alt: str) -> None:
        """Write a uint8 RGB(A) frame as the still ``stem``."""
        self._check(stem, "still", alt)
        self._write_still(stem, frame, alt, "still")

    def animation(
        self,
        stem: str,
        frames: Callable[[], Iterable[np.ndarray]],
        *,
        alt: str,
        durations_ms: float | Sequence[float] = 250,
        hold_last_ms: float = 2000,
        keyframes: Sequence[int] = (),
        keyframe_labels: Sequence[str] = (),
        captions: Sequence[str] | None = None,
    ) -> None:
        """Write an animation in the animation formats of the build, plus a filmstrip of its key frames.

        ``frames`` is a function returning an iterable of frames; each frame is drawn once and handed to
        the writer of every format, so frames are never all held in memory. ``keyframes`` (indices; -1 is
        the last frame) with their ``keyframe_labels`` make the filmstrip. ``captions``, one per frame, are
        the text the HTML player shows under each frame.
        """
        self._check(stem, "animation", alt)
        kept: dict[int, np.ndarray] = {}
        wanted = set(keyframes)

        def stream():
            last = None
            for i, frame in enumerate(frames()):
                if i in wanted and i not in kept:
                    kept[i] = frame
                last = (i, frame)
                yield frame
            if last is not None and -1 in wanted:
                kept[-1] = last[1]

        chosen = formats_for("animation", self.formats)
        count = None if isinstance(durations_ms, int | float) else len(durations_ms)  # frames, for progress
        if self.pace != 1:
            paced = np.asarray(durations_ms, np.float64) * self.pace
            durations_ms = float(paced) if paced.ndim == 0 else paced.tolist()
            hold_last_ms *= self.pace
        if chosen:
            temporaries = [self._stage(stem, fmt) for fmt in chosen]
            infos = write_animations(
                list(zip(temporaries, chosen, strict=True)),
                stream(),
                durations_ms=durations_ms,
                hold_last_ms=hold_last_ms,
                captions=captions,
                alt=alt,
                matte=self.theme.slide or (255, 255, 255),
                slide=self.theme.slide,
                progress=self._frames_progress(stem, count),
            )
            for fmt, info, tmp in zip(chosen, infos, temporaries, strict=True):
                self._record(stem, fmt, "animation", alt, info, tmp)
        if not chosen and wanted:
            for _ in stream():  # no animation asked, but its filmstrip is
                pass
        if wanted:
            from figgen.draw import filmstrip

            picked = [kept[i] for i in keyframes if i in kept]
            labels = list(keyframe_labels)[: len(picked)]
            strip = filmstrip(picked, labels, self.theme, self.preset)
            shown = f" ({', '.join(labels)}, left to right)" if labels else ""
            self._write_still(
                stem + FILMSTRIP,
                strip,
                f"{len(picked)} key frames of the animation{shown}: {alt}",
                "filmstrip",
            )

    def missing(self) -> list[str]:
        """Declared outputs that were not written although the build asked for formats of their kind."""
        written = {r.output for r in self.records}
        return [
            s for s, kind in self.declared.items() if s not in written and formats_for(kind, self.formats)
        ]

    def discard(self) -> None:
        """Remove every staged file (the recipe failed or was interrupted)."""
        for tmp, _ in self.staged:
            discard(self.folder / tmp)
        self.staged.clear()
        self.records.clear()

    def _write_still(self, stem: str, content, alt: str, kind: str) -> None:
        for fmt in formats_for(kind, self.formats):
            tmp = self._stage(stem, fmt)
            info = write_still(tmp, content, fmt)
            self._record(stem, fmt, kind, alt, info, tmp)

    def _stage(self, stem: str, fmt: str) -> Path:
        final = self._path(stem, fmt)
        if any(name == final.name for _, name in self.staged):
            raise FiggenError(f"recipe {self.recipe!r} writes {final.name} twice")
        return temporary_path(final)

    def _check(self, stem: str, kind: str, alt: str) -> None:
        if self.declared.get(stem) != kind:
            raise FiggenError(
                f"recipe {self.recipe!r} writes {kind} {stem!r}, which its OUTPUTS do not declare as {kind!r}"
            )
        if not alt or not alt.strip():
            raise FiggenError(f"recipe {self.recipe!r}: output {stem!r} needs an alt text")

    def _frames_progress(self, stem: str, count: int | None) -> Progress | None:
        """Progress of an animation's frames, named for ``stem`` (``count``: the frames, if known)."""
        listener = self.progress
        if listener is None:
            return None

        def progress(done: int, total: int | None) -> None:
            listener(f"frames of {stem}", done, total or count)

        return progress

    def _path(self, stem: str, fmt: str) -> Path:
        path = (self.folder / f"{stem}.{fmt}").resolve()
        if path.parent != self.folder.resolve():
            raise FiggenError(f"output {stem!r} would leave the output folder")
        return path

    def _record(self, stem: str, fmt: str, kind: str, alt: str, info: dict, tmp: Path) -> None:
        final = self._path(stem, fmt)
        self.staged.append((tmp.name, final.name))
        self.records.append(
            OutputRecord(
                recipe=self.recipe,
                output=stem,
                path=final.name,
                format=fmt,
                kind=kind,
                sha256=hashlib.sha256(tmp.read_bytes()).hexdigest(),
                bytes=info["bytes"],
                width=info["width"],
                height=info["height"],
                frames=info.get("frames"),
                alt=alt,
            )
        )
