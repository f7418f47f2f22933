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


@pytest.mark.parametrize("threads", [2, 3, 7])
@pytest.mark.parametrize("shape,pads,dtype", [
    ((1, 112, 112, 64), [[0, 0], [1, 1], [1, 1], [0, 0]], np.int8),  # ResNet50's
    ((3, 40, 33, 24), [[1, 0], [2, 3], [0, 1], [0, 4]], np.int8),    # the batch padded too
    ((2, 61, 70, 30), [[0, 0], [3, 0], [0, 2], [0, 0]], np.float32),
])
def test_large_pad_split_over_threads(shape, pads, dtype, threads):
    """Large pads fill and copy in parts across the threads: the reference's bytes."""
    out = np.array(shape) + np.array(pads).sum(1)
    q = (0.05, -7) if dtype == np.int8 else None
    assert_bit_exact(single_op("PAD", shape, dtype, out, q=q, consts=[(pads, np.int32)]),
                     seeds=(0,), num_threads=threads)


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
    g = Graph()  # paddings as a graph input: planned at invoke
    x = g.tensor((2, 3), np.int8, (0.1, 0), graph_input=True)
    p = g.tensor((2, 2), np.int32, graph_input=True)
    out = g.tensor((2, 3), np.int8, (0.1, 0))
    g.op("PAD", [x, p], [out])
    path = g.save([out])
    x = np.arange(6, dtype=np.int8).reshape(2, 3)
    with pytest.raises(pyruntime.ModelError, match="non-negative"):
        pyruntime.Interpreter(str(path)).run([x, np.array([[0, 0], [-1, 2]], np.int32)])
    pads = np.array([[1, 0], [0, 2]], np.int32)
    ours = pyruntime.Interpreter(str(path)).run([x, pads])
    assert np.array_equal(ours, reference_output(path, [x, pads])[0])


def test_pad_rank6_beyond_reference():
    # The reference stops at rank 5; ours pads any rank up to 8 (numpy oracle).
    pads = [[0, 1], [2, 0], [1, 1], [0, 0], [1, 2], [0, 1]]
    x = np.arange(2 * 1 * 3 * 1 * 2 * 3, dtype=np.int8).reshape(2, 1, 3, 1, 2, 3)
    path = single_op("PAD", x.shape, np.int8, (1,), q=(0.1, -9), consts=[(pads, np.int32)])
    got = pyruntime.Interpreter(str(path)).run(x)
    np.testing.assert_array_equal(got, np.pad(x, pads, constant_values=-9))


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


@pytest.mark.parametrize("threads", [2, 3, 7])
@pytest.mark.parametrize("case", [
    ((1, 112, 112, 64), (3, 3), (2, 2), "SAME", "none"),   # ResNet50's, after the stem
    ((3, 46, 34, 64), (3, 3), (2, 2), "SAME", "relu"),     # bands across image ends
    ((1, 57, 41, 48), (2, 3), (1, 2), "VALID", "relu6"),
])
def test_max_pool_int8_in_row_bands(case, threads):
    """Large int8 max pools run in bands of output rows across the threads
    (each band the op on its rows, padding shifted): the reference's bytes."""
    shape, filt, stride, padding, act = case
    assert_bit_exact(pool_model("MAX_POOL_2D", shape, filt, stride, padding, q=(0.05, -3), act=act),
                     seeds=(0,), num_threads=threads)


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


# ----------------------------------------------------------------------------
# STRIDED_SLICE
# ----------------------------------------------------------------------------

def slice_model(in_shape, begin, end, strides, dtype=np.int8, q=(0.05, -3), version=1, **masks):
    consts = [(np.array(v, np.int32), np.int32) for v in (begin, end, strides)]
    return single_op("STRIDED_SLICE", in_shape, dtype, (1,), q=q, consts=consts,
                     version=version, **masks)


