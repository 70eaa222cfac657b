"""Training ahead (figgen.training.ahead): trainings on one background thread, asked for by recipes that
wait meanwhile; and a serial build that uses it."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest

from figgen.atomic import is_temporary
from figgen.training.ahead import Ahead, Cancelled, Waiting
from tests.conftest import write_recipe


def ask(ahead: Ahead, name, compute):
    """Ask once: the result, or the future to wait for."""
    try:
        return ahead(name, compute)
    except Waiting as waiting:
        return waiting.future


def test_one_training_per_name_on_another_thread_handed_to_each_asker():
    calls = []

    def compute():
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

    def failing():
        order.append("bad")
        raise ValueError("training size 0")

    with Ahead() as ahead:
        bad = ask(ahead, "bad", failing)
        good = ask(ahead, "good", lambda: order.append("good") or 1)
        ahead.wait([good])
        assert bad.done() and order == ["bad", "good"]
        for _ in range(2):
            with pytest.raises(ValueError, match="training size 0"):
                ahead("bad", failing)
        assert ahead("good", None) == 1


def test_a_recipe_catching_exceptions_does_not_catch_the_wait():
    with Ahead() as ahead, pytest.raises(Waiting):
        try:
            ahead("slow", lambda: time.sleep(0.2))
        except Exception:  # what a recipe might write around its training
            pytest.fail("Waiting was caught as an Exception")


def test_progress_heard_on_the_training_thread_is_shown_by_the_waiting_thread():
    shown, release = [], threading.Event()

    def tell(task, done, total):
        shown.append((threading.current_thread().name, task, done, total))
        release.set()

    with Ahead() as ahead:
        heard = ahead.listen(tell)

        def compute():
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

    def endless():
        started.set()
        while True:
            heard("training", len(reports), None)
            reports.append(1)
            time.sleep(0.01)

    running = ask(ahead, "endless", endless)
    queued = ask(ahead, "queued", lambda: queued_ran.append(1))
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
from figgen.draw import weights_frame

PARAMS = {"TRAIN_SIZE": 50, "TEST_SIZE": 100, "LEARNING_RATE": 0.1, "TRAIN_STEPS": 100000}
OUTPUTS = {"long": "still"}


def make(ctx, p):
    run = ctx.run()
    ctx.image("long", weights_frame(run.weights, ctx.theme, ctx.preset), alt="Weights after a long run.")
'''


def test_ctrl_c_while_the_training_thread_trains_stops_it_and_stores_nothing(project):
    write_recipe(project / "recipes", "long", LONG_TRAINING)
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
