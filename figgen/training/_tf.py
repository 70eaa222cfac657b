"""TensorFlow's import, quiet, and set up for the engine: the only place figgen imports it from.

Commands that train nothing never import this module's TensorFlow: it is loaded when an engine is built
(or the text's reference loop runs).
"""

from __future__ import annotations

import contextlib
import os
import sys

from figgen.training._plan import LANES


def training_tensorflow():
    """TensorFlow as the engine wants it: one thread per op (on 2 cores; cores / LANES in general), ops
    side by side.

    A step's blocks are independent, and running them on separate cores beats splitting each product
    across the cores: a sweep 4.1 against 5.8 ms per step, a run halved into two blocks 0.7 against 1.15
    (2 cores, best of 25). It only takes effect if TensorFlow is not loaded yet, and a user's own
    ``TF_NUM_INTRAOP_THREADS`` wins; and Keras is left out. The text's loop keeps TensorFlow's defaults
    (:func:`tensorflow`).
    """
    if "tensorflow" not in sys.modules:
        os.environ.setdefault("TF_NUM_INTRAOP_THREADS", str(max(1, _cores() // LANES)))
        # TensorFlow imports Keras eagerly (to register its optimizers for SavedModel), guarded against its
        # absence: ~0.5 s and ~150 MB resident that the engine, which never uses Keras, need not pay
        with hidden_module("keras"):
            return tensorflow()
    return tensorflow()


@contextlib.contextmanager
def hidden_module(name: str):
    """Make ``import name`` (and its submodules) fail with ImportError inside the block, if not yet loaded.

    Only for the block: afterwards the module imports as usual.
    """
    if name in sys.modules:
        yield
        return
    # the import system's "not found" marker; typeshed types sys.modules as holding modules only
    sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if name in sys.modules and sys.modules[name] is None:
            del sys.modules[name]


def tensorflow():
    """Import TensorFlow without its C++ start-up chatter (oneDNN, CUDA probing), which is not for users.

    TensorFlow's native logging ignores ``TF_CPP_MIN_LOG_LEVEL`` before absl is initialised, so the import and
    the first device query run with the process's stderr pointed at /dev/null; Python errors still propagate.
    ``FIGGEN_TF_VERBOSE=1`` shows everything.
    """
    if "tensorflow" in sys.modules or os.environ.get("FIGGEN_TF_VERBOSE"):
        import tensorflow as tf

        return tf
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import tensorflow as tf

            tf.get_logger().setLevel("ERROR")
            tf.config.list_physical_devices()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return tf


def _cores() -> int:
    """The cores this process may run on (a container's or taskset's share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
