"""The text's own training loop, run through ``tf.compat.v1``: the baseline figgen is checked against.

This is the tutorial's code with only the imports modernised: a graph, a session, placeholders fed with
``feed_dict`` on every step, ``-reduce_sum(y_ * log(y))`` as the loss and ``GradientDescentOptimizer``.
The tests compare figgen's log with this one and ``make bench`` times both; nothing else runs it.
``python -m figgen.training.reference`` runs it as the text's whole program does (import TensorFlow, load
the data, train at the text's settings, print the log lines): the process a cold build is measured against.
"""

from __future__ import annotations

import time

import numpy as np

from figgen.core.knobs import Knobs
from figgen.training._tf import tensorflow

TEXT = Knobs()


def tutorial_loop(
    x_train,
    y_train,
    x_test,
    y_test,
    learning_rate: float = TEXT.LEARNING_RATE,
    train_steps: int = TEXT.TRAIN_STEPS,
    log_every: int = TEXT.LOG_EVERY,
):
    """Run the text's loop on one-hot labels; return ``(log, W, b, seconds)``, rows [step, accuracy, loss].

    ``seconds`` times the loop alone, as figgen's ``TrainResult.seconds`` does.
    """
    tf = tensorflow()

    tf1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        x = tf1.placeholder(tf.float32, shape=[None, 784])
        y_ = tf1.placeholder(tf.float32, shape=[None, 10])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        y = tf.nn.softmax(tf.matmul(x, W) + b)
        cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.math.log(y), axis=[1]))
        training = tf1.train.GradientDescentOptimizer(learning_rate).minimize(cross_entropy)
        correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
        init = tf1.global_variables_initializer()
    log = []
    with tf1.Session(graph=graph) as sess:
        sess.run(init)
        start = time.perf_counter()
        for i in range(train_steps + 1):
            sess.run(training, feed_dict={x: x_train, y_: y_train})
            if i % log_every == 0:
                acc = sess.run(accuracy, feed_dict={x: x_test, y_: y_test})
                loss = sess.run(cross_entropy, {x: x_train, y_: y_train})
                log.append([i, float(acc), float(loss)])
        seconds = time.perf_counter() - start
        weights, bias = sess.run([W, b])
    return log, np.asarray(weights), np.asarray(bias), seconds


def main(argv=None) -> None:
    """Run the text's program on the bundled sample at the text's settings and print its log lines.

    ``--json`` (for ``make bench``) first makes one tiny warm-up run, as the benchmark's other side does,
    then prints ``{"seconds": ..., "log": [...]}``, timing the whole call; ``--steps`` changes TRAIN_STEPS.
    TensorFlow keeps its default settings here, as in the text's own program.
    """
    import argparse
    import json

    from figgen.data import load_dataset, one_hot

    parser = argparse.ArgumentParser(prog="python -m figgen.training.reference", description=main.__doc__)
    parser.add_argument("--steps", type=int, default=TEXT.TRAIN_STEPS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    data = load_dataset("sample")
    x_train, labels_train = data.train(TEXT.TRAIN_SIZE)
    x_test, labels_test = data.test(TEXT.TEST_SIZE)
    y_train, y_test = one_hot(labels_train), one_hot(labels_test)
    if args.json:
        tutorial_loop(x_train[:10], y_train[:10], x_test[:10], y_test[:10], TEXT.LEARNING_RATE, 1, 1)
    start = time.perf_counter()
    log, *_ = tutorial_loop(x_train, y_train, x_test, y_test, train_steps=args.steps)
    if args.json:  # the whole call, graph and session included, as figgen's side counts its set-up
        print(json.dumps({"seconds": time.perf_counter() - start, "log": log}))
        return
    for step, accuracy, loss in log:
        print(f"Training Step:{step} Accuracy = {accuracy} Loss = {loss}")


if __name__ == "__main__":
    main()
