"""Tiny Keras models of elementwise ops (activations, unary math, binary
min/max-like ops) for tests/test_ops_elementwise2.py.

``elementwise_model(op, shapes, ...)`` builds x -> OP(x) (or OP(a, b)) from
the ``OPS`` table, with representative data uniform in per-input ranges
(first and last values pinned, so the calibrated range and hence the zero
point is chosen by the test: a range like (0, 5) puts the zero point at
-128, (-5, 0) at 127). ``kind`` "int8" converts with the zoo's full-integer
recipe (``io`` int8/uint8/float32), "float32" with the plain float recipe.
Results are cached like every other test model.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

import model_kinds
import model_zoo
import op_models
from model_zoo import args_key, cached_build, convert_int8

CACHE = op_models.OP_CACHE_DIR / "elementwise"
VERSION = "1"


def _ops(keras):
    """op name -> (number of inputs, fn(keras_tensors, **params))."""
    import tensorflow as tf

    k, L = keras.ops, keras.layers

    def lam(f):
        return lambda xs, **p: L.Lambda(lambda t: f(*t) if isinstance(t, list) else f(t))(
            xs if len(xs) > 1 else xs[0])

    return {
        "relu": (1, lambda xs: k.relu(xs[0])),
        "relu6": (1, lambda xs: k.relu6(xs[0])),
        "relu_n1_to_1": (1, lambda xs: k.clip(xs[0], -1.0, 1.0)),
        "leaky_relu": (1, lambda xs, alpha=0.2: L.LeakyReLU(negative_slope=alpha)(xs[0])),
        "prelu": (1, lambda xs, shared_axes=(1, 2): L.PReLU(
            alpha_initializer=keras.initializers.RandomUniform(-0.8, 0.8, seed=3),
            shared_axes=list(shared_axes) or None)(xs[0])),
        "tanh": (1, lambda xs: k.tanh(xs[0])),
        # fusion patterns: a binary op of x and a table op of x
        "x_times_tanh": (1, lambda xs: k.multiply(xs[0], k.tanh(xs[0]))),
        "x_sqdiff_tanh": (1, lambda xs: lam(lambda t: tf.math.squared_difference(t, tf.math.tanh(t)))(xs)),
        "gelu": (1, lambda xs, approximate=False: lam(
            lambda t: tf.nn.gelu(t, approximate=approximate))(xs)),
        "abs": (1, lambda xs: lam(tf.math.abs)(xs)),
        "neg": (1, lambda xs: lam(tf.math.negative)(xs)),
        "exp": (1, lambda xs: lam(tf.math.exp)(xs)),
        "log": (1, lambda xs: lam(tf.math.log)(xs)),
        "sqrt": (1, lambda xs: lam(tf.math.sqrt)(xs)),
        "rsqrt": (1, lambda xs: lam(tf.math.rsqrt)(xs)),
        "square": (1, lambda xs: lam(tf.math.square)(xs)),
        "add": (2, lambda xs: k.add(xs[0], xs[1])),
        "sub": (2, lambda xs: k.subtract(xs[0], xs[1])),
        "mul": (2, lambda xs: k.multiply(xs[0], xs[1])),
        "maximum": (2, lambda xs: k.maximum(xs[0], xs[1])),
        "minimum": (2, lambda xs: k.minimum(xs[0], xs[1])),
        "squared_difference": (2, lambda xs: lam(tf.math.squared_difference)(xs)),
        "div": (2, lambda xs: lam(tf.math.divide)(xs)),
        "l2_normalize": (1, lambda xs: lam(lambda t: tf.math.l2_normalize(t, axis=-1))(xs)),
    }


def elementwise_model(op: str, shapes: Sequence[Sequence[int]], batch: int = 1,
                      ranges: Sequence[tuple] = ((-3.0, 3.0), (-2.0, 2.0)), kind: str = "int8",
                      io: str = "int8", seed: int = 0, **params) -> Path:
    """x -> op(x) (or op(a, b)); ``shapes`` exclude the batch dim, one per input;
    ``ranges`` give each input's representative range; ``params`` go to the op."""
    shapes = [tuple(int(d) for d in s) for s in shapes]
    ranges = [tuple(float(v) for v in r) for r in ranges][: len(shapes)]
    key = args_key(op, [list(s) for s in shapes], batch, [list(r) for r in ranges], kind, io, seed,
                   sorted(params.items()), VERSION, model_zoo.ZOO_VERSION)
    path = CACHE / f"{op}_{key}.tflite"

    def build() -> bytes:
        keras = op_models._keras()
        keras.utils.set_random_seed(seed)
        n_in, fn = _ops(keras)[op]
        if n_in != len(shapes):
            raise ValueError(f"{op} takes {n_in} inputs, got {len(shapes)} shapes")
        xs = [keras.Input(batch_shape=(batch,) + s, name=f"in{i}") for i, s in enumerate(shapes)]
        model = keras.Model(xs, fn(xs, **params))
        if kind == "float32":
            return model_kinds.convert_float(model, "float32")
        rng = np.random.default_rng(seed)
        rep = []
        for _ in range(16):
            sample = [rng.uniform(lo, hi, (batch,) + s).astype(np.float32)
                      for s, (lo, hi) in zip(shapes, ranges)]
            for a, (lo, hi) in zip(sample, ranges):
                a.flat[0], a.flat[-1] = lo, hi
            rep.append(sample)
        return convert_int8(model, rep, io=io)

    return cached_build(path, build)


