"""Bit-exactness of the elementwise ops added after the CNN set: RELU,
RELU6, RELU_N1_TO_1, LEAKY_RELU, PRELU, MAXIMUM, MINIMUM, TANH, GELU,
SQUARED_DIFFERENCE, RSQRT, SQRT, DIV, ABS, NEG, EXP, LOG, SQUARE, CAST,
L2_NORMALIZATION.

int8 models (``elementwise_models.elementwise_model``) are compared with ==
against LiteRT's reference kernels; representative ranges such as (0, 5) or
(-5, 0) push zero points to -128 / 127. float32 models are compared with
the float oracle (model_kinds.float_oracle, floor 1e-5). Each test first checks
that the converter emitted the op under test.
"""
from __future__ import annotations

import numpy as np
import pytest

import model_kinds
import model_zoo
import pyruntime
from bitexact import assert_bit_exact, describe_mismatch
from elementwise_models import block_model, cast_model, elementwise_model


def _has_op(path, name):
    assert name in model_zoo.distinct_ops(path), f"{path}: no {name} in {model_zoo.distinct_ops(path)}"


def _assert_same(path, input_sets):
    refs = model_zoo.reference_outputs(path, input_sets)
    interp = pyruntime.Interpreter(path)
    for inputs, ref in zip(input_sets, refs):
        ours = interp.run(list(inputs))
        ours = ours if isinstance(ours, list) else [ours]
        assert len(ours) == len(ref)
        for o, r in zip(ours, ref):
            assert o.dtype == r.dtype and np.array_equal(o, r), describe_mismatch(o, r)


# ----------------------------------------------------------------------------
# int8 unary ops (tables)
# ----------------------------------------------------------------------------

UNARY_INT8 = [
    # (op name in the .tflite, builder op, shape, batch, range, params)
    ("RELU", "relu", (3, 5, 7), 1, (-3, 3), {}),
    ("RELU", "relu", (9,), 2, (0, 5), {}),
    ("RELU", "relu", (4, 3), 1, (-5, 0.2), {}),
    ("RELU6", "relu6", (3, 5, 7), 2, (-3, 8), {}),
    ("RELU6", "relu6", (11,), 1, (-1, 2), {}),
    ("RELU_N1_TO_1", "relu_n1_to_1", (3, 5, 7), 1, (-3, 3), {}),
    ("RELU_N1_TO_1", "relu_n1_to_1", (13,), 2, (-0.4, 4), {}),
    ("LEAKY_RELU", "leaky_relu", (3, 5, 7), 1, (-3, 3), {"alpha": 0.2}),
    ("LEAKY_RELU", "leaky_relu", (10,), 2, (-6, 0.5), {"alpha": 0.01}),
    ("LEAKY_RELU", "leaky_relu", (10,), 1, (0, 4), {"alpha": 1.7}),
    ("TANH", "tanh", (3, 5, 7), 1, (-3, 3), {}),
    ("TANH", "tanh", (9,), 2, (0, 5), {}),
    ("TANH", "tanh", (9,), 1, (-8, -0.1), {}),
    ("GELU", "gelu", (3, 5, 7), 1, (-3, 3), {"approximate": False}),
    ("GELU", "gelu", (9,), 2, (-0.5, 6), {"approximate": False}),
    ("GELU", "gelu", (3, 5, 7), 1, (-3, 3), {"approximate": True}),
    ("GELU", "gelu", (9,), 2, (-7, 1), {"approximate": True}),
    ("ABS", "abs", (3, 5, 7), 1, (-3, 3), {}),
    ("ABS", "abs", (9,), 2, (-5, 0.3), {}),
    ("ABS", "abs", (9,), 1, (0, 5), {}),
    ("EXP", "exp", (3, 5, 7), 1, (-3, 3), {}),
    ("EXP", "exp", (9,), 2, (-6, 0.5), {}),
    ("LOG", "log", (3, 5, 7), 1, (0.01, 5), {}),
    ("LOG", "log", (9,), 2, (0.5, 40), {}),
    # SQRT / RSQRT: the reference fails the invoke below the zero point, so
    # ranges starting at 0 (zero point -128) keep every int8 value valid.
    ("SQRT", "sqrt", (3, 5, 7), 1, (0, 5), {}),
    ("SQRT", "sqrt", (9,), 2, (0, 0.7), {}),
    ("RSQRT", "rsqrt", (3, 5, 7), 1, (0.05, 5), {}),
    ("RSQRT", "rsqrt", (40,), 2, (1, 300), {}),
    ("RSQRT", "rsqrt", (40,), 1, (0.01, 0.3), {}),
    # The converter keeps these in float between DEQUANTIZE / QUANTIZE.
    ("NEG", "neg", (3, 5, 7), 1, (-3, 3), {}),
    ("SQUARE", "square", (9,), 2, (-2, 5), {}),
]


