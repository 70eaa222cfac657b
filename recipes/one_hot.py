"""A label as a one-hot vector.

The first training example labelled LABEL (7, as in the text) beside its label in ``y_train``'s one-hot
form: ten cells, one per class, all 0 except a 1 in the cell of its class.
"""

from figgen.kit import first_with_label, one_hot, one_hot_figure, run_recipe_file, training_example

ORDER = 30
PARAMS = {"LABEL": 7}
LIMITS = {"LABEL": (0, 9)}
OUTPUTS = {"one_hot": "still"}


def make(ctx, p):
    index = first_with_label(ctx.data, p.LABEL)
    image, label = training_example(ctx.data, index, "one_hot.LABEL")
    vector = one_hot([label])[0]
    names = ctx.data.class_names
    fig = one_hot_figure(image, index, vector, ctx.theme, ctx.preset, names)
    cells = ",".join(f"{v:g}" for v in vector)
    ctx.figure(
        "one_hot",
        fig,
        alt=f"Training example {index}, {ctx.data.example_phrase(label)}, beside its label as a one-hot "
        "vector of ten "
        f"cells for the classes {names[0]} to {names[-1]}: [{cells}], a 1 only in the cell of "
        f"{names[label]}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
