"""The text's softmax regression, trained with TensorFlow 2, for one training size or many at once.

The model is exactly the tutorial's: ``y = softmax(xW + b)`` with ``W`` and ``b`` starting at zero, full-batch
gradient descent on the mean cross-entropy, ``TRAIN_STEPS + 1`` updates (the text loops over
``range(TRAIN_STEPS+1)``), and after every update whose index is a multiple of ``log_every`` the test accuracy
and the training loss are logged, measured with the weights just updated.

One engine serves both a single run and a *sweep* over training sizes: the models of a sweep train on nested
prefixes of one training set, so they are stacked side by side and every block of training rows is multiplied
once, on every step, by the weights of all the models that use it. Pixels that are almost always zero in the
training rows (the border of the 28x28 square) go through a sparse product, the rest through a dense one;
pixels that are always zero are skipped, since their weights provably stay at zero. This gives the same
updates as the dense formula, to float32 rounding.

TensorFlow is imported lazily, here and nowhere else in figgen: commands that train nothing never pay for it.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from figgen.errors import FiggenError

TRAINER_VERSION = "3"  # bump when a change alters what training returns; it is part of cache keys
SPARSE_DENSITY = 0.02  # pixels non-zero in at most this share of the rows use the sparse product
BLOCK_RATIO = 2.0  # a sweep's row blocks grow at least this much; fewer blocks, fewer ops per step
MIN_BLOCK = 256  # rows below this size share the first block
NOT_OVER = -(2**30)  # "the loss never went above ln 10" in the step loop's bookkeeping
LOSS_AT_START = math.log(10)  # the cross-entropy of W = 0, b = 0; a loss above it means diverging

Progress = Callable[[int, int], None]


class TrainingError(FiggenError):
    """Training parameters that cannot work, with a message naming the parameter."""


@dataclass(frozen=True)
class TrainConfig:
    """The text's knobs TRAIN_SIZE, TEST_SIZE, LEARNING_RATE and TRAIN_STEPS, and the log interval."""

    train_size: int = 5500
    test_size: int = 10000
    learning_rate: float = 0.1
    steps: int = 2500
    log_every: int = 100

    def check(self, n_train: int | None = None, n_test: int | None = None) -> TrainConfig:
        """Return self if every value is usable with a data set of that size, else raise TrainingError."""
        for name, value, limit in (
            ("train size", self.train_size, n_train),
            ("test size", self.test_size, n_test),
        ):
            if not _is_int(value) or value < 1:
                raise TrainingError(f"{name} must be a whole number of at least 1, got {value!r}")
            if limit is not None and value > limit:
                raise TrainingError(f"{name} {value} is more than the {limit} examples the data set holds")
        lr = self.learning_rate
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
            raise TrainingError(f"learning rate must be a positive number, got {lr!r}")
        if not _is_int(self.steps) or self.steps < 0:
            raise TrainingError(f"steps must be a whole number of at least 0, got {self.steps!r}")
        if not _is_int(self.log_every) or self.log_every < 1:
            raise TrainingError(f"log interval must be a whole number of at least 1, got {self.log_every!r}")
        return self


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


@dataclass
class TrainResult:
    """What one run returns: final weights, the text's log, and optional snapshots of W along the steps."""

    weights: np.ndarray  # (784, 10)
    bias: np.ndarray  # (10,)
    log: list[tuple[int, float, float]]  # (step, test accuracy, training loss)
    final_accuracy: float | None
    final_loss: float | None
    diverged_at: int | None  # first update after which the loss rose above ln 10 (or was not finite)
    seconds: float
    snapshots: dict[int, np.ndarray] = field(default_factory=dict)  # step -> W after that update
    snapshot_biases: dict[int, np.ndarray] = field(default_factory=dict)  # step -> b after that update


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


def default_sweep_sizes(train_size: int, frames: int = 36) -> list[int]:
    """Return 1, 2, ... 10, then roughly geometric sizes up to ``train_size``: ``frames`` sizes in all."""
    if train_size <= frames:
        return list(range(1, train_size + 1))
    small = list(range(1, 11))
    rest = np.geomspace(10, train_size, frames - len(small) + 1)[1:]
    sizes = sorted(set(small) | {int(round(s)) for s in rest} | {train_size})
    return sizes


