"""WHILE whose body computes a shape at invoke (a SLICE size read from a graph
input): the loop variable keeps its shape for some values and grows for others.
Where it keeps its shape the output equals LiteRT's; where it would grow
(LiteRT resizes the loop variable; pyruntime does not) the invoke raises a
ModelError naming the op and the loop variable, and the interpreter still runs
valid inputs afterwards. Keras 3 RNN layers rely on the same check
(tests/test_keras3_rnn.py)."""
import contextlib
import io

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import model_zoo
import pyruntime


def _model():
    path = model_zoo.CACHE_DIR / "control_flow" / "while_dynamic_slice_append_v1.tflite"

    def build():
        tf, _ = model_zoo._tf()

        @tf.function(input_signature=[tf.TensorSpec([4], tf.float32), tf.TensorSpec([], tf.int32)])
        def f(x, n):
            def body(i, y):  # appends y[:n]: the size is read at invoke
                return i + 1, tf.concat([y, tf.slice(y, [0], [n])], 0)

            _, y = tf.while_loop(lambda i, y: i < 2, body, [tf.constant(0), x],
                                 shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
            return y

        converter = tf.lite.TFLiteConverter.from_concrete_functions([f.get_concrete_function()], f)
        with contextlib.redirect_stdout(io.StringIO()), model_zoo._warnings_off():
            return converter.convert()

    return model_zoo.cached_build(path, build)


def test_dynamic_body_keeps_shape_or_fails_the_invoke():
    path = _model()
    assert model_zoo.op_names(path) == ["WHILE"]
    ref = LiteRT(model_path=str(path), experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    ref.allocate_tensors()
    ours = pyruntime.Interpreter(str(path))
    x = np.array([0.5, -1.0, 2.0, 3.5], np.float32)
    zero = [x, np.array(0, np.int32)]
    for d, v in zip(ref.get_input_details(), zero):
        ref.set_tensor(d["index"], v)
    ref.invoke()
    expect = ref.get_tensor(ref.get_output_details()[0]["index"])
    assert np.array_equal(ours.run(zero), expect) and np.array_equal(expect, x)
    with pytest.raises(pyruntime.ModelError,
                       match=r"op 0 \(WHILE\): body subgraph turns loop variable 1 .* from "
                             r"float32\[4\] into float32\[5\]"):
        ours.run([x, np.array(1, np.int32)])
    assert np.array_equal(ours.run(zero), expect)
