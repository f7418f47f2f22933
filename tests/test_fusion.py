"""The fusion pass (csrc/interpreter/fusion.h): MUL(x, f(x)) with f a table op
(LOGISTIC, HARD_SWISH) runs as one table and stays bit-exact with the
reference; it must not fire when the intermediate is needed elsewhere.

Hand-built flatbuffers, so any scales / zero points / operand order /
fused activation can be set; inputs cover all 256 int8 values.
"""

from __future__ import annotations

import numpy as np
import pytest

import model_zoo
import pyruntime
from model_zoo import args_key, cached_build, reference_outputs
import op_models

SCHEMA = model_zoo._schema()
CACHE = op_models.OP_CACHE_DIR / "fusion"
SIGMOID_Q = (1.0 / 256, -128)


def _tensor(name, shape, quant):
    t = SCHEMA.TensorT()
    t.name, t.shape, t.type, t.buffer = name, list(shape), SCHEMA.TensorType.INT8, 0
    q = SCHEMA.QuantizationParametersT()
    q.scale, q.zeroPoint = [float(quant[0])], [int(quant[1])]
    t.quantization = q
    return t


def swish_model(unary="LOGISTIC", in_q=(0.05, 3), mid_q=SIGMOID_Q, out_q=(0.03, -5),
                mid_first=False, activation=0, mid_is_output=False, mid_twice=False, shape=(1, 4, 8, 8)):
    """x -> unary -> m; MUL(x, m) (or MUL(m, x)); optionally m also a graph
    output or also fed to a second MUL."""
    key = args_key(unary, in_q, mid_q, out_q, mid_first, activation, mid_is_output, mid_twice, list(shape))
    path = CACHE / f"swish_{key}.tflite"

    def build() -> bytes:
        import flatbuffers

        codes = []
        for name in (unary, "MUL"):
            oc = SCHEMA.OperatorCodeT()
            code = getattr(SCHEMA.BuiltinOperator, name)
            oc.builtinCode, oc.deprecatedBuiltinCode, oc.version = code, min(code, 127), 1
            codes.append(oc)
        tensors = [_tensor("x", shape, in_q), _tensor("m", shape, mid_q), _tensor("y", shape, out_q)]
        f = SCHEMA.OperatorT()
        f.opcodeIndex, f.inputs, f.outputs = 0, [0], [1]

        def mul(inputs, out):
            o = SCHEMA.OperatorT()
            o.opcodeIndex, o.inputs, o.outputs = 1, inputs, [out]
            o.builtinOptionsType = SCHEMA.BuiltinOptions.MulOptions
            o.builtinOptions = SCHEMA.MulOptionsT()
            o.builtinOptions.fusedActivationFunction = activation
            return o

        ops = [f, mul([1, 0] if mid_first else [0, 1], 2)]
        outputs = [2] + ([1] if mid_is_output else [])
        if mid_twice:
            tensors.append(_tensor("z", shape, out_q))
            ops.append(mul([1, 1], 3))
            outputs.append(3)
        sg = SCHEMA.SubGraphT()
        sg.tensors, sg.inputs, sg.outputs, sg.operators = tensors, [0], outputs, ops
        m = SCHEMA.ModelT()
        m.version, m.operatorCodes, m.subgraphs, m.buffers = 3, codes, [sg], [SCHEMA.BufferT()]
        b = flatbuffers.Builder(1024)
        b.Finish(m.Pack(b), file_identifier=b"TFL3")
        return bytes(b.Output())

    return cached_build(path, build)


def all_values(shape):
    n = int(np.prod(shape))
    return (np.arange(n) % 256 - 128).astype(np.int8).reshape(shape)


def check(path, expect_fused, shape=(1, 4, 8, 8), **kwargs):
    x = all_values(shape)
    ref = reference_outputs(path, [[x]])[0]
    interp = pyruntime.Interpreter(str(path), **kwargs)
    interp._set_profiling(True)
    ours = interp.run([x])
    ours = ours if isinstance(ours, list) else [ours]
    for o, r in zip(ours, ref):
        assert o.dtype == r.dtype and np.array_equal(o, r), f"{np.count_nonzero(o != r)} differ"
    names = [name for _, name, _ in interp._op_profile()]
    assert any("+" in n for n in names) == expect_fused, names


@pytest.mark.parametrize("in_q,out_q", [((0.05, 3), (0.03, -5)), ((0.1, -128), (0.08, 127)),
                                        ((0.02, 127), (0.01, -128)), ((0.5, 0), (0.002, 40))])
@pytest.mark.parametrize("mid_first", [False, True])
def test_swish_fused_and_exact(in_q, out_q, mid_first):
    check(swish_model(in_q=in_q, out_q=out_q, mid_first=mid_first), expect_fused=True)


@pytest.mark.parametrize("activation", [1, 3])  # RELU, RELU6
def test_swish_with_fused_activation(activation):
    check(swish_model(in_q=(0.05, -20), out_q=(0.02, -60), activation=activation), expect_fused=True)


def test_hard_swish_times_input():
    check(swish_model(unary="HARD_SWISH", mid_q=(0.04, -30)), expect_fused=True)


def test_not_fused_when_intermediate_is_needed():
    check(swish_model(mid_is_output=True), expect_fused=False)
    check(swish_model(mid_twice=True), expect_fused=False)
    check(swish_model(), expect_fused=False, preserve_all_tensors=True)


def test_odd_and_large_sizes_and_threads():
    for shape in [(1, 3, 5, 7), (2, 33, 33, 40)]:
        check(swish_model(shape=shape), expect_fused=True, shape=shape, num_threads=2)
