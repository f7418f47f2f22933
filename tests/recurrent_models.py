"""Recurrent Keras layers converted by TensorFlow 2.21, cached in the model cache.

Keras 2 (the tf-keras package) LSTM layers are fused by the converter into one
UNIDIRECTIONAL_SEQUENCE_LSTM op whose output and cell states are variable tensors
(kept across invokes until reset_all_variables). Keras 3 layers (and every GRU or
SimpleRNN) become WHILE loops instead.
"""
from __future__ import annotations

import contextlib
import io

import numpy as np

import model_zoo
from model_zoo import cached_build

VERSION = "1"
CACHE_DIR = model_zoo.CACHE_DIR / "recurrent"


def _tf_keras():
    model_zoo._tf()  # quiet TensorFlow first
    import tf_keras  # noqa: WPS433  (test extra)

    return tf_keras


def lstm_model(kind: str = "float32", batch: int = 1, time: int = 6, features: int = 3,
               units: int = 8, return_sequences: bool = True, seed: int = 0,
               bidirectional: bool = False):
    """A tf_keras LSTM layer, float32 or full-integer int8 (int8 input/output).
    ``bidirectional`` wraps it in keras.layers.Bidirectional, which converts to
    REVERSE_V2 + two UNIDIRECTIONAL_SEQUENCE_LSTM + CONCATENATION."""
    key = f"b{batch}_t{time}_f{features}_u{units}_{'seq' if return_sequences else 'last'}_s{seed}"
    key += "_bi" if bidirectional else ""
    path = CACHE_DIR / f"lstm_{kind}_{key}_v{VERSION}.tflite"

    def build() -> bytes:
        tf, _ = model_zoo._tf()
        keras = _tf_keras()
        keras.utils.set_random_seed(seed)
        inp = keras.Input((time, features), batch_size=batch)
        layer = keras.layers.LSTM(units, return_sequences=return_sequences)
        out = (keras.layers.Bidirectional(layer) if bidirectional else layer)(inp)
        model = keras.Model(inp, out)
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        if kind == "int8":
            rng = np.random.default_rng(seed)

            def rep():
                for _ in range(32):
                    yield [rng.uniform(-2, 2, (batch, time, features)).astype(np.float32)]

            converter.optimizations = [tf.lite.Optimize.DEFAULT]
            converter.representative_dataset = rep
            converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
            converter.inference_input_type = tf.int8
            converter.inference_output_type = tf.int8
        with contextlib.redirect_stdout(io.StringIO()), model_zoo._warnings_off():
            return converter.convert()

    return cached_build(path, build)
