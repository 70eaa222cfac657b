"""The text's knobs, TRAIN_SIZE, TEST_SIZE, LEARNING_RATE, TRAIN_STEPS (and LOG_EVERY), in one place.

Their defaults are the text's (``TRAIN_SIZE(5500)``, ``TEST_SIZE(10000)``, ``LEARNING_RATE = 0.1``,
``TRAIN_STEPS = 2500``, a log line every 100 steps); their ``--quick`` values are shared by every recipe;
their ranges are checked here for the command line, the configuration, recipes and training alike. Every
range check of figgen (a recipe's LIMITS too) goes through :func:`check_value`, so a value means the same and
is refused with the same words wherever it is given.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from figgen.core.errors import FiggenError

#: MNIST's geometry, written once: 28 × 28 images, rows of 784 pixels, ten classes.
SIDE = 28
PIXELS = SIDE * SIDE
CLASSES = 10


@dataclass(frozen=True)
class Knobs:
    """The text's ALL-CAPS knobs with the text's defaults; ``Knobs()`` is the text's run."""

    TRAIN_SIZE: int = 5500
    TEST_SIZE: int = 10000
    LEARNING_RATE: float = 0.1
    TRAIN_STEPS: int = 2500  # the text loops over range(TRAIN_STEPS + 1): 2,501 updates
    LOG_EVERY: int = 100  # the text prints a log line when i % 100 == 0

    @classmethod
    def from_values(cls, values: Mapping[str, object] | object) -> Knobs:
        """The knobs found in ``values`` (a mapping or an object with attributes), the text's for the rest."""
        get = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name, None)
        # Any: the values are passed on as found; their types and ranges are checked by .check(), not here.
        found: dict[str, Any] = {name: get(name) for name in NAMES}
        return cls(**{name: value for name, value in found.items() if value is not None})

    def replace(self, **changes) -> Knobs:
        """A copy with some knobs changed (None leaves a knob as it is)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def check(self, data: DataCounts | None = None, where: str = "") -> Knobs:
        """Return self if every knob is in range (and fits ``data``, when given); else raise FiggenError.

        ``where`` prefixes the knob's name in messages (``"weights."``).
        """
        for name in NAMES:
            check_value(f"{where}{name}", getattr(self, name), RULES[name], data)
        check_log_lines(self.TRAIN_STEPS, self.LOG_EVERY, where)
        return self


def check_log_lines(steps: int, log_every: int, where: str = "") -> None:
    """Refuse a log of more than MAX_LOG_LINES lines, naming the knob that fixes it."""
    lines = steps // log_every + 1
    if lines > MAX_LOG_LINES:
        least = -(-steps // (MAX_LOG_LINES - 1))
        raise FiggenError(
            f"{where}TRAIN_STEPS={steps:,} with {where}LOG_EVERY={log_every:,} would log {lines:,} lines, "
            f"more than {MAX_LOG_LINES:,}: raise {where}LOG_EVERY to at least {least:,}"
        )


NAMES = tuple(f.name for f in dataclasses.fields(Knobs))

#: What ``--quick`` gives every recipe that has these knobs: small enough for tests and previews.
QUICK = {"TRAIN_SIZE": 300, "TEST_SIZE": 1000, "TRAIN_STEPS": 60}


class DataCounts(Protocol):
    """What a range check needs of a data set (figgen.data.Dataset has it); read-only, as a Dataset's are."""

    @property
    def n_train(self) -> int: ...

    @property
    def n_test(self) -> int: ...

    @property
    def source(self) -> str: ...

    @property
    def path(self) -> str: ...


@dataclass(frozen=True)
class Rule:
    """A parameter's type and inclusive range; a bound of None is open.

    ``high`` may name a count of the data set, ``"train"`` or ``"test"`` (the number of examples), or
    another parameter of the same recipe (``"TEST_SIZE"``), either with ``-1`` for the last index
    (``"train-1"``, ``"STOP-1"``). ``low_open`` makes the low bound exclusive. For a list parameter the
    range applies to each item and ``items`` bounds how many there are.
    """

    kind: type
    low: float | None = None
    high: float | str | None = None
    low_open: bool = False
    items: tuple[int, int] | None = None


