"""Training loss for several learning rates.

The text's advice to try "too high or low of a learning rate", on MNIST itself: one run of the text's
model per LEARNING_RATES value, its training loss logged every LOG_EVERY steps. A small rate creeps, a
moderate one converges, a large one is unstable (its loss jumps above the untrained model's ln 10 again
and again), and too large a rate diverges (its loss stays above ln 10). Each run is named by its whole
log, the same rule wherever figgen names a run, and labelled where its line ends; the text's 0.1 is the
thick line.
TRAIN_STEPS defaults to 500 rather than the text's 2500: the rates have sorted themselves out by then,
and the five runs, logged ten times as often as the text's loop, take seconds instead of a minute.
"""

from figgen.kit import describe_rates, learning_rate_figure, run_recipe_file

ORDER = 110
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "TRAIN_STEPS", "LOG_EVERY")
PARAMS = {"LEARNING_RATES": [0.01, 0.1, 0.5, 20.0, 1000.0], "TRAIN_STEPS": 500, "LOG_EVERY": 10}
QUICK = {"LOG_EVERY": 5}
OUTPUTS = {"learning_rate": "still"}


def make(ctx, p):
    rates = sorted(p.LEARNING_RATES)
    # the rates train side by side in one batch; a diverged run is drawn up to where it diverged: this
    # figure is about that
    runs = ctx.train_rates(rates, allow_diverged=True)
    fig = learning_rate_figure(rates, runs, p.TRAIN_SIZE, p.TRAIN_STEPS, ctx.theme, ctx.preset)
    ctx.figure(
        "learning_rate",
        fig,
        alt=f"Training loss over {p.TRAIN_STEPS:,} steps on {p.TRAIN_SIZE:,} examples for learning rates "
        f"{', '.join(f'{r:g}' for r in rates)}: {describe_rates(rates, runs)}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
