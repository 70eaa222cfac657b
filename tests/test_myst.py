"""figgen-myst, MyST-MD's ``figgen`` directive: the README's example built with the real ``myst`` from npm
(``make install`` puts it in .venv/mystmd; skipped, and reported, where npm could not), checked in the site's
content (the AST MyST's theme renders) and the files it copied; a mistake reported by MyST in one line; and
the plugin's protocol, spoken directly."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from figgen.integrations import myst
from figgen.integrations.pages import PAGE_OPTIONS
from tests._readme import ROOT, project

MYST = ROOT / ".venv/mystmd/node_modules/.bin/myst"
PLUGIN = ROOT / ".venv/bin/figgen-myst"  # what the README's myst.yml names, through the project's .venv
needs_myst = pytest.mark.skipif(
    not (MYST.is_file() and PLUGIN.is_file() and shutil.which("node")),
    reason="mystmd is not installed: make install runs `npm install --prefix .venv/mystmd mystmd` (npm)",
)


def myst_build(root: Path, cache: Path) -> tuple[int, str]:
    """``myst build --site`` in ``root``, every figure at quick sizes; its code and its log."""
    env = {**os.environ, "FIGGEN_QUICK": "1", "FIGGEN_CACHE": str(cache), "CI": "true", "NO_COLOR": "1"}
    done = subprocess.run(
        [str(MYST), "build", "--site"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    return done.returncode, done.stdout + done.stderr


def site_ok(code: int, log: str) -> None:
    """The site's content was built. Offline (as in this sandbox) MyST then fails to fetch its theme's
    template, the one step that needs the network; anything else failing is the test's failure."""
    assert "⛔️" not in log and "Error" not in log.split("Querying template metadata")[0], log
    assert code == 0 or "Querying template metadata" in log, log


def nodes(tree: dict, kind: str) -> list[dict]:
    found = [tree] if tree.get("type") == kind else []
    for child in tree.get("children", []):
        found += nodes(child, kind)
    return found


def text(tree: dict) -> str:
    return tree.get("value", "") + "".join(text(child) for child in tree.get("children", []))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The README's myst.yml and figures.md in a new folder, with the environment figgen is installed in as
    the project's .venv, built once; the content of figures.md, the site's folder and how long it took."""
    root = project(tmp_path_factory.mktemp("myst") / "course", "myst.yml", "figures.md")
    (root / ".venv").symlink_to(ROOT / ".venv")
    cache = tmp_path_factory.getbasetemp() / "shared-cache"  # conftest's shared_cache: trainings are shared
    started = time.perf_counter()
    code, log = myst_build(root, cache)
    seconds = time.perf_counter() - started
    site_ok(code, log)
    content = json.loads((root / "_build/site/content/figures.json").read_text())
    public = root / "_build/site/public"
    return {"root": root, "cache": cache, "mdast": content["mdast"], "public": public, "seconds": seconds}


def built(cache: Path, recipe: str, fmt: str) -> dict:
    """The record figgen's manifest holds for the one file of ``recipe`` in ``fmt`` built for MyST."""
    records = [
        record
        for manifest in (cache / "myst").glob(f"{recipe}-*/manifest.json")
        for record in json.loads(manifest.read_text())["outputs"]
        if record["format"] == fmt and "filmstrip" not in record["output"]
    ]
    assert len(records) == 1, records
    return records[0]


def copied(site: dict, image: dict) -> bytes:
    """The bytes of the file MyST copied into the site for an image node (its url is from the site root)."""
    return (site["public"] / image["url"].lstrip("/")).read_bytes()