SLICE_CASES = [  # (in_shape, begin, end, strides, masks)
    ((1, 8, 8, 4), [0, 1, 0, 1], [1, 7, 8, 4], [1, 2, 3, 1], {}),
    ((2, 5, 6, 3), [0, 0, 0, 0], [2, 5, 6, 3], [1, 1, 1, 1], {}),            # identity
    ((2, 5, 6, 3), [1, -1, -2, 2], [0, -6, 0, -5], [-1, -2, -1, -1], {}),    # reversed
    ((2, 5, 6, 3), [0, 4, 0, 0], [0, 0, 0, 0], [1, -1, 2, 1], {"beginMask": 0b0001, "endMask": 0b1111}),
    ((2, 5, 6, 3), [-100, 1, 2, 100], [100, 100, -100, -100], [1, 1, -1, -1], {}),  # clamping
    ((3, 4, 5), [1, 0, 2], [2, 4, 3], [1, 1, 1], {"shrinkAxisMask": 0b101}),
    ((3, 4, 5), [-1, 0, -2], [0, 0, 0], [1, 1, 1], {"shrinkAxisMask": 0b111}),  # scalar output
    ((3, 4, 5), [1], [3], [1], {}),                                          # fewer indices
    ((2, 3, 4, 5), [0, 1], [0, 3], [1, 2], {"ellipsisMask": 0b01}),          # [..., 1:3:2]
    ((2, 3, 4, 5), [1, 0, 1], [2, 0, 4], [1, 1, 2], {"ellipsisMask": 0b010}),  # [1:2, ..., 1:4:2]
    ((2, 3, 4), [0, 0, 1, 0], [0, 0, 3, 0], [1, 1, 1, 1], {"newAxisMask": 0b0010, "beginMask": 0b1001,
                                                           "endMask": 0b1001}),
    ((2, 3, 4), [0, 0, 2], [0, 0, 4], [1, 1, 1], {"newAxisMask": 0b001, "ellipsisMask": 0b010}),
    ((3, 4), [0, 2], [0, 3], [1, 1], {"newAxisMask": 0b01, "shrinkAxisMask": 0b10}),
    ((2, 3, 2, 3, 4), [1, 0, 0, 2, 1], [2, 3, 2, 0, 4], [1, 2, 1, -1, 2], {}),   # rank 5
    ((2, 3, 4), [0, 1, 1], [2, 2, 2], [1, 1, 1], {"offset": True}),          # end = size
    ((2, 3, 4), [-1, 0, 3], [1, 3, 0], [1, 1, 1], {"offset": True}),
    ((4, 6), [0, 0], [0, 0], [3, 4], {"beginMask": 3, "endMask": 3}),
    ((0, 4), [0, 1], [0, 3], [1, 1], {"beginMask": 1, "endMask": 1}),          # empty input
    ((2, 1, 3, 1, 2, 3), [1, 0, 0, 0, 1, -1], [2, 1, 3, 1, 2, -4], [1, 1, 2, 1, 1, -1], {}),  # rank 6
]


@pytest.mark.parametrize("case", SLICE_CASES, ids=[str(i) for i in range(len(SLICE_CASES))])
def test_strided_slice_int8(case):
    shape, b, e, s, masks = case
    assert_bit_exact(slice_model(shape, b, e, s, **masks), seeds=(0,))


@pytest.mark.parametrize("dtype,q", [(np.int32, None), (np.float32, None), (np.uint8, (0.1, 128)),
                                     (np.int8, (0.1, 127)), (np.int8, (0.1, -128))])
def test_strided_slice_types(dtype, q):
    assert_bit_exact(slice_model((2, 5, 6, 3), [1, -1, 0, 2], [0, -6, 6, 0], [-1, -2, 4, -1],
                                 dtype=dtype, q=q, beginMask=0b0100), seeds=(0, 1))


def test_strided_slice_errors():
    expect_model_error(slice_model((3, 4), [0, 0], [1, 4], [1, 0]), "stride 0")
    expect_model_error(slice_model((3, 4), [3, 0], [4, 4], [1, 1], shrinkAxisMask=1), "shrunk axis 0")
    expect_model_error(slice_model((3, 4), [1, 0], [0, 4], [-1, 1], shrinkAxisMask=1), "positive stride")
    expect_model_error(slice_model((3, 4), [0, 0], [1, 4], [1]), "must be equal")
    expect_model_error(slice_model((3, 4), [0, 2], [3, 5], [1, 1], offset=True), "offset slice")
    g = Graph()
    x = g.tensor((3, 4), np.int8, (0.1, 0), graph_input=True)
    b = g.tensor((2,), np.int32, graph_input=True)
    e = g.tensor((2,), np.int32, data=[2, 2])
    s = g.tensor((2,), np.int32, data=[1, 1])
    out = g.tensor((2, 2), np.int8, (0.1, 0))
    g.op("STRIDED_SLICE", [x, b, e, s], [out])
    path = g.save([out])  # begin as a graph input: planned at invoke
    x = np.arange(12, dtype=np.int8).reshape(3, 4)
    interp = pyruntime.Interpreter(str(path))
    for begin in ([1, 0], [0, 1], [1, 0]):
        inputs = [x, np.array(begin, np.int32)]
        assert np.array_equal(interp.run(inputs), reference_output(path, inputs)[0])


