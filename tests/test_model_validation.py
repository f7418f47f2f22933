"""Semantic validation of untrusted models: each violation is a ModelError
naming the op (index and name) or tensor (index and name), what was expected
and what was found."""

from __future__ import annotations

import numpy as np
import pytest

import pyruntime
import tiny_models as tm
from model_edit import edited


def add(**kw) -> bytes:
    return tm.add_model(shape=(4,), quant=(0.5, 0), **kw)


def expect_error(data: bytes, *patterns: str) -> str:
    with pytest.raises(pyruntime.ModelError) as info:
        pyruntime.Interpreter(model_content=data)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    for p in patterns:
        assert p in message, f"{p!r} not in {message!r}"
    return message


def tensors(m):
    return m.subgraphs[0].tensors


def test_baseline_model_loads():
    y = pyruntime.Interpreter(model_content=add()).run([np.ones(4, np.int8)] * 2)
    assert y.tolist() == [2] * 4


@pytest.mark.parametrize("zp, dtype", [(128, "int8"), (-129, "int8"), (2**40, "int8"), (-(2**40), "int8")])
def test_zero_point_outside_dtype_range(zp, dtype):
    def edit(m):
        tensors(m)[1].quantization.zeroPoint = [zp]
    expect_error(edited(add(), edit), "tensor 1 'b'", f"zero point {zp}", "outside [-128, 127] of int8")


def test_per_channel_zero_point_outside_range():
    def edit(m):
        q = tensors(m)[0].quantization
        q.scale, q.zeroPoint, q.quantizedDimension = [0.5] * 4, [0, 0, 300, 0], 0
    expect_error(edited(add(), edit), "tensor 0 'a'", "zero point 300 (channel 2)")


@pytest.mark.parametrize("scale", [float("nan"), float("inf"), -1.0])
def test_bad_scale(scale):
    def edit(m):
        tensors(m)[2].quantization.scale = [scale]
    expect_error(edited(add(), edit), "tensor 2 'y'", "quantization scale")


def test_zero_scale_rejected_by_the_op():
    def edit(m):
        tensors(m)[2].quantization.scale = [0.0]
    expect_error(edited(add(), edit), "op 0 (ADD)", "output tensor 2 'y'", "expected > 0")


def test_per_channel_arrays_must_match_quantized_dimension():
    def edit(m):
        q = tensors(m)[0].quantization
        q.scale, q.zeroPoint, q.quantizedDimension = [0.5] * 3, [0] * 3, 0
    expect_error(edited(add(), edit), "tensor 0 'a'", "3 per-channel scales for dimension 0 of size 4")


def test_quantized_dimension_outside_rank():
    def edit(m):
        q = tensors(m)[0].quantization
        q.scale, q.zeroPoint, q.quantizedDimension = [0.5] * 4, [0] * 4, 3
    expect_error(edited(add(), edit), "tensor 0 'a'", "quantized_dimension 3 is outside rank 1")


def test_effective_multiplier_not_representable():
    def edit(m):
        tensors(m)[0].quantization.scale = [1e30]
        tensors(m)[2].quantization.scale = [1e-30]
    expect_error(edited(add(), edit), "op 0 (ADD)", "effective scale 1.9", "must be in (0, 1)")


def test_buffer_size_must_match_shape():
    data = tm.one_op_model("ADD", [tm.tensor("a", (4,), np.int8, (0.5, 0)),
                                   tm.tensor("c", (4,), np.int8, (0.5, 0), buffer=1),
                                   tm.tensor("y", (4,), np.int8, (0.5, 0))],
                           [0, 1], [2], graph_inputs=[0], buffers=[b"\x01\x02\x03"])
    expect_error(data, "tensor 1 'c'", "holds 3 bytes", "needs 4")


@pytest.mark.parametrize("dims, found", [((4, -3), "negative dimension"), ((65536, 65536, 2), "more than 2^31")])
def test_bad_shapes(dims, found):
    def edit(m):
        tensors(m)[1].shape = list(dims)
    expect_error(edited(add(), edit), "tensor 1 'b'", found)


def test_op_input_index_out_of_range():
    def edit(m):
        m.subgraphs[0].operators[0].inputs = [0, 99]
    expect_error(edited(add(), edit), "op 0 (ADD) input", "tensor index 99 out of range (3 tensors)")


def test_opcode_index_out_of_range():
    def edit(m):
        m.subgraphs[0].operators[0].opcodeIndex = 7
    expect_error(edited(add(), edit), "op 0", "opcode_index 7 out of range (1 operator codes)")


def test_buffer_index_out_of_range():
    def edit(m):
        tensors(m)[1].buffer = 5
    expect_error(edited(add(), edit), "tensor 1 'b'", "buffer index 5 out of range")


def test_graph_io_index_out_of_range():
    def edit(m):
        m.subgraphs[0].outputs = [3]
    expect_error(edited(add(), edit), "subgraph output", "tensor index 3 out of range")


def test_graph_input_with_constant_data_rejected():
    # set_tensor would otherwise write into the (read-only) model bytes.
    data = tm.one_op_model("ADD", [tm.tensor("a", (4,), np.int8, (0.5, 0), buffer=1),
                                   tm.tensor("b", (4,), np.int8, (0.5, 0)),
                                   tm.tensor("y", (4,), np.int8, (0.5, 0))],
                           [0, 1], [2], buffers=[b"\x01\x02\x03\x04"])
    expect_error(data, "subgraph input 0", "tensor 0 'a'", "has constant data")


def test_duplicate_graph_inputs_rejected():
    def edit(m):
        m.subgraphs[0].inputs = [0, 0]
    expect_error(edited(add(), edit), "subgraph input 1", "already subgraph input 0")


def test_output_dtype_checked_per_op():
    def edit(m):
        tensors(m)[2].type = 0  # FLOAT32
    expect_error(edited(add(), edit), "op 0 (ADD)", "tensor 2 'y'", "float32")


def test_input_count_checked_per_op():
    def edit(m):
        m.subgraphs[0].operators[0].inputs = [0]
    expect_error(edited(add(), edit), "op 0 (ADD)", "expected 2 inputs, got 1")


def test_op_writing_a_graph_input_rejected():
    def edit(m):
        m.subgraphs[0].operators[0].outputs = [0]
    expect_error(edited(add(), edit), "op 0 (ADD)", "output tensor 0 'a'", "graph input")


def test_cycle_rejected():
    def edit(m):
        op = m.subgraphs[0].operators[0]
        second = type(op)()
        second.opcodeIndex, second.inputs, second.outputs = 0, [2, 1], [0]
        op.inputs = [0, 1]
        m.subgraphs[0].inputs = [1]
        m.subgraphs[0].operators.append(second)
    expect_error(edited(add(), edit), "cycle")


def test_variable_tensor_written_by_an_op_rejected():
    def edit(m):
        tensors(m)[2].isVariable = True
    expect_error(edited(add(), edit), "op 0 (ADD)", "variable")


def test_input_never_written_rejected():
    def edit(m):
        m.subgraphs[0].inputs = [0]
    expect_error(edited(add(), edit), "op 0 (ADD)", "input tensor 1 'b' is never written")


def test_not_a_model():
    expect_error(b"\x00" * 64, "not a TFLite model")
    expect_error(b"\x08\x00\x00\x00TFL3" + b"\xff" * 56, "flatbuffer verification failed")
