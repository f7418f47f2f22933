"""Simple builtin ops against LiteRT, for every type the reference resolver
registers: FLOOR, CEIL, SIN, COS, SIGN, ATAN2, LOGICAL_NOT/AND/OR, the six
comparisons, REDUCE_ANY/ALL, SELECT/SELECT_V2, int32/int64 ADD/SUB/MUL, ELU,
RELU_0_TO_1, LOG_SOFTMAX, GATHER_ND, SCATTER_ND, TOPK_V2, WHERE, MIRROR_PAD.
Integer and bool outputs must equal BUILTIN_REF's, float outputs be within
1e-5 relative error; CEIL and ELU, which BUILTIN_REF does not register, are
compared with the builtin kernels. Models are hand-built (shape_models.Graph);
one goes through the converter.
"""

from __future__ import annotations

import numpy as np
import pytest

from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import model_kinds as mk
import pyruntime
import shape_models as sm
from model_zoo import reference_outputs

BOUND = 1e-5


def _inputs(shapes_dtypes, seed):
    rng = np.random.default_rng(seed)
    out = []
    for shape, dtype in shapes_dtypes:
        dtype = np.dtype(dtype)
        if dtype == np.bool_:
            out.append(rng.integers(0, 2, shape).astype(bool))
        elif dtype.kind == "f":
            a = (rng.standard_normal(shape) * 3).astype(dtype)
            flat = a.reshape(-1)
            specials = np.array([0.0, -0.0, 0.5, -0.5, 1.5, -2.5, 1e-8, -3.0], dtype)
            flat[: min(len(flat), len(specials))] = specials[: len(flat)]
            out.append(a)
        else:
            info = np.iinfo(dtype)
            a = rng.integers(max(info.min, -1000), min(info.max, 1000) + 1, shape).astype(dtype)
            if a.size:
                a.reshape(-1)[0] = 0
            out.append(a)
    return out


