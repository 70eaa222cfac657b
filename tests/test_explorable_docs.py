"""An explorable inside the docs tools, end to end: explore_descent on a real Sphinx page, a real MkDocs site
and a notebook run on a real Jupyter kernel, each opened in Chromium and driven there (the page inside the
tool's iframe answers ``window.figgenExplorable`` with Python's numbers, and the iframe takes the height the
page asks for); and the still that builders without scripts show instead (Sphinx's LaTeX and text, nbconvert's
LaTeX). explore_descent needs no training, so each build takes seconds."""

from __future__ import annotations

import base64
import html
import re
import subprocess
import sys
import time

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from PIL import Image
from sphinx.cmd.build import build_main

from figgen.analysis.descent import descent_summary, gradient_descent_path, learning_rate_verdict
from figgen.core.regime import regime
from tests._browser import CHROMIUM, Browser
from tests._readme import project

pytestmark = pytest.mark.docs

INDEX_RST = """Course figures
==============

Turn the learning rate:

.. figgen:: explore_descent
"""

INDEX_MD = """# Course figures

Turn the learning rate:

![](figgen:explore_descent.html)
"""

READY = "document.documentElement && document.documentElement.dataset.state === 'ready'"


def drive(tab, page_end: str, tmp_path) -> None:
    """In the site's page open in ``tab``: the page inside the explorable's iframe answers its script and a
    key on its slider with figgen's Python path, regime and the words it shows; and the iframe takes the
    height of the page's content, shrinking with it when the column narrows."""
    tab.wait_for("document.querySelector('iframe.figgen-explorable') !== null")
    frame = tab.browser.frame(page_end, parent=tab)
    frame.wait_for(READY)
    rates = frame.evaluate("FX.data.rates")
    for rate, x0 in ((min(rates, key=lambda r: abs(r - 0.5)), 4.0), (rates[-1], 2.0)):
        state = frame.evaluate(f"figgenExplorable.set({{LEARNING_RATE: {rate}, X0: {x0}, STEP: 30}})")
        path = gradient_descent_path(x0, rate, 30)
        assert (state["LEARNING_RATE"], state["X0"]) == (rate, x0)
        np.testing.assert_allclose(state["x"], path, rtol=1e-12)
        assert state["regime"] == regime(np.abs(path), abs(x0))
        assert state["verdict"] == learning_rate_verdict(path)
        shown = frame.evaluate("document.getElementById('verdict').textContent")
        assert shown == f"Over 30 steps {descent_summary(path)}"
    assert state["regime"] == "diverged"  # the second rate: the page is not stuck at its first state
    status = frame.evaluate("document.getElementById('fx-status').textContent")
    assert status.startswith(f"LEARNING_RATE {rates[-1]:.3g} from x₀ = 2: at step 30 of 30")
    # the iframe is as tall as the page's content (and shrinks with it, below)
    iframe = "document.querySelector('iframe.figgen-explorable')"
    content = "Math.ceil(document.querySelector('main.fx').getBoundingClientRect().bottom)"

    def settled() -> float:  # the iframe's height once it matches the content's (two processes: poll)
        deadline = time.monotonic() + 10
        while True:
            height, inner = tab.evaluate(f"{iframe}.getBoundingClientRect().height"), frame.evaluate(content)
            if abs(height - inner) <= 2:
                return height
            assert time.monotonic() < deadline, f"the iframe is {height} px, its content {inner} px"
            time.sleep(0.05)

    # a reader's click on the rate slider, then ←: one rate down, drawn and said. The reader sees the
    # slider before clicking it: the site's page loaded whole, the iframe at the height its page asked for,
    # and painted (two animation frames)
    tab.wait_for("document.readyState === 'complete'")
    tab.wait_for(f"{iframe}.style.height.endsWith('px')")
    settled()
    frame.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    box = tab.evaluate(
        f"(function () {{ var r = {iframe}.getBoundingClientRect(); return [r.left, r.top]; }})()"
    )
    x, y = frame.centre("#rate", 0.5)
    assert frame.evaluate(f"document.elementFromPoint({x}, {y}).id") == "rate"
    x, y = box[0] + x, box[1] + y
    assert tab.evaluate(f"document.elementFromPoint({x}, {y}) === {iframe}"), (x, y, box)
    tab.click(x, y)  # the rate under the mouse, and the slider has the keys
    # the iframe's own process handles the click after the call returns: wait for it
    frame.wait_for(f"figgenExplorable.state().LEARNING_RATE !== {rates[-1]}")
    clicked = rates.index(frame.evaluate("figgenExplorable.state().LEARNING_RATE"))
    assert 0.3 * len(rates) < clicked < 0.7 * len(rates)
    tab.press("ArrowLeft")
    frame.wait_for(f"figgenExplorable.state().LEARNING_RATE === {rates[clicked - 1]}")
    path = gradient_descent_path(2.0, rates[clicked - 1], 30)
    assert frame.evaluate("document.getElementById('verdict').textContent") == (
        f"Over 30 steps {descent_summary(path)}"
    )
    wide = settled()
    tab.screenshot(tmp_path / "page.png")
    tab.evaluate(f"{iframe}.style.maxWidth = '480px'")
    tab.wait_for(f"{iframe}.getBoundingClientRect().height < {wide - 50}")  # 495 to 397 px
    settled()


