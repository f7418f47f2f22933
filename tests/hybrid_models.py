"""Dynamic-range ("hybrid") quantized models: float32 activations, int8
weights (``optimizations=[DEFAULT]``, no representative dataset), cached
under CACHE_DIR / "kinds".

``asymmetric`` sets the FULLY_CONNECTED / CONV ``asymmetric_quantize_inputs``
option by rewriting the flatbuffer (the converter exposes no switch for it).
"""
from __future__ import annotations

import contextlib
import io as _io
from pathlib import Path

import model_zoo
from model_kinds import CACHE_DIR
from model_zoo import args_key, cached_build

HYBRID_VERSION = "1"


def convert_hybrid(model) -> bytes:
    tf, _ = model_zoo._tf()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    with contextlib.redirect_stdout(_io.StringIO()), model_zoo._warnings_off():
        return converter.convert()


def zoo_hybrid(name: str = "mobilenet_v2") -> Path:
    """Cached dynamic-range version of zoo model ``name``."""
    path = CACHE_DIR / f"{name}_hybrid_v{model_zoo.ZOO_VERSION}.{HYBRID_VERSION}.tflite"
    return cached_build(path, lambda: convert_hybrid(model_zoo.keras_model(name)[0]))


def _mixed(keras, batch: int, width: int):
    """Conv stride 2 (SAME), dilated VALID conv, depthwise (multiplier 1 and
    2), dense on a flattened map and a batched dense; ``width`` sets the
    channel counts (the converter keeps tiny weight tensors float)."""
    L = keras.layers
    init = keras.initializers.RandomNormal(stddev=0.3, seed=1)
    x = keras.Input(batch_shape=(batch, 15, 13, 6), name="image")
    a = L.Conv2D(width, 3, strides=2, padding="same", activation="relu6", bias_initializer=init)(x)
    b = L.Conv2D(width, 3, padding="valid", dilation_rate=2, bias_initializer=init)(x)
    b = L.MaxPooling2D(2, strides=2, padding="same")(b)
    c = L.DepthwiseConv2D(3, padding="same", bias_initializer=init)(a)
    c = L.DepthwiseConv2D(3, depth_multiplier=2, strides=2, padding="same", activation="relu",
                          bias_initializer=init)(c)
    d = L.Conv2D(width, 1, bias_initializer=init)(c)
    m = keras.ops.mean(b, axis=(1, 2))
    f = L.Dense(2 * width, activation="relu", bias_initializer=init)(L.Flatten()(d))
    f = L.Concatenate()([f, m])
    out = L.Dense(11, bias_initializer=init)(f)
    return [x], [out, d]


def mixed_hybrid(batch: int = 2, width: int = 40, seed: int = 0) -> Path:
    path = CACHE_DIR / f"mixed_hybrid_{args_key(batch, width, seed, HYBRID_VERSION)}.tflite"

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(seed)
        inputs, outputs = _mixed(keras, batch, width)
        return convert_hybrid(keras.Model(inputs, outputs))

    return cached_build(path, build)
