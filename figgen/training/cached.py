"""Training through the on-disk cache: the one path by which recipes, ``figgen train`` and the API train.

A run, a batch of runs at several learning rates, a sweep or a grid of sizes by rates is stored under the
hash of what produced it (data fingerprint, knobs, snapshot schedule, trainer version), so a restyle or a
second ``figgen train`` with the same settings loads it instead of training. A run keeps weight snapshots
along one fixed geometric schedule of its steps, so every caller asking for the same run shares one entry.
A run that diverged raises :class:`DivergedError` unless the caller asks for diverged runs (a figure about
divergence itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from figgen.core.knobs import CLASSES, PIXELS, Knobs
from figgen.core.progress import Progress
from figgen.files.cache import Cache, cache_key
from figgen.training import (
    TRAINER_VERSION,
    DivergedError,
    SweepResult,
    TrainingError,
    TrainResult,
    snapshot_schedule,
)

if TYPE_CHECKING:  # the data layer sits below training; only the annotations name it
    from figgen.data import Dataset


def cached_run(
    data: Dataset,
    knobs: Knobs,
    cache: Cache | None = None,
    *,
    allow_diverged: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> TrainResult:
    """Train the text's model on ``data`` (a figgen.data.Dataset) with ``knobs``, or load the same run.

    ``force`` trains again and replaces the stored run. ``result.cached`` says which happened.
    """
    knobs.check(data)
    schedule = snapshot_schedule(knobs.TRAIN_STEPS)
    key = cache_key(
        kind="run",
        data=data.fingerprint,
        train_size=knobs.TRAIN_SIZE,
        test_size=knobs.TEST_SIZE,
        learning_rate=float(knobs.LEARNING_RATE),
        steps=knobs.TRAIN_STEPS,
        log_every=knobs.LOG_EVERY,
        snapshots=schedule,
        trainer=TRAINER_VERSION,
    )

    def compute():
        from figgen.training import train

        result = train(
            *data.train(knobs.TRAIN_SIZE),
            *data.test(knobs.TEST_SIZE),
            learning_rate=knobs.LEARNING_RATE,
            steps=knobs.TRAIN_STEPS,
            log_every=knobs.LOG_EVERY,
            snapshot_steps=schedule,
            progress=progress,
        )
        return _pack_run(result)

    store = cache or Cache()
    cost = _work([knobs.TRAIN_SIZE], knobs.TRAIN_STEPS)
    arrays, meta, hit = store.get_or_compute("run", key, compute, force=force, check=_run_shaped, cost=cost)
    result = _unpack_run(arrays, meta, cached=hit)
    if result.diverged_at is not None and not allow_diverged:
        raise DivergedError(knobs.LEARNING_RATE, result.diverged_at, knobs.TRAIN_STEPS)
    return result


def cached_rates(
    data: Dataset,
    knobs: Knobs,
    learning_rates: Sequence[float],
    cache: Cache | None = None,
    *,
    allow_diverged: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> list[TrainResult]:
    """Train the text's model once per learning rate (``knobs.LEARNING_RATE`` is not used), or load them.

    The runs train as one batch (:func:`figgen.training.train_rates`) and are stored as one entry, without
    snapshots. They equal separate :func:`cached_run` runs to float32 rounding, but are never mixed with
    them in the cache: a figure does not depend on which was trained first. A diverged run raises
    :class:`DivergedError` unless ``allow_diverged``.
    """
    rates = [float(rate) for rate in learning_rates]
    if not rates:
        raise TrainingError("training needs at least one learning rate")
    for rate in rates:
        knobs.replace(LEARNING_RATE=rate).check(data)
    key = cache_key(
        kind="rates",
        data=data.fingerprint,
        train_size=knobs.TRAIN_SIZE,
        test_size=knobs.TEST_SIZE,
        learning_rates=rates,
        steps=knobs.TRAIN_STEPS,
        log_every=knobs.LOG_EVERY,
        trainer=TRAINER_VERSION,
    )

    def compute():
        from figgen.training import train_rates

        results = train_rates(
            *data.train(knobs.TRAIN_SIZE),
            *data.test(knobs.TEST_SIZE),
            rates,
            steps=knobs.TRAIN_STEPS,
            log_every=knobs.LOG_EVERY,
            progress=progress,
        )
        return _pack_runs(results)

    store = cache or Cache()
    check = _rates_shaped(len(rates))
    cost = _work([knobs.TRAIN_SIZE] * len(rates), knobs.TRAIN_STEPS)
    arrays, meta, hit = store.get_or_compute("rates", key, compute, force=force, check=check, cost=cost)
    results = _unpack_runs(arrays, meta, hit)
    failed = [
        (rate, r.diverged_at) for rate, r in zip(rates, results, strict=True) if r.diverged_at is not None
    ]
    if failed and not allow_diverged:
        rate, at = failed[0]
        raise DivergedError(rate, at, knobs.TRAIN_STEPS)
    return results


def cached_sweep(
    data: Dataset,
    sizes: Sequence[int],
    knobs: Knobs,
    cache: Cache | None = None,
    *,
    allow_diverged: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> SweepResult:
    """Train one model per training size (``knobs.TRAIN_SIZE`` is not used) in one batched run, or load it.

    The model at the largest size is the run at that size, :func:`cached_run` with these knobs (loaded
    if stored): a build that draws both the run and the sweep (the text's TRAIN_SIZE is the sweep's last
    size) trains it once, not twice, a fifth of the sweep's work. The others train in one batched loop;
    ``progress`` follows each training in turn, ``force`` retrains both. A diverged model raises
    :class:`DivergedError` unless ``allow_diverged`` (then its accuracy is NaN).
    """
    sizes = [int(s) for s in sizes]
    for size in sizes:
        knobs.replace(TRAIN_SIZE=size).check(data)
    key = cache_key(
        kind="sweep",
        data=data.fingerprint,
        sizes=sizes,
        test_size=knobs.TEST_SIZE,
        learning_rate=float(knobs.LEARNING_RATE),
        steps=knobs.TRAIN_STEPS,
        trainer=TRAINER_VERSION,
    )

    store = cache or Cache()

    def compute():
        from figgen.training import sweep_training_sizes

        largest = max(sizes)
        run = cached_run(
            data,
            knobs.replace(TRAIN_SIZE=largest),
            store,
            allow_diverged=True,
            force=force,
            progress=progress,
        )
        ended = bool(run.log) and run.log[-1][0] == knobs.TRAIN_STEPS  # else its loss stopped being finite
        models = {
            largest: (
                run.weights,
                run.bias,
                np.nan if run.final_accuracy is None else run.final_accuracy,
                run.log[-1][2] if ended else np.nan,
                run.diverged_at,
            )
        }
        seconds = run.seconds
        rest = [s for s in sizes if s != largest]
        if rest:
            r = sweep_training_sizes(
                *data.train(max(rest)),
                *data.test(knobs.TEST_SIZE),
                rest,
                learning_rate=knobs.LEARNING_RATE,
                steps=knobs.TRAIN_STEPS,
                progress=progress,
            )
            seconds += r.seconds
            for i, s in enumerate(rest):
                models[s] = (r.weights[i], r.biases[i], r.accuracy[i], r.loss[i], r.diverged_at[i])
        weights, biases, accuracy, loss, diverged_at = zip(*(models[s] for s in sizes), strict=True)
        arrays = {
            "weights": np.stack(weights),
            "biases": np.stack(biases),
            "accuracy": np.array(accuracy, np.float64),
            "loss": np.array(loss, np.float64),
        }
        return arrays, {"diverged_at": list(diverged_at), "seconds": seconds}

    check = _sweep_shaped(len(sizes))
    cost = _work(sizes, knobs.TRAIN_STEPS)
    arrays, meta, hit = store.get_or_compute("sweep", key, compute, force=force, check=check, cost=cost)
    failed = [(size, at) for size, at in zip(sizes, meta["diverged_at"], strict=True) if at is not None]
    if failed and not allow_diverged:
        size, at = failed[0]
        raise DivergedError(knobs.LEARNING_RATE, at, knobs.TRAIN_STEPS, f" (training size {size:,})")
    return SweepResult(
        sizes=np.array(sizes),
        weights=arrays["weights"],
        biases=arrays["biases"],
        accuracy=arrays["accuracy"],
        loss=arrays["loss"],
        diverged_at=meta["diverged_at"],
        seconds=meta["seconds"],
        cached=hit,
    )


def cached_grid(
    data: Dataset,
    sizes: Sequence[int],
    learning_rates: Sequence[float],
    knobs: Knobs,
    cache: Cache | None = None,
    *,
    log_steps: Sequence[int] | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> list[list[TrainResult]]:
    """Train one model per (training size, learning rate) in one batched loop, or load them: ``[size][rate]``.

    ``knobs.TRAIN_SIZE`` and ``LEARNING_RATE`` are not used; the models train ``knobs.TRAIN_STEPS`` steps
    and log (test accuracy, training loss) and keep W and b at ``log_steps`` (default: the geometric
    :func:`~figgen.training.snapshot_schedule`), see :func:`figgen.training.train_grid`. One entry holds the
    whole grid; any change to it is a new entry. Diverged models are kept (a grid explores the rates that
    diverge too): their ``diverged_at`` says where.
    """
    sizes = [int(s) for s in sizes]
    rates = [float(rate) for rate in learning_rates]
    if not sizes or not rates:
        raise TrainingError("a grid needs at least one training size and one learning rate")
    for size in sizes:
        for rate in rates:
            knobs.replace(TRAIN_SIZE=size, LEARNING_RATE=rate, LOG_EVERY=knobs.TRAIN_STEPS or 1).check(data)
    steps = knobs.TRAIN_STEPS
    logged = snapshot_schedule(steps) if log_steps is None else sorted({int(s) for s in log_steps})
    key = cache_key(
        kind="grid",
        data=data.fingerprint,
        sizes=sizes,
        learning_rates=rates,
        test_size=knobs.TEST_SIZE,
        steps=knobs.TRAIN_STEPS,
        log_steps=logged,
        trainer=TRAINER_VERSION,
    )

    def compute():
        from figgen.training import train_grid

        grid = train_grid(
            *data.train(max(sizes)),
            *data.test(knobs.TEST_SIZE),
            sizes,
            rates,
            steps=knobs.TRAIN_STEPS,
            log_steps=logged,
            progress=progress,
        )
        return _pack_runs([run for row in grid for run in row])

    store = cache or Cache()
    check = _rates_shaped(len(sizes) * len(rates))
    cost = _work(sizes * len(rates), knobs.TRAIN_STEPS)
    arrays, meta, hit = store.get_or_compute("grid", key, compute, force=force, check=check, cost=cost)
    runs = _unpack_runs(arrays, meta, hit)
    return [runs[i * len(rates) : (i + 1) * len(rates)] for i in range(len(sizes))]


def _work(sizes: Sequence[int], steps: int) -> float:
    """A training's estimated work, the cache's ``cost``: its models' training rows times their updates."""
    return float(sum(sizes)) * (steps + 1)


