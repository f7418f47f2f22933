"""ROUND (float32) and per-channel int8 DEQUANTIZE, found missing on third-party
models (LiteRT's ROUND test model; ai-edge-quantizer's weight-only MNIST model,
whose per-channel int8 weights feed DEQUANTIZE). Hand-built models, compared
bit for bit with LiteRT in the same run: DEQUANTIZE with BUILTIN_REF, ROUND with
the builtin kernels (BUILTIN_REF registers no ROUND).
"""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import pyruntime
import shape_models as sm
from model_zoo import reference_outputs


def _same_bits(o, r):
    assert o.dtype == r.dtype and o.shape == r.shape, (o.dtype, r.dtype, o.shape, r.shape)
    assert np.array_equal(o.view(np.uint32), r.view(np.uint32)), (o, r)


def test_round_float32_halves_to_even_as_builtin():
    g = sm.Graph()
    x = g.tensor((4, 25), np.float32, graph_input=True)
    y = g.tensor((4, 25), np.float32)
    g.op("ROUND", [x], [y])
    path = g.save([y])
    rng = np.random.default_rng(2)
    a = (rng.standard_normal((4, 25)) * 5).astype(np.float32)
    specials = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0.4, 0.4, -0.0, 0.0, 3.4999998, 8388607.5,
                         -8388607.5, 16777216.0, 1e20, -1e20, np.inf, -np.inf, np.nan, 1e-30, -1e-30],
                        np.float32)
    a.reshape(-1)[: specials.size] = specials
    it = LiteRT(model_path=str(path), experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], a)
    it.invoke()
    ref = it.get_tensor(it.get_output_details()[0]["index"])
    ours = pyruntime.Interpreter(str(path)).run(a)
    _same_bits(ours, ref)
    assert ref.reshape(-1)[6] == 0 and not np.signbit(ref.reshape(-1)[6])  # -0.4 -> +0, as the reference


@pytest.mark.parametrize("shape,axis", [((6, 3, 4), 0), ((2, 5, 3), 1), ((3, 4, 7), 2), ((9,), 0)])
def test_dequantize_per_channel_int8(shape, axis):
    g = sm.Graph()
    x = g.tensor(shape, np.int8, (0.1, 0), graph_input=True)
    rng = np.random.default_rng(axis)
    n = shape[axis]
    q = g.tensors[x].quantization
    q.scale = [float(s) for s in rng.uniform(1e-3, 0.5, n).astype(np.float32)]
    q.zeroPoint = [int(z) for z in rng.integers(-20, 20, n)]
    q.quantizedDimension = axis
    y = g.tensor(shape, np.float32)
    g.op("DEQUANTIZE", [x], [y])
    path = g.save([y])
    sets = [[rng.integers(-128, 127, size=shape, endpoint=True).astype(np.int8)] for _ in range(2)]
    refs = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for (a,), (r,) in zip(sets, refs):
        _same_bits(interp.run(a), r)


# ----------------------------------------------------------------------------
# EMBEDDING_LOOKUP and DYNAMIC_UPDATE_SLICE (ai-edge-quantizer's test models)
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.int8])
def test_embedding_lookup(dtype):
    rng = np.random.default_rng(4)
    table = (rng.standard_normal((11, 3, 4)) * 50).astype(dtype)
    g = sm.Graph()
    ids = g.tensor((6,), np.int32, graph_input=True)
    value = g.tensor(table.shape, dtype, data=table)
    out = g.tensor((6, 3, 4), dtype)
    g.op("EMBEDDING_LOOKUP", [ids, value], [out])
    path = g.save([out])
    sets = [[np.array([0, 10, 3, 3, 7, 1], np.int32)], [rng.integers(0, 11, 6).astype(np.int32)]]
    refs = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for (x,), (r,) in zip(sets, refs):
        o = interp.run(x)
        assert o.dtype == r.dtype and o.shape == r.shape and np.array_equal(o, r)
        assert np.array_equal(r, table[x])


@pytest.mark.parametrize("dtype,start_dtype", [(np.float32, np.int32), (np.int8, np.int64), (np.int32, np.int32),
                                               (np.bool_, np.int32)])
def test_dynamic_update_slice(dtype, start_dtype):
    g = sm.Graph()
    operand = g.tensor((4, 5, 6), dtype, graph_input=True)
    update = g.tensor((2, 3, 6), dtype, graph_input=True)
    start = g.tensor((3,), start_dtype, graph_input=True)
    out = g.tensor((4, 5, 6), dtype)
    g.op("DYNAMIC_UPDATE_SLICE", [operand, update, start], [out])
    path = g.save([out])
    rng = np.random.default_rng(6)

    def draw(shape):
        return rng.integers(0, 2, shape).astype(bool) if dtype == np.bool_ else \
            rng.integers(-100, 100, shape).astype(dtype)

    sets = [[draw((4, 5, 6)), draw((2, 3, 6)), np.array(s, start_dtype)]
            for s in ([0, 0, 0], [1, 2, 0], [3, 9, -4], [-7, 1, 2])]  # the last two are clamped
    refs = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for inputs, (r,) in zip(sets, refs):
        o = interp.run(inputs)
        assert o.dtype == r.dtype and o.shape == r.shape and np.array_equal(o, r)
    assert not np.array_equal(refs[1][0], sets[1][0])  # the update landed


# ----------------------------------------------------------------------------
# FLOOR_MOD (LiteRT's FLOOR_MOD test model)
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32])
def test_floor_mod(dtype):
    g = sm.Graph()
    a = g.tensor((3, 4, 5), dtype, graph_input=True)
    b = g.tensor((4, 1), dtype, graph_input=True)  # broadcast
    out = g.tensor((3, 4, 5), dtype)
    g.op("FLOOR_MOD", [a, b], [out])
    path = g.save([out])
    rng = np.random.default_rng(12)

    def draw(shape, nonzero=False):
        if dtype == np.float32:
            v = (rng.standard_normal(shape) * 7).astype(dtype)
        else:
            v = rng.integers(-50, 50, shape).astype(dtype)
        if nonzero:
            v[v == 0] = 3
        return v

    sets = [[draw((3, 4, 5)), draw((4, 1), nonzero=True)] for _ in range(3)]
    for _, b in sets:  # both divisor signs in every set
        b[0, 0], b[1, 0] = -7, 9
    refs = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for inputs, (r,) in zip(sets, refs):
        o = interp.run(inputs)
        assert o.dtype == r.dtype and o.shape == r.shape
        assert np.array_equal(o.view(np.uint8), r.view(np.uint8))
    assert np.any(refs[0][0] < 0) and np.any(refs[0][0] > 0)  # both divisor signs
