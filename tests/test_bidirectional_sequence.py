"""BIDIRECTIONAL_SEQUENCE_RNN and BIDIRECTIONAL_SEQUENCE_LSTM (float32) against
LiteRT's reference kernels. The TF 2.21 converter never emits them (Keras
Bidirectional becomes REVERSE_V2 + two sequence ops, or WHILE loops), so the
one-op models are built with the flatbuffer object API: batch- and time-major,
merged and separate outputs, and for the LSTM CIFG, peephole, projection and
clipping. The states are variable tensors: outputs are compared invoke after
invoke, then after reset_all_variables(), within 1e-5 relative; a numpy
first-principles check pins the direction and merge layout."""
import flatbuffers
import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as S
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import model_kinds as mk
import pyruntime
from test_svdf import _tensor


class _Builder:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.tensors, self.bufs = [], [S.BufferT()]

    def add(self, name, shape, const=None, variable=False, scale=0.5):
        buffer = 0
        if const:
            arr = (self.rng.standard_normal(shape) * scale).astype(np.float32)
            buf = S.BufferT()
            buf.data = np.frombuffer(arr.tobytes(), np.uint8)
            buffer = len(self.bufs)
            self.bufs.append(buf)
        self.tensors.append(_tensor(name, shape, np.float32, buffer=buffer, variable=variable))
        return len(self.tensors) - 1

    def model(self, code, inputs, outputs, graph_inputs, options_type, options) -> bytes:
        oc = S.OperatorCodeT()
        oc.builtinCode = oc.deprecatedBuiltinCode = code
        oc.version = 1
        op = S.OperatorT()
        op.opcodeIndex, op.inputs, op.outputs = 0, inputs, outputs
        op.builtinOptionsType, op.builtinOptions = options_type, options
        sg = S.SubGraphT()
        sg.tensors, sg.inputs, sg.outputs, sg.operators = self.tensors, graph_inputs, outputs, [op]
        m = S.ModelT()
        m.version, m.operatorCodes, m.subgraphs, m.buffers = 3, [oc], [sg], self.bufs
        builder = flatbuffers.Builder(1024)
        builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
        return bytes(builder.Output())


def _seq_shape(time_major, batch, time, n):
    return (time, batch, n) if time_major else (batch, time, n)


def bidi_rnn_model(batch=2, time=4, inputs=3, fw_units=5, bw_units=4, activation=4,
                   time_major=False, merge=False, seed=0) -> bytes:
    b = _Builder(seed)
    x = b.add("x", _seq_shape(time_major, batch, time, inputs))
    ins = [x]
    for d, units in (("fw", fw_units), ("bw", bw_units)):
        ins += [b.add(f"{d}_w", (units, inputs), True, scale=0.6),
                b.add(f"{d}_r", (units, units), True, scale=0.4),
                b.add(f"{d}_b", (units,), True, scale=1.0),
                b.add(f"{d}_h", (batch, units), variable=True)]
    ins += [-1, -1, -1]
    if merge:
        outs = [b.add("y", _seq_shape(time_major, batch, time, fw_units + bw_units))]
    else:
        outs = [b.add("y_fw", _seq_shape(time_major, batch, time, fw_units)),
                b.add("y_bw", _seq_shape(time_major, batch, time, bw_units))]
    opts = S.BidirectionalSequenceRNNOptionsT()
    opts.timeMajor, opts.fusedActivationFunction, opts.mergeOutputs = time_major, activation, merge
    return b.model(S.BuiltinOperator.BIDIRECTIONAL_SEQUENCE_RNN, ins, outs, [x],
                   S.BuiltinOptions.BidirectionalSequenceRNNOptions, opts)


