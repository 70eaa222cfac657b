"""Running the recipes a build planned: one job per recipe, in this process or in worker processes.

A job carries everything its process needs as plain values (the recipe as read, its checked parameter
values, the build's options), so a worker neither re-plans nor re-checks. A failing recipe is a result,
not an exception: the build goes on with the others and reports it at the end. In this process the
recipes run in turn while their trainings run on a thread beside them (:mod:`figgen.training.ahead`): a
recipe whose training is not stored yet waits, and the next one draws meanwhile.
"""

from __future__ import annotations

import collections
import contextlib
import os
import time
import traceback
import warnings
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from figgen.builder.options import BuildOptions
from figgen.core.errors import FiggenError, FiggenWarning
from figgen.core.progress import TaskProgress
from figgen.files.atomic import NO_ROOM
from figgen.recipe.spec import Recipe
from figgen.training.ahead import Ahead, Waiting
from figgen.writers.record import OutputRecord


@dataclass(frozen=True)
class Job:
    """One recipe to run, with its checked parameter values and the stamp its outputs will carry."""

    recipe: Recipe
    values: dict
    stamp: str


@dataclass
class JobResult:
    """What running a job gave: the records of the files it staged, or the error; the time it took; and
    the warnings it raised (a worker process cannot print them itself)."""

    records: list[OutputRecord] = field(default_factory=list)
    staged: list[tuple[str, str]] = field(default_factory=list)  # (temporary, final) names, to commit
    seconds: float = 0.0
    error: str | None = None
    user_error: bool = False  # a FiggenError (bad input), as opposed to a bug
    warnings: list[str] = field(default_factory=list)
    waiting_for: Future | None = None  # not done: the training it waits for (figgen.training.ahead)


def run_job(
    job: Job, options: BuildOptions, progress: TaskProgress | None = None, ahead: Ahead | None = None
) -> JobResult:
    """Run one recipe; never raises (except Ctrl-C), a failure is in the result. A failed or interrupted
    recipe leaves nothing behind: its staged files are removed. ``progress(task, done, total)`` hears of
    its training and frames as they go. With ``ahead``, a training not in the cache is handed to it and the
    result says what the recipe waits for (``waiting_for``): run it again when that is done."""
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FiggenWarning)
        result = _run(job, options, started, progress, ahead)
    result.warnings = [str(w.message) for w in caught if issubclass(w.category, FiggenWarning)]
    return result


def _run(job: Job, options: BuildOptions, started: float, progress: TaskProgress | None, ahead) -> JobResult:
    from figgen.core.themes import get_preset, get_theme
    from figgen.files.cache import ELSEWHERE, Cache
    from figgen.recipe.context import RecipeContext
    from figgen.recipe.spec import load_make

    ctx = None
    try:
        ctx = RecipeContext.for_recipe(
            job.recipe,
            job.values,
            data_source=options.data,
            data_options={"split": options.split, "class_names": options.class_names},
            theme=get_theme(options.theme, options.palette, options.background),
            preset=get_preset(options.preset),
            formats=options.formats,
            out_dir=Path(options.out),
            cache=Cache(options.cache),
            quick=options.quick,
            pace=options.pace,
            progress=progress,
        )
        token = ELSEWHERE.set(ahead)
        try:
            with _matplotlib_defaults():
                load_make(job.recipe)(ctx, ctx.params)
        finally:
            ELSEWHERE.reset(token)
        missing = ctx.outputs.missing()
        if missing:
            raise FiggenError(f"declared output(s) {', '.join(missing)} were not written")
        return JobResult(ctx.outputs.records, list(ctx.outputs.staged), time.perf_counter() - started)
    except BaseException as exc:
        if ctx is not None:
            ctx.outputs.discard()
        if isinstance(exc, Waiting):
            return JobResult(seconds=time.perf_counter() - started, waiting_for=exc.future)
        if not isinstance(exc, Exception):  # Ctrl-C, SIGTERM, exit: unwind
            raise
        if isinstance(exc, FiggenError):
            return JobResult(seconds=time.perf_counter() - started, error=str(exc), user_error=True)
        if isinstance(exc, OSError) and exc.errno in NO_ROOM:
            message = f"cannot write {exc.filename or 'a file'}: {exc.strerror}"
            return JobResult(seconds=time.perf_counter() - started, error=message, user_error=True)
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        return JobResult(seconds=time.perf_counter() - started, error=message)


