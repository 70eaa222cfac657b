"""The files one recipe writes: which formats, where (never outside the output folder), and their records.

An output has a kind: an *animation* is written in the build's animation formats (default GIF, MP4 and the
HTML player) plus a *filmstrip* still of its key frames (PNG and PDF, for printed handouts) and a *poster*:
one chosen frame (the last by default) as ``STEM_poster.png``, which a page's ``<video>`` shows before it
plays; a *still* in the still formats (default PNG and SVG). ``--formats`` picks among the registered formats
of each kind; the poster comes with any animation format and with PNG. An *explorable* is one self-contained
interactive HTML page (:mod:`figgen.writers.explorable`) with a still of its initial state as its poster,
``STEM_poster.png``, which places that run no page show. The opt-in ``frames`` format writes
an animation's frames as PNGs with a LaTeX snippet (:mod:`figgen.writers.frames`; kind *frames*). Every
file written gets a record for the manifest: its format, pixel size, frames, bytes, sha256 and alt text.

Files are *staged*: written whole under a temporary name beside their final one (``staged`` pairs them).
The build swaps them in with the recipe's manifest entry (:meth:`~figgen.builder.folder.OutputFolder.commit`),
or
discards them if the recipe fails, so a recipe's outputs change together or not at all.
"""

from __future__ import annotations

import collections
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
from figgen.writers.explorable import ExplorablePage, page_size, render_explorable
from figgen.writers.frames import FRAMES, frame_name
from figgen.writers.record import OutputRecord

EXPLORABLE_FORMATS = ("html",)  # an explorable page (its still is its poster: STEM_poster.png)
# What a build writes when given no --formats (a docs page has defaults of its own: pages.PAGE_FORMATS)
BUILD_FORMATS = {
    "animation": ("gif", "mp4", "html"),
    "still": ("png", "svg"),
    "filmstrip": ("png", "pdf"),
    "poster": ("png",),
    "explorable": EXPLORABLE_FORMATS,
}
FILMSTRIP_FORMATS = ("png", "pdf")  # raster key frames for print: no point in an SVG wrapper
FILMSTRIP = "_filmstrip"  # an animation's filmstrip still is named the animation's name with this suffix
POSTER_FORMATS = (
    "png",
)  # the one frame a <video>, a slide or a notebook shows before (or instead of) playing
POSTER = "_poster"  # an animation's poster still: STEM_poster.png


def formats_for(kind: str, chosen: Sequence[str] | None) -> tuple[str, ...]:
    """The formats an output of ``kind`` is written in, given the build's ``--formats`` (None: defaults).

    A poster is written with any animation format (a page shows it before the animation plays, or instead
    of it where nothing plays: print, a notebook turned into a PDF) and with PNG; an explorable's still is
    its poster, so it comes with the page (``html``) and with PNG too."""
    if chosen is None:
        return BUILD_FORMATS[kind]
    if kind == "poster":
        wanted = any(f == "png" or f in formats("animation") for f in chosen)
        return POSTER_FORMATS if wanted else ()
    allowed = {"filmstrip": FILMSTRIP_FORMATS, "explorable": EXPLORABLE_FORMATS}.get(kind) or formats(kind)
    return tuple(f for f in chosen if f in allowed)


def explorable_still(chosen: Sequence[str] | None) -> tuple[str, ...]:
    """The formats of an explorable's still (its poster) for the build's ``--formats``: PNG, with the page
    (``html``) or with ``png``; a build of other formats (``gif``) writes neither."""
    wanted = chosen is None or any(f in (*EXPLORABLE_FORMATS, "png") for f in chosen)
    return POSTER_FORMATS if wanted else ()


def file_name(stem: str, fmt: str) -> str:
    """The file an output ``stem`` is written to in format ``fmt``: ``stem.fmt``, but for the ``frames``
    format its LaTeX snippet, ``STEM_frames.tex`` (the frames beside it are ``STEM_frame_K.png``)."""
    return f"{stem}{FRAMES}.tex" if fmt == "frames" else f"{stem}.{fmt}"


