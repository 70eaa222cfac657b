"""Where a trained model goes wrong: its confusion matrix, the accuracy of each class with its binomial
uncertainty (a Wilson interval), and the training examples it gets wrong.

Everything is plain numpy on a run's W and b and the data set's rows; guesses are the most probable class
(:func:`figgen.training.predict`'s argmax, the text's ``correct_prediction``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from figgen.core.errors import FiggenError
from figgen.core.knobs import CLASSES
from figgen.training import predict

#: The normal quantile of a two-sided 95% interval.
Z95 = 1.959963984540054
#: What the confusion matrix recipe can show: both panels, the counts alone or the row-normalised rates.
CONFUSION_PANELS = ("both", "counts", "rates")


def guesses(weights: np.ndarray, bias: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The model's prediction (the most probable class, 0-9) for each row of ``x``."""
    return predict(weights, bias, x).argmax(axis=1)


def confusion_counts(labels: np.ndarray, predicted: np.ndarray, classes: int = CLASSES) -> np.ndarray:
    """The confusion matrix: ``counts[true, predicted]``, how many examples of each class got each guess.

    Rows are the labels, columns the predictions; the diagonal holds the examples the model gets right.
    """
    labels, predicted = np.asarray(labels, np.int64), np.asarray(predicted, np.int64)
    if labels.shape != predicted.shape:
        raise ValueError(f"{labels.shape} labels but {predicted.shape} predictions")
    return np.bincount(labels * classes + predicted, minlength=classes * classes).reshape(classes, classes)


def row_rates(counts: np.ndarray) -> np.ndarray:
    """Each row of a confusion matrix divided by its total: the share of each class given each guess (a class
    without examples is a row of NaN)."""
    counts = np.asarray(counts, float)
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, counts / np.where(totals > 0, totals, 1), np.nan)


@dataclass(frozen=True)
class Confusion:
    """One off-diagonal cell of a confusion matrix: ``count`` examples of class ``true`` predicted as
    ``predicted``, ``rate`` of that class's examples."""

    true: int
    predicted: int
    count: int
    rate: float


def largest_confusions(counts: np.ndarray, n: int = 3) -> list[Confusion]:
    """The ``n`` largest off-diagonal cells (the commonest mistakes), largest first; ties go by the label,
    then the prediction. Cells of zero are never named."""
    counts = np.asarray(counts)
    rates = row_rates(counts)
    cells = [
        Confusion(t, q, int(counts[t, q]), float(rates[t, q]))
        for t in range(counts.shape[0])
        for q in range(counts.shape[1])
        if t != q and counts[t, q] > 0
    ]
    cells.sort(key=lambda c: (-c.count, c.true, c.predicted))
    return cells[: max(n, 0)]


def check_panels(panels: str, where: str = "PANELS") -> str:
    """``panels`` if it is one of :data:`CONFUSION_PANELS`, else a one-line FiggenError."""
    if panels not in CONFUSION_PANELS:
        raise FiggenError(f"{where} must be one of {', '.join(CONFUSION_PANELS)}; got {panels!r}")
    return panels


def wilson_interval(right: int | np.ndarray, n: int | np.ndarray, z: float = Z95) -> tuple:
    """The Wilson score interval (95% by default) of an accuracy of ``right`` out of ``n``: (low, high).

    Unlike p ± z·SE it stays inside [0, 1] and is not zero wide at 0% or 100%; arrays give arrays.
    """
    right, n = np.asarray(right, float), np.asarray(n, float)
    if np.any(n < 1) or np.any(right < 0) or np.any(right > n):
        raise FiggenError("a Wilson interval needs 0 <= right <= n and n >= 1")
    p = right / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


@dataclass(frozen=True)
class ClassAccuracy:
    """The accuracy of each class on a test set, with its 95% Wilson interval, and the overall accuracy.

    Arrays are in class order (index = label); a class without test examples has NaN accuracy and interval.
    """

    right: np.ndarray  # (classes,) examples of each class the model gets right
    total: np.ndarray  # (classes,) examples of each class
    accuracy: np.ndarray  # right / total
    low: np.ndarray  # the 95% Wilson interval's ends
    high: np.ndarray
    overall: float  # all classes together
    overall_low: float
    overall_high: float

    @property
    def n(self) -> int:
        """The number of test examples."""
        return int(self.total.sum())

    def order(self, by_accuracy: bool) -> list[int]:
        """The classes in class order, or from the least accurate to the most (ties by class)."""
        classes = [int(k) for k in np.flatnonzero(self.total > 0)]
        if by_accuracy:
            classes.sort(key=lambda k: (self.accuracy[k], k))
        return classes

    def below(self) -> list[int]:
        """The classes whose whole interval lies below the overall accuracy, in class order."""
        return [int(k) for k in np.flatnonzero((self.total > 0) & (self.high < self.overall))]

    def above(self) -> list[int]:
        """The classes whose whole interval lies above the overall accuracy, in class order."""
        return [int(k) for k in np.flatnonzero((self.total > 0) & (self.low > self.overall))]


