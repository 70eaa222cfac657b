"""Gradient descent on y = x²: learning rates too small, good and too large.

Three balls start at X0 on the parabola y = x², the text's picture of a loss, and each takes STEPS steps
x ← x − rate · 2x with one of LEARNING_RATES: the small rate crawls towards the minimum at 0, the good one
gets there in a few steps, and the large one overshoots further on every step and diverges.
"""

from figgen.analysis import gradient_descent_path, learning_rate_verdict
from figgen.draw import descent_frames
from figgen.recipe import run_recipe_file

PARAMS = {"LEARNING_RATES": [0.02, 0.3, 1.05], "X0": 4.0, "STEPS": 30}
QUICK = {"STEPS": 8}
LIMITS = {"LEARNING_RATES": {"range": (0, 2), "items": (1, 4)}, "X0": (-100.0, 100.0), "STEPS": (1, 500)}
OUTPUTS = {"gradient_descent": "animation"}


def make(ctx, p):
    paths = [gradient_descent_path(p.X0, rate, p.STEPS) for rate in p.LEARNING_RATES]
    keys = sorted({0, 1, min(5, p.STEPS), p.STEPS})
    rated = list(zip(p.LEARNING_RATES, paths, strict=True))
    ctx.animation(
        "gradient_descent",
        lambda: descent_frames(paths, p.LEARNING_RATES, ctx.theme, ctx.preset),
        durations_ms=[900] + [300] * p.STEPS,
        hold_last_ms=2500,
        captions=[
            f"Step {t}: " + ", ".join(f"x = {path[t]:.3g} at rate {rate:g}" for rate, path in rated)
            for t in range(p.STEPS + 1)
        ],
        keyframes=keys,
        keyframe_labels=[f"step {k}" for k in keys],
        alt=f"Gradient descent on y = x² from x = {p.X0:g} over {p.STEPS} steps with learning rates "
        + "; ".join(
            f"{rate:g} ({learning_rate_verdict(path)}, x = {path[-1]:.3g})"
            for rate, path in zip(p.LEARNING_RATES, paths, strict=True)
        )
        + ".",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