@pytest.fixture
def browser(tmp_path):
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (Debian package 'chromium')")
    with Browser(tmp_path / "profile") as opened:
        yield opened


@pytest.mark.browser
def test_sphinx_shows_the_page_and_builders_without_scripts_its_still(
    tmp_path, monkeypatch, shared_cache, browser
):
    root = project(tmp_path / "course", "docs/conf.py")
    (root / "docs/index.rst").write_text(INDEX_RST)
    monkeypatch.chdir(root)
    quick = ["-D", "figgen_quick=1"]
    assert build_main(["-b", "html", "-W", "--no-color", *quick, "docs", "docs/_build/html"]) == 0
    site = root / "docs/_build/html"
    index = (site / "index.html").read_text()
    (src,) = re.findall(r'<iframe class="figgen-player figgen-explorable[^"]*" src="([^"]+)"', index)
    assert src.endswith("explore_descent.html") and (site / src).is_file()
    tab = browser.open((site / "index.html").as_uri(), width=1000, height=1600)
    drive(tab, "explore_descent.html", tmp_path)
    # LaTeX: the page's still, copied into the book; text: the recipe's alt text
    assert build_main(["-b", "latex", "-W", "--no-color", *quick, "docs", "docs/_build/latex"]) == 0
    tex = next((root / "docs/_build/latex").glob("*.tex")).read_text()
    (still,) = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{?([^}]+?)\}?\}", tex)
    picture = next((root / "docs/_build/latex").glob(f"{still}*"))
    assert picture.name.startswith("explore_descent_poster") and Image.open(picture).size[0] >= 600
    assert build_main(["-b", "text", "-W", "--no-color", *quick, "docs", "docs/_build/text"]) == 0
    words = " ".join((root / "docs/_build/text/index.txt").read_text().split())
    assert "Gradient descent on y = x²" in words and "learning rate" in words


@pytest.mark.browser
def test_mkdocs_shows_the_page(tmp_path, monkeypatch, shared_cache, browser):
    root = project(tmp_path / "site", "mkdocs.yml")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("quick: false", "quick: true"))
    (root / "docs").mkdir()
    (root / "docs/index.md").write_text(INDEX_MD)
    monkeypatch.chdir(root)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    index = (root / "site/index.html").read_text()
    (src,) = re.findall(r'<iframe class="figgen-player figgen-explorable[^"]*" src="([^"]+)"', index)
    assert (root / "site" / src).is_file()
    tab = browser.open((root / "site/index.html").as_uri(), width=1000, height=1600)
    drive(tab, "explore_descent.html", tmp_path)


@pytest.mark.browser
def test_a_notebook_shows_the_page_and_nbconvert_latex_its_still(tmp_path, browser):
    root = project(tmp_path / "course")
    notebook = nbformat.v4.new_notebook()
    cell = 'import figgen\n\nfiggen.show("explore_descent", quick=True)'
    notebook.cells = [nbformat.v4.new_code_cell(cell)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FIGGEN_CACHE", str(tmp_path / "cache"))
        NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(root)}}
        ).execute()
    (shown,) = notebook.cells[0].outputs
    page = shown.data["text/html"]
    assert page.startswith('<iframe class="figgen-player figgen-explorable" srcdoc="&lt;!DOCTYPE html&gt;')
    alt = shown.data["text/plain"].split("> ", 1)[1]
    assert f'title="{html.escape(alt)}"' in page
    assert base64.b64decode(shown.data["image/png"]).startswith(b"\x89PNG")  # the still, for LaTeX
    nbformat.write(notebook, root / "notebook.ipynb")
    for to in ("html", "latex"):
        command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", to, "notebook.ipynb"]
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
    tex = (root / "notebook.tex").read_text()
    (picture,) = re.findall(r"\\adjustimage\{[^\n]*\}\{([^}]+)\}", tex)
    assert (root / picture).read_bytes() == base64.b64decode(shown.data["image/png"])
    tab = browser.open((root / "notebook.html").as_uri(), width=1000, height=1600)
    drive(tab, "about:srcdoc", tmp_path)