def bidi_lstm_model(batch=2, time=4, inputs=3, cells=(5, 5), outputs=None, time_major=True,
                    merge=False, cifg=False, peephole=False, cell_clip=0.0, proj_clip=0.0,
                    seed=0) -> bytes:
    """outputs: per-direction projection sizes (None: no projection)."""
    b = _Builder(seed)
    x = b.add("x", _seq_shape(time_major, batch, time, inputs))
    ins, n_out = [x], []
    for k, d in enumerate(("fw", "bw")):
        nc = cells[k]
        no = outputs[k] if outputs else nc
        n_out.append(no)
        for g in "ifco":  # input-to-gate weights
            ins.append(-1 if cifg and g == "i" else b.add(f"{d}_wx{g}", (nc, inputs), True))
        for g in "ifco":  # recurrent weights
            ins.append(-1 if cifg and g == "i" else b.add(f"{d}_wh{g}", (nc, no), True))
        for g in "ifo":  # peepholes
            ins.append(b.add(f"{d}_p{g}", (nc,), True) if peephole and not (cifg and g == "i") else -1)
        for g in "ifco":  # biases
            ins.append(-1 if cifg and g == "i" else b.add(f"{d}_b{g}", (nc,), True, scale=1.0))
        ins.append(b.add(f"{d}_proj", (no, nc), True) if outputs else -1)
        ins.append(b.add(f"{d}_proj_b", (no,), True, scale=0.2) if outputs else -1)
    for k, d in enumerate(("fw", "bw")):
        ins += [b.add(f"{d}_h", (batch, n_out[k]), variable=True),
                b.add(f"{d}_c", (batch, cells[k]), variable=True)]
    ins += [-1] * 9  # auxiliary input and weights
    assert len(ins) == 48
    if merge:
        outs = [b.add("y", _seq_shape(time_major, batch, time, sum(n_out)))]
    else:
        outs = [b.add(f"y_{d}", _seq_shape(time_major, batch, time, n_out[k]))
                for k, d in enumerate(("fw", "bw"))]
    opts = S.BidirectionalSequenceLSTMOptionsT()
    opts.fusedActivationFunction, opts.cellClip, opts.projClip = 4, cell_clip, proj_clip
    opts.mergeOutputs, opts.timeMajor = merge, time_major
    return b.model(S.BuiltinOperator.BIDIRECTIONAL_SEQUENCE_LSTM, ins, outs, [x],
                   S.BuiltinOptions.BidirectionalSequenceLSTMOptions, opts)


RNN_CASES = [dict(), dict(merge=True, seed=1), dict(time_major=True, seed=2),
             dict(time_major=True, merge=True, batch=3, activation=1, seed=3),
             dict(batch=1, time=7, fw_units=3, bw_units=6, activation=3, seed=4)]
LSTM_CASES = [dict(), dict(time_major=False, seed=1), dict(merge=True, seed=2),
              dict(time_major=False, merge=True, batch=1, seed=3),
              dict(cifg=True, peephole=True, seed=4), dict(peephole=True, time_major=False, seed=5),
              dict(outputs=(3, 3), cell_clip=1.5, proj_clip=0.8, merge=True, seed=6),
              dict(batch=1, time=9, cells=(6, 6), cifg=True, time_major=False, seed=7)]


