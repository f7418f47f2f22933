"""FILL against LiteRT's reference kernel: every value type it registers, int32
and int64 dims given as a graph input (planned at invoke) or constant (folded
at Prepare); outputs equal element for element. Invalid models fail at load or
at the invoke that computes the bad dims, naming the op."""
import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import pyruntime
import shape_models as sm

TYPES = [np.float32, np.float64, np.int32, np.int64, np.int8, np.uint8, np.int16, np.bool_]
QUANT = {np.int8: (0.5, 3), np.uint8: (0.25, 128), np.int16: (0.125, 0)}


def _model(dtype, dims_dtype, dims=None, value_q=None, out_q=None):
    g = sm.Graph()
    d = g.const(dims, dims_dtype) if dims is not None else g.tensor([3], dims_dtype, graph_input=True)
    q = QUANT.get(dtype)
    v = g.tensor([], dtype, q=value_q or q, graph_input=True)
    o = g.tensor([1], dtype, q=out_q or q)
    g.op("FILL", [d, v], [o])
    return g.save([o])


def _litert(path, values):
    ref = LiteRT(model_path=str(path), experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    for d, v in zip(ref.get_input_details(), values):
        ref.resize_tensor_input(d["index"], v.shape)
    ref.allocate_tensors()
    for d, v in zip(ref.get_input_details(), values):
        ref.set_tensor(d["index"], v)
    ref.invoke()
    return ref.get_tensor(ref.get_output_details()[0]["index"])


def _value(dtype, seed):
    rng = np.random.default_rng(seed)
    if dtype == np.bool_:
        return np.array(True)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return np.array(rng.integers(info.min, info.max, endpoint=True), dtype)
    return np.array(rng.standard_normal(), dtype)


@pytest.mark.parametrize("dims_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("dtype", TYPES, ids=lambda t: np.dtype(t).name)
def test_fill_computed_dims_matches_litert(dtype, dims_dtype):
    path = _model(dtype, dims_dtype)
    interp = pyruntime.Interpreter(str(path))
    for k, dims in enumerate([(2, 3, 4), (1, 1, 7), (5, 1, 2), (2, 3, 4)]):
        values = [np.array(dims, dims_dtype), _value(dtype, k)]
        ref, ours = _litert(path, values), interp.run(values)
        assert ours.dtype == ref.dtype and ours.shape == ref.shape == dims
        assert np.array_equal(ours, ref)
        assert np.all(ours == values[1])


@pytest.mark.parametrize("dtype", [np.float32, np.int8, np.int64])
def test_fill_constant_dims_matches_litert(dtype):
    path = _model(dtype, np.int32, dims=[3, 0, 2] if dtype == np.int64 else [4, 5])
    v = _value(dtype, 7)
    ref, ours = _litert(path, [v]), pyruntime.Interpreter(str(path)).run(v)
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    assert np.array_equal(ours, ref)


def test_fill_rejects_what_the_reference_rejects():
    with pytest.raises(pyruntime.ModelError, match=r"op 0 \(FILL\).*zero point 0"):
        pyruntime.Interpreter(str(_model(np.int16, np.int32, dims=[2], value_q=(0.5, 3),
                                         out_q=(0.5, 3))))
    with pytest.raises(pyruntime.ModelError, match=r"op 0 \(FILL\)"):
        pyruntime.Interpreter(str(_model(np.int8, np.int32, dims=[2], value_q=(0.5, 3),
                                         out_q=(0.25, 3))))
    with pytest.raises(pyruntime.ModelError, match=r"op 0 \(FILL\).*dims\[1\] = -2"):
        pyruntime.Interpreter(str(_model(np.float32, np.int32, dims=[2, -2])))
    interp = pyruntime.Interpreter(str(_model(np.float32, np.int64)))
    with pytest.raises(pyruntime.ModelError, match=r"op 0 \(FILL\).*dims\[0\] = -1"):
        interp.run([np.array([-1, 2, 2], np.int64), np.array(1.5, np.float32)])
    # The interpreter still runs valid dims afterwards.
    out = interp.run([np.array([1, 2, 2], np.int64), np.array(1.5, np.float32)])
    assert out.shape == (1, 2, 2) and np.all(out == 1.5)
