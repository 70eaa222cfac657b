"""The text's training log, line by line, as its loop printed it and ``figgen train`` prints it.

The text's loop prints ``'Training Step:' + str(i) + ' Accuracy = ' + str(accuracy) + ' Loss = ' +
str(loss)`` every LOG_EVERY steps; figgen prints the same words with the accuracy to 4 decimals and the loss
to 6. This module is the one place that line is formatted: ``figgen train`` and the training_log figure both
call :func:`log_line`, so the two can never differ.
"""

from __future__ import annotations

from collections.abc import Iterable


def log_line(step: int, accuracy: float, loss: float) -> str:
    """One line of the text's training log: ``Training Step:100 Accuracy = 0.8846 Loss = 0.470158``."""
    return f"Training Step:{step} Accuracy = {accuracy:.4f} Loss = {loss:.6f}"


def log_lines(log: Iterable[tuple[int, float, float]]) -> list[str]:
    """The lines of a log of ``(step, test accuracy, training loss)`` rows, as ``figgen train`` prints."""
    return [log_line(step, accuracy, loss) for step, accuracy, loss in log]
