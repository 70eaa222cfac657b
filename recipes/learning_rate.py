"""Training loss for several learning rates.

The text's advice to try "too high or low of a learning rate", on MNIST itself: one run of the text's
model per LEARNING_RATES value, its training loss logged every LOG_EVERY steps. A small rate creeps, a
moderate one settles, a large one overshoots and climbs back, and too large a rate diverges: its loss
goes above that of the untrained model (ln 10), and it is drawn up to that step, marked, not as NaN.
TRAIN_STEPS defaults to 500 rather than the text's 2500: the rates have sorted themselves out by then,
and the five runs, logged ten times as often as the text's loop, take seconds instead of a minute.
"""

import math

from figgen.cli import run_recipe_file
from figgen.figures.training import plain_log_ticks, rgb

PARAMS = {
    "TRAIN_SIZE": 5500,
    "TEST_SIZE": 10000,
    "LEARNING_RATES": [0.01, 0.1, 0.5, 2.0, 5.0],
    "TRAIN_STEPS": 500,
    "LOG_EVERY": 10,
}
QUICK = {"TRAIN_SIZE": 300, "TEST_SIZE": 1000, "TRAIN_STEPS": 60, "LOG_EVERY": 5}
LIMITS = {"LOG_EVERY": (1, 100_000)}
OUTPUTS = {"learning_rate": "still"}


def make(ctx, p):
    rates = sorted(p.LEARNING_RATES)
    if not rates or rates[0] <= 0 or not all(math.isfinite(r) for r in rates):
        from figgen.errors import FiggenError

        raise FiggenError(
            f"learning_rate.LEARNING_RATES must be positive numbers, got {list(p.LEARNING_RATES)}"
        )
    runs = [ctx.run(learning_rate=lr, steps=p.TRAIN_STEPS, log_every=p.LOG_EVERY) for lr in rates]
    start = math.log(10)  # the loss of the untrained model (W = 0, b = 0): every digit at 10%
    with ctx.style():
        fig = ctx.new_figure(aspect=None if ctx.preset.height else 0.55, nrows=1, ncols=1)
        ax = fig.axes[0]
        ax.axhline(start, color=rgb(ctx.theme.muted), linestyle="--", linewidth=1)
        ax.annotate(
            "untrained model: ln 10",
            (p.TRAIN_STEPS, start),
            xytext=(0, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            color=rgb(ctx.theme.muted),
            fontsize="small",
        )
        lows = []
        for lr, run in zip(rates, runs, strict=True):
            steps = [s for s, _, _ in run.log]
            loss = [lo for _, _, lo in run.log]
            lows += loss
            if run.diverged_at is None:
                ax.plot(steps, loss, label=f"{lr:g}: {run.final_loss:.3f} ({run.final_accuracy:.1%})")
                continue
            label = f"{lr:g}: diverged"
            line = ax.plot(steps + [run.diverged_at], loss + [start], label=label)[0]
            ax.plot(
                [run.diverged_at], [start], marker="X", markersize=9, color=line.get_color(), linestyle=""
            )
            ax.annotate(
                f"diverged at step {run.diverged_at:,}",
                (run.diverged_at, start),
                xytext=(6, 8),
                textcoords="offset points",
                color=line.get_color(),
                fontsize="small",
                ha="left",
            )
        ax.set_yscale("log")
        low = min(lows, default=start)
        plain_log_ticks(ax.yaxis, low, start * 1.2)
        ax.set_ylim(low / 1.15, start * 1.35)
        ax.set_xlabel("training step")
        ax.set_ylabel("training loss (cross-entropy)")
        ax.set_title(f"Training loss for {len(rates)} learning rates ({p.TRAIN_SIZE:,} examples)")
        fig.legend(title="LEARNING_RATE: final\nloss (test accuracy)", loc="outside right center")
        ax.grid(True)
    parts = [
        f"{lr:g} diverges at step {run.diverged_at}"
        if run.diverged_at is not None
        else f"{lr:g} reaches loss {run.final_loss:.3f} ({run.final_accuracy:.1%} test accuracy)"
        for lr, run in zip(rates, runs, strict=True)
    ]
    ctx.figure(
        "learning_rate",
        fig,
        alt=f"Training loss over {p.TRAIN_STEPS:,} steps on {p.TRAIN_SIZE:,} examples for learning rates "
        f"{', '.join(f'{r:g}' for r in rates)}: " + "; ".join(parts) + ".",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
