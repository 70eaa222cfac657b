"""What overfitting looks like for this model: training against test accuracy, by size and along the steps.

Top: the models of the weights_evolution sweep (same sizes, same cache: nothing retrained), each scored on
its own training examples and on the test set. Up to hundreds of examples every model gets all its training
examples right while the test accuracy is far lower: the shaded gap is overfitting, and it closes as data
grows. Below: one run on SMALL_SIZE examples along its steps (log scale), scored from its weight snapshots:
training accuracy reaches 100% within tens of steps; the test accuracy (with a 95% bootstrap band over the
test examples) flattens and, at the default 50 examples, ends a few tens of digits below its peak, a fall
smaller than the band yet beyond the noise of a paired comparison; the test loss turns clearly upwards
while the training loss keeps falling. The text's "accuracy slightly went down" at 5,500 examples is
another thing: dips of a few digits between log lines, within the test set's noise (see training_curve).
"""

from figgen.kit import (
    accuracy_dips,
    default_sweep_sizes,
    describe_dips,
    describe_gap,
    describe_steps,
    overfitting_figure,
    percent,
    run_recipe_file,
    step_study,
    training_accuracies,
)

ORDER = 145
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"FRAMES": 36, "SMALL_SIZE": 50}
QUICK = {"FRAMES": 14, "SMALL_SIZE": 10}
LIMITS = {"FRAMES": (2, 400), "SMALL_SIZE": (1, "train")}
OUTPUTS = {"overfitting": "still"}


def make(ctx, p):
    noun = "digits" if ctx.data.digits else "images"
    small = ctx.train(TRAIN_SIZE=p.SMALL_SIZE)  # asked first: in a build it trains while the sweep waits
    sweep = ctx.sweep(default_sweep_sizes(p.TRAIN_SIZE, p.FRAMES))  # weights_evolution's sweep
    sizes = [int(s) for s in sweep.sizes]
    train_accuracy = training_accuracies(sweep.weights, sweep.biases, sizes, *ctx.data.train(sizes[-1]))
    study = step_study(small, *ctx.data.train(p.SMALL_SIZE), *ctx.data.test(p.TEST_SIZE))
    text_run = ctx.train()  # the text's run, as training_curve draws it
    fig = overfitting_figure(
        sizes, train_accuracy, sweep.accuracy, study, p.TRAIN_STEPS, ctx.theme, ctx.preset, noun
    )
    final = text_run.log[-1][1]
    ctx.figure(
        "overfitting",
        fig,
        alt=f"Top: accuracy after {p.TRAIN_STEPS:,} steps against training size on a log scale, on the "
        f"training examples and on {p.TEST_SIZE:,} test {noun}: "
        f"{describe_gap(sizes, train_accuracy, sweep.accuracy)}; the gap, overfitting, closes as data grows. "
        f"Below, one run on {p.SMALL_SIZE:,} examples along its steps: training accuracy reaches "
        f"{percent(study.train_accuracy[-1], 0)}; {describe_steps(study, noun)}. The band is a 95% bootstrap "
        f'over the test {noun} ({study.resamples} resamples). The text\'s "accuracy slightly went down" at '
        f"{p.TRAIN_SIZE:,} examples is not this: "
        f"{describe_dips(accuracy_dips(text_run.log), final, p.TEST_SIZE, noun)}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
