"""What the command line writes: a path the system refuses (a name too long) is bad input (exit 2, one line);
a terminal or pipe that cannot show a character gets it escaped; a full standard output is one line and exit
2, not a traceback; and no path or message puts a raw newline (or other control character) on a line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from figgen.cli import main
from tests.conftest import SQUARE, write_recipe

LONG = "a" * 300  # a file name over the 255 bytes a file system allows


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("figgen: error: "), err
    return lines[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--recipes", LONG],
        ["build", "--recipes", LONG],
        ["build", "--config", LONG],
        ["clean", "--out", LONG],
        ["data", "--data", LONG],
        ["list", "--recipes", f"recipes/{LONG}/more"],
    ],
)
def test_a_file_name_too_long_is_bad_input(project, capsys, argv):
    assert main(argv) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "too long" in line.lower(), line


def figgen(project: Path, *args: str, **run) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "figgen", *args], cwd=project, capture_output=True, timeout=120, **run
    )


UNICODE = SQUARE.replace('"""A square.', '"""Ünïcode square – «−»')


def test_an_ascii_only_output_gets_the_other_characters_escaped(project):
    write_recipe(project / "recipes", "square", UNICODE)
    done = figgen(project, "list", env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert b"square  \\xdcn\\xefcode square \\u2013 \\xab\\u2212\\xbb" in done.stdout
    assert done.stderr == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("args", [["list"], ["list", "--json"], ["data"]])
def test_a_full_standard_output_is_one_line_and_exit_2(project, args):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "figgen", *args],
            cwd=project,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert (done.returncode, done.stderr) == (
        2,
        "figgen: error: cannot write to standard output: No space left on device\n",
    )


NEWLINE_ERROR = SQUARE.replace(
    'ctx.image("square", frame, alt=f"A gray square of {p.SIDE} pixels.")',
    'raise RuntimeError("first\\nsecond line")',
).replace('"square"', '"bad"')


def test_no_path_or_message_puts_a_raw_newline_on_a_line(project, capsys):
    write_recipe(project / "recipes", "bad", NEWLINE_ERROR)
    out_folder = "out\nfake: a line of its own"
    assert main(["build", "--out", out_folder]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines() + err.splitlines()
    assert not [line for line in lines if line.startswith(("fake", "second"))], lines
    assert "built      out\\nfake: a line of its own/square.png  40x40  " in out
    assert any(
        line.startswith("FAILED     bad: RuntimeError: first\\nsecond line") for line in out.splitlines()
    )
    assert main(["clean", "--out", out_folder]) == 0
    out, _ = capsys.readouterr()
    assert len(out.splitlines()) == 2 and all("out\\nfake" in line for line in out.splitlines())
    assert main(["data", "--data", "nowhere\nelse"]) == 2
    one_error_line(capsys.readouterr().err)
