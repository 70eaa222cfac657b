"""One training digit.

A single 28×28 training image in gray_r, titled as the text's ``display_digit`` titles it: the example's
index and its label. The text picks a random example; EXAMPLE fixes one so the figure is reproducible.
"""

from figgen.kit import digit_figure, run_recipe_file, training_example

ORDER = 10
PARAMS = {"EXAMPLE": 0}
LIMITS = {"EXAMPLE": (0, "train-1")}
OUTPUTS = {"digit": "still"}


def make(ctx, p):
    image, label = training_example(ctx.data, p.EXAMPLE, "digit.EXAMPLE")
    title = f"Example: {p.EXAMPLE} Label: {ctx.data.class_name(label)}"
    fig = digit_figure(image, title, ctx.theme, ctx.preset)
    ctx.figure(
        "digit",
        fig,
        alt=f"Training example {p.EXAMPLE}, {ctx.data.example_phrase(label)} shown as a 28 by 28 "
        "grayscale image, "
        f"titled '{title}'.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
