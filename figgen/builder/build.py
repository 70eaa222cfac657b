"""A build: decide what is stale, run those recipes (serially or in processes), keep the manifest.

The stages of a build:

1. read and select the recipes, load the data set, check every parameter and format before any work, and
   every output file name (:func:`check_names`): no file written by two recipes of the catalogue or twice by
   one, and none of figgen's own names (``manifest.json``, ``index.html`` -- kept for the gallery even with
   ``gallery = false``, so turning it on never finds a recipe's file there -- and any name starting with
   ``.``);
2. take the output folder's lock (a second build waits, or fails with ``wait=False``) and read what figgen
   recorded there (finishing a commit that a killed build left);
3. plan once: stamp each recipe (source, parameters, theme, preset, formats, data, figgen's code); a recipe
   whose stamp and files match the manifest is up to date, the others become jobs; refuse, before any work,
   a file in the way that figgen did not write, or that the manifest records for another recipe;
4. run the jobs; as each ends, swap its staged files in with its manifest entry
   (:mod:`~figgen.builder.folder`), or discard them if it failed.

A failing recipe does not stop the others (unless ``strict``); it is reported in the result.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from figgen._version import __version__
from figgen.builder.manifest import GALLERY, MANIFEST, Output
from figgen.builder.options import STAMPED, BuildOptions
from figgen.builder.workers import Job, JobResult, run_jobs
from figgen.core.errors import FiggenError
from figgen.core.progress import BuildEvents, no_events
from figgen.files.own import make_folder

if TYPE_CHECKING:
    from figgen.recipe.spec import Recipe


@dataclass
class RecipeStatus:
    """What a build did with one recipe."""

    name: str
    status: str  # "built", "up to date", "failed" or "not run" (after a failure, with strict)
    seconds: float = 0.0
    error: str | None = None
    user_error: bool = False  # the failure is bad input (a FiggenError), not a bug


@dataclass
class BuildResult:
    """What a build did: every selected recipe's status and every output, built or up to date."""

    folder: Path
    recipes: list[RecipeStatus] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what figgen repaired or worked around
    seconds: float = 0.0

    @property
    def failures(self) -> list[RecipeStatus]:
        return [r for r in self.recipes if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def user_error(self) -> bool:
        """True when every failure is bad input (exit code 2 rather than 1)."""
        return bool(self.failures) and all(r.user_error for r in self.failures)

    def find(self, recipe: str, name: str | None = None, format: str | None = None) -> list[Output]:
        """The outputs of ``recipe`` (its output ``name``, in ``format``), in the order they were written."""
        return [
            o
            for o in self.outputs
            if o.recipe == recipe and name in (None, o.name) and format in (None, o.format)
        ]


def code_fingerprint(recipe_folders: Sequence[Path]) -> str:
    """Hash of figgen's version, its Python sources and the ``_*.py`` helpers of the recipe folders: a
    change to any of them restales every output."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parents[1]  # the figgen package (in a wheel, with its own recipes)
    sources = [(root, p) for p in sorted(root.rglob("*.py")) if p.parent != root / "recipes"]
    for folder in recipe_folders:
        sources += [(folder, p) for p in sorted(folder.glob("_*.py"))]
    for base, path in sources:
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stamp(recipe, values: dict, options: BuildOptions, data_fingerprint: str, code: str) -> str:
    """The hash that says whether a recipe's outputs are current."""
    parts = {"source": recipe.source_hash, "params": values, "data": data_fingerprint, "code": code}
    parts |= {name: getattr(options, name) for name in STAMPED}  # every option the table marks stamped
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:24]


