"""Gradient descent on y = x²: learning rates too small, good, overshooting yet converging, and too large.

Four balls start at X0 on the parabola y = x², the text's picture of a loss, and each takes STEPS steps
x ← x − rate · 2x with one of LEARNING_RATES: the small rate crawls towards the minimum at 0, the good one
gets there in a few steps, 0.9 overshoots the minimum on every step yet lands closer each time (the text's
"overshoot"), and the large one overshoots further on every step and diverges. Every panel keeps one view,
the same for all, so a ball moving away from the minimum is drawn further away; a strip beneath plots the
distance |x| on a log scale.
"""

import numpy as np

from figgen.kit import (
    descent_frames,
    gradient_descent_path,
    learning_rate_verdict,
    leaves_view,
    run_recipe_file,
    view_half,
)

ORDER = 100
PARAMS = {"LEARNING_RATES": [0.02, 0.3, 0.9, 1.05], "X0": 4.0, "STEPS": 30}
QUICK = {"STEPS": 8}
LIMITS = {"LEARNING_RATES": {"range": (0, 2), "items": (1, 4)}, "X0": (-100.0, 100.0), "STEPS": (1, 500)}
OUTPUTS = {"gradient_descent": "animation"}
AT_MINIMUM = 0.01  # within 1% of the view's half-width, a ball sits on the minimum to the eye


def seen(path: np.ndarray) -> str:
    """What a viewer sees a ball do over its whole path, in words."""
    distance = np.abs(path)
    steps = len(path) - 1
    if distance[0] == 0:
        return "the ball stays at the minimum"
    moves = np.diff(distance)
    across = bool(np.all(np.sign(path[1:]) == -np.sign(path[:-1])))
    if np.all(moves > 0):
        words = "jumps across the minimum and lands further from it" if across else "moves further from it"
        words = "the ball " + words + " on every step"
        left = leaves_view(path)
        return words + (f" and leaves the view at step {left}" if left is not None else "")
    if np.all(moves == 0):
        return "the ball jumps across the minimum and back, never closer" if across else "the ball stays put"
    if np.all(moves < 0):
        words = "the ball jumps across the minimum on every step, landing closer each time" if across else ""
        words = words or "the ball moves closer to the minimum on every step"
        there = np.nonzero(distance <= AT_MINIMUM * view_half(path[0]))[0]
        if len(there):
            return words + f", and sits on it from step {there[0]}"
        return words + f", still {distance[-1]:.3g} away after {steps} steps"
    return "the ball moves closer on some steps and further on others"


def make(ctx, p):
    paths = [gradient_descent_path(p.X0, rate, p.STEPS) for rate in p.LEARNING_RATES]
    keys = sorted({0, 1, min(5, p.STEPS), p.STEPS})
    rated = list(zip(p.LEARNING_RATES, paths, strict=True))
    half = view_half(p.X0)

    def where(path: np.ndarray, t: int) -> str:
        x, words = path[t], ""
        if abs(x) > half:
            words = ", off the view"
        elif t and abs(x) > abs(path[t - 1]):
            words = ", further from the minimum"
        elif t and abs(x) < abs(path[t - 1]):
            words = ", closer to the minimum"
        return f"x = {x:.3g}{words}"

    ctx.animation(
        "gradient_descent",
        lambda: descent_frames(paths, p.LEARNING_RATES, ctx.theme, ctx.preset),
        durations_ms=[900] + [300] * p.STEPS,
        hold_last_ms=2500,
        captions=[
            f"Step {t}: " + "; ".join(f"at rate {rate:g} {where(path, t)}" for rate, path in rated)
            for t in range(p.STEPS + 1)
        ],
        keyframes=keys,
        keyframe_labels=[f"step {k}" for k in keys],
        alt=f"Gradient descent on y = x² from x = {p.X0:g} over {p.STEPS} steps, one panel per learning "
        f"rate, each showing x from {-half:g} to {half:g}, and beneath each a strip of the distance from the "
        "minimum on a log scale. "
        + " ".join(
            f"Rate {rate:g} ({learning_rate_verdict(path)}, x = {path[-1]:.3g}): {seen(path)}."
            for rate, path in rated
        ),
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
