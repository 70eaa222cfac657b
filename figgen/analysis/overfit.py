"""Overfitting measured on real runs: training against test accuracy by training size, and along the steps
of one run at a small training size, with the test set's noise.

Everything comes from weights a cached run already holds (a sweep's final W and b per size, a run's
snapshots of W and b along its steps): training accuracy and the test loss, which no run logs, are
recomputed here with numpy, never by training again. The noise band is a bootstrap over the test examples
(resampled with replacement, a fixed seed), so the band and the fall from the peak come from the same
resamples: the fall's interval is paired, as both accuracies are measured on the same test digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from figgen.analysis.worked import cross_entropies, mean_cross_entropy
from figgen.core.errors import FiggenError
from figgen.training import predict

RESAMPLES = 400  # bootstrap resamples of the test set: the 2.5 and 97.5 percentiles settle to ±0.1 points
LEVEL = 0.95  # the band's and the interval's coverage
_ROWS = 2000  # test rows scored at a time: a few MB, not the 150 of all 10,000 at once
_DRAWS = 50  # bootstrap resamples drawn at a time (50 x 10,000 counts: 4 MB)


def training_accuracies(weights: np.ndarray, biases: np.ndarray, sizes, x_train, labels_train) -> np.ndarray:
    """Each sweep model's accuracy on its own training examples: model k on the first ``sizes[k]`` rows."""
    x, labels = np.asarray(x_train, np.float64), np.asarray(labels_train)  # converted once, not per model
    if max(sizes) > len(labels):
        raise FiggenError(f"training size {max(sizes):,} is more than the {len(labels):,} rows given")
    return np.array(
        [
            float((predict(w, b, x[:n]).argmax(axis=1) == labels[:n]).mean())
            for w, b, n in zip(weights, biases, sizes, strict=True)
        ]
    )


def _scores(weights: np.ndarray, bias: np.ndarray, x, labels) -> tuple[np.ndarray, float]:
    """Which rows the model gets right (the largest logit is the label) and its mean cross-entropy on them,
    from one product of the rows with W."""
    labels = np.asarray(labels)
    logits = np.asarray(x, np.float64) @ weights + bias
    return logits.argmax(axis=1) == labels, float(mean_cross_entropy(logits, labels))


@dataclass(frozen=True)
class StepStudy:
    """One run's accuracies and losses at its snapshot steps, with the test accuracy's bootstrap band."""

    train_size: int
    test_size: int
    steps: np.ndarray  # (S,) the snapshot steps, ascending
    train_accuracy: np.ndarray  # (S,)
    test_accuracy: np.ndarray  # (S,)
    band: np.ndarray  # (2, S) the test accuracy's 2.5 and 97.5 percentiles over test-set resamples
    train_loss: np.ndarray  # (S,)
    test_loss: np.ndarray  # (S,)
    peak: int  # index of the highest test accuracy (the last, if tied: a plateau to the end is no fall)
    fall: float  # test accuracy at the peak minus at the last step (>= 0)
    fall_interval: tuple[float, float]  # its paired bootstrap interval
    loss_low: int  # index of the lowest test loss
    resamples: int

    @property
    def turns_down(self) -> bool:
        """Test accuracy ends below its peak beyond the noise: the fall's whole interval is above zero."""
        return self.peak < len(self.steps) - 1 and self.fall_interval[0] > 0

    @property
    def loss_turns_up(self) -> bool:
        """The test loss ends above its lowest value, reached before the last step."""
        return self.loss_low < len(self.steps) - 1 and self.test_loss[-1] > self.test_loss[self.loss_low]


def step_study(run, x_train, labels_train, x_test, labels_test, *, resamples: int = RESAMPLES, seed: int = 0):
    """Measure a run (a TrainResult with snapshots) at each snapshot step: accuracy and mean cross-entropy on
    its training rows and on the test rows, and a bootstrap band of the test accuracy.

    ``x_train``/``labels_train`` are the rows the run trained on. The band resamples the test examples
    ``resamples`` times with replacement (a generator seeded with ``seed``); the fall from the peak to the
    last step gets its interval from the same resamples, paired.
    """
    steps = sorted(run.snapshots)
    if not steps:
        raise FiggenError("the run kept no weight snapshots to measure along its steps")
    if resamples < 10:
        raise FiggenError(f"the bootstrap needs at least 10 resamples, got {resamples}")
    labels_test = np.asarray(labels_test)
    n = len(labels_test)
    train_acc, train_loss = [], []
    x_train = np.asarray(x_train, np.float64)
    for s in steps:
        right, loss = _scores(run.snapshots[s], run.snapshot_biases[s], x_train, labels_train)
        train_acc.append(float(right.mean()))
        train_loss.append(loss)
    # the test rows a part at a time, each converted once for every snapshot: the same numbers as all at once
    right = np.empty((len(steps), n))  # (S, n): 1 where snapshot s reads row i right
    row_loss = np.empty((len(steps), n))
    for a in range(0, n, _ROWS):
        x = np.asarray(x_test[a : a + _ROWS], np.float64)
        part = labels_test[a : a + _ROWS]
        for i, s in enumerate(steps):
            logits = x @ run.snapshots[s] + run.snapshot_biases[s]
            right[i, a : a + _ROWS] = logits.argmax(axis=1) == part
            row_loss[i, a : a + _ROWS] = cross_entropies(logits, part)
    test_loss = row_loss.mean(axis=1)
    generator = np.random.default_rng(seed)  # resamples drawn a few at a time: the same as all at once
    chunks = [
        right @ generator.multinomial(n, np.full(n, 1 / n), size=min(_DRAWS, resamples - r)).T / n
        for r in range(0, resamples, _DRAWS)
    ]
    boot = np.concatenate(chunks, axis=1)  # (S, R): each snapshot's accuracy on each resample
    tail = 100 * (1 - LEVEL) / 2
    accuracy = right.mean(axis=1)
    peak = len(accuracy) - 1 - int(np.argmax(accuracy[::-1]))  # the last of tied highs: a plateau is no fall
    fall = boot[peak] - boot[-1]
    return StepStudy(
        train_size=len(np.asarray(labels_train)),
        test_size=n,
        steps=np.array(steps),
        train_accuracy=np.array(train_acc),
        test_accuracy=accuracy,
        band=np.percentile(boot, [tail, 100 - tail], axis=1),
        train_loss=np.array(train_loss),
        test_loss=test_loss,
        peak=peak,
        fall=float(accuracy[peak] - accuracy[-1]),
        fall_interval=(float(np.percentile(fall, tail)), float(np.percentile(fall, 100 - tail))),
        loss_low=int(np.argmin(test_loss)),
        resamples=resamples,
    )
