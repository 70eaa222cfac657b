"""Training ahead: a serial build trains in a background thread while it draws the recipes that wait for none.

Drawing holds one core (matplotlib, Pillow and the frame writers run in Python), and training leaves part of
two idle between its small per-step ops; side by side on two cores they overlap. While a serial build runs
a recipe, :data:`~figgen.files.cache.ELSEWHERE` is an :class:`Ahead`: a training-cache miss is handed to its
one training thread, and the recipe that asked stops with :class:`Waiting` (its staged files are discarded: a
recipe asks for its training before it draws). The build runs the next recipe meanwhile, and the waiting one
again, before any other, once its training is stored. Every request for one entry shares one training. Of
the trainings queued, the cheapest by its estimated work goes first (ties in the order asked): a recipe
that waits for a small one draws while a large one trains, instead of after it. A training that failed
fails each recipe that asks for it, with its error.

Only the build's thread reports: progress heard on the training thread is held, and shown while the build
has nothing else to do but wait for it; the cache's warnings there are kept for the recipe that asked first
(:meth:`Ahead.warnings`). Closing cancels what is queued and stops the training under way at its next
progress report (a tenth of a second or so), or its wait for another process's lock; it stores nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import FIRST_COMPLETED, Future, wait

from figgen.core.progress import TaskProgress
from figgen.files.cache import ELSEWHERE, WARNINGS


class Waiting(BaseException):  # not an error: a recipe's `except Exception` must not catch it
    """The recipe asked for a training that is not done yet; ``future`` is done when it is."""

    def __init__(self, future: Future):
        super().__init__("waiting for a training")
        self.future = future


class Cancelled(Exception):  # a deliberate stop, not a failure
    """The build is over: the training under way stops here."""


class Ahead:
    """Trainings computed on one background thread, the cheapest queued first (ties in the order asked);
    use as a context manager."""

    def __init__(self):
        self._futures: dict[Hashable, Future] = {}
        self._queue: list[tuple[float, Future, Callable]] = []  # (estimated work, ...), in the order asked
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._heard: tuple[TaskProgress, str, int, int | None] | None = None
        self._warnings: dict[Future, list[str]] = {}

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __call__(self, name: Hashable, compute: Callable, cost: float = 0.0):
        """Return ``compute(stop)``'s result once the training thread has computed it (or raise its error);
        until then queue it (once per ``name``) and raise :class:`Waiting`. ``stop()`` raises
        :class:`Cancelled` once the Ahead is closed. ``cost``: its estimated work, cheapest first."""
        future = self._futures.get(name)
        if future is None:
            self._start()  # first: if TensorFlow cannot be imported, nothing is left waiting
            future = self._futures[name] = Future()
            with self._ready:
                self._queue.append((float(cost), future, compute))
                self._ready.notify()
        if future.done():
            return future.result()
        raise Waiting(future)

    def listen(self, tell: TaskProgress | None) -> TaskProgress:
        """``tell`` as a recipe's progress callback: on the build's thread it is called; on the training
        thread what it hears is held for :meth:`wait` to show, and a closed Ahead stops the training."""

        def heard(task: str, done: int, total: int | None) -> None:
            if threading.current_thread() is not self._thread:
                if tell is not None:
                    tell(task, done, total)
                return
            self._stop()
            if tell is not None:
                self._heard = (tell, task, done, total)

        return heard

    def wait(self, futures: list[Future]) -> None:
        """Wait until one of ``futures`` is done, showing the training's progress meanwhile."""
        while not wait(futures, timeout=0.1, return_when=FIRST_COMPLETED).done:
            heard = self._heard  # once: the training thread may clear it meanwhile
            if heard is not None:
                tell, task, done, total = heard
                tell(task, done, total)

    def warnings(self, future: Future) -> list[str]:
        """The cache's warnings while computing ``future``, the first time they are asked for; then []."""
        return self._warnings.pop(future, [])

    def close(self) -> None:
        """Cancel what is queued, stop the training under way at its next report, and wait for the thread."""
        with self._ready:
            self._closed = True
            for _, future, _ in self._queue:
                future.cancel()
            self._queue.clear()
            self._ready.notify()
        if self._thread is not None:
            self._thread.join()

    def _start(self) -> None:
        if self._thread is not None:
            return
        # TensorFlow's import holds the interpreter lock for its ~2 s anyway, and points the process's
        # stderr at /dev/null meanwhile: it is done here, on the build's thread, where nothing else prints
        from figgen.training._tf import training_tensorflow

        training_tensorflow()
        self._thread = threading.Thread(target=self._work, name="figgen-training", daemon=True)
        self._thread.start()

    def _stop(self) -> None:
        if self._closed:
            raise Cancelled("the build ended")

    def _work(self) -> None:
        ELSEWHERE.set(None)  # this thread computes what it is handed (threads may inherit the context)
        while True:
            with self._ready:
                while not self._queue and not self._closed:
                    self._ready.wait()
                if self._closed:
                    return
                cheapest = min(range(len(self._queue)), key=lambda i: self._queue[i][0])  # first of equals
                _, future, compute = self._queue.pop(cheapest)
            if not future.set_running_or_notify_cancel():
                continue
            said = self._warnings[future] = []
            token = WARNINGS.set(said)
            try:
                result = compute(self._stop)
            except BaseException as exc:  # handed to every recipe that asks for it
                future.set_exception(exc)
            else:
                future.set_result(result)
            finally:
                WARNINGS.reset(token)
                self._heard = None