def build(options: BuildOptions, report: BuildEvents = no_events) -> BuildResult:
    """Build the selected recipes of ``options`` (:class:`~figgen.builder.options.BuildOptions`) into its
    folder.

    ``report(event, **info)`` receives progress: ``start`` (total: recipes to run), ``waiting`` (message:
    another build holds the folder), ``output`` (output: an :class:`Output`), ``progress`` (recipe, task,
    done, total: training updates or frames, for recipes run in this process), ``recipe_done`` (recipe),
    ``recipe_failed`` (recipe, error) and ``warning`` (message).
    """
    from figgen.builder.folder import STATE, OutputFolder
    from figgen.data import load_dataset
    from figgen.files.atomic import remove_leftovers
    from figgen.recipe.spec import broken_selected, discover_recipes, select_recipes
    from figgen.writers import check_available, formats_for, output_names

    started = time.perf_counter()
    # 1. recipes, data set, parameters and formats: all checked before any work
    discovered = discover_recipes(options.recipes, builtin=options.builtin_recipes)
    recipes = select_recipes(discovered, options.selected)
    broken = broken_selected(discovered, options.selected)  # files that are no recipe: each fails alone
    data = load_dataset(options.data, split=options.split, class_names=options.class_names)
    overrides = options.overrides_for(recipes, discovered)
    values = {r.name: r.resolve(overrides[r.name], quick=options.quick, data=data) for r in recipes}
    check_available(
        {
            f
            for kind in ("animation", "still", "filmstrip", "explorable")
            for f in formats_for(kind, options.formats)
        }
    )
    check_names(recipes, discovered, options.formats)
    out = _output_folder(options.out)
    shared = dataclasses.replace(options, out=str(out))  # the options every job gets
    code = code_fingerprint(discovered.folders)
    result = BuildResult(out)
    for unread in broken:
        result.recipes.append(RecipeStatus(unread.name, "failed", error=unread.error, user_error=True))
        report("recipe_failed", recipe=unread.name, error=unread.error)
    catalogue = [r.name for r in discovered]

    def warn(message: str) -> None:
        result.warnings.append(message)
        report("warning", message=message)

    # 2. one build at a time in a folder; finish what a killed build left
    with _build_lock(out, options.wait, report):
        folder = OutputFolder(out, gallery=options.gallery).load()
        for message in folder.warnings:
            warn(message)
        remove_leftovers(out)
        remove_leftovers(options.cache)
        # 3. plan: the stale recipes become jobs; nothing foreign may be in their way
        jobs = []
        for recipe in recipes:
            job = Job(
                recipe,
                values[recipe.name],
                stamp(recipe, values[recipe.name], shared, data.fingerprint, code),
            )
            if options.force or not folder.is_current(recipe.name, job.stamp):
                jobs.append(job)
                continue
            result.recipes.append(RecipeStatus(recipe.name, "up to date"))
            for record in folder.records(recipe.name):
                result.outputs.append(Output.from_record(record, out, "up to date"))
                report("output", output=result.outputs[-1])
        _check_recorded(folder, [job.recipe for job in jobs], discovered, options.formats)
        folder.check_free([MANIFEST, STATE, *([GALLERY] if options.gallery else [])])
        folder.check_free(name for job in jobs for name in output_names(job.recipe.outputs, options.formats))
        report("start", total=len(jobs))

        # 4. run them; as each ends, swap its files in with its manifest entry, or discard them
        def finished(job: Job, outcome: JobResult) -> None:
            name = job.recipe.name
            for message in outcome.warnings:
                warn(message)
            if outcome.error is None:
                entry = {
                    "title": job.recipe.title,
                    "description": job.recipe.description,
                    "stamp": job.stamp,
                    "params": job.values,
                    "data": {"source": data.source, "fingerprint": data.fingerprint},
                    "theme": options.theme,
                    "background": options.background,  # the slide colour a transparent figure is for
                    "preset": options.preset,
                    "outputs": [record.to_json() for record in outcome.records],
                }
                try:
                    folder.commit(name, entry, outcome.staged, catalogue)
                except FiggenError as exc:
                    outcome.error, outcome.user_error = str(exc), True
            if outcome.error is not None:
                folder.discard(outcome.staged)
                result.recipes.append(
                    RecipeStatus(name, "failed", outcome.seconds, outcome.error, outcome.user_error)
                )
                report("recipe_failed", recipe=name, error=outcome.error)
                return
            result.recipes.append(RecipeStatus(name, "built", outcome.seconds))
            for record in outcome.records:
                result.outputs.append(Output.from_record(record, out, "built"))
                report("output", output=result.outputs[-1])
            report("recipe_done", recipe=name)

        def progress(job: Job, task: str, done: int, total: int | None) -> None:
            report("progress", recipe=job.recipe.name, task=task, done=done, total=total)

        for job in run_jobs(jobs, shared, options.jobs, options.strict, finished, progress):
            result.recipes.append(RecipeStatus(job.recipe.name, "not run"))
        folder.sync(catalogue)
    order = {name: i for i, name in enumerate([*(r.name for r in recipes), *(b.name for b in broken)])}
    result.recipes.sort(key=lambda r: order[r.name])
    result.seconds = time.perf_counter() - started
    return result


