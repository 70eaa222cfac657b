"""Running the recipes a build planned: one job per recipe, in this process or in worker processes.

A job carries everything its process needs as plain values (the recipe as read, its checked parameter
values, the build's options), so a worker neither re-plans nor re-checks. A failing recipe is a result,
not an exception: the build goes on with the others and reports it at the end. So is a recipe that calls
``sys.exit``, and, with worker processes, one whose worker dies under it (``os._exit``, a crash, the OOM
killer's SIGKILL): each worker runs one job at a time, so the job of a worker that died is known, and a
fresh worker takes the next. In this process the recipes run in turn while their trainings run on a thread
beside them (:mod:`figgen.training.ahead`): a recipe whose training is not stored yet waits, and the next
one draws meanwhile.

Stopping: Ctrl-C or SIGTERM in the build's process (the command line makes both a KeyboardInterrupt)
unwinds the recipe under way there, which removes its staged files. The workers leave Ctrl-C (which a
terminal sends the whole process group) to the build, which sends each a SIGTERM: the job under way
unwinds and removes its staged files too. A worker that has not ended a few seconds later is killed, and
the temporaries of the ended workers are removed (those of a dead process are no one's). A second signal
meanwhile does not cut this short.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
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
    """Run one recipe; never raises (except Ctrl-C and SIGTERM), a failure is in the result, ``sys.exit``
    in the recipe included. A failed or interrupted recipe leaves nothing behind: its staged files are
    removed. ``progress(task, done, total)`` hears of
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
            with _shielded(unwinding=not isinstance(exc, (Exception, Waiting, SystemExit))):
                ctx.outputs.discard()
        if isinstance(exc, Waiting):
            return JobResult(seconds=time.perf_counter() - started, waiting_for=exc.future)
        if isinstance(exc, SystemExit):  # the recipe's own end, not the build's
            code = "" if exc.code is None else repr(exc.code)
            return JobResult(seconds=time.perf_counter() - started, error=f"it called sys.exit({code})")
        if not isinstance(exc, Exception):  # Ctrl-C, SIGTERM: unwind
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
    return _Workers(options, min(workers, len(jobs))).run(jobs, strict, finished)


GRACE = 5.0  # seconds a worker told to stop (SIGTERM) has to unwind before it is killed


class _Worker:
    """One worker process (``spawn``: TensorFlow is not fork-safe) and the build's end of its pipe; it runs
    the jobs sent to it one at a time and dies with the build, even a SIGKILLed one
    (:func:`_die_with_parent`)."""

    def __init__(self, context, options: BuildOptions, started: list[_Worker]):
        self.conn, theirs = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(theirs, options, os.getpid()), name="figgen-worker", daemon=False
        )
        self.job: Job | None = None
        self.started = 0.0
        self.ended = False
        started.append(self)  # first: whatever happens from here, the build ends it
        with _signals_blocked():  # it starts with them blocked, until it has its own handlers
            self.process.start()
        theirs.close()

    def give(self, job: Job) -> None:
        self.conn.send(job)
        self.job, self.started = job, time.perf_counter()

    def result(self) -> JobResult | None:
        """The result it sent, or None when it died instead."""
        try:
            if self.conn.poll():
                result = self.conn.recv()
                if isinstance(result, JobResult):
                    return result
        except Exception:  # closed, or cut short: it died sending
            pass
        return None

    def death(self) -> str:
        """How it died, in words, once it has (reaped: its process id no longer counts as running). One
        that closed its end but still runs is killed."""
        if self.process.pid is None:  # never started
            return "it did not start"
        self.process.join(GRACE)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
            return "it stopped answering"
        code = self.process.exitcode
        assert code is not None
        if code >= 0:
            return f"exit code {code}"
        number = -code
        if number == getattr(signal, "SIGKILL", None):
            return f"killed by signal {number}: out of memory?"
        try:
            return f"killed by signal {number} ({signal.Signals(number).name})"
        except ValueError:
            return f"killed by signal {number}"

    def close(self) -> None:
        self.conn.close()
        self.ended = True


