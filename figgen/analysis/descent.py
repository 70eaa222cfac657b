"""Gradient descent on y = x²: the positions for a learning rate, and a few words on the path (too small,
good, overshoots, bounces, diverges) by :func:`figgen.core.regime.regime` of its distance from the minimum.
"""

from __future__ import annotations

import numpy as np

from figgen.core.regime import SAID, regime


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


def descent_summary(path: np.ndarray) -> str:
    """What the explore_descent page says of a whole path: the regime by the one rule, then what
    :func:`learning_rate_verdict` adds, each word once ("it diverges: the rate is too large", "it
    overshoots, converges", "it crawls (too large: bounces)" at a rate of exactly 1, where |x| stays put)."""
    distance = np.abs(np.asarray(path, np.float64))
    verdict = learning_rate_verdict(path)
    if distance[0] == 0:
        return "it " + verdict
    said = SAID[regime(distance, distance[0])]
    judgement, colon, _ = verdict.partition(": ")
    if verdict.split()[-1] != said.split()[-1]:
        return f"it {said} ({verdict})"
    return f"it {said}: the rate is {judgement}" if colon else f"it {verdict}"
