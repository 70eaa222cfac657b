"""The numbers the figures show, computed from arrays: softmax and cross-entropy, gradient descent on
y = x², and what a trained model does (accuracy dips, block accuracies, accuracy against training size,
shifted digits).

Everything here is plain numpy on values a recipe already has (a run's log, its weights, the test set), so
recipes stay wiring, every number a figure shows is computed, never typed, and each can be tested on tiny
inputs. Predictions use :func:`figgen.training.predict`, the text's ``y = softmax(xW + b)``. The ``check_*``
functions refuse parameters a figure cannot show, before any training.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from figgen.core.errors import FiggenError
from figgen.core.knobs import CLASSES, SIDE
from figgen.core.regime import regime
from figgen.training import predict

# --- softmax and cross-entropy --------------------------------------------------------------------


def softmax(logits: Sequence[float]) -> np.ndarray:
    """Probabilities exp(z) / sum(exp(z)), computed stably (the largest logit is subtracted first)."""
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


def cross_entropy(prediction: Sequence[float], label: int) -> float:
    """The text's loss for one example: −sum(one_hot(label) · log(prediction)) = −log(prediction[label])."""
    p = np.asarray(prediction, dtype=np.float64)
    k = np.zeros_like(p)
    k[label] = 1.0
    with np.errstate(divide="ignore"):  # a zero probability elsewhere only multiplies a zero label
        return float(np.sum(-np.multiply(np.log(p), k, where=k > 0, out=np.zeros_like(p))))


SNAPSHOT_BLOCK = 2000  # test rows scored per block by snapshot_accuracy (a 16 MB float64 copy)
MAX_LOGITS = 12  # more bars than this no longer fit one panel legibly


def check_logits(logits: Sequence[float], what: str) -> None:
    """Refuse more logits than a softmax panel can show (an empty list is refused before any work)."""
    if len(logits) > MAX_LOGITS:
        raise FiggenError(f"{what} must have at most {MAX_LOGITS} values, got {len(logits)}")


def check_prediction(prediction: Sequence[float], what: str) -> None:
    """Refuse a prediction that is not a probability for each of the ten digits.

    It needs ten values, each in (0, 1] (a zero would make its loss −log(0) infinite), summing to 1 within
    0.01, so hand-typed values like 0.33, 0.33, 0.34 pass.
    """
    if len(prediction) != CLASSES:
        raise FiggenError(
            f"{what} must have {CLASSES} probabilities, one per digit 0 to 9, got {len(prediction)}"
        )
    bad = [v for v in prediction if not 0 < v <= 1]
    if bad:
        raise FiggenError(f"{what} must hold probabilities above 0 and at most 1, got {bad[0]:g}")
    total = math.fsum(prediction)
    if abs(total - 1) > 0.01:
        raise FiggenError(f"{what} must sum to 1 (a probability for each digit), got a sum of {total:g}")


def truncate(value: float, decimals: int = 4) -> str:
    """``value`` cut (not rounded) to ``decimals`` places, as the text quotes numpy's output (0.1053…)."""
    scale = 10**decimals
    return f"{math.trunc(value * scale) / scale:.{decimals}f}"


# --- gradient descent on y = x² ------------------------------------------------------------------


def gradient_descent_path(x0: float, learning_rate: float, steps: int) -> np.ndarray:
    """Positions x_0 … x_steps of gradient descent on y = x²: x_{t+1} = x_t − learning_rate · 2 x_t."""
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    return float(x0) * (1.0 - 2.0 * float(learning_rate)) ** np.arange(steps + 1, dtype=np.float64)


def learning_rate_verdict(path: np.ndarray) -> str:
    """A few words on a path of gradient descent on y = x², by :func:`regime` of its distance |x| from the
    minimum: too small (crawls), good, overshoots yet converges, bounces (unstable) or diverges."""
    distance = np.abs(np.asarray(path, np.float64))
    if distance[0] == 0:
        return "starts at the minimum"
    kind = regime(distance, distance[0])
    if kind == "diverged":
        return "too large: diverges"
    if kind == "unstable":
        return "too large: bounces"
    flips = len(path) > 1 and np.sign(path[1]) == -np.sign(path[0])  # the first step crosses the minimum
    if kind == "crawls":
        return "too large: bounces" if flips and distance[-1] >= distance[0] else "too small: crawls"
    return "overshoots, converges" if flips else "good: converges"


# --- examples from the data set -------------------------------------------------------------------


def training_example(data, index: int, what: str) -> tuple[np.ndarray, int]:
    """Training image ``index`` (784 floats in [0, 1]) and its label; a clear error past the data's end."""
    if not 0 <= index < data.n_train:
        raise FiggenError(f"{what} = {index}, but the data set has training examples 0 to {data.n_train - 1}")
    x, y = data.train(index + 1)
    return x[index], int(y[index])


