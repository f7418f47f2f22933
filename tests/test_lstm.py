"""UNIDIRECTIONAL_SEQUENCE_LSTM against LiteRT's reference kernels.

tf_keras LSTM layers (and one Bidirectional LSTM: REVERSE_V2 around a second LSTM)
converted by TensorFlow 2.21 (tests/recurrent_models.py), float32
and full-integer int8 (int16 cell state). The states are variable tensors: both
runtimes carry them from one invoke to the next, so outputs are compared call after
call in one process, then again after reset_all_variables(). int8 outputs must be
equal; float32 within 1e-5 relative.
"""
import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

from ai_edge_litert import schema_py_generated as S

import model_kinds as mk
import model_zoo
import recurrent_models as rm
import pyruntime

BOUND = 1e-5

CONFIGS = [
    dict(),
    dict(batch=2),
    dict(return_sequences=False, units=5, features=7, time=9, seed=1),
    dict(units=16, time=3, seed=2),
    dict(bidirectional=True, seed=4),
]


def _litert(path):
    interp = LiteRT(model_path=str(path), num_threads=1,
                    experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    interp.allocate_tensors()
    return interp


def _ref(interp, x):
    interp.set_tensor(interp.get_input_details()[0]["index"], x)
    interp.invoke()
    return interp.get_tensor(interp.get_output_details()[0]["index"])


def _inputs(shape, dtype, n, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == np.int8:
        xs = [rng.integers(-128, 128, shape).astype(np.int8) for _ in range(n)]
        return xs + [np.full(shape, -128, np.int8), np.full(shape, 127, np.int8)]
    return [rng.uniform(-3, 3, shape).astype(np.float32) for _ in range(n)]


def _check(ours, ref, kind):
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    if kind == "int8":
        assert np.array_equal(ours, ref), f"{int(np.count_nonzero(ours != ref))} elements differ"
    else:
        assert mk.max_rel_error(ours, ref) <= BOUND


@pytest.mark.parametrize("kind", ["float32", "int8"])
@pytest.mark.parametrize("config", range(len(CONFIGS)))
def test_lstm_matches_litert_across_invokes_and_reset(kind, config):
    path = rm.lstm_model(kind, **CONFIGS[config])
    assert "UNIDIRECTIONAL_SEQUENCE_LSTM" in model_zoo.op_names(path)
    ref, ours = _litert(path), pyruntime.Interpreter(str(path))
    d = ours.get_input_details()[0]
    xs = _inputs(tuple(d["shape"]), d["dtype"], 4, seed=config)
    outs = []
    for x in xs:
        o, r = ours.run(x), _ref(ref, x)
        _check(o, r, kind)
        outs.append(r)
    # The same input again gives a different output: the state carried over.
    again_ours, again_ref = ours.run(xs[0]), _ref(ref, xs[0])
    _check(again_ours, again_ref, kind)
    assert not np.array_equal(again_ref, outs[0])
    ours.reset_all_variables()
    ref.reset_all_variables()
    o, r = ours.run(xs[0]), _ref(ref, xs[0])
    _check(o, r, kind)
    assert np.array_equal(r, outs[0])  # back to the initial state


def test_int8_lstm_state_tensors_are_int16_cell_and_int8_hidden():
    path = rm.lstm_model("int8")
    types = {d["name"]: d["dtype"] for d in _litert(path).get_tensor_details()}
    assert np.int16 in types.values()


def test_float_lstm_matches_numpy_cell():
    """First principles: a Keras LSTM cell in float64 on the model's own weights."""
    path = rm.lstm_model("float32", return_sequences=True, units=4, features=3, time=5, seed=3)
    interp = LiteRT(model_path=str(path))
    interp.allocate_tensors()
    x = _inputs((1, 5, 3), np.float32, 1, seed=9)[0]
    ours = pyruntime.Interpreter(str(path)).run(x)
    # Weights by name order of the converted op: read them through the details API.
    op = interp._get_ops_details()[0]
    t = lambda i: interp.get_tensor(op["inputs"][i]).astype(np.float64)  # noqa: E731
    wx = [t(k) for k in range(1, 5)]
    wh = [t(k) for k in range(5, 9)]
    b = [t(k) for k in range(12, 16)]
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    h, c = np.zeros(4), np.zeros(4)
    expect = []
    for step in range(5):
        xt = x[0, step].astype(np.float64)
        i, f, g, o = (wx[k] @ xt + wh[k] @ h + b[k] for k in range(4))
        c = sig(f) * c + sig(i) * np.tanh(g)
        c = np.clip(c, -10, 10)  # the converter sets cell_clip 10
        h = sig(o) * np.tanh(c)
        expect.append(h.copy())
    np.testing.assert_allclose(ours[0], np.array(expect), rtol=1e-5, atol=1e-6)


# Hand-built UNIDIRECTIONAL_SEQUENCE_LSTM models (the converter emits only
# Keras' plain form): time-major batches stepping together (one recurrent
# GEMM over the batch rows), CIFG, peepholes, projection and clipping, widths
# past the SIMD tiles; compared invoke after invoke and after a reset.
def uni_lstm_model(batch=2, time=4, inputs=3, cells=5, outputs=None, time_major=True, cifg=False,
                   peephole=False, cell_clip=0.0, proj_clip=0.0, seed=0) -> bytes:
    from test_bidirectional_sequence import _Builder, _seq_shape

    b = _Builder(seed)
    x = b.add("x", _seq_shape(time_major, batch, time, inputs))
    no = outputs or cells
    ins = [x]
    for g in "ifco":
        ins.append(-1 if cifg and g == "i" else b.add(f"wx{g}", (cells, inputs), True))
    for g in "ifco":
        ins.append(-1 if cifg and g == "i" else b.add(f"wh{g}", (cells, no), True))
    for g in "ifo":
        ins.append(b.add(f"p{g}", (cells,), True) if peephole and not (cifg and g == "i") else -1)
    for g in "ifco":
        ins.append(-1 if cifg and g == "i" else b.add(f"b{g}", (cells,), True, scale=1.0))
    ins.append(b.add("proj", (no, cells), True) if outputs else -1)
    ins.append(b.add("proj_b", (no,), True, scale=0.2) if outputs else -1)
    ins += [b.add("h", (batch, no), variable=True), b.add("c", (batch, cells), variable=True)]
    ins += [-1] * 4  # layer-norm weights
    out = b.add("y", _seq_shape(time_major, batch, time, no))
    opts = S.UnidirectionalSequenceLSTMOptionsT()
    opts.fusedActivationFunction, opts.cellClip, opts.projClip = 4, cell_clip, proj_clip
    opts.timeMajor = time_major
    return b.model(S.BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, ins, [out], [x],
                   S.BuiltinOptions.UnidirectionalSequenceLSTMOptions, opts)


UNI_CASES = [dict(batch=3), dict(cifg=True, peephole=True, batch=2, seed=1),
             dict(outputs=3, cell_clip=1.5, proj_clip=0.8, seed=2),
             dict(time_major=False, peephole=True, batch=2, seed=3),
             dict(batch=2, time=7, inputs=33, cells=40, outputs=17, peephole=True, seed=4),
             dict(time_major=False, batch=1, time=9, inputs=20, cells=48, cifg=True, seed=5)]


@pytest.mark.parametrize("case", range(len(UNI_CASES)))
def test_hand_built_lstm_matches_litert(case):
    from test_bidirectional_sequence import _compare_across_invokes

    _compare_across_invokes(uni_lstm_model(**UNI_CASES[case]), case)

