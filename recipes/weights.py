"""The ten weight cheat sheets after training.

The text's favourite figure: after the default run, each column of W reshaped to 28 x 28 and drawn with
the seismic colormap, one panel per digit. The colour scale is centred on zero for all ten panels:
red pixels vote for the digit, blue ones against it, white is neutral.
"""

from figgen.draw import symmetric_limit, weights_frame
from figgen.recipe import run_recipe_file

KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
OUTPUTS = {"weights": "still"}


def make(ctx, p):
    run = ctx.run()
    limit = symmetric_limit(run.weights)  # max |W|; 1 when every weight is still 0
    frame = weights_frame(
        run.weights,
        ctx.theme,
        ctx.preset,
        limit=limit,
        title=f"Weights after {p.TRAIN_STEPS:,} steps on {p.TRAIN_SIZE:,} examples · "
        f"test accuracy {run.final_accuracy:.1%}",
    )
    ctx.image(
        "weights",
        frame,
        alt=f"The ten weight sheets (digits 0 to 9) after {p.TRAIN_STEPS:,} steps on {p.TRAIN_SIZE:,} "
        f"training examples, red positive and blue negative on one scale from −{limit:.2f} to "
        f"+{limit:.2f} centred on white zero; test accuracy {run.final_accuracy:.2%} on "
        f"{p.TEST_SIZE:,} test digits.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
