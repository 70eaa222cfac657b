"""The text's softmax regression, trained with TensorFlow 2, for one training size or many at once.

The model is exactly the tutorial's: ``y = softmax(xW + b)`` with ``W`` and ``b`` starting at zero, full-batch
gradient descent on the mean cross-entropy, ``TRAIN_STEPS + 1`` updates (the text loops over
``range(TRAIN_STEPS+1)``), and after every update whose index is a multiple of ``log_every`` (and after the
last one) the test accuracy and the training loss are logged, measured with the weights just updated.

A run has *diverged* when its logged training loss stops being finite or stays above ln 10, the loss of the
untrained model (W = 0, b = 0), for most of the run's second half: gradient descent made it worse than
knowing nothing (:func:`~figgen.core.regime.regime`, the rule every figure names runs by). A loss that jumps
above
ln 10 and comes back down is *unstable*, not diverged, whichever value the last step lands on, so training
goes on to the end; ``diverged_at`` is the first update after which the loss stayed above ln 10. A sweep
keeps no log: its models are called diverged when their last loss is above ln 10.

One engine (:mod:`figgen.training._engine`) serves a single run, a batch of runs at several learning rates
(:func:`train_rates`), a *sweep* over training sizes and a *grid* of sizes by rates (:func:`train_grid`)
alike. TensorFlow is imported lazily
(:mod:`figgen.training._tf`), and nowhere else in figgen: commands that train nothing never pay for it.
:mod:`figgen.training.cached` puts them behind the training cache; every caller trains through it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from figgen.core.errors import FiggenError
from figgen.core.knobs import MAX_LOG_LINES, Knobs
from figgen.core.progress import Progress
from figgen.core.regime import UNTRAINED_LOSS, regime
from figgen.training._engine import Engine, State

TRAINER_VERSION = "6"  # bump when a change alters what training returns; it is part of cache keys
TEXT = Knobs()


class TrainingError(FiggenError):
    """Training settings that cannot work, with a message naming the setting."""


class DivergedError(TrainingError):
    """A run whose loss stayed above ln 10 (or stopped being finite): the one wording of divergence for every
    caller."""

    def __init__(self, learning_rate: float, step: int, steps: int, where: str = ""):
        self.learning_rate, self.step, self.steps = learning_rate, step, steps
        super().__init__(
            f"training with LEARNING_RATE={learning_rate:g}{where} diverged at step {step}: from there the "
            "training loss stayed above ln 10 = 2.303 (the untrained model's) for most of the run to its "
            f"last step {steps}; use a smaller learning rate"
        )


@dataclass
class TrainResult:
    """What one run returns: final weights, the text's log, and optional snapshots of W along the steps."""

    weights: np.ndarray  # (784, 10)
    bias: np.ndarray  # (10,)
    log: list[tuple[int, float, float]]  # (step, test accuracy, training loss)
    final_accuracy: float | None
    final_loss: float | None
    diverged_at: int | None  # where the loss went above ln 10 for good (None: the run did not diverge)
    seconds: float
    snapshots: dict[int, np.ndarray] = field(default_factory=dict)  # step -> W after that update
    snapshot_biases: dict[int, np.ndarray] = field(default_factory=dict)  # step -> b after that update
    cached: bool = False  # served from the training cache (``seconds`` is then the original run's)


@dataclass
class SweepResult:
    """One model per training size, all trained with the same settings."""

    sizes: np.ndarray  # (K,)
    weights: np.ndarray  # (K, 784, 10)
    biases: np.ndarray  # (K, 10)
    accuracy: np.ndarray  # (K,) test accuracy, NaN where the model diverged
    loss: np.ndarray  # (K,) final training loss
    diverged_at: list[int | None]
    seconds: float
    cached: bool = False


