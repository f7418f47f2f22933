"""Small single-op (or few-op) int8 TFLite models for op-level tests.

Every builder makes a tiny seeded Keras model, converts it with the zoo's
full-integer recipe (``model_zoo.convert_int8``) and returns the path of a
cached .tflite keyed by the builder name, its arguments and OP_MODELS_VERSION.
TensorFlow is only imported when a model has to be built (~0.5-2 s each).

Common keyword arguments of every builder:
  batch        fixed batch size of the Keras Input(s) (static in the .tflite)
  io           "int8" (default), "uint8" or "float32" model inputs/outputs
  calib_scale  multiplies the representative data; a float (all inputs) or a
               sequence (one per input) -> lets tests create extreme scales
  seed         weights and representative data seed

Representative data: 16 samples per input, input k drawn as
``calib_scale_k * _INPUT_SCALES[k] * (N(0,1) + _INPUT_OFFSETS[k])`` so that
different inputs get different scales and non-zero zero points.

Input order: ``reference_outputs`` and the .tflite use the *subgraph* input
order; use ``model_zoo.model_io_details(path)["inputs"]`` (or
``model_zoo.random_inputs``) rather than assuming the Keras order. The input
tensor names contain the Keras input names ("in0", "in1", ...).
"""

from __future__ import annotations

import inspect
from functools import wraps
from pathlib import Path
from typing import Sequence

import numpy as np

import model_zoo
from model_zoo import CACHE_DIR, args_key, cached_build, convert_int8

OP_MODELS_VERSION = "1"
OP_CACHE_DIR = CACHE_DIR / "ops"
NUM_REP_SAMPLES = 16
_INPUT_SCALES = (1.0, 2.5, 0.4, 1.7, 0.8, 3.0)
_INPUT_OFFSETS = (0.3, -0.6, 0.1, 0.8, -0.2, 0.0)


def _keras():
    _, keras = model_zoo._tf()
    return keras


def _shape(s) -> tuple[int, ...]:
    return tuple(int(d) for d in s)


def _rep_data(shapes: Sequence[tuple], calib_scale, seed: int):
    n_in = len(shapes)
    if isinstance(calib_scale, (int, float)):
        scales = [float(calib_scale)] * n_in
    else:
        scales = [float(c) for c in calib_scale]
        if len(scales) != n_in:
            raise ValueError(f"calib_scale has {len(scales)} entries for {n_in} inputs")
    rng = np.random.default_rng(seed + 12345)
    samples = []
    for _ in range(NUM_REP_SAMPLES):
        sample = []
        for k, shp in enumerate(shapes):
            z = rng.standard_normal(shp) + _INPUT_OFFSETS[k % len(_INPUT_OFFSETS)]
            sample.append((scales[k] * _INPUT_SCALES[k % len(_INPUT_SCALES)] * z).astype(np.float32))
        samples.append(sample)
    return samples


def op_model(builder):
    """Decorator: ``builder(keras, **args) -> (inputs, outputs)``; adds caching."""
    sig = inspect.signature(builder)

    @wraps(builder)
    def wrapper(*args, batch: int = 1, io: str = "int8", calib_scale=1.0, seed: int = 0, **kwargs) -> Path:
        bound = sig.bind(None, *args, **kwargs)
        bound.apply_defaults()
        params = dict(bound.arguments)
        params.pop("keras")
        params.pop("batch_size", None)
        norm = {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()}
        cs = list(calib_scale) if isinstance(calib_scale, (list, tuple)) else calib_scale
        key = args_key(builder.__name__, norm, batch, io, cs, seed, OP_MODELS_VERSION, model_zoo.ZOO_VERSION)
        path = OP_CACHE_DIR / f"{builder.__name__}_{key}.tflite"

        def build() -> bytes:
            keras = _keras()
            keras.utils.set_random_seed(seed)
            inputs, outputs = builder(keras, batch_size=batch, **params)
            model = keras.Model(inputs, outputs)
            shapes = [_shape(t.shape) for t in model.inputs]
            return convert_int8(model, _rep_data(shapes, calib_scale, seed), io=io)

        return cached_build(path, build)

    wrapper.__signature__ = inspect.Signature(
        [p for p in sig.parameters.values() if p.name not in ("keras", "batch_size")]
        + [
            inspect.Parameter("batch", inspect.Parameter.KEYWORD_ONLY, default=1),
            inspect.Parameter("io", inspect.Parameter.KEYWORD_ONLY, default="int8"),
            inspect.Parameter("calib_scale", inspect.Parameter.KEYWORD_ONLY, default=1.0),
            inspect.Parameter("seed", inspect.Parameter.KEYWORD_ONLY, default=0),
        ],
        return_annotation=Path,
    )
    return wrapper


