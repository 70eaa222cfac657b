"""Shifted digits: digits moved left column by column (nothing wraps around), and what a trained model
makes of them: its probabilities for one test digit at each shift, and its accuracy against the shift on
the test examples of that digit and on the whole test set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from figgen.analysis.scoring import correct
from figgen.core.errors import FiggenError
from figgen.core.knobs import SIDE
from figgen.training import predict


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
