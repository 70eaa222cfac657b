"""Figures of where the trained model goes wrong: its confusion matrix, its accuracy per class, and the words
of a training example it gets wrong (drawn by :func:`figgen.draw.mistake.mistake_frame`).

Each builder takes the numbers of :mod:`figgen.analysis.confusion` (a confusion matrix, a
:class:`~figgen.analysis.confusion.ClassAccuracy`) with the theme and preset, and returns a matplotlib Figure;
it applies them itself. The ``describe_*`` functions give the sentences of their titles and alt texts.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from figgen.analysis.confusion import (
    ClassAccuracy,
    Confusion,
    TrainingMistake,
    check_panels,
    percent,
    row_rates,
)
from figgen.core.themes import Preset, Theme, contrast, ink_on, mix
from figgen.data import DIGITS
from figgen.figures.style import aspect, mpl_colour, new_figure, themed

# --- words -----------------------------------------------------------------------------------------


def confusion_phrase(c: Confusion, names: Sequence[str] = DIGITS, rate: bool = False) -> str:
    """One mistake in words: "a 9 read as a 4, 47 times" ("… (5.3% of the 9s)" with ``rate``)."""
    digits = list(names) == list(DIGITS)
    true, guess = names[c.true], names[c.predicted]
    what = f"{_a(true)} read as {_a(guess)}" if digits else f"{true} taken for {guess}"
    share = f" ({percent(c.rate)} of the {true}{'s' if digits else ' examples'})" if rate else ""
    return f"{what}, {c.count:,} time{'s' if c.count != 1 else ''}{share}"


def _a(digit: str) -> str:
    """A digit with its article: "a 4", "an 8"."""
    return f"{'an' if digit.startswith('8') else 'a'} {digit}"


def describe_confusions(
    counts: np.ndarray, named: Sequence[Confusion], names: Sequence[str] = DIGITS, noun: str = "digits"
) -> str:
    """What the confusion matrix shows, in words, with its largest off-diagonal cells, for an alt text."""
    counts = np.asarray(counts)
    n, right = int(counts.sum()), int(np.trace(counts))
    head = (
        f"Confusion matrix of the trained model on {n:,} test {noun}: rows are the true class, columns the "
        f"prediction; {right:,} ({percent(right / n)}) lie on the diagonal, right, and {n - right:,} off it"
    )
    if not named:
        return head + "."
    phrases = [confusion_phrase(c, names, rate=True) for c in named]
    most = "The commonest mistake is " if len(phrases) == 1 else f"The {len(phrases)} commonest mistakes are "
    return f"{head}. {most}{_and(phrases)}."


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe_class_accuracy(
    acc: ClassAccuracy, names: Sequence[str] = DIGITS, noun: str = "digits", by_accuracy: bool = True
) -> str:
    """What the per-class accuracy figure shows, in words, for an alt text."""
    order = acc.order(by_accuracy=True)
    low, high = order[0], order[-1]
    listed = acc.order(by_accuracy)
    each = "; ".join(
        f"{names[k]} {percent(acc.accuracy[k])} ({acc.right[k]:,} of {acc.total[k]:,}, "
        f"{percent(acc.low[k])}–{percent(acc.high[k])})"
        for k in listed
    )
    below, above = acc.below(), acc.above()
    plural = "s" if list(names) == list(DIGITS) else ""  # "for 5s"; "for Sandal"
    apart = []
    if below:
        apart.append(f"wholly below it for {_and([names[k] for k in below])}")
    if above:
        apart.append(f"wholly above it for {_and([names[k] for k in above])}")
    return (
        f"Test accuracy per class of the trained model on {acc.n:,} test {noun}, with 95% Wilson score "
        f"intervals, {'from the least accurate class to the most' if by_accuracy else 'in class order'}: "
        f"from {percent(acc.accuracy[low])} for {names[low]}{plural} to {percent(acc.accuracy[high])} for "
        f"{names[high]}{plural}, against {percent(acc.overall)} overall "
        f"({percent(acc.overall_low)}–{percent(acc.overall_high)}). The interval lies "
        + (_and(apart) if apart else "across the overall accuracy for every class")
        + f". {each}."
    )


# --- the confusion matrix ----------------------------------------------------------------------------


def _title_chars(preset: Preset) -> int:
    """About how many characters of base-size text fit across the preset (DejaVu Sans: ~0.6 em each)."""
    return int(preset.width / (0.62 * preset.font_size))


def _cell_text(value: float, rate: bool) -> str:
    if rate:  # at most three characters: 72, 9.4, 0.9, <.1
        text = f"{100 * value:.0f}" if 100 * value >= 9.95 else f"{100 * value:.1f}"
        return "<.1" if text == "0.0" else text
    return f"{int(value)}"  # no thousands comma: 1105 fits its cell


def _matrix(ax, values, counts, names, theme: Theme, preset: Preset, *, rate: bool, named, font_px):
    """One confusion panel: off-diagonal cells shaded by value, the diagonal framed, the named ones
    outlined."""
    k = len(names)
    page = theme.page
    off = np.array(values, float)
    np.fill_diagonal(off, np.nan)
    top = np.nanmax(np.where(counts > 0, off, np.nan)) if np.any((counts > 0) & ~np.eye(k, dtype=bool)) else 1
    levels = 64
    # With a halo (the transparent theme on an unknown slide) every number is the foreground's, so the
    # shading stops where that still reads on it; elsewhere each number is black or white, for its cell.
    reach = 1.0
    if theme.outline is not None:
        steps = [i / 50 for i in range(51)]
        reach = max(t for t in steps if contrast(theme.foreground, mix(page, theme.mistake, t)) >= 4.6)
    colours = [mix(page, theme.mistake, reach * i / (levels - 1)) for i in range(levels)]
    cmap = ListedColormap([mpl_colour(c) for c in colours]).with_extremes(bad=(0, 0, 0, 0))
    shown = np.where(counts > 0, off, np.nan)
    if theme.outline is not None:  # on an unknown slide, a card of the halo's colour: empty cells are blank
        ax.add_patch(Rectangle((-0.5, -0.5), k, k, facecolor=mpl_colour(page), lw=0, zorder=0))
    ax.imshow(shown, cmap=cmap, vmin=0, vmax=top or 1, interpolation="nearest", aspect="equal")
    size = font_px * 72 / preset.dpi
    for t in range(k):
        for q in range(k):
            if counts[t, q] == 0:
                continue
            value = values[t, q]
            if t == q or theme.outline is not None:
                colour = theme.foreground
            else:
                colour = ink_on(colours[round((levels - 1) * min(value / (top or 1), 1))])
            ax.text(
                q,
                t,
                _cell_text(value, rate),
                ha="center",
                va="center",
                fontsize=size,
                fontweight="bold" if t == q else "normal",
                color=mpl_colour(colour),
            )
    frame = preset.points(1.6)
    for t in range(k):  # the diagonal: right, tinted and framed (apart: a halo may outline the tint)
        ax.add_patch(Rectangle((t - 0.5, t - 0.5), 1, 1, facecolor=mpl_colour(theme.good, 0.14), lw=0))
        ax.add_patch(
            Rectangle(
                (t - 0.5, t - 0.5),
                1,
                1,
                facecolor="none",
                edgecolor=mpl_colour(theme.good),
                lw=frame,
                clip_on=False,
            )
        )
    for c in named:  # the commonest mistakes, outlined
        ax.add_patch(
            Rectangle(
                (c.predicted - 0.5, c.true - 0.5),
                1,
                1,
                facecolor="none",
                edgecolor=mpl_colour(theme.foreground),
                lw=frame * 1.4,
                linestyle=(0, (2, 1)),
                zorder=3,
                clip_on=False,
            )
        )
    long = max(map(len, names)) > 2
    ax.set_xticks(range(k), list(names), rotation=40 if long else 0, ha="right" if long else "center")
    ax.set_yticks(range(k), list(names))
    ax.set_xlim(-0.5, k - 0.5)
    ax.set_ylim(k - 0.5, -0.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("prediction")
    ax.set_ylabel("true class")


@themed
def confusion_figure(
    counts: np.ndarray,
    named: Sequence[Confusion],
    theme: Theme,
    preset: Preset,
    names: Sequence[str] = DIGITS,
    panels: str = "both",
    noun: str = "digits",
) -> Figure:
    """The confusion matrix (rows: true class, columns: prediction) as counts and as shares of each class.

    ``panels`` is "both", "counts" or "rates". Off the diagonal, a cell's shade grows with its value (blank:
    none); the diagonal, the examples the model gets right, is framed in the theme's good colour with its
    number in bold, and kept out of the shading so the mistakes are not washed out by it. The ``named``
    cells (:func:`figgen.analysis.confusion.largest_confusions`) are outlined with a dashed line and named in
    the title.
    """
    panels = check_panels(panels)
    counts = np.asarray(counts)
    kinds = ["counts", "rates"] if panels == "both" else [panels]
    n, right = int(counts.sum()), int(np.trace(counts))
    fig = new_figure(
        theme, preset, aspect=aspect(preset, 0.6 if len(kinds) == 2 else 0.95), nrows=1, ncols=len(kinds)
    )
    font_px = max(round(preset.font_size * 0.8), 11)
    rates = row_rates(counts)
    for ax, kind in zip(fig.axes, kinds, strict=True):
        rate = kind == "rates"
        _matrix(
            ax,
            rates if rate else counts,
            counts,
            names,
            theme,
            preset,
            rate=rate,
            named=named,
            font_px=font_px,
        )
        ax.set_title("share of each true class (%)" if rate else "counts", fontsize="medium")
    mistakes = ", ".join(f"{names[c.true]} read as {names[c.predicted]} ({c.count:,})" for c in named)
    head = f"Where the model errs on {n:,} test {noun}: {percent(right / n)} right"
    if mistakes:
        head += "\n" + "\n".join(textwrap.wrap(f"commonest mistakes: {mistakes}", _title_chars(preset)))
    fig.suptitle(head, fontsize="medium", linespacing=1.4)
    handles = [
        Patch(
            facecolor="none",
            edgecolor=mpl_colour(theme.good),
            lw=preset.points(2.2),
            label="right (diagonal)",
        ),
        Patch(
            facecolor="none",
            edgecolor=mpl_colour(theme.foreground),
            lw=preset.points(2.2),
            linestyle=(0, (2, 1)),
            label=f"the {len(named)} commonest mistakes" if len(named) != 1 else "the commonest mistake",
        ),
    ]
    fig.legend(handles=handles[: 2 if named else 1], loc="outside lower center", ncols=2, frameon=False)
    return fig


# --- accuracy per class ------------------------------------------------------------------------------


@themed
def class_accuracy_figure(
    acc: ClassAccuracy,
    theme: Theme,
    preset: Preset,
    names: Sequence[str] = DIGITS,
    by_accuracy: bool = True,
    noun: str = "digits",
) -> Figure:
    """Each class's test accuracy as a dot with its 95% Wilson interval, the overall accuracy a line.

    A class whose whole interval lies below the overall accuracy is a downward triangle, above it an upward
    one, the rest dots (so the shape, not a colour, says which stand apart). Each is labelled with its
    accuracy and its count of right out of all. ``by_accuracy`` sorts them from the least accurate (top) to
    the most; otherwise they are in class order.
    """
    order = acc.order(by_accuracy)
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.62))
    ax = fig.subplots()
    fg, muted, accent = mpl_colour(theme.foreground), mpl_colour(theme.muted), mpl_colour(theme.accent)
    y = np.arange(len(order))
    below, above = set(acc.below()), set(acc.above())
    ax.axvspan(
        100 * acc.overall_low, 100 * acc.overall_high, color=muted, alpha=0.22, lw=0, label="_overall band"
    )
    ax.axvline(100 * acc.overall, color=fg, linewidth=preset.points(1.5))
    for row, k in zip(y, order, strict=True):
        a, lo, hi = 100 * acc.accuracy[k], 100 * acc.low[k], 100 * acc.high[k]
        ax.plot([lo, hi], [row, row], color=accent, linewidth=preset.points(2.2), solid_capstyle="butt")
        for end in (lo, hi):
            ax.plot([end, end], [row - 0.22, row + 0.22], color=accent, linewidth=preset.points(1.5))
        marker = "v" if k in below else "^" if k in above else "o"
        ax.plot([a], [row], marker=marker, color=accent, markersize=preset.points(7), linestyle="none")
        ax.annotate(
            f"{percent(acc.accuracy[k])}  ({acc.right[k]:,}/{acc.total[k]:,})",
            (1, row),
            xycoords=("axes fraction", "data"),
            xytext=(preset.px(8), 0),
            textcoords="offset pixels",
            ha="left",
            va="center",
            fontsize="small",
        )
    low_edge = 100 * min(np.nanmin(acc.low), acc.overall_low)
    high_edge = 100 * max(np.nanmax(acc.high), acc.overall_high)
    span = max(high_edge - low_edge, 1.0)
    ax.set_xlim(max(0.0, low_edge - 0.08 * span), min(100.0, high_edge + 0.08 * span))
    ax.set_yticks(y, [names[k] for k in order])
    ax.set_ylim(len(order) - 0.4, -0.6)
    ax.set_ylabel("class" if list(names) != list(DIGITS) else "digit")
    ax.set_xlabel("test accuracy (%); whiskers: 95% Wilson score interval")
    ax.grid(True, axis="x")
    ax.annotate(
        f"overall {percent(acc.overall)}",
        (100 * acc.overall, 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize="small",
    )
    low, high = acc.order(True)[0], acc.order(True)[-1]
    ax.set_title(
        f"Accuracy per class on {acc.n:,} test {noun}: {percent(acc.accuracy[low])} ({names[low]}) to "
        f"{percent(acc.accuracy[high])} ({names[high]})"
    )
    handles = [
        Line2D([], [], marker="v", color=accent, linestyle="none", markersize=preset.points(7)),
        Line2D([], [], marker="o", color=accent, linestyle="none", markersize=preset.points(7)),
        Line2D([], [], marker="^", color=accent, linestyle="none", markersize=preset.points(7)),
        Patch(facecolor=muted, alpha=0.22, label="overall's interval"),
    ]
    labels = ["interval below overall", "interval across it", "interval above it", "overall's interval"]
    keep = [bool(below), True, bool(above), True]
    fig.legend(
        [h for h, k in zip(handles, keep, strict=True) if k],
        [lab for lab, k in zip(labels, keep, strict=True) if k],
        loc="outside lower center",
        ncols=sum(keep),
        fontsize="small",
        frameon=False,
    )
    return fig


# --- a training mistake ------------------------------------------------------------------------------


def mistake_words(m: TrainingMistake, names: Sequence[str] = DIGITS) -> list[str]:
    """The lines under a training mistake: the text's ``Prediction: p Label: l`` (with ✗), which training
    example it is and how it was chosen, and the model's probabilities of its guess and of the label. A model
    that gets every training example right has its example's lines with ✓ and its one probability."""
    guess, label = names[m.guess], names[m.label]
    if m.right:
        return [
            f"✓ Prediction: {guess} Label: {label}",
            f"training example {m.index:,}",
            "no training mistake to show",
            f"P({label}) = {m.probs[m.label]:.2f}",
        ]
    how = (
        "the text's display_compare(2)"
        if m.text_example
        else "its first training mistake"
        if m.rank == 0
        else f"its training mistake no. {m.rank + 1:,} of {len(m.wrong):,}"
    )
    return [
        f"✗ Prediction: {guess} Label: {label}",
        f"training example {m.index:,}",
        how,
        f"P({guess}) = {m.probs[m.guess]:.2f} · P({label}) = {m.probs[m.label]:.2f}",
    ]