def _compare_across_invokes(data, seed):
    ref = LiteRT(model_content=data, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    ref.allocate_tensors()
    ours = pyruntime.Interpreter(model_content=data)
    d = ref.get_input_details()[0]
    rng = np.random.default_rng(seed)
    xs = [rng.uniform(-2, 2, d["shape"]).astype(np.float32) for _ in range(3)]
    firsts = []
    for k, x in enumerate(xs + xs[:1]):
        if k == len(xs):
            ours.reset_all_variables()
            ref.reset_all_variables()
        ref.set_tensor(d["index"], x)
        ref.invoke()
        rs = [ref.get_tensor(o["index"]) for o in ref.get_output_details()]
        os_ = ours.run(x)
        os_ = os_ if isinstance(os_, list) else [os_]
        assert len(os_) == len(rs)
        for o, r in zip(os_, rs):
            assert o.shape == r.shape and o.dtype == r.dtype
            assert mk.max_rel_error(o, r) <= 1e-5, f"invoke {k}"
        firsts.append(rs[0])
    assert np.array_equal(firsts[-1], firsts[0])  # reset restores the initial state
    assert not np.array_equal(firsts[1], firsts[0])


@pytest.mark.parametrize("case", range(len(RNN_CASES)))
def test_bidirectional_rnn_matches_litert(case):
    _compare_across_invokes(bidi_rnn_model(**RNN_CASES[case]), case)


@pytest.mark.parametrize("case", range(len(LSTM_CASES)))
def test_bidirectional_lstm_matches_litert(case):
    _compare_across_invokes(bidi_lstm_model(**LSTM_CASES[case]), case)


def test_bidirectional_lstm_batch_major_merged_is_the_concatenation():
    """Batch-major merged outputs with batch > 1: LiteRT's reference offsets the
    output *state* of batch b by b x the merged width (lstm_eval.cc EvalFloat,
    batch-major branch, output_batch_leading_dim) and reads and writes past the
    end of the state tensor, so its values from batch 1 on are garbage. The
    expected values are LiteRT's own separate (unmerged) outputs, concatenated."""
    kw = dict(time_major=False, batch=3, seed=3)
    sep, merged = bidi_lstm_model(**kw), bidi_lstm_model(merge=True, **kw)
    ref = LiteRT(model_content=sep, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    ref.allocate_tensors()
    ours = pyruntime.Interpreter(model_content=merged)
    d = ref.get_input_details()[0]
    for k in range(3):
        x = np.random.default_rng(k).uniform(-2, 2, d["shape"]).astype(np.float32)
        ref.set_tensor(d["index"], x)
        ref.invoke()
        expect = np.concatenate([ref.get_tensor(o["index"]) for o in ref.get_output_details()], -1)
        assert mk.max_rel_error(ours.run(x), expect) <= 1e-5, f"invoke {k}"


def test_bidirectional_rnn_matches_numpy():
    """First principles: forward in time, backward reversed, merged fw | bw per step."""
    data = bidi_rnn_model(batch=2, time=5, merge=True, seed=8)
    m = S.ModelT.InitFromPackedBuf(data, 0)
    w = [np.frombuffer(bytes(m.buffers[t.buffer].data), np.float32).reshape(t.shape).astype(np.float64)
         if t.buffer else None for t in m.subgraphs[0].tensors]
    x = np.random.default_rng(1).uniform(-2, 2, (2, 5, 3)).astype(np.float32)
    ours = pyruntime.Interpreter(model_content=data).run(x)
    expect = np.zeros((2, 5, 9))
    for d, (wi, ri, bi, order, cols) in enumerate([(1, 2, 3, range(5), slice(0, 5)),
                                                  (5, 6, 7, range(4, -1, -1), slice(5, 9))]):
        h = np.zeros((2, w[wi].shape[0]))
        for t in order:
            h = np.tanh(x[:, t] @ w[wi].T + h @ w[ri].T + w[bi])
            expect[:, t, cols] = h
    np.testing.assert_allclose(ours, expect, rtol=1e-5, atol=1e-5)


def test_auxiliary_inputs_are_refused_at_load():
    data = bidi_rnn_model()
    m = S.ModelT.InitFromPackedBuf(data, 0)
    ins = list(m.subgraphs[0].operators[0].inputs)
    ins[9] = 0  # the input again, as an auxiliary input
    m.subgraphs[0].operators[0].inputs = ins
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    with pytest.raises(pyruntime.ModelError,
                       match=r"op 0 \(BIDIRECTIONAL_SEQUENCE_RNN\): auxiliary input 9"):
        pyruntime.Interpreter(model_content=bytes(builder.Output()))


@pytest.mark.parametrize("kw", [dict(cells=(5, 4)), dict(outputs=(3, 2))])
def test_lstm_directions_of_different_sizes_are_refused_as_the_reference(kw):
    data = bidi_lstm_model(**kw)
    ref = LiteRT(model_content=data, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    with pytest.raises(RuntimeError, match="failed to prepare"):
        ref.allocate_tensors()
    with pytest.raises(pyruntime.ModelError, match=r"op 0 \(BIDIRECTIONAL_SEQUENCE_LSTM\)"):
        pyruntime.Interpreter(model_content=data)


@pytest.mark.parametrize("op", ["rnn", "lstm"])
def test_hybrid_weights_are_refused_at_load(op):
    """int8 weights with float activations (LiteRT's hybrid path) are not
    implemented: the model is refused at load, naming the op."""
    data = bidi_rnn_model() if op == "rnn" else bidi_lstm_model()
    m = S.ModelT.InitFromPackedBuf(data, 0)
    t = m.subgraphs[0].tensors[1]  # forward input weights
    t.type = S.TensorType.INT8
    t.quantization = S.QuantizationParametersT()
    t.quantization.scale, t.quantization.zeroPoint = [0.02], [0]
    m.buffers[t.buffer].data = np.arange(int(np.prod(t.shape)), dtype=np.uint8)
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    name = "BIDIRECTIONAL_SEQUENCE_RNN" if op == "rnn" else "BIDIRECTIONAL_SEQUENCE_LSTM"
    with pytest.raises(pyruntime.ModelError, match=rf"op 0 \({name}\).*int8"):
        pyruntime.Interpreter(model_content=bytes(builder.Output()))
