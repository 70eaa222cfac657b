"""A frame sequence for LaTeX's ``animate`` package (Beamer's ``\\animategraphics``): PNG frames, a snippet.

The ``frames`` format is opt-in (``--formats frames``). For an animation ``STEM`` it writes, flat in the
output folder:

* ``STEM_frame_0.png`` … ``STEM_frame_{N-1}.png``: the frames, as the GIF stores them (an unchanged frame
  adds its duration to the one before, so the sequence and the GIF have the same frames);
* ``STEM_frames.tex``: ``\\animategraphics[loop,controls,width=\\linewidth]{FPS}{STEM_frame_}{0}{N-1}``,
  ready to ``\\input``, with the frame rate of the durations;
* ``STEM_frames.txt``, only when the frames do not all show equally long (a first frame that waits, the last
  one's hold): animate's timeline, one line per frame, giving each its own rate (``:RATE:INDEX``). The
  snippet names it (``timeline=STEM_frames.txt``), so every frame shows as long as in the GIF.

animate looks for the frames and the timeline on LaTeX's ``\\graphicspath`` (or beside the document), so a
deck keeps them in a folder of its own: ``\\graphicspath{{figures/}}`` then ``\\input{figures/STEM_frames}``.

The writer writes its extra files through ``stage`` (a recipe's :class:`~figgen.writers.OutputSet` gives it):
each file is staged under a temporary name and swapped in with the rest of the recipe's outputs.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np

from figgen.writers._base import AnimationWriter, HeldFrame, register
from figgen.writers.stills import save_png

FRAMES = "_frames"  # STEM_frames.tex (the snippet) and STEM_frames.txt (its timeline)
FRAME = "_frame_"  # STEM_frame_0.png, STEM_frame_1.png, ...


def frame_name(stem: str, index: int) -> str:
    """The file name of frame ``index`` (from 0) of the animation ``stem``."""
    return f"{stem}{FRAME}{index}.png"


def rate(duration_ms: float) -> str:
    """Frames a second for a frame shown ``duration_ms``, as animate reads it (a plain decimal)."""
    text = f"{1000 / duration_ms:.4f}".rstrip("0").rstrip(".")
    return text if text != "0" else "0.0001"


def snippet(
    stem: str, durations_ms: list[float], *, alt: str = "", poster: int = 0
) -> tuple[str, str | None]:
    """The ``.tex`` snippet for the frames of ``stem`` shown ``durations_ms`` each (the last one's hold
    included), and its timeline's text (None when every frame shows equally long). ``poster``: the frame a
    PDF shows before it plays and on paper (animate's default, the first, when 0)."""
    count = len(durations_ms)
    rates = [rate(d) for d in durations_ms]
    timeline = None
    options = "loop,controls,width=\\linewidth"
    if poster:
        options += ",poster=last" if poster == count - 1 else f",poster={poster}"
    if len(set(rates)) > 1:
        lines, shown = [], None
        for index, fps in enumerate(rates):
            lines.append(f":{fps if fps != shown else ''}:{index}")
            shown = fps
        timeline = "\n".join(lines) + "\n"
        options += f",timeline={stem}{FRAMES}.txt"
    about = (
        f"figgen: {stem}, {count} frame{'s' if count != 1 else ''} for LaTeX's animate package "
        "(\\usepackage{animate} in the preamble; Beamer too). "
        f"The frames {frame_name(stem, 0)} to {frame_name(stem, count - 1)}"
        + (f" and the timeline {stem}{FRAMES}.txt (each frame's rate)" if timeline else "")
        + " sit beside this file: \\input it from there, or put that folder on \\graphicspath: "
        f"\\graphicspath{{{{figures/}}}} \\input{{figures/{stem}{FRAMES}}}"
    )
    lines = textwrap.wrap(about, 100, break_long_words=False, break_on_hyphens=False)
    if alt:
        lines += textwrap.wrap("Alt text: " + alt, 100, break_long_words=False, break_on_hyphens=False)
    about = "".join(f"% {line}\n" for line in lines)
    command = f"\\animategraphics[{options}]{{{rates[0]}}}{{{stem}{FRAME}}}{{0}}{{{count - 1}}}%\n"
    return about + command, timeline


@register("frames")
class FramesWriter(AnimationWriter):
    """PNG frames and a ``\\animategraphics`` snippet (with a timeline when durations differ)."""

    shown_as = "link"  # the snippet: a page links to it
    suffixes = ("tex", "txt", "png")  # the files it writes: the snippet, its timeline, the frames

    def setup(
        self,
        path: Path,
        width: int,
        height: int,
        *,
        stem: str | None = None,
        stage: Callable[[str], Path] | None = None,
        alt: str = "",
        poster: int = 0,
        **_: object,
    ) -> None:
        """``stem``: the animation's name (the frames are ``STEM_frame_K.png``); ``stage(name)``: the
        temporary path to write the output folder's file ``name`` to; ``poster``: the index of the frame
        (among those given; negative from the end) a PDF shows before it plays."""
        if stem is None or stage is None:
            raise ValueError("the frames format writes several files: write it through a recipe's outputs")
        self._path, self._stem, self._stage, self._alt = path, stem, stage, str(alt)
        self._poster = int(poster)
        self._stored: list[int] = []  # for each frame given, the stored frame it shows as
        self._pending: HeldFrame | None = None
        self._durations: list[float] = []
        self.files: list[tuple[Path, str, int, int]] = []  # (temporary, final name, width, height)

    def grab_frame(self, frame: np.ndarray, duration_ms: float) -> None:
        if self._pending is not None and np.array_equal(self._pending.frame, frame):
            self._pending.duration_ms += duration_ms
        else:
            self._flush()
            self._pending = HeldFrame(frame, duration_ms)
        self._stored.append(len(self._durations))

    def _flush(self) -> None:
        if self._pending is None:
            return
        name = frame_name(self._stem, len(self._durations))
        tmp = self._stage(name)
        save_png(tmp, self._pending.frame)
        height, width = self._pending.frame.shape[:2]
        self.files.append((tmp, name, width, height))
        self._durations.append(self._pending.duration_ms)
        self._pending = None

    def finish(self) -> dict:
        self._flush()
        given = len(self._stored)
        poster = self._stored[self._poster] if -given <= self._poster < given else 0
        text, timeline = snippet(self._stem, self._durations, alt=self._alt, poster=poster)
        if timeline is not None:
            name = f"{self._stem}{FRAMES}.txt"
            tmp = self._stage(name)
            tmp.write_text(timeline, encoding="ascii")
            self.files.append((tmp, name, 0, 0))
        self._path.write_text(text, encoding="utf-8")
        return {"frames": len(self._durations), "durations_ms": list(self._durations), "files": self.files}
