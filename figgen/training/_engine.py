"""The training engine: many softmax-regression models trained at once with TensorFlow, in one loop.

Model k trains on the first ``sizes[k]`` training rows with its own learning rate, so one engine serves a
single run, a sweep over training sizes (nested prefixes of one training set) and a run per learning rate
alike. The training rows are cut into *blocks*; a block is multiplied once per step by the weights of all
the models that use its rows (a suffix of the models, sorted by size), side by side, so every model's
products cover exactly its own rows. Where blocks go is a cost trade-off (:mod:`figgen.training._plan`):
a model whose size ends inside a block has the rows past it masked out, which is wasted work, while every
block costs a dozen more ops per step; and independent blocks keep the cores busy side by side.

Weights are held transposed, as ``(10 * models, pixels)``: the logits of a block are one product
``W_t @ x_t`` of shape ``(10 * models, rows)`` and the softmax reduces over a short middle axis of
contiguous rows, which TensorFlow does several times faster than over a last axis of length 10. The bias is
one more weight column against a row of ones. Pixels lit in only a few training rows go through a sparse
product; pixels never lit are skipped, since their weights provably stay zero. All of this gives the same
updates as the dense formula, to float32 rounding. TensorFlow is imported (:mod:`figgen.training._tf`)
only when an engine is built.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
from collections.abc import Iterator
from typing import Any

import numpy as np

from figgen.core.progress import Progress
from figgen.core.regime import UNTRAINED_LOSS
from figgen.training._plan import LANES, plan_blocks
from figgen.training._tf import training_tensorflow

SPARSE_DENSITY = 0.05  # pixels lit in at most this share of the training rows use the sparse product
TEST_PART_ROWS = 2000  # test rows are scored in LANES parts of at least this many
SCORE_ROWS = 500  # weight rows scored per product: logits of 500 x 10,000 test rows are 20 MB
LOSS_AT_START = UNTRAINED_LOSS  # the cross-entropy of W = 0, b = 0 (figgen.core.regime holds it)
DIVERGED_LOSS = LOSS_AT_START + 1e-3  # a loss above this (or NaN) is worse than knowing nothing
NONE_OK = -(2**30)  # "no update in this call left the loss at or below ln 10"


class Engine:
    """Models trained at once, model k on the first ``sizes[k]`` rows (ascending) at ``rates[k]``."""

    def __init__(self, x_train, labels_train, x_test, labels_test, sizes: list[int], rates: list[float]):
        tf = training_tensorflow()

        self.tf = tf
        self.sizes, self.k = list(sizes), len(sizes)
        x = np.asarray(x_train[: sizes[-1]], np.float32)
        labels = np.asarray(labels_train[: sizes[-1]])
        self.pixels = x.shape[1]
        lit = (x != 0).mean(axis=0)
        self.dense_cols = np.flatnonzero(lit > SPARSE_DENSITY)
        self.sparse_cols = np.flatnonzero((lit > 0) & (lit <= SPARSE_DENSITY))
        x_dense = _columns(x, self.dense_cols)  # the bias's row of ones last
        x_sparse = x[:, self.sparse_cols]
        plan = plan_blocks(sizes)
        self.blocks = [_Block(a, sizes, len(self.sparse_cols)) for a, _ in plan]
        scale = np.asarray(rates, np.float32) / np.asarray(sizes, np.float32)  # learning rate / size
        self.n_test = len(x_test)
        # The tensors go to the traced functions as arguments, not captured: then they belong to the
        # engine alone and are freed with it, without waiting for a garbage collection of TF's graphs.
        self.constants: dict[str, Any] | None = {  # None once closed
            "blocks": [
                block.tensors(tf, x_dense[a:b], x_sparse[a:b], labels[a:b])
                for block, (a, b) in zip(self.blocks, plan, strict=True)
            ],
            "scale_dense": tf.constant(np.repeat(scale, 10)[:, None]),
            "scale_sparse": tf.constant(scale[:, None, None]),
            "inv_size": tf.constant(1.0 / np.asarray(sizes, np.float32)),
            # the test rows in LANES parts, scored side by side like the blocks
            "test": [
                (tf.constant(_columns(x_test[a:b], self.dense_cols, self.sparse_cols)), tf.constant(part))
                for a, b, part in _parts(len(x_test), np.asarray(labels_test, np.int64))
            ],
        }
        # plain graph code with an explicit while loop: autograph's source conversion is not needed
        self._steps_fn = tf.function(self._steps, autograph=False)
        self._score_fn = tf.function(self._score, autograph=False, reduce_retracing=True)

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Free the engine's tensors now, and hand the memory back to the system.

        The traced functions refer back to the engine (a cycle that waits for a full garbage collection,
        a slow one with TensorFlow loaded), so the tensors are dropped here by hand; and glibc keeps what
        TensorFlow frees for itself unless asked to trim, so the drawing that follows a training would
        stack on top of it.
        """
        self.constants = self._steps_fn = self._score_fn = None
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).malloc_trim(0)  # glibc only; elsewhere the allocator decides

    def run(self, steps: int, stops: list[int], progress: Progress | None) -> Iterator[tuple[int, State]]:
        """Yield ``(step, state)`` after each update index in ``stops`` (ascending, within 0..steps).

        ``state.start_loss`` is then each model's training loss at the previous stop (or at the start):
        the first update of a call computes it anyway, so a log line's loss costs nothing but a wait.
        """
        tf = self.tf
        state = State(self)
        done = 0  # updates made so far; update index i is the (i+1)-th
        total = steps + 1
        for stop in stops:
            state.dense_t, state.sparse, last_ok, start_loss = self._steps_fn(
                self._open(), state.dense_t, state.sparse, tf.constant(stop + 1 - done)
            )
            state.start_loss = start_loss.numpy().astype(np.float64)
            for k, ok in enumerate(last_ok.numpy()):
                if ok != NONE_OK:
                    state.last_ok[k] = done + int(ok)
            done = stop + 1
            if progress is not None:
                progress(done, total)
            yield stop, state

    def score(self, states: list[State]) -> np.ndarray:
        """Return the test accuracy of every model in each state, ``(len(states), models)``, as float64.

        All states are scored after training in a few wide products of the test rows with their weights
        side by side (SCORE_ROWS weight rows at a time, which bounds the logits' memory), rather than one
        narrow product per logged step.
        """
        tf = self.tf
        per_call = max(1, SCORE_ROWS // (10 * self.k))
        hits = []
        for i in range(0, len(states), per_call):
            chunk = states[i : i + per_call]
            dense_t = tf.stack([s.dense_t for s in chunk])
            sparse = tf.stack([s.sparse for s in chunk])
            hits.append(self._score_fn(self._open(), dense_t, sparse).numpy())
        return np.concatenate(hits) / self.n_test

    def loss(self, state: State) -> np.ndarray:
        """Return each model's mean training cross-entropy at ``state``, as float64.

        One more update from ``state``, discarded: its first forward pass is the loss, and the step
        function is traced already (a forward-only function would cost as much to trace as it saves).
        """
        *_, loss = self._steps_fn(self._open(), state.dense_t, state.sparse, self.tf.constant(1))
        return loss.numpy().astype(np.float64)

    def _open(self) -> dict[str, Any]:
        """The engine's constant tensors; a RuntimeError once :meth:`close` has freed them."""
        if self.constants is None:
            raise RuntimeError("this Engine is closed: close() freed its tensors")
        return self.constants

    def _steps(self, constants, dense_t, sparse, count):
        """Make ``count`` updates; also return, per model, the last update (counted from this call's first,
        -1 for the update before it) after which the training loss was finite and at most ln 10, or NONE_OK,
        and the loss of the weights the call started from.
        """
        tf = self.tf

        c = constants

        def update(i, dense_t, sparse, last_ok, start_loss):
            parts = [
                b.gradients(tf, t, dense_t, sparse) for b, t in zip(self.blocks, c["blocks"], strict=True)
            ]
            dense_t = dense_t - self._sum([p[1] for p in parts], 10) * c["scale_dense"]
            sparse = sparse - self._sum([p[2] for p in parts]) * c["scale_sparse"]
            # the loss of this pass belongs to the weights before this update, i.e. after update i - 1
            loss = self._sum([p[0] for p in parts]) * c["inv_size"]
            ok = loss <= DIVERGED_LOSS  # false for NaN too
            start_loss = tf.where(tf.equal(i, 0), loss, start_loss)
            return i + 1, dense_t, sparse, tf.where(ok, i - 1, last_ok), start_loss

        last_ok = tf.fill([self.k], tf.constant(NONE_OK, tf.int32))
        loop = [tf.constant(0), dense_t, sparse, last_ok, tf.zeros([self.k])]
        _, dense_t, sparse, last_ok, start_loss = tf.while_loop(lambda i, *_: i < count, update, loop)
        return dense_t, sparse, last_ok, start_loss

    def _score(self, c, dense_t, sparse):
        """Return how many test rows each model of each stacked state classifies right, ``(states, K)``."""
        tf = self.tf
        states = tf.shape(dense_t)[0]
        sparse_t = tf.reshape(tf.transpose(sparse, [0, 1, 3, 2]), [states, 10 * self.k, -1])
        weights_t = tf.reshape(tf.concat([dense_t, sparse_t], 2), [states * 10 * self.k, -1])
        hits = []
        for x, labels in c["test"]:
            logits = tf.reshape(tf.matmul(weights_t, x, transpose_b=True), [states, self.k, 10, -1])
            hits.append(tf.reduce_sum(tf.cast(tf.equal(tf.argmax(logits, axis=2), labels), tf.int32), axis=2))
        return tf.add_n(hits)

    def _sum(self, parts, rows_per_model=1):
        """Sum per-block, per-model tensors into one for all models, the last block's first.

        Block j holds models ``first_j ..`` (a suffix, shrinking from block to block), so going backwards
        each running sum is padded only by the models the earlier block adds: less copying than padding
        every block to all models.
        """
        tf = self.tf
        total = parts[-1]
        for j in range(len(self.blocks) - 2, -1, -1):
            extra = self.blocks[j + 1].first - self.blocks[j].first
            padding = [[rows_per_model * extra, 0]] + [[0, 0]] * (len(total.shape) - 1)
            total = parts[j] + tf.pad(total, padding)
        return total


class _Block:
    """Training rows from ``start`` and the models that use them: those larger than ``start``.

    The models of a block are the last ``m`` (sizes ascending), so their dense weights are the last
    ``10 * m`` rows of ``W_t`` and their sparse weights the last ``m`` of ``(models, pixels, 10)``. Sparse
    pixels are multiplied through one block-diagonal sparse matrix (one diagonal block per model), which
    keeps TensorFlow's sparse product at 10 columns, where its CPU kernel is fast.
    """

    def __init__(self, start: int, sizes: list[int], sparse_pixels: int):
        self.start, self.active = start, [s for s in sizes if s > start]
        self.m, self.first = len(self.active), len(sizes) - len(self.active)
        self.sparse_pixels = sparse_pixels

    def tensors(self, tf, x_dense, x_sparse, labels) -> dict:
        """The block's constant tensors: its rows (dense columns, the bias's ones last; also transposed for
        several models), labels (zero on masked rows), mask, and block-diagonal sparse pixels."""
        rows, m = len(x_dense), self.m
        onehot = np.eye(10, dtype=np.float32)[labels].T[None]  # (1, 10, rows)
        uses = (self.start + np.arange(rows)[None, :] < np.asarray(self.active)[:, None]).astype(np.float32)
        mask = None if uses.all() else uses[:, None]  # (models, 1, rows): the model uses the row
        t = {
            "x": tf.constant(x_dense),
            # one model's logits are faster from x itself (and need no copy); several models' from x_t
            "x_t": None if m == 1 else tf.constant(np.ascontiguousarray(x_dense.T)),
            "y": tf.constant(onehot if mask is None else onehot * mask),
            "mask": None if mask is None else tf.constant(mask),
            "xs": None,  # no sparse pixel lit in these rows: their gradients are zero here
            "xs_t": None,
        }
        where = np.argwhere(x_sparse != 0)
        if len(where):
            models = np.repeat(np.arange(m), len(where))
            index = np.stack(
                [
                    models * rows + np.tile(where[:, 0], m),
                    models * x_sparse.shape[1] + np.tile(where[:, 1], m),
                ],
                1,
            )
            values = np.tile(x_sparse[where[:, 0], where[:, 1]], m)
            t["xs"] = tf.sparse.SparseTensor(index, values, (m * rows, m * x_sparse.shape[1]))
            t["xs_t"] = tf.sparse.reorder(tf.sparse.transpose(t["xs"]))
        return t

    def gradients(self, tf, t, dense_t, sparse):
        """Return this block's summed cross-entropy and gradients (dense W_t, sparse W) for its models,
        ``t`` being its tensors."""
        m = self.m
        if self.first:
            dense_t, sparse = dense_t[10 * self.first :], sparse[self.first :]
        if t["x_t"] is None:
            z = tf.reshape(tf.matmul(dense_t, t["x"], transpose_b=True), [m, 10, -1])
        else:
            z = tf.reshape(tf.matmul(dense_t, t["x_t"]), [m, 10, -1])
        if t["xs"] is not None:
            zs = tf.sparse.sparse_dense_matmul(t["xs"], tf.reshape(sparse, [-1, 10]))
            z += tf.transpose(tf.reshape(zs, [m, -1, 10]), [0, 2, 1])
        top = tf.reduce_max(z, axis=1, keepdims=True)
        e = tf.exp(z - top)
        total = tf.reduce_sum(e, axis=1, keepdims=True)
        # cross-entropy per row: logsumexp minus the label's logit (y is zero on masked rows)
        log_total = tf.math.log(total) + top
        if t["mask"] is not None:
            log_total *= t["mask"]
        loss = tf.reduce_sum(log_total, axis=[1, 2]) - tf.reduce_sum(t["y"] * z, axis=[1, 2])
        # d(cross-entropy)/d(logits): softmax minus one-hot, zero on masked rows
        g = e * (1.0 / total if t["mask"] is None else t["mask"] / total) - t["y"]
        grad_dense_t = tf.matmul(tf.reshape(g, [10 * m, -1]), t["x"])
        if t["xs"] is None:
            grad_sparse = tf.zeros([m, self.sparse_pixels, 10])
        else:
            g_rows = tf.reshape(tf.transpose(g, [0, 2, 1]), [-1, 10])
            grad_sparse = tf.reshape(tf.sparse.sparse_dense_matmul(t["xs_t"], g_rows), [m, -1, 10])
        return loss, grad_dense_t, grad_sparse


def _parts(n: int, labels: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """Cut ``n`` test rows into LANES parts of TEST_PART_ROWS at least: ``(start, end, their labels)``."""
    count = max(1, min(LANES, n // TEST_PART_ROWS))
    cuts = [n * i // count for i in range(count + 1)]
    return [(a, b, labels[a:b]) for a, b in zip(cuts[:-1], cuts[1:], strict=True)]


def _columns(x, dense_cols, sparse_cols=()) -> np.ndarray:
    """Rows ``x`` as float32 columns ``dense_cols``, a column of ones (the bias's), then ``sparse_cols``;
    filled in place, so the only copy is the result."""
    out = np.empty((len(x), len(dense_cols) + 1 + len(sparse_cols)), np.float32)
    out[:, : len(dense_cols)] = x[:, dense_cols]
    out[:, len(dense_cols)] = 1.0
    out[:, len(dense_cols) + 1 :] = x[:, sparse_cols]
    return out


class State:
    """The weights of all models at one point of a run, kept on the device; numpy copies on request."""

    def __init__(self, engine: Engine):
        tf = engine.tf
        self.engine = engine
        self.dense_t = tf.zeros([10 * engine.k, len(engine.dense_cols) + 1])
        self.sparse = tf.zeros([engine.k, len(engine.sparse_cols), 10])
        self.last_ok = [-1] * engine.k  # last update after which the loss was at most ln 10 (-1: the start)
        self.start_loss = np.full(engine.k, LOSS_AT_START)  # the loss at the previous stop; see Engine.run

    def copy(self) -> State:
        """This point of the run, kept: the tensors are immutable, the counters copied."""
        other = copy.copy(self)
        other.last_ok = list(self.last_ok)
        return other

    def weights(self) -> np.ndarray:
        """Return W of every model as a (K, 784, 10) float32 array (zero for pixels never lit)."""
        e = self.engine
        out = np.zeros((e.k, e.pixels, 10), np.float32)
        out[:, e.dense_cols] = self.dense_t.numpy()[:, :-1].reshape(e.k, 10, -1).transpose(0, 2, 1)
        out[:, e.sparse_cols] = self.sparse.numpy()
        return out

    def biases(self) -> np.ndarray:
        """Return b of every model as a (K, 10) float32 array."""
        return self.dense_t.numpy()[:, -1].reshape(self.engine.k, 10)

    def diverged_at(self, k: int, final_loss: float) -> int | None:
        """Return where model k diverged given its latest loss: None if that loss is finite and at most
        ln 10, else the first update after which the loss stayed above ln 10."""
        if final_loss <= DIVERGED_LOSS:
            return None
        return self.last_ok[k] + 1
