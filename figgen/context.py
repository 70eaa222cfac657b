"""What a recipe's ``make(ctx, p)`` gets: data, cached training, the theme and preset, and output writers.

Training results come from the on-disk cache when the same data, parameters and trainer version were seen
before, so a restyle (theme, preset, formats) never retrains. Every output is written atomically into the
output folder and described by a record that goes into the manifest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from figgen.cache import Cache, cache_key
from figgen.errors import FiggenError

ANIMATION_FORMATS = ("gif", "mp4", "webp")
STILL_FORMATS = ("png", "svg", "pdf")
DEFAULT_FORMATS = {"animation": ("gif", "mp4"), "still": ("png", "svg"), "filmstrip": ("png", "pdf")}
FILMSTRIP_FORMATS = ("png", "pdf")


def formats_for(kind: str, chosen: Sequence[str] | None) -> tuple[str, ...]:
    """Return the formats an output of ``kind`` is written in, given the user's ``--formats`` (or None)."""
    if chosen is None:
        return DEFAULT_FORMATS[kind]
    allowed = {"animation": ANIMATION_FORMATS, "still": STILL_FORMATS, "filmstrip": FILMSTRIP_FORMATS}[kind]
    return tuple(f for f in chosen if f in allowed)


def snapshot_schedule(steps: int, count: int = 48) -> list[int]:
    """Return about ``count`` update indices from 0 to ``steps``, dense early and sparse late (geometric)."""
    points = np.unique(np.round(np.geomspace(1, steps + 1, count)).astype(int) - 1)
    return sorted(set(points.tolist()) | {0, steps})


def _diverged_error(learning_rate: float, step: int, steps: int, where: str = ""):
    from figgen.train import TrainingError

    return TrainingError(
        f"LEARNING_RATE={learning_rate:g} diverged{where}: the training loss stayed above ln 10 (the "
        f"untrained model's) from step {step} to the last step {steps}; use a smaller learning rate"
    )


