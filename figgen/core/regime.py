"""The regime of a run, named from its whole history of losses: one rule for every figure that names one.

The learning_rate figure names MNIST runs by it, the gradient_descent animation names balls on y = x² by it,
and training calls a run *diverged* by it. It sits at the bottom of the package (numpy only), so the
training layer and the figures read the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

UNTRAINED_LOSS = math.log(10)  # the text's model with W = 0 and b = 0 gives every digit 10%: loss ln 10

#: The regimes of a run (see :func:`regime`), in the order a growing learning rate meets them.
REGIMES = ("crawls", "converges", "unstable", "diverged")
#: Each regime as what a run does, after "it" ("it is unstable", not "it unstable")
SAID = {"crawls": "crawls", "converges": "converges", "unstable": "is unstable", "diverged": "diverges"}
CRAWL_FRACTION = 0.25  # a run that ends above a quarter of its starting loss has only crawled
ABOVE = 1 + 1e-4  # "above the start" means beyond float32 rounding: a rate of 1e-9 sits at ln 10 ± 1 ulp


def regime(losses: Sequence[float] | np.ndarray, start: float) -> str:
    """Name what a whole run did, from its logged losses (``losses[0]`` at the start) and ``start``, the loss
    it started from (ln 10 for the text's untrained model; ``|x0|`` for a ball on y = x²).

    - ``diverged``: a loss is not finite, or more than half of the losses logged in the run's second half
      are above ``start``: the run ends up and stays worse than where it began;
    - ``unstable``: otherwise, a loss after the start jumps above ``start``: the rate is too large, whatever
      value the last step happens to land on;
    - ``crawls``: the loss never rises above ``start`` but ends above ``CRAWL_FRACTION`` of it (a run that
      never moves crawls too);
    - ``converges``: it falls below that.

    The rule reads the whole run, never one step, so it does not flip when only the training data changes
    (the split, or TRAIN_SIZE from 4,000 to 5,500: tested), and it names the learning_rate figure's runs and
    the gradient_descent figure's balls alike.
    """
    values = np.asarray(losses, np.float64)
    if len(values) == 0:
        raise ValueError("a regime needs at least one loss")
    if not np.isfinite(values).all():
        return "diverged"
    above = values > start * ABOVE
    if np.mean(above[len(values) // 2 :]) > 0.5:
        return "diverged"
    if above[1:].any():
        return "unstable"
    return "crawls" if values[-1] > CRAWL_FRACTION * start else "converges"
