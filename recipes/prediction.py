"""One digit and the model's ten probabilities.

The text feeds its training example 0 to the trained model (``answer = sess.run(y, ...)``) and reads its
prediction with ``answer.argmax()``: a 7, at 0.854. Here is that example beside the ten probabilities of
the softmax, the most probable digit, the prediction, highlighted. The text read MNIST with its first
5,000 training images held out, so its example 0 is image 5,000 of the training file: EXAMPLE -1 (the
default) picks it, whichever split the build uses (or example 0 of a data set without it); any other
EXAMPLE is an index into the training set. A subtitle names the data, the training image and the split,
and says when the model was not trained as the text's was (the default split trains on images 0-5,499; the
text's on 5,000-10,499), so a different probability is never passed off as the text's.
"""

from figgen.kit import example_subtitle, predict, prediction_figure, run_recipe_file

ORDER = 120
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"EXAMPLE": -1}
LIMITS = {"EXAMPLE": (-1, "train-1")}
OUTPUTS = {"prediction": "still"}


def make(ctx, p):
    text = ctx.data.text_index(0) if p.EXAMPLE == -1 else None  # None: a data set without the text's images
    theirs = text is not None and ctx.data.digits  # a clothing set's image 5,000 is not the text's 7
    index = p.EXAMPLE if p.EXAMPLE != -1 else text if text is not None else 0
    images, labels = ctx.data.train(index + 1)
    image, label = images[index], int(labels[index])
    run = ctx.train()
    probs = predict(run.weights, run.bias, image[None])[0]
    subtitle = example_subtitle(ctx.data, index, p.TRAIN_SIZE)
    names = ctx.data.class_names
    fig = prediction_figure(image, index, label, probs, ctx.theme, ctx.preset, names, subtitle)
    guess, runner_up = int(probs.argmax()), int(probs.argsort()[-2])
    name = ctx.data.class_name
    said = subtitle.replace(" · ", "; ").replace("\n", "; ")
    text = " (the text's x_train[0])" if theirs else ""
    ctx.figure(
        "prediction",
        fig,
        alt=f"Training example {index}{text}, {ctx.data.example_phrase(label)}, and the trained model's ten "
        f"probabilities: it predicts {name(guess)} with probability {probs[guess]:.3f}, next "
        f"{name(runner_up)} with {probs[runner_up]:.3f}{'' if guess == label else ' — a mistake'}. "
        f"{said[:1].upper()}{said[1:]}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
