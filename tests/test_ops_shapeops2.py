"""SQUEEZE, EXPAND_DIMS, SLICE, SPLIT, SPLIT_V, UNPACK, TRANSPOSE, GATHER,
TILE, BROADCAST_TO, RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR, REDUCE_MAX,
REDUCE_MIN, ARG_MAX, ARG_MIN, DEPTH_TO_SPACE and SPACE_TO_DEPTH against
LiteRT: bit-exact with the reference kernels (BUILTIN_REF) for every dtype,
float32 resize within the float oracle (model_kinds.float_oracle) of BUILTIN_REF.

Most models are hand-built (shape_models.Graph); ``fan_out`` puts several
cases of one op on the same input so that one reference run checks them all.
"""

from __future__ import annotations

import numpy as np
import pytest

import model_kinds as mk
import pyruntime
import shape_models as sm
from bitexact import assert_bit_exact
from model_zoo import reference_output

Q8 = [(0.05, -128), (0.05, 127), (0.1, 3)]
ANY_DTYPES = [(np.int8, (0.1, -5)), (np.uint8, (0.02, 200)), (np.int16, (0.01, 0)),
              (np.int32, None), (np.int64, None), (np.float32, None), (np.bool_, None)]


def expect_model_error(path, *fragments):
    with pytest.raises(pyruntime.ModelError) as e:
        pyruntime.Interpreter(str(path))
    for f in fragments:
        assert f in str(e.value), str(e.value)


def run_ours(path, inputs):
    out = pyruntime.Interpreter(str(path)).run(list(inputs))
    return out if isinstance(out, list) else [out]


def assert_same_as_reference(path, inputs):
    """Given inputs (the random ones would be out of range, e.g. indices)."""
    ours, ref = run_ours(path, inputs), reference_output(path, list(inputs))
    for o, r in zip(ours, ref):
        assert o.dtype == r.dtype and o.shape == r.shape and np.array_equal(o, r), (o, r)


# ----------------------------------------------------------------------------
# SQUEEZE / EXPAND_DIMS
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype,q", ANY_DTYPES)
def test_squeeze_expand_dims_all_dtypes(dtype, q):
    g = sm.Graph()
    x = g.tensor((1, 3, 1, 4), dtype, q, graph_input=True)
    outs = []
    for dims in ([], [0], [-2, 0, 2]):
        outs.append(g.tensor([1], dtype, q))
        g.op("SQUEEZE", [x], [outs[-1]], squeezeDims=dims)
    for axis, adt in ((0, np.int32), (-1, np.int64), (2, np.int32), (-5, np.int32)):
        outs.append(g.tensor([1], dtype, q))
        g.op("EXPAND_DIMS", [x, g.const([axis], adt)], [outs[-1]])
    refs = assert_bit_exact(g.save(outs), seeds=(0,))
    assert [r.shape for r in refs[0]] == [(3, 4), (3, 1, 4), (3, 4), (1, 1, 3, 1, 4),
                                          (1, 3, 1, 4, 1), (1, 3, 1, 1, 4), (1, 1, 3, 1, 4)]


def test_squeeze_expand_errors():
    expect_model_error(sm.unary("SQUEEZE", (1, 3), np.int8, q=(0.1, 0), squeezeDims=[1]),
                       "squeeze dim 1", "expected 1")
    expect_model_error(sm.unary("SQUEEZE", (1, 3), np.int8, q=(0.1, 0), squeezeDims=[2]),
                       "out of range")
    expect_model_error(sm.unary("EXPAND_DIMS", (2, 3), np.int8, [[3]], q=(0.1, 0)), "axis 3")


# ----------------------------------------------------------------------------
# SLICE
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("q", Q8)
def test_slice_int8(q):
    cases = [([[0, 1, 2, 0], [1, 3, -1, 2]], {}), ([[0, 0, 0, 3], [-1, -1, -1, -1]], {}),
             ([[0, 4, 6, 5], [1, 0, 1, 0]], {}), ([[0, 1, 0, 0], [1, 2, 7, 5]], {})]
    cases = [([np.array(b), np.array(s)], o) for (b, s), o in cases]
    assert_bit_exact(sm.fan_out("SLICE", (1, 4, 7, 5), np.int8, cases, q=q), seeds=(0, 1))