#: The most updates a run may make: 40 times the text's, minutes at the text's size (hours on the full
#: MNIST); a value that would take days is refused up front rather than left running.
MAX_STEPS = 100_000
#: The most log lines a run may keep (TRAIN_STEPS / LOG_EVERY), each an evaluation on the test set.
MAX_LOG_LINES = 10_000

RULES: dict[str, Rule] = {
    "TRAIN_SIZE": Rule(int, 1, "train"),
    "TEST_SIZE": Rule(int, 1, "test"),
    "LEARNING_RATE": Rule(float, 0, low_open=True),
    "TRAIN_STEPS": Rule(int, 0, MAX_STEPS),
    "LOG_EVERY": Rule(int, 1),
    "LEARNING_RATES": Rule(float, 0, low_open=True, items=(1, 8)),  # each of a list of learning rates
}

_SPLIT_WORDS = {"train": "training", "test": "test"}


def check_value(
    where: str, value, rule: Rule, data: DataCounts | None = None, values: Mapping | None = None
) -> None:
    """Raise a one-line FiggenError naming ``where`` unless every number in ``value`` keeps ``rule``.

    A list's rule applies to each item. A bound relative to the data set is checked only when ``data`` is
    given, one naming another parameter only when ``values`` (the recipe's values) is.
    """
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    if isinstance(value, (list, tuple)) and not items and (rule.items is None or rule.items[0] > 0):
        raise FiggenError(f"{where} needs at least one value")
    if isinstance(value, (list, tuple)) and rule.items is not None:
        least, most = rule.items
        if not least <= len(items) <= most:
            raise FiggenError(f"{where} must have {least} to {most} values, got {len(items)}")
    for v in items:
        wanted = numbers.Integral if rule.kind is int else numbers.Real
        if isinstance(v, bool) or not isinstance(v, wanted):
            raise FiggenError(f"{where} must be {_kind_words(rule.kind)}, got {v!r}")
        if not math.isfinite(v):
            raise FiggenError(f"{where} must be a finite number, got {v}")
        x = float(v)  # finite: compared as a float (numbers.Real declares no > for a type checker)
        if rule.low is not None and (x <= rule.low if rule.low_open else x < rule.low):
            raise FiggenError(
                f"{where} must be {'above' if rule.low_open else 'at least'} {rule.low}, got {v}"
            )
        if isinstance(rule.high, (int, float)) and x > rule.high:
            raise FiggenError(f"{where} must be at most {rule.high:,}, got {v}")
    if isinstance(rule.high, str) and items:
        _check_relative(where, items, rule.high, data, values or {})


def _check_relative(where: str, items: list, bound: str, data: DataCounts | None, values: Mapping) -> None:
    name, _, minus = bound.partition("-")
    if name in values:
        high = values[name] - int(minus or 0)
        if max(items) > high:
            raise FiggenError(f"{where} must be at most {bound} = {high}, got {max(items)}")
        return
    if name in ("train", "test") and data is not None:
        split = name
        available = data.n_train if split == "train" else data.n_test
        high = available - int(minus or 0)
        if max(items) > high:
            if minus:
                raise FiggenError(
                    f"{where} must be at most {high}, the last of the {available} "
                    f"{_SPLIT_WORDS[split]} examples of the data set ({data.source}: {data.path}); "
                    f"got {max(items)}"
                )
            key = where.rpartition(".")[2]
            full = (
                ", or the full MNIST (figgen data fetch, then the data set 'auto')"
                if data.source == "sample"
                else ""
            )
            raise FiggenError(
                f"{where} = {max(items)} is more than the {available} {_SPLIT_WORDS[split]} "
                f"examples of the data set ({data.source}: {data.path}): use {key}={high}{full}"
            )


def _kind_words(kind: type) -> str:
    return "a whole number" if kind is int else "a number"
