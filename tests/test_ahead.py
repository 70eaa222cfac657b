"""Training ahead (figgen.training.ahead): trainings on one background thread, asked for by recipes that
wait meanwhile; and a serial build that uses it."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from figgen.files.atomic import is_temporary
from figgen.training.ahead import Ahead, Cancelled, Waiting
from tests.conftest import write_recipe


def ask(ahead: Ahead, name, compute, cost: float = 0.0):
    """Ask once: the result, or the future to wait for."""
    try:
        return ahead(name, compute, cost)
    except Waiting as waiting:
        return waiting.future


def test_one_training_per_name_on_another_thread_handed_to_each_asker():
    calls = []

    def compute(stop):
        calls.append(threading.current_thread().name)
        return "weights"

    with Ahead() as ahead:
        first = ask(ahead, "run", compute)
        second = ask(ahead, "run", compute)
        assert second is first  # one future for both askers
        ahead.wait([first])
        assert ahead("run", compute) == "weights" and ahead("run", compute) == "weights"
    assert calls == ["figgen-training"]


def test_trainings_run_in_the_order_asked_and_a_failure_fails_each_asker():
    order = []

    def failing(stop):
        order.append("bad")
        raise ValueError("training size 0")

    with Ahead() as ahead:
        bad = ask(ahead, "bad", failing)
        good = ask(ahead, "good", lambda stop: order.append("good") or 1)
        ahead.wait([good])
        assert bad.done() and order == ["bad", "good"]
        for _ in range(2):
            with pytest.raises(ValueError, match="training size 0"):
                ahead("bad", failing)
        assert ahead("good", None) == 1


def test_of_the_trainings_queued_the_cheapest_goes_first():
    """While one trains, a sweep, a grid and two runs are asked for: the runs (cheap) go before the sweep and
    the grid, equal costs in the order asked; so a recipe waiting for a small training draws while a large
    one trains (before, a build's learning-rate runs and overfitting's small run waited behind the grid)."""
    order, started, release = [], threading.Event(), threading.Event()

    def first(stop):
        started.set()
        release.wait(5)
        order.append("first")

    def named(name):
        return lambda stop: order.append(name)

    with Ahead() as ahead:
        ask(ahead, "first", first)
        started.wait(5)  # training now: what is asked next queues
        ask(ahead, "sweep", named("sweep"), 50.0)
        ask(ahead, "grid", named("grid"), 116.0)
        ask(ahead, "rates", named("rates"), 14.0)
        last = ask(ahead, "small", named("small"), 14.0)
        release.set()
        ahead.wait([ask(ahead, "grid", None)])
        assert last.done() and order == ["first", "rates", "small", "sweep", "grid"]


def test_a_recipe_catching_exceptions_does_not_catch_the_wait():
    with Ahead() as ahead, pytest.raises(Waiting):
        try:
            ahead("slow", lambda stop: time.sleep(0.2))
        except Exception:  # what a recipe might write around its training
            pytest.fail("Waiting was caught as an Exception")


def test_progress_heard_on_the_training_thread_is_shown_by_the_waiting_thread():
    shown, release = [], threading.Event()

    def tell(task, done, total):
        shown.append((threading.current_thread().name, task, done, total))
        release.set()

    with Ahead() as ahead:
        heard = ahead.listen(tell)

        def compute(stop):
            heard("training", 5, 10)  # held: the training thread never reports itself
            release.wait(30)
            return "done"

        future = ask(ahead, "run", compute)
        ahead.wait([future])  # shows what was heard, which lets the training end
        heard("frames", 1, 2)  # on the build's thread: told at once
    assert shown[0] == ("MainThread", "training", 5, 10)
    assert shown[-1] == ("MainThread", "frames", 1, 2)
    assert {name for name, *_ in shown} == {"MainThread"}


def test_closing_stops_the_training_at_its_next_report_and_cancels_the_queue():
    started, reports, queued_ran = threading.Event(), [], []
    ahead = Ahead()
    heard = ahead.listen(None)

    def endless(stop):
        started.set()
        while True:
            heard("training", len(reports), None)
            reports.append(1)
            time.sleep(0.01)

    running = ask(ahead, "endless", endless)
    queued = ask(ahead, "queued", lambda stop: queued_ran.append(1))
    assert started.wait(30)
    closer = threading.Thread(target=ahead.close)
    closer.start()
    closer.join(30)
    assert not closer.is_alive()  # the endless training stopped
    assert isinstance(running.exception(), Cancelled)
    assert queued.cancelled() and not queued_ran


LONG_TRAINING = '''
"""Long training.

