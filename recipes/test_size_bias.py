"""How a small test set gives a biased, spread accuracy.

The text: "If I wanted to cheat to get 94% accuracy, I could set the test examples to 100. This shows how
not having enough test examples can give you a biased sense of accuracy." The trained default model is
scored on SAMPLES test sets of BLOCK digits (the text's TEST_SIZE(100)), each drawn at random from the
TEST_SIZE test digits (seeded by SEED, so a build is reproducible): the histogram is their accuracies,
beside the binomial expectation, whose standard error sqrt(p (1 - p) / BLOCK) is shaded around the
accuracy on all TEST_SIZE digits. Below, as a contrast, the disjoint blocks of BLOCK consecutive test
digits, the first one the text's: they spread wider, because the test set's order adds its own spread
(MNIST's first 5,000 test digits are harder than its last 5,000).
"""

from figgen.kit import (
    block_accuracies,
    correct,
    order_effect,
    random_sample_accuracies,
    run_recipe_file,
    sample_size_figure,
    standard_error,
)

ORDER = 150
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"BLOCK": 100, "SAMPLES": 1000, "SEED": 0}
LIMITS = {"BLOCK": (1, "TEST_SIZE"), "SAMPLES": (1, 100_000), "SEED": (0, 4_294_967_295)}
OUTPUTS = {"test_size_bias": "still"}


def make(ctx, p):
    run = ctx.train()
    x, labels = ctx.data.test(p.TEST_SIZE)
    hits = correct(run.weights, run.bias, x, labels)
    blocks, full = block_accuracies(hits, p.BLOCK), hits.mean()
    samples = random_sample_accuracies(hits, p.BLOCK, p.SAMPLES, p.SEED)
    noun = "digits" if ctx.data.digits else "images"
    fig = sample_size_figure(samples, blocks, full, len(hits), p.BLOCK, ctx.theme, ctx.preset, noun)
    se = standard_error(full, p.BLOCK)
    near = abs(samples.std() - se) <= 0.15 * se  # as the binomial expects, or not (few samples)
    half = len(hits) // 2
    halves = (
        f" (its first {half:,} score {hits[:half].mean():.1%}, its last {len(hits) - half:,} "
        f"{hits[half:].mean():.1%})"
        if half
        else ""
    )
    ctx.figure(
        "test_size_bias",
        fig,
        alt=f"Accuracy of the trained model on {p.SAMPLES:,} random test sets of {p.BLOCK} test {noun} "
        f"(seed {p.SEED}): from {samples.min():.0%} to {samples.max():.0%}, standard deviation "
        f"{100 * samples.std():.1f} points, {'close to' if near else 'against'} the binomial standard error "
        f"sqrt(p(1-p)/{p.BLOCK}) = {100 * se:.1f} points, around {full:.2%} on all "
        f"{len(hits):,} test {noun}. The text's TEST_SIZE = {p.BLOCK}, the first {p.BLOCK} test {noun}, "
        f"scores {blocks[0]:.0%}. Contrast: the {len(blocks)} disjoint blocks of {p.BLOCK} consecutive "
        f"test {noun} spread with a standard deviation of {100 * blocks.std():.1f} points: "
        f"{order_effect(samples, blocks)}{halves}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
