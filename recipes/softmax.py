"""Softmax: from logits to probabilities.

The text's two softmax examples, computed: the softmax of ZEROS logits that are all zero is uniform, and
the softmax of LOGITS = [0.1, 0.005, 2] puts most of the probability on the largest logit. Either way the
probabilities are between zero and one and sum to one.
"""

from figgen.kit import check_logits, probability_text, run_recipe_file, softmax, softmax_figure

ORDER = 40
PARAMS = {"ZEROS": 4, "LOGITS": [0.1, 0.005, 2.0]}
LIMITS = {"ZEROS": (1, 12)}
OUTPUTS = {"softmax": "still"}


def make(ctx, p):
    check_logits(p.LOGITS, "softmax.LOGITS")
    zeros = [0.0] * p.ZEROS
    uniform, probs = softmax(zeros), softmax(p.LOGITS)
    shown = ", ".join(f"{v:g}" for v in p.LOGITS)
    examples = [
        (f"softmax(zeros([{p.ZEROS}]))", zeros, uniform),
        (f"softmax([{shown}])", list(p.LOGITS), probs),
    ]
    fig = softmax_figure(examples, ctx.theme, ctx.preset)
    ctx.figure(
        "softmax",
        fig,
        alt=f"Bar charts of softmax probabilities: {p.ZEROS} zero logits give {p.ZEROS} equal probabilities "
        f"of {probability_text(uniform[0])}; the logits [{shown}] give "
        f"[{', '.join(probability_text(v) for v in probs)}].",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