Trains the text's model for many steps, then draws its weights.
"""
from figgen.kit import weights_frame

PARAMS = {"TRAIN_SIZE": 50, "TEST_SIZE": 100, "LEARNING_RATE": 0.1, "TRAIN_STEPS": 100000}
OUTPUTS = {"long": "still"}


def make(ctx, p):
    weights = WEIGHTS
    ctx.image("long", weights_frame(weights, ctx.theme, ctx.preset), alt="Weights after a long run.")
'''


@pytest.mark.parametrize(
    "weights",
    ["ctx.train().weights", "ctx.train_rates([0.1, 0.5])[0].weights", "ctx.sweep([10, 50]).weights[-1]"],
)
def test_ctrl_c_while_the_training_thread_trains_stops_it_and_stores_nothing(project, weights):
    write_recipe(project / "recipes", "long", LONG_TRAINING.replace("WEIGHTS", weights))
    child = subprocess.Popen(
        [sys.executable, "-m", "figgen", "build", "long", "--out", "out"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in child.stderr:  # a piped build says what the build waits for
        if line.startswith("long: training"):
            break
    child.send_signal(signal.SIGINT)
    child.communicate(timeout=120)  # the training stops at its next report, ~100 updates on
    assert child.returncode == 130
    cache = project / "cache"
    assert not list(cache.glob("*.npz")) and not [p for p in cache.iterdir() if is_temporary(p.name)]
    assert not (project / "out" / "long.png").exists()


def test_a_training_that_cannot_start_fails_each_asker_and_leaves_none_waiting(monkeypatch):
    import figgen.training._tf as tf_module

    def missing():
        raise ImportError("No module named 'tensorflow'")

    monkeypatch.setattr(tf_module, "training_tensorflow", missing)
    with Ahead() as ahead:
        for _ in range(2):  # the second asker gets the error too, not a wait that never ends
            with pytest.raises(ImportError, match="tensorflow"):
                ahead("run", lambda stop: 1)


def test_closing_stops_a_wait_for_another_process_lock_and_stores_nothing(tmp_path):
    import fcntl

    from figgen.files.cache import ELSEWHERE, Cache

    cache, computed = Cache(tmp_path / "cache"), []
    path = cache.path("run", "ab" * 32)
    path.parent.mkdir()
    with open(path.with_suffix(".lock"), "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as another build computing the same entry would
        ahead = Ahead()
        token = ELSEWHERE.set(ahead)
        try:
            with pytest.raises(Waiting) as waiting:
                cache.get_or_compute("run", "ab" * 32, lambda: computed.append(1) or ({}, {}))
        finally:
            ELSEWHERE.reset(token)
        time.sleep(0.3)  # the training thread now waits for the lock
        closer = threading.Thread(target=ahead.close)
        closer.start()
        closer.join(30)
        assert not closer.is_alive()
    assert isinstance(waiting.value.future.exception(), Cancelled)
    assert not computed and not path.exists()


def test_the_cache_warnings_of_a_training_are_kept_for_the_recipe_that_asked_first(tmp_path):
    from figgen.files.cache import Cache

    cache = Cache(tmp_path / "cache")
    damaged = cache.path("run", "cd" * 32)
    damaged.parent.mkdir()
    damaged.write_bytes(b"damaged")

    def nested(stop):  # like a sweep loading its largest model's run, on the training thread
        return cache.get_or_compute("run", "cd" * 32, lambda: ({"w": np.zeros(2)}, {}))

    with Ahead() as ahead:
        future = ask(ahead, "sweep", nested)
        ahead.wait([future])
        said = ahead.warnings(future)
        assert len(said) == 1 and said[0].startswith(f"damaged training cache entry {damaged}")
        assert ahead.warnings(future) == []  # told once
