"""Cross-entropy: confident and right, confident and wrong.

The loss −log(p) of the probability p that a prediction gives the true class, with the text's worked
example: a prediction j that is 90% sure of a 3 costs 0.1053… when the digit is a 3 and 4.6051… when it is
a 2, where j gave only 1%. Both values are computed from j, as ``-np.multiply(np.log(j), k)`` does.
"""

from figgen.kit import check_prediction, cross_entropy, cross_entropy_figure, run_recipe_file, truncate

ORDER = 50
PARAMS = {
    "PREDICTION": [0.03, 0.03, 0.01, 0.9, 0.01, 0.01, 0.0025, 0.0025, 0.0025, 0.0025],
    "RIGHT_LABEL": 3,
    "WRONG_LABEL": 2,
}
LIMITS = {"PREDICTION": (0.0, 1.0), "RIGHT_LABEL": (0, 9), "WRONG_LABEL": (0, 9)}
OUTPUTS = {"cross_entropy": "still"}


def make(ctx, p):
    check_prediction(p.PREDICTION, "cross_entropy.PREDICTION")
    j = list(p.PREDICTION)
    cases = [(label, cross_entropy(j, label)) for label in (p.RIGHT_LABEL, p.WRONG_LABEL)]
    fig = cross_entropy_figure(j, cases, ctx.theme, ctx.preset, ctx.data.class_names)
    (right, right_loss), (wrong, wrong_loss) = cases
    name = ctx.data.class_name
    ctx.figure(
        "cross_entropy",
        fig,
        alt=f"The curve −log(p) for p from 0 to 1 with two marked points: a prediction giving "
        f"{j[right]:g} to the true class {name(right)} costs {truncate(right_loss)}, and the same prediction "
        f"for a true {name(wrong)}, given {j[wrong]:g}, costs {truncate(wrong_loss)}; beside it, the "
        "prediction's ten probabilities.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
