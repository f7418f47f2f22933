"""16x8 quantized models: int16 activations (symmetric), int8 weights, int64 bias.

Converted with ``OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8``
and a representative data set. Small per-op models reuse the Keras graphs of
``op_models`` (their undecorated builders); zoo models reuse
``model_zoo.keras_model``. Everything is cached under CACHE_DIR / "kinds".
"""
from __future__ import annotations

import contextlib
import inspect
import io as _io
from pathlib import Path

import numpy as np

import model_zoo
import op_models
from model_zoo import args_key, cached_build

INT16_MODELS_VERSION = "1"
CACHE_DIR = model_zoo.CACHE_DIR / "kinds"
IO_TYPES = ("float32", "int16")


def convert_16x8(model, representative, io: str = "float32") -> bytes:
    """16x8 quantization of a Keras model; ``io`` is float32 or int16 borders."""
    if io not in IO_TYPES:
        raise ValueError(f"io must be one of {IO_TYPES}, got {io!r}")
    tf, _ = model_zoo._tf()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    names = [t.name for t in model.inputs]

    def rep():
        for sample in representative:
            yield {n: np.asarray(a, dtype=np.float32) for n, a in zip(names, sample)}

    converter.representative_dataset = rep
    converter.target_spec.supported_ops = [
        tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    io_type = {"float32": tf.float32, "int16": tf.int16}[io]
    converter.inference_input_type = io_type
    converter.inference_output_type = io_type
    with contextlib.redirect_stdout(_io.StringIO()), model_zoo._warnings_off():
        return converter.convert()


def tanh_model(keras, in_shape=(4, 4, 8), batch_size=1):
    """TANH (not among op_models' builders)."""
    x = op_models._inp(keras, in_shape, batch_size)
    return x, keras.ops.tanh(x)


def mixed_model(keras, batch_size=1):
    """A MobileNet-like chain: conv, depthwise, residual ADD, MUL by a sigmoid gate
    (EfficientNet's squeeze-excite), pooling, MEAN, dense, softmax."""
    L = keras.layers
    init = keras.initializers.RandomNormal(stddev=0.3, seed=1)
    x = op_models._inp(keras, (13, 11, 5), batch_size)
    a = L.Conv2D(8, 3, strides=2, padding="same", activation="relu6", bias_initializer=init)(x)
    b = L.DepthwiseConv2D(3, padding="same", bias_initializer=init)(a)
    b = L.Conv2D(8, 1, bias_initializer=init)(b)
    r = L.Add()([a, b])
    g = keras.ops.sigmoid(L.Dense(8, bias_initializer=init)(keras.ops.mean(r, axis=(1, 2), keepdims=True)))
    r = L.Multiply()([r, g])
    r = L.MaxPooling2D(2, padding="same")(r)
    y = L.Dense(10, bias_initializer=init)(keras.ops.mean(r, axis=(1, 2)))
    return x, keras.ops.softmax(y)


LOCAL_BUILDERS = {"tanh_model": tanh_model, "mixed_model": mixed_model}


def op16(name: str, *args, batch: int = 1, io: str = "int16", calib_scale=1.0, seed: int = 0,
         **kwargs) -> Path:
    """16x8 version of ``op_models.<name>`` or of a LOCAL_BUILDERS entry (same arguments)."""
    raw = LOCAL_BUILDERS[name] if name in LOCAL_BUILDERS else getattr(op_models, name).__wrapped__
    bound = inspect.signature(raw).bind(None, *args, **kwargs)
    bound.apply_defaults()
    params = dict(bound.arguments)
    params.pop("keras")
    params.pop("batch_size", None)
    norm = {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()}
    cs = list(calib_scale) if isinstance(calib_scale, (list, tuple)) else calib_scale
    key = args_key(name, norm, batch, io, cs, seed, INT16_MODELS_VERSION)
    path = CACHE_DIR / "int16_ops" / f"{name}_{key}.tflite"

    def build() -> bytes:
        keras = op_models._keras()
        keras.utils.set_random_seed(seed)
        inputs, outputs = raw(keras, batch_size=batch, **params)
        model = keras.Model(inputs, outputs)
        shapes = [op_models._shape(t.shape) for t in model.inputs]
        return convert_16x8(model, op_models._rep_data(shapes, calib_scale, seed), io=io)

    return cached_build(path, build)


def zoo_model(name: str, io: str = "float32") -> Path:
    """Cached 16x8 version of zoo model ``name``."""
    path = CACHE_DIR / f"{name}_16x8_{io}_v{model_zoo.ZOO_VERSION}.{INT16_MODELS_VERSION}.tflite"

    def build() -> bytes:
        model, x = model_zoo.keras_model(name)
        return convert_16x8(model, [[x[i:i + 1]] for i in range(len(x))], io=io)

    return cached_build(path, build)


if __name__ == "__main__":
    import sys

    for spec in sys.argv[1:] or ["mobilenet_v2"]:
        name, _, io = spec.partition(":")
        p = zoo_model(name, io or "float32")
        print(p, sorted(set(model_zoo.op_names(p))), flush=True)
