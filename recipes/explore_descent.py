"""Explore gradient descent on y = x².

Turn LEARNING_RATE (on a log scale) and the start x₀, and step through gradient descent on the parabola
y = x², the text's picture of a loss: each step is x ← x − LEARNING_RATE · 2x, computed in the page as the
gradient_descent animation computes it, and the run named by the same rule (crawls, converges, unstable,
diverged) from the distance |x| over its STEPS steps. The page opens at LEARNING_RATE and X0 on the last
step; its still shows that state as the animation draws it.
"""

from figgen.kit import (
    descent_frames,
    descent_page,
    gradient_descent_path,
    learning_rate_verdict,
    rate_scale,
    run_recipe_file,
)

ORDER = 102
PARAMS = {
    "LEARNING_RATE": 0.1,
    "X0": 4.0,
    "STEPS": 30,
    "RATE_RANGE": [0.001, 1.5],
    "RATES_PER_DECADE": 12,
    "MARKED_RATES": [0.02, 0.3, 0.5, 0.9, 1.0, 1.05],  # the gradient_descent figure's, and two edges
    "STARTS": [-4.0, -3.0, -2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0, 4.0],
}
QUICK = {}
LIMITS = {
    "LEARNING_RATE": (0, 2.0),  # above 0, as the knob; a rate below RATE_RANGE widens the slider's scale
    "X0": (-100.0, 100.0),
    "STEPS": (1, 200),
    "RATE_RANGE": {"range": (0.0001, 2.0), "items": (2, 2)},
    "RATES_PER_DECADE": (1, 50),
    "MARKED_RATES": {"range": (0.0001, 2.0), "items": (0, 20)},
    "STARTS": {"range": (-100.0, 100.0), "items": (1, 40)},
}
OUTPUTS = {"explore_descent": "explorable"}


def make(ctx, p):
    extra = [p.LEARNING_RATE, *p.MARKED_RATES]
    low = min(*p.RATE_RANGE, p.LEARNING_RATE, *p.MARKED_RATES)  # the scale reaches every rate it marks
    rates = rate_scale(low, max(p.RATE_RANGE), p.RATES_PER_DECADE, extra)
    page = descent_page(rates, p.STARTS, p.STEPS, p.LEARNING_RATE, p.X0)
    rate, x0 = page.data["rates"][page.data["rate0"]], page.data["starts"][page.data["start0"]]
    path = gradient_descent_path(x0, rate, p.STEPS)
    still = list(descent_frames([path], [rate], ctx.theme, ctx.preset))[-1]
    ctx.explorable(
        "explore_descent",
        page,
        still=still,
        alt=f"Gradient descent on y = x² to explore: a slider for LEARNING_RATE on a log scale "
        f"({rates[0]:g} to {rates[-1]:g}), one for the start x₀ and one for the step (0 to {p.STEPS}). "
        f"It opens at rate {rate:g} from x = {x0:g}: after {p.STEPS} steps x = {path[-1]:.3g}, "
        f"{learning_rate_verdict(path)}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
