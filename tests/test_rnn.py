"""RNN and UNIDIRECTIONAL_SEQUENCE_RNN (float32) against LiteRT's reference kernels, on
one-op models built with the flatbuffer object API (Keras SimpleRNN converts to a
WHILE loop instead). The hidden state is a variable tensor carried across invokes;
outputs are compared call after call and after reset_all_variables(), within 1e-5
relative.
"""
import flatbuffers
import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as S
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import model_kinds as mk
import pyruntime
from test_svdf import _tensor


def rnn_model(sequence: bool, batch=2, time=4, inputs=3, units=5, activation=4, time_major=False,
              seed=0) -> bytes:
    rng = np.random.default_rng(seed)
    w = (rng.standard_normal((units, inputs)) * 0.6).astype(np.float32)
    r = (rng.standard_normal((units, units)) * 0.4).astype(np.float32)
    b = rng.standard_normal(units).astype(np.float32)
    x_shape = ((time, batch, inputs) if time_major else (batch, time, inputs)) if sequence else (batch, inputs)
    y_shape = ((time, batch, units) if time_major else (batch, time, units)) if sequence else (batch, units)
    tensors = [_tensor("x", x_shape, np.float32), _tensor("w", w.shape, np.float32, buffer=1),
               _tensor("r", r.shape, np.float32, buffer=2), _tensor("b", b.shape, np.float32, buffer=3),
               _tensor("h", (batch, units), np.float32, variable=True), _tensor("y", y_shape, np.float32)]
    name = "UNIDIRECTIONAL_SEQUENCE_RNN" if sequence else "RNN"
    oc = S.OperatorCodeT()
    oc.builtinCode = oc.deprecatedBuiltinCode = getattr(S.BuiltinOperator, name)
    oc.version = 1
    op = S.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = 0, [0, 1, 2, 3, 4], [5]
    if sequence:
        opts = S.SequenceRNNOptionsT()
        opts.timeMajor = time_major
        op.builtinOptionsType = S.BuiltinOptions.SequenceRNNOptions
    else:
        opts = S.RNNOptionsT()
        op.builtinOptionsType = S.BuiltinOptions.RNNOptions
    opts.fusedActivationFunction = activation
    op.builtinOptions = opts
    sg = S.SubGraphT()
    sg.tensors, sg.inputs, sg.outputs, sg.operators = tensors, [0], [5], [op]
    bufs = [S.BufferT()]
    for arr in (w, r, b):
        buf = S.BufferT()
        buf.data = np.frombuffer(arr.tobytes(), np.uint8)
        bufs.append(buf)
    m = S.ModelT()
    m.version, m.operatorCodes, m.subgraphs, m.buffers = 3, [oc], [sg], bufs
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


CASES = [dict(sequence=True), dict(sequence=True, time_major=True, seed=1),
         dict(sequence=True, batch=1, activation=1, seed=2), dict(sequence=False),
         dict(sequence=False, activation=3, seed=3)]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_rnn_matches_litert_across_invokes(case):
    data = rnn_model(**CASES[case])
    ref = LiteRT(model_content=data, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    ref.allocate_tensors()
    ours = pyruntime.Interpreter(model_content=data)
    d = ref.get_input_details()[0]
    rng = np.random.default_rng(case)
    xs = [rng.uniform(-2, 2, d["shape"]).astype(np.float32) for _ in range(4)]
    outs = []
    for k, x in enumerate(xs + xs[:1]):
        if k == len(xs):
            ours.reset_all_variables()
            ref.reset_all_variables()
        ref.set_tensor(d["index"], x)
        ref.invoke()
        r = ref.get_tensor(ref.get_output_details()[0]["index"])
        o = ours.run(x)
        assert o.shape == r.shape and o.dtype == r.dtype
        assert mk.max_rel_error(o, r) <= 1e-5, f"invoke {k}"
        outs.append(r)
    assert np.array_equal(outs[-1], outs[0])
    assert not np.array_equal(outs[1], outs[0])
