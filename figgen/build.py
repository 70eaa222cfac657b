"""``figgen build``: decide what is stale, run those recipes (serially or in processes), keep the manifest.

The stages of a build:

1. resolve options (command line over ``figgen.toml`` over defaults) and check every parameter;
2. take the output folder's lock (a second build waits, or fails with ``--no-wait``);
3. stamp each selected recipe (its source, parameters, theme, preset, formats, data, figgen's code);
4. run the recipes whose stamp or files differ from the manifest; the others are up to date;
5. after each recipe, write ``manifest.json`` and ``index.html`` atomically, removing its outdated files.

A failing recipe does not stop the others (unless ``--strict``); it is reported at the end.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from figgen import __version__
from figgen.atomic import remove_leftovers
from figgen.errors import FiggenError

MANIFEST = "manifest.json"
LOCK = ".figgen.lock"
Report = Callable[..., None]  # report(event, **info)


@dataclass(frozen=True)
class RecipeJob:
    """Everything a (possibly separate) process needs to run one recipe; plain values only."""

    name: str
    path: str
    overrides: dict
    quick: bool
    data_source: str
    theme: str
    preset: str
    formats: tuple[str, ...] | None
    out_dir: str
    cache_dir: str


@dataclass
class Summary:
    """What a build did: per-recipe status and time, outputs, and failures."""

    rows: list[tuple[str, str, float]] = field(default_factory=list)  # recipe, status, seconds
    failures: list[tuple[str, str, bool]] = field(default_factory=list)  # recipe, message, user error?
    outputs: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def user_error(self) -> bool:
        return bool(self.failures) and all(user for _, _, user in self.failures)

    def lines(self) -> list[str]:
        built = sum(1 for _, status, _ in self.rows if status == "built")
        out = [f"{name:<20} {status:<10} {secs:6.2f} s" for name, status, secs in self.rows]
        out.append(
            f"{len(self.rows)} recipes ({built} built, {len(self.rows) - built - len(self.failures)} "
            f"up to date, {len(self.failures)} failed), {self.outputs} outputs in {self.seconds:.1f} s"
        )
        return out

    def error_lines(self) -> list[str]:
        return [f"figgen: error: recipe {name} failed: {message}" for name, message, _ in self.failures]


def code_fingerprint(recipe_folder: Path) -> str:
    """Hash of figgen's version, its Python sources and the recipes' ``_*.py`` helpers: a change to any of
    them restales every output."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent
    sources = [(root, p) for p in sorted(root.rglob("*.py"))]
    sources += [(recipe_folder, p) for p in sorted(recipe_folder.glob("_*.py"))]
    for base, path in sources:
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stamp(recipe, params, job: RecipeJob, data_fingerprint: str, code: str) -> str:
    """Return the hash that says whether a recipe's outputs are current.

    ``code`` covers figgen's sources and the recipe folder's shared ``_*.py`` helpers.
    """
    parts = {
        "source": recipe.source_hash,
        "params": params,
        "theme": job.theme,
        "preset": job.preset,
        "formats": job.formats,
        "data": data_fingerprint,
        "code": code,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:24]