@pytest.mark.parametrize("dtype,q", ANY_DTYPES[1:])
def test_slice_other_dtypes_int64_indices(dtype, q):
    begin, size = np.array([1, 0, 2, 1, 0]), np.array([1, -1, 3, 1, 2])
    path = sm.unary("SLICE", (2, 3, 6, 2, 3), dtype, [(begin, np.int64), (size, np.int64)], q=q)
    assert assert_bit_exact(path, seeds=(0,))[0][0].shape == (1, 3, 3, 1, 2)


def test_slice_errors():
    expect_model_error(sm.unary("SLICE", (4, 5), np.int8, [[2, 2], [3, 2]], q=(0.1, 0)),
                       "does not fit")
    expect_model_error(sm.unary("SLICE", (4, 5), np.int8, [[-1, 0], [1, 1]], q=(0.1, 0)),
                       "begin -1")
    expect_model_error(sm.unary("SLICE", (4, 5), np.int8, [[0], [1]], q=(0.1, 0)), "shape [2]")


# ----------------------------------------------------------------------------
# SPLIT / SPLIT_V / UNPACK
# ----------------------------------------------------------------------------

def _split(in_shape, dtype, q, axis, n, out_q=None):
    g = sm.Graph()
    a = g.const([axis])
    x = g.tensor(in_shape, dtype, q, graph_input=True)
    outs = [g.tensor([1], dtype, out_q or q) for _ in range(n)]
    g.op("SPLIT", [a, x], outs, numSplits=n)
    return g.save(outs)


@pytest.mark.parametrize("in_shape,axis,n", [((1, 4, 6, 9), -1, 3), ((2, 6, 3), 0, 2),
                                              ((2, 6, 3), 1, 6), ((5,), 0, 1)])
def test_split_int8(in_shape, axis, n):
    assert_bit_exact(_split(in_shape, np.int8, (0.05, -128), axis, n), seeds=(0, 1))


@pytest.mark.parametrize("dtype,q", ANY_DTYPES[1:-1])  # the reference has no bool SPLIT
def test_split_other_dtypes(dtype, q):
    assert_bit_exact(_split((2, 4, 3), dtype, q, -2, 2), seeds=(0,))


def _split_v(in_shape, dtype, q, sizes, axis, size_dtype=np.int32):
    g = sm.Graph()
    x = g.tensor(in_shape, dtype, q, graph_input=True)
    s, a = g.const(sizes, size_dtype), g.const([axis])
    outs = [g.tensor([1], dtype, q) for _ in sizes]
    g.op("SPLIT_V", [x, s, a], outs, numSplits=len(sizes))
    return g.save(outs)


@pytest.mark.parametrize("sizes,axis,size_dtype", [([2, -1, 1], -1, np.int32),
                                                    ([0, 3, 4], 2, np.int64),
                                                    ([1, 1], 0, np.int32)])
def test_split_v(sizes, axis, size_dtype):
    for dtype, q in ((np.int8, (0.05, 127)), (np.float32, None)):
        refs = assert_bit_exact(_split_v((2, 3, 7), dtype, q, sizes, axis, size_dtype), seeds=(0,))
        assert len(refs[0]) == len(sizes)


def test_split_errors():
    expect_model_error(_split((2, 5), np.int8, (0.1, 0), 1, 2), "not an even split")
    expect_model_error(_split((2, 5), np.int8, (0.1, 0), 2, 1), "out of range")
    expect_model_error(_split_v((2, 5), np.int8, (0.1, 0), [-1, -1], 1), "more than one -1")
    expect_model_error(_split_v((2, 5), np.int8, (0.1, 0), [2, 2], 1), "differs from dim")