def _inp(keras, shape, batch_size, k=0):
    return keras.Input(batch_shape=(batch_size,) + _shape(shape), name=f"in{k}")


def _bias_init(keras):
    # Non-zero biases so the bias path is exercised (Keras defaults to zeros).
    return keras.initializers.RandomNormal(stddev=0.3)


def _act(keras, x, activation):
    """Apply an activation as its own Keras op (converter fuses relu/relu6/relu_n1_to_1)."""
    if activation is None:
        return x
    ops = keras.ops
    if activation == "relu":
        return ops.relu(x)
    if activation == "relu6":
        return ops.relu6(x)
    if activation == "relu_n1_to_1":
        return ops.clip(x, -1.0, 1.0)
    raise ValueError(f"unsupported activation {activation!r}")


# ----------------------------------------------------------------------------
# Builders
# ----------------------------------------------------------------------------

@op_model
def conv_model(keras, in_shape=(8, 8, 3), filters=4, kernel=3, strides=1, dilation=1, padding="same",
               activation=None, use_bias=True, batch_size=1):
    """CONV_2D. in_shape is HWC; kernel/strides/dilation int or (h, w); padding 'same'|'valid';
    activation None|'relu'|'relu6'|'relu_n1_to_1' (fused)."""
    x = _inp(keras, in_shape, batch_size)
    y = keras.layers.Conv2D(filters, kernel, strides=strides, dilation_rate=dilation, padding=padding,
                            use_bias=use_bias, bias_initializer=_bias_init(keras))(x)
    return x, _act(keras, y, activation)


@op_model
def depthwise_model(keras, in_shape=(8, 8, 4), kernel=3, strides=1, dilation=1, padding="same",
                    depth_multiplier=1, activation=None, use_bias=True, batch_size=1):
    """DEPTHWISE_CONV_2D."""
    x = _inp(keras, in_shape, batch_size)
    y = keras.layers.DepthwiseConv2D(kernel, strides=strides, dilation_rate=dilation, padding=padding,
                                     depth_multiplier=depth_multiplier, use_bias=use_bias,
                                     bias_initializer=_bias_init(keras))(x)
    return x, _act(keras, y, activation)


@op_model
def dense_model(keras, in_shape=(16,), units=8, use_bias=True, activation=None, batch_size=1):
    """FULLY_CONNECTED. Use batch=N for batched FC; in_shape of rank > 1 applies Dense on the last axis."""
    x = _inp(keras, in_shape, batch_size)
    y = keras.layers.Dense(units, use_bias=use_bias, bias_initializer=_bias_init(keras))(x)
    return x, _act(keras, y, activation)


def _binary(keras, fn, shape_a, shape_b, activation, batch_size):
    a = _inp(keras, shape_a, batch_size, 0)
    b = _inp(keras, shape_a if shape_b is None else shape_b, batch_size, 1)
    return [a, b], _act(keras, fn(a, b), activation)


@op_model
def add_model(keras, shape_a=(4, 4, 8), shape_b=None, activation=None, batch_size=1):
    """ADD of two inputs (shape_b for broadcasting, default = shape_a)."""
    return _binary(keras, keras.ops.add, shape_a, shape_b, activation, batch_size)


@op_model
def mul_model(keras, shape_a=(4, 4, 8), shape_b=None, activation=None, batch_size=1):
    """MUL of two inputs."""
    return _binary(keras, keras.ops.multiply, shape_a, shape_b, activation, batch_size)


@op_model
def sub_model(keras, shape_a=(4, 4, 8), shape_b=None, activation=None, batch_size=1):
    """SUB of two inputs."""
    return _binary(keras, keras.ops.subtract, shape_a, shape_b, activation, batch_size)


@op_model
def mean_model(keras, in_shape=(6, 6, 8), axes=(1, 2), keepdims=True, batch_size=1):
    """MEAN over ``axes`` (axes count the batch dim: (1, 2) = spatial)."""
    x = _inp(keras, in_shape, batch_size)
    return x, keras.ops.mean(x, axis=tuple(axes), keepdims=keepdims)