@dataclass
class RecipeContext:
    """The services a recipe uses. Built by :mod:`figgen.build` for each recipe run."""

    recipe: object  # figgen.recipe.Recipe
    params: object
    data_source: str
    theme_name: str
    preset_name: str
    formats: tuple[str, ...] | None
    out_dir: Path
    cache: Cache
    quick: bool = False
    records: list[dict] = field(default_factory=list)

    @cached_property
    def data(self):
        """The data set (figgen.data.Dataset) of this build."""
        from figgen.data import load_dataset

        return load_dataset(self.data_source)

    @cached_property
    def theme(self):
        from figgen.draw import get_theme

        return get_theme(self.theme_name)

    @cached_property
    def preset(self):
        from figgen.draw import get_preset

        return get_preset(self.preset_name)

    # --- training -------------------------------------------------------------------------------------

    def run(
        self,
        *,
        train_size: int | None = None,
        test_size: int | None = None,
        learning_rate: float | None = None,
        steps: int | None = None,
        log_every: int = 100,
        allow_diverged: bool = False,
    ):
        """Train the text's model (defaults: the recipe's TRAIN_SIZE etc.) and return its TrainResult.

        Weight snapshots are kept along a fixed geometric schedule of steps (``result.snapshots``), so every
        recipe asking for the same run shares one cache entry. A run that diverged raises a TrainingError
        naming the learning rate and step, unless ``allow_diverged`` (a figure about divergence itself).
        """
        from figgen.train import TRAINER_VERSION, TrainResult

        train_size, test_size, learning_rate, steps = self._settings(
            train_size, test_size, learning_rate, steps
        )
        schedule = snapshot_schedule(steps)
        key = cache_key(
            kind="run",
            data=self.data.fingerprint,
            train_size=train_size,
            test_size=test_size,
            learning_rate=learning_rate,
            steps=steps,
            log_every=log_every,
            snapshots=schedule,
            trainer=TRAINER_VERSION,
        )

        def compute():
            from figgen.train import train

            x, y = self.data.train(train_size)
            xt, yt = self.data.test(test_size)
            r = train(
                x,
                y,
                xt,
                yt,
                learning_rate=learning_rate,
                steps=steps,
                log_every=log_every,
                snapshot_steps=schedule,
            )
            steps_kept = sorted(r.snapshots)
            arrays = {
                "weights": r.weights,
                "bias": r.bias,
                "log": np.array(r.log, np.float64).reshape(-1, 3),
                "snapshot_steps": np.array(steps_kept, np.int64),
                "snapshots": np.stack([r.snapshots[s] for s in steps_kept])
                if steps_kept
                else np.zeros((0, 784, 10), np.float32),
                "snapshot_biases": np.stack([r.snapshot_biases[s] for s in steps_kept])
                if steps_kept
                else np.zeros((0, 10), np.float32),
            }
            return arrays, {"diverged_at": r.diverged_at, "seconds": r.seconds}

        arrays, meta = self.cache.get_or_compute("run", key, compute)
        log = [(int(s), float(a), float(lo)) for s, a, lo in arrays["log"]]
        diverged = meta["diverged_at"]
        if diverged is not None and not allow_diverged:
            raise _diverged_error(learning_rate, diverged, steps)
        return TrainResult(
            weights=arrays["weights"],
            bias=arrays["bias"],
            log=log,
            final_accuracy=None if diverged is not None or not log else log[-1][1],
            final_loss=None if diverged is not None or not log else log[-1][2],
            diverged_at=diverged,
            seconds=meta["seconds"],
            snapshots={int(s): w for s, w in zip(arrays["snapshot_steps"], arrays["snapshots"], strict=True)},
            snapshot_biases={
                int(s): b for s, b in zip(arrays["snapshot_steps"], arrays["snapshot_biases"], strict=True)
            },
        )

    def sweep(
        self,
        sizes: Sequence[int],
        *,
        test_size: int | None = None,
        learning_rate: float | None = None,
        steps: int | None = None,
        allow_diverged: bool = False,
    ):
        """Train one model per training size in one batched run (cached); return the SweepResult.

        A diverged model raises a TrainingError unless ``allow_diverged`` (then its accuracy is NaN).
        """
        from figgen.train import TRAINER_VERSION, SweepResult

        _, test_size, learning_rate, steps = self._settings(None, test_size, learning_rate, steps)
        sizes = [int(s) for s in sizes]
        key = cache_key(
            kind="sweep",
            data=self.data.fingerprint,
            sizes=sizes,
            test_size=test_size,
            learning_rate=learning_rate,
            steps=steps,
            trainer=TRAINER_VERSION,
        )

        def compute():
            from figgen.train import sweep_training_sizes

            x, y = self.data.train(max(sizes))
            xt, yt = self.data.test(test_size)
            r = sweep_training_sizes(x, y, xt, yt, sizes, learning_rate=learning_rate, steps=steps)
            arrays = {"weights": r.weights, "biases": r.biases, "accuracy": r.accuracy, "loss": r.loss}
            return arrays, {"diverged_at": r.diverged_at, "seconds": r.seconds}

        arrays, meta = self.cache.get_or_compute("sweep", key, compute)
        failed = [(size, at) for size, at in zip(sizes, meta["diverged_at"], strict=True) if at is not None]
        if failed and not allow_diverged:
            size, at = failed[0]
            raise _diverged_error(learning_rate, at, steps, f" (training size {size:,})")
        return SweepResult(
            sizes=np.array(sizes),
            weights=arrays["weights"],
            biases=arrays["biases"],
            accuracy=arrays["accuracy"],
            loss=arrays["loss"],
            diverged_at=meta["diverged_at"],
            seconds=meta["seconds"],
        )

    def _settings(self, train_size, test_size, learning_rate, steps):
        p = self.params
        train_size = train_size if train_size is not None else getattr(p, "TRAIN_SIZE", 5500)
        test_size = test_size if test_size is not None else getattr(p, "TEST_SIZE", self.data.n_test)
        learning_rate = learning_rate if learning_rate is not None else getattr(p, "LEARNING_RATE", 0.1)
        steps = steps if steps is not None else getattr(p, "TRAIN_STEPS", 2500)
        return int(train_size), int(test_size), float(learning_rate), int(steps)

    # --- drawing --------------------------------------------------------------------------------------

    def style(self):
        """A ``with`` block in which matplotlib follows this build's theme and preset (restored after)."""
        from figgen.draw import matplotlib_style

        return matplotlib_style(self.theme, self.preset)

    def new_figure(self, **kwargs):
        """A matplotlib Figure as wide as the preset, in the theme (see figgen.draw.new_figure)."""
        from figgen.draw import new_figure

        return new_figure(self.theme, self.preset, **kwargs)

    # --- outputs --------------------------------------------------------------------------------------

    def figure(self, stem: str, fig, *, alt: str) -> None:
        """Write a matplotlib Figure as this recipe's still ``stem``, in the still formats of the build."""
        self._still(stem, fig, alt, "still")

    def image(self, stem: str, frame: np.ndarray, *, alt: str) -> None:
        """Write a uint8 RGB(A) frame as this recipe's still ``stem``."""
        self._still(stem, frame, alt, "still")

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
    ) -> None:
        """Write an animation in the animation formats of the build, plus a filmstrip of its key frames.

        ``frames`` is a function returning a fresh iterable of frames; it is called once per format, so the
        frames stream through each writer and are never all held in memory. ``keyframes`` (indices; -1 is
        the last frame) with their ``keyframe_labels`` make the filmstrip still for printed handouts.
        """
        from figgen.writers import write_animation

        self._check_output(stem, "animation", alt)
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

        for fmt in formats_for("animation", self.formats):
            info = write_animation(
                self._path(stem, fmt), stream(), fmt, durations_ms=durations_ms, hold_last_ms=hold_last_ms
            )
            self._record(stem, fmt, "animation", alt, info)
        if not formats_for("animation", self.formats) and wanted:
            for _ in stream():
                pass
        if wanted:
            from figgen.draw import filmstrip

            picked = [kept[i] for i in keyframes if i in kept]
            strip = filmstrip(
                picked,
                list(keyframe_labels)[: len(picked)],
                self.theme,
                self.preset,
                cols=min(len(picked), 4 if self.preset.width >= 1200 else 2),
            )
            self._still(f"{stem}_filmstrip", strip, f"Key frames of the animation: {alt}", "filmstrip")

    def _still(self, stem: str, content, alt: str, kind: str) -> None:
        from figgen.writers import write_still

        self._check_output(stem, "still" if kind == "still" else "animation", alt, declared=kind == "still")
        if not isinstance(content, np.ndarray):
            from figgen.draw import outline_text

            outline_text(content, self.theme, self.preset)
        with self.style():  # savefig reads some rcParams (facecolor, transparency) when it writes
            for fmt in formats_for(kind, self.formats):
                info = write_still(self._path(stem, fmt), content, fmt)
                self._record(stem, fmt, kind, alt, info)

    def _check_output(self, stem: str, kind: str, alt: str, declared: bool = True) -> None:
        if declared and self.recipe.outputs.get(stem) != kind:
            raise FiggenError(
                f"recipe {self.recipe.name!r} writes {kind} {stem!r}, "
                f"which its OUTPUTS do not declare as {kind!r}"
            )
        if not alt or not alt.strip():
            raise FiggenError(f"recipe {self.recipe.name!r}: output {stem!r} needs an alt text")

    def _path(self, stem: str, fmt: str) -> Path:
        path = (self.out_dir / f"{stem}.{fmt}").resolve()
        if path.parent != self.out_dir.resolve():
            raise FiggenError(f"output {stem!r} would leave the output folder")
        return path

    def _record(self, stem: str, fmt: str, kind: str, alt: str, info: dict) -> None:
        path = self._path(stem, fmt)
        self.records.append(
            {
                "recipe": self.recipe.name,
                "output": stem,
                "path": path.name,
                "format": fmt,
                "kind": kind,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "bytes": info["bytes"],
                "width": info["width"],
                "height": info["height"],
                "frames": info.get("frames"),
                "alt": alt,
            }
        )