def run_jobs(
    jobs: list[Job],
    options: BuildOptions,
    workers: int,
    strict: bool,
    finished: Callable[[Job, JobResult], None],
    progress: Callable[[Job, str, int, int | None], None] | None = None,
) -> list[Job]:
    """Run ``jobs``, calling ``finished(job, result)`` in this process as each one ends.

    With ``strict``, the first failure stops jobs that have not started (running ones finish and count);
    returns the jobs that never ran. ``progress(job, task, done, total)`` hears how jobs run in this process
    go (jobs in worker processes report only their end).
    """
    if workers <= 1 or len(jobs) <= 1:
        return _run_in_turn(jobs, options, strict, finished, progress)
    import multiprocessing

    # "spawn": TensorFlow is not fork-safe. Each worker gets a share of the cores for its TF threads, and
    # dies with this process: a killed build leaves no worker writing on.
    threads = str(max(1, (os.cpu_count() or 1) // workers))
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", threads)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, context, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(run_job, job, options): job for job in jobs}
        for future in as_completed(futures):
            if future.cancelled():
                continue
            result = future.result()
            finished(futures[future], result)
            if strict and result.error:
                for other in futures:
                    other.cancel()
        return [job for future, job in futures.items() if future.cancelled()]


def _run_in_turn(jobs, options, strict, finished, progress) -> list[Job]:
    """Run the jobs one after another in this process, training ahead (:mod:`figgen.training.ahead`): a
    recipe whose training is not stored yet waits while the next ones run, and runs again, before any
    other, once it is. Its attempts' times and warnings add up to its result."""
    todo = list(jobs)
    waiting: list[tuple[Job, JobResult, Future]] = []  # (job, its attempts so far, the training it awaits)
    with Ahead() as ahead:
        while todo or waiting:
            ready = [w for w in waiting if w[2].done()]
            if not ready and not todo:
                ahead.wait([future for _, _, future in waiting])
                continue
            before: JobResult | None = None
            awaited: Future | None = None
            if ready:
                job, before, awaited = waiting.pop(waiting.index(ready[0]))
            else:
                job = todo.pop(0)
            tell = (lambda task, done, total, job=job: progress(job, task, done, total)) if progress else None
            result = run_job(job, options, ahead.listen(tell), ahead)
            if before is not None:
                result.seconds += before.seconds
                earlier = before.warnings + (ahead.warnings(awaited) if awaited is not None else [])
                result.warnings = earlier + _new(result.warnings, earlier)
            if result.waiting_for is not None:
                waiting.append((job, result, result.waiting_for))
                continue
            finished(job, result)
            if strict and result.error:
                left = {id(j) for j in todo} | {id(j) for j, _, _ in waiting}
                return [j for j in jobs if id(j) in left]
    return []


def _new(said: list[str], before: list[str]) -> list[str]:
    """The warnings of a recipe's new attempt that its earlier attempts did not already give (it runs the
    same code again up to its training, which says the same things again)."""
    unsaid = collections.Counter(before)
    fresh = []
    for message in said:
        if unsaid[message]:
            unsaid[message] -= 1
        else:
            fresh.append(message)
    return fresh


def _die_with_parent(parent: int) -> None:
    """In a worker: end as soon as the build process ends, even by SIGKILL (which it cannot pass on).

    Linux delivers a signal on the parent's death (``PR_SET_PDEATHSIG``); elsewhere a thread polls.
    """
    import signal
    import threading

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


@contextlib.contextmanager
def _matplotlib_defaults():
    """Run a recipe with matplotlib's default options, restoring whatever was set before."""
    import matplotlib

    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        yield
