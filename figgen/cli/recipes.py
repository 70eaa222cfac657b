"""``figgen recipes copy NAME...``: put figgen's own recipes into your recipe folder, to change them."""

from __future__ import annotations

import argparse

from figgen import api


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add the ``recipes`` command to the command line's subparsers."""
    p = sub.add_parser("recipes", parents=[common], help="copy figgen's recipes into recipes/ to change them")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION", parser_class=type(p))
    copy = actions.add_parser(
        "copy",
        parents=[common],
        help="copy figgen's recipes into your recipe folder, where they replace figgen's by name",
    )
    copy.add_argument("names", nargs="+", metavar="RECIPE", help="figgen's recipes to copy (figgen list)")
    copy.add_argument(
        "--to", metavar="DIR", help="your recipe folder (default: recipes_dir of figgen.toml, else recipes/)"
    )
    copy.add_argument("--config", metavar="FILE", help="figgen.toml to read (default: ./figgen.toml)")
    copy.set_defaults(func=_copy)


def _copy(args) -> int:
    for path in api.copy_recipes(args.names, args.to, config=args.config):
        name = path.stem
        print(f"copied {name} to {path}: yours to change; it replaces figgen's {name} in every build")
    return 0
