"""Running the recipes a build planned: one job per recipe, in this process or in worker processes.

A job carries everything its process needs as plain values (the recipe as read, its checked parameter
values, the build's settings), so a worker neither re-plans nor re-checks. A failing recipe is a result,
not an exception: the build goes on with the others and reports it at the end.
"""

from __future__ import annotations

import contextlib
import os
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from figgen.errors import FiggenError
from figgen.recipe import Recipe


@dataclass(frozen=True)
class Settings:
    """What every job of one build shares."""

    out: str
    cache: str
    data: str
    theme: str
    preset: str
    formats: tuple[str, ...] | None
    quick: bool


@dataclass(frozen=True)
class Job:
    """One recipe to run, with its checked parameter values and the stamp its outputs will carry."""

    recipe: Recipe
    values: dict
    stamp: str


@dataclass
class JobResult:
    """What running a job gave: the records of the files written, or the error; and the time it took."""

    records: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    user_error: bool = False  # a FiggenError (bad input), as opposed to a bug


def run_job(job: Job, settings: Settings) -> JobResult:
    """Run one recipe; never raises (except Ctrl-C), a failure is in the result."""
    from figgen.cache import Cache
    from figgen.context import RecipeContext
    from figgen.recipe import load_make
    from figgen.themes import get_preset, get_theme

    started = time.perf_counter()
    try:
        ctx = RecipeContext.for_recipe(
            job.recipe,
            job.values,
            data_source=settings.data,
            theme=get_theme(settings.theme),
            preset=get_preset(settings.preset),
            formats=settings.formats,
            out_dir=Path(settings.out),
            cache=Cache(settings.cache),
            quick=settings.quick,
        )
        with _matplotlib_defaults():
            load_make(job.recipe)(ctx, ctx.params)
        missing = ctx.outputs.missing()
        if missing:
            raise FiggenError(f"declared output(s) {', '.join(missing)} were not written")
        return JobResult(ctx.outputs.records, time.perf_counter() - started)
    except KeyboardInterrupt:
        raise
    except FiggenError as exc:
        return JobResult(seconds=time.perf_counter() - started, error=str(exc), user_error=True)
    except Exception as exc:  # noqa: BLE001 - a failing recipe is reported, the build goes on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        return JobResult(seconds=time.perf_counter() - started, error=message)


def run_jobs(
    jobs: list[Job],
    settings: Settings,
    workers: int,
    strict: bool,
    finished: Callable[[Job, JobResult], None],
) -> None:
    """Run ``jobs``, calling ``finished(job, result)`` in this process as each one ends.

    With ``strict``, the first failure stops jobs that have not started; running ones finish and count.
    """
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            result = run_job(job, settings)
            finished(job, result)
            if strict and result.error:
                return
        return
    import multiprocessing

    # "spawn": TensorFlow is not fork-safe. Each worker gets a share of the cores for its TF threads.
    threads = str(max(1, (os.cpu_count() or 1) // workers))
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", threads)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(run_job, job, settings): job for job in jobs}
        for future in as_completed(futures):
            if future.cancelled():
                continue
            result = future.result()
            finished(futures[future], result)
            if strict and result.error:
                for other in futures:
                    other.cancel()


@contextlib.contextmanager
def _matplotlib_defaults():
    """Run a recipe with matplotlib's default settings, restoring whatever was set before."""
    import matplotlib

    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        yield
