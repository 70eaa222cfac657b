"""figgen as a user gets it from ``pip install figgen``: the wheel built from this checkout, installed in a
new virtual environment, used from an empty folder outside the repository, the way the README says.

The wheel is built once for the module and installed without dependencies into a fresh ``venv``; the
dependencies (TensorFlow, Sphinx, MkDocs, Jupyter) come from the test environment through a ``.pth`` line, so
what is tested is figgen's own packaging: its modules, its recipes and data set as package data, its scripts
and entry points. The repository is nowhere on the path (the test checks ``figgen.__file__``).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests._readme import examples

ROOT = Path(__file__).resolve().parents[1]
RECIPES = sorted(p.stem for p in (ROOT / "recipes").glob("*.py"))

pytestmark = [pytest.mark.docs, pytest.mark.slow]


class Installed:
    """A virtual environment holding figgen from its wheel; ``run`` runs a command there, in ``cwd``."""

    def __init__(self, venv: Path, cache: Path):
        self.venv, self.cache = venv, cache
        self.bin = venv / "bin"
        self.python = self.bin / "python"

    def run(self, *command: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env.update(FIGGEN_CACHE=str(self.cache), PATH=f"{self.bin}{os.pathsep}{env.get('PATH', '')}")
        done = subprocess.run(
            [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
        )
        if check and done.returncode != 0:
            raise AssertionError(f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"  # a copy: building writes build/ and *.egg-info beside the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("figgen", "recipes"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", base / "dist", source],
        check=True,
        capture_output=True,
    )
    (wheel,) = (base / "dist").glob("figgen-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    subprocess.run([*pip, "--python", venv / "bin" / "python", "install", "--no-deps", wheel], check=True)
    site = Path(
        subprocess.run(
            [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "zz_figgen_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return Installed(venv, base / "cache")


@pytest.fixture
def folder(tmp_path) -> Path:
    """An empty folder outside the repository, as a user's new project."""
    (tmp_path / "project").mkdir()
    return tmp_path / "project"


def test_the_wheel_holds_figgen_its_recipes_and_data_and_the_repository_is_not_on_the_path(installed, folder):
    done = installed.run("python", "-c", "import figgen, json; print(figgen.__file__)", cwd=folder)
    package = Path(done.stdout.strip()).parent
    assert package.is_relative_to(installed.venv) and not package.is_relative_to(ROOT)
    assert sorted(p.stem for p in (package / "recipes").glob("*.py")) == RECIPES
    assert (package / "data" / "mnist-sample" / "README.md").is_file()

    listed = json.loads(installed.run("figgen", "list", "--json", cwd=folder).stdout)
    assert sorted(r["name"] for r in listed) == RECIPES
    assert all(r["builtin"] and Path(r["path"]).parent == package / "recipes" for r in listed)
    assert list(folder.iterdir()) == []  # listing writes nothing


def test_the_cli_builds_and_a_copied_recipe_replaces_figgens_own(installed, folder):
    installed.run("figgen", "build", "digit", "softmax", "--quick", "--out", "out", cwd=folder)
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    assert {o["path"] for o in manifest["outputs"]} >= {
        "digit.png",
        "digit.svg",
        "softmax.png",
        "softmax.svg",
    }

    done = installed.run("figgen", "recipes", "copy", "digit", cwd=folder)
    assert "copied digit to recipes/digit.py" in done.stdout
    copy = folder / "recipes" / "digit.py"
    copy.write_text(copy.read_text().replace('"""One training digit.', '"""My own digit.', 1))
    lines = installed.run("figgen", "list", cwd=folder).stdout.splitlines()
    assert any(
        line.startswith("digit") and "My own digit." in line and "[yours: recipes/digit.py]" in line
        for line in lines
    ), lines
    again = installed.run("figgen", "recipes", "copy", "digit", cwd=folder, check=False)
    assert again.returncode == 2 and "recipes/digit.py already exists" in again.stderr
    assert "My own digit." in copy.read_text()  # never replaced


