"""The cheat sheets along the gradient-descent steps.

The ten weight panels of the default run after each kept step, from the first update to the last: the
sheets start as faint blurred averages of their digits and sharpen into templates with red hits and blue
misses. Snapshots are dense early and sparse late, where little changes. Every frame gives the step and
the test accuracy of the model at that step. Early weights are tiny: by default each frame has its own
colour scale, shown on its colour bar and in its caption, so the first sheets are visible too; with
SHARED_SCALE all frames share the last sheet's scale, which shows honestly how small they start.
"""

from figgen.kit import ANIMATION_LEVELS, run_recipe_file, snapshot_accuracy, symmetric_limit, weights_frame

ORDER = 90
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"SHARED_SCALE": False}
OUTPUTS = {"weights_training": "animation"}


def make(ctx, p):
    run = ctx.train()
    steps = sorted(run.snapshots)
    accuracy = snapshot_accuracy(run, *ctx.data.test(p.TEST_SIZE))
    last = symmetric_limit(run.snapshots[steps[-1]])
    limits = [last if p.SHARED_SCALE else symmetric_limit(run.snapshots[step]) for step in steps]
    scale = "shared by every step" if p.SHARED_SCALE else "this step's own scale"

    def frames():
        for step, limit in zip(steps, limits, strict=True):
            yield weights_frame(
                run.snapshots[step],
                ctx.theme,
                ctx.preset,
                limit=limit,
                colorbar_limits=limits,  # every frame's labels get the room of the widest: nothing jumps
                levels=ANIMATION_LEVELS,
                labels=ctx.data.class_names,
                title=f"Weights during training on {p.TRAIN_SIZE:,} examples",
                caption=f"step {step:,} · test accuracy {accuracy[step]:.1%} · colours ±{limit:.2g}, {scale}",
            )

    keys = sorted(
        {min(range(len(steps)), key=lambda i: abs(steps[i] - s)) for s in (0, 10, 100)} | {len(steps) - 1}
    )
    first = symmetric_limit(run.snapshots[steps[0]])
    ctx.animation(
        "weights_training",
        frames,
        durations_ms=300,
        hold_last_ms=2500,
        captions=[f"Step {step:,}: test accuracy {accuracy[step]:.1%}" for step in steps],
        keyframes=keys,
        keyframe_labels=[f"step {steps[i]:,}" for i in keys],
        alt=f"The ten weight sheets over {len(steps)} snapshots of gradient descent from step 0 to "
        f"{steps[-1]:,} on {p.TRAIN_SIZE:,} examples: after the first update each sheet is a blurred average "
        "of its class's digits, red where they have ink and blue where the other classes' digits do; step by "
        "step the sheets sharpen into templates, and later steps add fine speckle as the weights fit "
        f"single pixels, the cheat sheets of step {steps[-1]:,}. Key frames: "
        + ", ".join(f"step {steps[i]:,}" for i in keys)
        + "; the frames are "
        + (
            f"on one colour scale (±{last:.2f})"
            if p.SHARED_SCALE
            else f"each on its own colour scale, from ±{first:.2g} at the first step to ±{last:.2g}"
        )
        + f"; test accuracy goes from {accuracy[steps[0]]:.1%} after the first update to "
        f"{accuracy[steps[-1]]:.1%}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
