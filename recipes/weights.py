"""The ten weight cheat sheets after training.

The text's favourite figure: after the default run, each column of W reshaped to 28 x 28 and drawn with
the seismic colormap, one panel per digit. The colour scale is centred on zero for all ten panels:
red pixels vote for the digit, blue ones against it, white is neutral.
"""

from figgen.kit import run_recipe_file, symmetric_limit, weights_frame

ORDER = 70
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
OUTPUTS = {"weights": "still"}


def make(ctx, p):
    run = ctx.train()
    limit = symmetric_limit(run.weights)  # max |W|; 1 when every weight is still 0
    frame = weights_frame(
        run.weights,
        ctx.theme,
        ctx.preset,
        limit=limit,
        labels=ctx.data.class_names,
        title=f"Weights after {p.TRAIN_STEPS:,} steps on {p.TRAIN_SIZE:,} examples · "
        f"test accuracy {run.final_accuracy:.1%}",
    )
    ctx.image(
        "weights",
        frame,
        alt=f"The ten weight sheets ({ctx.data.class_names[0]} to {ctx.data.class_names[-1]}) after "
        f"{p.TRAIN_STEPS:,} steps on {p.TRAIN_SIZE:,} training examples, red positive and blue negative on "
        f"one scale from −{limit:.2f} to +{limit:.2f} centred on white zero; test accuracy "
        f"{run.final_accuracy:.2%} on {p.TEST_SIZE:,} test examples.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