@pytest.mark.parametrize("name,op,shape,batch,rng,params", UNARY_INT8,
                         ids=[f"{c[1]}-{c[2]}-b{c[3]}-{c[4]}-{c[5]}" for c in UNARY_INT8])
def test_unary_int8(name, op, shape, batch, rng, params):
    path = elementwise_model(op, [shape], batch=batch, ranges=[rng], **params)
    _has_op(path, name)
    assert_bit_exact(path)


@pytest.mark.parametrize("op,binary", [("x_times_tanh", "MUL"), ("x_sqdiff_tanh", "SQUARED_DIFFERENCE")])
def test_table_ops_fuse_with_binary(op, binary):
    """x * TANH(x) and (x - TANH(x))^2 collapse into one table (the table ops
    expose theirs to the fusion pass); checked on all 256 int8 values."""
    path = elementwise_model(op, [(16, 16)], ranges=[(-3, 2)])
    _has_op(path, "TANH")
    _has_op(path, binary)
    x = (np.arange(256) - 128).astype(np.int8).reshape(1, 16, 16)
    _assert_same(path, [[x]])
    interp = pyruntime.Interpreter(path)
    interp._set_profiling(True)
    interp.run([x])
    names = [name for _, name, _ in interp._op_profile()]
    assert any("+" in n for n in names), names


# ----------------------------------------------------------------------------
# int8 binary ops
# ----------------------------------------------------------------------------

BINARY_INT8 = [
    ("MAXIMUM", "maximum", [(4, 5), (4, 5)], 1, [(-3, 3), (-2, 2)]),
    ("MAXIMUM", "maximum", [(3, 1, 6), (1, 4, 1)], 2, [(0, 5), (-5, 0)]),
    ("MINIMUM", "minimum", [(4, 5), (1, 5)], 1, [(-3, 3), (-1, 6)]),
    ("MINIMUM", "minimum", [(2, 3, 5), (2, 3, 5)], 2, [(-5, 0), (-4, 4)]),
    ("SQUARED_DIFFERENCE", "squared_difference", [(4, 5), (4, 5)], 1, [(-3, 3), (-2, 2)]),
    ("SQUARED_DIFFERENCE", "squared_difference", [(2, 3, 4), (1, 1, 4)], 2, [(0, 5), (-5, 0.5)]),
    ("SQUARED_DIFFERENCE", "squared_difference", [(7,), (1,)], 1, [(-1, 1), (-0.1, 0.3)]),
]


@pytest.mark.parametrize("name,op,shapes,batch,ranges", BINARY_INT8,
                         ids=[f"{c[1]}-{c[2]}-b{c[3]}" for c in BINARY_INT8])
def test_binary_int8(name, op, shapes, batch, ranges):
    path = elementwise_model(op, shapes, batch=batch, ranges=ranges)
    _has_op(path, name)
    assert_bit_exact(path)


@pytest.mark.parametrize("shape,shared_axes,batch,rng", [
    ((4, 5, 3), (1, 2), 1, (-3, 3)),
    ((4, 5, 3), (), 2, (-1, 4)),
    ((6, 3), (1,), 1, (-5, 0.5)),
])
def test_prelu_int8(shape, shared_axes, batch, rng):
    path = elementwise_model("prelu", [shape], batch=batch, ranges=[rng], shared_axes=shared_axes)
    _has_op(path, "PRELU")
    assert_bit_exact(path)