def builtin_outputs(path, sets):
    """LiteRT's builtin kernels, for ops BUILTIN_REF does not register (CEIL)."""
    refs = []
    for inputs in sets:
        it = LiteRT(model_path=str(path),
                    experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
        it.allocate_tensors()
        for d, x in zip(it.get_input_details(), inputs):
            it.set_tensor(d["index"], x)
        it.invoke()
        refs.append([it.get_tensor(d["index"]) for d in it.get_output_details()])
    return refs


def check(path, shapes_dtypes, seeds=(0, 1), builtin=False):
    """Our outputs vs BUILTIN_REF (``builtin``: the builtin kernels) on seeded
    inputs: exact for integer and bool, <= 1e-5 relative for float."""
    sets = [_inputs(shapes_dtypes, s) for s in seeds]
    refs = builtin_outputs(path, sets) if builtin else reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for inputs, ref in zip(sets, refs):
        ours = interp.run(list(inputs))
        ours = ours if isinstance(ours, list) else [ours]
        assert len(ours) == len(ref)
        for o, r in zip(ours, ref):
            assert o.dtype == r.dtype and o.shape == r.shape, (o.dtype, r.dtype, o.shape, r.shape)
            if o.dtype.kind == "f":
                assert mk.max_rel_error(o, r) <= BOUND
            else:
                assert np.array_equal(o, r), (o, r)
    return refs


def unary_graph(name, shape, dtype, out_dtype=None, **opts):
    g = sm.Graph()
    x = g.tensor(shape, dtype, graph_input=True)
    out = g.tensor(shape, out_dtype or dtype)
    g.op(name, [x], [out], **opts)
    return g.save([out])


@pytest.mark.parametrize("name", ["FLOOR", "CEIL", "SIN", "COS"])
@pytest.mark.parametrize("shape", [(2, 3, 5), (7,), ()])
def test_float_unary(name, shape):
    # BUILTIN_REF registers no CEIL: the builtin kernel is the reference there.
    check(unary_graph(name, shape, np.float32), [(shape, np.float32)], builtin=name == "CEIL")


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_sign(dtype):
    check(unary_graph("SIGN", (3, 4), dtype), [((3, 4), dtype)])


@pytest.mark.parametrize("name", ["FLOOR", "SIN", "SIGN"])
def test_unsupported_types_are_model_errors(name):
    with pytest.raises(pyruntime.ModelError, match="unsupported input type int8"):
        pyruntime.Interpreter(str(unary_graph(name, (3,), np.int8)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_atan2(dtype):
    g = sm.Graph()
    y = g.tensor((2, 5), dtype, graph_input=True)
    x = g.tensor((2, 5), dtype, graph_input=True)
    out = g.tensor((2, 5), dtype)
    g.op("ATAN2", [y, x], [out])
    check(g.save([out]), [((2, 5), dtype), ((2, 5), dtype)])


def test_atan2_shapes_must_match():
    g = sm.Graph()
    y = g.tensor((2, 5), np.float32, graph_input=True)
    x = g.tensor((2, 1), np.float32, graph_input=True)
    out = g.tensor((2, 5), np.float32)
    g.op("ATAN2", [y, x], [out])
    with pytest.raises(pyruntime.ModelError, match="must have one shape"):
        pyruntime.Interpreter(str(g.save([out])))


def test_logical_ops():
    g = sm.Graph()
    a = g.tensor((2, 3, 4), np.bool_, graph_input=True)
    b = g.tensor((3, 1), np.bool_, graph_input=True)
    outs = [g.tensor((2, 3, 4), np.bool_) for _ in range(3)]
    g.op("LOGICAL_AND", [a, b], [outs[0]])
    g.op("LOGICAL_OR", [b, a], [outs[1]])
    g.op("LOGICAL_NOT", [a], [outs[2]])
    refs = check(g.save(outs), [((2, 3, 4), np.bool_), ((3, 1), np.bool_)], seeds=(0, 1, 2))
    assert refs[0][0].shape == (2, 3, 4)


@pytest.mark.parametrize("name", ["REDUCE_ANY", "REDUCE_ALL"])
@pytest.mark.parametrize("axes,keep", [([1], False), ([0, -1], True), ([], False), ([0, 1, 2], False)])
def test_reduce_any_all(name, axes, keep):
    g = sm.Graph()
    x = g.tensor((3, 4, 2), np.bool_, graph_input=True)
    out = g.tensor((1,), np.bool_)
    g.op(name, [x, g.const(np.array(axes, np.int32).reshape(len(axes)))], [out], keepDims=keep)
    check(g.save([out]), [((3, 4, 2), np.bool_)], seeds=(0, 1, 2, 3))


def test_reduce_any_all_of_empty_axis():
    g = sm.Graph()
    x = g.tensor((2, 0, 3), np.bool_, graph_input=True)
    outs = [g.tensor((2, 3), np.bool_) for _ in range(2)]
    g.op("REDUCE_ANY", [x, g.const([1])], [outs[0]])
    g.op("REDUCE_ALL", [x, g.const([1])], [outs[1]])
    refs = check(g.save(outs), [((2, 0, 3), np.bool_)], seeds=(0,))
    assert not refs[0][0].any() and refs[0][1].all()


def test_reduce_any_rejects_non_bool():
    g = sm.Graph()
    x = g.tensor((3, 4), np.int32, graph_input=True)
    out = g.tensor((3,), np.int32)
    g.op("REDUCE_ANY", [x, g.const([1])], [out])
    with pytest.raises(pyruntime.ModelError, match="input"):
        pyruntime.Interpreter(str(g.save([out])))


SELECT_TYPES = [np.bool_, np.float32, np.uint8, np.int8, np.int16, np.int32, np.int64]


@pytest.mark.parametrize("dtype", SELECT_TYPES)
def test_select_v2_broadcasting(dtype):
    g = sm.Graph()
    c = g.tensor((2, 1, 4), np.bool_, graph_input=True)
    x = g.tensor((3, 1), dtype, graph_input=True)
    y = g.tensor((2, 3, 4), dtype, graph_input=True)
    same_c = g.tensor((2, 3, 4), np.bool_, graph_input=True)
    o1 = g.tensor((2, 3, 4), dtype)
    g.op("SELECT_V2", [c, x, y], [o1])
    o2 = g.tensor((2, 3, 4), dtype)
    g.op("SELECT_V2", [same_c, y, y], [o2])
    o3 = g.tensor((3, 1), dtype)
    g.op("SELECT_V2", [g.const(np.array(True)[()], np.bool_), x, x], [o3])
    check(g.save([o1, o2, o3]), [((2, 1, 4), np.bool_), ((3, 1), dtype), ((2, 3, 4), dtype),
                                 ((2, 3, 4), np.bool_)], seeds=(0, 1, 2))


@pytest.mark.parametrize("dtype", SELECT_TYPES)
def test_select_v1(dtype):
    g = sm.Graph()
    c_full = g.tensor((3, 2, 2), np.bool_, graph_input=True)
    c_rows = g.tensor((3,), np.bool_, graph_input=True)
    x = g.tensor((3, 2, 2), dtype, graph_input=True)
    y = g.tensor((3, 2, 2), dtype, graph_input=True)
    outs = [g.tensor((3, 2, 2), dtype) for _ in range(2)]
    g.op("SELECT", [c_full, x, y], [outs[0]])
    g.op("SELECT", [c_rows, x, y], [outs[1]])
    check(g.save(outs), [((3, 2, 2), np.bool_), ((3,), np.bool_), ((3, 2, 2), dtype),
                         ((3, 2, 2), dtype)], seeds=(0, 1, 2))


def test_select_v1_rejects_broadcasting():
    g = sm.Graph()
    c = g.tensor((2, 2), np.bool_, graph_input=True)
    x = g.tensor((3, 2), np.float32, graph_input=True)
    out = g.tensor((3, 2), np.float32)
    g.op("SELECT", [c, x, x], [out])
    with pytest.raises(pyruntime.ModelError, match="condition"):
        pyruntime.Interpreter(str(g.save([out])))


# ----------------------------------------------------------------------------
# Converter-made models (the patterns TensorFlow emits)
# ----------------------------------------------------------------------------

def _tf_model(fn, specs, name):
    import tensorflow as tf

    from model_zoo import args_key, cached_build, ZOO_VERSION
    import op_models

    key = args_key(name, [list(s[0]) for s in specs], [str(s[1]) for s in specs], ZOO_VERSION, "1")

    def build() -> bytes:
        f = tf.function(fn, input_signature=[tf.TensorSpec(s, d) for s, d in specs])
        conv = tf.lite.TFLiteConverter.from_concrete_functions([f.get_concrete_function()])
        return conv.convert()

    return cached_build(op_models.OP_CACHE_DIR / "simple" / f"{name}_{key}.tflite", build)


def test_converter_made_float_and_logic_model():
    import tensorflow as tf

    def fn(x, y):
        m = tf.logical_and(x > 0.5, tf.logical_not(y < -0.5))
        s = tf.where(m, tf.floor(x) + tf.math.sin(y), tf.math.ceil(y) * tf.math.cos(x))
        return s, tf.math.sign(x) * tf.math.atan2(x, y), tf.reduce_any(m, axis=1)

    path = _tf_model(fn, [((3, 5), tf.float32), ((3, 5), tf.float32)], "float_logic")
    names = set(__import__("model_zoo").op_names(path))
    assert {"FLOOR", "CEIL", "SIN", "COS", "SIGN", "ATAN2", "LOGICAL_AND", "GREATER",
            "GREATER_EQUAL", "SELECT", "REDUCE_ANY"} <= names, names
    # CEIL is in the graph: compared with the builtin kernels.
    check(path, [((3, 5), np.float32), ((3, 5), np.float32)], seeds=(0, 1, 2), builtin=True)


# ----------------------------------------------------------------------------
# Comparisons
# ----------------------------------------------------------------------------

COMPARISONS = ["EQUAL", "NOT_EQUAL", "GREATER", "GREATER_EQUAL", "LESS", "LESS_EQUAL"]


def _comparison_graph(dtype, qa=None, qb=None, names=COMPARISONS):
    g = sm.Graph()
    a = g.tensor((2, 3, 4), dtype, qa, graph_input=True)
    b = g.tensor((3, 1), dtype, qb, graph_input=True)
    outs = []
    for name in names:
        outs.append(g.tensor((2, 3, 4), np.bool_))
        g.op(name, [a, b], [outs[-1]])
    return g.save(outs)


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.int64])
def test_comparisons_raw(dtype):
    path = _comparison_graph(dtype)
    check(path, [((2, 3, 4), dtype), ((3, 1), dtype)], seeds=(0, 1))


def test_equality_of_bools():
    path = _comparison_graph(np.bool_, names=["EQUAL", "NOT_EQUAL"])
    check(path, [((2, 3, 4), np.bool_), ((3, 1), np.bool_)], seeds=(0, 1))


@pytest.mark.parametrize("dtype,qa,qb", [(np.int8, (0.05, -3), (0.05, -3)),
                                         (np.int8, (0.05, -128), (0.11, 7)),
                                         (np.uint8, (0.02, 128), (0.5, 0))])
def test_comparisons_quantized_rescale(dtype, qa, qb):
    path = _comparison_graph(dtype, qa, qb)
    rng = np.random.default_rng(5)
    info = np.iinfo(dtype)
    sets = [[rng.integers(info.min, info.max + 1, (2, 3, 4)).astype(dtype),
             rng.integers(info.min, info.max + 1, (3, 1)).astype(dtype)] for _ in range(3)]
    refs = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for inputs, ref in zip(sets, refs):
        for o, r in zip(interp.run(inputs), ref):
            assert o.dtype == r.dtype and np.array_equal(o, r)


def test_int16_comparison_is_refused():
    with pytest.raises(pyruntime.ModelError, match="unsupported input type int16"):
        pyruntime.Interpreter(str(_comparison_graph(np.int16, names=["LESS"])))


# ----------------------------------------------------------------------------
# ADD / SUB / MUL on int32 and int64 (shape arithmetic)
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_add_sub_mul(dtype):
    g = sm.Graph()
    a = g.tensor((2, 3, 4), dtype, graph_input=True)
    b = g.tensor((3, 1), dtype, graph_input=True)
    outs = []
    for name, act in (("ADD", 0), ("SUB", 0), ("MUL", 0), ("ADD", 1), ("SUB", 3), ("MUL", 2)):
        outs.append(g.tensor((2, 3, 4), dtype))
        g.op(name, [a, b], [outs[-1]], fusedActivationFunction=act)
    check(g.save(outs), [((2, 3, 4), dtype), ((3, 1), dtype)], seeds=(0, 1, 2))


def test_computed_slice_end_from_integer_add():
    """end = n + [0, 1] (int32 ADD) feeding STRIDED_SLICE: planned at invoke."""
    g = sm.Graph()
    x = g.tensor((4, 6), np.float32, graph_input=True)
    n = g.tensor((2,), np.int32, graph_input=True)
    end = g.tensor((2,), np.int32)
    g.op("ADD", [n, g.const([0, 1])], [end])
    out = g.tensor((4, 6), np.float32)
    g.op("STRIDED_SLICE", [x, g.const([0, 0]), end, g.const([1, 1])], [out])
    path = g.save([out])
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 6)).astype(np.float32)
    sets = [[x, np.array(v, np.int32)] for v in ([4, 2], [4, 2], [3, 5], [2, 0])]
    refs = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    assert interp._native().is_dynamic()
    for inputs, ref in zip(sets, refs):
        ours = interp.run(inputs)
        assert ours.shape == ref[0].shape and np.array_equal(ours, ref[0])