def test_sphinx_builds_the_readme_example_as_html_latex_and_epub(installed, folder):
    for name in ("docs/conf.py", "docs/index.rst", "docs/tutorial.md"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(examples(name)[0])
    (folder / "recipes").mkdir(exist_ok=True)  # if the README's conf.py names the user's ../recipes
    sphinx = ("python", "-m", "sphinx", "-q", "-W", "-D", "figgen_quick=1", "-d", "docs/_build/doctrees")
    done = installed.run(*sphinx, "docs", "docs/_build/html", cwd=folder)
    html = (folder / "docs" / "_build" / "html" / "index.html").read_text()
    assert html.count("<iframe") >= 1 and "<video" in html and "softmax" in html, done.stderr
    assert (folder / "docs" / "_build" / "html" / "tutorial.html").is_file()

    installed.run(*sphinx, "-b", "latex", "docs", "docs/_build/latex", cwd=folder)
    tex = next((folder / "docs" / "_build" / "latex").glob("*.tex")).read_text()
    shown = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{([^}]+)\}(\.\w+)\}", tex)
    assert any("filmstrip" in name for name, _ in shown), tex[-3000:]  # an animation's still, in print
    for name, suffix in shown:
        assert (folder / "docs" / "_build" / "latex" / f"{name}{suffix}").is_file()

    epub3 = ("-D", "copyright=2026", "-D", "version=1")  # Sphinx's EPUB 3 asks for them (a warning: -W)
    installed.run(*sphinx, *epub3, "-b", "epub", "docs", "docs/_build/epub", cwd=folder)
    (book,) = (folder / "docs" / "_build" / "epub").glob("*.epub")
    with zipfile.ZipFile(book) as epub:
        names = set(epub.namelist())
        pages = "".join(epub.read(n).decode() for n in names if n.endswith(".xhtml"))
    assert "<iframe" not in pages and "<video" not in pages
    images = re.findall(r'<img[^>]* src="([^"]+)"', pages)
    assert images and all(src in names for src in images), (images, sorted(names))


def test_myst_builds_the_readme_example_through_the_installed_plugin(installed, folder):
    myst = ROOT / ".venv" / "mystmd" / "node_modules" / ".bin" / "myst"
    if not (myst.is_file() and shutil.which("node")):
        pytest.skip("mystmd is not installed: make install runs `npm install --prefix .venv/mystmd mystmd`")
    for name in ("myst.yml", "figures.md"):
        (folder / name).write_text(examples(name)[0])
    (folder / ".venv").symlink_to(installed.venv)  # the README's myst.yml names .venv/bin/figgen-myst
    done = installed.run(myst, "build", "--site", cwd=folder, check=False)
    log = done.stdout + done.stderr
    # offline, the one step that fails is fetching the site's theme template, after the content is built
    assert done.returncode == 0 or "Querying template metadata" in log, log
    content = json.loads((folder / "_build" / "site" / "content" / "figures.json").read_text())
    urls = re.findall(r'"url": "([^"]+)"', json.dumps(content["mdast"]))
    assert any(u.endswith(".png") for u in urls) and any(u.endswith(".gif") for u in urls), urls


def test_a_deck_from_the_installed_figgen(installed, folder):
    from pptx import Presentation

    (command,) = examples("figgen deck")
    installed.run(*shlex.split(command.strip()), "--quick", cwd=folder)
    deck = Presentation(str(folder / "talk.pptx"))
    assert len(deck.slides) == 2
    assert list(folder.iterdir()) == [folder / "talk.pptx"]  # built in figgen's cache, never output/


def test_mkdocs_builds_the_readme_example(installed, folder):
    (folder / "mkdocs.yml").write_text(examples("mkdocs.yml")[0].replace("quick: false", "quick: true"))
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text(examples("docs/index.md")[0])
    installed.run("python", "-m", "mkdocs", "build", "-q", "--strict", cwd=folder)
    html = (folder / "site" / "index.html").read_text()
    assert "<iframe" in html and "softmax" in html
    assert sorted(p.name for p in (folder / "docs").iterdir()) == ["index.md"]  # nothing written into docs/


def test_a_notebook_runs_the_readme_cells_on_a_kernel_of_the_installed_figgen(installed, folder, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    kernels = folder.parent / "jupyter" / "kernels" / "wheel"
    kernels.mkdir(parents=True)
    argv = [str(installed.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (kernels / "kernel.json").write_text(
        json.dumps({"argv": argv, "language": "python", "display_name": "w"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(folder.parent / "jupyter"))
    monkeypatch.setenv("FIGGEN_CACHE", str(installed.cache))
    cells = [nbformat.v4.new_code_cell(c) for c in examples("notebook.ipynb")]
    cells.append(nbformat.v4.new_code_cell("import figgen; print(figgen.__file__)"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    client = NotebookClient(
        notebook, kernel_name="wheel", timeout=600, resources={"metadata": {"path": folder}}
    )
    client.execute()
    player, still, where = (cell["outputs"] for cell in notebook.cells)
    assert "text/html" in player[-1]["data"] and "<iframe" in player[-1]["data"]["text/html"]
    assert "image/svg+xml" in still[-1]["data"]
    assert Path(where[-1]["text"].strip()).is_relative_to(installed.venv)