def _div_inputs(path, seeds):
    """Random int8 inputs whose divisor never equals its zero point (the
    reference fails the invoke there), with the dividend's zero point and
    the extremes included."""
    ins = model_zoo.model_io_details(path)["inputs"]
    sets = []
    for s in seeds:
        a, b = (model_zoo.random_input(d, seed=100 * s + i) for i, d in enumerate(ins))
        zb = ins[1]["zero_point"]
        b[b == zb] = zb + 1 if zb < 127 else zb - 1
        a.flat[:3] = (ins[0]["zero_point"], -128, 127)
        sets.append([a, b])
    return sets


@pytest.mark.parametrize("shapes,batch,ranges,activation", [
    ([(4, 5), (4, 5)], 1, [(-3, 3), (0.5, 4)], None),
    ([(4, 5), (4, 5)], 2, [(-3, 3), (-4, 4)], None),
    ([(3, 4, 5), (1, 1, 5)], 1, [(-30, 3), (0.1, 0.4)], None),
    ([(3, 7), (1, 7)], 2, [(-0.1, 0.3), (-100, -40)], None),
])
def test_div_int8(shapes, batch, ranges, activation):
    path = elementwise_model("div", shapes, batch=batch, ranges=ranges)
    _has_op(path, "DIV")
    _assert_same(path, _div_inputs(path, seeds=(0, 1, 2)))


@pytest.mark.parametrize("shape,batch,rng", [((3, 5, 7), 2, (-3, 3)), ((17,), 1, (0, 5)),
                                             ((4, 64), 2, (-5, 0.5))])
def test_l2_normalization_int8(shape, batch, rng):
    path = elementwise_model("l2_normalize", [shape], batch=batch, ranges=[rng])
    _has_op(path, "L2_NORMALIZATION")
    d = model_zoo.model_io_details(path)["inputs"][0]
    sets = [[model_zoo.random_input(d, seed=s)] for s in range(3)]
    sets[0][0][..., 0, :] = d["zero_point"]  # rows of zeros: the 1/sqrt(0) special case
    _assert_same(path, sets)


@pytest.mark.parametrize("op,in_dtype,out_q,match", [
    ("NEG", np.int8, (0.1, 0), r"NEG.*only float32"),  # TFLite has no int8 NEG
    ("SQUARE", np.int8, (0.1, 0), r"SQUARE.*only float32"),
    ("TANH", np.uint8, (0.1, 0), r"TANH.*only int8 and float32"),
    ("L2_NORMALIZATION", np.int8, (0.01, 0), r"L2_NORMALIZATION.*scale 1/128"),
    ("L2_NORMALIZATION", np.int8, (1 / 128, 3), r"L2_NORMALIZATION.*zero point 0"),
])
def test_unsupported_quantization_is_a_model_error(op, in_dtype, out_q, match):
    from test_ops_activations import _one_op_model

    path = _one_op_model(op, (2, 3), in_dtype, (0.1, 0), in_dtype, out_q)
    with pytest.raises(pyruntime.ModelError, match=match):
        pyruntime.Interpreter(path)


# ----------------------------------------------------------------------------
# float32
# ----------------------------------------------------------------------------

