"""SVDF (float32 and int8) against LiteRT's reference kernels, on one-op models built
with the flatbuffer object API (the converter emits SVDF for no Keras layer).

The activation state is a variable tensor: both runtimes shift it every invoke, so
outputs are compared call after call, then after reset_all_variables(). int8 outputs
must be equal; float32 within 1e-5 relative.
"""
import flatbuffers
import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as S
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import model_kinds as mk
import pyruntime

_TT = {np.float32: S.TensorType.FLOAT32, np.int8: S.TensorType.INT8,
       np.int16: S.TensorType.INT16, np.int32: S.TensorType.INT32}


def _tensor(name, shape, dtype, quant=None, buffer=0, variable=False):
    t = S.TensorT()
    t.name, t.shape, t.type, t.buffer, t.isVariable = name, list(shape), _TT[dtype], buffer, variable
    if quant is not None:
        q = S.QuantizationParametersT()
        q.scale, q.zeroPoint = [float(quant[0])], [int(quant[1])]
        t.quantization = q
    return t


def svdf_model(int8: bool, batch=2, inputs=5, units=3, rank=2, memory=4, activation=0, bias=True,
               seed=0) -> bytes:
    rng = np.random.default_rng(seed)
    filters = units * rank
    if int8:
        wf = rng.integers(-127, 128, (filters, inputs)).astype(np.int8)
        wt = rng.integers(-3000, 3000, (filters, memory)).astype(np.int16)
        b = rng.integers(-2000, 2000, units).astype(np.int32)
        tensors = [_tensor("x", (batch, inputs), np.int8, (0.03, 5)),
                   _tensor("wf", wf.shape, np.int8, (0.01, 0), 1),
                   _tensor("wt", wt.shape, np.int16, (0.0003, 0), 2),
                   _tensor("b", b.shape, np.int32, (0.0001, 0), 3),
                   _tensor("state", (batch, filters * memory), np.int16, (0.002, 0), variable=True),
                   _tensor("y", (batch, units), np.int8, (0.3, -3))]
    else:
        wf = rng.standard_normal((filters, inputs)).astype(np.float32)
        wt = rng.standard_normal((filters, memory)).astype(np.float32)
        b = rng.standard_normal(units).astype(np.float32)
        tensors = [_tensor("x", (batch, inputs), np.float32),
                   _tensor("wf", wf.shape, np.float32, buffer=1),
                   _tensor("wt", wt.shape, np.float32, buffer=2),
                   _tensor("b", b.shape, np.float32, buffer=3),
                   _tensor("state", (batch, filters * memory), np.float32, variable=True),
                   _tensor("y", (batch, units), np.float32)]
    oc = S.OperatorCodeT()
    oc.builtinCode = oc.deprecatedBuiltinCode = S.BuiltinOperator.SVDF
    oc.version = 1
    op = S.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = 0, [0, 1, 2, 3 if bias else -1, 4], [5]
    opts = S.SVDFOptionsT()
    opts.rank, opts.fusedActivationFunction = rank, activation
    op.builtinOptionsType, op.builtinOptions = S.BuiltinOptions.SVDFOptions, opts
    sg = S.SubGraphT()
    sg.tensors, sg.inputs, sg.outputs, sg.operators = tensors, [0], [5], [op]
    bufs = [S.BufferT()]
    for arr in (wf, wt, b):
        buf = S.BufferT()
        buf.data = np.frombuffer(arr.tobytes(), np.uint8)
        bufs.append(buf)
    m = S.ModelT()
    m.version, m.operatorCodes, m.subgraphs, m.buffers = 3, [oc], [sg], bufs
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


CASES = [dict(), dict(batch=1, rank=1, memory=1), dict(units=4, rank=3, memory=7, bias=False, seed=1),
         dict(activation=1, seed=2), dict(activation=4, seed=3)]
RELU = 1


@pytest.mark.parametrize("int8", [False, True])
@pytest.mark.parametrize("case", range(len(CASES)))
def test_svdf_matches_litert_across_invokes(int8, case):
    config = dict(CASES[case])
    if int8:  # TFLite's int8 kernel requires RELU (see test_int8_svdf_needs_relu)
        config["activation"] = RELU
    data = svdf_model(int8, **config)
    ref = LiteRT(model_content=data, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    ref.allocate_tensors()
    ours = pyruntime.Interpreter(model_content=data)
    d = ref.get_input_details()[0]
    rng = np.random.default_rng(case)
    xs = [rng.integers(-128, 128, d["shape"]).astype(np.int8) if int8 else
          rng.uniform(-2, 2, d["shape"]).astype(np.float32) for _ in range(6)]
    outs = []
    for k, x in enumerate(xs + xs[:1]):
        if k == len(xs):
            ours.reset_all_variables()
            ref.reset_all_variables()
        ref.set_tensor(d["index"], x)
        ref.invoke()
        r = ref.get_tensor(ref.get_output_details()[0]["index"])
        o = ours.run(x)
        assert o.dtype == r.dtype and o.shape == r.shape
        if int8:
            assert np.array_equal(o, r), f"invoke {k}: {o} vs {r}"
        else:
            assert mk.max_rel_error(o, r) <= 1e-5, f"invoke {k}"
        outs.append(r)
    assert np.array_equal(outs[-1], outs[0])  # reset: back to the first output


def test_int8_svdf_needs_relu():
    data = svdf_model(True, activation=0)
    ref = LiteRT(model_content=data, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    ref.allocate_tensors()
    with pytest.raises(RuntimeError, match="kTfLiteActRelu"):
        ref.invoke()
    with pytest.raises(pyruntime.ModelError, match=r"SVDF\).*needs activation RELU"):
        pyruntime.Interpreter(model_content=data)
