"""Benchmark: figgen's trainer against the text's own TF1 loop, and a batched sweep against separate runs.

1. One run at the text's settings (bundled sample, TRAIN_SIZE 5500, TEST_SIZE 10000, LEARNING_RATE 0.1,
   TRAIN_STEPS 2500, logging every 100 steps): ``figgen.training.reference`` (graph, session, feed_dict)
   and ``figgen.training.train``, alternately (TF1, figgen, TF1, figgen), best of two each. Targets: figgen
   at least 4x faster, final test accuracies within 0.001.
2. The weight-evolution sweep: ``sweep_training_sizes`` over ``default_sweep_sizes(5500)`` against a loop of
   separate ``train`` runs at the same sizes, and against one run at TRAIN_SIZE (same settings, logging only
   the last step). Targets: the sweep at least 2x faster than the loop, and at most 1.5x one run.

Times are wall-clock around each call, on both sides excluding the TensorFlow import and data loading and
including graph building or tracing. Both sides first make one tiny warm-up run, so neither pays the
process's one-time TensorFlow start-up. A missed target is marked MISSED; the exit code is 0 regardless.

Run: ``.venv/bin/python bench/bench_train.py [--quick]`` (``--quick``: 300 steps, a smoke run).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from figgen.data import load_dataset, one_hot
from figgen.training import default_sweep_sizes, sweep_training_sizes, train
from figgen.training._engine import tensorflow
from figgen.training.reference import tutorial_loop

TRAIN_SIZE, TEST_SIZE, LEARNING_RATE, TRAIN_STEPS, LOG_EVERY = 5500, 10000, 0.1, 2500, 100


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 steps instead of 2500")
    args = parser.parse_args(argv)
    steps = 300 if args.quick else TRAIN_STEPS

    tf = tensorflow()  # the import is not part of either side's time
    data = load_dataset("sample")
    x, y = data.train(TRAIN_SIZE)
    xt, yt = data.test(TEST_SIZE)
    y1, yt1 = one_hot(y), one_hot(yt)
    print(
        f"figgen trainer benchmark: sample ({data.fingerprint}), train {TRAIN_SIZE}, test {TEST_SIZE}, "
        f"learning rate {LEARNING_RATE}, steps {steps}; TensorFlow {tf.__version__}, "
        f"devices {[d.device_type for d in tf.config.list_physical_devices()]}"
    )

    # warm-up: TensorFlow's one-time runtime start-up is paid here, by neither side
    tutorial_loop(x[:10], y1[:10], xt[:10], yt1[:10], LEARNING_RATE, 1, 1)
    train(x[:10], y[:10], xt[:10], yt[:10], learning_rate=LEARNING_RATE, steps=1, log_every=1)

    # 1. one run: the text's TF1 loop against figgen, alternating
    tf1_times, fg_times = [], []
    for _ in range(2):
        seconds, (tf1_log, *_rest) = timed(tutorial_loop, x, y1, xt, yt1, LEARNING_RATE, steps, LOG_EVERY)
        tf1_times.append(seconds)
        seconds, result = timed(
            train, x, y, xt, yt, learning_rate=LEARNING_RATE, steps=steps, log_every=LOG_EVERY
        )
        fg_times.append(seconds)
    tf1_best, fg_best = min(tf1_times), min(fg_times)
    speedup = tf1_best / fg_best
    tf1_acc, fg_acc = tf1_log[-1][1], result.final_accuracy
    d_acc = abs(tf1_acc - fg_acc)
    same_steps = [r[0] for r in tf1_log] == [r[0] for r in result.log]
    pairs = list(zip(tf1_log, result.log, strict=False))
    d_acc_all = max(abs(a[1] - b[1]) for a, b in pairs)
    d_loss_all = max(abs(a[2] - b[2]) for a, b in pairs)

    print()
    print("1. one run (best of 2, alternating TF1, figgen, TF1, figgen)")
    print(f"   {'':<28}{'seconds':>10}  {'runs':<18}{'final accuracy':>15}{'final loss':>12}")
    print(
        f"   {'text TF1 loop (feed_dict)':<28}{tf1_best:>10.3f}  {fmt(tf1_times):<18}{tf1_acc:>15.4f}"
        f"{tf1_log[-1][2]:>12.4f}"
    )
    print(
        f"   {'figgen train':<28}{fg_best:>10.3f}  {fmt(fg_times):<18}{fg_acc:>15.4f}"
        f"{result.final_loss:>12.4f}"
    )
    print(f"   speed-up TF1 / figgen     {speedup:>8.2f}x   target >= 4x      {verdict(speedup >= 4)}")
    print(f"   |delta final accuracy|    {d_acc:>9.4f}   target <= 0.001   {verdict(d_acc <= 0.001)}")
    if same_steps:
        print(
            f"   max |delta| over the {len(tf1_log)} logged steps: accuracy {d_acc_all:.4f}, "
            f"loss {d_loss_all:.2e}"
        )
    else:
        print("   the two logs have different steps: MISSED")

    # 2. the sweep against separate runs and against one run
    sizes = default_sweep_sizes(TRAIN_SIZE)
    single_times, sweep_times = [], []
    for _ in range(2):
        seconds, single = timed(
            train, x, y, xt, yt, learning_rate=LEARNING_RATE, steps=steps, log_every=steps
        )
        single_times.append(seconds)
        seconds, sweep = timed(
            sweep_training_sizes, x, y, xt, yt, sizes, learning_rate=LEARNING_RATE, steps=steps
        )
        sweep_times.append(seconds)
    loop_start = time.perf_counter()
    loop = [
        train(x[:s], y[:s], xt, yt, learning_rate=LEARNING_RATE, steps=steps, log_every=steps) for s in sizes
    ]
    loop_time = time.perf_counter() - loop_start
    single_best, sweep_best = min(single_times), min(sweep_times)
    d_weights = max(float(np.abs(sweep.weights[i] - run.weights).max()) for i, run in enumerate(loop))
    d_acc_sweep = max(abs(float(sweep.accuracy[i]) - run.final_accuracy) for i, run in enumerate(loop))

    print()
    print(f"2. sweep over {len(sizes)} training sizes ({sizes[0]} .. {sizes[-1]}), {steps} steps each")
    print(f"   {'':<34}{'seconds':>10}  runs")
    print(f"   {'sweep_training_sizes (batched)':<34}{sweep_best:>10.3f}  {fmt(sweep_times)}")
    print(f"   {f'loop of {len(sizes)} train runs':<34}{loop_time:>10.3f}  (one pass)")
    print(f"   {f'one train run at {TRAIN_SIZE}':<34}{single_best:>10.3f}  {fmt(single_times)}")
    loop_ratio, single_ratio = loop_time / sweep_best, sweep_best / single_best
    print(f"   loop / sweep              {loop_ratio:>8.2f}x   target >= 2x      {verdict(loop_ratio >= 2)}")
    print(
        f"   sweep / one run           {single_ratio:>8.2f}x   target <= 1.5x    "
        f"{verdict(single_ratio <= 1.5)}"
    )
    print(
        f"   sweep vs loop: max |delta W| {d_weights:.2e}, max |delta accuracy| {d_acc_sweep:.4f}; "
        f"accuracy {sweep.accuracy[0]:.4f} at size 1 .. {sweep.accuracy[-1]:.4f} at {sizes[-1]}"
    )
    return 0


def fmt(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


if __name__ == "__main__":
    sys.exit(main())
