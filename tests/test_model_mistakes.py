"""confusion_matrix, per_class_accuracy and training_mistake: what each figure shows, recomputed in plain
numpy from the data set and the cached run's W and b (x · W + b, its argmax), never by calling the helpers
behind them; and those helpers' edges (a Wilson interval at 0% and 100%, a model without training
mistakes)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import figgen.kit
from figgen import api
from figgen.analysis.confusion import (
    check_panels,
    class_accuracy,
    confusion_counts,
    largest_confusions,
    training_mistake,
    wilson_interval,
)
from figgen.core.errors import FiggenError
from figgen.core.knobs import QUICK, Knobs
from figgen.core.themes import get_preset, get_theme
from figgen.data import load_dataset
from figgen.figures.confusion import (
    class_accuracy_figure,
    confusion_figure,
    describe_training_mistake,
    mistake_words,
)
from figgen.files.cache import Cache
from figgen.recipe.spec import default_recipe_dir
from figgen.training.cached import cached_run
from figgen.writers.outputs import OutputSet
from tests.test_data import CLOTHES

NAMES = ("T-shirt/top", *CLOTHES[1:])  # Fashion-MNIST's names, its first as the data set writes it
RECIPES = ["confusion_matrix", "per_class_accuracy", "training_mistake"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One quick build of the three recipes, the classes named: their figures, frames, alt texts and the
    arguments of the training mistake's frame; the run's W and b read back from the cache; plain numpy's
    predictions."""
    root = tmp_path_factory.mktemp("mistakes")
    figures, alts, frames = {}, {}, {}
    original_figure, original_image = OutputSet.figure, OutputSet.image

    def figure(self, stem, fig, *, alt):
        figures[stem], alts[stem] = fig, alt
        return original_figure(self, stem, fig, alt=alt)

    def image(self, stem, frame, *, alt):
        alts[stem] = alt
        return original_image(self, stem, frame, alt=alt)

    def mistake_frame(*args, **kwargs):
        frames["args"], frames["kwargs"] = args, kwargs
        return original_frame(*args, **kwargs)

    original_frame = figgen.kit.mistake_frame
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(OutputSet, "figure", figure)
        mp.setattr(OutputSet, "image", image)
        mp.setattr(figgen.kit, "mistake_frame", mistake_frame)
        result = api.build(
            RECIPES,
            quick=True,
            formats=["png"],
            out=root / "out",
            cache=root / "cache",
            recipes_dir=default_recipe_dir(),
            class_names=NAMES,
            gallery=False,
        )
    assert not result.failures
    data = load_dataset("sample", class_names=NAMES)
    run = cached_run(data, Knobs(**QUICK), Cache(root / "cache"))
    assert run.cached  # the build's own run: none of the three trained anything else
    W, b = run.weights.astype(np.float64), run.bias.astype(np.float64)
    x, y = data.test(QUICK["TEST_SIZE"])
    xt, yt = data.train(QUICK["TRAIN_SIZE"])
    return {
        "figures": figures,
        "alts": alts,
        "frame": frames,
        "data": data,
        "W": W,
        "b": b,
        "test": (x, y, (x.astype(np.float64) @ W + b).argmax(axis=1)),
        "train": (xt, yt, xt.astype(np.float64) @ W + b),
        "root": root,
    }


def numpy_confusion(labels, guesses):
    matrix = np.zeros((10, 10), int)
    for t, g in zip(labels, guesses, strict=True):
        matrix[t, g] += 1
    return matrix


def cell_texts(ax):
    """The numbers written in a confusion panel's cells, by (row, column)."""
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}


