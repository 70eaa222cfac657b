"""The training_log figure prints the run's log exactly as ``figgen train`` prints it: the lines the console
draws (still and animation) equal ``figgen train --json``'s log formatted here from its numbers."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import figgen.draw.console as console
from figgen import api
from figgen.core.knobs import QUICK
from figgen.writers.outputs import OutputSet

RECIPES = Path(__file__).resolve().parents[1] / "recipes"
LOG_EVERY = 10  # the recipe's quick LOG_EVERY


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One quick build of the recipe, the monospace lines each output drew kept, and figgen train's log."""
    cache = tmp_path_factory.mktemp("cache")
    drawn: list[str] = []
    seen: dict = {}
    original_draw, original_image, original_animation = (
        console.draw_text,
        OutputSet.image,
        OutputSet.animation,
    )

    def draw_text(target, xy, text, size, colour, *args, mono=False, **kwargs):
        if mono:
            drawn.append(text)
        return original_draw(target, xy, text, size, colour, *args, mono=mono, **kwargs)

    def image(self, stem, frame, *, alt):
        seen[stem] = {"lines": list(drawn), "alt": alt}
        drawn.clear()
        return original_image(self, stem, frame, alt=alt)

    def animation(self, stem, frames, *, alt, **kwargs):
        per_frame: list[list[str]] = []

        def recorded():
            for frame in frames():
                if len(per_frame) < 10_000:
                    per_frame.append(list(drawn))
                drawn.clear()
                yield frame

        original_animation(self, stem, recorded, alt=alt, **kwargs)
        seen[stem] = {"frames": per_frame, "alt": alt, **kwargs}

    console.draw_text, OutputSet.image, OutputSet.animation = draw_text, image, animation
    try:
        api.build(  # a first build trains the quick run, so the timed one below measures the recipe alone
            "training_log",
            quick=True,
            formats=["png"],
            out=tmp_path_factory.mktemp("warm"),
            cache=cache,
            recipes_dir=RECIPES,
            gallery=False,
        )
        seen.clear()
        result = api.build(
            "training_log",
            quick=True,
            formats=["png"],
            out=tmp_path_factory.mktemp("out"),
            cache=cache,
            recipes_dir=RECIPES,
            gallery=False,
            force=True,
        )
    finally:
        console.draw_text, OutputSet.image, OutputSet.animation = (
            original_draw,
            original_image,
            original_animation,
        )
    assert result.failures == []
    knobs = {
        "--train-size": QUICK["TRAIN_SIZE"],
        "--test-size": QUICK["TEST_SIZE"],
        "--steps": QUICK["TRAIN_STEPS"],
    }
    command = [sys.executable, "-m", "figgen", "train", "--log-every", str(LOG_EVERY)]
    command += [str(a) for pair in knobs.items() for a in pair]
    env = {**os.environ, "FIGGEN_CACHE": str(cache)}
    run = functools.partial(subprocess.run, capture_output=True, text=True, check=True, env=env, cwd=cache)
    report = json.loads(run([*command, "--json"]).stdout)
    printed = run(command).stdout.splitlines()
    expected = [f"Training Step:{s} Accuracy = {a:.4f} Loss = {lo:.6f}" for s, a, lo in report["log"]]
    return {"seen": seen, "report": report, "printed": printed, "expected": expected}


def test_the_still_draws_figgen_trains_lines(built):
    assert built["report"]["cached"]  # the build trained this run; figgen train read it back
    assert [row[0] for row in built["report"]["log"]] == list(range(0, QUICK["TRAIN_STEPS"] + 1, LOG_EVERY))
    assert built["seen"]["training_log"]["lines"] == built["expected"]


def test_the_animation_prints_one_more_line_a_frame(built):
    film, expected = built["seen"]["training_log_printing"], built["expected"]
    assert len(film["frames"]) == len(expected)
    assert film["frames"] == [expected[: k + 1] for k in range(len(expected))]
    assert film["captions"] == expected
    assert film["keyframes"] == [0, len(expected) // 2, len(expected) - 1]


def test_alt_texts_state_the_first_and_last_lines(built):
    for stem in ("training_log", "training_log_printing"):
        alt = built["seen"][stem]["alt"]
        assert built["expected"][0] in alt and built["expected"][-1] in alt
        assert f"{len(built['expected'])} lines" in alt


def test_figgen_train_prints_the_same_lines(built):
    assert built["printed"] == built["expected"]
