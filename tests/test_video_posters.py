"""A video shows its animation's poster still before it plays, wherever figgen writes a ``<video>``: the
gallery page and a real MkDocs site (the poster copied into the site beside the video)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from figgen.cli import main


def test_the_gallerys_video_names_the_poster_the_build_wrote(project):
    assert main(["build", "blink", "--formats", "mp4,png", "--out", "out"]) == 0
    page = (project / "out" / "index.html").read_text()
    (video,) = re.findall(r"<video[^>]*>", page)
    assert 'src="blink.mp4"' in video and 'poster="blink_poster.png"' in video
    assert Image.open(project / "out" / "blink_poster.png").size == (28, 28)
    assert main(["build", "blink", "--formats", "mp4", "--out", "mp4-only"]) == 0  # the poster comes too
    assert 'poster="blink_poster.png"' in (project / "mp4-only" / "index.html").read_text()


@pytest.mark.docs
def test_a_mkdocs_video_shows_its_poster_copied_into_the_site(project):
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Blink\n\n![](figgen:blink.mp4)\n")
    (project / "mkdocs.yml").write_text("site_name: Posters\nplugins:\n  - figgen\n")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict"], cwd=project, check=True)
    (video,) = re.findall(r"<video[^>]*>", (project / "site" / "index.html").read_text())
    poster = re.search(r'poster="([^"]+)"', video)
    assert poster and poster[1].endswith("blink_poster.png"), video
    assert (project / "site" / poster[1]).is_file()
    src = re.search(r'src="([^"]+)"', video)[1]
    assert Path(src).parent == Path(poster[1]).parent  # copied beside its video


@pytest.mark.docs
def test_a_sphinx_video_shows_its_poster_copied_into_the_build(project):
    (project / "docs").mkdir()
    (project / "docs" / "conf.py").write_text('project = "Posters"\nextensions = ["figgen.sphinx"]\n')
    (project / "docs" / "index.rst").write_text("Posters\n=======\n\n.. figgen:: blink\n   :format: mp4\n")
    command = [sys.executable, "-m", "sphinx", "-q", "-W", "docs", "docs/_build"]
    subprocess.run(command, cwd=project, check=True)
    (video,) = re.findall(r"<video[^>]*>", (project / "docs" / "_build" / "index.html").read_text())
    poster = re.search(r'poster="([^"]+)"', video)
    assert poster and poster[1].endswith("blink_poster.png"), video
    assert Image.open(project / "docs" / "_build" / poster[1]).size == (28, 28)
