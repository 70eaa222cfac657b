"""``draw_digit``'s page: draw a digit (mouse, touch or pen), or pick a test digit and shift it by pixels (the
keyboard's way, as shifted_digit shifts one), and watch the trained model classify it live.

A drawing is preprocessed the way MNIST's digits were made: the ink's bounding box scaled to fit a 20 × 20
box, its aspect kept (anti-aliased), then placed in the 28 × 28 image so that its centre of mass is at the
centre; a toggle shows the drawing as drawn or as processed. The model is the default cached run's W and b:
the page shows the ten scores z = x · W + b, the pixel-by-sheet products x_i · W_ik as images on the weight
sheets' diverging scale, softmax's probabilities as bars, and the argmax.

Weights: W (784 × 10) and b are embedded as they are, float32, little-endian, base64 (31,360 bytes for W,
41,816 as base64: no quantising needed within the page's 150 KB), and the page computes in float64 with
exactly those values as :func:`figgen.training.predict` does, so its probabilities equal numpy's
softmax(x · W + b) (:func:`page_probabilities`) to the last bits, and the sheets are the model's own.
``state()`` gives ``probabilities`` (ten), ``prediction``, ``scores`` and ``pixels`` (the processed input,
784 values in [0, 1] row by row); ``set({pixels})`` takes that input as it is, ``set({digit, shift_x,
shift_y})`` a test digit shifted (snapped to the nearest the page holds).
"""

from __future__ import annotations

import base64
from html import escape

import numpy as np

from figgen.draw.colormaps import colormap_lut, symmetric_limit
from figgen.figures.style import aspect, mpl_colour, new_figure, themed
from figgen.training import predict
from figgen.writers.explorable import ExplorablePage
from figgen.writers.explore._digit_page import BODY, SCRIPT, STYLE

CMAP = "seismic"  # the weight sheets' colour map (white zero), as figgen.draw.weights_frame draws them
MAX_SHIFT = 8  # pixels a test digit may move each way


def model(weights: np.ndarray, bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The model as the page holds it: W and b in float32, the training's own values."""
    return np.asarray(weights, np.float32), np.asarray(bias, np.float32)


def page_probabilities(pixels: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """softmax(x · W + b) in float64 with the page's weights (:func:`model`), for rows ``pixels``: the
    model's :func:`~figgen.training.predict`."""
    w32, b32 = model(weights, bias)
    return predict(w32, b32, np.atleast_2d(np.asarray(pixels, np.float64)))


def shift_image(image: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """A 28 × 28 image moved ``dx`` pixels right and ``dy`` down; empty pixels enter, nothing wraps."""
    out = np.zeros_like(image)
    h, w = image.shape
    out[max(0, dy) : h + min(0, dy), max(0, dx) : w + min(0, dx)] = image[
        max(0, -dy) : h + min(0, -dy), max(0, -dx) : w + min(0, -dx)
    ]
    return out


def digit_page(
    weights: np.ndarray,
    bias: np.ndarray,
    digits: np.ndarray,
    labels: np.ndarray,
    class_names: list[str],
    first: int = 0,
) -> ExplorablePage:
    """The page with the model ``weights`` (784 × 10) and ``bias``, and ``digits`` (rows of 784 values in
    [0, 1], test digits with their ``labels``) to pick from; it opens on ``digits[first]``."""
    w32, b32 = model(weights, bias)
    grey = np.round(digit_pixels(digits) * 255).astype(np.uint8)  # the pixels as the page holds them
    lut = colormap_lut(CMAP, 255)[:, :3].astype(np.uint8)
    limit = symmetric_limit(w32)  # never 0: an all-zero W is drawn on a scale of ±1
    data = {
        "w": base64.b64encode(w32.astype("<f4").tobytes()).decode(),
        "b": base64.b64encode(b32.astype("<f4").tobytes()).decode(),
        "digits": base64.b64encode(grey.tobytes()).decode(),
        "labels": [int(v) for v in labels],
        "names": list(class_names),
        "lut": base64.b64encode(lut.tobytes()).decode(),
        "limit": limit,
        "first": int(first),
        "maxShift": MAX_SHIFT,
    }
    options = "".join(
        f'<option value="{i}">the first {escape(class_names[int(label)])} of the test set</option>'
        for i, label in enumerate(labels)
    )
    body = BODY.replace("@@options@@", options).replace("@@shift@@", str(MAX_SHIFT))
    return ExplorablePage("Draw a digit", body, SCRIPT, data, style=STYLE, aspect=0.9)


def digit_pixels(digits: np.ndarray) -> np.ndarray:
    """The test digits as the page holds them: each pixel rounded to a 255th (the data set's own levels)."""
    return np.clip(np.round(np.asarray(digits, np.float64) * 255), 0, 255) / 255


@themed
def digit_still(pixels: np.ndarray, probabilities: np.ndarray, class_names: list[str], theme, preset):
    """The page's first state as a figure: the input digit and the ten probabilities as bars, the argmax
    in the accent colour and bold (what places that run no page show)."""
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.4), ncols=2, width_ratios=[1, 2.2])
    left, right = fig.axes
    left.imshow(np.asarray(pixels).reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    left.set_xticks([])
    left.set_yticks([])
    best = int(np.argmax(probabilities))
    colours = [mpl_colour(theme.accent if k == best else theme.muted) for k in range(len(probabilities))]
    rows = np.arange(len(probabilities))
    right.barh(rows, probabilities, color=colours)
    right.set_yticks(rows, class_names)
    right.invert_yaxis()
    right.set_xlim(0, 1)
    right.set_xlabel("probability")
    for k, p in enumerate(probabilities):
        right.text(
            min(p, 0.8) + 0.02, k, f"{100 * p:.1f}%", va="center", fontweight="bold" if k == best else None
        )
    right.set_title(f"The model reads {class_names[best]}")
    return fig