def train(
    x_train,
    labels_train,
    x_test,
    labels_test,
    *,
    learning_rate: float = 0.1,
    steps: int = 2500,
    log_every: int = 100,
    snapshot_steps: Sequence[int] = (),
    progress: Progress | None = None,
) -> TrainResult:
    """Train the text's model on all the given training rows; log and snapshot as asked.

    ``x_*`` are float32 rows of 784 pixels in [0, 1], ``labels_*`` integer digits. ``snapshot_steps`` are
    update indices (0..steps) after which a copy of W is kept. A run whose logged loss is not finite or is
    above ln 10 (worse than the untrained model) has diverged: it stops there, and ``diverged_at`` is the
    first update after which the loss went above ln 10.
    """
    TrainConfig(len(x_train), len(x_test), learning_rate, steps, log_every).check()
    bad = [s for s in snapshot_steps if not _is_int(s) or not 0 <= s <= steps]
    if bad:
        raise TrainingError(f"snapshot step {bad[0]!r} is outside 0..{steps}")
    engine = _PrefixEngine(x_train, labels_train, x_test, labels_test, [len(x_train)])
    log_steps = set(range(0, steps + 1, log_every)) | {steps}
    stops = sorted(log_steps | set(snapshot_steps))
    log, snapshots, snapshot_biases, diverged = [], {}, {}, None
    start = time.perf_counter()
    for step, state in engine.run(learning_rate, steps, stops, progress):
        if step in snapshot_steps:
            snapshots[step] = state.weights()[0]
            snapshot_biases[step] = state.biases()[0]
        if step in log_steps:
            acc, loss = state.evaluate(training_loss=True)
            if _diverged(loss[0]):
                diverged = state.first_over[0] if state.first_over[0] is not None else step
                break
            log.append((step, float(acc[0]), float(loss[0])))
    seconds = time.perf_counter() - start
    return TrainResult(
        weights=state.weights()[0],
        bias=state.biases()[0],
        log=log,
        final_accuracy=None if diverged is not None else log[-1][1],
        final_loss=None if diverged is not None else log[-1][2],
        diverged_at=diverged,
        seconds=seconds,
        snapshots=snapshots,
        snapshot_biases=snapshot_biases,
    )


def _diverged(loss: float) -> bool:
    return not loss <= LOSS_AT_START + 1e-3


