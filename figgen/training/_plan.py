"""Where a training step's rows are cut into blocks: few blocks, little masked work, and work for every core.

The engine (:mod:`figgen.training._engine`) multiplies each block of training rows by the weights of all
the models that use it, side by side; this module only decides the cut points, from the models' sizes.
"""

from __future__ import annotations

import math

BLOCK_ROWS = 1000  # a block's fixed cost per step (its ops), in model-rows of products; see plan_blocks
LANES = 2  # blocks a step is cut into at least, for as many cores to work side by side; see plan_blocks


def plan_blocks(sizes: list[int], block_rows: float | None = None) -> list[tuple[int, int]]:
    """Cut rows ``0 .. max(sizes)`` into blocks ``[start, end)``, cheapest per step, in LANES at least.

    A block costs ``block_rows`` plus its rows times the models using them (those larger than its start,
    masked past their own size), in model-rows; ``block_rows`` defaults to BLOCK_ROWS. Blocks ending at
    model sizes are chosen by dynamic programming over the cut points. Then a block holding more than
    1/LANES of the work (one run, a batch of rates) is halved, as long as halves are worth a block: the
    blocks of a step are independent, so TensorFlow runs them on separate cores
    (:func:`figgen.training._tf.training_tensorflow`).
    """
    block_rows = BLOCK_ROWS if block_rows is None else block_rows
    ends = sorted(set(sizes))
    starts = [0, *ends[:-1]]

    def work(start: int, end: int) -> int:
        return (end - start) * sum(1 for s in sizes if s > start)

    best = [0.0] + [math.inf] * len(ends)
    cut = [0] * (len(ends) + 1)
    for j in range(1, len(ends) + 1):
        for i in range(j):
            cost = best[i] + block_rows + work(starts[i], ends[j - 1])
            if cost < best[j]:
                best[j], cut[j] = cost, i
    blocks, j = [], len(ends)
    while j:
        blocks.append((starts[cut[j]], ends[j - 1]))
        j = cut[j]
    total = sum(work(a, b) for a, b in blocks)
    while True:
        a, b = max(blocks, key=lambda block: work(*block))
        middle = (a + b) // 2
        halves = min(work(a, middle), work(middle, b))
        if work(a, b) * LANES <= total or b - a < 2 or halves < block_rows:
            return sorted(blocks)
        blocks[blocks.index((a, b))] = (a, middle)
        blocks.append((middle, b))
