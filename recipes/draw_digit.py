"""Draw a digit and watch the model read it.

A page to draw a digit on (mouse, finger or pen), preprocessed as MNIST's digits were (fitted into a 20 × 20
box, its aspect kept, and centred by its centre of mass in 28 × 28; a toggle shows the drawing or the
processed input), or to pick a test digit and shift it by pixels, as shifted_digit does: the keyboard's way.
The trained model of the default cached run reads it live: the ten scores z = x · W + b, each pixel times
each weight sheet as an image, softmax's probabilities as bars, and the prediction. W and b travel as the
training's float32 values, and the page computes as figgen's predict does.
"""

import numpy as np

from figgen.kit import digit_page, digit_pixels, digit_still, page_probabilities, run_recipe_file

ORDER = 127
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"FIRST": 7}
LIMITS = {"FIRST": (0, 9)}
OUTPUTS = {"draw_digit": "explorable"}


def make(ctx, p):
    x, labels = ctx.data.test(p.TEST_SIZE)
    classes = sorted(set(int(v) for v in labels))
    picks = [int(np.flatnonzero(labels == k)[0]) for k in classes]  # the first test digit of each class
    digits = digit_pixels(x[picks])
    run = ctx.train()
    names = list(ctx.data.class_names)
    first = classes.index(p.FIRST) if p.FIRST in classes else 0
    page = digit_page(run.weights, run.bias, digits, labels[picks], names, first)
    probabilities = page_probabilities(digits[first], run.weights, run.bias)[0]
    best = int(np.argmax(probabilities))
    ctx.explorable(
        "draw_digit",
        page,
        still=digit_still(digits[first], probabilities, names, ctx.theme, ctx.preset),
        alt="A page to draw a digit and see the trained model read it "
        f"(accuracy {run.final_accuracy:.1%}): a "
        "drawing area, a choice of test digits with shifts by pixels, the ten probabilities as bars and "
        f"each pixel times each weight sheet. It opens on the first test {names[classes[first]]}, which the "
        f"model reads as {names[best]} with {100 * probabilities[best]:.1f}%.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