# ----------------------------------------------------------------------------
# ELU, RELU_0_TO_1, LOG_SOFTMAX
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ELU", "RELU_0_TO_1", "LOG_SOFTMAX"])
def test_float_activations(name):
    # BUILTIN_REF registers no ELU: the builtin kernel is the reference there.
    check(unary_graph(name, (3, 7), np.float32), [((3, 7), np.float32)], seeds=(0, 1, 2),
          builtin=name == "ELU")


@pytest.mark.parametrize("name", ["ELU", "RELU_0_TO_1"])
@pytest.mark.parametrize("q_in,q_out", [((0.05, -3), (0.02, -100)), ((0.1, 127), (0.004, -128))])
def test_int8_activations(name, q_in, q_out):
    g = sm.Graph()
    x = g.tensor((4, 64), np.int8, q_in, graph_input=True)
    out = g.tensor((4, 64), np.int8, q_out)
    g.op(name, [x], [out])
    path = g.save([out])
    x = np.arange(-128, 128, dtype=np.int8).reshape(4, 64)  # every int8 value
    ref = (builtin_outputs if name == "ELU" else reference_outputs)(path, [[x]])[0][0]
    assert np.array_equal(pyruntime.Interpreter(str(path)).run(x), ref)


def test_log_softmax_int8_is_refused():
    with pytest.raises(pyruntime.ModelError):
        pyruntime.Interpreter(str(unary_graph("LOG_SOFTMAX", (2, 5), np.int8)))


