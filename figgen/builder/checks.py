"""What a build option's value must be: the checks of :data:`figgen.builder.options.OPTIONS`.

Each is ``(value, where) -> the value to keep`` and raises a one-line FiggenError naming ``where``. An
option's ``accepts`` checks the value's type and names the option by its name (the Python keyword, the
configuration file's key: a wrong type comes from one of those, never from the command line, whose values
argparse types); its ``check`` then checks the value, naming the flag.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from figgen.core.errors import FiggenError, unknown
from figgen.core.knobs import Rule, check_value
from figgen.core.themes import parse_colour

Check = Callable[[Any, str], Any]
PACE = Rule(float, 0.25, 4.0)  # how many times as long every animation frame shows


def choice(where: str, value: str, choices) -> str:
    if value not in choices:
        raise unknown(where, value, choices)
    return value


def shown(value: object) -> str:
    """A value as an error message quotes it: its repr, on one line, cut short when long."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def flag_check(value, where: str) -> bool:
    """True or False, nothing else (``"no"`` is not false, and 1 is not true)."""
    if not isinstance(value, bool):
        raise FiggenError(f"{where} must be True or False, got {shown(value)}")
    return value


def path_check(what: str) -> Check:
    """Text or a path-like object (a :class:`~pathlib.Path`), as text; ``what`` words what it is the path
    of ("a folder's path")."""

    def check(value, where: str) -> str:
        text = value if isinstance(value, str) else None
        if isinstance(value, os.PathLike):
            text = os.fspath(value)
        if not isinstance(text, str):
            raise FiggenError(f"{where} must be {what} (text or a Path), got {shown(value)}")
        if "\0" in text:
            raise FiggenError(f"{where} {shown(text)} holds a NUL character, which no path can")
        return text

    return check


def text_of(registry: Callable[[], Iterable[str]]) -> Check:
    """A name, as text (what it names is checked next, against ``registry``)."""

    def check(value, where: str) -> str:
        if not isinstance(value, str):
            raise FiggenError(f"{where} must be a name (text): {', '.join(registry())}; got {shown(value)}")
        return value

    return check


def names(what: str) -> Check:
    """Names as a list or tuple of text, or one text separated by commas (``what``: of what)."""

    def check(value, where: str) -> str | tuple[str, ...]:
        if isinstance(value, str):
            return value
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise FiggenError(
                f"{where} must be {what} (a list, or text separated by commas), got {shown(value)}"
            )
        return tuple(value)

    return check


def number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise FiggenError(f"{where} must be a number, got {shown(value)}")
    return float(value)


def whole(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise FiggenError(f"{where} must be a whole number, got {shown(value)}")
    return int(value)


def colour_text(value, where: str) -> str:
    if not isinstance(value, str):
        raise FiggenError(f"{where} must be a colour as text ('#1f4e9c'), got {shown(value)}")
    return value


def check_params(params: object) -> Mapping[str, object]:
    """The build's ``params``: a mapping of ``KEY`` or ``RECIPE.KEY`` (text) to values (None: none)."""
    if params is None:
        return {}
    if not isinstance(params, Mapping) or not all(isinstance(k, str) for k in params):
        raise FiggenError(f"params must be a mapping of KEY or RECIPE.KEY to values, got {shown(params)}")
    return params


def formats() -> tuple[str, ...]:
    from figgen.writers import formats

    return formats()


def one_of(kind: str, registry: Callable[[], Iterable[str]]) -> Check:
    def check(value, where: str):
        return choice(kind, value, tuple(registry()))

    return check


def colour(value, where: str) -> str:
    parse_colour(value)
    return value


def format_list(value, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [f.strip() for f in value.split(",") if f.strip()]
    if not value:
        raise FiggenError(f"{where} names no format")
    for fmt in value:
        choice("format", fmt, formats())
    return tuple(value)


def pace(value, where: str) -> float:
    check_value(where, value, PACE)
    return float(value)


def splits() -> tuple[str, ...]:
    from figgen.data import SPLITS  # numpy: not at import, so `figgen --help` starts at once

    return tuple(SPLITS)


def split(value, where: str) -> str:
    return choice("split", value, splits())


def class_names(value, where: str) -> tuple[str, ...]:
    from figgen.data import check_class_names

    return check_class_names(value, where)


def jobs(value, where: str) -> int:
    if value < 1:
        raise FiggenError(f"{where} must be at least 1, got {value}")
    return value


def path_text(value, where: str) -> str:
    return os.fspath(value)


def folder(is_a_file: str) -> Check:
    """A folder's path (as text); ``is_a_file`` words the error when a file is there (``{}``: the path)."""

    def check(value, where: str) -> str:
        value = os.fspath(value)
        if not value.strip():
            raise FiggenError(f"{where} needs a folder name, got an empty one")
        try:
            if Path(value).exists() and not Path(value).is_dir():
                raise FiggenError(is_a_file.format(value))
        except OSError as exc:  # a name too long, say
            raise FiggenError(f"{where} {shown(value)} is no folder figgen can use: {exc.strerror}") from None
        return value

    return check
