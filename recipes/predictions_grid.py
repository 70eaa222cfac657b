"""Test digits with the model's prediction, mistakes marked.

The text's ``display_compare``: each digit titled with its prediction and its label. The grid shows the
first COUNT digits of the test set, then, as a section of its own, the next MISTAKES test digits the model
gets wrong, so that a few of its errors are always in view. Mistakes are framed, marked ✗ and titled in
the theme's mistake colour. COUNT 0 and MISTAKES -1 let the preset decide: 24 and 8 for documents, 12 and
6 on slides, where fewer, larger digits keep their titles readable from the back of the room. COLUMNS 0 lets
the preset decide too (the most, up to 8, whose titles stay legible; on slides, the count that makes the
digits largest).
"""

import numpy as np

from figgen.kit import correct, digit_grid, predict, run_recipe_file

ORDER = 130
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"COUNT": 0, "MISTAKES": -1, "COLUMNS": 0}
LIMITS = {"COUNT": (0, 200), "MISTAKES": (-1, 100), "COLUMNS": (0, 20)}
#: (COUNT, MISTAKES) when they are left to the preset: for a page, and for a slide (a preset of fixed height)
BY_PRESET = {"page": (24, 8), "slide": (12, 6)}
OUTPUTS = {"predictions_grid": "still"}


def make(ctx, p):
    run = ctx.train()
    x, labels = ctx.data.test(p.TEST_SIZE)
    name = ctx.data.class_name
    guesses = predict(run.weights, run.bias, x).argmax(axis=1)
    hits = correct(run.weights, run.bias, x, labels)
    count, mistakes = BY_PRESET["slide" if ctx.preset.height else "page"]
    count = min(p.COUNT or count, len(x))
    mistakes = mistakes if p.MISTAKES < 0 else p.MISTAKES
    later = np.flatnonzero(~hits[count:])[:mistakes] + count
    shown = np.concatenate([np.arange(count), later]).astype(int)
    first_wrong = [int(i) for i in shown[:count] if not hits[i]]
    sections = [(f"The first {count} test digits", count)]
    if len(later):
        further = f"#{later[0]} to #{later[-1]}"
        sections.append(
            (f"The next {len(later)} it gets wrong, further into the test set ({further})", len(later))
        )
    frame = digit_grid(
        x[shown],
        [f"{'' if hits[i] else '✗ '}Prediction: {name(guesses[i])}\nLabel: {name(labels[i])}" for i in shown],
        ctx.theme,
        ctx.preset,
        cols=p.COLUMNS or None,
        marks=[not hits[i] for i in shown],
        sections=sections,
        title=f"Predictions of the trained model: {hits.mean():.1%} of {len(x):,} test digits right",
    )
    ctx.image(
        "predictions_grid",
        frame,
        alt=f"The first {count} test digits titled with prediction and label, of which "
        f"{len(first_wrong)} {'is' if len(first_wrong) == 1 else 'are'} wrong"
        f"{' (#' + ', #'.join(map(str, first_wrong)) + ')' if first_wrong else ''}, followed by the next "
        f"{len(later)} mistakes (#{', #'.join(map(str, later))}); the model gets {hits.mean():.2%} of the "
        f"{len(x):,} test digits right.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
