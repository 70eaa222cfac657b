"""One prediction computed step by step, and the shapes of the text's ``y = softmax(x · W + b)`` for a batch.

The text explains in words how its model predicts: the digit is multiplied pixel by pixel with each of the
ten weight sheets, each product summed to one score, the bias added, the ten scores put through softmax, and
the largest probability taken. :func:`prediction_steps` keeps every intermediate number, so a figure draws
them and a test reads them; :func:`batch_shapes` does the same for ``m`` rows at once (the matrix form).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from figgen.core.errors import FiggenError
from figgen.core.knobs import CLASSES, PIXELS


@dataclass(frozen=True)
class PredictionSteps:
    """Every number of one prediction ``softmax(x · W + b)``, in the order it is computed."""

    image: np.ndarray  # (784,) the digit x
    label: int  # its true class
    weights: np.ndarray  # (784, 10) the ten sheets W[:, k]
    products: np.ndarray  # (10, 784) x * W[:, k], pixel by pixel
    sums: np.ndarray  # (10,) the sum of each product: (x · W)[k]
    bias: np.ndarray  # (10,) b
    scores: np.ndarray  # (10,) z = x · W + b
    probs: np.ndarray  # (10,) softmax(z)

    @property
    def guess(self) -> int:
        """The prediction: the class of the largest probability (the text's ``answer.argmax()``)."""
        return int(np.argmax(self.probs))


def prediction_steps(weights: np.ndarray, bias: np.ndarray, image: np.ndarray, label: int) -> PredictionSteps:
    """The steps of the text's prediction for one digit ``image`` (784 pixels) with a run's W and b."""
    w = np.asarray(weights, np.float64)
    b = np.asarray(bias, np.float64)
    x = np.asarray(image, np.float64).reshape(-1)
    if w.shape != (PIXELS, CLASSES) or b.shape != (CLASSES,) or x.shape != (PIXELS,):
        raise FiggenError(
            f"a prediction needs W of shape (784, 10), b of 10 and a digit of 784 pixels, got W {w.shape}, "
            f"b {b.shape} and a digit of {x.size}"
        )
    products = x[None, :] * w.T
    sums = products.sum(axis=1)
    scores = sums + b
    e = np.exp(scores - scores.max())
    return PredictionSteps(x, int(label), w, products, sums, b, scores, e / e.sum())


@dataclass(frozen=True)
class BatchShapes:
    """``y = softmax(x · W + b)`` for ``m`` rows: its arrays, of shapes m × 784, 784 × 10, 10 and m × 10."""

    rows: np.ndarray  # (m, 784) x: m digits, flattened
    labels: np.ndarray  # (m,)
    weights: np.ndarray  # (784, 10) W
    bias: np.ndarray  # (10,) b
    broadcast: np.ndarray  # (m, 10) b repeated down the m rows, as the addition uses it
    scores: np.ndarray  # (m, 10) x · W + b
    probs: np.ndarray  # (m, 10) y

    @property
    def m(self) -> int:
        return len(self.rows)


def batch_shapes(weights: np.ndarray, bias: np.ndarray, rows: np.ndarray, labels: np.ndarray) -> BatchShapes:
    """The text's model on ``rows`` (m × 784) at once: x · W (m × 10), plus b broadcast down the m rows."""
    w = np.asarray(weights, np.float64)
    b = np.asarray(bias, np.float64)
    x = np.asarray(rows, np.float64)
    if w.shape != (PIXELS, CLASSES) or b.shape != (CLASSES,) or x.ndim != 2 or x.shape[1] != PIXELS:
        raise FiggenError(
            f"x · W + b needs x of shape (m, 784), W of (784, 10) and b of 10, got x {x.shape}, W {w.shape} "
            f"and b {b.shape}"
        )
    broadcast = np.broadcast_to(b, (len(x), CLASSES)).copy()
    scores = x @ w + broadcast
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return BatchShapes(x, np.asarray(labels), w, b, broadcast, scores, e / e.sum(axis=1, keepdims=True))