def training_rows(data, start: int, stop: int, what: str) -> np.ndarray:
    """Training images ``start`` to ``stop - 1`` as rows of 784 floats, like ``x_train[start:stop]``.

    ``what`` is the recipe whose START and STOP these are, for the error message.
    """
    if start >= stop:
        raise FiggenError(f"{what}.START must be below {what}.STOP, got START={start}, STOP={stop}")
    if not 0 <= start < stop <= data.n_train:
        raise FiggenError(f"{what}: need 0 <= START < STOP <= {data.n_train}, got START={start}, STOP={stop}")
    return data.train(stop)[0][start:]


def first_with_label(data, label: int) -> int:
    """Index of the first training example whose label is ``label``."""
    hits = np.flatnonzero(data.train_labels == label)
    if not hits.size:
        raise FiggenError(f"the data set has no training example with label {label}")
    return int(hits[0])


# --- what a trained model gets right ---------------------------------------------------------------


def correct(weights: np.ndarray, bias: np.ndarray, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Return one boolean per row: is the most probable digit the label? (the text's correct_prediction)."""
    return predict(weights, bias, x).argmax(axis=1) == np.asarray(labels)


# --- the training curve ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dip:
    """A logged local maximum of test accuracy after which accuracy fell while the training loss fell."""

    step: int
    accuracy: float
    next_step: int
    next_accuracy: float
    loss: float
    next_loss: float


def accuracy_dips(log: Sequence[tuple[int, float, float]]) -> list[Dip]:
    """Return the text's overfitting moments in a log of ``(step, test accuracy, training loss)``.

    A dip is a logged step whose accuracy is at least the one before it and strictly above the next
    one, while the loss at the next step is strictly lower: the loss still improves but the unseen test
    data is classified slightly worse.
    """
    dips = []
    for i in range(len(log) - 1):
        step, acc, loss = log[i]
        next_step, next_acc, next_loss = log[i + 1]
        rising = i == 0 or acc >= log[i - 1][1]
        if rising and acc > next_acc and next_loss < loss:
            dips.append(
                Dip(int(step), float(acc), int(next_step), float(next_acc), float(loss), float(next_loss))
            )
    return dips


def snapshot_accuracy(run, x_test: np.ndarray, labels_test: np.ndarray) -> dict[int, float]:
    """Return the test accuracy of the model at each snapshot step of a run (its W and b then).

    Every snapshot is scored at once, one product of the test rows with all their weights side by side
    (float64, as :func:`correct`; the most probable digit is the largest logit), a block of rows at a time
    so the float64 copy stays small: one pass instead of one per snapshot.
    """
    steps = sorted(run.snapshots)
    if not steps:
        return {}
    weights = np.concatenate([run.snapshots[s] for s in steps], axis=1).astype(np.float64)
    bias = np.concatenate([run.snapshot_biases[s] for s in steps]).astype(np.float64)
    labels = np.asarray(labels_test)
    hits = np.zeros(len(steps), np.int64)
    for start in range(0, len(labels), SNAPSHOT_BLOCK):
        x = np.asarray(x_test[start : start + SNAPSHOT_BLOCK], np.float64)
        guesses = (x @ weights + bias).reshape(len(x), len(steps), CLASSES).argmax(axis=2)
        hits += (guesses == labels[start : start + SNAPSHOT_BLOCK, None]).sum(axis=0)
    return {step: float(h / len(labels)) for step, h in zip(steps, hits, strict=True)}


# --- test set size ---------------------------------------------------------------------------------


def block_accuracies(hits: np.ndarray, block: int) -> np.ndarray:
    """Accuracy on each disjoint block of ``block`` consecutive test examples (a remainder is dropped).

    Block 0 is the text's ``TEST_SIZE(block)``: the first examples of the test set.
    """
    hits = np.asarray(hits, bool)
    if block < 1 or block > len(hits):
        raise FiggenError(f"block size must be between 1 and {len(hits)}, got {block}")
    count = len(hits) // block
    return hits[: count * block].reshape(count, block).mean(axis=1)


def standard_error(accuracy: float, n: int) -> float:
    """The binomial standard error of an accuracy measured on ``n`` test examples: sqrt(p (1 - p) / n).

    How far the accuracy on another ``n`` examples like these would typically land from this one: at
    90.6% on 10,000 test digits it is 0.29 points, 29 digits.
    """
    if n < 1:
        raise FiggenError(f"a standard error needs at least one test example, got {n}")
    p = min(max(float(accuracy), 0.0), 1.0)
    return math.sqrt(p * (1.0 - p) / n)


def random_sample_accuracies(hits: np.ndarray, size: int, samples: int, seed: int = 0) -> np.ndarray:
    """Accuracy on each of ``samples`` random test sets of ``size`` examples drawn from ``hits``.

    Each sample is drawn without replacement, independently of the others, by a generator seeded with
    ``seed``: the same seed gives the same accuracies. Unlike :func:`block_accuracies`, the test set's
    order plays no part, so the spread is the sample size's alone (about :func:`standard_error`).
    """
    hits = np.asarray(hits, bool)
    if size < 1 or size > len(hits):
        raise FiggenError(f"sample size must be between 1 and {len(hits)}, got {size}")
    if samples < 1:
        raise FiggenError(f"the number of samples must be at least 1, got {samples}")
    rng = np.random.default_rng(seed)
    return np.array([hits[rng.choice(len(hits), size, replace=False)].mean() for _ in range(samples)])


# --- training size ---------------------------------------------------------------------------------


def accuracy_gains(sizes: Sequence[int], accuracy: Sequence[float]) -> list[tuple[int, int, float]]:
    """Accuracy gained over each tenfold of training size: ``(from, to, gain)``, from 1 to the largest size.

    Sizes between measured ones are interpolated on a log scale; the last span ends at the largest size,
    so a plateau shows as gains that shrink while the data grows tenfold.
    """
    sizes, accuracy = np.asarray(sizes, float), np.asarray(accuracy, float)
    bounds = [10**k for k in range(int(np.log10(sizes[-1])) + 1) if sizes[0] <= 10**k < sizes[-1]]
    bounds.append(int(sizes[-1]))
    at = np.interp(np.log(bounds), np.log(sizes), accuracy)
    return [(bounds[i], bounds[i + 1], float(at[i + 1] - at[i])) for i in range(len(bounds) - 1)]


# --- shifted digits --------------------------------------------------------------------------------


def shift_left(images: np.ndarray, pixels: int) -> np.ndarray:
    """Move digits ``pixels`` columns to the left; columns entering on the right are zero (no wrap-around).

    Takes rows of 784 pixels or 28 x 28 images and returns the same shape.
    """
    images = np.asarray(images)
    if not 0 <= pixels <= SIDE:
        raise FiggenError(f"a shift must be between 0 and {SIDE} pixels, got {pixels}")
    square = images.reshape(-1, SIDE, SIDE)
    out = np.zeros_like(square)
    out[:, :, : SIDE - pixels] = square[:, :, pixels:]
    return out.reshape(images.shape)


def leftmost_column(image: np.ndarray) -> int:
    """The first column of a 28 x 28 digit (or row of 784) holding ink: how far it can move left."""
    columns = np.flatnonzero(np.asarray(image).reshape(SIDE, SIDE).any(axis=0))
    return int(columns[0]) if len(columns) else 0


def accuracy_against_shift(weights, bias, x, labels, shifts: Sequence[int]) -> np.ndarray:
    """Test accuracy of the model on ``x`` moved left by each shift."""
    return np.array([correct(weights, bias, shift_left(x, s), labels).mean() for s in shifts])


def nth_of_digit(labels: np.ndarray, digit: int, n: int, what: str = "n") -> int:
    """Index of the ``n``-th (from 0) example labelled ``digit``; ``what`` names ``n`` in the error."""
    where = np.flatnonzero(np.asarray(labels) == digit)
    if n >= len(where):
        raise FiggenError(
            f"{what} = {n}, but the {len(labels):,} test digits hold only {len(where)} examples of {digit}, "
            f"not {n + 1}" + (f" (use 0 to {len(where) - 1})" if len(where) else "")
        )
    return int(where[n])


@dataclass(frozen=True)
class ShiftStudy:
    """One test digit moved left step by step, and the model's accuracy against the shift."""

    index: int  # the test example moved
    digit: int  # its label
    edge: int  # the shift that brings its ink to the left edge
    shown: list[int]  # the shifts of ``moved``, the last one ``edge``
    moved: np.ndarray  # (len(shown), 784) the digit at each shown shift
    probs: np.ndarray  # (len(shown), 10) the model's probabilities for each
    shifts: list[int]  # 0 .. the largest shift measured
    on_digit: np.ndarray  # accuracy on every test example labelled ``digit``, per shift
    on_all: np.ndarray  # accuracy on the whole test set, per shift
    digit_count: int  # test examples labelled ``digit``
    test_count: int  # test examples in all

    @property
    def collapse(self) -> int | None:
        """The smallest shift at which fewer than half of the ``digit`` test examples are recognised."""
        return next((s for s, a in zip(self.shifts, self.on_digit, strict=True) if a < 0.5), None)


def shift_study(
    weights, bias, x: np.ndarray, labels: np.ndarray, index: int, shifts: Sequence[int], max_shift: int
) -> ShiftStudy:
    """Move test example ``index`` left by each of ``shifts`` below its edge and to the edge; predict each.

    Accuracy is measured for every shift from 0 to ``max_shift`` on the test examples with the same label
    and on all of ``x``.
    """
    digit = int(labels[index])
    edge = leftmost_column(x[index])
    shown = sorted({s for s in shifts if 0 <= s < edge} | {edge})
    moved = np.stack([shift_left(x[index], s) for s in shown])
    measured = list(range(max_shift + 1))
    same = labels == digit
    return ShiftStudy(
        index=index,
        digit=digit,
        edge=edge,
        shown=shown,
        moved=moved,
        probs=predict(weights, bias, moved),
        shifts=measured,
        on_digit=accuracy_against_shift(weights, bias, x[same], labels[same], measured),
        on_all=accuracy_against_shift(weights, bias, x, labels, measured),
        digit_count=int(same.sum()),
        test_count=len(x),
    )
