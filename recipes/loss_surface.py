"""Gradient descent on the real model: a slice of the MNIST loss surface and the path training took on it.

The text pictures gradient descent on y = x² (see gradient_descent); the model it trains has 7,850
parameters, W and b. This is the loss of that model on a plane through the trained weights: the plane
spanned by the two principal directions of the path the weights took (the default run's snapshots, from
W = 0 and b = 0 before the first update), which holds nearly all of it. The colours are the training loss
(the text's cross-entropy, on EXAMPLES training examples, log scale) at each point of the plane; the dots
are the weights after each kept step, projected onto it. Early steps are long, later ones short, as the
slope flattens towards the minimum, just as on the parabola. The animation draws the path step by step.
"""

from figgen.kit import (
    describe_surface,
    loss_surface,
    loss_surface_figure,
    loss_surface_frames,
    run_recipe_file,
)

ORDER = 105
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"GRID": 31, "EXAMPLES": 5500}
QUICK = {"GRID": 21}
LIMITS = {"GRID": (3, 401), "EXAMPLES": (1, "train")}
OUTPUTS = {"loss_surface": "still", "loss_surface_path": "animation"}


def make(ctx, p):
    run = ctx.train()
    surface = loss_surface(run, *ctx.data.train(p.TRAIN_SIZE), grid=p.GRID, examples=p.EXAMPLES)
    words = describe_surface(surface)
    ctx.figure(
        "loss_surface",
        loss_surface_figure(surface, None, ctx.theme, ctx.preset),
        alt=f"A colour map of the training loss on a slice of the model's 7,850 parameters: {words}. The "
        f"path of gradient descent runs from the start (a square) to the trained weights (a star) in "
        f"{len(surface.steps) - 1} kept steps, long steps first and ever shorter ones towards the minimum.",
    )
    steps = [int(s) for s in surface.steps]
    count = len(steps)
    keys = sorted({0, min(range(count), key=lambda i: abs(steps[i] - 10)), count // 2, count - 1})
    ctx.animation(
        "loss_surface_path",
        lambda: loss_surface_frames(surface, ctx.theme, ctx.preset),
        durations_ms=[900] + [250] * (count - 1),
        hold_last_ms=2500,
        captions=[
            ("Before training" if s < 0 else f"After step {s:,}") + f": training loss {lo:.3f}"
            for s, lo in zip(steps, surface.path_loss, strict=True)
        ],
        keyframes=keys,
        keyframe_labels=["start" if steps[i] < 0 else f"step {steps[i]:,}" for i in keys],
        alt=f"The path of gradient descent drawn step by step on {words}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