def build(options, report: Report = lambda event, **info: None) -> Summary:
    """Build the selected recipes into ``options.out``; ``report(event, **info)`` receives progress events."""
    from dataclasses import asdict

    from figgen.data import load_dataset
    from figgen.recipe import discover_recipes, select_recipes

    started = time.perf_counter()
    discovered = discover_recipes(options.recipes)
    recipes = select_recipes(discovered, options.selected)
    catalogue = [r.name for r in discovered]
    data = load_dataset(options.data)
    per_recipe = options.overrides_for(recipes, discovered)
    resolved = {
        r.name: asdict(r.resolve(per_recipe[r.name], quick=options.quick, data=data)) for r in recipes
    }
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    code = code_fingerprint(discovered[0].path.parent if discovered else Path("."))
    with _build_lock(out, options.wait, report):
        remove_leftovers(out)  # what a killed build left behind
        remove_leftovers(options.cache)
        manifest = read_manifest(out)
        jobs, stamps = [], {}
        for recipe in recipes:
            job = RecipeJob(
                recipe.name,
                str(recipe.path),
                per_recipe[recipe.name],
                options.quick,
                options.data,
                options.theme,
                options.preset,
                options.formats,
                str(out),
                str(options.cache),
            )
            stamps[recipe.name] = stamp(recipe, resolved[recipe.name], job, data.fingerprint, code)
            entry = manifest["recipes"].get(recipe.name)
            if not options.force and _is_current(entry, stamps[recipe.name], out):
                summary.rows.append((recipe.name, "up to date", 0.0))
                for record in entry["outputs"]:
                    report("output", status="up to date", location=str(out / record["path"]), **record)
                    summary.outputs += 1
                continue
            jobs.append(job)
        report("start", total=len(jobs))

        def finished(job: RecipeJob, result: dict) -> None:
            if "error" in result:
                summary.rows.append((job.name, "FAILED", result["seconds"]))
                summary.failures.append((job.name, result["error"], result["user_error"]))
                report("recipe_failed", recipe=job.name, error=result["error"])
                return
            recipe = next(r for r in recipes if r.name == job.name)
            old = manifest["recipes"].get(job.name, {}).get("outputs", [])
            _remove_outdated(out, old, result["records"])
            manifest["recipes"][job.name] = {
                "title": recipe.title,
                "description": recipe.description,
                "stamp": stamps[job.name],
                "params": resolved[job.name],
                "data": {"source": data.source, "fingerprint": data.fingerprint},
                "theme": options.theme,
                "preset": options.preset,
                "outputs": result["records"],
            }
            write_manifest(out, manifest, catalogue)
            summary.rows.append((job.name, "built", result["seconds"]))
            for record in result["records"]:
                report("output", status="built", location=str(out / record["path"]), **record)
                summary.outputs += 1
            report("recipe_done", recipe=job.name)

        _run_jobs(jobs, options.jobs, options.strict, finished)
        write_manifest(out, manifest, catalogue)
    order = {r.name: i for i, r in enumerate(recipes)}
    summary.rows.sort(key=lambda row: order[row[0]])
    summary.seconds = time.perf_counter() - started
    return summary