def _reserved(name: str) -> str | None:
    """What figgen keeps an output folder's file ``name`` for, whatever the options; None: a recipe's."""
    if name == MANIFEST:
        return "its manifest"
    if name == GALLERY:  # kept without a gallery too: turning it on later finds no recipe's file there
        return "the gallery page (even with gallery = false)"
    return "its own hidden files (.figgen-state.json, temporaries)" if name.startswith(".") else None


def check_names(selected: list[Recipe], discovered: list[Recipe], formats: Sequence[str] | None) -> None:
    """Refuse, before any work, a file name that a selected recipe writes twice, that another recipe of the
    catalogue (selected or not: it may be built next) also writes, or that figgen keeps for itself
    (:func:`_reserved`); the one-line error names both writers and the file. ``formats``: the build's."""
    from figgen.writers.outputs import output_files

    rank = {recipe.name: i for i, recipe in enumerate(discovered)}
    writers: dict[str, list[tuple[str, str]]] = {}  # file name -> (recipe, what of it writes the file)
    for recipe in discovered:
        for name, what in output_files(recipe.outputs, formats):
            writers.setdefault(name, []).append((recipe.name, what))
    for recipe in selected:
        for name, what in output_files(recipe.outputs, formats):
            reason = _reserved(name)
            if reason:
                raise FiggenError(
                    f"recipe {recipe.name} writes {name} ({what}), a name figgen keeps for {reason}; "
                    "rename it in its OUTPUTS"
                )
            others = [w for w in writers.get(name, []) if w != (recipe.name, what)]
            if not others:
                continue
            if others[0][0] == recipe.name:
                raise FiggenError(
                    f"recipe {recipe.name} writes {name} twice ({what}; {others[0][1]}); "
                    "rename one in its OUTPUTS"
                )
            (first, first_what), (second, second_what) = sorted(
                [(recipe.name, what), others[0]], key=lambda writer: rank.get(writer[0], len(rank))
            )
            whats = (
                f"each {what}"
                if first_what == second_what
                else f"{first}: {first_what}; {second}: {second_what}"
            )
            raise FiggenError(
                f"recipes {first} and {second} both write {name} ({whats}); rename one in its OUTPUTS"
            )


def _check_recorded(folder, writing: list[Recipe], discovered: list[Recipe], formats) -> None:
    """Refuse, before any work, a file that a recipe about to run writes and the folder's manifest records for
    another recipe: a build of one recipe never overwrites another's files, though figgen wrote their bytes
    (the other may be in another recipe folder building into this one, or no longer write that name)."""
    from figgen.writers.outputs import output_names

    owners = {record.path: name for name in folder.recipes for record in folder.records(name)}
    catalogue = {recipe.name for recipe in discovered}
    for recipe in writing:
        for name in output_names(recipe.outputs, formats):
            owner = owners.get(name, recipe.name)
            if owner == recipe.name:
                continue
            hint = (
                f"build {owner} first (it no longer writes {name})"
                if owner in catalogue
                else "rename the output, or build into another folder"
            )
            raise FiggenError(
                f"recipe {recipe.name} writes {name}, which {folder.path / MANIFEST} records for recipe "
                f"{owner}; {hint}"
            )


def _output_folder(name: str) -> Path:
    """The output folder, created if missing; a one-line error when it cannot be one."""
    if not str(name).strip():
        raise FiggenError("the output folder name is empty")
    out = Path(name)
    try:
        # a link here was named by the user (BuildOptions checks the default); marked: clean may remove it
        make_folder(out, named=True, mark=True)
    except FileExistsError:
        raise FiggenError(f"output folder {out} is a file") from None
    except NotADirectoryError:
        raise FiggenError(f"output folder {out} is inside a file, not a folder") from None
    except OSError as exc:
        raise FiggenError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None
    return out


def _build_lock(out: Path, wait: bool, report: BuildEvents):
    from figgen.files.locks import folder_lock

    return folder_lock(
        out,
        wait=wait,
        on_wait=lambda: report("waiting", message=f"figgen: another build is writing to {out}; waiting"),
        busy=f"another figgen build is writing to {out} (try again, or drop --no-wait)",
    )
