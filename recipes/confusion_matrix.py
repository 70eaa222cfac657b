"""Where the model errs: the confusion matrix.

The trained model's predictions on the TEST_SIZE test examples against their labels, as counts and as the
share of each true class (PANELS: both, counts or rates). The diagonal, the examples it gets right, is
framed and kept out of the shading, so the mistakes show; the NAMED largest cells off the diagonal, its
commonest mistakes, are outlined and named in the title and alt text. The classes are the data set's names
(``--class-names``).
"""

from figgen.kit import (
    check_panels,
    confusion_counts,
    confusion_figure,
    describe_confusions,
    guesses,
    largest_confusions,
    run_recipe_file,
)

ORDER = 132
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"PANELS": "both", "NAMED": 3}
LIMITS = {"NAMED": (0, 10)}
OUTPUTS = {"confusion_matrix": "still"}


def make(ctx, p):
    panels = check_panels(p.PANELS, "confusion_matrix.PANELS")
    run = ctx.train()
    x, labels = ctx.data.test(p.TEST_SIZE)
    counts = confusion_counts(labels, guesses(run.weights, run.bias, x))
    named = largest_confusions(counts, p.NAMED)
    names = ctx.data.class_names
    noun = "digits" if ctx.data.digits else "images"
    fig = confusion_figure(counts, named, ctx.theme, ctx.preset, names, panels, noun)
    ctx.figure("confusion_matrix", fig, alt=describe_confusions(counts, named, names, noun))


if __name__ == "__main__":
    run_recipe_file(__file__)
