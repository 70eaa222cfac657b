"""The numbers the figures show, computed from arrays, one module per topic:

- :mod:`~figgen.analysis.worked`: softmax and cross-entropy on a few values, and their checks;
- :mod:`~figgen.analysis.descent`: gradient descent on y = x² and a verdict on its learning rate;
- :mod:`~figgen.analysis.examples`: picking examples from a data set;
- :mod:`~figgen.analysis.scoring`: what a trained model gets right, and how far an accuracy can be trusted;
- :mod:`~figgen.analysis.progress`: accuracy dips along training, accuracy gains with training size;
- :mod:`~figgen.analysis.shift`: digits moved left, and the model's accuracy against the shift;
- :mod:`~figgen.analysis.confusion`: where a trained model goes wrong: confusions, per-class accuracy, a
  training mistake;
- :mod:`~figgen.analysis.overfit`: training against test accuracy, by training size and along the steps;
- :mod:`~figgen.analysis.pipeline`: one prediction step by step, and the shapes of ``y = softmax(x · W + b)``;
- :mod:`~figgen.analysis.surface`: a slice of the real loss surface and the training path on it;
- :mod:`~figgen.analysis.training_log`: the text's training log, line by line.

Everything here is plain numpy on values a recipe already has (a run's log, its weights, the test set), so
recipes stay wiring, every number a figure shows is computed, never typed, and each can be tested on tiny
inputs. Predictions use :func:`figgen.training.predict`, the text's ``y = softmax(xW + b)``
(:func:`~figgen.analysis.scoring.snapshot_accuracy` takes the largest logit, the same digit, for many
snapshots at once). The ``check_*`` functions refuse parameters a figure cannot show, before any training.
Every public name of the topic modules is re-exported here: ``from figgen.analysis import softmax`` works.
"""

from figgen.analysis.confusion import (
    CONFUSION_PANELS,
    TEXT_MISTAKE,
    Z95,
    ClassAccuracy,
    Confusion,
    TrainingMistake,
    check_panels,
    class_accuracy,
    confusion_counts,
    guesses,
    largest_confusions,
    percent,
    row_rates,
    training_mistake,
    wilson_interval,
)
from figgen.analysis.descent import (
    descent_summary,
    gradient_descent_path,
    learning_rate_verdict,
)
from figgen.analysis.examples import (
    first_with_label,
    nth_of_digit,
    training_example,
    training_rows,
)
from figgen.analysis.overfit import (
    LEVEL,
    RESAMPLES,
    StepStudy,
    step_study,
    training_accuracies,
)
from figgen.analysis.pipeline import (
    BatchShapes,
    PredictionSteps,
    batch_shapes,
    prediction_steps,
)
from figgen.analysis.progress import (
    Dip,
    accuracy_dips,
    accuracy_gains,
)
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
from figgen.analysis.surface import (
    MARGIN,
    LossSurface,
    flat,
    loss_surface,
)
from figgen.analysis.training_log import (
    log_line,
    log_lines,
)
from figgen.analysis.worked import (
    MAX_LOGITS,
    check_logits,
    check_prediction,
    cross_entropies,
    cross_entropy,
    mean_cross_entropy,
    softmax,
    truncate,
)

__all__ = [
    "BatchShapes",
    "CONFUSION_PANELS",
    "ClassAccuracy",
    "Confusion",
    "Dip",
    "LEVEL",
    "LossSurface",
    "MARGIN",
    "MAX_LOGITS",
    "PredictionSteps",
    "RESAMPLES",
    "SNAPSHOT_BLOCK",
    "ShiftStudy",
    "StepStudy",
    "TEXT_MISTAKE",
    "TrainingMistake",
    "Z95",
    "accuracy_against_shift",
    "accuracy_dips",
    "accuracy_gains",
    "batch_shapes",
    "block_accuracies",
    "check_logits",
    "check_panels",
    "check_prediction",
    "class_accuracy",
    "confusion_counts",
    "correct",
    "cross_entropies",
    "cross_entropy",
    "descent_summary",
    "first_with_label",
    "flat",
    "gradient_descent_path",
    "guesses",
    "largest_confusions",
    "learning_rate_verdict",
    "leftmost_column",
    "log_line",
    "log_lines",
    "loss_surface",
    "mean_cross_entropy",
    "nth_of_digit",
    "percent",
    "prediction_steps",
    "random_sample_accuracies",
    "row_rates",
    "shift_left",
    "shift_study",
    "snapshot_accuracy",
    "softmax",
    "standard_error",
    "step_study",
    "training_accuracies",
    "training_example",
    "training_mistake",
    "training_rows",
    "truncate",
    "wilson_interval",
]
