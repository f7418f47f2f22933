"""ADD / SUB / MUL / MEAN / SUM against LiteRT's reference kernels.

Models come from op_models (random inputs and outputs calibrated by the
converter) and from flatbuffer edits of those models: quantization parameters
set to extremes, the axis constant of MEAN replaced, or every int8 tensor
turned into uint8 (same real values: zero points and constants shifted by 128).
"""

from __future__ import annotations

import numpy as np
import pytest

import model_zoo
import op_models
from bitexact import assert_bit_exact
from model_zoo import args_key, cached_build
from op_models import OP_CACHE_DIR, op_model

_INT8, _UINT8, _INT32 = 9, 3, 2  # TensorType codes in the TFLite schema

BINARY = {"add": op_models.add_model, "sub": op_models.sub_model, "mul": op_models.mul_model}


# ----------------------------------------------------------------------------
# Model builders local to this module
# ----------------------------------------------------------------------------

@op_model
def const_binary_model(keras, op="add", in_shape=(5, 5, 8), const_shape=(8,), const_first=False,
                       activation=None, batch_size=1):
    """ADD/SUB/MUL of an input and a seeded constant (scalar: const_shape=())."""
    x = keras.Input(batch_shape=(batch_size,) + tuple(in_shape), name="in0")
    c = (np.random.default_rng(7).standard_normal(const_shape) * 2.0 + 0.5).astype(np.float32)
    fn = {"add": keras.ops.add, "sub": keras.ops.subtract, "mul": keras.ops.multiply}[op]
    y = fn(c, x) if const_first else fn(x, c)
    return x, op_models._act(keras, y, activation)


@op_model
def hard_sigmoid_gate_model(keras, in_shape=(7, 7, 16), batch_size=1):
    """MobileNetV3 style x * hard_sigmoid(mean(x)), hard_sigmoid(v) = relu6(v + 3) / 6
    (no conv in between, so the converter cannot fold the + 3 into a bias)."""
    x = keras.Input(batch_shape=(batch_size,) + tuple(in_shape), name="in0")
    s = keras.ops.mean(x, axis=(1, 2), keepdims=True)
    s = keras.ops.multiply(keras.ops.relu6(keras.ops.add(s, 3.0)), 1.0 / 6.0)
    return x, keras.ops.multiply(x, s)


@op_model
def sum_model(keras, in_shape=(6, 6, 8), axes=(1, 2), keepdims=True, batch_size=1):
    x = keras.Input(batch_shape=(batch_size,) + tuple(in_shape), name="in0")
    return x, keras.ops.sum(x, axis=tuple(axes), keepdims=keepdims)


# ----------------------------------------------------------------------------
# Flatbuffer edits
# ----------------------------------------------------------------------------

def _schema():
    from ai_edge_litert import schema_py_generated as schema

    return schema


def _edited(src, tag, edit):
    """Cached copy of model `src` transformed by edit(model_t) (ModelT object API)."""
    import flatbuffers

    path = OP_CACHE_DIR / f"{src.stem}_{tag}_{args_key(src.name, tag)}.tflite"

    def build() -> bytes:
        schema = _schema()
        model = schema.ModelT.InitFromPackedBuf(src.read_bytes(), 0)
        edit(model)
        b = flatbuffers.Builder(1024)
        b.Finish(model.Pack(b), file_identifier=b"TFL3")
        return bytes(b.Output())

    return cached_build(path, build)


def _op_tensors(model):
    sg = model.subgraphs[0]
    op = sg.operators[0]
    return sg, [sg.tensors[i] for i in op.inputs], [sg.tensors[i] for i in op.outputs]


def with_quant(src, inputs=(), output=None):
    """Sets (scale, zero_point) of the first op's inputs (a list, None = keep) and output."""

    def edit(model):
        _, ins, outs = _op_tensors(model)
        for t, q in list(zip(ins, inputs)) + [(outs[0], output)]:
            if q is not None:
                t.quantization.scale = np.array([q[0]], np.float32)
                t.quantization.zeroPoint = np.array([q[1]], np.int64)

    return _edited(src, f"q{args_key(list(inputs), output)}", edit)


def with_axes(src, axes):
    """Replaces the axis constant (input 1) of the first op."""

    def edit(model):
        _, ins, _ = _op_tensors(model)
        t = ins[1]
        assert t.type == _INT32
        t.shape = np.array([len(axes)], np.int32)
        model.buffers[t.buffer].data = np.array(axes, "<i4").view(np.uint8)

    return _edited(src, f"axes{args_key(list(axes))}", edit)


