"""The cheat sheets along the gradient-descent steps.

The ten weight panels of the default run after each kept step, from the first update to the last: the
sheets start as faint blurred averages of their digits and sharpen into templates with red hits and blue
misses. Early on the weights are tiny on the final scale (the caption gives the largest). Snapshots are
dense early and sparse late, where little changes. Every frame gives the step and the test accuracy of
the model at that step, and all frames share the final sheet's colour scale.
"""

from figgen.analysis import snapshot_accuracy
from figgen.draw import ANIMATION_LEVELS, symmetric_limit, weights_frame
from figgen.recipe import run_recipe_file

KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
OUTPUTS = {"weights_training": "animation"}


def make(ctx, p):
    run = ctx.run()
    steps = sorted(run.snapshots)
    accuracy = snapshot_accuracy(run, *ctx.data.test(p.TEST_SIZE))
    limit = symmetric_limit(run.snapshots[steps[-1]])  # one colour scale for all frames: the last sheet's

    def frames():
        for step in steps:
            yield weights_frame(
                run.snapshots[step],
                ctx.theme,
                ctx.preset,
                limit=limit,
                levels=ANIMATION_LEVELS,
                title=f"Weights during training on {p.TRAIN_SIZE:,} examples",
                caption=f"step {step:,} · test accuracy {accuracy[step]:.1%} · "
                f"largest |weight| {abs(run.snapshots[step]).max():.2g}",
            )

    keys = sorted(
        {min(range(len(steps)), key=lambda i: abs(steps[i] - s)) for s in (0, 10, 100)} | {len(steps) - 1}
    )
    ctx.animation(
        "weights_training",
        frames,
        durations_ms=300,
        hold_last_ms=2500,
        captions=[f"Step {step:,}: test accuracy {accuracy[step]:.1%}" for step in steps],
        keyframes=keys,
        keyframe_labels=[f"step {steps[i]:,}" for i in keys],
        alt=f"The ten weight sheets over {len(steps)} snapshots of gradient descent from step 0 to "
        f"{steps[-1]:,} on {p.TRAIN_SIZE:,} examples, on one colour scale (±{limit:.2f}); test accuracy goes "
        f"from {accuracy[steps[0]]:.1%} after the first update to {accuracy[steps[-1]]:.1%}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
