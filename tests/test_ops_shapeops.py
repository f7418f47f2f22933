"""Bit-exactness of PAD/PADV2, MAX/AVERAGE_POOL_2D, STRIDED_SLICE, PACK and
CONCATENATION against LiteRT's reference kernels.

Most cases are hand-built single-op models (``Graph`` below): they reach
options the converter rarely emits (masks, negative strides, offset, PADV2
values, uint8/int32/float32 tensors, extreme zero points) and need no
TensorFlow. A few converter-made models (op_models) check real-world output.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import flatbuffers
import numpy as np
import pytest

import op_models
import pyruntime
from bitexact import assert_bit_exact
from model_zoo import _schema, op_names, reference_output

S = _schema()
_TMP = Path(tempfile.mkdtemp(prefix="pyrt_shapeops_"))
_counter = itertools.count()

_TFL_TYPE = {
    np.float32: S.TensorType.FLOAT32, np.int32: S.TensorType.INT32, np.uint8: S.TensorType.UINT8,
    np.int64: S.TensorType.INT64, np.int8: S.TensorType.INT8, np.int16: S.TensorType.INT16,
}
_OPTIONS = {  # op name -> (BuiltinOptions type, options class)
    "PAD": ("PadOptions", S.PadOptionsT), "PADV2": ("PadV2Options", S.PadV2OptionsT),
    "MAX_POOL_2D": ("Pool2DOptions", S.Pool2DOptionsT),
    "AVERAGE_POOL_2D": ("Pool2DOptions", S.Pool2DOptionsT),
    "STRIDED_SLICE": ("StridedSliceOptions", S.StridedSliceOptionsT),
    "PACK": ("PackOptions", S.PackOptionsT),
    "CONCATENATION": ("ConcatenationOptions", S.ConcatenationOptionsT),
    "SHAPE": ("ShapeOptions", S.ShapeOptionsT), "RESHAPE": ("ReshapeOptions", S.ReshapeOptionsT),
}


class Graph:
    """A hand-built TFLite model: tensors, ops, then ``save()``."""

    def __init__(self):
        self.tensors, self.buffers, self.ops, self.codes = [], [S.BufferT()], [], []
        self.inputs, self.outputs = [], []

    def tensor(self, shape, dtype, q=None, data=None, graph_input=False):
        t = S.TensorT()
        t.shape = list(shape)
        t.type = _TFL_TYPE[np.dtype(dtype).type]
        t.name = f"t{len(self.tensors)}"
        if q is not None:
            t.quantization = S.QuantizationParametersT()
            t.quantization.scale, t.quantization.zeroPoint = [float(q[0])], [int(q[1])]
        if data is not None:
            b = S.BufferT()
            b.data = np.ascontiguousarray(np.asarray(data, dtype=dtype).reshape(shape)).tobytes()
            t.buffer = len(self.buffers)
            self.buffers.append(b)
        self.tensors.append(t)
        if graph_input:
            self.inputs.append(len(self.tensors) - 1)
        return len(self.tensors) - 1

    def op(self, name, ins, outs, version=1, **opts):
        code = getattr(S.BuiltinOperator, name)
        if code not in self.codes:
            self.codes.append(code)
        o = S.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = self.codes.index(code), list(ins), list(outs)
        kind, cls = _OPTIONS[name]
        o.builtinOptionsType = getattr(S.BuiltinOptions, kind)
        o.builtinOptions = cls()
        for k, v in opts.items():
            assert hasattr(o.builtinOptions, k), k
            setattr(o.builtinOptions, k, v)
        self.ops.append((o, version))
        return outs[0]

    def save(self, outputs) -> Path:
        m = S.ModelT()
        m.version, m.buffers = 3, self.buffers
        m.operatorCodes = []
        for code in self.codes:
            oc = S.OperatorCodeT()
            oc.builtinCode, oc.deprecatedBuiltinCode = code, min(code, 127)
            oc.version = max(v for o, v in self.ops if self.codes[o.opcodeIndex] == code)
            m.operatorCodes.append(oc)
        sg = S.SubGraphT()
        sg.tensors, sg.inputs, sg.outputs = self.tensors, self.inputs, list(outputs)
        sg.operators = [o for o, _ in self.ops]
        m.subgraphs = [sg]
        b = flatbuffers.Builder(1024)
        b.Finish(m.Pack(b), file_identifier=b"TFL3")
        path = _TMP / f"m{next(_counter)}.tflite"
        path.write_bytes(bytes(b.Output()))
        return path


def single_op(name, in_shape, dtype, out_shape_hint, q=None, consts=(), n_inputs=1, version=1,
              in_q=None, **opts) -> Path:
    """One op: ``n_inputs`` graph inputs of ``in_shape`` then constant inputs
    ``consts`` ((array, dtype) or None for an omitted optional input)."""
    g = Graph()
    shapes = in_shape if isinstance(in_shape, list) else [in_shape] * n_inputs
    qs = in_q if in_q is not None else [q] * len(shapes)
    ins = [g.tensor(s, dtype, qs[i], graph_input=True) for i, s in enumerate(shapes)]
    for c in consts:
        ins.append(-1 if c is None else g.tensor(np.shape(c[0]), c[1], c[2] if len(c) > 2 else None,
                                                 data=c[0]))
    out = g.tensor(out_shape_hint, dtype, q)
    g.op(name, ins, [out], version=version, **opts)
    return g.save([out])


def run_both(path, inputs):
    """Runs given inputs through pyruntime and the reference; returns ours."""
    ours = pyruntime.Interpreter(str(path)).run(list(inputs))
    ours = ours if isinstance(ours, list) else [ours]
    ref = reference_output(path, list(inputs))
    for o, r in zip(ours, ref):
        assert o.dtype == r.dtype and o.shape == r.shape and np.array_equal(o, r), (o, r)
    return ours


def expect_model_error(path, *fragments):
    with pytest.raises(pyruntime.ModelError) as e:
        pyruntime.Interpreter(str(path))
    for f in fragments:
        assert f in str(e.value), str(e.value)


I8_QUANTS = [(0.05, -128), (0.05, 127), (0.1, 3)]

# ----------------------------------------------------------------------------
# PAD / PADV2
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("q", I8_QUANTS)
@pytest.mark.parametrize("shape,pads,pad_dtype", [
    ((1, 5, 5, 3), [[0, 0], [1, 2], [2, 1], [0, 0]], np.int32),
    ((2, 3, 4, 5), [[1, 0], [0, 3], [1, 1], [2, 2]], np.int64),
    ((7,), [[3, 0]], np.int32),
    ((3, 1, 2, 1, 2), [[0, 1], [2, 0], [0, 0], [1, 1], [0, 2]], np.int32),
    ((2, 3), [[0, 0], [0, 0]], np.int32),
])
def test_pad_int8(shape, pads, pad_dtype, q):
    out = np.array(shape) + np.array(pads).sum(1)
    assert_bit_exact(single_op("PAD", shape, np.int8, out, q=q, consts=[(pads, pad_dtype)]),
                     seeds=(0, 1))


@pytest.mark.parametrize("dtype,q", [(np.float32, None), (np.int32, None), (np.uint8, (0.02, 200))])
def test_pad_other_types(dtype, q):
    pads = [[1, 1], [0, 2], [3, 0]]
    assert_bit_exact(single_op("PAD", (2, 3, 4), dtype, (4, 5, 7), q=q, consts=[(pads, np.int32)]),
                     seeds=(0,))


@pytest.mark.parametrize("dtype,q,value", [
    (np.int8, (0.05, -7), -100), (np.int8, (0.05, 127), 127), (np.float32, None, 1.5),
    (np.int32, None, -123456), (np.uint8, (0.1, 9), 250),
])
def test_padv2_constant_values(dtype, q, value):
    pads = [[0, 0], [2, 1], [1, 3], [0, 0]]
    path = single_op("PADV2", (1, 3, 4, 2), dtype, (1, 6, 8, 2), q=q,
                     consts=[(pads, np.int32), (np.array([value]).reshape(()), dtype, q)])
    refs = assert_bit_exact(path, seeds=(0,))
    assert np.asarray(refs[0][0])[0, 0, 0, 0] == np.asarray(value, dtype)  # the fill is seen


def test_padv2_without_value_uses_zero_point():
    assert_bit_exact(single_op("PADV2", (1, 3, 3, 2), np.int8, (1, 5, 5, 2), q=(0.3, -77),
                               consts=[([[0, 0], [1, 1], [1, 1], [0, 0]], np.int32)]), seeds=(0,))


def test_pad_errors():
    expect_model_error(single_op("PAD", (2, 3), np.int8, (2, 3), q=(0.1, 0),
                                 consts=[([[0, 0], [-1, 2]], np.int32)]), "non-negative", "[-1, 2]")
    expect_model_error(single_op("PAD", (2, 3), np.int8, (2, 3), q=(0.1, 0),
                                 consts=[([[0, 0, 1], [1, 2, 1]], np.int32)]), "[2, 2]")
    expect_model_error(single_op("PADV2", (2, 3), np.int8, (2, 3), q=(0.1, 0),
                                 consts=[([[0, 0], [1, 2]], np.int32), (np.int8(3), np.int8, (0.2, 0))]),
                       "constant_values", "equal quantization")
    g = Graph()  # paddings as a graph input: dynamic
    x = g.tensor((2, 3), np.int8, (0.1, 0), graph_input=True)
    p = g.tensor((2, 2), np.int32, graph_input=True)
    out = g.tensor((2, 3), np.int8, (0.1, 0))
    g.op("PAD", [x, p], [out])
    expect_model_error(g.save([out]), "paddings", "must be constant")


# ----------------------------------------------------------------------------
# MAX_POOL_2D / AVERAGE_POOL_2D
# ----------------------------------------------------------------------------

ACT = {"none": 0, "relu": 1, "relu_n1_to_1": 2, "relu6": 3}
POOL_CASES = [  # (in_shape, filter (h, w), stride (h, w), padding)
    ((1, 8, 8, 4), (2, 2), (2, 2), "VALID"),
    ((2, 7, 9, 3), (3, 3), (2, 2), "SAME"),
    ((1, 5, 6, 5), (3, 2), (1, 3), "SAME"),
    ((1, 6, 5, 2), (4, 5), (3, 1), "VALID"),
    ((3, 7, 7, 8), (7, 7), (1, 1), "VALID"),  # global pool
    ((1, 4, 4, 3), (5, 5), (3, 3), "SAME"),   # window larger than the image
    ((1, 9, 1, 16), (2, 1), (2, 1), "SAME"),
]


def pool_model(kind, in_shape, filt, stride, padding, dtype=np.int8, q=(0.05, 0), act="none"):
    return single_op(kind, in_shape, dtype, (1,), q=q,
                     padding=getattr(S.Padding, padding), strideH=stride[0], strideW=stride[1],
                     filterHeight=filt[0], filterWidth=filt[1],
                     fusedActivationFunction=ACT[act])


@pytest.mark.parametrize("kind", ["MAX_POOL_2D", "AVERAGE_POOL_2D"])
@pytest.mark.parametrize("case", POOL_CASES)
def test_pool_int8(kind, case):
    assert_bit_exact(pool_model(kind, *case, q=(0.05, 5)), seeds=(0, 1))


@pytest.mark.parametrize("kind", ["MAX_POOL_2D", "AVERAGE_POOL_2D"])
@pytest.mark.parametrize("act,q", [("relu", (0.05, -128)), ("relu", (0.05, 20)), ("relu6", (0.04, -30)),
                                   ("relu_n1_to_1", (0.01, 10)), ("none", (0.05, 127))])
def test_pool_activation(kind, act, q):
    assert_bit_exact(pool_model(kind, (2, 7, 9, 3), (3, 3), (2, 2), "SAME", q=q, act=act), seeds=(0,))


@pytest.mark.parametrize("kind", ["MAX_POOL_2D", "AVERAGE_POOL_2D"])
def test_pool_uint8(kind):
    assert_bit_exact(pool_model(kind, (2, 7, 9, 3), (3, 2), (2, 2), "SAME", dtype=np.uint8,
                                q=(0.05, 128), act="relu6"), seeds=(0,))


def test_avgpool_rounds_half_away_from_zero():
    # Windows of 2 cells whose sums are odd: the rounding direction matters.
    path = pool_model("AVERAGE_POOL_2D", (1, 1, 6, 1), (1, 2), (1, 2), "VALID", q=(1.0, 0))
    x = np.array([-3, 0, 3, 4, -128, -127], np.int8).reshape(1, 1, 6, 1)
    ours = run_both(path, [x])[0]
    assert ours.ravel().tolist() == [-2, 4, -128]  # -1.5 -> -2, 3.5 -> 4, -127.5 -> -128


def test_pool_errors():
    expect_model_error(pool_model("MAX_POOL_2D", (1, 4, 4, 1), (2, 2), (0, 1), "VALID"), "> 0")
    expect_model_error(pool_model("AVERAGE_POOL_2D", (1, 4, 4, 1), (6, 6), (1, 1), "VALID"),
                       "does not fit")
    expect_model_error(pool_model("MAX_POOL_2D", (1, 4, 4, 1), (2, 2), (1, 1), "VALID",
                                  dtype=np.int32, q=None), "int8")
