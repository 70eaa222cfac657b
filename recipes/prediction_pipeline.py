"""How one prediction is computed.

The step the text explains in words: the digit x is multiplied pixel by pixel with each of the ten weight
sheets W[:, k] (the products shown as images, red positive, blue negative, white zero), each product's 784
numbers are summed to a score, b[k] is added, softmax turns the ten scores into ten probabilities, and the
largest is the prediction (``answer.argmax()``). From the default run's W and b: no training of its own.
EXAMPLE -1 (the default) is the text's example, its x_train[0] (as in ``prediction``); any other value is an
index into the training set.
"""

from figgen.kit import (
    example_subtitle,
    prediction_pipeline_figure,
    prediction_steps,
    probability_text,
    run_recipe_file,
)

ORDER = 125
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"EXAMPLE": -1}
LIMITS = {"EXAMPLE": (-1, "train-1")}
OUTPUTS = {"prediction_pipeline": "still"}


def make(ctx, p):
    text = ctx.data.text_index(0) if p.EXAMPLE == -1 else None  # None: a data set without the text's images
    index = p.EXAMPLE if p.EXAMPLE != -1 else text if text is not None else 0
    images, labels = ctx.data.train(index + 1)
    run = ctx.train()
    steps = prediction_steps(run.weights, run.bias, images[index], int(labels[index]))
    name, guess = ctx.data.class_name, steps.guess
    subtitle = example_subtitle(ctx.data, index, p.TRAIN_SIZE)
    title = f"One prediction, step by step: y = softmax(x · W + b) says {name(guess)}"
    fig = prediction_pipeline_figure(steps, title, subtitle, ctx.theme, ctx.preset, ctx.data.class_names)
    top = [int(k) for k in steps.scores.argsort()[::-1][:2]]
    bias, scores = steps.bias.round(2), steps.scores.round(2)  # as the figure prints them: they add up
    sums = scores - bias
    said = subtitle.replace(" · ", "; ").replace("\n", "; ")
    ctx.figure(
        "prediction_pipeline",
        fig,
        alt=f"How the trained model predicts training example {index:,}, "
        f"{ctx.data.example_phrase(steps.label)}: "
        "the digit multiplied pixel by pixel with each of the ten weight sheets, the ten products shown as "
        "images, each summed, plus its bias, to a score, and softmax of the ten scores. The largest score is "
        f"{name(top[0])}'s, {sums[top[0]]:.2f} + {bias[top[0]]:.2f} = {scores[top[0]]:.2f}"
        f" (next {name(top[1])}, {scores[top[1]]:.2f}), so it predicts {name(guess)} with "
        f"probability {probability_text(steps.probs[guess])}"
        f"{'' if guess == steps.label else ', a mistake'}. {said[:1].upper()}{said[1:]}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
