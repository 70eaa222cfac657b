"""The cheat sheets as the training size grows.

The ten weight panels after training the text's model on 1, 2, ... 10 and then ever more examples, up to
TRAIN_SIZE: with a handful of examples each sheet is a blurred copy of the few digits it saw; with thousands
it becomes a template of its digit. Every frame gives the training size and that model's test accuracy.
SIZES lists the training sizes to show instead (``--set SIZES=1,5,50,500,5000``); empty, FRAMES sizes
are chosen from 1 to TRAIN_SIZE.
"""

from figgen.draw import ANIMATION_LEVELS, symmetric_limit, weights_frame
from figgen.recipe import run_recipe_file
from figgen.training import default_sweep_sizes

KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"FRAMES": 36, "SIZES": []}
QUICK = {"FRAMES": 14}
LIMITS = {"FRAMES": (2, 400), "SIZES": {"range": (1, "TRAIN_SIZE"), "items": (0, 400)}}
OUTPUTS = {"weights_evolution": "animation"}


def make(ctx, p):
    sizes = sorted(set(p.SIZES)) or default_sweep_sizes(p.TRAIN_SIZE, p.FRAMES)
    sweep = ctx.sweep(sizes)
    limit = symmetric_limit(sweep.weights[-1])  # one colour scale for all frames: the final sheet's

    def frames():
        for size, weights, accuracy in zip(sweep.sizes, sweep.weights, sweep.accuracy, strict=True):
            noun = "example" if size == 1 else "examples"
            yield weights_frame(
                weights,
                ctx.theme,
                ctx.preset,
                limit=limit,
                levels=ANIMATION_LEVELS,
                labels=ctx.data.class_names,
                title=f"Weights after training on {size:,} {noun}",
                caption=f"TRAIN_SIZE = {size:,} · test accuracy {accuracy:.1%}",
            )

    durations = [600 if size <= 10 else 250 for size in sweep.sizes]
    captions = [
        f"Trained on {size:,} example{'' if size == 1 else 's'}: test accuracy {accuracy:.1%}"
        for size, accuracy in zip(sweep.sizes, sweep.accuracy, strict=True)
    ]
    middle = next(i for i, s in enumerate(sweep.sizes) if s >= min(100, sizes[-1]))
    keys = sorted({0, min(9, len(sizes) - 1), middle, len(sizes) - 1})
    ctx.animation(
        "weights_evolution",
        frames,
        durations_ms=durations,
        hold_last_ms=2500,
        captions=captions,
        keyframes=keys,
        keyframe_labels=[f"{sweep.sizes[i]:,} example{'' if sweep.sizes[i] == 1 else 's'}" for i in keys],
        alt=f"The ten weight sheets as the training size grows from {sizes[0]:,} to {sizes[-1]:,} examples; "
        f"test accuracy rises to {sweep.accuracy[-1]:.1%}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