def test_shape_chain_folds():
    """SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE on int32, as the converter emits
    for a flatten with a free batch: folded at Prepare, then a plain reshape."""
    g = Graph()
    x = g.tensor((3, 4, 5), np.int8, (0.1, 2), graph_input=True)
    shp = g.op("SHAPE", [x], [g.tensor((3,), np.int32)], outType=S.TensorType.INT32)
    c = [g.tensor((1,), np.int32, data=v) for v in ([0], [1], [1])]
    batch = g.op("STRIDED_SLICE", [shp] + c, [g.tensor((), np.int32)], shrinkAxisMask=1)
    minus1 = g.tensor((), np.int32, data=-1)
    packed = g.op("PACK", [batch, minus1], [g.tensor((2,), np.int32)], valuesCount=2, axis=0)
    out = g.op("RESHAPE", [x, packed], [g.tensor((3, 20), np.int8, (0.1, 2))])
    path = g.save([out])
    assert_bit_exact(path, seeds=(0,))
    assert pyruntime.Interpreter(str(path)).run([np.zeros((3, 4, 5), np.int8)]).shape == (3, 20)


def test_concat_shape_chain_folds():
    """The CONCATENATION variants of the chain: a 1-D slice joined with a
    constant, and constant scalars joined into a vector."""
    g = Graph()
    x = g.tensor((3, 4, 5), np.int8, (0.1, 2), graph_input=True)
    shp = g.op("SHAPE", [x], [g.tensor((3,), np.int32)], outType=S.TensorType.INT32)
    c = [g.tensor((1,), np.int32, data=v) for v in ([1], [3], [1])]
    tail = g.op("STRIDED_SLICE", [shp] + c, [g.tensor((2,), np.int32)])
    lead = g.op("CONCATENATION", [g.tensor((), np.int32, data=v) for v in (3, 1)],
                [g.tensor((2,), np.int32)], axis=0)
    shape = g.op("CONCATENATION", [lead, tail], [g.tensor((4,), np.int32)], axis=-1)
    out = g.op("RESHAPE", [x, shape], [g.tensor((3, 1, 4, 5), np.int8, (0.1, 2))])
    path = g.save([out])
    assert_bit_exact(path, seeds=(0,))
    assert pyruntime.Interpreter(str(path)).run([np.zeros((3, 4, 5), np.int8)]).shape == (3, 1, 4, 5)


# ----------------------------------------------------------------------------
# PACK / CONCATENATION
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("shape,n,axis", [
    ((4, 6), 3, 1), ((4, 6), 3, 0), ((4, 6), 2, 2), ((4, 6), 4, -1), ((4, 6), 3, -3),
    ((2, 3, 5), 1, 1), ((7,), 2, 0), ((1,), 3, -2),
])
@pytest.mark.parametrize("dtype,q", [(np.int8, (0.07, -128)), (np.int32, None), (np.float32, None)])
def test_pack(shape, n, axis, dtype, q):
    out = list(shape)
    out.insert(axis % (len(shape) + 1), n)
    assert_bit_exact(single_op("PACK", shape, dtype, out, q=q, n_inputs=n, valuesCount=n, axis=axis),
                     seeds=(0,))


