"""A digits MLP with one quantization-hostile layer, for the quantization debugger tests.

The logits layer gets an eleventh "reject" unit that is -30 for most inputs but
reaches about -OUTLIER on the 3% of inputs that activate one rare hidden unit.
The float model never predicts it, but its few huge values stretch the int8
scale of the logits tensor to ~OUTLIER/255 per step, so the real logits (about
+-15) keep only a handful of levels and full-int8 accuracy drops.
"""

from __future__ import annotations

import numpy as np

OUTLIER = 8000.0


def digits_split():
    """(x_train, y_train, x_test, y_test): sklearn digits in [0, 1], a fixed split."""
    from sklearn.datasets import load_digits

    d = load_digits()
    x, y = (d.data / 16.0).astype(np.float32), d.target.astype(np.int64)
    perm = np.random.default_rng(0).permutation(len(x))
    x, y = x[perm], y[perm]
    return x[:1400], y[:1400], x[1400:], y[1400:]


def hostile_mlp(x_train, y_train):
    """A trained 64-32-33-11 MLP whose last layer ("logits") is quantization-hostile."""
    import tensorflow as tf

    tf.keras.utils.set_random_seed(0)
    base = tf.keras.Sequential([tf.keras.Input((64,)), tf.keras.layers.Dense(32, activation="relu"),
                                tf.keras.layers.Dense(32, activation="relu"), tf.keras.layers.Dense(10)])
    base.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    base.fit(x_train, y_train, epochs=40, batch_size=64, verbose=0)
    (w1, b1), (w2, b2), (w3, b3) = (layer.get_weights() for layer in base.layers)

    # A copy of the most varied hidden unit, shifted so it fires on 3% of inputs.
    z = np.maximum(x_train @ w1 + b1, 0) @ w2 + b2
    j = int(np.argmax(z.std(0)))
    threshold = float(np.percentile(z[:, j], 97))
    rare_max = float(np.max(z[:, j]) - threshold)
    w2 = np.concatenate([w2, w2[:, j:j + 1]], 1)
    b2 = np.append(b2, -threshold).astype(np.float32)
    w3_new = np.zeros((33, 11), np.float32)
    w3_new[:32, :10] = w3
    w3_new[32, 10] = -OUTLIER / rare_max
    b3 = np.append(b3, -30.0).astype(np.float32)

    inputs = tf.keras.Input((64,), name="pixels")
    h = tf.keras.layers.Dense(32, activation="relu", name="fc1")(inputs)
    h = tf.keras.layers.Dense(33, activation="relu", name="fc2")(h)
    logits = tf.keras.layers.Dense(11, name="logits")(h)
    model = tf.keras.Model(inputs, logits)
    model.get_layer("fc1").set_weights([w1, b1])
    model.get_layer("fc2").set_weights([w2, b2])
    model.get_layer("logits").set_weights([w3_new, b3])
    return model


def write_example(directory: str) -> None:
    """The README's example files: mlp.keras, calib.npy, test.npz (x, y), x_test.npy, y_test.npy."""
    from pathlib import Path

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    x_train, y_train, x_test, y_test = digits_split()
    hostile_mlp(x_train, y_train).save(out / "mlp.keras")
    np.save(out / "calib.npy", x_train[:300])
    np.savez(out / "test.npz", x=x_test, y=y_test)
    np.save(out / "x_test.npy", x_test)
    np.save(out / "y_test.npy", y_test)


if __name__ == "__main__":
    import sys

    write_example(sys.argv[1] if len(sys.argv) > 1 else "qdebug_example")
