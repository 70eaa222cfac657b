"""Fault injection: builds killed at random moments (SIGINT and SIGKILL, serial and --jobs 2) leave a folder
where every file the manifest lists has the listed sha256, nothing figgen wrote is unlisted (its hidden
temporaries aside, which the next run removes), other people's files are untouched, and no worker lives on.

``make test`` runs FIGGEN_KILLS kills (default 8); ``make stress`` runs many more.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from figgen.builder.folder import STATE, OutputFolder
from figgen.files.atomic import is_temporary, remove_leftovers
from tests.conftest import write_recipe

pytestmark = pytest.mark.slow

SLOW = '''
"""Slow {name}.

Writes a still and an animation, slowly.
"""
import time

import numpy as np

PARAMS = {{"SHADE": 0}}
OUTPUTS = {{"{name}_still": "still", "{name}_anim": "animation"}}


def make(ctx, p):
    level = (p.SHADE * 37 + {seed}) % 256
    time.sleep(0.05)
    ctx.image("{name}_still", np.full((16, 16, 3), level, np.uint8), alt="A square.")

    def frames():
        for i in range(5):
            time.sleep(0.04)
            yield np.full((16, 16, 3), (level + 40 * i) % 256, np.uint8)

    ctx.animation("{name}_anim", frames, alt="Shades.", keyframes=[0, -1], keyframe_labels=["a", "b"])
'''
FOREIGN = {"notes.txt": b"someone's notes", "talk.pptx": b"a slide deck"}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(out: Path) -> None:
    """The invariants of an output folder after any fault (and the next run's recovery)."""
    for name, content in FOREIGN.items():
        assert (out / name).read_bytes() == content, name
    if not (out / "manifest.json").exists():
        assert not [p for p in out.iterdir() if p.name not in FOREIGN and not p.name.startswith(".")]
        return
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {r["path"]: r["sha256"] for r in manifest["outputs"]}
    for name, digest in listed.items():
        assert sha(out / name) == digest, f"{name} does not have the bytes the manifest lists"
    if manifest["gallery"]:
        assert sha(out / "index.html") == manifest["gallery"]["sha256"]
    visible = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    unlisted = visible - set(listed) - set(FOREIGN) - {"manifest.json", "index.html"}
    assert not unlisted, f"figgen wrote {unlisted} without listing them"


def survivors(marker: str) -> list[int]:
    """Processes still running with ``marker`` in their environment (a build's workers, say)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker.encode() in (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def test_builds_killed_at_random_moments_leave_a_consistent_folder(project):
    for k in range(3):
        write_recipe(project / "recipes", f"slow{k}", SLOW.format(name=f"slow{k}", seed=60 * k))
    (project / "recipes" / "square.py").unlink()
    (project / "recipes" / "blink.py").unlink()
    out = project / "out"
    out.mkdir()
    for name, content in FOREIGN.items():
        (out / name).write_bytes(content)
    rng = random.Random(20261129)
    kills = int(os.environ.get("FIGGEN_KILLS", "8"))
    survived = 0
    for attempt in range(kills):
        marker = f"FIGGEN_FAULT_{uuid.uuid4().hex}"
        jobs = ["--jobs", "2"] if attempt % 2 else []
        how = signal.SIGKILL if attempt % 4 in (0, 1) else signal.SIGINT
        argv = [sys.executable, "-m", "figgen", "build", "--out", "out", "--set", f"SHADE={attempt}", *jobs]
        child = subprocess.Popen(
            argv,
            cwd=project,
            env={**os.environ, marker: "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0.3, 3.0 if jobs else 1.8))
        child.send_signal(how)
        child.wait(timeout=60)
        deadline = time.time() + 10
        while survivors(marker) and time.time() < deadline:
            time.sleep(0.1)
        assert not survivors(marker), f"workers outlived a {how.name} of their build"
        if (out / STATE).exists() and json.loads((out / STATE).read_text()).get("journal"):
            OutputFolder(out).load()  # a commit was under way: the next figgen run finishes it, like this
        check(out)
        remove_leftovers(out)
        assert not [p.name for p in out.iterdir() if is_temporary(p.name)]
        survived += 1
    done = subprocess.run(
        [sys.executable, "-m", "figgen", "build", "--out", "out"], cwd=project, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    check(out)
    print(f"survived {survived} kills")
