"""The MP4 writer: H.264 through imageio-ffmpeg's ffmpeg.

Its settings aim at "plays everywhere, same bytes every time": H.264 High profile, yuv420p, odd
sizes padded by one edge pixel (never scaled), ``+faststart`` for browsers, no metadata, ffmpeg's
bit-exact flags and a fixed x264 thread count, so the output does not depend on the machine's
core count. Frame durations become whole frames at a fixed rate, rounded on the running total.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figgen.writers._base import AnimationWriter, register

#: x264 threads: fixed, because x264 output depends on the thread count and a machine's core count
#: must not change the bytes.
X264_THREADS = 4


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
        preset: str = "medium",
        matte: tuple[int, int, int] = (255, 255, 255),
        **_: object,
    ) -> None:
        """``matte``: the colour a transparent frame is flattened onto, as MP4 has no alpha (the slide's
        colour when the user named it, else white)."""
        import imageio_ffmpeg

        red, green, blue = matte  # a list or array of three is fine too
        self._matte = (red, green, blue)

        self._pad = ((0, height % 2), (0, width % 2), (0, 0))
        self._fps = float(fps)
        self._elapsed_ms = 0.0
        self._frames = 0
        self._skipped: np.ndarray | None = None
        params = [
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
        self._gen = imageio_ffmpeg.write_frames(
            str(path),
            (width + width % 2, height + height % 2),
            fps=self._fps,
            codec="libx264",
            quality=None,
            macro_block_size=1,
            pix_fmt_in="rgb24",
            pix_fmt_out="yuv420p",
            ffmpeg_log_level="error",
            output_params=params,
        )
        self._gen.send(None)

    def _send(self, frame: np.ndarray, repeats: int) -> None:
        data = np.ascontiguousarray(np.pad(composite(frame, self._matte), self._pad, mode="edge"))
        for _ in range(repeats):
            self._gen.send(data)
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
        self._gen.close()
        return {"frames": self._frames, "fps": self._fps}

    def cleanup(self) -> None:
        gen = getattr(self, "_gen", None)
        if gen is not None:
            gen.close()  # stops ffmpeg; a no-op after finish