def _unpack(in_shape, dtype, q, axis, out_q=None):
    g = sm.Graph()
    x = g.tensor(in_shape, dtype, q, graph_input=True)
    n = in_shape[axis]
    outs = [g.tensor([1], dtype, out_q or q) for _ in range(n)]
    g.op("UNPACK", [x], outs, num=n, axis=axis)
    return g.save(outs)


@pytest.mark.parametrize("in_shape,axis", [((3, 4, 5), 0), ((2, 4, 3), -1), ((2, 3, 1, 4), 1)])
def test_unpack(in_shape, axis):
    assert_bit_exact(_unpack(in_shape, np.int8, (0.05, -128), axis), seeds=(0,))
    assert_bit_exact(_unpack(in_shape, np.float32, None, axis), seeds=(0,))


def test_unpack_requires_equal_quantization():
    expect_model_error(_unpack((2, 3), np.int8, (0.1, 0), 0, out_q=(0.2, 0)),
                       "equal quantization")


# ----------------------------------------------------------------------------
# TRANSPOSE
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("in_shape,perms", [
    ((1, 5, 6, 7), [[0, 3, 1, 2], [0, 2, 3, 1], [3, 2, 1, 0], [0, -1, 1, -2]]),
    ((3, 8), [[1, 0], [0, 1]]),
    ((2, 3, 1, 4, 5), [[4, 0, 3, 2, 1], [1, 0, 2, 4, 3]]),
    ((2, 3, 2, 1, 3, 2), [[5, 4, 3, 2, 1, 0], [0, 2, 4, 1, 3, 5]]),
])
def test_transpose_int8(in_shape, perms):
    path = sm.fan_out("TRANSPOSE", in_shape, np.int8, [([p], {}) for p in perms], q=(0.05, 127))
    assert_bit_exact(path, seeds=(0, 1))


# NCHW <-> NHWC of images: a few channels against thousands of pixels (the
# copy loops over blocks of pixels, a partial last block here).
@pytest.mark.parametrize("in_shape,perm", [((2, 3, 50, 61), [0, 2, 3, 1]),
                                           ((1, 47, 45, 4), [0, 3, 1, 2]),
                                           ((1, 15, 300), [0, 2, 1])])
@pytest.mark.parametrize("dtype,q", [(np.int8, (0.05, 3)), (np.float32, None)])
def test_transpose_images(in_shape, perm, dtype, q):
    assert_bit_exact(sm.unary("TRANSPOSE", in_shape, dtype, [perm], q=q), seeds=(0,))


@pytest.mark.parametrize("dtype,q", ANY_DTYPES[1:])
def test_transpose_other_dtypes(dtype, q):
    assert_bit_exact(sm.unary("TRANSPOSE", (2, 3, 4), dtype, [[2, 0, 1]], q=q), seeds=(0,))


def test_transpose_errors():
    expect_model_error(sm.unary("TRANSPOSE", (2, 3), np.int8, [[0, 0]], q=(0.1, 0)), "repeats")
    expect_model_error(sm.unary("TRANSPOSE", (2, 3), np.int8, [[0, 2]], q=(0.1, 0)), "out of range")


# ----------------------------------------------------------------------------
# GATHER
# ----------------------------------------------------------------------------

def _gather(in_shape, dtype, q, indices, idx_dtype=np.int32, constant=True, **opts):
    g = sm.Graph()
    x = g.tensor(in_shape, dtype, q, graph_input=True)
    indices = np.asarray(indices, idx_dtype)
    i = g.const(indices, idx_dtype) if constant else g.tensor(indices.shape, idx_dtype,
                                                               graph_input=True)
    out = g.tensor([1], dtype, q)
    g.op("GATHER", [x, i], [out], **opts)
    return g.save([out])


