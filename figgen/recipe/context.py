"""What a recipe's ``make(ctx, p)`` gets: the data set, cached training, the theme and preset, and writers.

Training goes through the training cache (:mod:`figgen.training.cached`), so a restyle never retrains;
outputs go through the recipe's :class:`figgen.writers.OutputSet`, which writes them atomically into the
output folder and records them for the manifest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from figgen.core.knobs import Knobs
from figgen.core.progress import TaskProgress, for_task
from figgen.core.themes import Preset, Theme
from figgen.files.cache import Cache
from figgen.writers.outputs import OutputSet


@dataclass
class RecipeContext:
    """The services a recipe uses; made by the build for each recipe it runs.

    Training, each cached: :meth:`train` one model with the recipe's knobs, :meth:`train_rates` one per
    learning rate, :meth:`sweep` one per training size, :meth:`train_grid` one per size and rate.
    """

    recipe: str
    params: object  # the recipe's parameters, as ``p``
    data_source: str
    theme: Theme
    preset: Preset
    outputs: OutputSet
    cache: Cache = field(default_factory=Cache)
    quick: bool = False
    data_options: dict = field(default_factory=dict)  # load_dataset's split and class_names
    progress: TaskProgress | None = None  # hears of each piece of work (training, frames) as it goes

    @cached_property
    def data(self):
        """The data set (:class:`figgen.data.Dataset`) of this build, its split and class names applied."""
        from figgen.data import load_dataset

        return load_dataset(self.data_source, **self.data_options)

    @property
    def knobs(self) -> Knobs:
        """The text's knobs as this recipe set them (the text's defaults for those it does not have)."""
        return Knobs.from_values(self.params)

    def train(self, *, allow_diverged: bool = False, **knobs):
        """Train the text's model with this recipe's knobs, some changed (``LEARNING_RATE=0.5``); cached.

        Returns a :class:`figgen.training.TrainResult` with weight snapshots along a fixed geometric schedule
        of its steps (``result.snapshots``). A run that diverged raises a TrainingError naming the learning
        rate and the step, unless ``allow_diverged`` (a figure about divergence itself).
        """
        from figgen.training.cached import cached_run

        return cached_run(
            self.data,
            self.knobs.replace(**knobs),
            self.cache,
            allow_diverged=allow_diverged,
            progress=for_task(self.progress, "training"),
        )

    def train_rates(self, learning_rates: Sequence[float], *, allow_diverged: bool = False, **knobs):
        """Train the text's model once per learning rate with this recipe's knobs, all in one batch; cached.

        Returns a list of :class:`figgen.training.TrainResult` in the order of ``learning_rates``, each
        like :meth:`train`'s but without snapshots: one loop multiplying the rows once per step for all
        rates, instead of a run per rate. A diverged run raises a TrainingError unless ``allow_diverged``.
        """
        from figgen.training.cached import cached_rates

        return cached_rates(
            self.data,
            self.knobs.replace(**knobs),
            learning_rates,
            self.cache,
            allow_diverged=allow_diverged,
            progress=for_task(self.progress, f"training {len(learning_rates)} learning rates at once"),
        )

    def sweep(self, sizes: Sequence[int], *, allow_diverged: bool = False, **knobs):
        """Train one model per training size in one batched run (cached); return the SweepResult.

        The largest size's model is this recipe's :meth:`train` at that size, shared with the recipes that
        draw it (:func:`figgen.training.cached.cached_sweep`). A diverged model raises a TrainingError
        unless ``allow_diverged`` (then its accuracy is NaN).
        """
        from figgen.training.cached import cached_sweep

        return cached_sweep(
            self.data,
            sizes,
            self.knobs.replace(**knobs),
            self.cache,
            allow_diverged=allow_diverged,
            progress=for_task(self.progress, f"training {len(sizes)} models at once"),
        )

    def train_grid(self, sizes: Sequence[int], learning_rates: Sequence[float], *, log_steps=None, **knobs):
        """Train one model per (training size, learning rate) pair in one batched loop (cached); return the
        TrainResults as ``[size][rate]``, each with its log and W and b at ``log_steps`` (default: geometric
        steps to TRAIN_STEPS). Diverged models are kept: see
        :func:`figgen.training.cached.cached_grid`."""
        from figgen.training.cached import cached_grid

        count = len(sizes) * len(learning_rates)
        return cached_grid(
            self.data,
            sizes,
            learning_rates,
            self.knobs.replace(**knobs),
            self.cache,
            log_steps=log_steps,
            progress=for_task(self.progress, f"training a grid of {count} models at once"),
        )

    def figure(self, stem: str, fig, *, alt: str) -> None:
        """Write a matplotlib Figure (from :mod:`figgen.figures`) as the still ``stem``."""
        self.outputs.figure(stem, fig, alt=alt)

    def image(self, stem: str, frame, *, alt: str) -> None:
        """Write a uint8 RGB(A) frame (from :mod:`figgen.draw`) as the still ``stem``."""
        self.outputs.image(stem, frame, alt=alt)

    def animation(self, stem: str, frames, *, alt: str, **timing) -> None:
        """Write an animation, its filmstrip and its poster (``poster=INDEX``: the frame, the last by
        default); see :meth:`figgen.writers.OutputSet.animation`."""
        self.outputs.animation(stem, frames, alt=alt, **timing)

    def explorable(self, stem: str, page, *, alt: str, still, size: tuple[int, int] | None = None) -> None:
        """Write an interactive page (an :class:`~figgen.writers.explorable.ExplorablePage`, from the kit's
        ``*_page`` builders) and its still, the page's first state as a frame or a figure, which places that
        run no page show; see :meth:`figgen.writers.OutputSet.explorable`."""
        self.outputs.explorable(stem, page, alt=alt, still=still, size=size)

    @classmethod
    def for_recipe(
        cls,
        recipe,
        values: dict,
        *,
        data_source: str,
        data_options: dict | None = None,
        theme: Theme,
        preset: Preset,
        formats,
        out_dir: Path,
        cache: Cache,
        quick: bool = False,
        pace: float = 1.0,
        progress: TaskProgress | None = None,
    ) -> RecipeContext:
        """The context of one recipe (:class:`~figgen.recipe.spec.Recipe`) with its resolved parameter
        values."""
        outputs = OutputSet(recipe.name, recipe.outputs, Path(out_dir), theme, preset, formats, pace=pace)
        outputs.progress = progress
        params = recipe.parameters(values)
        return cls(
            recipe.name,
            params,
            data_source,
            theme,
            preset,
            outputs,
            cache,
            quick,
            data_options or {},
            progress,
        )
