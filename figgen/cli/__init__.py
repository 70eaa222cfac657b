"""The ``figgen`` command: list, build, train, data and clean.

It builds, trains and cleans through the public API (:mod:`figgen.api`); besides it, it reads the names it
offers from their registries (themes, presets, palettes, formats, the text's knobs), parses ``--set``
through :mod:`figgen.builder.options`, and reaches :mod:`figgen.data.fetch` (``figgen data fetch``) and
:mod:`figgen.cli.watch` (``--watch``) directly. Only this layer prints or shows progress bars; the library
reports progress through callbacks. Heavy modules (TensorFlow, matplotlib) are imported
inside the commands that need them, so ``figgen --help``, ``figgen list`` and ``figgen data`` start in well
under a second.

Exit codes: 0 success, 2 bad input or usage (one line ``figgen: error: ...``; also a path the system refuses,
a name too long say, and a standard output that cannot be written, a full disk), 1 an internal failure, 130
interrupted: Ctrl-C (SIGINT) or SIGTERM (a CI timeout, ``docker stop``, ``kill``) alike, which stop a build
and its worker processes at once and remove what they had staged; ``figgen: interrupted`` is then the one
line said. Everything printed is one line per item: control characters in a path or a message (a newline)
are escaped, and characters the output's encoding cannot show are written as ``\\u2212``-style escapes.
"""

from __future__ import annotations

import argparse
import errno
import io
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from figgen import api
from figgen._version import __version__
from figgen.builder.options import OPTIONS
from figgen.cli.lines import RECIPES_HELP
from figgen.cli.lines import one_line as _one_line
from figgen.core.errors import FiggenError, recipe_failed
from figgen.core.knobs import Knobs

if TYPE_CHECKING:
    from tqdm import tqdm

    from figgen.core.progress import Progress

TEXT = Knobs()


