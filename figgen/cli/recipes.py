"""``figgen list``, the recipes a build reads, and ``figgen recipes copy NAME...``, which puts figgen's own
recipes into your recipe folder to change them."""

from __future__ import annotations

import argparse
import json
import sys

from figgen import api
from figgen.cli.lines import one_line


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


def list_command(args) -> int:
    """The readable recipes, then one error line for each file that cannot be read as one (exit 2)."""
    import warnings

    from figgen.core.errors import FiggenWarning

    with warnings.catch_warnings():  # the broken ones are told below, as errors
        warnings.simplefilter("ignore", FiggenWarning)
        recipes = api.list_recipes(args.recipes, config=args.config)
    summaries = [r.summary() for r in recipes]
    if args.json:
        print(json.dumps(summaries, indent=2))
    width = max((len(r.name) for r in recipes), default=0)
    for r, summary in zip(recipes, summaries, strict=True) if not args.json else []:
        outputs = ", ".join(f"{stem} ({kind})" for stem, kind in r.outputs.items())
        yours = "" if summary["builtin"] else f"  [yours: {r.path}]"
        print(one_line(f"{r.name:<{width}}  {r.title}{yours}"))
        print(one_line(f"{'':<{width}}  -> {outputs}"))
        for p in summary["parameters"]:
            quick = f", quick {_value(p['quick'])}" if p["quick"] != p["default"] else ""
            limits = f"  ({p['range']})" if p["range"] else ""
            print(one_line(f"{'':<{width}}     {p['name']} = {_value(p['default'])}{quick}{limits}"))
    sys.stdout.flush()  # the list before the errors, where both go to one terminal
    for broken in recipes.broken:
        message = f"recipe {broken.name} cannot be read: {broken.error}"
        print(f"figgen: error: {one_line(message)}", file=sys.stderr)
    return 2 if recipes.broken else 0


def _value(value) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value)) or "[]"
    return str(value)
