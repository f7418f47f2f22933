"""int16 / int32 versions of ops found missing on third-party models:
LEAKY_RELU int16 and QUANTIZE int16 <-> int32 (tflite-micro's SEANet
integration models), SOFTMAX int8 -> int16 and QUANTIZE int16 -> int32
(tflite-micro's keyword benchmark model), BATCH_MATMUL int16 x int16 and
int16 x int8 (LiteRT's 16-bit activation einsum test models). Hand-built
models (shape_models.Graph), bit-exact with LiteRT's reference kernels
(BUILTIN_REF) in the same run.
"""

from __future__ import annotations

import numpy as np
import pytest

import pyruntime
import shape_models as sm
from model_zoo import _schema, reference_outputs

S = _schema()


def _check(path, input_sets):
    refs = reference_outputs(path, input_sets)
    interp = pyruntime.Interpreter(str(path))
    for inputs, ref in zip(input_sets, refs):
        ours = interp.run(list(inputs))
        ours = ours if isinstance(ours, list) else [ours]
        assert len(ours) == len(ref)
        for k, (o, r) in enumerate(zip(ours, ref)):
            assert o.dtype == r.dtype and o.shape == r.shape, (k, o.dtype, o.shape, r.dtype, r.shape)
            assert np.array_equal(o, r), f"output {k}: {np.sum(o != r)} of {r.size} differ"
    return refs


def _full_range_s16(rng, shape):
    return rng.integers(-32768, 32767, size=shape, endpoint=True).astype(np.int16)


# ----------------------------------------------------------------------------
# LEAKY_RELU int16
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("alpha,in_scale,out_scale", [
    (0.2, 1 / 4096, 1 / 4096),      # SEANet: same scales
    (0.01, 3e-4, 1.7e-4),           # identity multiplier > 1
    (0.3, 2e-4, 5e-4),              # identity multiplier < 1
    (1.7, 1e-3, 1e-3),              # alpha > 1 saturates the negative side
    (0.0, 1e-3, 2e-3),              # alpha 0: a zero multiplier
])
def test_leaky_relu_int16(alpha, in_scale, out_scale):
    g = sm.Graph()
    x = g.tensor((2, 7, 33), np.int16, (in_scale, 0), graph_input=True)
    y = g.tensor((2, 7, 33), np.int16, (out_scale, 0))
    g.op("LEAKY_RELU", [x], [y], alpha=alpha)
    path = g.save([y])
    rng = np.random.default_rng(3)
    sets = [[_full_range_s16(rng, (2, 7, 33))] for _ in range(2)]
    sets.append([np.resize(np.array([-32768, -1, 0, 1, 32767], np.int16), (2, 7, 33))])
    refs = _check(path, sets)
    assert np.unique(refs[0][0]).size > 100  # the outputs are not degenerate


def test_leaky_relu_int16_needs_zero_points_0():
    g = sm.Graph()
    x = g.tensor((4,), np.int16, (1e-3, 5), graph_input=True)
    y = g.tensor((4,), np.int16, (1e-3, 0))
    g.op("LEAKY_RELU", [x], [y], alpha=0.2)
    with pytest.raises(pyruntime.ModelError, match="zero point 0"):
        pyruntime.Interpreter(str(g.save([y])))


# ----------------------------------------------------------------------------
# BATCH_MATMUL int16 x int16 and int16 x int8
# ----------------------------------------------------------------------------

def _bmm_model(lhs_shape, rhs_shape, rhs_dtype, adj_x=False, adj_y=False, rhs_const=None,
               scales=(3e-4, 2e-4, 0.05), rhs_channel_scales=None):
    g = sm.Graph()
    lhs = g.tensor(lhs_shape, np.int16, (scales[0], 0), graph_input=True)
    if rhs_const is not None:
        rhs = g.tensor(rhs_shape, rhs_dtype, (scales[1], 0), data=rhs_const)
    else:
        rhs = g.tensor(rhs_shape, rhs_dtype, (scales[1], 0), graph_input=True)
    if rhs_channel_scales is not None:
        q = g.tensors[rhs].quantization
        q.scale = [float(s) for s in rhs_channel_scales]
        q.zeroPoint = [0] * len(rhs_channel_scales)
        q.quantizedDimension = len(rhs_shape) - 1
    out = g.tensor([1], np.int16, (scales[2], 0))
    g.op("BATCH_MATMUL", [lhs, rhs], [out], adjX=adj_x, adjY=adj_y)
    return g.save([out])


@pytest.mark.parametrize("lhs_shape,rhs_shape,adj_x,adj_y", [
    ((3, 5, 17), (3, 17, 6), False, False),
    ((2, 1, 4, 9), (3, 9, 5), False, False),      # broadcast batch dims
    ((2, 9, 4), (2, 5, 9), True, True),
    ((1, 2, 3, 11, 4), (11, 7), True, False),     # rank 5 x rank 2
])
def test_batch_matmul_int16(lhs_shape, rhs_shape, adj_x, adj_y):
    path = _bmm_model(lhs_shape, rhs_shape, np.int16, adj_x, adj_y, scales=(3e-4, 2e-4, 8e-3))
    rng = np.random.default_rng(5)
    sets = [[_full_range_s16(rng, lhs_shape), _full_range_s16(rng, rhs_shape)] for _ in range(2)]
    refs = _check(path, sets)
    out = refs[0][0]
    assert np.unique(out).size > out.size // 4 and np.mean(np.abs(out) == 32767) < 0.5