#: errno values of a path the system refuses (a name too long, a file where a folder is needed) or a machine
#: that cannot take a file (full, read-only, no permission): bad input or a bad environment, exit 2
REFUSED = {
    errno.ENAMETOOLONG,
    errno.ELOOP,
    errno.ENOTDIR,
    errno.EISDIR,
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EFBIG,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (also used by ``python -m figgen``)."""
    _escape_what_cannot_be_shown()
    parser = _parser()
    args = parser.parse_args(argv)
    stdout, sys.stdout = sys.stdout, _Output(sys.stdout)
    _INTERRUPTED.clear()
    handlers = _stop_on_signals()
    _warnings_as_lines()
    try:
        code = args.func(args) or 0
        sys.stdout.flush()  # a full disk is told here, in one line, rather than by the interpreter's exit
        return code
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM, once the build has stopped its workers and cleaned up
        if _INTERRUPTED:  # a real signal, not a KeyboardInterrupt a recipe raised
            for signum in handlers:  # the command is over: another signal (an impatient user) would only
                signal.signal(signum, signal.SIG_IGN)  # kill it mid-exit, with a traceback: none now
            handlers.clear()
        print("figgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `figgen list | head`: the reader has gone, which is no error of figgen's
        _silence(stdout)
        return 141
    except _CannotWrite as exc:  # `figgen list > /dev/full`
        _silence(stdout)
        print(f"figgen: error: cannot write to standard output: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # the one place that turns errors into exit codes
        if args.debug:
            raise
        refused = isinstance(exc, OSError) and exc.errno in REFUSED
        code = 2 if isinstance(exc, FiggenError) or refused else 1
        kind = "error" if code == 2 else "internal error"
        message = _one_line(_os_message(exc) if refused else str(exc) or type(exc).__name__)
        print(
            f"figgen: {kind}: {message}" + ("" if code == 2 else " (run with --debug for details)"),
            file=sys.stderr,
        )
        return code
    finally:
        sys.stdout = stdout
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def _os_message(exc: BaseException) -> str:
    """An OSError as ``PATH: REASON``, a long path shortened (the system refused it for its length)."""
    assert isinstance(exc, OSError)
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    name = os.fsdecode(exc.filename) if isinstance(exc.filename, (str, bytes)) else str(exc.filename)
    return f"{name if len(name) <= 100 else name[:60] + '...' + name[-30:]}: {reason}"


def _escape_what_cannot_be_shown() -> None:
    """Write a character the output's encoding lacks (``PYTHONIOENCODING=ascii``, a C locale) as an escape,
    ``\\u2212``, rather than failing; the same for a file name's undecodable bytes."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "surrogateescape"):
            stream.reconfigure(errors="backslashreplace")


class _CannotWrite(Exception):
    """Standard output refused what figgen printed (a full disk): the reason."""


class _Output:
    """Standard output, whose write errors (but a closed pipe's) become :class:`_CannotWrite`, so that main
    tells them from a file the command could not write."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _CannotWrite(exc.strerror or str(exc)) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _CannotWrite(exc.strerror or str(exc)) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _silence(stream) -> None:
    """Point standard output at /dev/null: what is still buffered goes there at exit, not to a traceback."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):  # not a file (a test's capture): nothing to do
        pass


def _stop_on_signals() -> dict:
    """Make Ctrl-C (SIGINT) and SIGTERM (a CI timeout, ``docker stop``, ``kill``) unwind alike, so that a
    build stops its workers and removes what it staged; return the handlers they replace. Only where the
    signal has its default handling, on the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    replaced = {}
    for signum, default in ((signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, signal.SIG_DFL)):
        handler = signal.getsignal(signum)
        if handler in (default, None):
            replaced[signum] = handler
            signal.signal(signum, _interrupt)
    return replaced


def _interrupt(signum, frame):
    """Ctrl-C or SIGTERM: unwind. From here on figgen's one word is ``figgen: interrupted``: a library's log
    lines about the files it was writing are not shown. (The build's cleanup lets no second signal cut it
    short: :mod:`figgen.builder.workers`.)"""
    import logging

    _INTERRUPTED.append(signum)
    logging.disable(logging.CRITICAL)
    raise KeyboardInterrupt


_INTERRUPTED: list[int] = []  # the signals :func:`_interrupt` heard


def _warnings_as_lines() -> None:
    """Print figgen's warnings (what it repaired or worked around) as ``figgen: warning: ...`` lines."""
    import warnings

    from figgen.core.errors import FiggenWarning

    default = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, FiggenWarning):
            print(f"figgen: warning: {_one_line(str(message))}", file=sys.stderr)
        else:
            default(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    warnings.simplefilter("always", FiggenWarning)


class _Parser(argparse.ArgumentParser):
    """argparse with the contract's one-line errors: ``figgen: error: ...`` and exit code 2."""

    def error(self, message: str):
        self.exit(2, f"figgen: error: {_one_line(message)} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="figgen",
        description="Rebuild the figures and animations of the MNIST softmax-regression tutorial "
        "from real TensorFlow training runs.",
        epilog="Exit codes: 0 success; 2 bad input, one line 'figgen: error: ...' (a recipe's own bad "
        "input, a recipe file that cannot be read, a path the system refuses, a full standard output); "
        "1 an internal failure (a recipe that crashed, called sys.exit or whose worker process died); "
        "130 interrupted by Ctrl-C or SIGTERM, which stop the build and its workers at once and leave "
        "nothing staged.",
    )
    parser.add_argument("--version", action="version", version=f"figgen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    common = _Parser(add_help=False)  # --debug after the command works too
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    from figgen.cli import recipes

    p = sub.add_parser("list", parents=[common], help="list the recipes, their titles and outputs")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--recipes", metavar="DIR", help=RECIPES_HELP)
    p.add_argument("--config", metavar="FILE", help="figgen.toml to read (default: ./figgen.toml)")
    p.set_defaults(func=recipes.list_command)

    p = sub.add_parser("build", parents=[common], help="build figures into the output folder")
    p.add_argument("recipes_selected", nargs="*", metavar="RECIPE", help="recipes to build (default: all)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter, for all recipes that have it or as RECIPE.KEY=VALUE",
    )
    p.add_argument("--config", metavar="FILE", help="figgen.toml to read (default: ./figgen.toml)")
    _add_options(p, [o.name for o in OPTIONS if o.flags])  # the build options, from their one table
    p.add_argument("--keep-going", dest="strict", action="store_false", help="build the others (default)")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing unless something fails")
    p.add_argument("--recipes", metavar="DIR", help=RECIPES_HELP)
    p.add_argument(
        "--watch", action="store_true", help="build again when a recipe, figgen.toml or the data changes"
    )
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("train", parents=[common], help="train the text's model once and print its log")
    _add_options(p, ["data", "split"])
    p.add_argument("--config", metavar="FILE", help="figgen.toml to read (default: ./figgen.toml)")
    p.add_argument(
        "--train-size", type=int, default=TEXT.TRAIN_SIZE, metavar="N", help="TRAIN_SIZE (%(default)s)"
    )
    p.add_argument(
        "--test-size", type=int, default=TEXT.TEST_SIZE, metavar="N", help="TEST_SIZE (%(default)s)"
    )
    p.add_argument(
        "--learning-rate",
        type=float,
        default=TEXT.LEARNING_RATE,
        metavar="X",
        help="LEARNING_RATE (%(default)s)",
    )
    p.add_argument(
        "--steps",
        type=int,
        default=TEXT.TRAIN_STEPS,
        metavar="N",
        help="TRAIN_STEPS (%(default)s; N+1 updates)",
    )
    p.add_argument(
        "--log-every", type=int, default=TEXT.LOG_EVERY, metavar="N", help="LOG_EVERY (%(default)s)"
    )
    p.add_argument("--force", action="store_true", help="train again even if the cache has this run")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser(
        "data", parents=[common], help="show the data set a build would use; `data fetch` downloads MNIST"
    )
    p.add_argument("action", nargs="?", choices=["show", "fetch"], default="show")
    _add_options(p, ["data", "split", "class_names"])
    p.add_argument("--config", metavar="FILE", help="figgen.toml to read (default: ./figgen.toml)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_data)

    from figgen.cli import deck  # figgen deck: a PowerPoint deck of the figures

    deck.register(sub, common, _add_options, _BuildReporter, _one_line)

    p = sub.add_parser(
        "clean", parents=[common], help="remove built outputs (and with --cache, the training cache)"
    )
    p.add_argument("--out", metavar="DIR", help="output folder (default: output/)")
    p.add_argument("--cache", action="store_true", help="also empty the training cache")
    p.set_defaults(func=_cmd_clean)

    recipes.register(sub, common)
    return parser


def _add_options(p, names: Sequence[str]) -> None:
    """Add build options' flags as their table gives them (:data:`figgen.builder.options.OPTIONS`); an
    option not given is None, so the configuration file's value or the default applies."""
    from figgen.builder.options import get_option

    for name in names:
        option = get_option(name)
        cli = dict(option.cli, help=option.help())
        p.add_argument(*option.flags, dest=option.name, default=None, **cli)


def _cmd_train(args) -> int:
    bar = _progress_bar(total=args.steps + 1, desc="training", unit="step", enabled=not args.json)
    result = api.train(
        data=args.data,
        split=args.split,
        config=args.config,
        force=args.force,
        allow_diverged=True,
        progress=_shown_on(bar) if bar else None,
        TRAIN_SIZE=args.train_size,
        TEST_SIZE=args.test_size,
        LEARNING_RATE=args.learning_rate,
        TRAIN_STEPS=args.steps,
        LOG_EVERY=args.log_every,
    )
    if bar:
        bar.close()
    data = api.load_dataset(args.data, split=args.split, config=args.config)
    if args.json:
        print(
            json.dumps(
                {
                    "log": [list(row) for row in result.log],
                    "final_accuracy": result.final_accuracy,
                    "final_loss": result.final_loss,
                    "diverged_at": result.diverged_at,
                    "train_size": args.train_size,
                    "test_size": args.test_size,
                    "learning_rate": args.learning_rate,
                    "steps": args.steps,
                    "log_every": args.log_every,
                    "data": {
                        "source": data.source,
                        "path": data.path,
                        "split": data.split,
                        "fingerprint": data.fingerprint,
                    },
                    "seconds": round(result.seconds, 3),
                    "cached": result.cached,
                }
            )
        )
    else:
        from figgen.analysis.training_log import log_lines

        for line in log_lines(result.log):
            print(line)
    if result.diverged_at is not None:
        from figgen.training import DivergedError

        diverged = DivergedError(args.learning_rate, result.diverged_at, args.steps)
        print(f"figgen: error: {_one_line(str(diverged))}", file=sys.stderr)
        return 2
    return 0


def _cmd_data(args) -> int:
    if args.action == "fetch":
        from figgen.data.fetch import fetch_mnist

        folder = fetch_mnist(progress=lambda line: print(_one_line(line), file=sys.stderr))
        data = api.load_dataset(folder)
        print(_one_line(f"full MNIST ready in {folder}: {data.n_train} training, {data.n_test} test images"))
        return 0
    data = api.load_dataset(args.data, split=args.split, class_names=args.class_names, config=args.config)
    info = data.describe()
    if args.json:
        print(json.dumps(info))
    else:
        lines = [
            f"source       {info['source']}",
            f"path         {info['path']}",
            f"training     {info['train']:,} images",
            f"test         {info['test']:,} images",
            f"split        {info['split']}",
            f"classes      {', '.join(info['class_names'])}",
            f"fingerprint  {info['fingerprint']}",
            *([f"note         {info['note']}"] if info["note"] else []),
        ]
        for line in lines:
            print(_one_line(line))
    return 0


def _cmd_build(args) -> int:
    if not args.watch:
        return _build_once(args)
    from figgen.cli.watch import recipe_folder, watch, watched_files
    from figgen.recipe.spec import default_recipe_dir

    builds = 0
    # the user's folder a build without --recipes or a configured one reads, fixed now: were recipes/
    # deleted, a later build must say so, never quietly build figgen's own recipes in place of the user's
    fallback = default_recipe_dir()

    def build() -> None:
        nonlocal builds
        try:  # the first build lists every output, later ones only what changed
            folder = recipe_folder(args.recipes, args.config, fallback)
            _build_once(args, changes_only=builds > 0, recipes=folder)
        except FiggenError as exc:
            if not builds:
                raise  # bad options or names: exit 2 at once, as without --watch
            # an edit broke it (or the recipe folder went): the next change may fix it
            print(f"figgen: error: {_one_line(str(exc))}", file=sys.stderr)
        builds += 1
        print("figgen: watching for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)

    def changed(paths) -> None:
        print(_one_line(f"figgen: changed: {', '.join(str(p) for p in paths)}; rebuilding"), file=sys.stderr)

    watch(build, lambda: watched_files(args.recipes, args.config, args.data, fallback), changed)
    return 0


def _build_once(args, changes_only: bool = False, recipes: str | None = None) -> int:
    """One build of the command line's options; ``recipes``: the recipe folder (default: ``--recipes``)."""
    from figgen.builder.options import parse_sets

    reporter = _BuildReporter(changes_only, quiet=args.quiet)
    result = api.build(
        args.recipes_selected,
        **{o.name: getattr(args, o.name) for o in OPTIONS if o.flags},
        params=parse_sets(args.set),
        config=args.config,
        recipes_dir=recipes or args.recipes,
        progress=reporter.event,
    )
    reporter.close()
    for r in result.recipes if not args.quiet else []:
        if changes_only and r.status == "up to date":
            continue
        print(f"{r.name:<20} {r.status if r.status != 'failed' else 'FAILED':<10} {r.seconds:6.2f} s")
    counts = {status: sum(r.status == status for r in result.recipes) for status in ("built", "up to date")}
    not_run = sum(r.status == "not run" for r in result.recipes)
    if not args.quiet:
        print(
            f"{len(result.recipes)} recipes ({counts['built']} built, {counts['up to date']} up to date, "
            f"{len(result.failures)} failed{f', {not_run} not run' if not_run else ''}), "
            f"{len(result.outputs)} outputs in {result.seconds:.1f} s"
        )
    for failure in result.failures:
        if failure.error is None:  # the build records every failure with its error
            raise RuntimeError(f"recipe {failure.name} failed, and the build recorded no error")
        print(f"figgen: error: {recipe_failed(failure.name, _one_line(failure.error))}", file=sys.stderr)
    return 0 if result.ok else 2 if result.user_error else 1


def _cmd_clean(args) -> int:
    for line in api.clean(args.out, cache=args.cache):
        print(_one_line(line))
    return 0


class _BuildReporter:
    """Turns build events into printed lines and progress: on a terminal, a bar of recipes and under it one
    of the task at hand (training updates, frames); in a pipe or a log, a line when a task starts. Quiet, it
    says nothing (failures are still told, at the end). ``changes_only`` leaves out the outputs that were up
    to date (a rebuild in watch mode)."""

    def __init__(self, changes_only: bool = False, quiet: bool = False):
        self.bar: tqdm | None = None  # the recipes
        self.task_bar: tqdm | None = None  # the task at hand
        self.task: tuple[str, str] | None = None  # (recipe, task)
        self.changes_only, self.quiet = changes_only, quiet

    def event(self, event: str, /, **info: Any) -> None:
        """A build's event (:class:`figgen.core.progress.BuildEvents`)."""
        if self.quiet:
            return
        if event == "start":
            self.bar = _progress_bar(total=info["total"], desc="building", unit="recipe")
        elif event == "waiting":
            print(_one_line(info["message"]), file=sys.stderr)
        elif event == "warning":
            self._line(f"figgen: warning: {_one_line(info['message'])}", sys.stderr)
        elif event == "progress":
            self._progress(info["recipe"], info["task"], info["done"], info["total"])
        elif event == "output" and not (self.changes_only and info["output"].status == "up to date"):
            o = info["output"]
            self._line(f"{o.status:<10} {o.path}  {o.width}x{o.height}  {o.bytes:,} bytes")
        elif event in ("recipe_done", "recipe_failed"):
            if event == "recipe_failed":
                self._line(f"FAILED     {info['recipe']}: {info['error']}")
            self._end_task()
            if self.bar:
                self.bar.update(1)

    def _progress(self, recipe: str, task: str, done: int, total: int | None) -> None:
        if (recipe, task) != self.task:
            self._end_task()
            self.task = (recipe, task)
            unit = "frame" if task.startswith("frames") else "update"
            if self.bar:
                self.task_bar = _progress_bar(total=total, desc=f"{recipe}: {task}", unit=unit, position=1)
            else:
                count = f" ({total:,} {unit}s)" if total else ""
                print(_one_line(f"{recipe}: {task}{count}"), file=sys.stderr, flush=True)
        if self.task_bar is not None:
            self.task_bar.total = total
            self.task_bar.update(done - self.task_bar.n)

    def _end_task(self) -> None:
        if self.task_bar is not None:
            self.task_bar.close()
        self.task_bar, self.task = None, None

    def _line(self, text: str, stream=None) -> None:
        text = _one_line(text)  # a path or a message with a newline in it is still one line
        if self.bar:
            self.bar.write(text, file=stream or sys.stdout)
        else:
            print(text, file=stream or sys.stdout)

    def close(self) -> None:
        self._end_task()
        if self.bar:
            self.bar.close()


def _progress_bar(
    total: int | None, desc: str, unit: str, enabled: bool = True, position: int = 0
) -> tqdm | None:
    """Return a tqdm bar on an interactive stderr, else None (no bars in pipes, logs or CI)."""
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False, position=position)


def _shown_on(bar: tqdm) -> Progress:
    """A :class:`~figgen.core.progress.Progress` that shows ``done`` of ``total`` on ``bar``."""

    def update_to(done: int, total: int | None) -> None:
        bar.total = total
        bar.update(done - bar.n)

    return update_to


if __name__ == "__main__":
    sys.exit(main())
