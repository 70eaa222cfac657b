"""ffmpeg's own messages never reach the terminal: the MP4 writer keeps them, and a failing ffmpeg (a full
disk, say) is one line of figgen's, naming the file and ffmpeg's last word on it. An ffmpeg that exits with an
error never leaves its file behind as if it were whole.

ffmpeg is replaced by a script that says what a real one says on a full disk (to stderr) and fails: the
error path runs the same on any machine, whatever its disks."""

from __future__ import annotations

import errno
import stat
import textwrap
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from figgen.cli import main
from figgen.writers import write_animation

FULL_DISK = """\
[vost#0:0/libx264 @ 0x55d] Error submitting a packet to the muxer: No space left on device
    Last message repeated 1 times
[out#0/mp4 @ 0x55d] Error muxing a packet
[out#0/mp4 @ 0x55d] Task finished with error code: -28 (No space left on device)
[out#0/mp4 @ 0x55d] Error writing trailer: No space left on device
[out#0/mp4 @ 0x55d] Error closing file: No space left on device
"""


def fake_ffmpeg(folder: Path, *, reads: bool, says: str = FULL_DISK, code: int = 228) -> Path:
    """A stand-in for ffmpeg: it reads its frames (or not: it dies at once), says ``says`` on stderr and
    exits with ``code``."""
    script = folder / "ffmpeg"
    script.write_text(
        textwrap.dedent(
            f"""\
            #!/bin/sh
            {"cat > /dev/null" if reads else ""}
            cat >&2 <<'SAID'
            {textwrap.indent(says, "            ").strip()}
            SAID
            exit {code}
            """
        )
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


FRAMES = [np.full((40, 40, 3), v, np.uint8) for v in (0, 128, 255)]


@pytest.mark.parametrize("reads", [True, False], ids=["fails at the end", "dies at once"])
def test_a_failing_ffmpeg_is_an_error_of_figgens_and_says_nothing_itself(tmp_path, monkeypatch, capfd, reads):
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: str(fake_ffmpeg(tmp_path, reads=reads)))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OSError) as caught:
        write_animation(out / "a.mp4", FRAMES * 200, "mp4", durations_ms=40)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(out / "a.mp4")
    assert str(caught.value.strerror) == "No space left on device"
    assert capfd.readouterr() == ("", "")  # not one line of ffmpeg's
    assert list(out.iterdir()) == []  # no file, no temporary


def test_an_ffmpeg_failing_for_another_reason_says_its_last_line(tmp_path, monkeypatch, capfd):
    says = "[libx264 @ 0x1] broken encoder\n[out#0/mp4 @ 0x1] Could not open encoder before EOF\n\n"
    monkeypatch.setattr(
        imageio_ffmpeg, "get_ffmpeg_exe", lambda: str(fake_ffmpeg(tmp_path, reads=True, says=says, code=1))
    )
    with pytest.raises(RuntimeError) as caught:
        write_animation(tmp_path / "a.mp4", FRAMES, "mp4", durations_ms=40)
    assert str(caught.value) == "ffmpeg failed (exit 1): Could not open encoder before EOF"
    assert capfd.readouterr() == ("", "")
    assert not (tmp_path / "a.mp4").exists()


def test_a_build_on_a_full_disk_says_one_line_of_figgens(project, monkeypatch, capfd):
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: str(fake_ffmpeg(project, reads=True)))
    assert main(["build", "--out", "out", "--formats", "mp4", "blink"]) == 2
    err = capfd.readouterr().err
    written = (project / "out").resolve() / "blink.mp4"
    assert err.splitlines()[-1] == (
        f"figgen: error: recipe blink failed: cannot write {written}: No space left on device"
    )
    assert not [line for line in err.splitlines() if "@ 0x" in line or "Last message" in line], err
    assert not (project / "out" / "blink.mp4").exists()


def test_the_bytes_are_those_imageio_ffmpeg_wrote(tmp_path):
    """The writer runs ffmpeg itself (to keep its messages): the command, and so the bytes, are those of
    imageio-ffmpeg's write_frames, which it used before, with the same settings."""
    from figgen.writers.mp4 import PRESET, output_params

    rng = np.random.default_rng(1)
    frames = [rng.integers(0, 256, (33, 47, 3), dtype=np.uint8) for _ in range(6)]
    ours = tmp_path / "ours.mp4"
    assert write_animation(ours, frames, "mp4", durations_ms=100, hold_last_ms=0)["fps"] == 10
    writer = imageio_ffmpeg.write_frames(
        str(tmp_path / "theirs.mp4"),
        (48, 34),
        fps=10.0,
        codec="libx264",
        quality=None,
        macro_block_size=1,
        pix_fmt_in="rgb24",
        pix_fmt_out="yuv420p",
        ffmpeg_log_level="error",
        output_params=output_params(crf=18, preset=PRESET),
    )
    writer.send(None)
    for frame in frames:
        writer.send(np.ascontiguousarray(np.pad(frame, ((0, 1), (0, 1), (0, 0)), mode="edge")))
    writer.close()
    assert ours.read_bytes() == (tmp_path / "theirs.mp4").read_bytes()
