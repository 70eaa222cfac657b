"""Tests of figgen.writers: formats read back, durations, merging, reproducible bytes, atomic writes."""

import hashlib

import numpy as np
import pytest
from PIL import Image

from figgen.draw import ANIMATION_LEVELS, symmetric_limit, weights_frame
from figgen.figures.style import new_figure
from figgen.writers import AnimationWriter, check_available, formats, get_writer, write_animation, write_still


def sha(path):
    if path.is_dir():
        return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(path.iterdir()))).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def solid(value, size=(24, 32), channels=3):
    return np.full((*size, channels), value, np.uint8)


@pytest.fixture(scope="module")
def sheet_frames():
    rng = np.random.default_rng(3)
    base = rng.normal(size=(784, 10))
    weights = [base * s + rng.normal(scale=0.05, size=base.shape) for s in np.linspace(0.1, 1, 6)]
    limit = symmetric_limit(np.array(weights))
    return [
        weights_frame(w, "light", "docs", limit=limit, caption=f"size {i}", levels=ANIMATION_LEVELS)
        for i, w in enumerate(weights)
    ]


def gif_frames(path):
    with Image.open(path) as im:
        out = []
        for i in range(im.n_frames):
            im.seek(i)
            out.append((np.asarray(im.convert("RGBA")), im.info.get("duration")))
        return out, dict(im.info)


def test_gif_round_trip_is_exact_with_one_palette(tmp_path, sheet_frames):
    info = write_animation(tmp_path / "w.gif", iter(sheet_frames), "gif", durations_ms=120, hold_last_ms=1000)
    assert (info["width"], info["height"], info["frames"]) == (800, 360, 6)
    assert info["colours"] <= 255 and info["bytes"] == (tmp_path / "w.gif").stat().st_size
    frames, meta = gif_frames(tmp_path / "w.gif")
    assert len(frames) == 6 and meta["loop"] == 0
    for (decoded, _), original in zip(frames, sheet_frames, strict=True):
        assert np.array_equal(decoded[..., :3], original)  # no dithering, no colour loss
    assert [d for _, d in frames] == [120] * 5 + [1120]
    raw = (tmp_path / "w.gif").read_bytes()
    assert raw[10] == 0xF7  # one global colour table of 256 entries


def test_gif_merges_unchanged_frames_and_keeps_durations(tmp_path):
    frames = [solid(10), solid(10), solid(10), solid(200), solid(90), solid(90)]
    info = write_animation(
        tmp_path / "m.gif", frames, "gif", durations_ms=[100, 50, 30, 70, 40, 40], hold_last_ms=500, loop=3
    )
    assert info["frames"] == 3
    decoded, meta = gif_frames(tmp_path / "m.gif")
    assert [d for _, d in decoded] == [180, 70, 580]
    assert [tuple(f[0, 0, :3]) for f, _ in decoded] == [(10, 10, 10), (200, 200, 200), (90, 90, 90)]
    assert meta["loop"] == 3


def test_gif_without_loop_plays_once(tmp_path):
    write_animation(tmp_path / "once.gif", [solid(0), solid(255)], "gif", loop=None)
    _, meta = gif_frames(tmp_path / "once.gif")
    assert "loop" not in meta


def test_gif_transparent_frames_clear(tmp_path):
    a = solid(0, channels=4)
    b = a.copy()
    a[:, :10] = (200, 30, 30, 255)
    b[:, 20:] = (30, 30, 200, 255)
    write_animation(tmp_path / "t.gif", [a, b, a], "gif", hold_last_ms=0)
    decoded, _ = gif_frames(tmp_path / "t.gif")
    for (frame, _), original in zip(decoded, [a, b, a], strict=True):
        assert np.array_equal(frame[..., 3] > 0, original[..., 3] > 0)
        visible = original[..., 3] > 0
        assert np.array_equal(frame[..., :3][visible], original[..., :3][visible])


def test_gif_with_too_many_colours_stays_valid(tmp_path):
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 256, (20, 30, 3), dtype=np.uint8) for _ in range(3)]
    info = write_animation(tmp_path / "noise.gif", frames, "gif")
    assert info["colours"] == 255
    decoded, _ = gif_frames(tmp_path / "noise.gif")
    assert len(decoded) == 3
    assert np.abs(decoded[0][0][..., :3].astype(int) - frames[0]).mean() < 40


def test_mp4_decodes_with_even_size_and_held_frames(tmp_path):
    import imageio.v3 as iio

    frames = [solid(v, size=(21, 33)) for v in (0, 120, 240)]
    info = write_animation(tmp_path / "v.mp4", frames, "mp4", durations_ms=100, hold_last_ms=500)
    assert info["fps"] == 10 and info["frames"] == 8
    video = iio.imread(tmp_path / "v.mp4", plugin="pyav") if _has_pyav() else _read_ffmpeg(tmp_path / "v.mp4")
    assert video.shape[0] == 8 and video.shape[1:3] == (22, 34)
    assert abs(int(video[-1, 10, 10, 0]) - 240) < 8 and abs(int(video[0, 10, 10, 0])) < 8
    data = (tmp_path / "v.mp4").read_bytes()
    assert 0 < data.find(b"moov") < data.find(b"mdat")  # faststart: the index comes before the data


