"""Worked examples of the text's formulas: softmax of a few logits and the cross-entropy loss of one
prediction, the checks that refuse values a panel cannot show (before any work), and numbers quoted as the
text quotes numpy's output (cut, not rounded).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from figgen.core.errors import FiggenError
from figgen.core.knobs import CLASSES

MAX_LOGITS = 12  # more bars than this no longer fit one panel legibly


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


def cross_entropies(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The cross-entropy of each row of logits (..., n, 10) against labels (n,), from the logits themselves
    (log-sum-exp: no softmax that could round to 0): ``cross_entropy`` for many rows at once."""
    top = logits.max(axis=-1, keepdims=True)
    log_sum = top[..., 0] + np.log(np.exp(logits - top).sum(axis=-1))
    return log_sum - logits[..., np.arange(len(labels)), labels]


def mean_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The mean of :func:`cross_entropies` over the n rows."""
    return cross_entropies(logits, labels).mean(axis=-1)


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
