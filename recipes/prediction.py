"""One digit and the model's ten probabilities.

The text feeds training example 0 to the trained model (``answer = sess.run(y, ...)``) and reads its
prediction with ``answer.argmax()``. Here is that example beside the ten probabilities of the softmax,
the most probable digit, the prediction, highlighted.
"""

from figgen.cli import run_recipe_file
from figgen.errors import FiggenError
from figgen.figures.training import rgb
from figgen.train import predict

PARAMS = {"TRAIN_SIZE": 5500, "TEST_SIZE": 10000, "LEARNING_RATE": 0.1, "TRAIN_STEPS": 2500, "EXAMPLE": 0}
QUICK = {"TRAIN_SIZE": 300, "TEST_SIZE": 1000, "TRAIN_STEPS": 60}
LIMITS = {"EXAMPLE": (0, 59_999)}
OUTPUTS = {"prediction": "still"}


def make(ctx, p):
    if p.EXAMPLE >= ctx.data.n_train:
        raise FiggenError(
            f"prediction.EXAMPLE = {p.EXAMPLE} is past the {ctx.data.n_train} training examples"
        )
    run = ctx.run()
    images, labels = ctx.data.train(p.EXAMPLE + 1)
    image, label = images[p.EXAMPLE], int(labels[p.EXAMPLE])
    probs = predict(run.weights, run.bias, image[None])[0]
    guess = int(probs.argmax())
    muted, chosen = rgb(ctx.theme.muted), rgb(ctx.theme.good if guess == label else ctx.theme.mistake)
    with ctx.style():
        fig = ctx.new_figure(
            aspect=None if ctx.preset.height else 0.42, nrows=1, ncols=2, width_ratios=[1, 2.2]
        )
        left, right = fig.axes
        left.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
        left.set_xticks([])
        left.set_yticks([])
        left.set_title(f"Example: {p.EXAMPLE} Label: {label}")
        bars = right.bar(range(10), probs, color=[chosen if k == guess else muted for k in range(10)])
        for k, (bar, value) in enumerate(zip(bars, probs, strict=True)):
            right.annotate(
                f"{value:.2f}" if value >= 0.005 else f"{value:.0e}",
                (bar.get_x() + 0.4, value),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize="small",
                fontweight="bold" if k == guess else "normal",
            )
        right.set_xticks(range(10))
        right.set_ylim(0, 1.12)
        right.set_xlabel("digit")
        right.set_ylabel("probability (softmax)")
        right.set_title(f"Prediction: {guess} Label: {label}")
        right.grid(True, axis="y")
    runner_up = int(probs.argsort()[-2])
    ctx.figure(
        "prediction",
        fig,
        alt=f"Training example {p.EXAMPLE}, a handwritten {label}, and the trained model's ten "
        f"probabilities: it predicts {guess} with probability {probs[guess]:.3f}, next {runner_up} with "
        f"{probs[runner_up]:.3f}{'' if guess == label else ' — a mistake'}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
