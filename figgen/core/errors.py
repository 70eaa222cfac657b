"""The error figgen raises for bad input, and the "did you mean" hint every lookup by name shares."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class FiggenError(ValueError):
    """Bad input (a parameter, recipe, option or file); the command line prints it as one line, exit 2."""


class FiggenWarning(UserWarning):
    """Something figgen repaired or worked around (a damaged manifest, a cache it cannot write); the command
    line prints it as one line ``figgen: warning: ...`` and goes on."""


def suggest(word: object, choices: Iterable[str], *, list_all: bool = False) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or (with ``list_all``) the choices, or ''."""
    choices = [str(c) for c in choices]
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.5)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (choose from {', '.join(sorted(choices))})" if list_all and choices else ""


def unknown(kind: str, name: object, choices: Iterable[str]) -> FiggenError:
    """The error for a name that is not among ``choices``: ``unknown theme 'drak' (did you mean 'dark'?)``."""
    return FiggenError(f"unknown {kind} {str(name)!r}{suggest(name, choices, list_all=True)}")


def recipe_failed(name: str, error: object) -> str:
    """``recipe NAME failed: ERROR``: the one wording of a failed recipe, which the API and the docs tools
    raise (as a FiggenError) and the command line prints."""
    return f"recipe {name} failed: {error}"
