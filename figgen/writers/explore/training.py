"""The explore_training page: a grid of real runs by TRAIN_SIZE, LEARNING_RATE and step, in one HTML file.

:func:`training_page_data` turns a trained grid (:func:`figgen.training.cached.cached_grid`, ``[size][rate]``)
into the page's data, every number as the page shows it, computed here in Python: each logged step's test
accuracy (to 0.1%) and training loss (4 significant digits) from the run's log, the example digit's ten
probabilities (to 0.1%) and the prediction from that step's W and b (:func:`figgen.training.predict`), and
the run's regime by the rule that names the learning_rate figure's runs
(:func:`figgen.figures.rates.run_regime`). The weight sheets are held as indices into the sheets' own
colour table (``seismic``, SHEET_LEVELS entries, each step on its own symmetric scale max |W|, exactly as
:func:`figgen.draw.weights_frame` colours them): the page's sheets are the figure's colours, so their
quantisation error is below one colour level. The indices of all runs and steps go in one zlib stream,
each pixel's value differenced from the step before in its run (slow change compresses well), which the
page inflates with the browser's own ``DecompressionStream``.

:func:`training_page` wraps the data in an :class:`~figgen.writers.explorable.ExplorablePage` with the
page's markup and script (:mod:`figgen.writers.explore._training_page`).
"""

from __future__ import annotations

import base64
import math
import zlib
from collections.abc import Sequence

import numpy as np

from figgen.core.knobs import CLASSES, PIXELS
from figgen.draw.colormaps import colormap_lut, lut_indices, symmetric_limit
from figgen.draw.panels import SHEET_LEVELS
from figgen.figures.rates import run_regime
from figgen.training import predict
from figgen.writers.explorable import ExplorablePage
from figgen.writers.explore._training_page import BODY, SCRIPT, STYLE

CMAP = "seismic"  # the weight sheets' colour map, as figgen.draw.weights_frame draws them
CENTRE = (SHEET_LEVELS - 1) // 2  # the table's white zero: the sheets of a step a run never reached


def shown_accuracy(accuracy: float) -> float:
    """Test accuracy as the page shows it: a fraction rounded to 0.1 percent (``91.2%`` is 0.912)."""
    return round(float(accuracy), 3)


def shown_loss(loss: float) -> float:
    """Training loss as the page shows it: 4 significant digits."""
    return float(f"{float(loss):.4g}")


def training_page_data(
    grid: Sequence[Sequence],
    sizes: Sequence[int],
    rates: Sequence[float],
    logged: Sequence[int],
    train_steps: int,
    test_size: int,
    example: tuple[int, np.ndarray, int],
    class_names: Sequence[str],
) -> dict:
    """The page's data for ``grid[size][rate]`` (TrainResults with snapshots at every ``logged`` step).

    ``example`` is (training index, its 784 pixels in [0, 1], its label). Runs are listed size by size,
    the rates in order within each: run ``i * len(rates) + j`` is ``grid[i][j]``.
    """
    index, pixels, label = example
    x = np.asarray(pixels, np.float32).reshape(1, PIXELS)
    steps = [int(s) for s in logged]
    runs, limits = [], []
    codes = np.full((len(sizes) * len(rates), len(steps), CLASSES, PIXELS), CENTRE, np.uint8)
    for i, row in enumerate(grid):
        for j, run in enumerate(row):
            log = {int(s): (a, lo) for s, a, lo in run.log}
            held = [t for t, s in enumerate(steps) if s in log and s in run.snapshots]
            if held != list(range(len(held))):
                raise ValueError(f"run {i}, {j} lacks the log or the weights of a logged step")
            accuracy, loss, probabilities, prediction, scale = [], [], [], [], []
            for t in held:
                step = steps[t]
                weights, bias = run.snapshots[step], run.snapshot_biases[step]
                limit = symmetric_limit(weights)
                codes[i * len(rates) + j, t] = lut_indices(weights.T, SHEET_LEVELS, -limit, limit)
                p = predict(weights, bias, x)[0]
                accuracy.append(shown_accuracy(log[step][0]))
                loss.append(shown_loss(log[step][1]))
                probabilities.append([round(float(v), 3) for v in p])
                prediction.append(int(np.argmax(p)))
                scale.append(float(f"{limit:.3g}"))
            limits.append(scale)
            runs.append(
                {
                    "accuracy": accuracy,
                    "loss": loss,
                    "probabilities": probabilities,
                    "prediction": prediction,
                    "regime": run_regime(run),
                    "divergedAt": run.diverged_at,
                }
            )
    lut = colormap_lut(CMAP, SHEET_LEVELS)
    return {
        "sizes": [int(s) for s in sizes],
        "rates": [float(r) for r in rates],
        "steps": steps,
        "trainSteps": int(train_steps),
        "testSize": int(test_size),
        "untrained": round(math.log(10), 4),
        "lut": _b64(lut.tobytes()),
        "levels": SHEET_LEVELS,
        # level 6: 4% more bytes than 9 (1.00 against 0.96 MB by default) in a ninth of the time (0.15 s)
        "sheets": _b64(zlib.compress(_along_steps(codes).tobytes(), 6)),
        "limits": limits,
        "runs": runs,
        "example": {
            "index": int(index),
            "label": int(label),
            "pixels": _b64(np.rint(np.clip(x[0], 0, 1) * 255).astype(np.uint8).tobytes()),
        },
        "classes": [str(name) for name in class_names],
    }


def training_page(
    data: dict, title: str = "Explore training: real runs of the text's model"
) -> ExplorablePage:
    """The explore_training page around :func:`training_page_data`'s ``data``."""
    return ExplorablePage(title, BODY, SCRIPT, data, style=STYLE, aspect=0.95)


def sheet_codes(data: dict) -> np.ndarray:
    """The colour-table indices of every run's sheets, ``(runs, steps, 10, 784)``: what the page inflates
    (tests read the page's data back through it)."""
    runs, steps = len(data["sizes"]) * len(data["rates"]), len(data["steps"])
    raw = np.frombuffer(zlib.decompress(base64.b64decode(data["sheets"])), np.uint8)
    return np.cumsum(raw.reshape(runs, steps, CLASSES, PIXELS), axis=1, dtype=np.uint8)


def _along_steps(codes: np.ndarray) -> np.ndarray:
    """Each step's indices minus the step's before in its run, modulo 256 (the page sums them back)."""
    out = codes.copy()
    out[:, 1:] -= codes[:, :-1]
    return out


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
