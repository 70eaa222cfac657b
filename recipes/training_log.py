"""The training log as the text's reader saw it: the lines its loop printed, in a console.

The text's training loop prints ``Training Step:i Accuracy = ... Loss = ...`` every LOG_EVERY steps, the
test accuracy and the training loss of the model just updated. Here are those lines of the default run, in
the words and format ``figgen train`` prints them (one function formats both), as a still of the whole log
and as an animation that prints them one by one, as the reader watched them appear. On slides the lines
that do not fit are elided in the middle of the still and scroll off the top of the animation.
"""

from figgen.kit import console_frames, console_still, log_lines, run_recipe_file

ORDER = 65
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS", "LOG_EVERY")
QUICK = {"LOG_EVERY": 10}
OUTPUTS = {"training_log": "still", "training_log_printing": "animation"}


def make(ctx, p):
    run = ctx.train()
    lines = log_lines(run.log)
    (first, acc0, loss0), (last, acc, loss) = run.log[0], run.log[-1]
    title = f"Training on {p.TRAIN_SIZE:,} examples, learning rate {p.LEARNING_RATE:g}"
    told = (
        f"from step {first:,} (test accuracy {acc0:.4f}, training loss {loss0:.6f}) to step {last:,} "
        f"(accuracy {acc:.4f}, loss {loss:.6f})"
    )
    ctx.image(
        "training_log",
        console_still(lines, ctx.theme, ctx.preset, title=title),
        alt=f"The training log as the text printed it, in a console: {len(lines)} lines, one every "
        f"{p.LOG_EVERY:,} steps, {told}. The first line reads “{lines[0]}” and the last “{lines[-1]}”.",
    )
    keys = sorted({0, len(lines) // 2, len(lines) - 1})
    ctx.animation(
        "training_log_printing",
        lambda: console_frames(lines, ctx.theme, ctx.preset, title=title),
        durations_ms=400,
        hold_last_ms=2500,
        captions=lines,
        keyframes=keys,
        keyframe_labels=[f"step {run.log[i][0]:,}" for i in keys],
        alt=f"The text's training loop printing its log line by line in a console, {len(lines)} lines "
        f"{told}: "
        f"the first line reads “{lines[0]}” and the last “{lines[-1]}”. Key frames: "
        + ", ".join(f"step {run.log[i][0]:,}" for i in keys)
        + ".",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