FLOAT = [
    ("RELU", "relu", [(3, 5, 7)], 2, {}),
    ("RELU6", "relu6", [(3, 5, 7)], 1, {}),
    ("RELU_N1_TO_1", "relu_n1_to_1", [(13,)], 2, {}),
    ("LEAKY_RELU", "leaky_relu", [(3, 5, 7)], 1, {"alpha": 0.15}),
    ("PRELU", "prelu", [(4, 5, 3)], 2, {"shared_axes": (1, 2)}),
    ("PRELU", "prelu", [(4, 5, 3)], 1, {"shared_axes": ()}),
    ("PRELU", "prelu", [(6, 7, 19)], 2, {"shared_axes": (1, 2)}),  # rows of 19: 4-lane steps + tail
    ("TANH", "tanh", [(3, 5, 7)], 2, {}),
    ("GELU", "gelu", [(3, 5, 7)], 1, {"approximate": False}),
    ("GELU", "gelu", [(3, 5, 7)], 2, {"approximate": True}),
    ("ABS", "abs", [(9,)], 1, {}),
    ("NEG", "neg", [(9,)], 2, {}),
    ("EXP", "exp", [(3, 5, 7)], 1, {}),
    ("LOG", "log", [(3, 5, 7)], 1, {}),
    ("SQRT", "sqrt", [(3, 5, 7)], 2, {}),
    ("RSQRT", "rsqrt", [(3, 5, 7)], 1, {}),
    ("SQUARE", "square", [(9,)], 1, {}),
    # [rows][n] against one row of n on either side: short rows run as long
    # rows against the repeated one (partial last call), long rows one by one
    ("ADD", "add", [(8, 9, 3), (3,)], 1, {}),
    ("SUB", "sub", [(3,), (30, 30, 3)], 1, {}),
    ("MUL", "mul", [(6, 7, 5), (5,)], 1, {}),
    ("SUB", "sub", [(5, 7, 130), (130,)], 1, {}),
    ("MAXIMUM", "maximum", [(3, 1, 6), (1, 4, 1)], 2, {}),
    ("MINIMUM", "minimum", [(4, 5), (1, 5)], 1, {}),
    ("SQUARED_DIFFERENCE", "squared_difference", [(2, 3, 4), (1, 1, 4)], 2, {}),
    ("DIV", "div", [(2, 3, 4), (1, 3, 1)], 1, {}),
    ("L2_NORMALIZATION", "l2_normalize", [(3, 5, 7)], 2, {}),
]
_POSITIVE = {"log", "sqrt", "rsqrt"}


@pytest.mark.parametrize("name,op,shapes,batch,params", FLOAT,
                         ids=[f"{c[1]}-b{c[3]}-{c[4]}" for c in FLOAT])
def test_float32(name, op, shapes, batch, params):
    path = elementwise_model(op, shapes, batch=batch, kind="float32", **params)
    _has_op(path, name)
    rng = np.random.default_rng(7)
    sets = []
    for _ in range(2):
        ins = []
        for k, d in enumerate(model_zoo.model_io_details(path)["inputs"]):
            lo, hi = (0.05, 6.0) if op in _POSITIVE or (op == "div" and k == 1) else (-4.0, 4.0)
            ins.append(rng.uniform(lo, hi, d["shape"]).astype(np.float32))
        sets.append(ins)
    oracle = model_kinds.float_oracle(path, sets)
    interp = pyruntime.Interpreter(path)
    oracle.check([interp.run(ins) for ins in sets], str(path))


# ----------------------------------------------------------------------------
# CAST (bit-exact against the reference, every type pair)
# ----------------------------------------------------------------------------

CAST_TYPES = ["float32", "int8", "uint8", "int16", "int32", "int64", "bool"]


def _cast_input(dtype, shape, rng):
    if dtype == "float32":
        x = rng.uniform(-300, 300, shape).astype(np.float32)
        # NaN, infinities and out-of-range values saturate (NaN -> max).
        x.flat[:10] = [np.nan, np.inf, -np.inf, 3e9, -3e9, 1e20, -0.7, 0.7, 2147483647.0, -1e-30]
        return x
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)


@pytest.mark.parametrize("in_dtype", CAST_TYPES)
def test_cast(in_dtype):
    path = cast_model(in_dtype, [t for t in CAST_TYPES if t != in_dtype], batch=2)
    _has_op(path, "CAST")
    shape = model_zoo.model_io_details(path)["inputs"][0]["shape"]
    rng = np.random.default_rng(3)
    _assert_same(path, [[_cast_input(in_dtype, shape, rng)] for _ in range(2)])


# ----------------------------------------------------------------------------
# A transformer-style block: the ops together, as the converter emits them
# ----------------------------------------------------------------------------

def test_block_int8():
    path = block_model("int8")
    for name in ("GELU", "SQUARED_DIFFERENCE", "RSQRT", "PRELU", "TANH", "MAXIMUM"):
        _has_op(path, name)
    assert_bit_exact(path)


def test_block_float32():
    path = block_model("float32")
    sets = [model_kinds.random_float_inputs(path, seed=s) for s in (0, 1)]
    oracle = model_kinds.float_oracle(path, sets)
    interp = pyruntime.Interpreter(path)
    oracle.check([interp.run(ins) for ins in sets], str(path))
