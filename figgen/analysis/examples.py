"""Picking examples from a data set: a training image by index, a range of training rows, the first
training example of a label and the n-th example of a digit among labels, each with a clear error when the
data set has no such example.
"""

from __future__ import annotations

import numpy as np

from figgen.core.errors import FiggenError


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


def nth_of_digit(labels: np.ndarray, digit: int, n: int, what: str = "n") -> int:
    """Index of the ``n``-th (from 0) example labelled ``digit``; ``what`` names ``n`` in the error."""
    where = np.flatnonzero(np.asarray(labels) == digit)
    if n >= len(where):
        raise FiggenError(
            f"{what} = {n}, but the {len(labels):,} test digits hold only {len(where)} examples of {digit}, "
            f"not {n + 1}" + (f" (use 0 to {len(where) - 1})" if len(where) else "")
        )
    return int(where[n])
