"""The MP4 writer: H.264 through imageio-ffmpeg's ffmpeg.

Its settings aim at "plays everywhere, same bytes every time": H.264 High profile, yuv420p, odd
sizes padded by one edge pixel (never scaled), ``+faststart`` for browsers, no metadata, ffmpeg's
bit-exact flags and a fixed x264 thread count, so the output does not depend on the machine's
core count. Frame durations become whole frames at a fixed rate, rounded on the running total.

The writer runs ffmpeg itself, with the command imageio-ffmpeg's ``write_frames`` gave it (the same
bytes), so that ffmpeg's messages go to a file of their own rather than the terminal, and its exit status
is read: an ffmpeg that fails (a full disk, say) is one error of figgen's, naming the file and ffmpeg's
last line, an :class:`OSError` with the error number when ffmpeg names one (so a full disk reads like
any other), and its file is discarded, never kept as if whole.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import IO

import numpy as np

from figgen.writers._base import AnimationWriter, register

#: x264 threads: fixed, because x264 output depends on the thread count and a machine's core count
#: must not change the bytes.
X264_THREADS = 4

#: x264 preset: at CRF 18 "veryfast" looks the same on figures (flat colour, sharp edges) and its files are
#: no larger than "medium"'s (1.71 MB against 1.83 MB for the default build's five videos), while the
#: build's five animations take 1.1 CPU-seconds less (7.4 against 8.6 s).
PRESET = "veryfast"


def output_params(*, crf: int, preset: str) -> list[str]:
    """ffmpeg's output options after the codec and pixel format: quality, profile, the fixed thread count,
    faststart, no metadata and the bit-exact flags."""
    return [
        "-crf",
        str(crf),
        "-preset",
        preset,
        "-profile:v",
        "high",
        "-threads",
        str(X264_THREADS),
        "-movflags",
        "+faststart",
        "-map_metadata",
        "-1",
        "-fflags",
        "+bitexact",
        "-flags:v",
        "+bitexact",
        "-flags:a",
        "+bitexact",
        "-f",
        "mp4",
    ]


def ffmpeg_command(path: Path, size: tuple[int, int], fps: float, *, crf: int, preset: str) -> list[str]:
    """The command that encodes raw RGB frames of ``size`` (width, height) from stdin into ``path``: the one
    imageio-ffmpeg's ``write_frames`` runs for these settings (quality None, macro block 1, log level
    error), so the bytes are those it wrote."""
    import imageio_ffmpeg

    return [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-y",
        "-f",
        "rawvideo",
        "-vcodec",
        "rawvideo",
        "-s",
        f"{size[0]:d}x{size[1]:d}",
        "-pix_fmt",
        "rgb24",
        "-r",
        str(Fraction(fps).limit_denominator()),
        "-i",
        "-",
        "-an",
        "-vcodec",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-v",
        "error",
        *output_params(crf=crf, preset=preset),
        str(path),
    ]


#: ffmpeg's words for the errors a machine gives (a full disk, a quota, a read-only disk, no permission),
#: as the C library words them: such a failure is an OSError with its number, like any other write's.
_MACHINE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM)


def ffmpeg_error(path: Path, code: int | None, said: str) -> Exception:
    """The one error for an ffmpeg that failed writing ``path`` (``code``: its exit status; ``said``: its
    messages): an OSError naming the file when ffmpeg names a machine's error, else a RuntimeError with
    ffmpeg's last line. ``path`` is the final file's, not its temporary's."""
    lines = [re.sub(r"^\[[^\]]*\]\s*", "", line).strip() for line in said.splitlines()]
    lines = [line for line in lines if line and not line.startswith("Last message repeated")]
    for number in _MACHINE_ERRORS:
        if any(os.strerror(number) in line for line in lines):
            return OSError(number, os.strerror(number), str(path))
    last = f": {lines[-1][:200]}" if lines else ""
    return RuntimeError(f"ffmpeg failed (exit {code}){last}")


def composite(frame: np.ndarray, matte: tuple[int, int, int] = (255, 255, 255)) -> np.ndarray:
    """An RGB frame: RGBA blended over ``matte`` (MP4 has no alpha), RGB unchanged."""
    if frame.shape[2] == 3:
        return frame
    alpha = frame[..., 3:4].astype(np.uint16)
    under = np.asarray(matte, np.uint16) * (255 - alpha)
    rgb = (frame[..., :3].astype(np.uint16) * alpha + under + 127) // 255
    return rgb.astype(np.uint8)


