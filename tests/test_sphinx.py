"""figgen.sphinx with the real sphinx-build (quick sizes) on the README's Sphinx and MyST example: parallel
reading, the text builder, the built page in Chromium, errors at the directive's line, and the options of
Sphinx's figure. (The README's example as a user builds it, in both layouts, and the other builders:
test_sphinx_layouts.py; dark mode: test_sphinx_dark.py.)"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from sphinx.cmd.build import build_main

from tests._browser import CHROMIUM, Browser
from tests._readme import project

QUICK = ["-D", "figgen_quick=1"]  # the README's example, at --quick sizes


pytestmark = pytest.mark.docs


@pytest.fixture
def course(tmp_path, monkeypatch, shared_cache):
    root = project(tmp_path / "course", "docs/conf.py", "docs/index.rst", "docs/tutorial.md")
    monkeypatch.chdir(root)
    return root


@pytest.mark.browser
def test_parallel_reading_other_builders_and_the_page_in_a_browser(course, tmp_path):
    done = subprocess.run(  # a fresh process: sphinx forks its readers, which build at once
        [sys.executable, "-m", "sphinx", "-j", "2", "-b", "html", "-W", "--no-color", *QUICK]
        + ["-D", "figgen_theme=dark", "docs", "docs/_build/html"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert build_main(["-b", "text", "-W", "--no-color", *QUICK, "docs", "docs/_build/text"]) == 0
    text = (course / "docs/_build/text/tutorial.txt").read_text()
    words = " ".join(text.split())
    assert "The ten weight sheets, red for pixels that vote for a class" in words  # alt, not a player
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (Debian package 'chromium')")
    with Browser(tmp_path / "profile") as browser:
        page = browser.open((course / "docs/_build/html/index.html").as_uri(), width=1000, height=2400)
        page.wait_for("document.querySelector('iframe.figgen-player').style.height.endsWith('px')")
        images = page.evaluate("Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0])")
        assert images and all(ok for (ok,) in images)  # every image decodes; the player ran and sized itself
        page.screenshot(tmp_path / "sphinx.png")
    assert (tmp_path / "sphinx.png").stat().st_size > 20_000


BAD = """
Bad
===

.. figgen:: sofmax

.. figgen:: softmax
   :format: gif

.. figgen:: softmax
   :set: ZEROS

.. figgen:: softmax
   :set: NOPE=3

.. figgen:: gradient_descent/gradient_descent_flimstrip

.. figgen:: softmax
   :theme: drak

.. figgen:: gradient_descent/gradient_descent_filmstrip
   :format: pdf
   :class: handout
"""


def test_errors_name_the_file_and_line(course, capsys):
    (course / "docs/bad.rst").write_text(BAD)
    reported = build_main(["-b", "html", "-q", "--no-color", *QUICK, "docs", "docs/_build/html"])
    assert reported == 0  # the errors are reported, and the build goes on
    errors = [line for line in capsys.readouterr().err.splitlines() if "bad.rst" in line]
    where = str(course / "docs/bad.rst")
    assert errors[:6] == [
        f"{where}:5: ERROR: figgen: unknown recipe 'sofmax' (did you mean 'softmax'?) [docutils]",
        f"{where}:7: ERROR: figgen: softmax/softmax is a still: format 'gif' is not one of png, svg, pdf"
        " [docutils]",
        f"{where}:10: ERROR: figgen: :set: item 'ZEROS': expected KEY=VALUE [docutils]",
        f"{where}:13: ERROR: figgen: recipe 'softmax' has no parameter 'NOPE' [docutils]",
        f"{where}:16: ERROR: figgen: recipe 'gradient_descent' has no output 'gradient_descent_flimstrip'"
        " (did you mean 'gradient_descent_filmstrip'?) [docutils]",
        f"{where}:18: ERROR: figgen: unknown theme 'drak' (did you mean 'dark'?) [docutils]",
    ]
    link = re.search(
        r'<a class="figgen-link handout" href="([^"]+)">\d+ key frames',
        (course / "docs/_build/html/bad.html").read_text(),
    )
    assert link and (course / "docs/_build/html" / link.group(1)).read_bytes().startswith(
        b"%PDF"
    )  # a PDF: a link


NAMED = """Named
=====

