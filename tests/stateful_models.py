"""Models with control flow and resource variables, converted by TensorFlow.

Each builder returns a cached .tflite path (model cache, file-locked). The
converter turns tf.cond into IF, tf.while_loop into WHILE (cond and body as
subgraphs) and a tf.Variable into VAR_HANDLE / READ_VARIABLE /
ASSIGN_VARIABLE with a CALL_ONCE init subgraph.
"""
from __future__ import annotations

import contextlib
import io

import numpy as np

import model_zoo
from model_zoo import cached_build

VERSION = "1"
CACHE_DIR = model_zoo.CACHE_DIR / "stateful"


def _convert(tf, fn, module=None, int8: bool = False, shape=(1, 4)) -> bytes:
    converter = tf.lite.TFLiteConverter.from_concrete_functions([fn.get_concrete_function()], module)
    if int8:
        rng = np.random.default_rng(0)

        def rep():
            for _ in range(32):
                yield [rng.uniform(-2, 2, shape).astype(np.float32)]

        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = rep
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    with contextlib.redirect_stdout(io.StringIO()), model_zoo._warnings_off():
        return converter.convert()


def _functions(tf):
    spec = [tf.TensorSpec([1, 4], tf.float32)]

    @tf.function(input_signature=spec)
    def cond(x):  # IF on a data-dependent predicate (SUM, GREATER in subgraph 0)
        return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0 + 1.0, lambda: tf.tanh(x) - 1.0)

    @tf.function(input_signature=spec)
    def while_data(x):  # data-dependent trip count; returns the count and the value
        return tf.while_loop(lambda i, v: tf.reduce_sum(tf.abs(v)) < 10.0,
                             lambda i, v: (i + 1, v * 1.5 + 0.5), [tf.constant(0), x])

    @tf.function(input_signature=spec)
    def while_count(x):  # fixed trip count, so int8 calibration terminates
        return tf.while_loop(lambda i, v: i < 4, lambda i, v: (i + 1, tf.tanh(v) * 1.5 + 0.25),
                             [tf.constant(0), x])[1]

    @tf.function(input_signature=spec)
    def nested(x):  # an IF inside a WHILE body
        def body(i, v):
            return i + 1, tf.cond(tf.reduce_sum(v) > 0.0, lambda: v * 0.5 - 0.3, lambda: v + 0.7)
        return tf.while_loop(lambda i, v: i < 5, body, [tf.constant(0), x])[1]

    return {"cond": cond, "while_data": while_data, "while_count": while_count, "nested": nested}


FUNCTIONS = ("cond", "while_data", "while_count", "nested")


def control_flow_model(name: str, int8: bool = False):
    path = CACHE_DIR / f"{name}_{'int8' if int8 else 'float32'}_v{VERSION}.tflite"

    def build() -> bytes:
        tf, _ = model_zoo._tf()
        return _convert(tf, _functions(tf)[name], int8=int8)

    return cached_build(path, build)


def variable_model(kind: str = "accumulator"):
    """A tf.Module whose call updates a tf.Variable: "accumulator" adds the
    input to a [1, 4] float variable (initial value 1) and returns 2 * v;
    "counter" counts calls in an int32 scalar and returns x * count."""
    path = CACHE_DIR / f"variable_{kind}_v{VERSION}.tflite"

    def build() -> bytes:
        tf, _ = model_zoo._tf()
        spec = [tf.TensorSpec([1, 4], tf.float32)]

        class Accumulator(tf.Module):
            def __init__(self):
                super().__init__()
                self.v = tf.Variable(tf.ones([1, 4]))

            @tf.function(input_signature=spec)
            def __call__(self, x):
                self.v.assign_add(x)
                return self.v * 2.0

        class Counter(tf.Module):
            def __init__(self):
                super().__init__()
                self.n = tf.Variable(3, dtype=tf.int32)

            @tf.function(input_signature=spec)
            def __call__(self, x):
                self.n.assign_add(1)
                return x * tf.cast(self.n, tf.float32)

        module = Accumulator() if kind == "accumulator" else Counter()
        return _convert(tf, module.__call__, module)

    return cached_build(path, build)
