"""Accuracy per class, with its uncertainty.

The trained model's accuracy on the test examples of each class, each with its 95% Wilson score interval
(how far the accuracy on another test set of that many examples could fall), against the overall accuracy
and its own interval. SORTED orders the classes from the least accurate to the most (the default) or, set
to false, in class order. A class whose whole interval lies below the overall accuracy is a downward
triangle, above it an upward one.
"""

from figgen.kit import (
    class_accuracy,
    class_accuracy_figure,
    confusion_counts,
    describe_class_accuracy,
    guesses,
    run_recipe_file,
)

ORDER = 134
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"SORTED": True}
OUTPUTS = {"per_class_accuracy": "still"}


def make(ctx, p):
    run = ctx.train()
    x, labels = ctx.data.test(p.TEST_SIZE)
    acc = class_accuracy(confusion_counts(labels, guesses(run.weights, run.bias, x)))
    names = ctx.data.class_names
    noun = "digits" if ctx.data.digits else "images"
    fig = class_accuracy_figure(acc, ctx.theme, ctx.preset, names, p.SORTED, noun)
    ctx.figure("per_class_accuracy", fig, alt=describe_class_accuracy(acc, names, noun, p.SORTED))


if __name__ == "__main__":
    run_recipe_file(__file__)