def default_sweep_sizes(train_size: int, frames: int = 36) -> list[int]:
    """Return about ``frames`` training sizes from 1 to ``train_size``, ascending and distinct: 1, 2, ... 10
    one by one (as many as ``frames`` leaves room for), then roughly geometric steps to ``train_size``."""
    if train_size <= frames:
        return list(range(1, train_size + 1))
    small = list(range(1, min(10, frames - 1) + 1))  # at least one geometric step reaches train_size
    rest = np.geomspace(small[-1], train_size, frames - len(small) + 1)[1:]
    return sorted(set(small) | {int(round(s)) for s in rest} | {train_size})


def snapshot_schedule(steps: int, count: int = 48) -> list[int]:
    """Return about ``count`` update indices from 0 to ``steps``, dense early and sparse late (geometric)."""
    points = np.unique(np.round(np.geomspace(1, steps + 1, count)).astype(int) - 1)
    return sorted(set(points.tolist()) | {0, steps})


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check(train_size, test_size, learning_rate, steps, log_every=TEXT.LOG_EVERY) -> None:
    Knobs(train_size, test_size, learning_rate, steps, log_every).check()


def train(
    x_train,
    labels_train,
    x_test,
    labels_test,
    *,
    learning_rate: float = TEXT.LEARNING_RATE,
    steps: int = TEXT.TRAIN_STEPS,
    log_every: int = TEXT.LOG_EVERY,
    snapshot_steps: Sequence[int] = (),
    progress: Progress | None = None,
) -> TrainResult:
    """Train the text's model on all the given training rows; log and snapshot as asked.

    ``x_*`` are float32 rows of 784 pixels in [0, 1], ``labels_*`` integer digits. ``snapshot_steps`` are
    update indices (0..steps) after which a copy of W and b is kept. A loss that stops being finite ends the
    run at the next logged step (it cannot recover); the log never holds NaN.
    """
    (result,) = train_rates(
        x_train,
        labels_train,
        x_test,
        labels_test,
        [learning_rate],
        steps=steps,
        log_every=log_every,
        snapshot_steps=snapshot_steps,
        progress=progress,
    )
    return result


_Snapshot = tuple[int, np.ndarray, np.ndarray]  # (step, W of every model, b of every model)


def train_rates(
    x_train,
    labels_train,
    x_test,
    labels_test,
    learning_rates: Sequence[float],
    *,
    steps: int = TEXT.TRAIN_STEPS,
    log_every: int = TEXT.LOG_EVERY,
    snapshot_steps: Sequence[int] = (),
    progress: Progress | None = None,
) -> list[TrainResult]:
    """Train one model per learning rate on the same rows, all in one batched loop; as :func:`train` each.

    Every step multiplies the training rows once by the weights of all the models side by side, so a few
    rates cost little more than one. Each result equals a separate :func:`train` run at its rate, to
    float32 rounding; ``seconds`` is the whole batch's.
    """
    if not learning_rates:
        raise TrainingError("training needs at least one learning rate")
    for rate in learning_rates:
        _check(len(x_train), len(x_test), rate, steps, log_every)
    log_steps = set(range(0, steps + 1, log_every)) | {steps}
    n, k = len(x_train), len(learning_rates)
    return _train_models(
        (x_train, labels_train, x_test, labels_test),
        [n] * k,
        list(learning_rates),
        steps,
        log_steps,
        snapshot_steps,
        progress,
    )