def _run_jobs(jobs: list[RecipeJob], workers: int, strict: bool, finished) -> None:
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            result = run_job(job)
            finished(job, result)
            if strict and "error" in result:
                return
        return
    import multiprocessing

    # "spawn": TensorFlow is not fork-safe. Each worker gets a share of the cores for its TF threads.
    threads = str(max(1, (os.cpu_count() or 1) // workers))
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", threads)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(run_job, job): job for job in jobs}
        for future in as_completed(futures):
            if future.cancelled():
                continue
            result = future.result()
            finished(futures[future], result)
            if strict and "error" in result:
                for other in futures:  # recipes not started stop here; running ones finish and are recorded
                    other.cancel()


def run_job(job: RecipeJob) -> dict:
    """Run one recipe; return its output records and time, or its error (never raises, except Ctrl-C)."""
    from figgen.cache import Cache
    from figgen.context import RecipeContext, formats_for
    from figgen.data import load_dataset
    from figgen.recipe import load_make, read_recipe

    started = time.perf_counter()
    try:
        recipe = read_recipe(Path(job.path))
        data = load_dataset(job.data_source)
        params = recipe.resolve(job.overrides, quick=job.quick, data=data)
        ctx = RecipeContext(
            recipe=recipe,
            params=params,
            data_source=job.data_source,
            theme_name=job.theme,
            preset_name=job.preset,
            formats=job.formats,
            out_dir=Path(job.out_dir),
            cache=Cache(job.cache_dir),
            quick=job.quick,
        )
        with _matplotlib_defaults():
            load_make(recipe)(ctx, params)
        written = {r["output"] for r in ctx.records}
        missing = [
            stem
            for stem, kind in recipe.outputs.items()
            if stem not in written and formats_for(kind, job.formats)
        ]  # none asked: none written
        if missing:
            raise FiggenError(f"declared output(s) {', '.join(missing)} were not written")
        return {"records": ctx.records, "seconds": time.perf_counter() - started}
    except KeyboardInterrupt:
        raise
    except FiggenError as exc:
        return {"error": str(exc), "user_error": True, "seconds": time.perf_counter() - started}
    except Exception as exc:  # noqa: BLE001 - a failing recipe is reported, the build goes on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        return {"error": message, "user_error": False, "seconds": time.perf_counter() - started}


@contextlib.contextmanager
def _matplotlib_defaults():
    """Run a recipe with matplotlib's default settings, restoring whatever was set before."""
    import matplotlib

    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        yield


def _is_current(entry: dict | None, stamp_now: str, out: Path) -> bool:
    """Whether a recipe's manifest entry has today's stamp and its files are exactly the ones recorded."""
    if not entry or entry.get("stamp") != stamp_now:
        return False
    for record in entry["outputs"]:
        try:
            if hashlib.sha256((out / record["path"]).read_bytes()).hexdigest() != record["sha256"]:
                return False
        except OSError:
            return False
    return True


def _remove_outdated(out: Path, old: list[dict], new: list[dict]) -> None:
    keep = {r["path"] for r in new}
    for record in old:
        name = record["path"]
        if name not in keep and "/" not in name and not name.startswith("."):
            with contextlib.suppress(OSError):
                (out / name).unlink()


def read_manifest(out: Path) -> dict:
    """Return the output folder's manifest, or an empty one (also when it is damaged: it is rebuilt)."""
    try:
        manifest = json.loads((out / MANIFEST).read_text())
        if isinstance(manifest, dict) and isinstance(manifest.get("recipes"), dict):
            return manifest
    except (OSError, ValueError):
        pass
    return {"recipes": {}}


def write_manifest(out: Path, manifest: dict, order: list[str]) -> None:
    """Write ``manifest.json`` (recipes in catalogue order, plus a flat list of outputs) and the gallery."""
    from figgen.atomic import write_text_if_changed
    from figgen.gallery import write_gallery

    recipes = {name: manifest["recipes"][name] for name in order if name in manifest["recipes"]}
    outputs = []
    for entry in recipes.values():
        for record in entry["outputs"]:
            outputs.append({**record, "params": entry["params"], "data": entry["data"]})
    document = {"figgen": __version__, "recipes": recipes, "outputs": outputs}
    write_text_if_changed(out / MANIFEST, json.dumps(document, indent=2, sort_keys=False) + "\n")
    manifest["recipes"] = recipes
    write_gallery(out, document)


@contextlib.contextmanager
def _build_lock(out: Path, wait: bool, report: Report):
    with open(out / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                message = f"another figgen build is writing to {out} (try again, or drop --no-wait)"
                raise FiggenError(message) from None
            report("waiting", message=f"figgen: another build is writing to {out}; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clean(out: str | None, cache: bool = False) -> list[str]:
    """Remove what builds wrote into ``out`` (the files its manifest lists, the manifest and the gallery).

    Nothing else in the folder is touched, and a folder without a figgen manifest is refused, so
    ``figgen clean --out slides/`` never deletes a slide deck. ``cache`` also empties the training cache.
    """
    from figgen.cache import Cache
    from figgen.config import load_config

    config = load_config(None)
    folder = Path(out or config.get("out") or "output")
    lines = []
    if folder.exists() and not folder.is_dir():
        raise FiggenError(f"{folder} is not a folder")
    if folder.is_dir():
        with _build_lock(folder, True, lambda event, **info: None):
            foreign = [p for p in folder.iterdir() if p.name not in (LOCK, "README.md", ".gitignore")]
            if not (folder / MANIFEST).is_file() and foreign:
                raise FiggenError(f"{folder} has no {MANIFEST}: not a figgen output folder, nothing removed")
            recipes = read_manifest(folder)["recipes"].values()
            names = [r["path"] for entry in recipes for r in entry.get("outputs", [])]
            names += [MANIFEST, "index.html", *remove_leftovers(folder)]
            removed = 0
            for name in names:
                path = folder / name
                if "/" not in name and path.is_file():  # manifest paths are plain names in the folder
                    path.unlink()
                    removed += 1
        (folder / LOCK).unlink(missing_ok=True)
        lines.append(f"removed {removed} files from {folder}")
    else:
        lines.append(f"nothing to clean: {folder} does not exist")
    if cache:
        store = Cache(os.environ.get("FIGGEN_CACHE") or config.get("cache"))
        count = store.clear() if store.folder.is_dir() else 0
        lines.append(f"removed {count} cache entries from {store.folder}")
    return lines
