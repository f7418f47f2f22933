"""Types docs/ops.md lists that had no test against LiteRT's reference kernels
(issue 12): CAST to and from uint16 / uint32, REDUCE_MAX / REDUCE_MIN on int16,
int64 and bool, ARG_MAX / ARG_MIN on int16 and int64 inputs (which
the reference rejects, so pyruntime now rejects them too), SHAPE to int64, and
CONV_2D / FULLY_CONNECTED with per-tensor int8 weights. Hand-built models
(shape_models.Graph); every output equal to BUILTIN_REF's."""
import numpy as np
import pytest

import pyruntime
import shape_models as sm
from bitexact import assert_bit_exact
from model_zoo import reference_outputs

S = sm.S
ALL = [np.float32, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.bool_]


def _cast_fan(in_dtype, out_dtypes, shape=(3, 40)):
    g = sm.Graph()
    x = g.tensor(shape, in_dtype, graph_input=True)
    outs = []
    for dt in out_dtypes:
        outs.append(g.tensor(shape, dt))
        g.op("CAST", [x], [outs[-1]], inDataType=g.tensors[x].type,
             outDataType=g.tensors[outs[-1]].type)
    return g.save(outs)


@pytest.mark.parametrize("in_dtype", [np.uint16, np.uint32], ids=["uint16", "uint32"])
def test_cast_from_unsigned(in_dtype):
    refs = assert_bit_exact(_cast_fan(in_dtype, [t for t in ALL if t != in_dtype]), seeds=(0, 1))
    assert refs[0][-1].dtype == np.bool_


@pytest.mark.parametrize("in_dtype", [t for t in ALL], ids=lambda t: np.dtype(t).name)
def test_cast_to_unsigned(in_dtype):
    outs = [t for t in (np.uint16, np.uint32) if t != in_dtype]
    refs = assert_bit_exact(_cast_fan(in_dtype, outs), seeds=(0, 1))
    assert [r.dtype for r in refs[0]] == [np.dtype(t) for t in outs]


def test_cast_float_to_unsigned_edges():
    """Negative, huge, NaN and inf floats, as the pinned reference converts them."""
    path = _cast_fan(np.float32, [np.uint16, np.uint32], shape=(12,))
    x = np.array([-1.5, -7e4, 65535.7, 65536.2, 7e4, 4.3e9, -4.3e9, np.nan, np.inf, -np.inf, 0.5,
                  1e30], np.float32)
    refs = reference_outputs(path, [[x]])[0]
    ours = pyruntime.Interpreter(str(path)).run(x)
    for o, r in zip(ours, refs):
        assert o.dtype == r.dtype and np.array_equal(o, r), (o, r)


REDUCE_CASES = [([a], dict(keepDims=k)) for a in ([1, 2], [-1], [0, 1, 2], [2, 0]) for k in (False, True)]


@pytest.mark.parametrize("name", ["REDUCE_MAX", "REDUCE_MIN"])
@pytest.mark.parametrize("dtype,q", [(np.int16, (0.01, 0)), (np.int64, None), (np.bool_, None)],
                         ids=["int16", "int64", "bool"])
def test_reduce_min_max_more_types(name, dtype, q):
    refs = assert_bit_exact(sm.fan_out(name, (2, 5, 7), dtype, REDUCE_CASES, q=q), seeds=(0, 1))
    assert refs[0][0].dtype == np.dtype(dtype)


@pytest.mark.parametrize("name", ["ARG_MAX", "ARG_MIN"])
@pytest.mark.parametrize("dtype,q", [(np.int16, (0.01, 0)), (np.int64, None)], ids=["int16", "int64"])
def test_arg_min_max_rejects_int16_int64_as_the_reference(name, dtype, q):
    """The pinned reference kernel fails Prepare on int16 and int64 inputs
    ("only float32, int types and bool"): rejected at load, naming the op."""
    from ai_edge_litert.interpreter import Interpreter as LiteRT
    from ai_edge_litert.interpreter import OpResolverType
    g = sm.Graph()
    x = g.tensor((2, 5, 3), dtype, q, graph_input=True)
    out = g.tensor([1], np.int32)
    g.op(name, [x, g.const([1])], [out], outputType=S.TensorType.INT32)
    path = g.save([out])
    ref = LiteRT(model_path=str(path), experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    with pytest.raises(RuntimeError, match="only float32, int types and bool"):
        ref.allocate_tensors()
    with pytest.raises(pyruntime.ModelError, match=rf"op 0 \({name}\): unsupported input type"):
        pyruntime.Interpreter(str(path))


def test_shape_int64():
    g = sm.Graph()
    x = g.tensor((2, 3, 5), np.int8, (0.1, 0), graph_input=True)
    outs = [g.tensor((3,), np.int64), g.tensor((3,), np.int32)]
    g.op("SHAPE", [x], [outs[0]], outType=S.TensorType.INT64)
    g.op("SHAPE", [x], [outs[1]], outType=S.TensorType.INT32)
    refs = assert_bit_exact(g.save(outs), seeds=(0,))
    assert refs[0][0].dtype == np.int64 and list(refs[0][0]) == [2, 3, 5]


def _weights(shape, seed):
    return np.random.default_rng(seed).integers(-127, 128, shape).astype(np.int8)


@pytest.mark.parametrize("act", [0, 1, 3])  # NONE, RELU, RELU6
@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1)])  # SAME, VALID
def test_conv_per_tensor_int8_weights(act, stride, padding):
    g = sm.Graph()
    s_in, s_w = 0.05, 0.004
    x = g.tensor((2, 9, 8, 5), np.int8, (s_in, -3), graph_input=True)
    w = g.tensor((6, 3, 3, 5), np.int8, (s_w, 0), data=_weights((6, 3, 3, 5), act))
    b = g.tensor((6,), np.int32, (s_in * s_w, 0),
                 data=np.random.default_rng(5).integers(-3000, 3000, 6))
    out = g.tensor((1,), np.int8, (0.09, 4))
    g.op("CONV_2D", [x, w, b], [out], padding=padding, strideW=stride, strideH=stride,
         dilationWFactor=1, dilationHFactor=1, fusedActivationFunction=act)
    assert_bit_exact(g.save([out]), seeds=(0, 1))


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("act", [0, 1])
def test_fully_connected_per_tensor_int8_weights(bias, act):
    g = sm.Graph()
    s_in, s_w = 0.03, 0.006
    x = g.tensor((3, 37), np.int8, (s_in, 7), graph_input=True)
    w = g.tensor((11, 37), np.int8, (s_w, 0), data=_weights((11, 37), 3))
    ins = [x, w]
    if bias:
        ins.append(g.tensor((11,), np.int32, (s_in * s_w, 0),
                            data=np.random.default_rng(6).integers(-2000, 2000, 11)))
    else:
        ins.append(-1)
    out = g.tensor((1,), np.int8, (0.12, -5))
    g.op("FULLY_CONNECTED", ins, [out], fusedActivationFunction=act)
    assert_bit_exact(g.save([out]), seeds=(0, 1, 2))