def sweep_training_sizes(
    x_train,
    labels_train,
    x_test,
    labels_test,
    sizes: Sequence[int],
    *,
    learning_rate: float = 0.1,
    steps: int = 2500,
    progress: Progress | None = None,
) -> SweepResult:
    """Train one model per training size (each on the first ``size`` rows), all in one batched loop.

    Returns the models in the order of ``sizes``, with their final test accuracy and training loss; a model
    that diverged has NaN accuracy and its ``diverged_at`` set.
    """
    sizes = [int(s) if _is_int(s) else s for s in sizes]
    if not sizes:
        raise TrainingError("a sweep needs at least one training size")
    for s in sizes:
        TrainConfig(s, len(x_test), learning_rate, steps).check(len(x_train), len(x_test))
    order = sorted(set(sizes))
    engine = _PrefixEngine(x_train[: order[-1]], labels_train[: order[-1]], x_test, labels_test, order)
    start = time.perf_counter()
    *_, (_step, state) = engine.run(learning_rate, steps, [steps], progress)
    accuracy, loss = state.evaluate(training_loss=True)
    seconds = time.perf_counter() - start
    where = [order.index(s) for s in sizes]
    diverged = [
        (state.first_over[i] if state.first_over[i] is not None else steps) if _diverged(loss[i]) else None
        for i in where
    ]
    accuracy = np.where([d is None for d in diverged], accuracy[where], np.nan)
    return SweepResult(
        sizes=np.array(sizes),
        weights=state.weights()[where],
        biases=state.biases()[where],
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


class _PrefixEngine:
    """K models trained at once, model k on the first ``sizes[k]`` training rows (sizes ascending)."""

    def __init__(self, x_train, labels_train, x_test, labels_test, sizes: list[int]):
        tf = _tensorflow()

        self.tf = tf
        x_train = np.asarray(x_train, np.float32)
        n, pixels = x_train.shape
        self.sizes = sizes
        self.k = len(sizes)
        self.pixels = pixels
        nonzero = (x_train != 0).mean(axis=0)
        self.dense_cols = np.flatnonzero(nonzero > SPARSE_DENSITY)
        self.sparse_cols = np.flatnonzero((nonzero > 0) & (nonzero <= SPARSE_DENSITY))
        onehot = np.eye(10, dtype=np.float32)[np.asarray(labels_train)]
        self.blocks = [
            _Block(
                tf,
                x_train[a:b],
                onehot[a:b],
                self.dense_cols,
                self.sparse_cols,
                [s for s in sizes if s > a],
                a,
                self.k,
            )
            for a, b in _block_bounds(sizes)
        ]
        self.inv_size = tf.constant(1.0 / np.array(sizes, np.float32))
        self.inv_size_cols = tf.constant(np.repeat(1.0 / np.array(sizes, np.float32), 10))
        self.x_test = tf.constant(np.asarray(x_test, np.float32))
        self.labels_test = tf.constant(np.asarray(labels_test, np.int64))
        self._step_fn = tf.function(self._steps)

    def run(self, learning_rate: float, steps: int, stops: list[int], progress: Progress | None):
        """Yield ``(step, state)`` after each update index in ``stops`` (ascending, within 0..steps)."""
        tf = self.tf
        state = _State(self)
        lr = tf.constant(learning_rate, tf.float32)
        done = 0  # updates made so far; update index i is the (i+1)-th
        total = steps + 1
        for stop in stops:
            count = stop + 1 - done
            if count > 0:
                state.wd, state.ws, state.b, over = self._step_fn(
                    state.wd, state.ws, state.b, lr, tf.constant(count)
                )
                for k, first in enumerate(over.numpy()):
                    if first != NOT_OVER and state.first_over[k] is None:
                        state.first_over[k] = max(0, done + int(first))
                done = stop + 1
                if progress is not None:
                    progress(done, total)
            yield stop, state

    def _steps(self, wd, ws, b, lr, count):
        """Make ``count`` updates; also return, per model, the first update (counted from this call's
        first, -1 for the update before it) after which the training loss was above ln 10 or not finite,
        or NOT_OVER."""
        tf = self.tf
        first_over = tf.fill([self.k], tf.constant(NOT_OVER, tf.int32))
        scale = lr * self.inv_size_cols  # learning rate / training size, per weight column
        for i in tf.range(count):
            parts = [block.gradients(wd, ws, b) for block in self.blocks]
            wd = wd - tf.add_n([p[0] for p in parts]) * scale
            ws = ws - tf.add_n([p[1] for p in parts]) * scale
            b = b - tf.add_n([p[2] for p in parts]) * scale
            # the loss of this pass belongs to the weights before this update, i.e. after update i - 1
            loss = tf.add_n([p[3] for p in parts]) * self.inv_size
            over = tf.logical_not(loss <= LOSS_AT_START + 1e-3)  # also true for NaN
            first_over = tf.where(over & (first_over == NOT_OVER), i - 1, first_over)
        return wd, ws, b, first_over


class _Block:
    """Rows [start, start + len) of the training set and the models (a suffix of all K) that use them.

    Weights of all K models sit side by side as columns: W[:, 10k:10k+10] is model k's, so the models of a
    block are one contiguous slice of columns and each product is one wide matrix multiplication.
    """

    def __init__(self, tf, x, onehot, dense_cols, sparse_cols, active_sizes, start, k):
        self.tf = tf
        self.m = len(active_sizes)
        self.first = (k - self.m) * 10  # models are sorted by size, so the active ones are the last m
        rows = np.arange(start, start + len(x))
        mask = (rows[:, None] < np.array(active_sizes)[None, :]).astype(np.float32)  # (rows, m)
        self.mask = None if mask.all() else tf.constant(mask[:, :, None])
        self.xd = tf.constant(np.ascontiguousarray(x[:, dense_cols]))
        xs = x[:, sparse_cols]
        where = np.argwhere(xs != 0)
        self.xs = tf.sparse.SparseTensor(where, xs[xs != 0], xs.shape) if len(sparse_cols) else None
        self.xs_t = tf.sparse.reorder(tf.sparse.transpose(self.xs)) if self.xs is not None else None
        self.y = tf.constant(onehot[:, None, :])  # (rows, 1, 10)
        self.pad = [[0, 0], [self.first, 0]]

    def logits(self, wd, ws, b):
        """Return the logits of this block's rows under each active model, shaped (rows, m, 10)."""
        tf = self.tf
        if self.first:
            wd, ws, b = wd[:, self.first :], ws[:, self.first :], b[self.first :]
        logits = tf.matmul(self.xd, wd)
        if self.xs is not None:
            logits += tf.sparse.sparse_dense_matmul(self.xs, ws)
        return tf.reshape(logits + b, [-1, self.m, 10])

    def gradients(self, wd, ws, b):
        """Return this block's summed gradients (dense W, sparse W, b) and cross-entropy for all K models."""
        tf = self.tf
        logits = self.logits(wd, ws, b)
        logsumexp = tf.reduce_logsumexp(logits, axis=2, keepdims=True)
        loss = logsumexp[:, :, 0] - tf.reduce_sum(self.y * logits, axis=2)  # cross-entropy per row and model
        g = tf.exp(logits - logsumexp) - self.y  # d(cross-entropy)/d(logits): softmax minus one-hot
        if self.mask is not None:
            g *= self.mask
            loss *= self.mask[:, :, 0]
        loss = tf.reduce_sum(loss, axis=0)
        g = tf.reshape(g, [-1, self.m * 10])
        gd = tf.matmul(self.xd, g, transpose_a=True)
        gs = tf.sparse.sparse_dense_matmul(self.xs_t, g) if self.xs is not None else ws[:, self.first :]
        gb = tf.reduce_sum(g, axis=0)
        if self.first:
            gd, gs, gb = tf.pad(gd, self.pad), tf.pad(gs, self.pad), tf.pad(gb, self.pad[1:])
            loss = tf.pad(loss, [[self.first // 10, 0]])
        return gd, gs, gb, loss


def _tensorflow():
    """Import TensorFlow without its C++ start-up chatter (oneDNN, CUDA probing), which is not for users.

    TensorFlow's native logging ignores ``TF_CPP_MIN_LOG_LEVEL`` before absl is initialised, so the import and
    the first device query run with the process's stderr pointed at /dev/null; Python errors still propagate.
    ``FIGGEN_TF_VERBOSE=1`` shows everything.
    """
    if "tensorflow" in sys.modules or os.environ.get("FIGGEN_TF_VERBOSE"):
        import tensorflow as tf

        return tf
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import tensorflow as tf

            tf.get_logger().setLevel("ERROR")
            tf.config.list_physical_devices()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return tf


def _block_bounds(sizes: list[int]) -> list[tuple[int, int]]:
    """Split rows 0..max(sizes) into blocks that end at model sizes and grow by at least BLOCK_RATIO."""
    ends = [sizes[-1]]
    for s in reversed(sizes[:-1]):
        if s >= MIN_BLOCK and s * BLOCK_RATIO <= ends[-1]:
            ends.append(s)
    ends.reverse()
    return list(zip([0, *ends[:-1]], ends, strict=True))


class _State:
    """The weights of all K models during a run, kept on the device; numpy copies on request."""

    def __init__(self, engine: _PrefixEngine):
        tf = engine.tf
        self.engine = engine
        self.wd = tf.zeros([len(engine.dense_cols), engine.k * 10])
        self.ws = tf.zeros([len(engine.sparse_cols), engine.k * 10])
        self.b = tf.zeros([engine.k * 10])
        self.first_over: list[int | None] = [None] * engine.k  # first update leaving the loss above ln 10

    def weights(self) -> np.ndarray:
        """Return W of every model as a (K, 784, 10) float32 array (zero for pixels never lit)."""
        e = self.engine
        out = np.zeros((e.pixels, e.k, 10), np.float32)
        out[e.dense_cols] = self.wd.numpy().reshape(-1, e.k, 10)
        out[e.sparse_cols] = self.ws.numpy().reshape(-1, e.k, 10)
        return out.transpose(1, 0, 2).copy()

    def biases(self) -> np.ndarray:
        return self.b.numpy().reshape(self.engine.k, 10)

    def evaluate(self, training_loss: bool) -> tuple[np.ndarray, np.ndarray]:
        """Return test accuracy and (if asked) mean training cross-entropy of every model."""
        e = self.engine
        tf = e.tf
        w = self.weights().transpose(1, 0, 2).reshape(e.pixels, -1)
        logits = tf.reshape(tf.matmul(e.x_test, w) + self.b, [-1, e.k, 10])
        correct = tf.equal(tf.argmax(logits, axis=2), e.labels_test[:, None])
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32), axis=0).numpy()
        loss = np.full(e.k, np.nan, np.float32)
        if training_loss:
            total = np.zeros(e.k, np.float64)
            for block in e.blocks:
                logits = block.logits(self.wd, self.ws, self.b)
                labels = tf.broadcast_to(block.y, tf.shape(logits))
                ce = tf.nn.softmax_cross_entropy_with_logits(labels, logits)
                if block.mask is not None:
                    ce *= block.mask[:, :, 0]
                total[block.first // 10 :] += tf.reduce_sum(ce, axis=0).numpy()
            loss = (total / np.array(e.sizes)).astype(np.float32)
        return accuracy, loss
