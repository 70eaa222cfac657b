"""Benchmark: figgen's training against the text's own TF1 loop, as ratios measured side by side.

Each side is timed after one tiny warm-up run (TensorFlow's one-time start-up is paid by neither side),
alternating the two sides of each ratio and keeping the best of ``--repeat`` runs of each, so that a busy
machine slows both sides alike. figgen trains in this process (with its TensorFlow settings: one thread per
op, blocks side by side) from an empty cache, exactly as a cold build or ``figgen train`` does; the text's
TF1 loop runs in a child process with TensorFlow's default settings, as the text's program would
(``python -m figgen.training.reference --json``, timing the whole call to ``tutorial_loop``). Ratios and
their targets (issue 12):

1. ``figgen train`` (the text's settings: sample, TRAIN_SIZE 5500, TEST_SIZE 10000, LEARNING_RATE 0.1,
   TRAIN_STEPS 2500, a log line every 100 steps, with its weight snapshots) against the text's TF1 loop
   (``figgen.training.reference``: graph, session, feed_dict): at least 3.5x faster, and the two logs
   equal at every logged step (within 0.002 in accuracy and loss, as the tests ask).
2. The default sweep (weights_evolution's 36 training sizes up to 5500, 2,501 updates each), all 36 models
   trained in one loop (``sweep_training_sizes``), against one default run (1.): at most 3x. Also checked:
   the sweep equals separate runs at every size. (In a build the sweep's largest model is the default run
   itself, taken from the cache: see ``cached_sweep``; this measures the whole sweep.)
3. The learning-rate figure (the learning_rate recipe built from an empty cache: its runs and its figure)
   against one default run (1.): at most 1.2x.

4. The explore_training grid (the recipe's default SIZES x LEARNING_RATES, TRAIN_STEPS 2500, test accuracy,
   loss and W and b at its LOGGED geometric steps), all its models trained in one loop (``train_grid``),
   against one default run (1.), per training row and step: (grid seconds / the rows of all its models) /
   (run seconds / TRAIN_SIZE), at most 1.25x; and the size of its page (light, docs), at most 2 MB.

A missed target is marked MISSED; the exit code is 0 regardless. ``--quick`` runs 300 steps (a smoke run;
the learning-rate figure keeps its own settings, so its ratio is not meaningful then).

Run: ``.venv/bin/python bench/bench_train.py [--quick] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from figgen import api
from figgen.core.knobs import Knobs
from figgen.core.themes import get_preset, get_theme
from figgen.data import load_dataset
from figgen.files.cache import Cache
from figgen.recipe.spec import builtin_recipe_dir, read_recipe
from figgen.training import default_sweep_sizes, snapshot_schedule, sweep_training_sizes, train, train_grid
from figgen.training._tf import training_tensorflow
from figgen.training.cached import cached_run, cached_sweep
from figgen.writers.explorable import render_explorable
from figgen.writers.explore.training import training_page, training_page_data

TEXT = Knobs()
LOG_TOLERANCE = 0.002  # the tests' tolerance between figgen's log and the TF1 loop's


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def best_of(sides: dict, repeat: int) -> tuple[dict[str, float], dict[str, object], dict[str, list]]:
    """Run each side ``repeat`` times, alternating (A, B, A, B, ...); return best seconds, last values and
    all times. A side returns its value, or ``(seconds, value)`` when it times itself."""
    times = {name: [] for name in sides}
    values = {}
    for _ in range(repeat):
        for name, run in sides.items():
            start = time.perf_counter()
            value = run()
            seconds = time.perf_counter() - start
            if isinstance(value, tuple):
                seconds, value = value
            values[name] = value
            times[name].append(seconds)
    return {name: min(t) for name, t in times.items()}, values, times


def text_loop(steps: int) -> tuple[float, list]:
    """The text's TF1 loop in a child process with TensorFlow's defaults: (seconds of the call, log)."""
    command = [sys.executable, "-m", "figgen.training.reference", "--json", "--steps", str(steps)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    return result["seconds"], result["log"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 steps instead of 2500")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each side, best kept (2)")
    args = parser.parse_args(argv)
    knobs = TEXT.replace(TRAIN_STEPS=300) if args.quick else TEXT
    steps = knobs.TRAIN_STEPS

    tf = training_tensorflow()  # the import is not part of either side's time
    data = load_dataset("sample")
    x, y = data.train(knobs.TRAIN_SIZE)
    xt, yt = data.test(knobs.TEST_SIZE)
    print(
        f"figgen trainer benchmark: sample ({data.fingerprint}), train {knobs.TRAIN_SIZE}, test "
        f"{knobs.TEST_SIZE}, learning rate {knobs.LEARNING_RATE}, steps {steps}; TensorFlow "
        f"{tf.__version__}, devices {[d.device_type for d in tf.config.list_physical_devices()]}; "
        f"best of {args.repeat}, alternating"
    )
    train(
        x[:10], y[:10], xt[:10], yt[:10], learning_rate=knobs.LEARNING_RATE, steps=1, log_every=1
    )  # warm-up

    with tempfile.TemporaryDirectory() as tmp:
        cache = Cache(Path(tmp) / "cache")

        def figgen_train():  # what `figgen train` does, from an empty cache
            return cached_run(data, knobs, cache, force=True)

        # 1. one run
        best, values, times = best_of({"tf1": lambda: text_loop(steps), "figgen": figgen_train}, args.repeat)
        run_seconds = best["figgen"]
        tf1_log, ours = values["tf1"], values["figgen"]
        speedup = best["tf1"] / run_seconds
        same_steps = [r[0] for r in tf1_log] == [r[0] for r in ours.log]
        d_acc = max(abs(a[1] - b[1]) for a, b in zip(tf1_log, ours.log, strict=False))
        d_loss = max(abs(a[2] - b[2]) for a, b in zip(tf1_log, ours.log, strict=False))
        log_ok = same_steps and d_acc <= LOG_TOLERANCE and d_loss <= LOG_TOLERANCE
        print()
        print("1. one run at the text's settings")
        print(f"   {'':<34}{'best s':>8}  {'runs':<18}{'final accuracy':>15}{'final loss':>12}")
        print(
            f"   {'text TF1 loop (child process)':<34}{best['tf1']:>8.3f}  {fmt(times['tf1']):<18}"
            f"{tf1_log[-1][1]:>15.4f}{tf1_log[-1][2]:>12.4f}"
        )
        print(
            f"   {'figgen train (+ snapshots)':<34}{run_seconds:>8.3f}  {fmt(times['figgen']):<18}"
            f"{ours.log[-1][1]:>15.4f}{ours.log[-1][2]:>12.4f}"
        )
        print(f"   TF1 / figgen train        {speedup:>7.2f}x   target >= 3.5x   {verdict(speedup >= 3.5)}")
        print(
            f"   log at all {len(tf1_log)} logged steps: max |delta accuracy| {d_acc:.4f}, max |delta loss| "
            f"{d_loss:.2e}   target <= {LOG_TOLERANCE}   {verdict(log_ok)}"
        )

        # 2. the sweep
        sizes = default_sweep_sizes(knobs.TRAIN_SIZE)

        def sweep():
            return sweep_training_sizes(x, y, xt, yt, sizes, learning_rate=knobs.LEARNING_RATE, steps=steps)

        best, values, times = best_of({"sweep": sweep, "run": figgen_train}, args.repeat)
        run_seconds = min(run_seconds, best["run"])
        ratio = best["sweep"] / run_seconds
        result = values["sweep"]
        print()
        print(
            f"2. the default sweep: {len(sizes)} training sizes ({sizes[0]} .. {sizes[-1]}), "
            f"{steps} steps each"
        )
        print(f"   {f'sweep (all {len(sizes)} in one loop)':<34}{best['sweep']:>8.3f}  {fmt(times['sweep'])}")
        print(f"   {'one default run (1.)':<34}{run_seconds:>8.3f}  {fmt(times['run'])}")
        print(f"   sweep / one run           {ratio:>7.2f}x   target <= 3x     {verdict(ratio <= 3)}")
        print(
            f"   (its products alone are {sum(sizes) / knobs.TRAIN_SIZE:.2f} runs' worth: every model "
            "multiplies its own rows)"
        )
        start = time.perf_counter()
        separate = [
            train(x[:s], y[:s], xt, yt, learning_rate=knobs.LEARNING_RATE, steps=steps, log_every=steps)
            for s in sizes
        ]
        loop = time.perf_counter() - start
        d_w = max(float(np.abs(result.weights[i] - r.weights).max()) for i, r in enumerate(separate))
        d_a = max(abs(float(result.accuracy[i]) - r.final_accuracy) for i, r in enumerate(separate))
        print(
            f"   sweep vs {len(sizes)} separate runs ({loop:.1f} s): max |delta W| {d_w:.2e}, max |delta "
            f"accuracy| {d_a:.4f}; accuracy {result.accuracy[0]:.4f} at size 1 .. {result.accuracy[-1]:.4f}"
        )
        start = time.perf_counter()  # what a build pays: the default run is in the cache already
        cached_sweep(data, sizes, knobs, Cache(Path(tmp) / "cache"))
        build_sweep = time.perf_counter() - start
        print(
            f"   (info) the sweep in a build, its largest model the cached default run: {build_sweep:.3f} s, "
            f"{build_sweep / run_seconds:.2f}x one run"
        )

        # 3. the learning-rate figure
        def figure():
            folder = Path(tempfile.mkdtemp(dir=tmp))
            built = api.build(["learning_rate"], out=folder / "out", cache=folder / "cache", force=True)
            if not built.ok:
                sys.exit(f"learning_rate failed: {built.failures[0].error}")
            return built

        best, values, times = best_of({"figure": figure, "run": figgen_train}, args.repeat)
        run_seconds = min(run_seconds, best["run"])
        ratio = best["figure"] / run_seconds
        print()
        print("3. the learning-rate figure (learning_rate recipe from an empty cache: its runs and figure)")
        print(f"   {'learning_rate recipe':<34}{best['figure']:>8.3f}  {fmt(times['figure'])}")
        print(f"   {'one default run (1.)':<34}{run_seconds:>8.3f}  {fmt(times['run'])}")
        print(f"   figure / one run          {ratio:>7.2f}x   target <= 1.2x   {verdict(ratio <= 1.2)}")

        # 4. the explore_training grid
        grid_params = read_recipe(builtin_recipe_dir() / "explore_training.py").params
        sizes, rates = grid_params["SIZES"], grid_params["LEARNING_RATES"]
        logged = snapshot_schedule(steps, grid_params["LOGGED"])
        gx, gy = data.train(max(sizes))

        def grid():
            return train_grid(gx, gy, xt, yt, sizes, rates, steps=steps, log_steps=logged)

        best, values, times = best_of({"grid": grid, "run": figgen_train}, args.repeat)
        run_seconds = min(run_seconds, best["run"])
        rows = sum(sizes) * len(rates)
        ratio = (best["grid"] / rows) / (run_seconds / knobs.TRAIN_SIZE)
        print()
        print(
            f"4. the explore_training grid: {len(sizes)} sizes ({sizes[0]} .. {sizes[-1]}) x "
            f"{len(rates)} rates ({rates[0]:g} .. {rates[-1]:g}), {steps} steps, W and b at {len(logged)}"
        )
        label = f"grid (all {len(sizes) * len(rates)} in one loop)"
        print(f"   {label:<34}{best['grid']:>8.3f}  {fmt(times['grid'])}")
        print(f"   {'one default run (1.)':<34}{run_seconds:>8.3f}  {fmt(times['run'])}")
        per_row = best["grid"] / rows * 1e6 / steps
        print(
            f"   its rows: {rows:,} = {rows / knobs.TRAIN_SIZE:.2f} default runs' worth; {per_row:.3f} us a "
            f"row and step against {run_seconds / knobs.TRAIN_SIZE * 1e6 / steps:.3f}"
        )
        print(f"   grid / one run, per row   {ratio:>7.2f}x   target <= 1.25x  {verdict(ratio <= 1.25)}")
        ends = "; ".join(
            f"{size}: " + " ".join(f"{row[r].log[-1][1]:.3f}" for r in range(len(rates)))
            for size, row in zip(sizes, values["grid"], strict=True)
        )
        print(f"   (info) last logged test accuracy by size, rates in order: {ends}")
        index = data.text_index(0) or 0
        example = (index, data.train(index + 1)[0][index], int(data.train(index + 1)[1][index]))
        page_data = training_page_data(
            values["grid"], sizes, rates, logged, steps, knobs.TEST_SIZE, example, data.class_names
        )
        html = render_explorable(training_page(page_data), get_theme("light"), get_preset("docs"), "alt")
        size = len(html.encode())
        print(f"   the page: {size / 1e6:.2f} MB   target <= 2 MB   {verdict(size <= 2e6)}")
    return 0


def fmt(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


if __name__ == "__main__":
    sys.exit(main())