def _pack_runs(results: list[TrainResult]) -> tuple[dict[str, np.ndarray], dict]:
    """Several runs as one cache entry: run i's arrays prefixed ``i.``, their metadata in a list."""
    packed = [_pack_run(r) for r in results]
    arrays = {f"{i}.{name}": value for i, (a, _) in enumerate(packed) for name, value in a.items()}
    return arrays, {"runs": [meta for _, meta in packed]}


def _unpack_runs(arrays: dict[str, np.ndarray], meta: dict, cached: bool) -> list[TrainResult]:
    results = []
    for i, run_meta in enumerate(meta["runs"]):
        prefix = f"{i}."
        mine = {name[len(prefix) :]: value for name, value in arrays.items() if name.startswith(prefix)}
        results.append(_unpack_run(mine, run_meta, cached=cached))
    return results


def _shapes_match(arrays: dict, expected: dict[str, tuple]) -> bool:
    """Every expected array is there with that shape (-1: any length) and a number dtype."""
    for name, shape in expected.items():
        value = arrays.get(name)
        if value is None or value.ndim != len(shape) or value.dtype.kind not in "fiu":
            return False
        if any(want not in (-1, got) for want, got in zip(shape, value.shape, strict=True)):
            return False
    return True


def _run_shaped(arrays: dict, meta: dict) -> bool:
    k = arrays["snapshot_steps"].shape[0] if "snapshot_steps" in arrays else -2
    shapes = {
        "weights": (PIXELS, CLASSES),
        "bias": (10,),
        "log": (-1, 3),
        "snapshot_steps": (-1,),
        "snapshots": (k, PIXELS, CLASSES),
        "snapshot_biases": (k, 10),
    }
    at = meta.get("diverged_at")
    return _shapes_match(arrays, shapes) and (at is None or isinstance(at, int)) and "seconds" in meta


