"""The shapes of y = softmax(x · W + b), to scale.

The text's model as matrices: x holds m digits of 784 pixels (m × 784), W the ten cheat sheets (784 × 10),
b ten biases, added to every row (broadcast), and y m rows of ten probabilities (m × 10). The top row draws
the four arrays on one scale, so 784 is seen to be 78.4 times 10; magnified views show x's ROWS real digits
(the first training images, as ``digits_flat`` stacks them), W's COLUMN as its 28 × 28 sheet, b repeated
down the m rows, and y. From the default run's W and b: no training of its own.
"""

from figgen.kit import batch_shapes, matrix_shapes_figure, probability_text, run_recipe_file

ORDER = 45
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"ROWS": 8, "COLUMN": 7}
LIMITS = {"ROWS": (1, 16), "COLUMN": (0, 9)}
OUTPUTS = {"matrix_shapes": "still"}


def make(ctx, p):
    rows, labels = ctx.data.train(p.ROWS)  # the text's x_train[:m]
    run = ctx.train()
    shapes = batch_shapes(run.weights, run.bias, rows, labels)
    names = ctx.data.class_names
    fig = matrix_shapes_figure(shapes, p.COLUMN, p.TRAIN_SIZE, ctx.theme, ctx.preset, names)
    guesses = shapes.probs.argmax(axis=1)
    right = int((guesses == labels).sum())
    first = int(guesses[0])
    ctx.figure(
        "matrix_shapes",
        fig,
        alt=f"The text's y = softmax(x · W + b) as blocks drawn to scale: x is m × 784 (m = {p.ROWS} "
        "training digits here, each flattened into a row; the text's training feeds all "
        f"m = {p.TRAIN_SIZE:,} at once), "
        "W is 784 × 10, as tall as x is long and 78.4 times as tall as it is wide, b has 10 numbers, from "
        f"{shapes.bias.min():.2f} to {shapes.bias.max():.2f}, repeated down the m rows when added, and y is "
        f"m × 10. Magnified: x's rows and the digits they are, W's column {p.COLUMN} as the 28 × 28 sheet of "
        f"{names[p.COLUMN]}, b broadcast, and y's rows: row 0, {ctx.data.example_phrase(int(labels[0]))}, "
        f"gives {names[first]} the largest probability, {probability_text(shapes.probs[0, first])}; "
        f"{right} of the {p.ROWS} rows' largest probabilities are at their labels.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