def to_uint8(src):
    """Same model with uint8 tensors: q_u8 = q_i8 + 128 and zero points + 128."""

    def edit(model):
        sg = model.subgraphs[0]
        for t in sg.tensors:
            if t.type != _INT8:
                continue
            t.type = _UINT8
            t.quantization.zeroPoint = t.quantization.zeroPoint + 128
            buf = model.buffers[t.buffer]
            if buf.data is not None and len(buf.data):
                buf.data = (np.asarray(buf.data, np.uint8) ^ 0x80).astype(np.uint8)

    return _edited(src, "u8", edit)


def _io_dtypes(path):
    d = model_zoo.model_io_details(path)
    return {np.dtype(x["dtype"]) for x in d["inputs"] + d["outputs"]}


# ----------------------------------------------------------------------------
# ADD / SUB / MUL
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("activation", [None, "relu", "relu6", "relu_n1_to_1"])
def test_binary_same_shape_activations(op, activation):
    assert_bit_exact(BINARY[op](shape_a=(5, 7, 3), activation=activation, batch=2))


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("shape_a,shape_b", [
    ((6, 5, 8), (1, 1, 8)),         # squeeze-excite: [N,H,W,C] x [N,1,1,C]
    ((1, 1, 8), (6, 5, 8)),         # broadcast operand first
    ((4, 5, 6), (4, 5, 1)),         # per-pixel scalar along the inner dim
    ((4, 1, 6), (1, 5, 1)),         # both operands broadcast
    ((3, 1, 4, 1, 5), (1, 2, 1, 3, 5)),  # rank 6 with the batch
])
def test_binary_broadcast(op, shape_a, shape_b):
    assert_bit_exact(BINARY[op](shape_a=shape_a, shape_b=shape_b, batch=2))


@pytest.mark.parametrize("op", ["add", "sub", "mul"])
@pytest.mark.parametrize("const_shape,const_first", [((), False), ((8,), False), ((8,), True),
                                                    ((5, 1, 8), False)])
def test_binary_with_constant(op, const_shape, const_first):
    assert_bit_exact(const_binary_model(op=op, const_shape=const_shape, const_first=const_first))


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("zp_in,zp_out", [(-128, 127), (127, -128), (-128, -128), (127, 127)])
def test_binary_extreme_zero_points(op, zp_in, zp_out):
    src = BINARY[op](shape_a=(3, 5, 7), shape_b=(1, 1, 7))
    assert_bit_exact(with_quant(src, inputs=[(0.05, zp_in), (0.11, -zp_in - 1)], output=(0.2, zp_out)))


@pytest.mark.parametrize("scales", [
    (0.02, 0.02, 0.01),       # equal input scales
    (1e-3, 0.5, 0.7),         # very different input scales
    (0.3, 0.01, 3e-6),        # tiny output scale: ADD output multiplier near its limit
])
@pytest.mark.parametrize("op", ["add", "sub"])
def test_add_sub_scale_regimes(op, scales):
    src = BINARY[op](shape_a=(4, 4, 9))
    assert_bit_exact(with_quant(src, inputs=[(scales[0], 3), (scales[1], -9)], output=(scales[2], 1)))


@pytest.mark.parametrize("out_scale", [1e-3, 0.07, 40.0, 1e9])
def test_mul_multiplier_regimes(out_scale):
    # 1e-3: multiplier > 1 (positive shift); 1e9: below 2^-31 -> flushed to 0.
    src = op_models.mul_model(shape_a=(4, 4, 9), activation="relu6")
    assert_bit_exact(with_quant(src, inputs=[(0.3, -5), (0.45, 7)], output=(out_scale, -3)))


@pytest.mark.parametrize("op", sorted(BINARY))
def test_binary_uint8(op):
    src = BINARY[op](shape_a=(6, 5, 8), shape_b=(1, 1, 8), activation="relu", batch=2)
    path = to_uint8(src)
    assert _io_dtypes(path) == {np.dtype(np.uint8)}
    assert_bit_exact(path)


def test_squeeze_excite_block():
    path = hard_sigmoid_gate_model()
    assert {"MEAN", "ADD", "MUL"} <= set(model_zoo.op_names(path))
    assert_bit_exact(path)


