"""``figgen deck``: a PowerPoint deck of the chosen recipes' figures, one per slide (:func:`figgen.api.deck`).

It takes the build options the deck uses from the one table (:data:`figgen.builder.deck.DECK_OPTIONS`:
``--theme``, ``--preset``, ``--quick``, ...), ``--set`` and ``--config`` as ``figgen build`` does, and adds
its own ``--out FILE.pptx`` and ``--video``. Progress is the build's (bars on a terminal, a line per task
elsewhere); the built figures' own lines are left out, as they live in figgen's cache, not beside the deck.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, Protocol

from figgen import api
from figgen.builder.deck import DECK_OPTIONS
from figgen.builder.options import parse_sets
from figgen.cli.lines import RECIPES_HELP


class Reporter(Protocol):
    """What shows a build's progress: the command line's build reporter."""

    def event(self, event: str, /, **info: Any) -> None: ...

    def close(self) -> None: ...


def register(
    sub,
    common: argparse.ArgumentParser,
    add_options: Callable[[argparse.ArgumentParser, list[str]], None],
    reporter: Callable[..., Reporter],
    one_line: Callable[[str], str],
) -> None:
    """Add the ``deck`` command to the subcommands ``sub``: the build options through ``add_options`` (the
    command line's reader of the options table), progress through ``reporter`` (its build reporter),
    printed lines through ``one_line``."""
    p = sub.add_parser(
        "deck",
        parents=[common],
        help="write a PowerPoint deck of the figures, one per slide",
        description="Build the recipes' figures (all when none are named) and write a PowerPoint deck: one "
        "slide per figure with its title, the GIF of an animation (plays in PowerPoint, Keynote and "
        "Google Slides; --video: the MP4 as a movie with a poster), a still's PNG, the alt text on each "
        "picture, and the recipe's description and parameters in the speaker notes.",
    )
    p.add_argument("recipes_selected", nargs="*", metavar="RECIPE", help="recipes to show (default: all)")
    p.add_argument(
        "--out", metavar="FILE", default="deck.pptx", help="the deck to write (default: deck.pptx)"
    )
    p.add_argument(
        "--video", action="store_true", help="animations as MP4 movies with a poster frame, not GIFs"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter, for all recipes that have it or as RECIPE.KEY=VALUE",
    )
    p.add_argument("--config", metavar="FILE", help="figgen.toml to read (default: ./figgen.toml)")
    add_options(p, list(DECK_OPTIONS))  # the build options a deck takes, from their one table
    p.add_argument("--recipes", metavar="DIR", help=RECIPES_HELP)
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing unless something fails")
    p.set_defaults(func=lambda args: _cmd_deck(args, reporter, one_line))


def _cmd_deck(args, reporter: Callable[..., Reporter], one_line: Callable[[str], str]) -> int:
    shown = reporter(quiet=args.quiet)

    def progress(event: str, /, **info) -> None:
        if event != "output":  # the figures' files are figgen's cache, not what the user asked for
            shown.event(event, **info)

    try:
        deck = api.deck(
            args.recipes_selected,
            out=args.out,
            video=args.video,
            params=parse_sets(args.set),
            config=args.config,
            recipes_dir=args.recipes,
            progress=progress,
            **{name: getattr(args, name) for name in DECK_OPTIONS},
        )
    finally:
        shown.close()
    if not args.quiet:
        size = "4:3" if deck.width * 3 == deck.height * 4 else "16:9"
        print(one_line(f"wrote {deck.path}: {len(deck.slides)} slides ({size})"))
        for slide in deck.slides:
            print(one_line(f"  {slide.recipe:<20} {slide.path.name:<28} {slide.title}"))
    return 0