def mistake_title(
    m: TrainingMistake, test_accuracy: float, test_size: int, noun: str = "digits"
) -> list[str]:
    """The title of the training mistake's frame: wrong even on what it trained on, with both accuracies."""
    return [
        f"Right on every {noun[:-1]} it trained on" if m.right else f"Wrong even on {noun} it trained on",
        f"{percent(m.accuracy)} of its {m.trained_on:,} training {noun if m.trained_on != 1 else noun[:-1]} "
        f"right ({len(m.wrong):,} wrong); "
        f"{percent(test_accuracy)} of {test_size:,} test {noun}",
    ]


def describe_training_mistake(
    m: TrainingMistake,
    test_wrong: Sequence[int],
    test_accuracy: float,
    test_size: int,
    names: Sequence[str] = DIGITS,
    noun: str = "digits",
) -> str:
    """What the training mistake's frame shows, in words, for an alt text."""
    how = (
        ", the text's display_compare(2),"
        if m.text_example
        else ", the first training example it gets wrong,"
        if m.rank == 0
        else f", its training mistake no. {m.rank + 1:,},"
    )
    guess, label = names[m.guess], names[m.label]
    listed = ", ".join(f"#{i}" for i in test_wrong)
    beside = (
        f"Beside it, the first {len(test_wrong)} test {noun} it gets wrong ({listed})"
        if len(test_wrong)
        else f"It gets no test {noun[:-1]} wrong"
    )
    if m.right:
        return (
            f"The trained model gets all {m.trained_on:,} of its training {noun} right, so there is no "
            f"training mistake to show: training example {m.index:,}, labelled {label}, is predicted as "
            f"{guess} (P({label}) = {m.probs[m.label]:.2f}). {beside}; it gets {percent(test_accuracy)} of "
            f"{test_size:,} test {noun} right."
        )
    return (
        f"Training example {m.index:,}{how} labelled {label}, which the trained model predicts as {guess} "
        f"(P({guess}) = {m.probs[m.guess]:.2f}, P({label}) = {m.probs[m.label]:.2f}), although it was one of "
        f"the {m.trained_on:,} training {noun}: the model gets {len(m.wrong):,} of them wrong "
        f"({percent(m.accuracy)} right). {beside}; it gets {percent(test_accuracy)} of {test_size:,} test "
        f"{noun} right."
    )