def test_the_confusion_matrix_shows_the_counts_and_shares_plain_numpy_finds(built):
    x, y, guesses = built["test"]
    expected = numpy_confusion(y, guesses)
    fig = built["figures"]["confusion_matrix"]
    counts_ax, rates_ax = fig.axes[:2]
    shown = cell_texts(counts_ax)
    assert shown == {(t, q): str(expected[t, q]) for t in range(10) for q in range(10) if expected[t, q]}
    assert sum(int(v) for v in shown.values()) == len(y)  # every test digit is in one cell
    rates = cell_texts(rates_ax)
    for (t, q), text in rates.items():
        share = 100 * expected[t, q] / expected[t].sum()
        assert float(text) == pytest.approx(share, abs=0.05 if share < 9.95 else 0.5), (t, q)
    assert set(rates) == set(shown)  # a share wherever there is a count, and blank where none
    # the diagonal, the right ones, is framed in the good colour; the rest shaded, the diagonal not
    good = tuple(c / 255 for c in get_theme("light").good)
    frames = [
        p for p in counts_ax.patches if p.get_edgecolor()[:3] == pytest.approx(good) and p.get_linewidth()
    ]
    assert sorted((round(p.get_x() + 0.5), round(p.get_y() + 0.5)) for p in frames) == [
        (k, k) for k in range(10)
    ]
    shading = counts_ax.images[0].get_array()
    assert np.ma.getmaskarray(shading).diagonal().all()
    assert [label.get_text() for label in counts_ax.get_yticklabels()] == list(NAMES)
    assert [label.get_text() for label in counts_ax.get_xticklabels()] == list(NAMES)


def test_the_commonest_mistakes_are_the_largest_off_diagonal_cells(built):
    x, y, guesses = built["test"]
    expected = numpy_confusion(y, guesses)
    cells = sorted(
        ((expected[t, q], t, q) for t in range(10) for q in range(10) if t != q and expected[t, q]),
        key=lambda c: (-c[0], c[1], c[2]),
    )[:3]
    alt = built["alts"]["confusion_matrix"]
    right = int(np.trace(expected))
    assert alt.startswith(
        f"Confusion matrix of the trained model on {len(y):,} test images: rows are the true class, columns "
        f"the prediction; {right:,} ({100 * right / len(y):.1f}%) lie on the diagonal, right, and "
        f"{len(y) - right:,} off it"
    )
    phrases = [
        f"{NAMES[t]} taken for {NAMES[q]}, {n} times "
        f"({100 * n / expected[t].sum():.1f}% of the {NAMES[t]} examples)"
        for n, t, q in cells
    ]
    assert f"The 3 commonest mistakes are {phrases[0]}, {phrases[1]} and {phrases[2]}." in alt
    title = built["figures"]["confusion_matrix"]._suptitle.get_text().replace("\n", " ")
    assert ", ".join(f"{NAMES[t]} read as {NAMES[q]} ({n})" for n, t, q in cells) in title
    outlined = [
        (round(p.get_y() + 0.5), round(p.get_x() + 0.5))
        for p in built["figures"]["confusion_matrix"].axes[0].patches
        if p.get_linestyle() not in ("solid", "-") and p.get_facecolor()[3] == 0
    ]
    assert sorted(outlined) == sorted((t, q) for _, t, q in cells)


