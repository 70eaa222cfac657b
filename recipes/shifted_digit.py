"""A 1 moved to the left edge, and the prediction that follows.

The text asks what happens to "a 1 that was drawn on the very left side of the square". Top: a real
example of class DIGIT (the text's 1) from the test set moved left pixel by pixel (empty columns enter on
the right; nothing wraps around) until it touches the edge, with the trained model's prediction and its
probability; a thin vertical line on every thumbnail marks where the unshifted ink began, so the shift
shows as the gap to it. Bottom: accuracy on every test example of that class, and on the whole test
set, against the shift. The linear model's templates sit where the training digits were, centred, so a
few pixels' move is enough to lose them.
"""

from figgen.kit import describe_shift, nth_of_digit, run_recipe_file, shift_study, shifted_digit_figure

ORDER = 160
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {
    "DIGIT": 1,
    "WHICH": 0,
    "SHIFTS": [0, 1, 2, 4],
    "MAX_SHIFT": 12,
}
LIMITS = {"DIGIT": (0, 9), "WHICH": (0, "test-1"), "SHIFTS": (0, 27), "MAX_SHIFT": (1, 27)}
OUTPUTS = {"shifted_digit": "still"}


def make(ctx, p):
    x, labels = ctx.data.test(p.TEST_SIZE)
    index = nth_of_digit(labels, p.DIGIT, p.WHICH, "shifted_digit.WHICH")  # before training: fail fast
    run = ctx.train()
    study = shift_study(run.weights, run.bias, x, labels, index, p.SHIFTS, p.MAX_SHIFT)
    fig = shifted_digit_figure(study, ctx.theme, ctx.preset, ctx.data.class_names)
    ctx.figure("shifted_digit", fig, alt=describe_shift(study, ctx.data.class_names))


if __name__ == "__main__":
    run_recipe_file(__file__)