def test_mp4_frame_rate_is_the_slowest_that_keeps_every_duration_whole(tmp_path):
    frames = [solid(v, size=(16, 16)) for v in (0, 120, 240)]
    path = tmp_path / "d.mp4"
    info = write_animation(path, frames, "mp4", durations_ms=[900, 300, 300], hold_last_ms=2500)
    assert info["fps"] == 10 and info["frames"] == 9 + 3 + 28  # 0.9 s, 0.3 s, 0.3 s + 2.5 s at 10 fps
    video = _read_ffmpeg(path)
    shades = [int(round(f[8, 8, 0] / 120)) for f in video]  # 0, 1, 2 for the three frames
    assert shades == [0] * 9 + [1] * 3 + [2] * 28
    assert write_animation(path, frames, "mp4", durations_ms=[600, 250, 250], hold_last_ms=2500)["fps"] == 20
    odd = write_animation(path, frames, "mp4", durations_ms=[333, 333, 334], hold_last_ms=0)
    assert odd["fps"] == 25 and odd["frames"] == 25  # no whole rate up to 60: rounded on the running total


def _has_pyav():
    try:
        import av  # noqa: F401
    except ImportError:
        return False
    return True


def _read_ffmpeg(path):
    import imageio_ffmpeg

    gen = imageio_ffmpeg.read_frames(str(path))
    meta = gen.__next__()
    w, h = meta["size"]
    return np.array([np.frombuffer(f, np.uint8).reshape(h, w, 3) for f in gen])


def test_webp_frames_durations_and_loop(tmp_path):
    frames = [solid(10), solid(10), solid(200), solid(90)]
    info = write_animation(
        tmp_path / "a.webp", frames, "webp", durations_ms=[100, 100, 60, 40], hold_last_ms=300, loop=0
    )
    assert info["frames"] == 3
    with Image.open(tmp_path / "a.webp") as im:
        assert im.n_frames == 3 and im.info["loop"] == 0
        durations, colours = [], []
        for i in range(3):
            im.seek(i)
            colours.append(tuple(np.asarray(im.convert("RGB"))[5, 5]))  # loads the frame and its info
            durations.append(im.info["duration"])
    assert durations == [200, 60, 340]
    assert colours == [(10, 10, 10), (200, 200, 200), (90, 90, 90)]  # lossless


@pytest.mark.parametrize("fmt", ["gif", "mp4", "webp", "html"])
def test_two_writes_give_identical_bytes(tmp_path, sheet_frames, fmt):
    paths = [tmp_path / f"one.{fmt}", tmp_path / "two" / f"one.{fmt}"]
    paths[1].parent.mkdir()
    for path in paths:
        write_animation(path, (f for f in sheet_frames[:4]), fmt)
    assert sha(paths[0]) == sha(paths[1])


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_stills_have_identical_bytes_and_no_dates(tmp_path, fmt):
    def figure():
        fig = new_figure("light", "docs", aspect=0.5, nrows=1, ncols=1)
        fig.axes[0].plot([0, 1, 2], [1, 0, 1], label="loss")
        fig.axes[0].legend()
        fig.axes[0].set_title("Training")
        return fig

    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    info = write_still(a, figure(), fmt)
    write_still(b, figure(), fmt)
    assert sha(a) == sha(b) and (info["width"], info["height"]) == (800, 400)
    data = a.read_bytes()
    for marker in (b"tIME", b"CreationDate", b"<dc:date>", b"Matplotlib v"):
        assert marker not in data
    frame = weights_frame(np.zeros((784, 10)), "light", "docs")
    c, d = tmp_path / f"c.{fmt}", tmp_path / f"d.{fmt}"
    assert write_still(c, frame, fmt)["width"] == 800
    write_still(d, frame, fmt)
    assert sha(c) == sha(d)
    if fmt == "png":
        assert np.array_equal(np.asarray(Image.open(c)), frame)


@pytest.mark.parametrize("channels", ["rgb", "rgba", "gray"])
def test_a_frame_as_pdf_or_svg_holds_exactly_its_pixels(tmp_path, channels):
    import base64
    import io
    import re

    from pypdf import PdfReader

    rng = np.random.default_rng(7)
    frame = rng.integers(0, 256, (61, 90, 4), dtype=np.uint8)
    frame[:10, :20, 3] = 0  # fully transparent: its colour must survive too
    frame = {"rgb": frame[..., :3], "rgba": frame, "gray": frame[..., 0]}[channels]
    want = np.repeat(frame[..., None], 3, axis=2) if channels == "gray" else frame  # gray stays gray
    assert write_still(tmp_path / "f.pdf", frame, "pdf")["width"] == 90
    page = PdfReader(tmp_path / "f.pdf").pages[0]
    assert [float(v) for v in page.mediabox] == [0, 0, 90 * 0.72, 61 * 0.72]  # 100 pixels an inch
    assert np.array_equal(np.asarray(page.images[0].image), want)
    write_still(tmp_path / "f.svg", frame, "svg")
    svg = (tmp_path / "f.svg").read_text()
    image = re.search(r'data:image/png;base64,([^"]+)"[^>]* transform="([^"]+)"', svg)
    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(image[1]))))
    assert image[2] == "scale(1 -1) translate(0 -43.92)"  # stored bottom row first, shown upright
    assert np.array_equal(pixels[::-1, :, : want.shape[2]], want)