@pytest.mark.parametrize("in_shape,indices,idx_dtype,axis,batch_dims", [
    ((5, 3), [4, 0, 0, 2], np.int32, 0, 0),
    ((2, 6, 4), [[5, 1], [0, 0], [3, 2]], np.int64, 1, 0),
    ((2, 6, 4), [3], np.int16, -1, 0),
    ((3, 5, 2), [[4, 0, 1], [2, 2, 3], [0, 1, 4]], np.int32, 1, 1),
    ((2, 3, 4, 2), [[1, 0], [2, 1]], np.int32, 2, -1),
    ((4, 3), 2, np.int32, 0, 0),
])
def test_gather_constant_indices(in_shape, indices, idx_dtype, axis, batch_dims):
    for dtype, q in ((np.int8, (0.05, -128)), (np.float32, None), (np.bool_, None)):
        assert_bit_exact(_gather(in_shape, dtype, q, indices, idx_dtype, axis=axis,
                                 batchDims=batch_dims), seeds=(0,))


def test_gather_runtime_indices():
    path = _gather((6, 3), np.int8, (0.1, 2), [[0, 5], [2, 2]], constant=False, axis=0)
    x = np.arange(18, dtype=np.int8).reshape(6, 3)
    idx = np.array([[5, 0], [3, 3]], np.int32)
    assert_same_as_reference(path, [x, idx])
    # Out of range at run time: TFLite fails the invoke; ours zeroes those rows.
    out = run_ours(path, [x, np.array([[1, 6], [-1, 0]], np.int32)])[0]
    np.testing.assert_array_equal(out, [[x[1], 0 * x[0]], [0 * x[0], x[0]]])


def test_gather_errors():
    expect_model_error(_gather((5, 3), np.int8, (0.1, 0), [0, 5], axis=0), "index 5", "[0, 5)")
    expect_model_error(_gather((5, 3), np.int8, (0.1, 0), [-1], axis=0), "index -1")
    expect_model_error(_gather((5, 3), np.int8, (0.1, 0), [0], axis=2), "out of range")
    expect_model_error(_gather((2, 3), np.int8, (0.1, 0), [[0], [1]], axis=1, batchDims=2),
                       "batch_dims")


# ----------------------------------------------------------------------------
# TILE / BROADCAST_TO
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype,q", ANY_DTYPES)
def test_tile_all_dtypes(dtype, q):
    cases = [([[2, 1, 3]], {}), ([([1, 3, 1], np.int64)], {}), ([[1, 1, 1]], {}), ([[3, 2, 2]], {})]
    assert_bit_exact(sm.fan_out("TILE", (2, 3, 5), dtype, cases, q=q), seeds=(0,))


@pytest.mark.parametrize("dtype,q", [(np.int8, (0.05, 127)), (np.float32, None), (np.int32, None)])
def test_broadcast_to(dtype, q):
    cases = [([[2, 3, 4]], {}), ([([4, 2, 3, 1], np.int64)], {}), ([[3, 4]], {}),
             ([[2, 1, 3, 4]], {})]
    assert_bit_exact(sm.fan_out("BROADCAST_TO", (3, 1), dtype, cases, q=q), seeds=(0,))


def test_tile_broadcast_errors():
    expect_model_error(sm.unary("TILE", (2, 3), np.int8, [[1, -1]], q=(0.1, 0)), "multiplier -1")
    expect_model_error(sm.unary("TILE", (2, 3), np.int8, [[1]], q=(0.1, 0)), "shape [2]")
    expect_model_error(sm.unary("BROADCAST_TO", (2, 3), np.int8, [[4, 3]], q=(0.1, 0)),
                       "cannot broadcast")


# ----------------------------------------------------------------------------
# RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR
# ----------------------------------------------------------------------------

SIZES = [(8, 10), (9, 13), (3, 2), (1, 1), (4, 5), (2, 11), (17, 3)]
MODES = [dict(alignCorners=False, halfPixelCenters=False),
         dict(alignCorners=True, halfPixelCenters=False),
         dict(alignCorners=False, halfPixelCenters=True)]


def _resize_cases(modes):
    return [([np.array(s)], m) for s in SIZES for m in modes]


@pytest.mark.parametrize("dtype,q,batch", [(np.int8, (0.05, -128), 1), (np.int8, (0.1, 7), 2),
                                           (np.uint8, (0.02, 128), 1), (np.int16, (0.01, 0), 2)])