.. figgen:: softmax
   :caption: Softmax, numbered.
   :name: fig-softmax
   :align: center

.. figgen:: softmax
   :name: plain-softmax
   :align: right

.. figgen:: softmax
   :format: png
   :figwidth: 70%
   :figclass: wide
   :height: 120
   :scale: 50
   :loading: lazy
   :target: https://example.org/softmax

.. figgen:: gradient_descent
   :name: the-player

See :numref:`fig-softmax`, :ref:`the plain one <plain-softmax>` and :ref:`the player <the-player>`.
"""

IMAGE_ONLY = """Image only
==========

.. figgen:: weights_evolution
   :height: 100
"""


def test_the_options_of_sphinx_figures_and_an_image_option_on_a_player(course, capsys):
    """:name: labels the figure for :numref: (numbered, with its caption) and :ref:; :align: places it; the
    other figure options reach the page; an image option on a player is an error at its line (one build)."""
    (course / "docs/named.rst").write_text(NAMED)
    (course / "docs/only.rst").write_text(":orphan:\n\n" + IMAGE_ONLY)
    index = course / "docs/index.rst"
    assert "   tutorial\n" in index.read_text()
    index.write_text(index.read_text().replace("   tutorial\n", "   tutorial\n   named\n"))
    with open(course / "docs/conf.py", "a") as conf:
        conf.write("\nnumfig = True\n")
    assert build_main(["-b", "html", "-q", "--no-color", *QUICK, "docs", "docs/_build/html"]) == 0
    errors = [line for line in capsys.readouterr().err.splitlines() if "ERROR" in line or "WARNING" in line]
    assert len(errors) == 1 and errors[0].endswith(
        "only.rst:6: ERROR: figgen: :height: apply to an image; weights_evolution is shown as HTML "
        "(give :format: png, or leave them out) [docutils]"
    )
    page = (course / "docs/_build/html/named.html").read_text()
    assert re.search(r'<figure class="align-center" id="fig-softmax">', page)
    assert re.search(
        r'<a class="reference internal" href="#fig-softmax"><span class="std std-numref">Fig\. \d+', page
    )
    assert 'href="#plain-softmax"' in page and re.search(r'<img[^>]*class="align-right"[^>]*>', page)
    figure = re.search(r'<figure class="wide[^"]*" style="width: 70%">(.*?)</figure>', page, re.S)
    assert figure, page
    link = '<a class="reference external image-reference" href="https://example.org/softmax"><img '
    assert link in figure.group(1)
    image = re.search(r"<img [^>]*>", figure.group(1))
    assert image and all(a in image.group(0) for a in ('height="60"', 'loading="lazy"', 'width="400"'))
    assert (
        '<span id="the-player"></span><iframe class="figgen-player"' in page and 'href="#the-player"' in page
    )
    # LaTeX: the player's still, after a label for its :name: (Sphinx's LaTeX writer labels no image)
    doctrees = ["-d", "docs/_build/html/.doctrees"]  # the HTML build's: no page is read again
    assert (
        build_main(["-b", "latex", "-q", "--no-color", *QUICK, *doctrees, "docs", "docs/_build/latex"]) == 0
    )
    (tex,) = (course / "docs/_build/latex").glob("*.tex")
    assert re.search(
        r"\\label\{\\detokenize\{named:the-player\}\}\s*\\noindent\\sphinxincludegraphics"
        r"\[height=0\.75\\textheight\]\{\{gradient_descent_filmstrip\d*\}\.png\}",
        tex.read_text(),
    ), tex.read_text()
