"""A 2-D slice of the real MNIST loss surface through the trained weights, and the training path on it.

The parameters are W and b side by side (7,850 numbers). The slice is the plane through the trained
parameters θ* spanned by the two principal directions of the weight path (the run's snapshots, with the
start θ = 0 before the first update, taken relative to θ*): the plane that holds most of the path. The loss
on it, L(θ* + α d₁ + β d₂), is the text's mean cross-entropy on the first ``examples`` training rows; the
path is drawn at its projection onto the plane, (θ_t − θ*) · d, and its real loss is kept beside the loss
at that projection, so a figure can say how far the path leaves the plane.

All of it is numpy on a cached run's snapshots: with Z₀ = X W* + b* and Zᵢ = X Dᵢ + eᵢ, the logits at a
grid point are Z₀ + α Z₁ + β Z₂, so the grid costs a few products of an (examples × 10) array.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from figgen.analysis.worked import mean_cross_entropy
from figgen.core.errors import FiggenError
from figgen.core.knobs import CLASSES, PIXELS

MARGIN = 0.2  # the grid reaches this fraction of the path's extent beyond it on every side


@dataclass(frozen=True)
class LossSurface:
    """The slice's grid, the loss on it, and the path in the plane."""

    steps: np.ndarray  # (P,) the path's steps: -1 for the start (θ = 0), then the snapshot steps
    path: np.ndarray  # (P, 2) the path's (α, β)
    path_loss: np.ndarray  # (P,) the real loss at each point of the path
    plane_loss: np.ndarray  # (P,) the loss at its projection onto the plane
    alphas: np.ndarray  # (G,)
    betas: np.ndarray  # (G,)
    loss: np.ndarray  # (G, G): loss[j, i] at (alphas[i], betas[j])
    explained: float  # the fraction of the path's spread (sum of squares about θ*) in the plane
    examples: int
    directions: np.ndarray  # (2, 7850): d₁ and d₂, orthonormal (W flattened row by row, then b)
    centre: np.ndarray  # (7850,) θ*


def flat(weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """W (784 × 10) and b (10) as one parameter vector of 7,850 numbers (float64)."""
    return np.concatenate([np.asarray(weights, np.float64).ravel(), np.asarray(bias, np.float64)])


def loss_surface(run, x, labels, *, grid: int = 41, examples: int | None = None) -> LossSurface:
    """The loss surface through ``run``'s final weights along its path's two principal directions.

    ``run`` is a TrainResult with snapshots; ``x``/``labels`` its training rows, of which the first
    ``examples`` (all when None) give the loss. ``grid`` points per side.
    """
    steps = sorted(run.snapshots)
    if not steps:
        raise FiggenError("a loss surface needs a run with a weight snapshot")
    if not 3 <= grid <= 401:
        raise FiggenError(f"the loss surface's grid must have 3 to 401 points a side, got {grid}")
    n = len(labels) if examples is None else min(int(examples), len(labels))
    x, labels = np.asarray(x[:n], np.float64), np.asarray(labels[:n])
    centre = flat(run.weights, run.bias)
    thetas = np.stack(
        [np.zeros_like(centre)] + [flat(run.snapshots[s], run.snapshot_biases[s]) for s in steps]
    )
    offsets = thetas - centre
    _, singular, vt = np.linalg.svd(offsets, full_matrices=False)
    directions = vt[:2].copy()
    path = offsets @ directions.T
    if path[0, 0] > 0:  # the start on the left
        directions[0], path[:, 0] = -directions[0], -path[:, 0]
    if path[:, 1].mean() < 0:  # the path's bulk above the axis
        directions[1], path[:, 1] = -directions[1], -path[:, 1]
    total = float((singular**2).sum())
    explained = float((singular[:2] ** 2).sum() / total) if total else 1.0

    def parts(theta):
        w, b = theta[: PIXELS * CLASSES].reshape(PIXELS, CLASSES), theta[PIXELS * CLASSES :]
        return x @ w + b

    z0 = parts(centre)
    z1, z2 = (parts(d) for d in directions)  # a direction's own logits: linear in α and β
    lows, highs = path.min(axis=0), path.max(axis=0)
    reach = max(highs - lows) or 1.0  # a path of one point (a rate so small nothing moves): a unit square
    half = np.maximum((highs - lows) / 2, 0.25 * reach / 2) * (1 + 2 * MARGIN)
    mid = (highs + lows) / 2
    alphas = np.linspace(mid[0] - half[0], mid[0] + half[0], grid)
    betas = np.linspace(mid[1] - half[1], mid[1] + half[1], grid)
    loss = np.empty((grid, grid))
    f0, f1, f2 = (z.astype(np.float32) for z in (z0, z1, z2))  # float32 halves the grid's cost
    for j, beta in enumerate(betas):  # one row of the grid at a time: (grid, n, 10) logits
        logits = f0 + np.float32(beta) * f2 + alphas.astype(np.float32)[:, None, None] * f1
        loss[j] = mean_cross_entropy(logits, labels)
    path_loss = np.array([mean_cross_entropy(parts(t), labels) for t in thetas], np.float64)
    plane = z0 + path[:, 0, None, None] * z1 + path[:, 1, None, None] * z2
    return LossSurface(
        steps=np.array([-1, *steps]),
        path=path,
        path_loss=path_loss,
        plane_loss=mean_cross_entropy(plane, labels),
        alphas=alphas,
        betas=betas,
        loss=loss,
        explained=explained,
        examples=n,
        directions=directions,
        centre=centre,
    )