def test_resize_bilinear_bit_exact(dtype, q, batch):
    path = sm.fan_out("RESIZE_BILINEAR", (batch, 4, 5, 3), dtype, _resize_cases(MODES), q=q)
    assert_bit_exact(path, seeds=(0, 1))


@pytest.mark.parametrize("dtype,q", [(np.int8, (0.05, 127)), (np.uint8, (0.02, 0)),
                                     (np.float32, None), (np.int32, None), (np.int16, (0.1, 0))])
def test_resize_nearest_bit_exact(dtype, q):
    modes = MODES + [dict(alignCorners=True, halfPixelCenters=True)]
    path = sm.fan_out("RESIZE_NEAREST_NEIGHBOR", (2, 4, 5, 3), dtype, _resize_cases(modes), q=q)
    assert_bit_exact(path, seeds=(0,))


def test_resize_float32_vs_reference():
    g = sm.Graph()
    x = g.tensor((2, 5, 4, 3), np.float32, graph_input=True)
    outs = []
    for name in ("RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"):
        for size in SIZES:
            for m in MODES:
                outs.append(g.tensor([1], np.float32))
                g.op(name, [x, g.const(size)], [outs[-1]], **m)
    path = g.save(outs)
    sets = [mk.random_float_inputs(path, s) for s in (0, 1)]
    oracle = mk.float_oracle(path, sets)
    interp = pyruntime.Interpreter(str(path))
    oracle.check([interp.run(list(inputs)) for inputs in sets], str(path))


def test_resize_errors():
    both = dict(alignCorners=True, halfPixelCenters=True)
    expect_model_error(sm.unary("RESIZE_BILINEAR", (1, 4, 4, 1), np.int8, [[8, 8]], q=(0.1, 0),
                                **both), "cannot both")
    expect_model_error(sm.unary("RESIZE_BILINEAR", (1, 4, 4, 1), np.int8, [[0, 8]], q=(0.1, 0)),
                       "output size 0")
    expect_model_error(sm.unary("RESIZE_BILINEAR", (4, 4, 1), np.int8, [[8, 8]], q=(0.1, 0)),
                       "4-D")
    expect_model_error(sm.unary("RESIZE_BILINEAR", (1, 4, 4, 1), np.int32, [[8, 8]]),
                       "bilinear input type")
    g = sm.Graph()  # the size as a graph input: planned at invoke
    x = g.tensor((1, 4, 4, 1), np.int8, (0.1, 0), graph_input=True)
    size = g.tensor((2,), np.int32, graph_input=True)
    out = g.tensor((1, 8, 8, 1), np.int8, (0.1, 0))
    g.op("RESIZE_NEAREST_NEIGHBOR", [x, size], [out])
    path = g.save([out])
    x = np.arange(16, dtype=np.int8).reshape(1, 4, 4, 1)
    with pytest.raises(pyruntime.ModelError, match="output size 0"):
        run_ours(path, [x, np.array([0, 8], np.int32)])
    assert_same_as_reference(path, [x, np.array([8, 3], np.int32)])


# ----------------------------------------------------------------------------
# REDUCE_MAX / REDUCE_MIN
# ----------------------------------------------------------------------------

AXES = [[1, 2], [-1], [0, 1, 2, 3], [3, -1, 0], [2]]


@pytest.mark.parametrize("name", ["REDUCE_MAX", "REDUCE_MIN"])
@pytest.mark.parametrize("dtype,q", [(np.int8, (0.05, -128)), (np.int8, (0.1, 127)),
                                     (np.float32, None), (np.uint8, (0.1, 3)), (np.int32, None)])
def test_reduce_min_max(name, dtype, q):
    cases = [([a], dict(keepDims=k)) for a in AXES for k in (False, True)]
    assert_bit_exact(sm.fan_out(name, (2, 5, 3, 7), dtype, cases, q=q), seeds=(0, 1))


def test_reduce_requires_equal_quantization():
    expect_model_error(sm.unary("REDUCE_MAX", (2, 3), np.int8, [[1]], q=(0.1, 0), out_q=(0.1, 1)),
                       "equal quantization")
    expect_model_error(sm.unary("REDUCE_MIN", (2, 3), np.int8, [[2]], q=(0.1, 0)), "axis 2")