class _Workers:
    """Worker processes running a build's jobs, no more than ``count`` at a time."""

    def __init__(self, options: BuildOptions, count: int):
        import multiprocessing

        # each worker gets a share of the cores for its TensorFlow threads
        os.environ.setdefault("TF_NUM_INTRAOP_THREADS", str(max(1, (os.cpu_count() or 1) // count)))
        self.context = multiprocessing.get_context("spawn")
        self.options, self.count = options, count
        self.idle: list[_Worker] = []
        self.busy: list[_Worker] = []
        self.started: list[_Worker] = []  # every worker, from its start: each is ended, whatever happens

    def run(self, jobs: list[Job], strict: bool, finished: Callable[[Job, JobResult], None]) -> list[Job]:
        todo = list(jobs)
        stopping = ended = False
        try:
            while self.busy or (todo and not stopping):
                while todo and not stopping and len(self.busy) < self.count:
                    self._give(todo.pop(0))
                for job, result in self._collect():
                    with _shielded(unwinding=False):  # a commit is never cut in two (see the module)
                        finished(job, result)
                    stopping = stopping or (strict and result.error is not None)
            ended = True
            return todo if stopping else []
        finally:
            self._close(ended)

    def _give(self, job: Job) -> None:
        """Send ``job`` to an idle worker that still runs, or to a new one."""
        while True:
            for dead in [w for w in self.idle if not w.process.is_alive()]:
                self.idle.remove(dead)
                self._forget(dead)
            worker = self.idle.pop() if self.idle else _Worker(self.context, self.options, self.started)
            try:
                worker.give(job)
            except OSError:  # it died just now: another
                self._forget(worker)
                continue
            self.busy.append(worker)
            return

    def _collect(self) -> list[tuple[Job, JobResult]]:
        """Wait (a second at most) until busy workers send their results or die; each such job's result."""
        from multiprocessing.connection import wait

        waited = [w.conn for w in self.busy] + [w.process.sentinel for w in self.busy]
        ready = set(wait(waited, timeout=1.0))
        ended = []
        for worker in [w for w in self.busy if w.conn in ready or w.process.sentinel in ready]:
            result = worker.result()
            self.busy.remove(worker)
            job = worker.job
            assert job is not None
            if result is None:
                result = JobResult(
                    seconds=time.perf_counter() - worker.started,
                    error=f"its worker process died ({worker.death()})",
                )
                self._forget(worker)
            else:
                worker.job = None
                self.idle.append(worker)
            ended.append((job, result))
        return ended

    def _forget(self, worker: _Worker) -> None:
        """A worker that died: what it had staged is no one's now, so it goes."""
        worker.death()
        worker.close()
        self._remove_leftovers()

    def _close(self, ended: bool) -> None:
        """End the workers: idle ones when told, busy ones (the build stopped) by SIGTERM, then by SIGKILL
        when they take longer than :data:`GRACE`; remove what stopped or dead ones staged."""
        for worker in [w for w in self.started if w.process.pid is None]:  # a start that was cut short
            worker.close()
        workers = [w for w in self.started if not w.ended]
        with _shielded(unwinding=not ended):
            for worker in workers:
                try:
                    if ended and worker in self.idle:
                        worker.conn.send(None)
                    else:
                        worker.process.terminate()
                except (OSError, ValueError):
                    pass
            deadline = time.monotonic() + GRACE
            for worker in workers:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            for worker in workers:
                if worker.process.is_alive():
                    worker.process.kill()
                    worker.process.join()
                worker.close()
            if not ended:
                self._remove_leftovers()
        self.idle, self.busy, self.started = [], [], []

    def _remove_leftovers(self) -> None:
        from figgen.files.atomic import remove_leftovers
        from figgen.files.cache import Cache

        remove_leftovers(self.options.out)
        try:
            remove_leftovers(Cache(self.options.cache).folder)
        except (FiggenError, OSError):
            pass


class _Stopped(BaseException):  # not an Exception: a recipe's `except Exception` must not catch it
    """The build told this worker to stop (SIGTERM)."""


def _serve(conn: Connection, options: BuildOptions, parent: int) -> None:
    """A worker process: run each job the build sends, send back its result; end on None, on SIGTERM (the
    job under way unwinds, removing its staged files) or when the build has gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the build acts on it
    signal.signal(signal.SIGTERM, _stop)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    _die_with_parent(parent)
    try:
        while True:
            job = conn.recv()
            if job is None:
                return
            try:
                result = run_job(job, options)
            except _Stopped:
                raise
            except BaseException as exc:  # the recipe raised KeyboardInterrupt itself, say: its failure
                result = JobResult(error=f"it raised {type(exc).__name__}")
            conn.send(result)
    except (_Stopped, EOFError, OSError):
        pass


def _stop(signum, frame):
    """SIGTERM in a worker: unwind the job under way, quietly (a library's log lines about the file it was
    writing would only muddle the build's one line)."""
    import logging

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.disable(logging.CRITICAL)
    raise _Stopped


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread meanwhile (a process started meanwhile starts with them
    blocked); what arrives meanwhile is handled after."""
    if not hasattr(signal, "pthread_sigmask"):  # not POSIX: a signal meanwhile is handled at once
        yield
        return
    blocked = {signal.SIGINT, signal.SIGTERM}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextlib.contextmanager
def _shielded(unwinding: bool) -> Iterator[None]:
    """Let no Ctrl-C or SIGTERM cut short the cleanup in the block. While ``unwinding`` (from one already)
    another is dropped; otherwise it is raised after the block."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    heard: list[int] = []
    replaced = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(signum)
        if callable(handler):
            replaced[signum] = handler
            signal.signal(signum, lambda number, frame: heard.append(number))
    try:
        yield
    finally:
        for signum, handler in replaced.items():
            signal.signal(signum, handler)
    if heard and not unwinding:
        signal.raise_signal(heard[0])


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
            with _shielded(unwinding=False):  # a commit is never cut in two
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