@register("mp4")
class Mp4Writer(AnimationWriter):
    """H.264 MP4; ``crf`` (default 18, lower is better) and ``preset`` may be passed as options."""

    shown_as = "video"

    @classmethod
    def unavailable(cls) -> str | None:
        try:
            import imageio_ffmpeg

            imageio_ffmpeg.get_ffmpeg_exe()
        except (ImportError, RuntimeError) as exc:
            return f"no ffmpeg found for H.264 ({exc})"
        return None

    def setup(
        self,
        path: Path,
        width: int,
        height: int,
        *,
        fps: float = 25.0,
        crf: int = 18,
        preset: str = PRESET,
        matte: tuple[int, int, int] = (255, 255, 255),
        **_: object,
    ) -> None:
        """``matte``: the colour a transparent frame is flattened onto, as MP4 has no alpha (the slide's
        colour when the user named it, else white)."""
        red, green, blue = matte  # a list or array of three is fine too
        self._matte = (red, green, blue)

        self._pad = ((0, height % 2), (0, width % 2), (0, 0))
        self._fps = float(fps)
        self._elapsed_ms = 0.0
        self._frames = 0
        self._skipped: np.ndarray | None = None
        self._path = path.with_name(_final_name(path.name))  # an error names the file, not its temporary
        size = (width + width % 2, height + height % 2)
        self._said: IO[bytes] = tempfile.TemporaryFile()  # ffmpeg's messages: read for an error, never shown
        self._ffmpeg: subprocess.Popen[bytes] | None = subprocess.Popen(
            ffmpeg_command(path, size, self._fps, crf=crf, preset=preset),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self._said,
            # its own process group, as imageio-ffmpeg did: Ctrl-C reaches figgen, which stops ffmpeg
            process_group=0 if os.name == "posix" else None,
            preexec_fn=_dies_with_figgen(),
        )
        if self._ffmpeg.stdin is None:  # never: stdin=PIPE gives one
            raise RuntimeError("ffmpeg was started without a pipe for its frames")
        self._pipe: IO[bytes] = self._ffmpeg.stdin

    def _send(self, frame: np.ndarray, repeats: int) -> None:
        data = np.ascontiguousarray(np.pad(composite(frame, self._matte), self._pad, mode="edge"))
        for _ in range(repeats):
            try:
                self._pipe.write(data.data)
            except OSError:  # ffmpeg has gone (a broken pipe): its exit status and messages say why
                raise self._failure() from None
        self._frames += repeats

    def grab_frame(self, frame: np.ndarray, duration_ms: float) -> None:
        start = int(self._elapsed_ms * self._fps / 1000 + 0.5)
        self._elapsed_ms += duration_ms
        repeats = int(self._elapsed_ms * self._fps / 1000 + 0.5) - start
        # A frame shorter than one video frame is dropped, unless it turns out to be the last one.
        self._skipped = frame.copy() if repeats == 0 else None
        if repeats:
            self._send(frame, repeats)

    def finish(self) -> dict:
        if self._skipped is not None:  # the last frame was shorter than a video frame: it still shows
            self._send(self._skipped, 1)
        elif self._frames == 0:
            raise RuntimeError("an MP4 needs a frame, and none was grabbed")
        with contextlib.suppress(OSError):  # ffmpeg gone already (a broken pipe): its exit status says why
            self._pipe.close()  # the end of the frames: ffmpeg finishes the file
        if self._stopped() != 0:
            raise self._failure()
        self._ffmpeg = None
        return {"frames": self._frames, "fps": self._fps}

    def cleanup(self) -> None:
        """Stop an ffmpeg that did not finish (its file is discarded); close the pipe and its messages."""
        ffmpeg, self._ffmpeg = getattr(self, "_ffmpeg", None), None
        if ffmpeg is not None:
            ffmpeg.kill()
            ffmpeg.wait()
        for file in (getattr(self, "_pipe", None), getattr(self, "_said", None)):
            if file is not None:
                with contextlib.suppress(OSError):
                    file.close()

    def _stopped(self) -> int:
        """ffmpeg's exit status, once it has exited."""
        if self._ffmpeg is None:
            raise RuntimeError("the MP4 writer's ffmpeg has finished")
        return self._ffmpeg.wait()

    def _failure(self) -> Exception:
        """The error of an ffmpeg that failed, from its exit status and messages (:func:`ffmpeg_error`)."""
        code = self._stopped()
        self._said.seek(0)
        return ffmpeg_error(self._path, code, self._said.read().decode("utf-8", "replace"))


def _final_name(name: str) -> str:
    """A staged file's final name: ``.figgen-tmp-PID-N.NAME`` is NAME (see
    :func:`figgen.files.atomic.temporary_path`); any other name is itself."""
    return re.sub(r"^\.figgen-tmp-\d+-\d+\.", "", name)


def _dies_with_figgen():
    """For Linux: ffmpeg gets SIGKILL when figgen's process ends, however it ends. Killed (SIGKILL, the OOM
    killer), figgen cannot stop it, and an orphan ffmpeg would finish its file from the frames it had and
    write it after the next build removed the dead build's temporaries. None where there is no prctl."""
    import ctypes
    import signal

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def set_death_signal() -> None:  # runs in the child, between fork and exec: one system call
        prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG

    return set_death_signal