def _rates_shaped(count: int):
    def check(arrays: dict, meta: dict) -> bool:
        runs = meta.get("runs")
        if not isinstance(runs, list) or len(runs) != count:
            return False
        for i, run_meta in enumerate(runs):
            prefix = f"{i}."
            mine = {name[len(prefix) :]: a for name, a in arrays.items() if name.startswith(prefix)}
            if not isinstance(run_meta, dict) or not _run_shaped(mine, run_meta):
                return False
        return True

    return check


def _sweep_shaped(count: int):
    shapes = {
        "weights": (count, PIXELS, CLASSES),
        "biases": (count, CLASSES),
        "accuracy": (count,),
        "loss": (count,),
    }

    def check(arrays: dict, meta: dict) -> bool:
        at = meta.get("diverged_at")
        return (
            _shapes_match(arrays, shapes) and isinstance(at, list) and len(at) == count and "seconds" in meta
        )

    return check


def _pack_run(r: TrainResult) -> tuple[dict[str, np.ndarray], dict]:
    """A run as plain arrays and JSON metadata, for the cache."""
    steps = sorted(r.snapshots)
    arrays = {
        "weights": r.weights,
        "bias": r.bias,
        "log": np.array(r.log, np.float64).reshape(-1, 3),
        "snapshot_steps": np.array(steps, np.int64),
        "snapshots": np.stack([r.snapshots[s] for s in steps])
        if steps
        else np.zeros((0, PIXELS, CLASSES), np.float32),
        "snapshot_biases": np.stack([r.snapshot_biases[s] for s in steps])
        if steps
        else np.zeros((0, 10), np.float32),
    }
    return arrays, {"diverged_at": r.diverged_at, "seconds": r.seconds}


def _unpack_run(arrays: dict[str, np.ndarray], meta: dict, cached: bool) -> TrainResult:
    log = [(int(s), float(a), float(lo)) for s, a, lo in arrays["log"]]
    diverged = meta["diverged_at"]
    steps = [int(s) for s in arrays["snapshot_steps"]]
    return TrainResult(
        weights=arrays["weights"],
        bias=arrays["bias"],
        log=log,
        final_accuracy=None if diverged is not None or not log else log[-1][1],
        final_loss=None if diverged is not None or not log else log[-1][2],
        diverged_at=diverged,
        seconds=meta["seconds"],
        snapshots=dict(zip(steps, arrays["snapshots"], strict=True)),
        snapshot_biases=dict(zip(steps, arrays["snapshot_biases"], strict=True)),
        cached=cached,
    )
