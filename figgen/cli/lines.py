"""What the command line prints is one line per item, whatever a value holds."""

from __future__ import annotations


def one_line(message: str) -> str:
    """A message on one line whatever it quotes: control characters (a newline in a value) are escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