def train_grid(
    x_train,
    labels_train,
    x_test,
    labels_test,
    sizes: Sequence[int],
    learning_rates: Sequence[float],
    *,
    steps: int = TEXT.TRAIN_STEPS,
    log_steps: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> list[list[TrainResult]]:
    """Train one model per (training size, learning rate) pair, all in one batched loop: ``[size][rate]``.

    Model ``(s, r)`` trains on the first ``sizes[s]`` rows at ``learning_rates[r]``; each logs its test
    accuracy and training loss and keeps a snapshot of W and b after every update in ``log_steps`` (by
    default :func:`snapshot_schedule`'s geometric steps, dense early, up to ``steps``). Every step multiplies
    each block of training rows once by the weights of all the models using it, side by side, so the grid
    costs about what its training rows do, not a loop of runs. Each result equals a separate :func:`train`
    run on its rows at its rate, to float32 rounding; ``seconds`` is the whole grid's.
    """
    sizes = [int(s) if _is_int(s) else s for s in sizes]
    rates = [float(r) for r in learning_rates]
    if not sizes or not rates:
        raise TrainingError("a grid needs at least one training size and one learning rate")
    if len(set(sizes)) < len(sizes) or len(set(rates)) < len(rates):
        raise TrainingError("a grid's training sizes, and its learning rates, must be distinct")
    for s in sizes:
        for rate in rates:
            _check(s, len(x_test), rate, steps, max(1, steps))
        if s > len(x_train):
            raise TrainingError(f"training size {s} is more than the {len(x_train)} training rows given")
    logged = set(snapshot_schedule(steps) if log_steps is None else log_steps)
    bad = [s for s in logged if not _is_int(s) or not 0 <= s <= steps]
    if bad:
        raise TrainingError(f"logged step {bad[0]!r} is outside 0..{steps}")
    if len(logged) > MAX_LOG_LINES:
        raise TrainingError(f"a grid logs at most {MAX_LOG_LINES:,} steps, not {len(logged):,}")
    # the engine wants its models by ascending size; within one size, the rates in order
    order = sorted(((s, r) for s in range(len(sizes)) for r in range(len(rates))), key=lambda m: sizes[m[0]])
    results = _train_models(
        (x_train, labels_train, x_test, labels_test),
        [sizes[s] for s, _ in order],
        [rates[r] for _, r in order],
        steps,
        logged | {steps},
        sorted(logged),
        progress,
    )
    grid: list[list[TrainResult]] = [[None] * len(rates) for _ in sizes]  # type: ignore[list-item]
    for (s, r), result in zip(order, results, strict=True):
        grid[s][r] = result
    return grid


def _train_models(
    data: tuple,
    sizes: list[int],
    rates: list[float],
    steps: int,
    log_steps: set[int],
    snapshot_steps: Sequence[int],
    progress: Progress | None,
) -> list[TrainResult]:
    """Train model k on the first ``sizes[k]`` rows (ascending) at ``rates[k]`` in one engine loop; log at
    ``log_steps`` and snapshot at ``snapshot_steps`` (checked by the caller). Results in model order."""
    x_train, labels_train, x_test, labels_test = data
    bad = [s for s in snapshot_steps if not _is_int(s) or not 0 <= s <= steps]
    if bad:
        raise TrainingError(f"snapshot step {bad[0]!r} is outside 0..{steps}")
    stops = sorted(log_steps | set(snapshot_steps))
    snapshots: list[_Snapshot] = []
    stops_logged: list[tuple[int, State]] = []  # the logged stops' steps and states
    losses: list[np.ndarray] = []  # their losses: a stop's come with the next call's first update
    with Engine(x_train, labels_train, x_test, labels_test, sizes, rates) as engine:
        start = time.perf_counter()
        for step, state in engine.run(steps, stops, progress):
            if len(losses) < len(stops_logged):
                losses.append(state.start_loss)
                if not np.isfinite(state.start_loss).any():
                    break  # no model's loss is finite any more, and none can recover
            if step in snapshot_steps:
                snapshots.append((step, state.weights(), state.biases()))
            if step in log_steps:
                stops_logged.append((step, state.copy()))
        if len(losses) < len(stops_logged):
            losses.append(engine.loss(stops_logged[-1][1]))
        accuracy = engine.score([state for _, state in stops_logged])
        seconds = time.perf_counter() - start
    logged = [(s, state, lo) for (s, state), lo in zip(stops_logged, losses, strict=True)]
    ends: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # weights and biases where runs end, computed once
    return [_result(i, logged, accuracy, snapshots, ends, seconds) for i in range(len(sizes))]


def _result(
    i: int,
    logged: list[tuple[int, State, np.ndarray]],
    accuracy: np.ndarray,
    snapshots: list[_Snapshot],
    ends: dict[int, tuple[np.ndarray, np.ndarray]],
    seconds: float,
) -> TrainResult:
    """Model i's TrainResult: its log up to the first logged step whose loss is not finite (the run ends
    there, it cannot recover), else to the last; the weights, snapshots and divergence of where it ends.
    ``logged`` holds each logged stop's step, state and every model's training loss."""
    finite = [math.isfinite(losses[i]) for _, _, losses in logged]
    count = finite.index(False) if False in finite else len(logged)  # the logged steps it reached
    rows = zip(logged[:count], accuracy[:count], strict=True)
    log = [(s, float(a[i]), float(losses[i])) for (s, _, losses), a in rows]
    step, state, end_losses = logged[min(count, len(logged) - 1)]
    loss = float(end_losses[i])
    if id(state) not in ends:
        ends[id(state)] = state.weights(), state.biases()
    weights, biases = ends[id(state)]
    history = [lo for _, _, lo in log] + ([math.inf] if count < len(logged) else [])
    diverged: int | None = None
    if regime(history, UNTRAINED_LOSS) == "diverged":  # the whole run decides, not where its last step fell
        first_above = next((s for s, _, lo in log[1:] if lo > UNTRAINED_LOSS), step)
        diverged = state.diverged_at(i, loss)
        diverged = first_above if diverged is None else diverged
    return TrainResult(
        weights=weights[i],
        bias=biases[i],
        log=log,
        final_accuracy=None if diverged is not None else log[-1][1],
        final_loss=None if diverged is not None else log[-1][2],
        diverged_at=diverged,
        seconds=seconds,
        snapshots={s: w[i] for s, w, _ in snapshots if s <= step},
        snapshot_biases={s: b[i] for s, _, b in snapshots if s <= step},
    )


def sweep_training_sizes(
    x_train,
    labels_train,
    x_test,
    labels_test,
    sizes: Sequence[int],
    *,
    learning_rate: float = TEXT.LEARNING_RATE,
    steps: int = TEXT.TRAIN_STEPS,
    progress: Progress | None = None,
) -> SweepResult:
    """Train one model per training size (each on the first ``size`` rows), all in one batched loop.

    Returns the models in the order of ``sizes``, with their final test accuracy and training loss; a model
    that diverged has NaN accuracy and its ``diverged_at`` set. The result equals separate :func:`train`
    runs at each size, to float32 rounding.
    """
    sizes = [int(s) if _is_int(s) else s for s in sizes]
    if not sizes:
        raise TrainingError("a sweep needs at least one training size")
    for s in sizes:
        _check(s, len(x_test), learning_rate, steps)
        if s > len(x_train):
            raise TrainingError(f"training size {s} is more than the {len(x_train)} training rows given")
    order = sorted(set(sizes))
    # stopping only to report progress costs a call each: about 50 of them when someone listens
    stops = sorted({*range(0, steps, max(1, steps // 50)), steps}) if progress else [steps]
    with Engine(x_train, labels_train, x_test, labels_test, order, [learning_rate] * len(order)) as engine:
        start = time.perf_counter()
        *_, (_step, state) = engine.run(steps, stops, progress)
        loss, accuracy = engine.loss(state), engine.score([state])[0]
        seconds = time.perf_counter() - start
        weights, biases = state.weights(), state.biases()
    where = [order.index(s) for s in sizes]
    diverged = [state.diverged_at(i, loss[i]) for i in where]
    accuracy = np.where([d is None for d in diverged], accuracy[where], np.nan)
    return SweepResult(
        sizes=np.array(sizes),
        weights=weights[where],
        biases=biases[where],
        accuracy=accuracy,
        loss=loss[where],
        diverged_at=diverged,
        seconds=seconds,
    )


def predict(weights: np.ndarray, bias: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Return softmax(xW + b) for float32 rows ``x``: the text's ``y``, computed with numpy."""
    logits = np.asarray(x, np.float64) @ weights + bias
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)