# ----------------------------------------------------------------------------
# ARG_MAX / ARG_MIN
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("name,opt", [("ARG_MAX", "outputType"), ("ARG_MIN", "outputType")])
@pytest.mark.parametrize("dtype,q", [(np.int8, (0.05, -128)), (np.uint8, (0.1, 3)),
                                     (np.float32, None), (np.int32, None), (np.bool_, None)])
def test_arg_min_max(name, opt, dtype, q):
    # 300 int8 values along the axis tie often: the first index must win.
    g = sm.Graph()
    x = g.tensor((2, 300, 3), dtype, q, graph_input=True)
    outs = []
    for out_type, otype in ((np.int32, sm.S.TensorType.INT32), (np.int64, sm.S.TensorType.INT64)):
        for axis, adt in ((1, np.int32), (-1, np.int64), (0, np.int32)):
            outs.append(g.tensor([1], out_type))
            g.op(name, [x, g.const([axis], adt)], [outs[-1]], **{opt: otype})
    refs = assert_bit_exact(g.save(outs), seeds=(0,))
    assert refs[0][0].dtype == np.int32 and refs[0][3].dtype == np.int64


def test_arg_max_errors():
    g = sm.Graph()
    x = g.tensor((2, 3), np.int8, (0.1, 0), graph_input=True)
    out = g.tensor([1], np.int32)
    g.op("ARG_MAX", [x, g.const([0])], [out], outputType=sm.S.TensorType.INT64)
    expect_model_error(g.save([out]), "expected int64")


# ----------------------------------------------------------------------------
# DEPTH_TO_SPACE / SPACE_TO_DEPTH
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype,q", [(np.int8, (0.05, -128)), (np.float32, None), (np.int64, None),
                                     (np.uint8, (0.1, 3))])
def test_depth_space(dtype, q):
    g = sm.Graph()
    x = g.tensor((2, 6, 3, 18), dtype, q, graph_input=True)
    outs = []
    for name, b in (("DEPTH_TO_SPACE", 3), ("SPACE_TO_DEPTH", 3), ("DEPTH_TO_SPACE", 1)):
        outs.append(g.tensor([1], dtype, q))
        g.op(name, [x], [outs[-1]], blockSize=b)
    round_trip = g.tensor([1], dtype, q)
    g.op("SPACE_TO_DEPTH", [outs[0]], [round_trip], blockSize=3)
    refs = assert_bit_exact(g.save(outs + [round_trip]), seeds=(0,))
    assert refs[0][0].shape == (2, 18, 9, 2) and refs[0][1].shape == (2, 2, 1, 162)


def test_depth_space_errors():
    expect_model_error(sm.unary("DEPTH_TO_SPACE", (1, 2, 2, 6), np.int8, q=(0.1, 0), blockSize=2),
                       "multiple of block_size^2")
    expect_model_error(sm.unary("SPACE_TO_DEPTH", (1, 3, 2, 6), np.int8, q=(0.1, 0), blockSize=2),
                       "multiples of block_size")
    expect_model_error(sm.unary("SPACE_TO_DEPTH", (1, 2, 2, 6), np.int8, q=(0.1, 0), blockSize=0),
                       "block_size 0")


# ----------------------------------------------------------------------------
# Converter-made models
# ----------------------------------------------------------------------------

# UpSampling2D(interpolation="nearest") converts to TILE version 3, which
# BUILTIN_REF lacks; nearest is covered by Resizing below.
@pytest.mark.parametrize("io,batch", [("int8", 1), ("uint8", 2), ("float32", 1)])
def test_keras_upsampling_bilinear(io, batch):
    assert_bit_exact(sm.keras_resize_model(interpolation="bilinear", io=io, batch=batch))


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_keras_resizing(interpolation):
    assert_bit_exact(sm.keras_resizing_model(interpolation=interpolation, calib_scale=3.0))


def test_keras_movement_ops():
    assert_bit_exact(sm.keras_movement_ops_model(batch=2))


