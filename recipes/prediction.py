"""One digit and the model's ten probabilities.

The text feeds training example 0 to the trained model (``answer = sess.run(y, ...)``) and reads its
prediction with ``answer.argmax()``. Here is that example beside the ten probabilities of the softmax,
the most probable digit, the prediction, highlighted.
"""

from figgen.figures.evaluation import prediction_figure
from figgen.recipe import run_recipe_file
from figgen.training import predict

KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"EXAMPLE": 0}
LIMITS = {"EXAMPLE": (0, "train-1")}
OUTPUTS = {"prediction": "still"}


def make(ctx, p):
    images, labels = ctx.data.train(p.EXAMPLE + 1)  # the text's x_train[EXAMPLE], any training example
    image, label = images[p.EXAMPLE], int(labels[p.EXAMPLE])
    run = ctx.run()
    probs = predict(run.weights, run.bias, image[None])[0]
    fig = prediction_figure(image, p.EXAMPLE, label, probs, ctx.theme, ctx.preset)
    guess, runner_up = int(probs.argmax()), int(probs.argsort()[-2])
    ctx.figure(
        "prediction",
        fig,
        alt=f"Training example {p.EXAMPLE}, a handwritten {label}, and the trained model's ten "
        f"probabilities: it predicts {guess} with probability {probs[guess]:.3f}, next {runner_up} with "
        f"{probs[runner_up]:.3f}{'' if guess == label else ' — a mistake'}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
