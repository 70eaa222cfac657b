"""The numbers the figures show, computed from arrays, one module per topic:

- :mod:`~figgen.analysis.worked`: softmax and cross-entropy on a few values, and their checks;
- :mod:`~figgen.analysis.descent`: gradient descent on y = x² and a verdict on its learning rate;
- :mod:`~figgen.analysis.examples`: picking examples from a data set;
- :mod:`~figgen.analysis.scoring`: what a trained model gets right, and how far an accuracy can be trusted;
- :mod:`~figgen.analysis.progress`: accuracy dips along training, accuracy gains with training size;
- :mod:`~figgen.analysis.shift`: digits moved left, and the model's accuracy against the shift.

Everything here is plain numpy on values a recipe already has (a run's log, its weights, the test set), so
recipes stay wiring, every number a figure shows is computed, never typed, and each can be tested on tiny
inputs. Predictions use :func:`figgen.training.predict`, the text's ``y = softmax(xW + b)``
(:func:`~figgen.analysis.scoring.snapshot_accuracy` takes the largest logit, the same digit, for many
snapshots at once). The ``check_*`` functions refuse parameters a figure cannot show, before any training.
Every public name of the topic modules is re-exported here: ``from figgen.analysis import softmax`` works.
"""

from figgen.analysis.descent import gradient_descent_path, learning_rate_verdict
from figgen.analysis.examples import first_with_label, nth_of_digit, training_example, training_rows
from figgen.analysis.progress import Dip, accuracy_dips, accuracy_gains
from figgen.analysis.scoring import (
    SNAPSHOT_BLOCK,
    block_accuracies,
    correct,
    random_sample_accuracies,
    snapshot_accuracy,
    standard_error,
)
from figgen.analysis.shift import (
    ShiftStudy,
    accuracy_against_shift,
    leftmost_column,
    shift_left,
    shift_study,
)
from figgen.analysis.worked import (
    MAX_LOGITS,
    check_logits,
    check_prediction,
    cross_entropy,
    softmax,
    truncate,
)

__all__ = [
    "MAX_LOGITS",
    "SNAPSHOT_BLOCK",
    "Dip",
    "ShiftStudy",
    "accuracy_against_shift",
    "accuracy_dips",
    "accuracy_gains",
    "block_accuracies",
    "check_logits",
    "check_prediction",
    "correct",
    "cross_entropy",
    "first_with_label",
    "gradient_descent_path",
    "learning_rate_verdict",
    "leftmost_column",
    "nth_of_digit",
    "random_sample_accuracies",
    "shift_left",
    "shift_study",
    "snapshot_accuracy",
    "softmax",
    "standard_error",
    "training_example",
    "training_rows",
    "truncate",
]
