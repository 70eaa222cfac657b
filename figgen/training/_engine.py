"""The training engine: K softmax-regression models trained at once with TensorFlow, on nested prefixes.

A single run is the case K = 1. The models of a sweep train on nested prefixes of one training set, so they
are stacked side by side and every block of training rows is multiplied once, on every step, by the weights
of all the models that use it. Pixels that are almost always zero in the training rows (the border of the
28x28 square) go through a sparse product, the rest through a dense one; pixels that are always zero are
skipped, since their weights provably stay at zero. This gives the same updates as the dense formula, to
float32 rounding. This module is the only one in figgen that imports TensorFlow, and only when an engine is
built.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable

import numpy as np

SPARSE_DENSITY = 0.02  # pixels non-zero in at most this share of the rows use the sparse product
BLOCK_RATIO = 2.0  # a sweep's row blocks grow at least this much; fewer blocks, fewer ops per step
MIN_BLOCK = 256  # rows below this size share the first block
LOSS_AT_START = math.log(10)  # the cross-entropy of W = 0, b = 0
NONE_OK = -(2**30)  # "no update in this call left the loss at or below ln 10"

Progress = Callable[[int, int], None]


class PrefixEngine:
    """K models trained at once, model k on the first ``sizes[k]`` training rows (sizes ascending)."""

    def __init__(self, x_train, labels_train, x_test, labels_test, sizes: list[int]):
        tf = tensorflow()

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
                state.wd, state.ws, state.b, last_ok = self._step_fn(
                    state.wd, state.ws, state.b, lr, tf.constant(count)
                )
                for k, ok in enumerate(last_ok.numpy()):
                    if ok != NONE_OK:
                        state.last_ok[k] = done + int(ok)
                done = stop + 1
                if progress is not None:
                    progress(done, total)
            yield stop, state

    def _steps(self, wd, ws, b, lr, count):
        """Make ``count`` updates; also return, per model, the last update (counted from this call's first,
        -1 for the update before it) after which the training loss was finite and at most ln 10, or NONE_OK.
        """
        tf = self.tf
        last_ok = tf.fill([self.k], tf.constant(NONE_OK, tf.int32))
        scale = lr * self.inv_size_cols  # learning rate / training size, per weight column
        for i in tf.range(count):
            parts = [block.gradients(wd, ws, b) for block in self.blocks]
            wd = wd - tf.add_n([p[0] for p in parts]) * scale
            ws = ws - tf.add_n([p[1] for p in parts]) * scale
            b = b - tf.add_n([p[2] for p in parts]) * scale
            # the loss of this pass belongs to the weights before this update, i.e. after update i - 1
            loss = tf.add_n([p[3] for p in parts]) * self.inv_size
            ok = loss <= LOSS_AT_START + 1e-3  # false for NaN too
            last_ok = tf.where(ok, i - 1, last_ok)
        return wd, ws, b, last_ok


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


def tensorflow():
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

    def __init__(self, engine: PrefixEngine):
        tf = engine.tf
        self.engine = engine
        self.wd = tf.zeros([len(engine.dense_cols), engine.k * 10])
        self.ws = tf.zeros([len(engine.sparse_cols), engine.k * 10])
        self.b = tf.zeros([engine.k * 10])
        self.last_ok = [-1] * engine.k  # last update after which the loss was at most ln 10 (-1: the start)

    def weights(self) -> np.ndarray:
        """Return W of every model as a (K, 784, 10) float32 array (zero for pixels never lit)."""
        e = self.engine
        out = np.zeros((e.pixels, e.k, 10), np.float32)
        out[e.dense_cols] = self.wd.numpy().reshape(-1, e.k, 10)
        out[e.sparse_cols] = self.ws.numpy().reshape(-1, e.k, 10)
        return out.transpose(1, 0, 2).copy()

    def biases(self) -> np.ndarray:
        return self.b.numpy().reshape(self.engine.k, 10)

    def diverged_at(self, k: int, final_loss: float) -> int | None:
        """Return where model k diverged given its latest loss: None if that loss is finite and at most
        ln 10, else the first update after which the loss stayed above ln 10."""
        if final_loss <= LOSS_AT_START + 1e-3:
            return None
        return self.last_ok[k] + 1

    def evaluate(self) -> tuple[np.ndarray, np.ndarray]:
        """Return test accuracy and mean training cross-entropy of every model, as float64."""
        e = self.engine
        tf = e.tf
        w = self.weights().transpose(1, 0, 2).reshape(e.pixels, -1)
        logits = tf.reshape(tf.matmul(e.x_test, w) + self.b, [-1, e.k, 10])
        correct = tf.equal(tf.argmax(logits, axis=2), e.labels_test[:, None])
        hits = tf.reduce_sum(tf.cast(correct, tf.int32), axis=0).numpy()
        accuracy = hits / len(e.labels_test)  # an exact fraction, as float64
        total = np.zeros(e.k, np.float64)
        for block in e.blocks:
            logits = block.logits(self.wd, self.ws, self.b)
            labels = tf.broadcast_to(block.y, tf.shape(logits))
            ce = tf.nn.softmax_cross_entropy_with_logits(labels, logits)
            if block.mask is not None:
                ce *= block.mask[:, :, 0]
            total[block.first // 10 :] += tf.reduce_sum(ce, axis=0).numpy()
        return accuracy, total / np.array(e.sizes)
