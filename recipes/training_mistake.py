"""Wrong even on its training data.

The text's ``display_compare(2)`` finds a training example the classifier gets wrong. Here is one, drawn
large and titled as the text titles it, beside the test digits the model gets wrong: it errs even on
examples it was trained on. MISTAKE -1 (the default) shows the text's own example (its ``x_train[2]``,
training image 5,002 of MNIST) when the model trained on it and gets it wrong too, else the first training
example it gets wrong; MISTAKE n shows the n-th (from 0) training example it gets wrong, or its last when it
gets fewer wrong. A model that gets every training example right (a tiny TRAIN_SIZE) shows one got right and
says so. TEST_MISTAKES is how many test mistakes stand beside it (-1: 8 for documents, 6 on slides).
"""

import numpy as np

from figgen.kit import (
    describe_training_mistake,
    guesses,
    mistake_frame,
    mistake_title,
    mistake_words,
    run_recipe_file,
    training_mistake,
)

ORDER = 136
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"MISTAKE": -1, "TEST_MISTAKES": -1}
LIMITS = {"MISTAKE": (-1, "TRAIN_SIZE-1"), "TEST_MISTAKES": (-1, 40)}
#: TEST_MISTAKES when it is left to the preset: for a page, and for a slide (a preset of fixed height)
BY_PRESET = {"page": 8, "slide": 6}
OUTPUTS = {"training_mistake": "still"}


def make(ctx, p):
    run = ctx.train()
    x_train, labels_train = ctx.data.train(p.TRAIN_SIZE)
    text = ctx.data.text_index(2) if ctx.data.digits else None  # the text's x_train[2], where there is one
    m = training_mistake(run.weights, run.bias, x_train, labels_train, p.MISTAKE, text)
    x_test, labels_test = ctx.data.test(p.TEST_SIZE)
    predicted = guesses(run.weights, run.bias, x_test)
    count = BY_PRESET["slide" if ctx.preset.height else "page"] if p.TEST_MISTAKES < 0 else p.TEST_MISTAKES
    wrong = np.flatnonzero(predicted != labels_test)[:count]
    accuracy = float(np.mean(predicted == labels_test))
    name = ctx.data.class_name
    names = ctx.data.class_names
    noun = "digits" if ctx.data.digits else "images"
    frame = mistake_frame(
        x_train[m.index],
        mistake_words(m, names),
        x_test[wrong],
        [f"✗ Prediction: {name(predicted[i])}\nLabel: {name(labels_test[i])}" for i in wrong],
        ctx.theme,
        ctx.preset,
        title=mistake_title(m, accuracy, len(labels_test), noun),
        heading=f"A training {noun[:-1]}",
        test_heading=f"The first {len(wrong)} test {noun} it gets wrong"
        if len(wrong)
        else f"No test {noun[:-1]} wrong",
        wrong=not m.right,
    )
    alt = describe_training_mistake(m, wrong.tolist(), accuracy, len(labels_test), names, noun)
    ctx.image("training_mistake", frame, alt=alt)


if __name__ == "__main__":
    run_recipe_file(__file__)