@needs_myst
@pytest.mark.docs
def test_the_readme_example_builds_a_site_with_each_figure_its_alt_text_and_caption(site, capsys):
    mdast, cache = site["mdast"], site["cache"]
    figures = [n for n in nodes(mdast, "container") if n.get("kind") == "figure"]
    images = nodes(mdast, "image")
    assert len(figures) == 1 and len(images) == 3, json.dumps(mdast)[:2000]

    # softmax: a PNG, the recipe's alt text, the caption with its markup, numbered, labelled and referenced
    (figure,) = figures
    still = figure["children"][0]
    softmax = built(cache, "softmax", "png")
    assert still["alt"] == softmax["alt"] and len(softmax["alt"]) > 40
    assert hashlib.sha256(copied(site, still)).hexdigest() == softmax["sha256"]  # figgen's bytes
    (caption,) = nodes(figure, "caption")
    assert text(caption).endswith("Softmax turns scores into probabilities.")
    assert text(nodes(caption, "strong")[0]) == "scores"
    assert figure["identifier"] == "fig-softmax" and figure["enumerator"] == "1"
    (reference,) = nodes(mdast, "crossReference")
    assert reference["identifier"] == "fig-softmax" and text(reference) == "Figure\u00a01"

    # gradient_descent: a GIF with the page's alt text; the same recipe as an MP4 with other parameters
    gif, video = images[1:]
    assert gif["alt"] == "Gradient descent on y = x² with four learning rates, step by step."
    assert copied(site, gif)[:6] == b"GIF89a" and gif["url"].endswith(".gif")
    assert hashlib.sha256(copied(site, gif)).hexdigest() == built(cache, "gradient_descent", "gif")["sha256"]
    mp4 = built(cache, "gradient_descent", "mp4")
    assert video["url"].endswith(".mp4") and copied(site, video)[4:8] == b"ftyp" and video["width"] == "80%"
    assert mp4["params"]["LEARNING_RATES"] == [0.1, 0.5, 1.1] and mp4["params"]["STEPS"] == 12  # :set:
    assert video["alt"] == mp4["alt"] and "0.1" in mp4["alt"]

    # figgen built in its cache folder; the project holds what the user wrote and MyST's _build
    root = site["root"]
    assert sorted(p.name for p in root.iterdir()) == [".venv", "_build", "figures.md", "myst.yml", "recipes"]
    with capsys.disabled():
        print(f"\nmyst build --site of the README example (3 figures, quick): {site['seconds']:.1f} s")


@needs_myst
@pytest.mark.docs
def test_a_mistake_is_one_line_that_myst_prints_under_the_page(site):
    root = site["root"]
    (root / "figures.md").write_text("# Figures\n\n```{figgen} sofmax\n```\n")
    code, log = myst_build(root, site["cache"])
    assert "Traceback" not in log and "figgen-myst" in log  # MyST names the plugin and the page
    line = "figgen: line 3: unknown recipe 'sofmax' (did you mean 'softmax'?)"
    assert re.search(rf"figures.md Error reading file: .*\n\n{re.escape(line)}\n", log), log


def speak(monkeypatch, capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = myst.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_specification_names_the_directive_and_every_page_option(monkeypatch, capsys):
    for args in ([], ["--plugin"]):  # MyST asks with no argument
        code, out, err = speak(monkeypatch, capsys, *args)
        (directive,) = json.loads(out)["directives"]
        assert code == 0 and not err and directive["name"] == "figgen" and directive["arg"]["required"]
        assert set(PAGE_OPTIONS) | {"format", "set", "alt", "caption", "label"} <= set(directive["options"])
        assert directive["options"]["quick"]["type"] == "boolean"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"arg": "softmax", "options": {"format": "html"}}, "MyST does not copy figgen's player"),
        ({"arg": "softmax", "options": {"align": "middle"}}, ":align: 'middle' is not one of left, center"),
        ({"arg": "softmax", "options": {"set": "STEPS"}}, ":set: item 'STEPS': expected KEY=VALUE"),
        ({"arg": "softmax", "options": {"format": "mp4"}}, "format 'mp4' is not one of"),  # a still
        ({"arg": "softmax", "options": {"caption": [{"type": "text"}]}, "body": [{}]}, "not both"),
        ({"arg": "weights_evolution/weights", "options": {}}, "has no output 'weights'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_before_any_work(monkeypatch, capsys, tmp_path, data, message):
    shutil.copytree(ROOT / "recipes", tmp_path / "recipes", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    data["node"] = {"position": {"start": {"line": 7}}}
    code, out, err = speak(monkeypatch, capsys, "--directive", "figgen", stdin=json.dumps(data))
    assert code == 2 and not out and err.startswith("figgen: line 7: ") and message in err
    assert err.count("\n") == 1 and sorted(p.name for p in tmp_path.iterdir()) == ["recipes"]  # nothing built


def test_what_is_not_the_protocol_is_refused(monkeypatch, capsys):
    assert speak(monkeypatch, capsys, "--directive", "figgen", stdin="{not json")[0] == 2
    code, _, err = speak(monkeypatch, capsys, "--directive", "image", stdin="{}")
    assert code == 2 and "no directive 'image'" in err
    code, _, err = speak(monkeypatch, capsys, "--role", "figgen")
    assert code == 2 and "no role 'figgen'" in err
