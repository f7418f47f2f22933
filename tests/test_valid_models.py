"""Valid models that pyruntime once rejected, each run against LiteRT's
reference kernels (BUILTIN_REF): a binary op whose two inputs are one tensor,
an empty shape_signature, zero-size constants and inputs, and shape inputs
(STRIDED_SLICE end, RESHAPE shape, PAD paddings, ...) computed in the graph,
which are planned at the first invoke and re-planned when their value changes.
"""

from __future__ import annotations

import numpy as np
import pytest

import pyruntime
import shape_models as sm
from bitexact import assert_bit_exact
from model_zoo import reference_outputs

Q = (0.05, -3)


def assert_runs_like_reference(path, input_sets, interp=None):
    """Every input set through one interpreter (so re-plans are exercised);
    outputs equal to BUILTIN_REF's (shape, dtype and values)."""
    refs = reference_outputs(path, input_sets)
    interp = interp or pyruntime.Interpreter(str(path))
    for k, (inputs, ref) in enumerate(zip(input_sets, refs)):
        ours = interp.run(list(inputs))
        ours = ours if isinstance(ours, list) else [ours]
        assert len(ours) == len(ref)
        for o, r in zip(ours, ref):
            assert o.dtype == r.dtype and o.shape == r.shape, (k, o.shape, r.shape)
            assert np.array_equal(o, r), (k, o, r)
    return interp


# ----------------------------------------------------------------------------
# One tensor as both inputs of a binary op
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("op", ["ADD", "SUB", "MUL"])
@pytest.mark.parametrize("dtype,q", [(np.int8, Q), (np.float32, None)])
def test_binary_op_of_one_tensor(op, dtype, q):
    g = sm.Graph()
    x = g.tensor((2, 3, 4), dtype, q, graph_input=True)
    out = g.tensor((2, 3, 4), dtype, None if q is None else (0.11, 5))
    g.op(op, [x, x], [out])
    assert_bit_exact(g.save([out]))


def test_squared_difference_and_maximum_of_one_tensor():
    g = sm.Graph()
    x = g.tensor((3, 5), np.int8, Q, graph_input=True)
    o1 = g.tensor((3, 5), np.int8, Q)
    g.op("MAXIMUM", [x, x], [o1])
    o2 = g.tensor((3, 5), np.int8, Q)
    g.op("ADD", [o1, o1], [o2])
    assert_bit_exact(g.save([o1, o2]))


# ----------------------------------------------------------------------------
# Empty shape_signature, zero-size constants and inputs
# ----------------------------------------------------------------------------

def test_empty_shape_signature():
    g = sm.Graph()
    x = g.tensor((2, 4), np.int8, Q, graph_input=True)
    out = g.tensor((2, 4), np.int8, Q)
    g.op("ADD", [x, x], [out])
    for t in g.tensors:
        t.shapeSignature = []  # written as an empty vector
    path = g.save([out])
    interp = pyruntime.Interpreter(str(path))
    assert list(interp.get_input_details()[0]["shape_signature"]) == [2, 4]
    assert_bit_exact(path)


def test_zero_size_constant_reshape_to_scalar():
    g = sm.Graph()
    x = g.tensor((1, 1), np.int8, Q, graph_input=True)
    shape = g.tensor((0,), np.int32, data=np.zeros(0, np.int32))  # an empty buffer
    out = g.tensor((), np.int8, Q)
    g.op("RESHAPE", [x, shape], [out])
    refs = assert_bit_exact(g.save([out]))
    assert refs[0][0].shape == ()


def test_zero_size_constant_concatenated():
    g = sm.Graph()
    x = g.tensor((2, 3), np.float32, graph_input=True)
    empty = g.tensor((0, 3), np.float32, data=np.zeros((0, 3), np.float32))
    out = g.tensor((2, 3), np.float32)
    g.op("CONCATENATION", [empty, x], [out], axis=0)
    assert_bit_exact(g.save([out]))


