"""Accuracy along training: the text's overfitting moments in a training log (test accuracy falls while
the training loss still falls), and the accuracy gained over each tenfold of training size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


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


def accuracy_gains(sizes: Sequence[int], accuracy: Sequence[float]) -> list[tuple[int, int, float]]:
    """Accuracy gained over each tenfold of training size: ``(from, to, gain)``, from 1 to the largest size.

    Sizes between measured ones are interpolated on a log scale; the last span ends at the largest size,
    so a plateau shows as gains that shrink while the data grows tenfold.
    """
    xs, ys = np.asarray(sizes, float), np.asarray(accuracy, float)
    bounds = [10**k for k in range(int(np.log10(xs[-1])) + 1) if xs[0] <= 10**k < xs[-1]]
    bounds.append(int(xs[-1]))
    at = np.interp(np.log(bounds), np.log(xs), ys)
    return [(bounds[i], bounds[i + 1], float(at[i + 1] - at[i])) for i in range(len(bounds) - 1)]
