"""16x8 models (int16 activations, int8 weights, int64 bias) bit-exact with
LiteRT's BUILTIN_REF kernels: small per-op models and MobileNetV2."""
from __future__ import annotations

import numpy as np
import pytest

import model_zoo
import pyruntime
from bitexact import assert_bit_exact
from int16_models import op16, zoo_model

SEEDS = (0, 1, 2)

CASES = {
    # CONV_2D: strides, dilation, padding, fused activations, odd sizes, no bias, batch > 1.
    "conv_same": ("conv_model", dict(in_shape=(9, 7, 3), filters=5)),
    "conv_stride2_valid": ("conv_model", dict(in_shape=(11, 10, 4), filters=6, strides=2, padding="valid")),
    "conv_dilation_relu6": ("conv_model", dict(in_shape=(10, 9, 3), filters=4, dilation=2,
                                               activation="relu6")),
    "conv_1x1_relu_batch3": ("conv_model", dict(in_shape=(5, 6, 8), filters=7, kernel=1, activation="relu",
                                                batch=3)),
    "conv_nobias_5x3": ("conv_model", dict(in_shape=(8, 8, 2), filters=3, kernel=(5, 3), use_bias=False,
                                           calib_scale=4.0)),
    "conv_relu_n1_to_1": ("conv_model", dict(in_shape=(6, 6, 3), filters=4, activation="relu_n1_to_1",
                                             calib_scale=0.1)),
    # DEPTHWISE_CONV_2D: depth multiplier, strides, dilation, batch.
    "dw_same": ("depthwise_model", dict(in_shape=(9, 8, 5))),
    "dw_mult2_stride2": ("depthwise_model", dict(in_shape=(10, 11, 3), depth_multiplier=2, strides=2,
                                                 padding="valid")),
    "dw_dilation_relu6_batch2": ("depthwise_model", dict(in_shape=(9, 9, 4), dilation=2, activation="relu6",
                                                         batch=2)),
    # FULLY_CONNECTED: batch, no bias, rank-3 input, activation.
    "dense": ("dense_model", dict(in_shape=(37,), units=11)),
    "dense_batch4_relu": ("dense_model", dict(in_shape=(20,), units=9, activation="relu", batch=4)),
    "dense_nobias": ("dense_model", dict(in_shape=(16,), units=5, use_bias=False, calib_scale=3.0)),
    "dense_rank3": ("dense_model", dict(in_shape=(3, 12), units=6)),
    # ADD: same shape, broadcasting as the converter emits it, activation, scales.
    "add": ("add_model", dict(shape_a=(4, 5, 6))),
    "add_bcast_channel": ("add_model", dict(shape_a=(4, 4, 8), shape_b=(1, 1, 8), batch=2)),
    "add_bcast_rows_relu": ("add_model", dict(shape_a=(3, 5, 7), shape_b=(3, 1, 7), activation="relu")),
    "add_scales": ("add_model", dict(shape_a=(2, 3, 9), calib_scale=(0.05, 6.0))),
    # MEAN.
    "mean_spatial": ("mean_model", dict(in_shape=(7, 7, 9))),
    "mean_spatial_nokeep_batch2": ("mean_model", dict(in_shape=(5, 6, 4), keepdims=False, batch=2)),
    "mean_channels": ("mean_model", dict(in_shape=(3, 4, 10), axes=(3,), calib_scale=0.3)),
    # SOFTMAX.
    "softmax": ("softmax_model", dict(in_shape=(10,))),
    "softmax_rank3_batch2": ("softmax_model", dict(in_shape=(3, 17), batch=2, calib_scale=5.0)),
    "softmax_small_scale": ("softmax_model", dict(in_shape=(33,), calib_scale=0.05)),
    # MUL, SUB (general-scale int16 path), broadcasting.
    "mul": ("mul_model", dict(shape_a=(4, 5, 6))),
    "mul_bcast_relu6_batch2": ("mul_model", dict(shape_a=(3, 4, 8), shape_b=(1, 1, 8), activation="relu6",
                                                 batch=2, calib_scale=(2.0, 0.3))),
    "sub": ("sub_model", dict(shape_a=(3, 7, 5))),
    "sub_bcast": ("sub_model", dict(shape_a=(4, 4, 6), shape_b=(4, 1, 6), calib_scale=(0.2, 3.0))),
    # LOGISTIC: general input scales (the power-of-two case is rare in converted models).
    "logistic": ("logistic_model", dict(in_shape=(5, 7, 6))),
    "logistic_wide_batch2": ("logistic_model", dict(in_shape=(33,), batch=2, calib_scale=8.0)),
    "logistic_narrow": ("logistic_model", dict(in_shape=(4, 9), calib_scale=0.05)),
    # Several ops chained, batch > 1.
    "mixed_batch3": ("mixed_model", dict(batch=3)),
    # TANH (int16 only in pyruntime).
    "tanh": ("tanh_model", dict(in_shape=(5, 6, 7))),
    "tanh_wide_batch2": ("tanh_model", dict(in_shape=(40,), batch=2, calib_scale=6.0)),
    "tanh_narrow": ("tanh_model", dict(in_shape=(3, 11), calib_scale=0.03)),
    # Pooling.
    "maxpool_same_stride2": ("maxpool_model", dict(in_shape=(9, 7, 5), pool=3, strides=2, padding="same")),
    "avgpool_same_stride2": ("avgpool_model", dict(in_shape=(9, 7, 5), pool=3, strides=2, padding="same",
                                                   batch=2)),
    "avgpool_valid": ("avgpool_model", dict(in_shape=(8, 8, 3), pool=2)),
    # Byte-moving ops (zero point 0; PAD pads with 0).
    "pad": ("pad_model", dict()),
    "reshape": ("reshape_model", dict(batch=2)),
    "concat": ("concat_model", dict(shapes=((4, 4, 3), (4, 4, 5)))),
    # Different input ranges: the converter adds an int16 -> int16 QUANTIZE (requantization).
    "concat_requant": ("concat_model", dict(shapes=((4, 4, 3), (4, 4, 5)), calib_scale=(0.1, 5.0))),
    "strided_slice": ("strided_slice_model", dict()),
}