@op_model
def pad_model(keras, in_shape=(5, 5, 3), paddings=((0, 0), (1, 2), (2, 1), (0, 0)), batch_size=1):
    """PAD with zeros (``paddings`` includes the batch dim)."""
    x = _inp(keras, in_shape, batch_size)
    return x, keras.ops.pad(x, [list(p) for p in paddings])


@op_model
def maxpool_model(keras, in_shape=(8, 8, 4), pool=2, strides=None, padding="valid", batch_size=1):
    """MAX_POOL_2D."""
    x = _inp(keras, in_shape, batch_size)
    return x, keras.layers.MaxPooling2D(pool, strides=strides, padding=padding)(x)


@op_model
def avgpool_model(keras, in_shape=(8, 8, 4), pool=2, strides=None, padding="valid", batch_size=1):
    """AVERAGE_POOL_2D."""
    x = _inp(keras, in_shape, batch_size)
    return x, keras.layers.AveragePooling2D(pool, strides=strides, padding=padding)(x)


@op_model
def concat_model(keras, shapes=((4, 4, 3), (4, 4, 5)), axis=-1, batch_size=1):
    """CONCATENATION of len(shapes) inputs."""
    xs = [_inp(keras, s, batch_size, k) for k, s in enumerate(shapes)]
    return xs, keras.ops.concatenate(xs, axis=axis)


@op_model
def hard_swish_model(keras, in_shape=(4, 4, 8), batch_size=1):
    """HARD_SWISH (x * relu6(x + 3) / 6, as in Keras' MobileNetV3)."""
    x = _inp(keras, in_shape, batch_size)
    return x, keras.ops.hard_swish(x)


@op_model
def logistic_model(keras, in_shape=(4, 4, 8), batch_size=1):
    """LOGISTIC (sigmoid)."""
    x = _inp(keras, in_shape, batch_size)
    return x, keras.ops.sigmoid(x)


@op_model
def softmax_model(keras, in_shape=(10,), axis=-1, batch_size=1):
    """SOFTMAX over the last axis."""
    x = _inp(keras, in_shape, batch_size)
    return x, keras.ops.softmax(x, axis=axis)


@op_model
def strided_slice_model(keras, in_shape=(8, 8, 4), begin=(0, 1, 0, 1), end=(1, 7, 8, 4), strides=(1, 2, 3, 1),
                        batch_size=1):
    """STRIDED_SLICE (begin/end/strides include the batch dim). Unit strides may become SLICE."""
    x = _inp(keras, in_shape, batch_size)
    idx = tuple(slice(b, e, s) for b, e, s in zip(begin, end, strides))
    return x, x[idx]


@op_model
def pack_model(keras, shape=(4, 6), n=3, axis=1, batch_size=1):
    """PACK (tf.stack) of ``n`` inputs of the same shape."""
    xs = [_inp(keras, shape, batch_size, k) for k in range(n)]
    return xs, keras.ops.stack(xs, axis=axis)


@op_model
def reshape_model(keras, in_shape=(4, 4, 6), new_shape=(16, 6), batch_size=1):
    """RESHAPE to (batch,) + new_shape."""
    x = _inp(keras, in_shape, batch_size)
    return x, keras.layers.Reshape(_shape(new_shape))(x)


BUILDERS = {
    f.__name__: f
    for f in (conv_model, depthwise_model, dense_model, add_model, mul_model, sub_model, mean_model, pad_model,
              maxpool_model, avgpool_model, concat_model, hard_swish_model, logistic_model, softmax_model,
              strided_slice_model, pack_model, reshape_model)
}


if __name__ == "__main__":
    # Smoke check: build every default model, print ops and run the reference.
    import sys
    import time

    names = sys.argv[1:] or list(BUILDERS)
    for name in names:
        t0 = time.perf_counter()
        p = BUILDERS[name]()
        dt = time.perf_counter() - t0
        det = model_zoo.model_io_details(p)
        outs = model_zoo.reference_outputs(p, [model_zoo.random_inputs(p, seed=s) for s in range(2)])
        print(f"{name:<22}{dt:6.1f}s ops={model_zoo.op_names(p)} "
              f"in={[(d['name'], d['shape'], np.dtype(d['dtype']).name, round(d['scale'], 5), d['zero_point']) for d in det['inputs']]} "
              f"out={[(o.shape, o.dtype.name) for o in outs[0]]} "
              f"out_q={[(round(d['scale'], 5), d['zero_point']) for d in det['outputs']]}", flush=True)