# ----------------------------------------------------------------------------
# GATHER_ND, TOPK_V2, WHERE
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.int8, np.int64, np.bool_])
@pytest.mark.parametrize("idx_dtype", [np.int32, np.int64])
def test_gather_nd(dtype, idx_dtype):
    g = sm.Graph()
    p = g.tensor((3, 4, 2), dtype, graph_input=True)
    outs = []
    for idx in ([[0, 1], [2, 3], [1, 0]], [[[2], [0]]], [[1, 2, 1], [0, 3, 0]]):
        idx = np.array(idx, idx_dtype)
        shape = idx.shape[:-1] + (3, 4, 2)[idx.shape[-1]:]
        outs.append(g.tensor(shape, dtype))
        g.op("GATHER_ND", [p, g.const(idx, idx_dtype)], [outs[-1]])
    check(g.save(outs), [((3, 4, 2), dtype)], seeds=(0, 1))


@pytest.mark.parametrize("dtype", [np.float32, np.uint8, np.int8, np.int32, np.int64])
@pytest.mark.parametrize("k", [1, 3, 6])
def test_topk_v2(dtype, k):
    g = sm.Graph()
    x = g.tensor((2, 3, 6), dtype, graph_input=True)
    values = g.tensor((2, 3, k), dtype)
    indices = g.tensor((2, 3, k), np.int32)
    g.op("TOPK_V2", [x, g.const(np.array(k, np.int32)[()])], [values, indices])
    path = g.save([values, indices])
    rng = np.random.default_rng(k)
    sets = [[rng.integers(0, 4, (2, 3, 6)).astype(dtype)] for _ in range(3)]  # many ties
    refs = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for inputs, ref in zip(sets, refs):
        for o, r in zip(interp.run(inputs), ref):
            assert o.dtype == r.dtype and np.array_equal(o, r), (o, r)


