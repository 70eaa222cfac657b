"""figgen.cli.watch and ``figgen build --watch``: which files are watched, a rebuild per change (one for an
editor's burst of writes), and Ctrl-C ending the command cleanly."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from figgen.cli.watch import snapshot, watch, watched_files
from tests.conftest import SQUARE, write_recipe


def test_watched_files_are_the_recipes_the_configuration_and_the_data(project):
    names = {p.name for p in watched_files()}
    assert names == {"blink.py", "square.py", "figgen.toml", "pyproject.toml"}  # config files not yet written
    (project / "idx").mkdir()
    (project / "idx" / "train-images-idx3-ubyte.gz").write_bytes(b"")
    (project / "figgen.toml").write_text('data = "idx"\n')
    assert {"idx", "train-images-idx3-ubyte.gz"} <= {p.name for p in watched_files()}
    assert [p.name for p in watched_files(config="other.toml", data="sample")][-1] == "other.toml"


def test_one_rebuild_per_change_and_one_for_a_burst_of_writes(tmp_path):
    source = tmp_path / "recipe.py"
    source.write_text("a")
    builds, changes = [], []

    def edit():
        time.sleep(0.3)
        for text in ("b", "bb", "bbb"):  # an editor saving in several writes
            source.write_text(text)
            time.sleep(0.02)
        time.sleep(1.5)
        (tmp_path / "new.py").write_text("c")  # a new file counts too

    threading.Thread(target=edit, daemon=True).start()
    watch(
        lambda: builds.append(source.read_text()),
        lambda: sorted(tmp_path.glob("*.py")),
        changes.append,
        interval=0.05,
        settle=0.4,
        keep_going=lambda: len(builds) < 3,
    )
    assert builds == ["a", "bbb", "bbb"]
    assert changes == [[source], [tmp_path / "new.py"]]
    assert snapshot([tmp_path / "missing.py"]) == {tmp_path / "missing.py": None}


def test_build_watch_rebuilds_what_changed_and_ends_cleanly_on_ctrl_c(project):
    command = [sys.executable, "-m", "figgen", "build", "--watch", "square", "--out", "out"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)
    reader.start()

    def read_until(text: str) -> list[str]:
        seen, deadline = [], time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=0.1))
            except queue.Empty:
                continue
            if text in seen[-1]:
                return seen
        raise AssertionError(f"no {text!r} in {seen}")

    typo = subprocess.run([*command[:-3], "sqare"], capture_output=True, text=True, timeout=60)
    assert (typo.returncode, typo.stderr) == (
        2,
        "figgen: error: unknown recipe 'sqare' (did you mean 'square'?)\n",
    )
    try:
        first = read_until("watching for changes")
        assert any(line.startswith("built      out/square.png  40x40") for line in first)
        write_recipe(project / "recipes", "square", SQUARE.replace('"SIDE": 40', '"SIDE": 30'))
        second = read_until("watching for changes")
        assert second[0] == f"figgen: changed: {Path('recipes/square.py')}; rebuilding\n"
        assert any(line.startswith("built      out/square.png  30x30") for line in second)
        assert any(line.startswith("square               built") for line in second)
        write_recipe(project / "recipes", "square", SQUARE.replace('"SIDE": 40', '"SIDE": 1'))  # below LIMITS
        third = read_until("watching for changes")
        assert any(
            "SIDE" in line and line.startswith("figgen: error") for line in third
        )  # reported, watching on
        os.kill(process.pid, signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()
    reader.join(timeout=30)
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert rest == ["figgen: interrupted\n"]  # no traceback


def test_build_watch_never_switches_to_other_recipes_when_the_folder_goes(project):
    """With recipes/ deleted, the watch says the folder is gone and waits; it never falls back to the
    recipes beside figgen (which would build all of them into the user's folder). Back, it builds again."""
    import shutil

    command = [sys.executable, "-m", "figgen", "build", "--watch", "--out", "out"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()

    def read_until(text: str) -> list[str]:
        seen, deadline = [], time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=0.1))
            except queue.Empty:
                continue
            if text in seen[-1]:
                return seen
        raise AssertionError(f"no {text!r} in {seen}")

    try:
        read_until("watching for changes")
        shutil.rmtree(project / "recipes")
        gone = read_until("watching for changes")
        assert "figgen: error: recipe folder recipes does not exist\n" in gone, gone
        assert not any(line.startswith("built") for line in gone), gone
        (project / "recipes").mkdir()
        write_recipe(project / "recipes", "square", SQUARE.replace('"SIDE": 40', '"SIDE": 30'))
        back = read_until("watching for changes")
        assert any(line.startswith("built      out/square.png  30x30") for line in back), back
        os.kill(process.pid, signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()
    built = {p.name for p in (project / "out").iterdir() if not p.name.startswith(".")}
    assert built <= {
        "square.png",
        "square.svg",
        "blink.gif",
        "blink.mp4",
        "blink.html",
        "blink_filmstrip.png",
        "blink_filmstrip.pdf",
        "blink_poster.png",
        "manifest.json",
        "index.html",
    }, built