def output_names(declared: dict[str, str], chosen: Sequence[str] | None) -> list[str]:
    """The file names a recipe with these OUTPUTS may write for the build's formats (filmstrips included)."""
    return [name for name, _ in output_files(declared, chosen)]


def output_files(declared: dict[str, str], chosen: Sequence[str] | None) -> list[tuple[str, str]]:
    """Each file name of :func:`output_names` with the output that writes it, in words ("its still x",
    "its animation x", "the filmstrip of its animation x"): for errors naming both writers of one name."""
    files = []
    for stem, kind in declared.items():
        files += [(file_name(stem, fmt), f"its {kind} {stem}") for fmt in formats_for(kind, chosen)]
        if kind == "animation":
            strip = f"the filmstrip of its animation {stem}"
            files += [(f"{stem}{FILMSTRIP}.{fmt}", strip) for fmt in formats_for("filmstrip", chosen)]
            poster = f"the poster of its animation {stem}"
            files += [(f"{stem}{POSTER}.{fmt}", poster) for fmt in formats_for("poster", chosen)]
            if "frames" in formats_for(kind, chosen):  # the first frame: how many follow is known only later
                files.append((frame_name(stem, 0), f"the frames of its animation {stem}"))
        elif kind == "explorable":
            still = f"the still of its explorable {stem}"
            files += [(f"{stem}{POSTER}.{fmt}", still) for fmt in explorable_still(chosen)]
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
        poster: int = -1,
    ) -> None:
        """Write an animation in the animation formats of the build, plus a filmstrip of its key frames and
        its poster.

        ``frames`` is a function returning an iterable of frames; each frame is drawn once and handed to
        the writer of every format, so frames are never all held in memory. ``keyframes`` (indices; -1 is
        the last frame) with their ``keyframe_labels`` make the filmstrip. ``captions``, one per frame, are
        the text the HTML player shows under each frame. ``poster`` is the index of the frame written as
        ``STEM_poster.png`` (from 0; negative counts from the end: -1, the default, is the last frame).
        """
        self._check(stem, "animation", alt)
        if isinstance(poster, bool) or not isinstance(poster, int | np.integer):
            raise FiggenError(
                f"recipe {self.recipe!r}: the poster of {stem!r} must be a frame's index, got {poster!r}"
            )
        poster = int(poster)
        kept: dict[int, np.ndarray] = {}
        wanted = set(keyframes)
        posters = formats_for("poster", self.formats)
        tail: collections.deque[np.ndarray] = collections.deque(maxlen=-poster if poster < 0 else 0)
        count = 0

        def stream():
            nonlocal count
            last = None
            for i, frame in enumerate(frames()):
                if (i in wanted or (posters and i == poster)) and i not in kept:
                    kept[i] = frame
                if posters and poster < 0:
                    tail.append(frame)
                last = (i, frame)
                count = i + 1
                yield frame
            if last is not None and -1 in wanted:
                kept[-1] = last[1]

        chosen = formats_for("animation", self.formats)
        sized = None if isinstance(durations_ms, int | float) else len(durations_ms)  # frames, for progress
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
                progress=self._frames_progress(stem, sized),
                stem=stem,
                stage=self._stage_file,
                poster=poster,
            )
            for fmt, info, tmp in zip(chosen, infos, temporaries, strict=True):
                self._record(stem, fmt, "animation", alt, info, tmp)
                if fmt == "frames":
                    self._record_frames(stem, alt, info)
        if not chosen and (wanted or posters):
            for _ in stream():  # no animation asked, but its filmstrip or its poster is
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
        if posters:
            index = poster if poster >= 0 else count + poster
            frame = kept.get(poster) if poster >= 0 else (tail[0] if len(tail) == -poster else None)
            if frame is None:
                raise FiggenError(
                    f"recipe {self.recipe!r}: the poster of {stem!r} is frame {poster}, but it has {count} "
                    f"frame{'s' if count != 1 else ''}"
                )
            which = "The last frame" if index == count - 1 else f"Frame {index + 1} of {count}"
            self._write_still(stem + POSTER, frame, f"{which} of the animation: {alt}", "poster")

    def explorable(
        self, stem: str, page: ExplorablePage | str, *, alt: str, still, size: tuple[int, int] | None = None
    ) -> None:
        """Write the explorable page ``stem`` (``STEM.html``) and its still (``STEM_poster.png``).

        ``page`` is an :class:`~figgen.writers.explorable.ExplorablePage`, put in the shell in this build's
        theme and preset, or a finished page as text (then ``size``, its width and height in CSS pixels, is
        required). ``still`` is a uint8 frame or a matplotlib Figure of the page's initial state: what a
        LaTeX or EPUB build, a slide deck or a notebook printed to PDF shows instead of the page.
        """
        self._check(stem, "explorable", alt)
        if isinstance(page, ExplorablePage):
            html, (width, height) = (
                render_explorable(page, self.theme, self.preset, alt),
                page_size(page, self.preset),
            )
        elif isinstance(page, str) and size is not None:
            html, (width, height) = page, (int(size[0]), int(size[1]))
        else:
            raise FiggenError(
                f"recipe {self.recipe!r}: explorable {stem!r} needs an ExplorablePage, or a page as text "
                "with its size=(width, height)"
            )
        for fmt in formats_for("explorable", self.formats):
            tmp = self._stage(stem, fmt)
            tmp.write_text(html, encoding="utf-8")
            self._record(stem, fmt, "explorable", alt, {"width": width, "height": height}, tmp)
        if explorable_still(self.formats):
            if hasattr(still, "savefig"):
                from figgen.figures.style import matplotlib_style

                with matplotlib_style(self.theme, self.preset):
                    self._write_still(stem + POSTER, still, f"The page's first state: {alt}", "poster")
            else:
                self._write_still(stem + POSTER, still, f"The page's first state: {alt}", "poster")

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

    def _stage_file(self, name: str) -> Path:
        """A temporary for the file ``name`` of a format that writes several (the frames), staged at once so
        that a failure discards it; its record comes when the format is done (:meth:`_record_frames`)."""
        final = self._within(name)
        if any(staged == name for _, staged in self.staged):
            raise FiggenError(f"recipe {self.recipe!r} writes {name} twice")
        tmp = temporary_path(final)
        self.staged.append((tmp.name, name))
        return tmp

    def _record_frames(self, stem: str, alt: str, info: dict) -> None:
        """Records of the files the frames format wrote besides its snippet: each frame, and its timeline."""
        count = info["frames"]
        for tmp, name, width, height in info["files"]:
            if name.endswith(".png"):
                index = int(name.rsplit("_", 1)[1].removesuffix(".png"))
                fmt, what = "png", f"Frame {index + 1} of {count} of the animation"
            else:
                fmt, what = "txt", f"The timeline of the {count} frames of the animation"
            what += f", for LaTeX's animate package: {alt}"
            self.records.append(
                self._make_record(stem + FRAMES, name, fmt, "frames", what, width, height, None, tmp)
            )

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
        return self._within(file_name(stem, fmt), stem)

    def _within(self, name: str, stem: str | None = None) -> Path:
        path = (self.folder / name).resolve()
        if path.parent != self.folder.resolve():
            raise FiggenError(f"output {stem or name!r} would leave the output folder")
        return path

    def _record(self, stem: str, fmt: str, kind: str, alt: str, info: dict, tmp: Path) -> None:
        final = self._path(stem, fmt)
        self.staged.append((tmp.name, final.name))
        width, height, frames = info["width"], info["height"], info.get("frames")
        self.records.append(self._make_record(stem, final.name, fmt, kind, alt, width, height, frames, tmp))

    def _make_record(
        self, stem: str, name: str, fmt: str, kind: str, alt: str, width: int, height: int, frames, tmp: Path
    ) -> OutputRecord:
        data = tmp.read_bytes()
        return OutputRecord(
            recipe=self.recipe,
            output=stem,
            path=name,
            format=fmt,
            kind=kind,
            sha256=hashlib.sha256(data).hexdigest(),
            bytes=len(data),
            width=width,
            height=height,
            frames=frames,
            alt=alt,
        )
