"""Dynamic-range ("hybrid") quantized models: float32 activations, int8
weights (``optimizations=[DEFAULT]``, no representative dataset), cached
under CACHE_DIR / "kinds".

The converter keeps weight tensors under 1024 elements float, quantizes
CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED weights per channel and sets
FULLY_CONNECTED ``asymmetric_quantize_inputs``; ``edited_hybrid`` rewrites
the flatbuffer for the paths it does not emit (symmetric FC inputs, conv
filters with one scale or equal scales, extra outputs).
"""
from __future__ import annotations

import contextlib
import io as _io
from pathlib import Path

import model_edit
import model_zoo
from model_kinds import CACHE_DIR
from model_zoo import args_key, cached_build

HYBRID_VERSION = "2"  # small models
ZOO_HYBRID_VERSION = "1"  # zoo models
EDITS = ("symmetric_fc", "one_scale_conv", "fc_outputs")


def convert_hybrid(model) -> bytes:
    tf, _ = model_zoo._tf()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    with contextlib.redirect_stdout(_io.StringIO()), model_zoo._warnings_off():
        return converter.convert()


def zoo_hybrid(name: str = "mobilenet_v2") -> Path:
    """Cached dynamic-range version of zoo model ``name``."""
    path = CACHE_DIR / f"{name}_hybrid_v{model_zoo.ZOO_VERSION}.{ZOO_HYBRID_VERSION}.tflite"
    return cached_build(path, lambda: convert_hybrid(model_zoo.keras_model(name)[0]))


def _mixed(keras, batch: int):
    """Every hybrid op with int8 weights (>= 1024 of them): conv stride 2
    SAME, dilated VALID conv, 1x1 conv, depthwise with 130 channels (not a
    multiple of 4) and dilation, depthwise multiplier 2 stride 2, dense on a
    flattened map and on a concatenation."""
    L = keras.layers
    init = keras.initializers.RandomNormal(stddev=0.3, seed=1)
    x = keras.Input(batch_shape=(batch, 15, 13, 6), name="image")
    a = L.Conv2D(130, 3, strides=2, padding="same", activation="relu6", bias_initializer=init)(x)
    b = L.Conv2D(40, 3, padding="valid", dilation_rate=2, bias_initializer=init)(x)
    b = L.MaxPooling2D(2, strides=2, padding="same")(b)
    c = L.DepthwiseConv2D(3, padding="same", dilation_rate=2, bias_initializer=init)(a)
    c = L.DepthwiseConv2D(3, depth_multiplier=2, strides=2, padding="same", activation="relu",
                          bias_initializer=init)(c)
    d = L.Conv2D(40, 1, bias_initializer=init)(c)
    m = keras.ops.mean(b, axis=(1, 2))
    f = L.Dense(80, activation="relu", bias_initializer=init)(L.Flatten()(d))
    f = L.Concatenate()([f, m])
    out = L.Dense(11, bias_initializer=init)(f)
    return [x], [out, d]


def mixed_hybrid(batch: int = 2, seed: int = 0) -> Path:
    path = CACHE_DIR / f"mixed_hybrid_{args_key(batch, seed, HYBRID_VERSION)}.tflite"

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(seed)
        inputs, outputs = _mixed(keras, batch)
        return convert_hybrid(keras.Model(inputs, outputs))

    return cached_build(path, build)


def _ops(model, code):
    codes = model.operatorCodes
    for op in model.subgraphs[0].operators:
        c = codes[op.opcodeIndex]
        if max(c.builtinCode, c.deprecatedBuiltinCode) == code:
            yield op


def _edit(model, what: str) -> None:
    B = model_edit.BuiltinOperator
    tensors = model.subgraphs[0].tensors
    if what == "symmetric_fc":
        for op in _ops(model, B.FULLY_CONNECTED):
            op.builtinOptions.asymmetricQuantizeInputs = False
    elif what == "one_scale_conv":
        # Alternately one scale and out_c equal scales: LiteRT's per-tensor
        # (symmetric) hybrid conv path takes both.
        for i, op in enumerate(_ops(model, B.CONV_2D)):
            q = tensors[op.inputs[1]].quantization
            if q is None or q.scale is None:
                continue
            s = float(max(q.scale))
            n = 1 if i % 2 == 0 else len(q.scale)
            q.scale, q.zeroPoint = [s] * n, [0] * n
    elif what == "fc_outputs":
        # FULLY_CONNECTED outputs become model outputs (ahead of SOFTMAX).
        for op in _ops(model, B.FULLY_CONNECTED):
            model.subgraphs[0].outputs = list(model.subgraphs[0].outputs) + [op.outputs[0]]
    else:
        raise ValueError(f"edit must be one of {EDITS}, got {what!r}")


def edited_hybrid(path: Path, what: str) -> Path:
    """Cached copy of hybrid model ``path`` with edit ``what`` applied."""
    out = Path(path).with_name(f"{Path(path).stem}_{what}.tflite")
    return cached_build(out, lambda: model_edit.edited(Path(path).read_bytes(),
                                                       lambda m: _edit(m, what)))


def dense_hybrid(batch: int = 2, depth: int = 19, units: int = 64, seed: int = 0) -> Path:
    """One hybrid FULLY_CONNECTED on the model input (depth 19: 16 values in
    LiteRT's 8-wide quantizer loop, 3 in its scalar tail), for crafted rows."""
    path = CACHE_DIR / f"dense_hybrid_{args_key(batch, depth, units, seed, HYBRID_VERSION)}.tflite"

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(seed)
        x = keras.Input(batch_shape=(batch, depth), name="x")
        init = keras.initializers.RandomNormal(stddev=0.3, seed=1)
        y = keras.layers.Dense(units, bias_initializer=init)(x)
        return convert_hybrid(keras.Model(x, y))

    return cached_build(path, build)
