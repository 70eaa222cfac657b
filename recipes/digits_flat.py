"""What the classifier sees: digits as rows of pixels.

The training digits START to STOP, each flattened from 28×28 to one row of 784 pixel intensities between
zero and one and stacked, as the text's ``display_mult_flat(0, 400)`` shows them: a 400 × 784 image.
"""

from figgen.kit import flat_digits_figure, run_recipe_file, training_rows

ORDER = 20
PARAMS = {"START": 0, "STOP": 400}
LIMITS = {"START": (0, "STOP-1"), "STOP": (1, "train")}
OUTPUTS = {"digits_flat": "still"}


def make(ctx, p):
    rows = training_rows(ctx.data, p.START, p.STOP, "digits_flat")
    fig = flat_digits_figure(rows, p.START, ctx.theme, ctx.preset)
    ctx.figure(
        "digits_flat",
        fig,
        alt=f"Training digits {p.START} to {p.STOP - 1} flattened into {len(rows)} rows of 784 pixel "
        "intensities and stacked into one grayscale image: the form in which the classifier sees them.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
