"""The animated WebP writer: frames streamed to libwebp's animation encoder through Pillow."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figgen.writers._base import AnimationWriter, HeldFrame, register


@register("webp")
class WebpWriter(AnimationWriter):
    """Animated WebP, lossless by default (``lossless``, ``quality``, ``method`` may be passed).

    Frames go to libwebp's animation encoder one by one (through Pillow's encoder object), which
    keeps only compressed frames, so memory stays near the output size. Unchanged frames merge.
    Loop: 0 forever, None once, N plays N + 1 times (WebP counts plays, GIF counts repeats).
    """

    @classmethod
    def unavailable(cls) -> str | None:
        import PIL
        from PIL import features

        try:
            from PIL import _webp

            _webp.WebPAnimEncoder  # noqa: B018 - Pillow's streaming encoder, not public API
        except (ImportError, AttributeError):
            return f"Pillow {PIL.__version__} was built without animated WebP support"
        if not features.check("webp"):
            return f"Pillow {PIL.__version__} was built without WebP support"
        return None

    def setup(
        self,
        path: Path,
        width: int,
        height: int,
        *,
        loop: int | None = 0,
        lossless: bool = True,
        quality: int = 80,
        method: int = 4,
        **_: object,
    ) -> None:
        import PIL

        self._path = path
        self._settings = (bool(lossless), int(quality), 100, int(method))
        count = 0 if loop == 0 else (1 if loop is None else loop + 1)
        kmin, kmax = (9, 17) if lossless else (3, 5)
        try:  # Pillow's streaming encoder is not public API; its signature is the one of Pillow 11.3+
            from PIL import _webp

            self._enc = _webp.WebPAnimEncoder((width, height), 0, count, False, kmin, kmax, False, False)
        except (ImportError, AttributeError, TypeError) as exc:
            raise RuntimeError(
                f"animated WebP needs Pillow 11.3 or newer with WebP support (found {PIL.__version__}: {exc})"
            ) from None
        self._pending: HeldFrame | None = None
        self._timestamp = 0.0
        self._frames = 0

    def _add(self, frame: np.ndarray, duration_ms: float) -> None:
        from PIL import Image

        image = Image.fromarray(frame)
        self._enc.add(image.getim(), round(self._timestamp), *self._settings)
        self._timestamp += duration_ms
        self._frames += 1

    def grab_frame(self, frame: np.ndarray, duration_ms: float) -> None:
        if self._pending is not None and np.array_equal(self._pending.frame, frame):
            self._pending.duration_ms += duration_ms
            return
        if self._pending is not None:
            self._add(self._pending.frame, self._pending.duration_ms)
        self._pending = HeldFrame(frame.copy(), duration_ms)

    def finish(self) -> dict:
        if self._pending is None:
            raise RuntimeError("a WebP needs a frame, and none was grabbed")
        self._add(self._pending.frame, self._pending.duration_ms)
        self._enc.add(None, round(self._timestamp), *self._settings[:3], 0)
        data = self._enc.assemble("", b"", "")
        if data is None:
            raise OSError("libwebp could not assemble the animation")
        self._path.write_bytes(data)
        return {"frames": self._frames}