def test_per_class_accuracy_shows_each_class_with_a_wilson_interval(built):
    x, y, guesses = built["test"]
    fig = built["figures"]["per_class_accuracy"]
    ax = fig.axes[0]
    right = np.array([np.sum((y == k) & (guesses == k)) for k in range(10)])
    total = np.bincount(y, minlength=10)
    accuracy = right / total
    order = sorted(range(10), key=lambda k: (accuracy[k], k))  # SORTED: the least accurate first
    assert [t.get_text() for t in ax.get_yticklabels()] == [NAMES[k] for k in order]
    labels = [t.get_text() for t in ax.texts if "/" in t.get_text()]
    assert labels == [f"{100 * accuracy[k]:.1f}%  ({right[k]}/{total[k]})" for k in order]
    lines = [(line.get_xdata(), line.get_ydata()) for line in ax.get_lines() if len(line.get_xdata()) == 2]
    whiskers = [xs for xs, ys in lines if ys[0] == ys[1]]  # the horizontal ones, a row each
    z = 1.959964
    for row, k in enumerate(order):
        low, high = (v / 100 for v in whiskers[row])
        p = accuracy[k]
        for bound in (low, high):  # Wilson's bounds: the p at which p-hat is z standard errors (at p) away
            assert (p - bound) ** 2 == pytest.approx(z * z * bound * (1 - bound) / total[k], rel=1e-6)
        assert low < p < high
    overall = right.sum() / total.sum()
    assert any(line.get_xdata()[0] == pytest.approx(100 * overall) for line in ax.get_lines())
    alt = built["alts"]["per_class_accuracy"]
    low_k, high_k = order[0], order[-1]
    assert (
        f"from {100 * accuracy[low_k]:.1f}% for {NAMES[low_k]} to {100 * accuracy[high_k]:.1f}% for "
        f"{NAMES[high_k]}, against {100 * overall:.1f}% overall" in alt
    )
    assert "95% Wilson score intervals" in alt
    assert "Wilson score interval" in ax.get_xlabel()


def test_the_training_mistake_is_the_first_training_example_the_model_gets_wrong(built):
    xt, yt, scores = built["train"]
    wrong = np.flatnonzero(scores.argmax(axis=1) != yt)
    first = int(wrong[0])  # the text's x_train[2] (image 5,002) is not among 300 training images
    args, kwargs = built["frame"]["args"], built["frame"]["kwargs"]
    np.testing.assert_array_equal(args[0], xt[first])
    x, y, guesses = built["test"]
    test_wrong = np.flatnonzero(guesses != y)[:8]
    np.testing.assert_array_equal(args[2], x[test_wrong])
    assert args[3] == [f"✗ Prediction: {NAMES[guesses[i]]}\nLabel: {NAMES[y[i]]}" for i in test_wrong]
    guess = int(scores[first].argmax())
    probs = np.exp(scores[first] - scores[first].max())
    probs /= probs.sum()
    assert args[1] == [
        f"✗ Prediction: {NAMES[guess]} Label: {NAMES[yt[first]]}",
        f"training example {first:,}",
        "its first training mistake",
        f"P({NAMES[guess]}) = {probs[guess]:.2f} · P({NAMES[yt[first]]}) = {probs[yt[first]]:.2f}",
    ]
    assert kwargs["title"][1] == (
        f"{100 * (1 - len(wrong) / len(yt)):.1f}% of its {len(yt)} training images right "
        f"({len(wrong)} wrong); "
        f"{100 * np.mean(guesses == y):.1f}% of {len(y):,} test images"
    )
    alt = built["alts"]["training_mistake"]
    assert alt.startswith(f"Training example {first:,}, the first training example it gets wrong, labelled")
    assert f"({', '.join(f'#{i}' for i in test_wrong)})" in alt
    frame = built["root"] / "out" / "training_mistake.png"
    assert frame.stat().st_size > 0


def test_the_text_example_is_shown_where_the_model_trained_on_it_and_gets_it_wrong(built):
    """MISTAKE -1 picks the text's display_compare(2) only when it is one of the model's training mistakes."""
    xt, yt, scores = built["train"]
    wrong = np.flatnonzero(scores.argmax(axis=1) != yt)
    W, b = built["W"], built["b"]
    chosen = training_mistake(W, b, xt, yt, -1, int(wrong[2]))
    assert (chosen.index, chosen.text_example, chosen.rank) == (int(wrong[2]), True, 2)
    right = int(np.flatnonzero(scores.argmax(axis=1) == yt)[0])
    fallback = training_mistake(W, b, xt, yt, -1, right)  # the text's example is right here: the first wrong
    assert (fallback.index, fallback.text_example) == (int(wrong[0]), False)
    assert training_mistake(W, b, xt, yt, -1, len(yt) + 5).index == wrong[0]  # not trained on: not shown
    assert training_mistake(W, b, xt, yt, 3).index == wrong[3]
    last = training_mistake(W, b, xt, yt, len(wrong) + 7)  # beyond its mistakes: the last of them
    assert (last.index, last.rank, last.right) == (int(wrong[-1]), len(wrong) - 1, False)
    perfect = np.zeros((784, 10))  # predicts class 0 for every image, and all three are 0s
    none = training_mistake(perfect, np.eye(10)[0], xt[:3], np.zeros(3, int), -1, 1)
    assert (none.right, none.index, none.guess, none.label, none.rank) == (True, 1, 0, 0, -1)
    assert mistake_words(none)[0] == "✓ Prediction: 0 Label: 0"
    assert describe_training_mistake(none, [], 1.0, 3).startswith(
        "The trained model gets all 3 of its training digits right, so there is no training mistake to show: "
        "training example 1, labelled 0, is predicted as 0"
    )