def class_accuracy(counts: np.ndarray) -> ClassAccuracy:
    """Per-class accuracy (the diagonal over each row's total) of a confusion matrix, with Wilson
    intervals."""
    counts = np.asarray(counts, np.int64)
    right, total = np.diagonal(counts).copy(), counts.sum(axis=1)
    if total.sum() < 1:
        raise FiggenError("per-class accuracy needs at least one test example")
    seen = total > 0
    accuracy = np.full(len(total), np.nan)
    low, high = accuracy.copy(), accuracy.copy()
    accuracy[seen] = right[seen] / total[seen]
    low[seen], high[seen] = wilson_interval(right[seen], total[seen])
    overall_low, overall_high = wilson_interval(int(right.sum()), int(total.sum()))
    return ClassAccuracy(
        right, total, accuracy, low, high, float(right.sum() / total.sum()), overall_low, overall_high
    )


@dataclass(frozen=True)
class TrainingMistake:
    """A training example the trained model gets wrong, and how it was chosen.

    ``index`` is into the data set's training images (the model trained on the first ``trained_on``);
    ``wrong`` lists every training example it gets wrong, so ``rank`` is ``index``'s place among them.
    """

    index: int
    label: int
    guess: int
    probs: np.ndarray  # (classes,) the model's probabilities for it
    rank: int
    wrong: np.ndarray  # indices of all the training examples it gets wrong, ascending
    trained_on: int
    text_example: bool  # whether it is the text's display_compare(2)

    @property
    def right(self) -> bool:
        """Whether the model gets every training example right, so this one is shown got right."""
        return not len(self.wrong)

    @property
    def accuracy(self) -> float:
        """The model's accuracy on its own training examples."""
        return 1 - len(self.wrong) / self.trained_on


#: The text's ``display_compare(2)``: its training example 2 is the one it says the classifier gets wrong.
TEXT_MISTAKE = 2


def training_mistake(
    weights: np.ndarray,
    bias: np.ndarray,
    x_train: np.ndarray,
    labels_train: np.ndarray,
    which: int = -1,
    text_index: int | None = None,
) -> TrainingMistake:
    """A training example the model (W, b) gets wrong, among the ``x_train`` it was trained on.

    ``which`` ≥ 0 is the ``which``-th of them (from 0, in the order of the training set), or the last when it
    gets fewer wrong. ``which`` -1 is the text's ``display_compare(2)`` (``text_index``, where the data set
    holds it) when the model trained on it and gets it wrong too, else the first training example it gets
    wrong. A model that gets every training example right has no mistake to show: then the example is the
    text's (or the first), got right (:attr:`TrainingMistake.right`, ``rank`` -1). No ``which`` is refused.
    """
    probs = predict(weights, bias, x_train)
    predicted = probs.argmax(axis=1)
    labels = np.asarray(labels_train)
    wrong = np.flatnonzero(predicted != labels)
    if not len(wrong):
        index = text_index if text_index is not None and 0 <= text_index < len(labels) else 0
        return TrainingMistake(
            index, int(labels[index]), int(predicted[index]), probs[index], -1, wrong, len(labels), False
        )
    text = which == -1 and text_index is not None and text_index in set(wrong.tolist())
    index = text_index if text and text_index is not None else int(wrong[min(max(which, 0), len(wrong) - 1)])
    return TrainingMistake(
        index,
        int(labels[index]),
        int(predicted[index]),
        probs[index],
        int(np.searchsorted(wrong, index)),
        wrong,
        len(labels),
        bool(text),
    )


def percent(value: float, digits: int = 1) -> str:
    """A share as a percentage for a figure: 84.9%; never 100.0% or 0.0% for a value short of it."""
    text = f"{100 * value:.{digits}f}%"
    if text == f"{100:.{digits}f}%" and value < 1:
        return f">{100 - 10**-digits:.{digits}f}%"
    if text == f"{0:.{digits}f}%" and value > 0:
        return f"<{10**-digits:.{digits}f}%"
    return text


__all__ = [
    "CONFUSION_PANELS",
    "TEXT_MISTAKE",
    "Z95",
    "ClassAccuracy",
    "Confusion",
    "TrainingMistake",
    "check_panels",
    "class_accuracy",
    "confusion_counts",
    "guesses",
    "largest_confusions",
    "percent",
    "row_rates",
    "training_mistake",
    "wilson_interval",
]
