"""The cheat sheets as the training size grows.

The ten weight panels after training the text's model on 1, 2, ... 10 and then ever more examples, up to
TRAIN_SIZE: with a handful of examples each sheet is a blurred copy of the few digits it saw; with thousands
it becomes a template of its digit. Every frame gives the training size and that model's test accuracy.
SIZES lists the training sizes to show instead (``--set SIZES=1,5,50,500,5000``); empty, FRAMES sizes
are chosen from 1 to TRAIN_SIZE. Weights after a few examples are small (one example moves the nine
other sheets by about −0.01, where the last sheets reach ±0.6): by default each frame has its own linear
colour scale, given on its colour bar and in its caption, so the first sheets show their red hits and blue
misses too; with SHARED_SCALE all frames share the last sheet's scale, which shows honestly how small they
start.
"""

from figgen.kit import ANIMATION_LEVELS, default_sweep_sizes, run_recipe_file, symmetric_limit, weights_frame

ORDER = 80
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"FRAMES": 36, "SIZES": [], "SHARED_SCALE": False}
QUICK = {"FRAMES": 14}
LIMITS = {"FRAMES": (2, 400), "SIZES": {"range": (1, "TRAIN_SIZE"), "items": (0, 400)}}
OUTPUTS = {"weights_evolution": "animation"}


def _examples(size: int) -> str:
    return f"{size:,} example{'' if size == 1 else 's'}"


def make(ctx, p):
    sizes = sorted(set(p.SIZES)) or default_sweep_sizes(p.TRAIN_SIZE, p.FRAMES)
    sweep = ctx.sweep(sizes)
    last = symmetric_limit(sweep.weights[-1])
    limits = [last if p.SHARED_SCALE else symmetric_limit(w) for w in sweep.weights]
    scale = "shared by every size" if p.SHARED_SCALE else "this size's own scale"

    def frames():
        for size, weights, accuracy, limit in zip(
            sweep.sizes, sweep.weights, sweep.accuracy, limits, strict=True
        ):
            yield weights_frame(
                weights,
                ctx.theme,
                ctx.preset,
                limit=limit,
                colorbar_limits=limits,  # every frame's labels get the room of the widest: nothing jumps
                levels=ANIMATION_LEVELS,
                labels=ctx.data.class_names,
                title=f"Weights after training on {_examples(size)}",
                caption=f"TRAIN_SIZE = {size:,} · test accuracy {accuracy:.1%} · colours ±{limit:.2g}, "
                f"{scale}",
            )

    durations = [600 if size <= 10 else 250 for size in sweep.sizes]
    captions = [
        f"Trained on {_examples(size)}: test accuracy {accuracy:.1%}; colours ±{limit:.2g}, {scale}"
        for size, accuracy, limit in zip(sweep.sizes, sweep.accuracy, limits, strict=True)
    ]
    middle = next(i for i, s in enumerate(sweep.sizes) if s >= min(100, sizes[-1]))
    keys = sorted({0, min(9, len(sizes) - 1), middle, len(sizes) - 1})
    shown = [int(sweep.sizes[i]) for i in keys]
    ctx.animation(
        "weights_evolution",
        frames,
        durations_ms=durations,
        hold_last_ms=2500,
        captions=captions,
        keyframes=keys,
        keyframe_labels=[_examples(s) for s in shown],
        alt=_alt(ctx, p, sweep, shown, limits),
    )


def _alt(ctx, p, sweep, shown, limits) -> str:
    """What the animation shows, told at the sizes of its key frames (the filmstrip's too)."""
    sizes = [int(s) for s in sweep.sizes]
    parts = [
        "The ten weight sheets, red for pixels that vote for a class and blue for pixels that vote against, "
        f"as the training size grows from {sizes[0]:,} to {_examples(sizes[-1])}."
    ]
    if sizes[0] == 1:
        seen = ctx.data.class_name(int(sweep.weights[0].max(axis=0).argmax()))
        others = "white at this scale" if p.SHARED_SCALE else "a pale blue copy of it"
        parts.append(
            f"After 1 example, a {seen}, the {seen} sheet is a red copy of that digit and the nine others "
            f"{others};"
        )
    few = [s for s in shown if 1 < s <= 30]
    if few:
        parts.append(f"after {_examples(few[-1])} each sheet is a blurred overlay of the few digits it saw;")
    parts.append(
        f"by {_examples(sizes[-1])} the sheets have become templates of their digits, cheat sheets with "
        "fine speckle where single pixels vote."
    )
    if p.SHARED_SCALE:
        parts.append(f"One colour scale (±{limits[-1]:.2f}) for every size;")
    else:
        parts.append(f"Each size on its own colour scale, from ±{limits[0]:.2g} to ±{limits[-1]:.2g};")
    parts.append(f"test accuracy rises from {sweep.accuracy[0]:.1%} to {sweep.accuracy[-1]:.1%}.")
    return " ".join(parts)


if __name__ == "__main__":
    run_recipe_file(__file__)
