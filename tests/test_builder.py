"""The build: staleness per cause, manifest, reproducible bytes, faults, locks, jobs and path safety.

Most tests use tiny recipes written into a temporary folder (drawing only, no training), so they run in
well under a second each; one test trains through the cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from figgen.builder.folder import STATE
from figgen.builder.manifest import read_manifest
from figgen.cli import main
from figgen.files.atomic import is_temporary
from figgen.files.own import MARKER
from tests.conftest import BLINK, SQUARE, write_recipe


def build(*args: str) -> int:
    return main(["build", "--out", "out", *args])


def statuses(capsys) -> dict[str, str]:
    """Map each output path printed by a build to its status (built / up to date)."""
    found = {}
    for line in capsys.readouterr().out.splitlines():
        parts = line.split()
        if parts[:1] == ["built"]:
            found[Path(parts[1]).name] = "built"
        elif parts[:3] == ["up", "to", "date"] and len(parts) > 3 and "." in parts[3]:
            found[Path(parts[3]).name] = "up to date"
    return found


def test_warm_rebuild_is_a_no_op_and_each_cause_restales_only_its_recipe(project, capsys):
    assert build() == 0
    capsys.readouterr()
    assert build() == 0
    assert set(statuses(capsys).values()) == {"up to date"}

    assert build("--set", "SIDE=30") == 0  # a parameter
    changed = statuses(capsys)
    assert changed["square.png"] == "built" and changed["blink.gif"] == "up to date"

    source = project / "recipes" / "blink.py"
    source.write_text(source.read_text().replace("durations_ms=100", "durations_ms=120"))  # its source
    assert build("--set", "SIDE=30") == 0
    changed = statuses(capsys)
    assert changed["blink.gif"] == "built" and changed["square.png"] == "up to date"

    assert build("--set", "SIDE=30", "--theme", "dark") == 0  # the theme restyles everything
    assert set(statuses(capsys).values()) == {"built"}
    assert build("--set", "SIDE=30", "--theme", "dark", "--preset", "slides") == 0
    assert set(statuses(capsys).values()) == {"built"}
    assert build("--set", "SIDE=30", "--theme", "dark", "--preset", "slides", "--formats", "png,gif") == 0
    assert set(statuses(capsys).values()) == {"built"}
    out = project / "out"
    assert not (out / "square.svg").exists() and not (out / "blink.mp4").exists()  # outdated files go
    assert (
        build("--set", "SIDE=30", "--theme", "dark", "--preset", "slides", "--formats", "png,gif", "--force")
        == 0
    )
    assert set(statuses(capsys).values()) == {"built"}


def test_a_changed_data_set_restales_recipes(project, capsys):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "y_train": np.arange(5),
        "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        "y_test": np.arange(3),
    }
    np.savez(project / "tiny.npz", **arrays)
    assert build("square", "--data", "tiny.npz") == 0
    capsys.readouterr()
    assert build("square", "--data", "tiny.npz") == 0
    assert statuses(capsys) == {"square.png": "up to date", "square.svg": "up to date"}
    arrays["y_test"] = np.array([2, 1, 0])
    np.savez(project / "tiny.npz", **arrays)
    assert build("square", "--data", "tiny.npz") == 0
    assert statuses(capsys) == {"square.png": "built", "square.svg": "built"}


def test_two_builds_in_fresh_folders_give_identical_bytes(project):
    assert main(["build", "--out", "a"]) == 0
    assert main(["build", "--out", "b", "--force"]) == 0
    a = {o["path"]: o["sha256"] for o in read_manifest(project / "a")["outputs"]}
    b = {o["path"]: o["sha256"] for o in read_manifest(project / "b")["outputs"]}
    assert a == b and len(a) == 8  # blink: gif, mp4, html, filmstrip png + pdf, poster; square: png, svg
    for name in ("index.html", "manifest.json"):
        assert (project / "a" / name).read_bytes() == (project / "b" / name).read_bytes()


def test_parallel_build_matches_serial(project):
    assert main(["build", "--out", "serial"]) == 0
    assert main(["build", "--out", "parallel", "--jobs", "2"]) == 0
    serial = {o["path"]: o["sha256"] for o in read_manifest(project / "serial")["outputs"]}
    parallel = {o["path"]: o["sha256"] for o in read_manifest(project / "parallel")["outputs"]}
    assert serial == parallel


def test_a_failing_recipe_does_not_stop_the_others(project, capsys):
    broken = SQUARE.replace("np.full(", "np.fulll(").replace('"square"', '"broken"')  # its own output name
    write_recipe(project / "recipes", "broken", broken)
    assert build() == 1  # an internal failure of a recipe
    captured = capsys.readouterr()
    assert "recipe broken failed: AttributeError" in captured.err
    manifest = read_manifest(project / "out")
    assert set(manifest["recipes"]) == {"blink", "square"}
    assert build("--strict", "broken", "square") == 1
    assert "1 failed" in capsys.readouterr().out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_strict_stops_at_the_first_failure_and_says_which_recipes_did_not_run(project, capsys, jobs):
    write_recipe(
        project / "recipes", "aaa_broken", SQUARE.replace("np.full(", "np.fulll(").replace('"square"', '"a"')
    )
    for name in ("square2", "square3", "square4"):
        write_recipe(project / "recipes", name, SQUARE.replace('"square"', f'"{name}"'))
    assert build("--strict", "--jobs", jobs) == 1
    out = capsys.readouterr().out
    assert "aaa_broken           FAILED" in out
    summary = out.strip().splitlines()[-1]
    listed = {line.split()[0] for line in out.splitlines()[-7:-1]}
    assert listed == {"aaa_broken", "blink", "square", "square2", "square3", "square4"}  # none vanishes
    if jobs == "1":
        assert "1 failed, 5 not run" in summary


def test_a_recipe_failing_after_writing_some_files_leaves_nothing_new(project, capsys):
    assert build("square") == 0
    before = {p.name: p.read_bytes() for p in (project / "out").iterdir()}
    write_recipe(
        project / "recipes",
        "square",
        SQUARE.replace(
            'alt=f"A gray square of {p.SIDE} pixels.")', 'alt="x")\n    raise RuntimeError("late")'
        ),
    )
    assert build("square", "--set", "SIDE=8") == 1
    assert "recipe square failed: RuntimeError: late" in capsys.readouterr().err
    assert {
        p.name: p.read_bytes() for p in (project / "out").iterdir()
    } == before  # old files, no temporaries


def test_interrupted_build_leaves_no_partial_file_and_the_next_build_finishes(project, capsys):
    write_recipe(
        project / "recipes",
        "zinterrupt",
        BLINK.replace(
            "yield on if i % 2 == 0 else np.full_like(on, 255)",
            "yield on\n            if i == 2:\n                raise KeyboardInterrupt",
        ).replace('"blink"', '"zi"'),
    )
    assert build() == 130
    out = project / "out"
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name not in (STATE, MARKER)]
    assert leftovers == []
    assert not (out / "zi.gif").exists()
    assert set(read_manifest(out)["recipes"]) == {"blink", "square"}  # finished recipes are recorded
    (project / "recipes" / "zinterrupt.py").unlink()
    capsys.readouterr()
    assert build() == 0
    assert set(statuses(capsys).values()) == {"up to date"}


def test_a_second_build_waits_or_fails_with_no_wait(project, capsys):
    out = project / "out"
    out.mkdir()
    handle = os.open(out, os.O_RDONLY)  # another build holds the folder's lock
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert build("--no-wait") == 2
        assert "another figgen build is writing to out" in capsys.readouterr().err
        waiting = subprocess.Popen(
            [sys.executable, "-m", "figgen", "build", "--out", "out", "square"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=3)  # blocked by our lock
    finally:
        os.close(handle)  # releases it
    stdout, stderr = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, stderr
    assert "figgen: another build is writing to out; waiting" in stderr
    assert (out / "square.png").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["build", "sqare"], "unknown recipe 'sqare' (did you mean 'square'?)"),
        (["build", "--set", "SIDES=3"], "no selected recipe has a parameter 'SIDES' (did you mean 'SIDE'?)"),
        (["build", "--set", "SIDE=big"], "square.SIDE must be a whole number, got 'big'"),
        (["build", "--set", "SIDE=1"], "square.SIDE must be at least 2, got 1"),
        (["build", "--set", "LEVEL=nan"], "square.LEVEL"),
        (["build", "--set", "square.SIDE=500"], "square.SIDE must be at most 400, got 500"),
        (["build", "--set", "SIDE"], "--set 'SIDE': expected KEY=VALUE"),
        (["build", "--theme", "drak"], "unknown theme 'drak' (did you mean 'dark'?)"),
        (["build", "--preset", "slide"], "unknown preset 'slide' (did you mean 'slides'?)"),
        (["build", "--formats", "gif,jpg"], "unknown format 'jpg'"),
        (["build", "--data", "missing.npz"], "missing.npz"),
        (["build", "--jobs", "0"], "--jobs must be at least 1"),
        (["build", "--jobs", "x"], "argument --jobs/-j: invalid int value: 'x'"),
        (["build", "--formats", ""], "--formats names no format"),
        (["build", "--out", "recipes/square.py"], "output folder recipes/square.py is a file"),
    ],
)
def test_bad_build_input_exits_2_with_one_line(project, capsys, argv, message):
    if "--out" not in argv:
        argv = [*argv, "--out", "out"]
    with pytest.raises(SystemExit) if "x" in argv else contextlib.nullcontext() as stopped:
        assert main(argv) == 2
    if stopped is not None:
        assert stopped.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("figgen: error:") and message in err[0], err
    assert not (project / "out" / "manifest.json").exists()


def test_nan_values_are_refused(project, capsys):
    write_recipe(
        project / "recipes",
        "rate",
        SQUARE.replace('"LEVEL": 0.5', '"LEARNING_RATE": 0.5').replace("p.LEVEL", "p.LEARNING_RATE"),
    )
    assert main(["build", "rate", "--set", "LEARNING_RATE=nan", "--out", "out"]) == 2
    assert "must be a finite number" in capsys.readouterr().err
    assert main(["build", "rate", "--set", "LEARNING_RATE=-1", "--out", "out"]) == 2
    assert "rate.LEARNING_RATE must be above 0" in capsys.readouterr().err


def test_outputs_stay_inside_the_output_folder(project, capsys):
    write_recipe(project / "recipes", "escape", SQUARE.replace('{"square": "still"}', '{"../x": "still"}'))
    assert build("escape") == 2
    assert "output name '../x'" in capsys.readouterr().err
    escape = SQUARE.replace('{"square": "still"}', '{"escape": "still"}')
    write_recipe(project / "recipes", "escape", escape.replace('ctx.image("square"', 'ctx.image("../escape"'))
    assert build("escape") == 2
    assert "writes still '../escape', which its OUTPUTS do not declare" in capsys.readouterr().err
    assert not (project / "escape.png").exists()
    (project / "recipes" / "Bad-Name.py").write_text('"""x."""\nOUTPUTS = {"a": "still"}\n')
    assert build() == 2
    assert "recipe names are lower-case" in capsys.readouterr().err


def test_warm_rebuild_imports_no_heavy_module_and_touches_no_file(project):
    assert build() == 0
    out = project / "out"
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    probe = (
        "import sys; from figgen.cli import main; code = main(['build', '--out', 'out']); "
        "print(code, 'tensorflow' in sys.modules, 'matplotlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "0 False False", done.stderr
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


SLOW = (
    BLINK.replace('"blink"', '"slow"')
    .replace(
        "yield on if i % 2 == 0 else np.full_like(on, 255)",
        "if i == 2:\n                print('writing', flush=True)\n                time.sleep(60)\n"
        "            yield on if i % 2 == 0 else np.full_like(on, 255)",
    )
    .replace("import numpy as np", "import time\nimport numpy as np")
)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_a_killed_build_leaves_no_partial_file_and_the_next_one_cleans_up(project, how):
    import signal

    write_recipe(project / "recipes", "slow", SLOW)
    child = subprocess.Popen(
        [sys.executable, "-m", "figgen", "build", "slow", "--out", "out"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "writing"  # in the middle of writing slow.gif
    out = project / "out"
    assert [
        p.name for p in out.iterdir() if is_temporary(p.name)
    ]  # the GIF is written under a temporary name
    child.send_signal(getattr(signal, how))
    child.communicate(timeout=60)
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert "slow.gif" not in visible and "slow.mp4" not in visible
    if how == "SIGTERM":  # unwinds like Ctrl-C: its own temporaries are gone at once
        assert child.returncode == 130
        assert not [p.name for p in out.iterdir() if is_temporary(p.name)]
    (project / "recipes" / "slow.py").write_text(BLINK.replace('"blink"', '"slow"'))
    assert main(["build", "slow", "--out", "out"]) == 0
    assert (out / "slow.gif").is_file()
    assert not [
        p.name for p in out.iterdir() if is_temporary(p.name)
    ]  # leftovers of the killed build removed


def test_a_format_this_machine_cannot_write_is_refused_before_any_work(project, capsys, monkeypatch):
    from figgen.writers import get_writer

    monkeypatch.setattr(get_writer("webp"), "unavailable", classmethod(lambda cls: "Pillow without libwebp"))
    assert build("--formats", "gif,webp") == 2
    err = capsys.readouterr().err
    assert err == "figgen: error: format 'webp' cannot be written on this machine: Pillow without libwebp\n"
    assert not (project / "out").exists()


def test_quiet_prints_nothing_unless_something_fails(project, capsys):
    assert build("--quiet") == 0
    assert capsys.readouterr() == ("", "")
    write_recipe(
        project / "recipes", "broken", SQUARE.replace("np.full(", "np.fulll(").replace('"square"', '"b"')
    )
    assert build("--quiet", "broken") == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("figgen: error: recipe broken failed: AttributeError")


def test_a_piped_build_says_what_it_is_doing_in_plain_lines(project, capsys):
    assert build("blink") == 0
    err = capsys.readouterr().err
    assert err.count("blink: frames of blink\n") == 1 and "\r" not in err  # one pass for all formats, no bars
