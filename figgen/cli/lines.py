"""What the command line prints is one line per item, whatever a value holds; and the words its commands
share."""

from __future__ import annotations

#: the help of every command's --recipes
RECIPES_HELP = "your recipe folder, adding to figgen's own and replacing them by name (default: recipes/)"


def one_line(message: str) -> str:
    """A message on one line whatever it quotes: control characters (a newline in a value) are escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
