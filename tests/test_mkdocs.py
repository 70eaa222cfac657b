"""The MkDocs plugin: the README's example built with the real ``mkdocs build --strict`` (quick sizes), a
mistake reported with the page and line, and ``mkdocs serve`` rebuilding once per recipe edit, never in a
loop."""

from __future__ import annotations

import json
import queue
import re
import socket
import subprocess
import sys
import threading
import time

import pytest

from figgen.writers._frame import HOST_SCRIPT
from tests._readme import project

MKDOCS = [sys.executable, "-m", "mkdocs"]


pytestmark = pytest.mark.docs


@pytest.fixture
def site(tmp_path, monkeypatch, shared_cache):
    root = project(tmp_path / "site", "mkdocs.yml", "docs/index.md")
    config = root / "mkdocs.yml"
    assert "quick: false" in config.read_text()
    config.write_text(config.read_text().replace("quick: false", "quick: true"))  # the example, quick
    monkeypatch.chdir(root)
    return root


def files_under(folder):
    return {p.relative_to(folder): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_the_readme_example_builds_with_alt_texts_and_only_the_files_it_shows(site, shared_cache):
    docs_before = files_under(site / "docs")
    done = subprocess.run([*MKDOCS, "build", "--strict"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert files_under(site / "docs") == docs_before  # nothing written where mkdocs serve watches
    assert (site / "site/search/search_index.json").is_file()  # the README keeps MkDocs' default search
    assert not (site / "site/figgen/figgen.css").exists()  # no dark scheme: one figure each, no stylesheet
    page = (site / "site/index.html").read_text()
    shown = sorted(str(p.relative_to(site / "site")) for p in (site / "site/figgen").rglob("*.*"))
    assert [re.sub(r"-[0-9a-f]{12}/", "/", s) for s in shown] == [
        "figgen/gradient_descent/gradient_descent_filmstrip.png",
        "figgen/softmax/softmax.svg",
        "figgen/weights_evolution/weights_evolution.html",
    ]
    alts = {}
    for manifest in (shared_cache / "mkdocs").glob("*/manifest.json"):
        for record in json.loads(manifest.read_text())["outputs"]:
            alts[record["path"]] = record["alt"]
    softmax, player, strip = shown[1], shown[2], shown[0]
    assert f'<img alt="{alts["softmax.svg"]}" src="{softmax}"' in page  # empty alt: the recipe's
    assert f'src="{player}" title="{alts["weights_evolution.html"]}"' in page and HOST_SCRIPT in page
    assert f'<img alt="Key frames, for print" src="{strip}"' in page
    assert "figgen-only-" not in page and "#only-" not in page


def test_a_mistake_names_the_page_and_line(site):
    (site / "docs/index.md").write_text(
        "# Oops\n\n![](figgen:sofmax.png)\n\n```\n![](figgen:shown.png)\n```\n"
    )
    done = subprocess.run([*MKDOCS, "build"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "index.md:3: figgen:sofmax.png: unknown recipe 'sofmax' (did you mean 'softmax'?)" in done.stderr
    (site / "docs/index.md").write_text("![](figgen:softmax.gif)\n")
    done = subprocess.run([*MKDOCS, "build"], capture_output=True, text=True, timeout=300)
    assert "softmax/softmax is a still: format 'gif' is not one of png, svg, pdf" in done.stderr
    (site / "docs/index.md").write_text("![](figgen:softmax.pdf)\n")  # a PDF becomes a link, not an image
    assert subprocess.run([*MKDOCS, "build", "--strict"], capture_output=True, timeout=300).returncode == 0
    link = re.search(
        r'<a href="(figgen/softmax-\w+/softmax.pdf)">Bar charts', (site / "site/index.html").read_text()
    )
    assert link and (site / "site" / link.group(1)).read_bytes().startswith(b"%PDF")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_rebuilds_once_per_recipe_edit(site):
    serve = subprocess.Popen(
        [*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{free_port()}"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in serve.stderr], daemon=True).start()

    def read_until(pattern: str, timeout: float) -> list[str]:
        seen, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=0.1))
            except queue.Empty:
                continue
            if re.search(pattern, seen[-1]):
                return seen
        raise AssertionError(f"no line matching {pattern!r} in {seen}")

    try:
        read_until(r"Serving on", 120)
        with (site / "recipes/softmax.py").open("a") as recipe:
            recipe.write("# an edit\n")
        rebuild = read_until(r"Documentation built", 60)
        assert sum("figgen: built softmax" in line for line in rebuild) == 1
        assert not any("figgen: built" in line and "softmax" not in line for line in rebuild)
        time.sleep(3)  # a build that wrote into the watched folders would start another build here
        quiet = []
        while not lines.empty():
            quiet.append(lines.get())
        assert not any("Building documentation" in line for line in quiet), quiet
    finally:
        serve.terminate()
        serve.wait(timeout=30)


def test_a_title_with_escaped_quotes_is_read_and_kept(site):
    """``"a \\"quoted\\" title"`` is one title: the image is built and shown with it, no ``figgen:`` left."""
    (site / "docs/index.md").write_text('# Quotes\n\n![Bars](figgen:softmax.svg "a \\"quoted\\" title")\n')
    done = subprocess.run([*MKDOCS, "build", "--strict"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = (site / "site/index.html").read_text()
    assert "figgen:" not in page
    assert re.search(
        r'<img alt="Bars" src="figgen/softmax-\w+/softmax.svg" title="a &quot;quoted&quot; title"', page
    )


# --- the plugin's reading of a page, without a docs build: what becomes a figure, what is refused -----------

from types import SimpleNamespace  # noqa: E402

from mkdocs.exceptions import PluginError  # noqa: E402

from figgen.integrations.mkdocs import FiggenPlugin  # noqa: E402


def shown_page(monkeypatch, markdown: str) -> str:
    """The page as the plugin leaves it, each figgen image shown as ``[SHOWN target|alt|title]``."""
    plugin = FiggenPlugin()

    def show(match, page, config, files):
        return f"[SHOWN {match['target']}|{match['alt']}|{match['title'] or ''}]"

    monkeypatch.setattr(plugin, "_show", show)
    return plugin.on_page_markdown(
        markdown, SimpleNamespace(file=SimpleNamespace(src_uri="guide.md")), None, None
    )


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ('![x](figgen:digit.png "a \\"quoted\\" title")', '[SHOWN digit.png|x| "a \\"quoted\\" title"]'),
        ("![x](figgen:digit.png 'single (quoted)')", "[SHOWN digit.png|x| 'single (quoted)']"),
        ("![x](figgen:digit.png (parenthesised))", "[SHOWN digit.png|x| (parenthesised)]"),
        ('![x](figgen:digit.png "")', '[SHOWN digit.png|x| ""]'),
        ("![a \\] b](figgen:digit.png)", "[SHOWN digit.png|a \\] b|]"),
        ("![x](<figgen:digit.png>)", "[SHOWN digit.png|x|]"),
        ('text `![x](figgen:digit.png "broken)` text', 'text `![x](figgen:digit.png "broken)` text'),
        ('```\n![x](figgen:digit.png "broken)\n```\n', '```\n![x](figgen:digit.png "broken)\n```\n'),
        ("see the figgen: plugin", "see the figgen: plugin"),
        ("write `![](figgen:digit.png)` in a page", "write `![](figgen:digit.png)` in a page"),
        ("![](figgen:digit.png) `code` ![](figgen:one_hot)", "[SHOWN digit.png||] `code` [SHOWN one_hot||]"),
    ],
)
def test_a_page_reference_is_read_whatever_its_title(monkeypatch, markdown, expected):
    assert shown_page(monkeypatch, markdown) == expected


@pytest.mark.parametrize(
    ("markdown", "line", "text"),
    [
        ('Intro\n\n![x](figgen:digit.png "unterminated)\n', 3, '![x](figgen:digit.png "unterminated)'),
        ("![x](figgen:digit.png title without quotes)", 1, "![x](figgen:digit.png title without quotes)"),
        ("![x](figgen: digit.png)", 1, "![x](figgen: digit.png)"),
        ('a\n<img src="figgen:digit.png">', 2, 'src="figgen:digit.png'),
        ("[the player](figgen:digit.html)", 1, "[the player](figgen:digit.html)"),
    ],
)
def test_a_reference_the_plugin_cannot_read_stops_the_build_naming_the_page_line_and_text(
    monkeypatch, markdown, line, text
):
    with pytest.raises(PluginError) as caught:
        shown_page(monkeypatch, markdown)
    message = str(caught.value)
    assert message.startswith(f"guide.md:{line}: cannot read this figgen reference: ") and text in message
    assert "\n" not in message
