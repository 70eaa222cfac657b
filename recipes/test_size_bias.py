"""How a small test set gives a biased, spread accuracy.

The text: "If I wanted to cheat to get 94% accuracy, I could set the test examples to 100." The trained
default model is scored on the first BLOCK test digits (the text's TEST_SIZE(100)) and on every other
disjoint block of BLOCK digits of the test set: each dot is one block's accuracy. The line is the
accuracy on all TEST_SIZE digits, the mean of the blocks; the spread shows how much a small test set
can flatter or blame the same model.
"""

from figgen.analysis import block_accuracies, correct
from figgen.figures.evaluation import block_accuracy_figure
from figgen.recipe import run_recipe_file

KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"BLOCK": 100}
LIMITS = {"BLOCK": (1, "TEST_SIZE")}
OUTPUTS = {"test_size_bias": "still"}


def make(ctx, p):
    run = ctx.run()
    x, labels = ctx.data.test(p.TEST_SIZE)
    hits = correct(run.weights, run.bias, x, labels)
    blocks, full = block_accuracies(hits, p.BLOCK), hits.mean()
    fig = block_accuracy_figure(blocks, full, len(hits), p.BLOCK, ctx.theme, ctx.preset)
    ctx.figure(
        "test_size_bias",
        fig,
        alt=f"Accuracy of the trained model on each of {len(blocks)} disjoint blocks of {p.BLOCK} test "
        f"digits: the first block (the text's TEST_SIZE = {p.BLOCK}) scores {blocks[0]:.0%}, the blocks "
        f"range from {blocks.min():.0%} to {blocks.max():.0%} (standard deviation "
        f"{100 * blocks.std():.1f} points), while all {len(hits):,} test digits give {full:.2%}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
