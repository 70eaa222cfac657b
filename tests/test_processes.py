"""A build's processes: SIGTERM and Ctrl-C stop a build and its workers promptly and leave no staged files;
a recipe that exits (``sys.exit``) or whose worker process dies (``os._exit``, SIGKILL: the OOM killer) is
that recipe's failure, with a clear message, while the others commit; the exit codes keep their contract.

Every run is a real ``python -m figgen`` in a process of its own (signals, exits). The waits poll with
generous deadlines: a loaded two-core machine starts a worker in seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from figgen.files.atomic import is_temporary
from tests.conftest import write_recipe
from tests.test_faults import sha, survivors

STALL = '''
"""Stall {name}.

Stages a still, then waits (as a long training would) in its animation's frames, saying so in a file
beside the recipes once its animation's writers are all set up (they ask for the second frame).
"""
import time
from pathlib import Path

import numpy as np

OUTPUTS = {{"{name}_still": "still", "{name}_anim": "animation"}}


def make(ctx, p):
    ctx.image("{name}_still", np.full((8, 8, 3), 90, np.uint8), alt="A square.")

    def frames():
        yield np.zeros((8, 8, 3), np.uint8)
        Path("{name}.waiting").touch()
        time.sleep(300)
        yield np.zeros((8, 8, 3), np.uint8)

    ctx.animation("{name}_anim", frames, alt="Waiting.")
'''

ENDS = '''
"""Ends {name}.

Stages a still, then ends as its ENDING says.
"""
import os
import signal
import sys

import numpy as np

OUTPUTS = {{"{name}": "still", "{name}_more": "still"}}


def make(ctx, p):
    ctx.image("{name}", np.full((8, 8, 3), 90, np.uint8), alt="A square.")
    {ending}
    ctx.image("{name}_more", np.full((8, 8, 3), 90, np.uint8), alt="A square.")
'''


def figgen(project: Path, *args: str, marker: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "figgen", *args],
        cwd=project,
        env={**os.environ, marker: "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def temporaries(*folders: Path) -> list[str]:
    return [p.name for folder in folders if folder.is_dir() for p in folder.iterdir() if is_temporary(p.name)]


def wait_for(condition, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.1)


def staging(out: Path, recipes: int) -> bool:
    """Whether ``recipes`` stalling recipes have staged files and wait in their animation's frames (each in a
    process of its own with workers), and the quick square is committed."""
    waiting = list(out.parent.glob("*.waiting"))
    manifest = out / "manifest.json"
    listed = manifest.exists() and "square" in json.loads(manifest.read_text() or "{}").get("recipes", {})
    return len(waiting) >= recipes and listed and len(temporaries(out)) >= 2 * recipes


def ended(process: subprocess.Popen, marker: str, timeout: float = 20) -> tuple[int, str]:
    """The exit code and stderr of a build told to stop, which must be prompt (its workers too)."""
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
        raise AssertionError(f"the build still ran {timeout} s after it was told to stop: {err}") from None
    wait_for(lambda: not survivors(marker), "the workers to end", timeout=10)
    return process.returncode, err


def stalled_project(project: Path) -> Path:
    (project / "recipes" / "blink.py").unlink()
    for name in ("stall_a", "stall_b"):
        write_recipe(project / "recipes", name, STALL.format(name=name))
    return project / "out"


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_stops_the_build_and_its_workers_promptly_leaving_nothing_staged(project, jobs):
    out = stalled_project(project)
    marker = f"FIGGEN_TERM_{uuid.uuid4().hex}"
    build = figgen(project, "build", "--out", "out", "--jobs", jobs, marker=marker)
    try:
        wait_for(lambda: staging(out, 2 if jobs == "2" else 1), "the recipes to stage files")
        build.send_signal(signal.SIGTERM)
        code, err = ended(build, marker)
    finally:
        if build.poll() is None:
            build.kill()
    assert (code, err) == (130, "figgen: interrupted\n")  # SIGTERM is an interruption like Ctrl-C
    assert temporaries(out, project / "cache") == []
    consistent_folder(out)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_the_build_and_says_interrupted_once(project, jobs):
    """Ctrl-C reaches the whole process group (the build and its workers), and an impatient user presses
    it twice: one line, exit 130, nothing staged left, no worker left."""
    out = stalled_project(project)
    marker = f"FIGGEN_INT_{uuid.uuid4().hex}"
    build = figgen(project, "build", "--out", "out", "--jobs", jobs, marker=marker, start_new_session=True)
    try:
        wait_for(lambda: staging(out, 2 if jobs == "2" else 1), "the recipes to stage files")
        for _ in range(2):
            try:
                os.killpg(build.pid, signal.SIGINT)
            except ProcessLookupError:
                break  # already gone
            time.sleep(0.3)
        code, err = ended(build, marker)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert (code, err) == (130, "figgen: interrupted\n")
    assert temporaries(out, project / "cache") == []
    consistent_folder(out)


def consistent_folder(out: Path) -> None:
    """What the manifest lists is there with its bytes, nothing is unlisted, the quick square committed."""
    manifest = json.loads((out / "manifest.json").read_text())
    assert list(manifest["recipes"]) == ["square"]
    listed = {r["path"]: r["sha256"] for r in manifest["outputs"]}
    assert {name: sha(out / name) for name in listed} == listed
    assert sha(out / "index.html") == manifest["gallery"]["sha256"]
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == {
        *listed,
        "manifest.json",
        "index.html",
    }


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_recipe_that_calls_sys_exit_fails_alone(project, jobs):
    write_recipe(project / "recipes", "quits", ENDS.format(name="quits", ending="sys.exit(3)"))
    done = subprocess.run(
        [sys.executable, "-m", "figgen", "build", "--out", "out", "--jobs", jobs],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("figgen")]  # not the progress lines
    assert said == ["figgen: error: recipe quits failed: it called sys.exit(3)"]
    assert "quits                FAILED" in done.stdout
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    assert sorted(manifest["recipes"]) == ["blink", "square"]  # the others committed
    assert temporaries(project / "out") == []
    assert not (project / "out" / "quits.png").exists()


@pytest.mark.slow
def test_a_worker_that_dies_fails_its_recipe_alone(project):
    """os._exit and SIGKILL (what the OOM killer sends) end the worker; only its recipe fails, the others
    commit, a new worker takes the next job."""
    recipes = project / "recipes"
    write_recipe(recipes, "exits", ENDS.format(name="exits", ending="os._exit(1)"))
    write_recipe(recipes, "killed", ENDS.format(name="killed", ending="os.kill(os.getpid(), signal.SIGKILL)"))
    for k in range(3):  # more jobs than workers, after the deaths
        write_recipe(recipes, f"zz{k}", ENDS.format(name=f"zz{k}", ending="pass"))
    marker = f"FIGGEN_DIE_{uuid.uuid4().hex}"
    done = subprocess.run(
        [sys.executable, "-m", "figgen", "build", "--out", "out", "--jobs", "2"],
        cwd=project,
        env={**os.environ, marker: "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert sorted(done.stderr.splitlines()) == [
        "figgen: error: recipe exits failed: its worker process died (exit code 1)",
        "figgen: error: recipe killed failed: its worker process died (killed by signal 9: out of memory?)",
    ]
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    assert sorted(manifest["recipes"]) == ["blink", "square", "zz0", "zz1", "zz2"]
    assert temporaries(project / "out") == []
    assert not survivors(marker)
    again = subprocess.run(
        [sys.executable, "-m", "figgen", "build", "--out", "out", "square", "zz0", "--jobs", "2"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr  # nothing of the deaths is left in the way