@pytest.mark.parametrize("dtype", [np.bool_, np.float32, np.int32, np.int8])
def test_where_output_sized_at_invoke(dtype):
    g = sm.Graph()
    c = g.tensor((3, 4), dtype, graph_input=True)
    out = g.tensor((1, 2), np.int64)
    g.op("WHERE", [c], [out])
    path = g.save([out])
    rng = np.random.default_rng(2)
    sets = [[(rng.integers(0, 2, (3, 4)) * rng.integers(1, 3, (3, 4))).astype(dtype)]
            for _ in range(3)]
    refs = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    assert interp._native().is_dynamic()
    for inputs, ref in zip(sets, refs):
        ours = interp.run(inputs)
        assert ours.dtype == ref[0].dtype and ours.shape == ref[0].shape
        assert np.array_equal(ours, ref[0])
    # No true element: LiteRT cannot hand out the empty result ("Invalid
    # tensor size"); tf.where's definition is numpy's argwhere.
    empty = interp.run([np.zeros((3, 4), dtype)])
    assert empty.dtype == np.int64 and np.array_equal(empty, np.argwhere(np.zeros((3, 4))))
    assert empty.shape == (0, 2)


# ----------------------------------------------------------------------------
# Robustness: corrupted models with these ops never crash
# ----------------------------------------------------------------------------

def _fuzz_seeds():
    seeds = [unary_graph("SIGN", (3, 4), np.int32), unary_graph("LOG_SOFTMAX", (2, 5), np.float32),
             _comparison_graph(np.int8, (0.05, -3), (0.11, 7), names=["LESS", "EQUAL"])]
    g = sm.Graph()
    c = g.tensor((2, 1, 4), np.bool_, graph_input=True)
    x = g.tensor((3, 1), np.float32, graph_input=True)
    o = g.tensor((2, 3, 4), np.float32)
    g.op("SELECT_V2", [c, x, x], [o])
    w = g.tensor((1, 3), np.int64)
    g.op("WHERE", [c], [w])
    v, i = g.tensor((3, 1), np.float32), g.tensor((3, 1), np.int32)
    g.op("TOPK_V2", [x, g.const(np.array(1, np.int32)[()])], [v, i])
    n = g.tensor((3,), np.float32)
    g.op("GATHER_ND", [x, g.const([[2], [0], [1]])], [n])
    seeds.append(g.save([o, w, v, i, n]))
    return [p.read_bytes() for p in seeds]