@pytest.mark.parametrize("adj_y", [False, True])
def test_batch_matmul_int16_int8_weights(adj_y):
    rng = np.random.default_rng(7)
    rhs_shape = (6, 24) if adj_y else (24, 6)
    w = rng.integers(-127, 127, size=rhs_shape, endpoint=True).astype(np.int8)
    path = _bmm_model((2, 5, 24), rhs_shape, np.int8, adj_y=adj_y, rhs_const=w, scales=(3e-4, 0.02, 4e-3))
    sets = [[_full_range_s16(rng, (2, 5, 24))] for _ in range(2)]
    refs = _check(path, sets)
    assert np.unique(refs[0][0]).size > 20 and np.mean(np.abs(refs[0][0]) == 32767) < 0.5


def test_batch_matmul_int16_per_channel_int8_weights_as_reference():
    """A per-channel rhs has no per-tensor scale for the reference: its output
    multiplier is 0 and every output is the zero point (as LiteRT's einsum
    test models show). Bit-exact means the same zeros."""
    rng = np.random.default_rng(8)
    w = rng.integers(-127, 127, size=(16, 4), endpoint=True).astype(np.int8)
    path = _bmm_model((3, 16), (16, 4), np.int8, rhs_const=w, scales=(3e-4, 0.02, 1e-3),
                      rhs_channel_scales=[0.01, 0.02, 0.03, 0.04])
    refs = _check(path, [[_full_range_s16(rng, (3, 16))]])
    assert not np.any(refs[0][0])


def test_batch_matmul_int16_needs_zero_points_0():
    g = sm.Graph()
    lhs = g.tensor((2, 3), np.int16, (1e-3, 4), graph_input=True)
    rhs = g.tensor((3, 2), np.int16, (1e-3, 0), graph_input=True)
    out = g.tensor((2, 2), np.int16, (1e-3, 0))
    g.op("BATCH_MATMUL", [lhs, rhs], [out])
    with pytest.raises(pyruntime.ModelError, match="zero points 0"):
        pyruntime.Interpreter(str(g.save([out])))


# ----------------------------------------------------------------------------
# QUANTIZE int16 <-> int32, int32 -> int8
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("in_dtype,out_dtype,in_q,out_q", [
    (np.int16, np.int32, (3e-4, 0), (1e-6, 0)),          # widen: multiplier > 1
    (np.int16, np.int32, (3e-4, 0), (4e-3, 7)),          # narrow scale, zero point
    (np.int32, np.int16, (1e-6, 0), (3e-4, 0)),          # SEANet quantize0 direction
    (np.int32, np.int16, (2e-7, 11), (1e-3, -3)),
    (np.int32, np.int8, (1e-6, -5), (0.02, 3)),
])
def test_quantize_int16_int32(in_dtype, out_dtype, in_q, out_q):
    g = sm.Graph()
    x = g.tensor((3, 50), in_dtype, in_q, graph_input=True)
    y = g.tensor((3, 50), out_dtype, out_q)
    g.op("QUANTIZE", [x], [y])
    path = g.save([y])
    rng = np.random.default_rng(11)
    info = np.iinfo(in_dtype)
    lo, hi = (info.min, info.max) if in_dtype == np.int16 else (-3_000_000, 3_000_000)
    sets = [[rng.integers(lo, hi, size=(3, 50), endpoint=True).astype(in_dtype)]]
    if in_dtype == np.int32:  # extremes: the subtraction of the zero point wraps as in the reference
        sets.append([np.resize(np.array([info.min, info.max, 0, -1, 1], np.int32), (3, 50))])
    refs = _check(path, sets)
    assert np.unique(refs[0][0]).size > 20


# ----------------------------------------------------------------------------
# SOFTMAX int8 -> int16
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("shape,in_scale,beta,out_q", [
    ((1, 2), 0.0625, 1.0, (1 / 65536, -32768)),      # keyword model: 2 classes
    ((3, 17), 0.1, 1.0, (1 / 65536, -32768)),
    ((2, 4, 40), 0.05, 0.7, (1 / 32768, 0)),         # the reference ignores the output's parameters
])
def test_softmax_int8_to_int16(shape, in_scale, beta, out_q):
    g = sm.Graph()
    x = g.tensor(shape, np.int8, (in_scale, 3), graph_input=True)
    y = g.tensor(shape, np.int16, out_q)
    g.op("SOFTMAX", [x], [y])
    g.ops[-1].builtinOptionsType = S.BuiltinOptions.SoftmaxOptions
    g.ops[-1].builtinOptions = S.SoftmaxOptionsT()
    g.ops[-1].builtinOptions.beta = beta
    path = g.save([y])
    rng = np.random.default_rng(13)
    sets = [[rng.integers(-128, 127, size=shape, endpoint=True).astype(np.int8)] for _ in range(3)]
    sets.append([np.full(shape, 5, np.int8)])
    refs = _check(path, sets)
    assert np.unique(refs[0][0]).size > 1