def test_pack_errors():
    expect_model_error(single_op("PACK", [(2, 3), (2, 3)], np.int8, (2, 2, 3), in_q=[(0.1, 0), (0.2, 0)],
                                 q=(0.1, 0), valuesCount=2, axis=0), "equal quantization")
    expect_model_error(single_op("PACK", [(2, 3), (3, 2)], np.int8, (2, 2, 3), q=(0.1, 0),
                                 valuesCount=2, axis=0), "differs from input 0")
    expect_model_error(single_op("PACK", (2, 3), np.int8, (2, 2, 3), q=(0.1, 0), n_inputs=2,
                                 valuesCount=2, axis=3), "axis 3")


@pytest.mark.parametrize("shapes,axis", [
    ([(1, 4, 4, 3), (1, 4, 4, 5)], -1), ([(1, 4, 4, 3), (1, 4, 4, 5)], 3),
    ([(2, 3, 4), (2, 1, 4), (2, 5, 4)], 1), ([(2, 3, 4), (1, 3, 4)], -3),
    ([(3, 2), (3, 7), (3, 1), (3, 2)], -1), ([(5,)], 0), ([(2, 0, 3), (2, 2, 3)], 1),
])
@pytest.mark.parametrize("dtype,q", [(np.int8, (0.03, 127)), (np.int32, None), (np.float32, None),
                                     (np.uint8, (0.1, 0))])
def test_concatenation(shapes, axis, dtype, q):
    out = list(shapes[0])
    out[axis] = sum(s[axis] for s in shapes)
    assert_bit_exact(single_op("CONCATENATION", list(shapes), dtype, out, q=q, axis=axis), seeds=(0,))


def test_concatenation_errors():
    path = single_op("CONCATENATION", [(2, 3), (2, 3)], np.int8, (2, 6), q=(0.1, 0),
                     in_q=[(0.1, 0), (0.1, 5)], axis=1)
    expect_model_error(path, "zero point 5", "zero point 0", "equal quantization")
    path = single_op("CONCATENATION", [(2, 3), (2, 3)], np.int8, (2, 6), q=(0.1, 0),
                     in_q=[(0.2, 0), (0.1, 0)], axis=1)
    expect_model_error(path, "scale 0.200000003", "scale 0.100000001")
    expect_model_error(single_op("CONCATENATION", [(2, 3), (2, 3)], np.int8, (2, 6), q=(0.1, 0), axis=1,
                                 fusedActivationFunction=1), "fused activation")
    expect_model_error(single_op("CONCATENATION", [(2, 3), (3, 3)], np.int8, (2, 6), q=(0.1, 0), axis=1),
                       "outside axis 1")
    expect_model_error(single_op("CONCATENATION", [(2, 3), (2, 3)], np.int8, (2, 6), q=(0.1, 0), axis=2),
                       "axis 2")


# ----------------------------------------------------------------------------
# Converter-made models
# ----------------------------------------------------------------------------

CONVERTED = {
    "pad": lambda: op_models.pad_model(),
    "pad_extreme_zp": lambda: op_models.pad_model(calib_scale=0.05),
    "maxpool": lambda: op_models.maxpool_model(),
    "avgpool_same": lambda: op_models.avgpool_model(in_shape=(7, 9, 3), pool=3, strides=2,
                                                    padding="same", batch=2),
    "concat": lambda: op_models.concat_model(),
    "strided_slice": lambda: op_models.strided_slice_model(),
    "pack": lambda: op_models.pack_model(),
}


@pytest.mark.parametrize("name", sorted(CONVERTED))
def test_converted_models(name):
    path = CONVERTED[name]()
    ops = set(op_names(path))
    assert ops & {"PAD", "PADV2", "MAX_POOL_2D", "AVERAGE_POOL_2D", "CONCATENATION",
                  "STRIDED_SLICE", "PACK"}, ops
    assert_bit_exact(path, seeds=(0, 1))


def test_padv2_value_from_graph_input():
    g = Graph()
    x = g.tensor((1, 3, 4, 2), np.int8, (0.05, 4), graph_input=True)
    pads = g.tensor((4, 2), np.int32, data=[[0, 1], [2, 1], [1, 0], [0, 1]])
    v = g.tensor((1,), np.int8, (0.05, 4), graph_input=True)
    out = g.tensor((2, 6, 5, 3), np.int8, (0.05, 4))
    g.op("PADV2", [x, pads, v], [out])
    assert_bit_exact(g.save([out]), seeds=(0, 1))
