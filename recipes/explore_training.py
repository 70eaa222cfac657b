"""Explore training: real runs by training size, learning rate and step.

The text's advice is to change TRAIN_SIZE and LEARNING_RATE and notice what happens; this page lets a reader
do it without TensorFlow. A grid of real runs of the text's model (one per SIZES x LEARNING_RATES pair, all
trained together in one loop and cached) is held in the page with the weights after each of LOGGED steps on
a log scale to TRAIN_STEPS. Three sliders pick the run and the step; the page shows the ten weight sheets,
the training loss and test accuracy up to that step, the prediction for the text's example digit (EXAMPLE
-1, its x_train[0]; any other value is a training index) and the run's regime, named by the same rule as the
learning_rate figure. Every number shown is the Python run's; the sheets are quantised to the page's 255
colour levels.
"""

from figgen.kit import (
    run_recipe_file,
    snapshot_schedule,
    training_page,
    training_page_data,
    weights_frame,
)

ORDER = 95
KNOBS = ("TEST_SIZE", "TRAIN_STEPS")
PARAMS = {
    "SIZES": [10, 50, 200, 1000, 2500, 5500],
    "LEARNING_RATES": [0.001, 0.01, 0.1, 1.0, 20.0],
    "LOGGED": 25,
    "EXAMPLE": -1,
}
QUICK = {"SIZES": [10, 100, 300], "LEARNING_RATES": [0.01, 0.5, 20.0], "LOGGED": 8}
LIMITS = {
    "SIZES": {"range": (1, "train"), "items": (1, 8)},
    "LEARNING_RATES": {"range": (1e-6, 1e6), "items": (1, 8)},
    "LOGGED": (2, 60),
    "EXAMPLE": (-1, "train-1"),
}
OUTPUTS = {"explore_training": "explorable"}


def make(ctx, p):
    sizes, rates = sorted(set(p.SIZES)), sorted(set(p.LEARNING_RATES))
    logged = snapshot_schedule(p.TRAIN_STEPS, p.LOGGED)  # a log scale of steps, 0 and the last included
    grid = ctx.train_grid(sizes, rates, log_steps=logged)
    text = ctx.data.text_index(0) if p.EXAMPLE == -1 else None  # None: a data set without the text's images
    index = p.EXAMPLE if p.EXAMPLE != -1 else text if text is not None else 0
    images, labels = ctx.data.train(index + 1)
    example = (index, images[index], int(labels[index]))
    data = training_page_data(
        grid, sizes, rates, logged, p.TRAIN_STEPS, p.TEST_SIZE, example, ctx.data.class_names
    )
    # the page opens on the largest size at the rate nearest the text's 0.1, at the last step it holds
    rate = min(range(len(rates)), key=lambda j: abs(rates[j] - 0.1))
    run, first = grid[-1][rate], data["runs"][(len(sizes) - 1) * len(rates) + rate]
    t = len(first["loss"]) - 1
    shown = f"LEARNING_RATE {rates[rate]:g} on {sizes[-1]:,} examples {first['regime']}"
    accuracy, loss = first["accuracy"][t], first["loss"][t]
    at = f"at step {logged[t]:,}: test accuracy {100 * accuracy:.1f}%, training loss {loss}"
    still = weights_frame(
        run.snapshots[logged[t]], ctx.theme, ctx.preset, title=f"W after step {logged[t]:,}", caption=shown
    )
    ctx.explorable(
        "explore_training",
        training_page(data),
        alt=f"Real runs of the text's model to explore: sliders for TRAIN_SIZE ({sizes[0]:,} to "
        f"{sizes[-1]:,}), LEARNING_RATE ({rates[0]:g} to {rates[-1]:g}) and the step ({len(logged)} steps "
        f"from 0 to {p.TRAIN_STEPS:,} on a log scale) pick one of {len(sizes) * len(rates)} runs; the page "
        "shows its ten weight sheets, its training loss and test accuracy up to that step, its prediction "
        f"for training example {index:,} and its regime. It opens on {shown}, {at}.",
        still=still,
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