# ----------------------------------------------------------------------------
# MEAN / SUM
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("in_shape,axes,keepdims,batch", [
    ((6, 6, 8), (1, 2), True, 1),
    ((7, 5, 3), (1, 2), False, 2),
    ((7, 5, 3), (3,), True, 2),
    ((7, 5, 3), (0,), False, 3),
    ((7, 5, 3), (0, 1, 2, 3), False, 2),
    ((9, 11), (1,), True, 2),
    ((4, 3, 5, 6), (1, 3), False, 1),
])
def test_mean(in_shape, axes, keepdims, batch):
    assert_bit_exact(op_models.mean_model(in_shape=in_shape, axes=axes, keepdims=keepdims, batch=batch))


@pytest.mark.parametrize("in_shape,batch", [((56, 56, 72), 1), ((29, 31, 37), 1), ((40, 40, 40), 2)])
@pytest.mark.parametrize("threads", [1, 2, 3, 7, 11])
def test_spatial_mean_any_thread_count(in_shape, batch, threads):
    """Large spatial means split their rows over threads (partial column sums
    added up afterwards): same bits as the reference at any thread count, with
    zero points at the extremes (big sums of -128s and 127s)."""
    src = op_models.mean_model(in_shape=in_shape, axes=(1, 2), keepdims=True, batch=batch)
    for zp_in, zp_out in [(0, 0), (-128, 127), (127, -128)]:
        assert_bit_exact(with_quant(src, inputs=[(0.05, zp_in)], output=(0.01, zp_out)),
                         seeds=(0,), num_threads=threads)


@pytest.mark.parametrize("axes", [(-2, 1), (2, -2), (-1, -1, 0), (1, 2, 1, 2)])
def test_mean_negative_and_duplicate_axes(axes):
    src = op_models.mean_model(in_shape=(6, 5, 8), axes=(1, 2), batch=2)
    assert_bit_exact(with_axes(src, axes))


@pytest.mark.parametrize("zp_in,zp_out,scales", [
    (-128, 127, (0.05, 0.05)),
    (127, -128, (0.05, 0.01)),
    (-128, -128, (0.02, 3.0)),   # output multiplier tiny
    (5, -7, (0.9, 1e-3)),        # multiplier > 1: the fold caps its shift
])
def test_mean_extreme_quant(zp_in, zp_out, scales):
    src = op_models.mean_model(in_shape=(13, 11, 4), axes=(1, 2))
    assert_bit_exact(with_quant(src, inputs=[(scales[0], zp_in)], output=(scales[1], zp_out)))


def test_mean_uint8():
    src = op_models.mean_model(in_shape=(7, 5, 6), axes=(1, 2), keepdims=False, batch=2)
    path = to_uint8(src)
    assert _io_dtypes(path) == {np.dtype(np.uint8)}
    assert_bit_exact(path)


@pytest.mark.parametrize("axes,keepdims", [((1, 2), True), ((3,), False), ((0, 1, 2, 3), False)])
def test_sum(axes, keepdims):
    path = sum_model(in_shape=(5, 4, 6), axes=axes, keepdims=keepdims, batch=2)
    assert "SUM" in model_zoo.op_names(path)
    assert_bit_exact(path)


def test_sum_uint8():
    assert_bit_exact(to_uint8(sum_model(in_shape=(5, 4, 6), axes=(2,))))


# ----------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------

def test_add_rejects_output_scale_too_small():
    import pyruntime

    src = op_models.add_model(shape_a=(2, 2, 3))
    path = with_quant(src, inputs=[(1.0, 0), (1.0, 0)], output=(1e-7, 0))
    with pytest.raises(pyruntime.ModelError, match=r"ADD.*output"):
        pyruntime.Interpreter(path)


def test_mean_rejects_bad_axis():
    import pyruntime

    src = op_models.mean_model(in_shape=(3, 3, 2), axes=(1, 2))
    with pytest.raises(pyruntime.ModelError, match=r"MEAN.*axis 4 is out of range"):
        pyruntime.Interpreter(with_axes(src, (1, 4)))


@pytest.mark.parametrize("zp", [-128, 3, 127])
def test_sum_int8_equal_quant(zp):
    # Equal input/output quantization: older TFLite took a plain-sum path here.
    src = sum_model(in_shape=(5, 4, 6), axes=(1, 2), batch=2)
    assert_bit_exact(with_quant(src, inputs=[(0.05, zp)], output=(0.05, zp)))
