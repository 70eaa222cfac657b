"""Test accuracy and training loss during training.

The text's training loop printed the test accuracy and the training loss every 100 steps. Here they are
for the default run: the loss keeps falling to the end, while the accuracy on unseen test digits now and
then slips down a little: the text's remark on overfitting. The right panel zooms into the last steps and
marks every logged peak of accuracy after which accuracy fell while the loss still fell.
"""

from figgen.cli import run_recipe_file
from figgen.figures.training import accuracy_dips, plain_log_ticks, rgb

PARAMS = {
    "TRAIN_SIZE": 5500,
    "TEST_SIZE": 10000,
    "LEARNING_RATE": 0.1,
    "TRAIN_STEPS": 2500,
    "ZOOM_FROM": 1000,
}
QUICK = {"TRAIN_SIZE": 300, "TEST_SIZE": 1000, "TRAIN_STEPS": 60, "ZOOM_FROM": 20}
LIMITS = {"ZOOM_FROM": (0, 100_000)}
OUTPUTS = {"training_curve": "still"}


def make(ctx, p):
    run = ctx.run()
    steps, acc, loss = (list(v) for v in zip(*run.log, strict=True))
    dips = accuracy_dips(run.log)
    zoom_from = min(p.ZOOM_FROM, steps[-2]) if len(steps) > 1 else steps[0]
    accent, mistake, good = rgb(ctx.theme.accent), rgb(ctx.theme.mistake), rgb(ctx.theme.good)
    with ctx.style():
        fig = ctx.new_figure(aspect=None if ctx.preset.height else 0.55)
        axes = fig.subplot_mosaic([["acc", "zoom"], ["loss", "zoom"]], width_ratios=[1, 1])
        axes["acc"].plot(steps, [100 * a for a in acc], color=accent, marker="o", markersize=2.5)
        axes["acc"].set_ylabel("test accuracy (%)")
        axes["acc"].set_title("Test accuracy")
        axes["loss"].plot(steps, loss, color=good, marker="o", markersize=2.5)
        axes["loss"].set_yscale("log")
        plain_log_ticks(axes["loss"].yaxis, min(loss), max(loss))
        axes["loss"].set_ylabel("training loss")
        axes["loss"].set_xlabel("training step")
        axes["loss"].set_title("Training loss (cross-entropy)")
        axes["acc"].sharex(axes["loss"])
        axes["acc"].tick_params(labelbottom=False)
        kept = [i for i, s in enumerate(steps) if s >= zoom_from]
        zoom = axes["zoom"]
        zoom.plot(
            [steps[i] for i in kept], [100 * acc[i] for i in kept], color=accent, marker="o", markersize=3
        )
        zoom.set_title(f"Test accuracy from step {zoom_from:,}")
        zoom.set_xlabel("training step")
        zoom.set_ylabel("test accuracy (%)")
        width = 2.5 * ctx.preset.scale * 100 / ctx.preset.dpi
        for n, dip in enumerate(d for d in dips if d.step >= zoom_from):
            fell = round((dip.accuracy - dip.next_accuracy) * p.TEST_SIZE)
            zoom.plot(
                [dip.step, dip.next_step],
                [100 * dip.accuracy, 100 * dip.next_accuracy],
                color=mistake,
                linewidth=width,
                label="accuracy falls, loss still falls" if n == 0 else None,
            )
            zoom.annotate(
                f"−{fell} correct",
                (dip.step, 100 * dip.accuracy),
                xytext=(0, 8),
                textcoords="offset points",
                ha="center",
                va="bottom",
                color=mistake,
                fontsize="small",
            )
        if any(d.step >= zoom_from for d in dips):
            zoom.legend(loc="lower right")
        zoom.margins(y=0.12)
        for ax in axes.values():
            ax.grid(True)
    if dips:
        where = "; ".join(
            f"step {d.step:,} to {d.next_step:,} ({d.accuracy:.2%} to {d.next_accuracy:.2%})" for d in dips
        )
        dip_text = f"accuracy dips while the loss still falls at {where}"
    else:
        dip_text = "no logged step shows accuracy falling while the loss falls"
    ctx.figure(
        "training_curve",
        fig,
        alt=f"Test accuracy rises from {acc[0]:.1%} at step 0 to {acc[-1]:.2%} at step {steps[-1]:,} and the "
        f"training loss falls from {loss[0]:.3f} to {loss[-1]:.3f}; {dip_text}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