def test_wilson_intervals_and_the_confusion_helpers_at_their_edges():
    assert wilson_interval(0, 10)[0] == 0 and 0.2 < wilson_interval(0, 10)[1] < 0.35  # not zero wide at 0%
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1) and 0.65 < low < 0.8
    # a textbook value: 81 right of 263, 95%: 0.2553 to 0.3662 (Newcombe 1998, method 3)
    assert wilson_interval(81, 263) == pytest.approx((0.2553, 0.3662), abs=5e-4)
    with pytest.raises(FiggenError):
        wilson_interval(3, 2)
    counts = confusion_counts(np.array([0, 0, 1, 1, 1, 2]), np.array([0, 1, 0, 0, 1, 1]))
    assert counts[1, 0] == 2 and counts[0, 1] == 1 and counts[2, 1] == 1 and counts.sum() == 6
    top = largest_confusions(counts, 5)  # only the three non-zero off-diagonal cells, the ties by label
    assert [(c.true, c.predicted, c.count) for c in top] == [(1, 0, 2), (0, 1, 1), (2, 1, 1)]
    acc = class_accuracy(counts)
    assert acc.accuracy[:3].tolist() == [0.5, 1 / 3, 0.0] and math.isnan(acc.accuracy[5])
    assert acc.overall == pytest.approx(2 / 6)
    with pytest.raises(FiggenError, match="PANELS must be one of both, counts, rates; got 'all'"):
        check_panels("all")


def test_the_parameters_change_what_is_drawn(built):
    x, y, guesses = built["test"]
    theme, preset = get_theme("dark"), get_preset("slides")
    counts = numpy_confusion(y, guesses)
    fig = confusion_figure(counts, largest_confusions(counts, 1), theme, preset, NAMES, "rates")
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == "share of each true class (%)"
    fig = class_accuracy_figure(class_accuracy(counts), theme, preset, NAMES, by_accuracy=False)
    present = [k for k in range(10) if counts[k].sum()]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [NAMES[k] for k in present]
    result = api.build(
        "confusion_matrix",
        quick=True,
        params={"PANELS": "diagonal"},
        out=built["root"] / "bad",
        cache=built["root"] / "cache",
        recipes_dir=default_recipe_dir(),
        gallery=False,
    )
    assert [f.error for f in result.failures] == [
        "confusion_matrix.PANELS must be one of both, counts, rates; got 'diagonal'"
    ]


def test_a_training_mistake_with_no_test_mistakes_beside_it_fills_a_slide():
    """TEST_MISTAKES 0, or a model that gets every test digit right: no grid beside the digit, on any preset
    (the grid's fit to a slide's height divided by its zero rows)."""
    from figgen.draw.mistake import mistake_frame

    lines = ["✗ Prediction: 4 Label: 9", "training example 3"]
    for preset, size in (("slides", (1080, 1920)), ("slides43", (768, 1024))):
        frame = mistake_frame(np.ones(784) / 2, lines, np.zeros((0, 784)), [], "dark", preset)
        assert frame.shape[:2] == size
