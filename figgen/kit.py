"""The recipe kit: the one module a recipe in ``recipes/`` imports figgen names from.

A recipe imports from here only (``from figgen.kit import weights_frame, run_recipe_file``), besides the
standard library and numpy; a test checks it. ``__all__`` lists what a recipe author gets, by role:

- the numbers a figure shows and checks the text's claims with (from the analysis layer: examples of the
  data set, softmax and cross-entropy, accuracies and their noise, the shifted digit, gradient descent);
- the model's arithmetic: predictions of trained weights, one-hot labels, the training sizes of a sweep;
- frames drawn with numpy and Pillow, for ``ctx.image`` and ``ctx.animation`` (weight sheets, digit
  grids, gradient descent), and the colour levels and scales they share;
- matplotlib figures, themed and sized by the build's theme and preset, for ``ctx.figure``;
- the words of alt texts and titles, computed from the same numbers the figures draw;
- ``ExplorablePage``, the parts of an interactive page (markup, script, data) that ``ctx.explorable``
  writes in the build's theme and preset, with a still of its first state, and the ``*_page`` builders;
- ``run_recipe_file``: ending a recipe with ``if __name__ == "__main__": run_recipe_file(__file__)`` lets
  ``python recipes/NAME.py [--set KEY=VALUE ...] [--quick] ...`` build it alone.

The rest comes as ``make(ctx, p)``'s arguments: ``p`` holds the recipe's parameters, and ``ctx``
(:class:`figgen.recipe.context.RecipeContext`) the data set, cached training (``ctx.train()``,
``ctx.train_rates(rates)``, ``ctx.sweep(sizes)``), the theme and preset, and the writers.

This module is stable: a name in ``__all__`` keeps its name and meaning. The modules it takes them from
are internal and may be reorganised; a name a recipe needs is added here, not imported from them.
"""

from __future__ import annotations

import sys

from figgen.analysis import (
    accuracy_dips,
    accuracy_gains,
    batch_shapes,
    block_accuracies,
    check_logits,
    check_panels,
    check_prediction,
    class_accuracy,
    confusion_counts,
    correct,
    cross_entropy,
    first_with_label,
    gradient_descent_path,
    guesses,
    largest_confusions,
    learning_rate_verdict,
    log_lines,
    loss_surface,
    nth_of_digit,
    percent,
    prediction_steps,
    random_sample_accuracies,
    shift_study,
    snapshot_accuracy,
    softmax,
    standard_error,
    step_study,
    training_accuracies,
    training_example,
    training_mistake,
    training_rows,
    truncate,
)
from figgen.data import one_hot
from figgen.draw import ANIMATION_LEVELS, descent_frames, digit_grid, symmetric_limit, weights_frame
from figgen.draw.console import console_frames, console_still
from figgen.draw.descent import leaves_view, view_half
from figgen.draw.mistake import mistake_frame
from figgen.figures.basics import (
    cross_entropy_figure,
    digit_figure,
    flat_digits_figure,
    one_hot_figure,
    probability_text,
    softmax_figure,
)
from figgen.figures.confusion import (
    class_accuracy_figure,
    confusion_figure,
    describe_class_accuracy,
    describe_confusions,
    describe_training_mistake,
    mistake_title,
    mistake_words,
)
from figgen.figures.curves import (
    accuracy_vs_size_figure,
    describe_dips,
    describe_gains,
    training_curve_figure,
)
from figgen.figures.evaluation import (
    describe_shift,
    example_subtitle,
    order_effect,
    prediction_figure,
    sample_size_figure,
    shifted_digit_figure,
)
from figgen.figures.overfitting import describe_gap, describe_steps, overfitting_figure
from figgen.figures.pipeline import prediction_pipeline_figure
from figgen.figures.rates import describe_rates, learning_rate_figure
from figgen.figures.shapes import matrix_shapes_figure
from figgen.figures.surface import describe_surface, loss_surface_figure, loss_surface_frames
from figgen.training import default_sweep_sizes, predict, snapshot_schedule
from figgen.writers.explorable import ExplorablePage
from figgen.writers.explore.descent import descent_page, rate_scale
from figgen.writers.explore.digit import digit_page, digit_pixels, digit_still, page_probabilities
from figgen.writers.explore.training import training_page, training_page_data

__all__ = [
    # the numbers a figure shows
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
    "cross_entropy",
    "first_with_label",
    "gradient_descent_path",
    "guesses",
    "largest_confusions",
    "learning_rate_verdict",
    "log_lines",
    "loss_surface",
    "nth_of_digit",
    "prediction_steps",
    "random_sample_accuracies",
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
    # the model's arithmetic
    "default_sweep_sizes",
    "one_hot",
    "predict",
    # frames
    "ANIMATION_LEVELS",
    "console_frames",
    "console_still",
    "descent_frames",
    "digit_grid",
    "leaves_view",
    "mistake_frame",
    "symmetric_limit",
    "view_half",
    "weights_frame",
    # matplotlib figures
    "accuracy_vs_size_figure",
    "class_accuracy_figure",
    "confusion_figure",
    "cross_entropy_figure",
    "digit_figure",
    "flat_digits_figure",
    "learning_rate_figure",
    "matrix_shapes_figure",
    "loss_surface_figure",
    "loss_surface_frames",
    "one_hot_figure",
    "overfitting_figure",
    "percent",
    "prediction_figure",
    "prediction_pipeline_figure",
    "sample_size_figure",
    "shifted_digit_figure",
    "softmax_figure",
    "training_curve_figure",
    # words for alt texts and titles
    "describe_class_accuracy",
    "describe_confusions",
    "describe_dips",
    "describe_gains",
    "describe_gap",
    "describe_rates",
    "describe_shift",
    "describe_steps",
    "describe_surface",
    "describe_training_mistake",
    "example_subtitle",
    "mistake_title",
    "mistake_words",
    "order_effect",
    "probability_text",
    # interactive pages, for ctx.explorable
    "ExplorablePage",
    "training_page",
    "training_page_data",
    "snapshot_schedule",
    "descent_page",
    "rate_scale",
    "digit_page",
    "digit_pixels",
    "digit_still",
    "page_probabilities",
    # running a recipe file on its own
    "run_recipe_file",
]


def run_recipe_file(path: str) -> None:
    """Build one recipe from its own file: ``python recipes/NAME.py [build options]``, then exit.

    It runs the command ``figgen build NAME --recipes DIR [options]`` in this process (the options are this
    script's arguments), so a recipe run on its own behaves exactly like a build of it: options, output,
    exit code.
    """
    from pathlib import Path

    from figgen.cli import main

    recipe = Path(path).resolve()
    code = main(["build", recipe.stem, "--recipes", str(recipe.parent), *sys.argv[1:]])
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)