FLOAT_IO_CASES = ("mixed_batch3", "conv_same", "dw_same", "dense", "add_bcast_channel", "mean_spatial", "softmax", "pad")


def _model(case: str, io: str = "int16"):
    builder, kwargs = CASES[case]
    return op16(builder, io=io, **kwargs)


@pytest.mark.parametrize("case", sorted(CASES))
def test_op_int16_io(case):
    path = _model(case)
    details = model_zoo.model_io_details(path)
    assert all(np.dtype(d["dtype"]) == np.int16 for d in details["inputs"] + details["outputs"]), path
    assert_bit_exact(path, seeds=SEEDS)


@pytest.mark.parametrize("case", FLOAT_IO_CASES)
def test_op_float_io(case):
    """float32 borders: QUANTIZE float -> int16 and DEQUANTIZE int16 -> float."""
    path = _model(case, io="float32")
    assert {"QUANTIZE", "DEQUANTIZE"} <= set(model_zoo.op_names(path))
    assert_bit_exact(path, seeds=SEEDS)


def test_int16_tensors_are_symmetric_with_int64_bias():
    """The models really are 16x8: int16 activations with zero point 0, int64 bias."""
    path = _model("conv_same")
    schema, model = model_zoo._load_fb(path)
    sg = model.Subgraphs(0)
    types = {sg.Tensors(i).Type() for i in range(sg.TensorsLength())}
    assert schema.TensorType.INT16 in types and schema.TensorType.INT64 in types
    for i in range(sg.TensorsLength()):
        t = sg.Tensors(i)
        if t.Type() == schema.TensorType.INT16:
            assert t.Quantization().ZeroPoint(0) == 0


@pytest.mark.parametrize("io", ["float32", "int16"])
def test_mobilenet_v2_16x8(io):
    path = zoo_model("mobilenet_v2", io)
    refs = assert_bit_exact(path, seeds=(0, 1))
    assert not np.array_equal(refs[0][0], refs[1][0]), "outputs do not depend on the input"


def test_efficientnet_b0_16x8():
    path = zoo_model("efficientnet_b0", "float32")
    assert {"LOGISTIC", "MUL", "MEAN"} <= set(model_zoo.op_names(path))
    assert_bit_exact(path, seeds=(0, 1))


def test_mobilenet_v2_16x8_threads():
    assert_bit_exact(zoo_model("mobilenet_v2", "float32"), seeds=(3,), num_threads=2)



# ---- untrusted 16x8 models: what the kernels assume is checked in Prepare ----

def _edited_op(case, edit):
    """Bytes of the case's model after edit(model, op, tensors) on its first op of interest."""
    from model_edit import edited

    def apply(m):
        sg = m.subgraphs[0]
        op = next(o for o in sg.operators if m.operatorCodes[o.opcodeIndex].builtinCode not in (114, 6))
        edit(m, op, sg.tensors)

    return edited(_model(case).read_bytes(), apply)


def _expect_error(data: bytes, *patterns: str) -> None:
    with pytest.raises(pyruntime.ModelError) as info:
        pyruntime.Interpreter(model_content=data)
    for p in patterns:
        assert p in str(info.value), f"{p!r} not in {str(info.value)!r}"


@pytest.mark.parametrize("case, op_name", [("conv_same", "CONV_2D"), ("dw_same", "DEPTHWISE_CONV_2D"),
                                           ("dense", "FULLY_CONNECTED"), ("softmax", "SOFTMAX"),
                                           ("logistic", "LOGISTIC"), ("add", "ADD")])
def test_int16_nonzero_zero_point_rejected(case, op_name):
    def edit(m, op, t):
        t[op.inputs[0]].quantization.zeroPoint = [3]
    _expect_error(_edited_op(case, edit), op_name, "zero point")


def test_int16_softmax_output_scale_checked():
    def edit(m, op, t):
        t[op.outputs[0]].quantization.scale = [1.0 / 256]
    _expect_error(_edited_op("softmax", edit), "SOFTMAX", "1/32768")


def test_int16_conv_bias_type_checked():
    def edit(m, op, t):
        bias = t[op.inputs[2]]
        bias.type = 0  # float32, with the shape doubled to keep the buffer size
        bias.shape = [2 * bias.shape[0]]
        bias.quantization = None
    _expect_error(_edited_op("conv_same", edit), "CONV_2D", "expected int64 or int32")


def test_int16_add_power_of_two_path_rejected():
    def edit(m, op, t):
        for i in list(op.inputs) + list(op.outputs):
            t[i].quantization.scale = [2.0 ** -10]
        op.builtinOptions.potScaleInt16 = True
    _expect_error(_edited_op("add", edit), "ADD", "pot_scale_int16")
