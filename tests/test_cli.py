"""The ``figgen train`` and ``figgen data`` commands: output, exit codes, one-line errors, lazy imports."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from figgen.cli import main

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["--train-size", "200", "--test-size", "500", "--steps", "20", "--log-every", "10"]
SAMPLE_FINGERPRINT = "e5ab4c404c823ddc"


def run_figgen(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "figgen", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("figgen: error: "), stderr
    return lines[0]


# --- figgen train ------------------------------------------------------------------------------------------


def test_train_json(capsys):
    assert main(["train", "--json", *SMALL]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    report = json.loads(out)  # exactly one JSON object, nothing else on stdout
    assert {
        "log",
        "final_accuracy",
        "final_loss",
        "train_size",
        "test_size",
        "learning_rate",
        "steps",
        "data",
        "seconds",
    } <= set(report)
    assert (report["train_size"], report["test_size"], report["learning_rate"], report["steps"]) == (
        200,
        500,
        0.1,
        20,
    )
    assert [row[0] for row in report["log"]] == [0, 10, 20]
    assert all(len(row) == 3 for row in report["log"])
    assert report["final_accuracy"] == report["log"][-1][1] and 0.5 < report["final_accuracy"] < 1
    assert report["final_loss"] == report["log"][-1][2] and 0 < report["final_loss"] < math.log(10)
    assert report["log"][-1][2] < report["log"][0][2]  # the loss falls
    assert report["data"]["source"] == "sample" and report["data"]["fingerprint"] == SAMPLE_FINGERPRINT
    assert report["diverged_at"] is None
    assert report["seconds"] > 0 and report["cached"] is False
    # the same settings again: served from the training cache, same numbers, the first run's time
    assert main(["train", "--json", *SMALL]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["cached"] is True and {**again, "cached": False} == report
    assert main(["train", "--json", "--force", *SMALL]) == 0
    assert json.loads(capsys.readouterr().out)["cached"] is False


def test_train_text_prints_the_texts_log_lines(capsys):
    assert main(["train", *SMALL]) == 0
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert [line.split(" ")[0] for line in lines] == ["Training", "Training", "Training"]
    for line, step in zip(lines, [0, 10, 20], strict=True):
        head, accuracy, loss = line.split(" = ")
        assert head == f"Training Step:{step} Accuracy"
        assert accuracy.endswith(" Loss") and 0 < float(accuracy.split()[0]) <= 1
        assert 0 < float(loss) < math.log(10)
    assert err == ""


def test_train_json_in_a_real_process(capsys):
    done = run_figgen("train", "--json", *SMALL)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # TensorFlow's start-up chatter is kept off the user's terminal
    report = json.loads(done.stdout)
    assert [row[0] for row in report["log"]] == [0, 10, 20]
    assert report["data"] == {
        "source": "sample",
        "path": report["data"]["path"],
        "split": "original",
        "fingerprint": SAMPLE_FINGERPRINT,
    }
    # same inputs, same numbers as an in-process run (trained again, not read from the cache)
    assert main(["train", "--json", "--force", *SMALL]) == 0
    assert json.loads(capsys.readouterr().out)["log"] == report["log"]


def corrupt_idx_folder(folder: Path) -> Path:
    folder.mkdir()
    for stem, magic, dims in (
        ("train-images-idx3-ubyte", 2051, (2, 28, 28)),
        ("train-labels-idx1-ubyte", 2049, (2,)),
        ("t10k-images-idx3-ubyte", 2051, (2, 28, 28)),
        ("t10k-labels-idx1-ubyte", 2049, (2,)),
    ):
        header = b"".join(v.to_bytes(4, "big") for v in (magic, *dims))
        body = bytes(math.prod(dims))
        (folder / stem).write_bytes(header + body)
    (folder / "t10k-images-idx3-ubyte").write_bytes(header[:6])  # truncated header
    return folder


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--train-size", "0"], "TRAIN_SIZE must be at least 1, got 0"),
        (["--train-size", "10001"], "TRAIN_SIZE = 10001 is more than the 10000 training examples"),
        (["--test-size", "10001"], "TEST_SIZE = 10001 is more than the 10000 test examples"),
        (["--learning-rate", "0"], "LEARNING_RATE must be above 0, got 0.0"),
        (["--learning-rate", "-1"], "LEARNING_RATE must be above 0, got -1.0"),
        (["--learning-rate", "nan"], "LEARNING_RATE must be a finite number, got nan"),
        (["--steps", "-1"], "TRAIN_STEPS must be at least 0, got -1"),
        (["--log-every", "0"], "LOG_EVERY must be at least 1, got 0"),
        (["--data", "nonesuch"], "unknown data source 'nonesuch'"),
    ],
)
def test_train_bad_input_is_one_line_exit_2(capsys, args, expected):
    assert main(["train", *SMALL, *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert expected in one_error_line(err)
    assert "Traceback" not in err


def test_train_corrupt_idx_folder(capsys, tmp_path):
    folder = corrupt_idx_folder(tmp_path / "idx")
    assert main(["train", "--data", str(folder), "--train-size", "2", "--test-size", "2"]) == 2
    out, err = capsys.readouterr()
    line = one_error_line(err)
    assert f"{folder / 't10k-images-idx3-ubyte'}: truncated IDX header" in line
    assert out == ""


def test_train_bad_input_in_a_real_process(tmp_path):
    done = run_figgen("train", "--learning-rate", "-1")
    assert done.returncode == 2 and done.stdout == ""
    assert "LEARNING_RATE must be above 0" in one_error_line(done.stderr)


DIVERGE = [
    "--train-size",
    "500",
    "--test-size",
    "200",
    "--learning-rate",
    "1000",
    "--steps",
    "20",
    "--log-every",
    "10",
]


def test_train_divergence_is_reported(capsys):
    assert main(["train", "--json", *DIVERGE]) == 2
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["diverged_at"] == 0 and report["final_accuracy"] is None
    assert [row[0] for row in report["log"]] == [0, 10, 20]  # the whole log, every value finite
    assert all(row[2] > 2.31 for row in report["log"])  # above ln 10 from the first update on
    line = one_error_line(err)
    assert "training with LEARNING_RATE=1000 diverged at step 0" in line


def test_train_divergence_in_a_real_process():
    done = run_figgen("train", *DIVERGE)
    assert done.returncode == 2
    assert "nan" not in done.stdout.lower()
    assert "diverged at step 0" in one_error_line(done.stderr)


# --- figgen data -------------------------------------------------------------------------------------------


def test_data_json(capsys):
    assert main(["data", "--json"]) == 0
    out, err = capsys.readouterr()
    info = json.loads(out)
    assert info["source"] == "sample" and (info["train"], info["test"]) == (10000, 10000)
    assert info["fingerprint"] == SAMPLE_FINGERPRINT
    assert info["path"].endswith("mnist-sample") and info["note"]
    assert err == ""


def test_data_text(capsys):
    assert main(["data"]) == 0
    out, _ = capsys.readouterr()
    fields = dict(line.split(None, 1) for line in out.strip().splitlines())
    assert fields["source"] == "sample"
    assert fields["training"] == "10,000 images" and fields["test"] == "10,000 images"
    assert fields["fingerprint"] == SAMPLE_FINGERPRINT


def test_data_auto_says_what_it_chose(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("FIGGEN_MNIST", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("FIGGEN_DATA_HOME", str(tmp_path / "none"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    assert main(["data", "--data", "auto"]) == 0
    out, _ = capsys.readouterr()
    assert "source       sample" in out and "note         auto: no full MNIST on disk" in out


def test_data_bad_source(capsys, tmp_path):
    folder = corrupt_idx_folder(tmp_path / "idx")
    assert main(["data", "--data", str(folder)]) == 2
    _, err = capsys.readouterr()
    assert "t10k-images-idx3-ubyte: truncated IDX header" in one_error_line(err)


# --- commands that train nothing never import TensorFlow ----------------------------------------------------


@pytest.mark.parametrize("argv", [["--help"], ["data"], ["data", "--json"], ["list"]])
def test_light_commands_do_not_import_tensorflow(argv):
    code = (
        "import sys\n"
        "from figgen.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in ('tensorflow', 'keras', 'matplotlib') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "HEAVY []"


def test_train_imports_tensorflow_only_when_it_trains():
    """The check above can fail: the same probe sees TensorFlow after a training command."""
    code = (
        "import sys\n"
        "from figgen.cli import main\n"
        "main(['train', '--train-size', '5', '--test-size', '5', '--steps', '0', '--json'])\n"
        "print('HEAVY', 'tensorflow' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "HEAVY True"


def _npz(path: Path) -> None:
    zeros = np.zeros((5, 28, 28), np.uint8)
    np.savez(path, x_train=zeros, y_train=np.zeros(5, int), x_test=zeros, y_test=np.zeros(5, int))


@pytest.mark.parametrize(
    "argv, setup, message",
    [
        (
            ["data", "--data", "m.npz"],
            lambda d: (_npz(d / "m.npz"), (d / "m.npz").write_bytes((d / "m.npz").read_bytes()[:300])),
            "m.npz: not a readable .npz archive",
        ),
        (
            ["data", "--data", "m.npz"],
            lambda d: np.save(d / "m.npz.npy", np.zeros(3)) or (d / "m.npz.npy").rename(d / "m.npz"),
            "m.npz: not a readable .npz archive",
        ),
        (
            ["data"],
            lambda d: (d / "figgen.toml").write_bytes(b'theme = "\xff"\n'),
            "figgen.toml: not UTF-8 text",
        ),
        (
            ["data"],
            lambda d: (d / "pyproject.toml").write_text("[tool]\nfiggen = 3\n"),
            "[tool.figgen] must be a table",
        ),
        (
            ["build", "--out", "f/sub"],
            lambda d: (d / "f").write_text("x"),
            "output folder f/sub is inside a file",
        ),
        (["build", "--out", ""], lambda d: None, "--out needs a folder name, got an empty one"),
        (["clean", "--out", "f"], lambda d: (d / "f").write_text("x"), "f is not a folder"),
    ],
)
def test_bad_input_and_a_bad_environment_are_exit_2_with_one_line(
    tmp_path, monkeypatch, capsys, argv, setup, message
):
    monkeypatch.chdir(tmp_path)
    setup(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("figgen: error: ") and message in err, err


def test_data_shows_the_texts_split(capsys):
    assert main(["data", "--split", "text"]) == 0
    out = capsys.readouterr().out
    assert "training     5,000 images" in out and "split        text" in out
    assert main(["data", "--split", "txt"]) == 2
    assert "unknown split 'txt': use 'original' or 'text'" in capsys.readouterr().err
