"""core.knobs: the text's knobs, their one set of defaults, and the one range check every caller uses."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from figgen.core.errors import FiggenError
from figgen.core.knobs import NAMES, QUICK, RULES, Knobs, Rule, check_value

DATA = SimpleNamespace(n_train=10000, n_test=10000, source="sample", path="/data")


def test_the_texts_defaults():
    text = Knobs()
    assert (text.TRAIN_SIZE, text.TEST_SIZE, text.LEARNING_RATE, text.TRAIN_STEPS, text.LOG_EVERY) == (
        5500,
        10000,
        0.1,
        2500,
        100,
    )
    assert text.check(DATA) is text
    assert NAMES == ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS", "LOG_EVERY")
    assert set(QUICK) <= set(NAMES) and set(RULES) >= set(NAMES)


def test_from_values_takes_what_is_there_and_the_texts_for_the_rest():
    assert Knobs.from_values({"TRAIN_SIZE": 300, "FRAMES": 12}) == Knobs(TRAIN_SIZE=300)
    assert Knobs.from_values(SimpleNamespace(LEARNING_RATE=0.5)) == Knobs(LEARNING_RATE=0.5)
    assert Knobs().replace(TRAIN_STEPS=10, TEST_SIZE=None) == Knobs(TRAIN_STEPS=10)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"TRAIN_SIZE": 0}, "TRAIN_SIZE must be at least 1, got 0"),
        (
            {"TRAIN_SIZE": 10001},
            "TRAIN_SIZE = 10001 is more than the 10000 training examples of the data set",
        ),
        ({"TRAIN_SIZE": 2.5}, "TRAIN_SIZE must be a whole number, got 2.5"),
        ({"TRAIN_SIZE": True}, "TRAIN_SIZE must be a whole number, got True"),
        ({"TEST_SIZE": 10001}, "TEST_SIZE = 10001 is more than the 10000 test examples of the data set"),
        ({"LEARNING_RATE": 0}, "LEARNING_RATE must be above 0, got 0"),
        ({"LEARNING_RATE": -1}, "LEARNING_RATE must be above 0, got -1"),
        ({"LEARNING_RATE": float("nan")}, "LEARNING_RATE must be a finite number, got nan"),
        ({"LEARNING_RATE": float("inf")}, "LEARNING_RATE must be a finite number, got inf"),
        ({"LEARNING_RATE": "0.1"}, "LEARNING_RATE must be a number, got '0.1'"),
        ({"TRAIN_STEPS": -1}, "TRAIN_STEPS must be at least 0, got -1"),
        ({"LOG_EVERY": 0}, "LOG_EVERY must be at least 1, got 0"),
    ],
)
def test_check_refuses_with_one_line_naming_the_knob(changes, message):
    with pytest.raises(FiggenError, match=f"^{message}"):
        Knobs(**changes).check(DATA)


def test_numpy_numbers_are_numbers():
    Knobs(TRAIN_SIZE=np.int64(5), LEARNING_RATE=np.float32(0.5)).check(DATA)


def test_relative_bounds_wait_for_the_data_set():
    rule = Rule(int, 0, "train-1")
    check_value("digit.EXAMPLE", 10**9, rule)  # no data set yet: only the absolute bounds
    check_value("digit.EXAMPLE", 9999, rule, DATA)
    with pytest.raises(
        FiggenError, match="^digit.EXAMPLE must be at most 9999, the last of the 10000 training"
    ):
        check_value("digit.EXAMPLE", 10000, rule, DATA)


def test_a_list_rule_applies_to_each_item():
    check_value("x.RATES", [0.1, 2.0], RULES["LEARNING_RATES"])
    with pytest.raises(FiggenError, match="^x.RATES must be above 0, got -1"):
        check_value("x.RATES", [0.1, -1], RULES["LEARNING_RATES"])
    with pytest.raises(FiggenError, match="^x.RATES needs at least one value$"):
        check_value("x.RATES", [], RULES["LEARNING_RATES"])
