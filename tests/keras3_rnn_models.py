"""Keras 3 recurrent layers (LSTM, GRU, SimpleRNN, ConvLSTM2D, Bidirectional)
converted by TensorFlow 2.21, cached in the model cache.

Keras 3 layers are not fused into UNIDIRECTIONAL_SEQUENCE_LSTM: the converter
lowers them to a WHILE loop whose body runs FULLY_CONNECTED / SPLIT / LOGISTIC /
TANH per step and writes each step's output through its TensorList lowering
(RESHAPE + CONCATENATION + SLICE with sizes computed in the body). A sequence
length left free (``time=None``) adds SHAPE -> STRIDED_SLICE -> FILL for the
initial state. Kinds: "float32" and "dynamic" (dynamic-range: int8 weights in
hybrid FULLY_CONNECTED ops where a weight has >= 1024 elements), and "int8"
(full integer, int8 input/output) for ``unroll=True`` layers only: full-integer
conversion of the WHILE-loop form crashes the TF 2.21 converter (segfault),
while unrolled layers become plain int8 FULLY_CONNECTED / SPLIT / LOGISTIC /
TANH / MUL / ADD graphs per step.
"""
from __future__ import annotations

import contextlib
import io

import numpy as np

import model_zoo
from model_zoo import args_key, cached_build

VERSION = "1"
CACHE_DIR = model_zoo.CACHE_DIR / "keras3_rnn"
KINDS = ("float32", "dynamic")  # "int8": unrolled layers only


def _layers(keras, name: str, units: int):
    L = keras.layers
    return {
        "lstm": lambda **kw: L.LSTM(units, **kw),
        "gru": lambda **kw: L.GRU(units, **kw),
        "gru_v1": lambda **kw: L.GRU(units, reset_after=False, **kw),
        "simple_rnn": lambda **kw: L.SimpleRNN(units, **kw),
    }[name]


def rnn_model(layer: str, kind: str = "float32", batch: int = 1, time: int | None = 5,
              features: int = 3, units: int = 4, return_sequences: bool = True,
              go_backwards: bool = False, bidirectional: bool = False, stack: bool = False,
              masking: bool = False, stateful: bool = False, unroll: bool = False, seed: int = 0):
    """One Keras 3 recurrent layer (optionally Bidirectional, behind Masking(0),
    or stacked: layer -> backwards GRU -> Dense) on a (batch, time, features) input."""
    args = dict(layer=layer, batch=batch, time=time, features=features, units=units,
                return_sequences=return_sequences, go_backwards=go_backwards,
                bidirectional=bidirectional, stack=stack, masking=masking, stateful=stateful,
                seed=seed)
    if unroll:
        args["unroll"] = True  # keeps the cache keys of the loop models
    path = CACHE_DIR / f"{layer}_{kind}_{args_key(args)}_v{VERSION}.tflite"

    def build(keras):
        make = _layers(keras, layer, units)
        inp = keras.Input((time, features), batch_size=batch)
        h = keras.layers.Masking(0.0)(inp) if masking else inp
        rnn = make(return_sequences=return_sequences or stack, go_backwards=go_backwards,
                   stateful=stateful, unroll=unroll)
        h = (keras.layers.Bidirectional(rnn) if bidirectional else rnn)(h)
        if stack:
            h = keras.layers.GRU(5, return_sequences=return_sequences, go_backwards=True)(h)
            h = keras.layers.Dense(2)(h)
        return keras.Model(inp, h)

    shape = (batch, time, features)
    return cached_build(path, lambda: _convert(build, kind, seed, shape))


def conv_lstm_model(kind: str = "float32", seed: int = 0):
    """ConvLSTM2D(3 filters, 3x3, same) on (1, 3, 6, 6, 2): a WHILE loop around CONV_2D."""
    path = CACHE_DIR / f"conv_lstm_{kind}_s{seed}_v{VERSION}.tflite"

    def build(keras):
        inp = keras.Input((3, 6, 6, 2), batch_size=1)
        return keras.Model(inp, keras.layers.ConvLSTM2D(3, 3, padding="same")(inp))

    return cached_build(path, lambda: _convert(build, kind, seed))


def _convert(build, kind: str, seed: int, shape=None) -> bytes:
    if kind not in KINDS + ("int8",):
        raise ValueError(f"kind must be one of {KINDS + ('int8',)}, got {kind!r}")
    tf, keras = model_zoo._tf()
    keras.utils.set_random_seed(seed)
    converter = tf.lite.TFLiteConverter.from_keras_model(build(keras))
    if kind in ("dynamic", "int8"):
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if kind == "int8":
        rng = np.random.default_rng(seed)
        converter.representative_dataset = lambda: (
            [rng.uniform(-2, 2, shape).astype(np.float32)] for _ in range(32))
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    with contextlib.redirect_stdout(io.StringIO()), model_zoo._warnings_off():
        return converter.convert()