@pytest.mark.parametrize("batch", [1, 2])
def test_keras_float32_vs_reference(batch):
    path = sm.float_shape_ops_model(batch=batch)
    sets = [mk.random_float_inputs(path, s) for s in (0, 1)]
    oracle = mk.float_oracle(path, sets)
    interp = pyruntime.Interpreter(str(path))
    oracle.check([interp.run(list(inputs)) for inputs in sets], str(path))


# ----------------------------------------------------------------------------
# Robustness: corrupted models with these ops never crash (tests/test_fuzz.py
# mutates only conv / dense models).
# ----------------------------------------------------------------------------

def _fuzz_seeds():
    q = (0.1, 3)
    return [
        sm.fan_out("RESIZE_BILINEAR", (2, 4, 5, 3), np.int8, _resize_cases(MODES[:2])[:4], q=q),
        sm.fan_out("RESIZE_NEAREST_NEIGHBOR", (1, 4, 5, 3), np.float32, _resize_cases(MODES)[:3]),
        _gather((3, 5, 2), np.int8, q, [[4, 0], [2, 2], [0, 1]], axis=1, batchDims=1),
        _gather((6, 3), np.int8, q, [[0, 5]], constant=False, axis=0),
        _split_v((2, 3, 7), np.int8, q, [2, -1, 1], -1),
        _unpack((2, 4, 3), np.int8, q, 1),
        sm.fan_out("TRANSPOSE", (2, 3, 4, 5), np.int8, [([[3, 1, 0, 2]], {})], q=q),
        sm.fan_out("TILE", (2, 3), np.int8, [([[2, 3]], {})], q=q),
        sm.fan_out("BROADCAST_TO", (3, 1), np.int8, [([[2, 3, 4]], {})], q=q),
        sm.fan_out("REDUCE_MAX", (2, 5, 3), np.int8, [([[0, -1]], dict(keepDims=True))], q=q),
        sm.fan_out("ARG_MIN", (2, 5, 3), np.int8, [([[1]], dict(outputType=2))], q=q,
                   out_dtype=np.int32),
        sm.unary("DEPTH_TO_SPACE", (1, 2, 3, 8), np.int8, q=q, blockSize=2),
        sm.unary("SLICE", (3, 4, 5), np.int8, [[1, 0, 2], [2, -1, 3]], q=q),
        sm.unary("SQUEEZE", (1, 3, 1), np.int8, q=q, squeezeDims=[-1]),
    ]


def test_mutated_shape_op_models_never_crash():
    from crash_harness import run_cases
    from mutations import corpus

    seeds = [p.read_bytes() for p in _fuzz_seeds()]
    outcome = run_cases(corpus(seeds, 150, seed=77))
    assert not outcome.crashes, f"crashes on cases {outcome.crashes[:20]}"
    assert not outcome.hangs, f"hangs on cases {outcome.hangs[:20]}"
    assert not outcome.unexpected, f"non-ModelError exceptions on cases {outcome.unexpected[:20]}"
    assert outcome.loaded > 100 and outcome.rejected > 100


def test_resize_bilinear_extreme_ratio_stays_in_bounds():
    # in 3 -> out 4095 with half_pixel_centers: the reference's rounded 10-bit
    # scale (1) runs past the last input row (an out-of-bounds read there);
    # ours stays on the last row, so the final rows repeat it.
    x = np.arange(3 * 2 * 2, dtype=np.int8).reshape(1, 3, 2, 2) * 9
    for dtype in (np.int8, np.uint8, np.float32):
        path = sm.unary("RESIZE_BILINEAR", (1, 3, 2, 2), dtype, [[4095, 2]],
                        q=None if dtype == np.float32 else (0.1, 0), halfPixelCenters=True)
        out = run_ours(path, [x.astype(dtype)])[0]
        assert out.shape == (1, 4095, 2, 2)
        np.testing.assert_array_equal(out[0, -1], x[0, -1].astype(dtype))
        np.testing.assert_array_equal(out[0, -600], x[0, -1].astype(dtype))