def _boom(exc, after=2):
    for i in range(10):
        if i == after:
            raise exc
        yield solid(i * 20)


@pytest.mark.parametrize("fmt", ["gif", "mp4", "webp", "html"])
@pytest.mark.parametrize("exc", [RuntimeError("data went away"), KeyboardInterrupt()])
def test_interrupted_write_leaves_nothing(tmp_path, fmt, exc):
    target = tmp_path / f"anim.{fmt}"
    with pytest.raises(type(exc)):
        write_animation(target, _boom(exc), fmt)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "anim.gif"
    write_animation(target, [solid(1), solid(2)], "gif")
    before = sha(target)
    with pytest.raises(RuntimeError):
        write_animation(target, _boom(RuntimeError("x")), "gif")
    assert sha(target) == before and [p.name for p in tmp_path.iterdir()] == ["anim.gif"]


def test_bad_input_errors(tmp_path):
    # the registry, in its order: the opt-in frames last
    assert formats() == ("gif", "mp4", "webp", "html", "png", "svg", "pdf", "frames")
    assert formats("animation") == ("gif", "mp4", "webp", "html", "frames")
    assert formats("still") == ("png", "svg", "pdf")
    with pytest.raises(ValueError, match=r"unknown format 'gfi' \(did you mean 'gif'\?\)"):
        get_writer("gfi")
    with pytest.raises(ValueError, match="durations"):
        write_animation(tmp_path / "a.gif", [solid(1), solid(2), solid(3)], "gif", durations_ms=[100, 100])
    with pytest.raises(ValueError, match="durations"):
        write_animation(tmp_path / "a.gif", [solid(1)], "gif", durations_ms=[100, 100])
    for fmt in ("gif", "html"):  # captions are checked whichever writer shows them
        with pytest.raises(ValueError, match="2 frames but 1 captions"):
            write_animation(tmp_path / f"a.{fmt}", [solid(1), solid(2)], fmt, captions=["one"])
        with pytest.raises(ValueError, match="captions"):
            write_animation(tmp_path / f"a.{fmt}", [solid(1), solid(2), solid(3)], fmt, captions=["a", "b"])
    for zero in (0, 0.0, -5):  # one duration for every frame: refused, never divided by (the frame rate)
        with pytest.raises(ValueError, match=f"^frame duration must be positive, got {zero} ms$"):
            write_animation(tmp_path / "a.mp4", [solid(1), solid(2)], "mp4", durations_ms=zero)
    with pytest.raises(ValueError, match="first frame"):
        write_animation(tmp_path / "a.gif", [solid(1), solid(1, size=(10, 10))], "gif")
    with pytest.raises(ValueError, match="no frames"):
        write_animation(tmp_path / "a.gif", [], "gif")
    with pytest.raises(ValueError, match="write_still"):
        write_animation(tmp_path / "a.png", [solid(1)], "png")
    with pytest.raises(ValueError, match="write_animation"):
        write_still(tmp_path / "a.gif", solid(1), "gif")
    assert list(tmp_path.iterdir()) == []


def test_progress_callback(tmp_path):
    calls = []
    write_animation(
        tmp_path / "p.gif", [solid(1), solid(2), solid(3)], "gif", progress=lambda i, n: calls.append((i, n))
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_every_format_here_is_available_and_an_unavailable_one_is_named(monkeypatch):
    check_available(formats())  # this machine writes them all
    monkeypatch.setattr(get_writer("webp"), "unavailable", classmethod(lambda cls: "no libwebp"))
    with pytest.raises(ValueError, match=r"^format 'webp' cannot be written on this machine: no libwebp$"):
        check_available(["gif", "webp"])


def test_a_writer_must_implement_the_streaming_protocol():
    class Half(AnimationWriter):
        def setup(self, path, width, height, **options):
            pass

    with pytest.raises(TypeError, match="abstract"):
        Half()


def test_an_svg_is_as_many_px_wide_as_its_png(tmp_path):
    """A browser shows the SVG at the size the manifest records (matplotlib alone writes 576pt: 768 px)."""
    import re

    fig = new_figure("light", "slides", aspect=0.5, nrows=1, ncols=1)
    frame = weights_frame(np.zeros((784, 10)), "light", "docs")
    for name, content, size in (("fig", fig, (1920, 960)), ("frame", frame, (800, 360))):
        info = write_still(tmp_path / f"{name}.svg", content, "svg")
        root = re.search(r"<svg\b[^>]*>", (tmp_path / f"{name}.svg").read_text())[0]
        assert (info["width"], info["height"]) == size
        assert f'width="{size[0]}px"' in root and f'height="{size[1]}px"' in root