def test_mutated_models_never_crash():
    from crash_harness import run_cases
    from mutations import corpus

    outcome = run_cases(corpus(_fuzz_seeds(), 150, seed=11))
    assert not outcome.crashes, f"crashes on cases {outcome.crashes[:20]}"
    assert not outcome.hangs, f"hangs on cases {outcome.hangs[:20]}"
    assert not outcome.unexpected, f"non-ModelError exceptions on cases {outcome.unexpected[:20]}"
    assert outcome.loaded > 50 and outcome.rejected > 50


@pytest.mark.parametrize("dtype", [np.float32, np.int8, np.int32, np.int64])
@pytest.mark.parametrize("idx_dtype", [np.int32])  # the reference takes no int64 indices
def test_scatter_nd(dtype, idx_dtype):
    """Rows and single elements scattered into zeros; a repeated index adds up."""
    g = sm.Graph()
    rows = g.tensor((3, 4), dtype, graph_input=True)
    elems = g.tensor((4,), dtype, graph_input=True)
    o1 = g.tensor((5, 4), dtype)
    g.op("SCATTER_ND", [g.const(np.array([[4], [0], [4]], idx_dtype), idx_dtype), rows,
                        g.const(np.array([5, 4], idx_dtype), idx_dtype)], [o1])
    o2 = g.tensor((2, 3), dtype)
    g.op("SCATTER_ND", [g.const(np.array([[1, 2], [0, 0], [1, 1], [0, 2]], idx_dtype), idx_dtype),
                        elems, g.const(np.array([2, 3], idx_dtype), idx_dtype)], [o2])
    check(g.save([o1, o2]), [((3, 4), dtype), ((4,), dtype)], seeds=(0, 1))


def test_scatter_nd_shape_computed_at_invoke():
    g = sm.Graph()
    upd = g.tensor((2,), np.float32, graph_input=True)
    shape = g.tensor((1,), np.int32, graph_input=True)
    out = g.tensor((1,), np.float32)
    g.op("SCATTER_ND", [g.const([[1], [3]]), upd, shape], [out])
    path = g.save([out])
    u = np.array([1.5, -2.0], np.float32)
    sets = [[u, np.array([4], np.int32)], [u, np.array([6], np.int32)]]
    refs = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for inputs, ref in zip(sets, refs):
        ours = interp.run(inputs)
        assert ours.shape == ref[0].shape and np.array_equal(ours, ref[0])


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.int64, np.int8, np.uint8])
@pytest.mark.parametrize("mode", [0, 1])  # REFLECT, SYMMETRIC
def test_mirror_pad(dtype, mode):
    g = sm.Graph()
    x = g.tensor((3, 4, 2), dtype, graph_input=True)
    outs = []
    limit = 2 if mode == 0 else 3
    for pads in ([[1, 2], [0, 3], [1, 1]], [[limit, 0], [limit, limit], [0, 1 - mode]]):
        pads = np.array(pads, np.int32)
        outs.append(g.tensor(tuple(np.array((3, 4, 2)) + pads.sum(1)), dtype))
        g.op("MIRROR_PAD", [x, g.const(pads)], [outs[-1]], mode=mode)
    check(g.save(outs), [((3, 4, 2), dtype)], seeds=(0, 1))


def test_mirror_pad_bounds():
    g = sm.Graph()
    x = g.tensor((3, 4), np.float32, graph_input=True)
    out = g.tensor((3, 8), np.float32)
    g.op("MIRROR_PAD", [x, g.const([[0, 0], [4, 0]])], [out], mode=0)
    with pytest.raises(pyruntime.ModelError, match=r"must be in \[0, 3\]"):
        pyruntime.Interpreter(str(g.save([out])))


def test_scatter_nd_int64_indices_are_refused():
    g = sm.Graph()
    upd = g.tensor((2,), np.float32, graph_input=True)
    out = g.tensor((4,), np.float32)
    g.op("SCATTER_ND", [g.const(np.array([[1], [3]], np.int64), np.int64), upd,
                        g.const(np.array([4], np.int64), np.int64)], [out])
    with pytest.raises(pyruntime.ModelError, match="int32 only"):
        pyruntime.Interpreter(str(g.save([out])))