def test_zero_size_input():
    g = sm.Graph()
    x = g.tensor((0, 4), np.float32, graph_input=True)
    y = g.tensor((2, 4), np.float32, graph_input=True)
    o1 = g.tensor((0, 4), np.float32)
    g.op("ADD", [x, x], [o1])
    o2 = g.tensor((2, 4), np.float32)
    g.op("CONCATENATION", [o1, y], [o2], axis=0)
    path = g.save([o1, o2])
    refs = assert_bit_exact(path)
    assert refs[0][0].shape == (0, 4)
    interp = pyruntime.Interpreter(str(path))
    interp.allocate_tensors()
    interp.set_tensor(interp.get_input_details()[0]["index"], np.zeros((0, 4), np.float32))
    interp.set_tensor(interp.get_input_details()[1]["index"], np.ones((2, 4), np.float32))
    interp.invoke()
    assert interp.get_tensor(interp.get_output_details()[0]["index"]).shape == (0, 4)


# ----------------------------------------------------------------------------
# Shape inputs computed in the graph
# ----------------------------------------------------------------------------

def _strided_slice_computed_end():
    """y = x[:, 0:end] * 1 where end = CONCATENATION([4], n) from graph input n."""
    g = sm.Graph()
    x = g.tensor((4, 6), np.int8, Q, graph_input=True)
    n = g.tensor((1,), np.int32, graph_input=True)
    four = g.const([4])
    end = g.tensor((2,), np.int32)
    g.op("CONCATENATION", [four, n], [end], axis=0)
    sl = g.tensor((4, 6), np.int8, Q)
    g.op("STRIDED_SLICE", [x, g.const([0, 0]), end, g.const([1, 1])], [sl])
    out = g.tensor((4, 6), np.int8, (0.07, 2))
    g.op("ADD", [sl, sl], [out])
    return g, out


def test_strided_slice_end_computed_in_graph_replans_on_change():
    g, out = _strided_slice_computed_end()
    path = g.save([out])
    rng = np.random.default_rng(0)
    x = rng.integers(-128, 128, (4, 6), dtype=np.int8)
    sets = [[x, np.array([n], np.int32)] for n in (3, 3, 6, 1, 0, 3, -2)]
    interp = pyruntime.Interpreter(str(path))
    assert_runs_like_reference(path, sets, interp)


def test_static_model_has_no_dynamic_plan():
    # A shape chain from constants and input shapes folds at load.
    g = sm.Graph()
    x = g.tensor((2, 6), np.int8, Q, graph_input=True)
    shp = g.tensor((2,), np.int32)
    g.op("SHAPE", [x], [shp], outType=sm.S.TensorType.INT32)
    out = g.tensor((2, 6), np.int8, Q)
    g.op("RESHAPE", [x, shp], [out])
    path = g.save([out])
    assert not pyruntime.Interpreter(str(path))._native().is_dynamic()
    assert_bit_exact(path)