def cast_model(in_dtype: str, out_dtypes: Sequence[str], shape=(3, 7), batch: int = 1) -> Path:
    """x (in_dtype) -> one tf.cast(x, t) output per t in out_dtypes (one CAST
    each), converted with the float recipe."""
    key = args_key("cast", in_dtype, list(out_dtypes), list(shape), batch, VERSION,
                   model_zoo.ZOO_VERSION)
    path = CACHE / f"cast_{key}.tflite"

    def build() -> bytes:
        import tensorflow as tf

        keras = op_models._keras()
        x = keras.Input(batch_shape=(batch,) + tuple(shape), name="in0", dtype=in_dtype)
        ys = [keras.layers.Lambda(lambda t, d=d: tf.cast(t, d))(x) for d in out_dtypes]
        return model_kinds.convert_float(keras.Model(x, ys), "float32")

    return cached_build(path, build)


def _block(keras, batch: int):
    """Dense -> GELU -> Dense -> residual ADD -> LayerNormalization (MEAN,
    SQUARED_DIFFERENCE, RSQRT, ...) -> PReLU -> max(tanh(.), -0.5)."""
    import tensorflow as tf

    L = keras.layers
    x = keras.Input(batch_shape=(batch, 8, 16), name="in0")
    h = L.Dense(32)(x)
    h = L.Lambda(lambda t: tf.nn.gelu(t, approximate=True))(h)
    h = L.Add()([L.Dense(16)(h), x])
    h = L.PReLU()(L.LayerNormalization()(h))
    return x, L.Lambda(lambda t: tf.math.maximum(tf.math.tanh(t), -0.5))(h)


def block_model(kind: str = "int8", batch: int = 2, seed: int = 0) -> Path:
    """A small transformer-style block using this op group (int8 or float32)."""
    key = args_key("block", kind, batch, seed, VERSION, model_zoo.ZOO_VERSION)
    path = CACHE / f"block_{key}.tflite"

    def build() -> bytes:
        keras = op_models._keras()
        keras.utils.set_random_seed(seed)
        model = keras.Model(*_block(keras, batch))
        if kind == "float32":
            return model_kinds.convert_float(model, "float32")
        rng = np.random.default_rng(seed)
        rep = [[rng.standard_normal((batch, 8, 16)).astype(np.float32)] for _ in range(16)]
        return convert_int8(model, rep)

    return cached_build(path, build)