def test_shape_inputs_as_graph_inputs():
    """RESHAPE shape, PAD paddings, SLICE begin/size, TRANSPOSE perm and
    RESIZE size fed by graph inputs, several values through one interpreter."""
    g = sm.Graph()
    x = g.tensor((2, 3, 4), np.int8, Q, graph_input=True)
    shape = g.tensor((2,), np.int32, graph_input=True)
    pads = g.tensor((3, 2), np.int32, graph_input=True)
    begin = g.tensor((3,), np.int32, graph_input=True)
    size = g.tensor((3,), np.int32, graph_input=True)
    perm = g.tensor((3,), np.int32, graph_input=True)
    # Stored shapes are hints of the right rank; LiteRT's SLICE checks that
    # the computed shape equals the stored one, so the size stays [2, 2, 3].
    outs = [g.tensor(shp, np.int8, Q) for shp in ((1, 1), (1, 1, 1), (2, 2, 3), (1, 1, 1))]
    g.op("RESHAPE", [x, shape], [outs[0]])
    g.op("PAD", [x, pads], [outs[1]])
    g.op("SLICE", [x, begin, size], [outs[2]])
    g.op("TRANSPOSE", [x, perm], [outs[3]])
    path = g.save(outs)
    rng = np.random.default_rng(1)
    x = rng.integers(-128, 128, (2, 3, 4), dtype=np.int8)
    i32 = lambda v: np.array(v, np.int32)
    sets = [
        [x, i32([6, 4]), i32([[0, 0], [1, 0], [0, 2]]), i32([0, 1, 1]), i32([2, 2, 3]), i32([2, 0, 1])],
        [x, i32([6, 4]), i32([[0, 0], [1, 0], [0, 2]]), i32([0, 1, 1]), i32([2, 2, 3]), i32([2, 0, 1])],
        [x, i32([-1, 3]), i32([[1, 1], [0, 0], [0, 0]]), i32([0, 1, 0]), i32([2, -1, 3]), i32([0, 2, 1])],
    ]
    assert_runs_like_reference(path, sets)


def test_resize_size_computed():
    g = sm.Graph()
    x = g.tensor((1, 3, 3, 2), np.int8, Q, graph_input=True)
    hw = g.tensor((2,), np.int32, graph_input=True)
    out = g.tensor((1, 1, 1, 2), np.int8, Q)
    g.op("RESIZE_NEAREST_NEIGHBOR", [x, hw], [out])
    path = g.save([out])
    x = np.arange(18, dtype=np.int8).reshape(1, 3, 3, 2)
    sets = [[x, np.array(v, np.int32)] for v in ([5, 4], [5, 4], [2, 7])]
    assert_runs_like_reference(path, sets)


def test_invalid_computed_shape_raises_and_interpreter_recovers():
    g = sm.Graph()
    x = g.tensor((2, 3), np.int8, Q, graph_input=True)
    shape = g.tensor((2,), np.int32, graph_input=True)
    out = g.tensor((3, 2), np.int8, Q)
    g.op("RESHAPE", [x, shape], [out])
    path = g.save([out])
    interp = pyruntime.Interpreter(str(path))
    x = np.arange(6, dtype=np.int8).reshape(2, 3)
    with pytest.raises(pyruntime.ModelError, match="cannot reshape"):
        interp.run([x, np.array([4, 2], np.int32)])
    assert np.array_equal(interp.run([x, np.array([3, 2], np.int32)]), x.reshape(3, 2))


def test_converter_made_slice_by_a_computed_length():
    """tf.function: x[:, :n + 1] * 2 and a reshape to [-1, n + 1] for an int32
    input n (STRIDED_SLICE end and RESHAPE shape computed in the graph)."""
    import tensorflow as tf

    from model_zoo import args_key, cached_build, ZOO_VERSION
    import op_models

    def fn(x, n):
        m = n + 1
        y = x[:, :m] * 2.0
        return y, tf.reshape(y, [-1, m])

    def build() -> bytes:
        f = tf.function(fn, input_signature=[tf.TensorSpec([4, 6], tf.float32),
                                             tf.TensorSpec([], tf.int32)])
        conv = tf.lite.TFLiteConverter.from_concrete_functions([f.get_concrete_function()])
        return conv.convert()

    path = cached_build(op_models.OP_CACHE_DIR / "valid" / f"slice_by_n_{args_key(ZOO_VERSION, '1')}.tflite",
                        build)
    interp = pyruntime.Interpreter(str(path))
    assert interp._native().is_dynamic()
    x = np.random.default_rng(0).standard_normal((4, 6)).astype(np.float32)
    details = interp.get_input_details()
    sets = []
    for n in (2, 2, 5, 0, 2):
        by_name = {"x": x, "n": np.array(n, np.int32)}
        sets.append([by_name[next(k for k in by_name if k in d["name"])] for d in details])
    assert_runs_like_reference(path, sets, interp)
