"""Keras 3 LSTM / GRU / SimpleRNN / ConvLSTM2D layers converted by TensorFlow 2.21
(tests/keras3_rnn_models.py): WHILE loops whose bodies write each step through
the TensorList lowering (slice sizes computed in the body), float32 and
dynamic-range (hybrid FULLY_CONNECTED with int8 weights inside the loop body).
Outputs against the float oracle (BUILTIN_REF, bounds from LiteRT default's
error), over several input sets run in sequence in one interpreter, so the state
of a stateful layer carries over in both runtimes. A free sequence length
(time=None) runs with several lengths (re-planned at invoke; FILL builds the
initial state from the computed batch size).
"""
import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as S

import keras3_rnn_models as km
import model_kinds as mk
import pyruntime
from bitexact import assert_bit_exact

CONFIGS = {
    "lstm": dict(layer="lstm"),
    "lstm_last_b2": dict(layer="lstm", batch=2, return_sequences=False, units=6, seed=1),
    "gru": dict(layer="gru", batch=2, seed=2),
    "gru_v1_last": dict(layer="gru_v1", return_sequences=False, time=7, seed=3),
    "simple_rnn": dict(layer="simple_rnn", batch=3, seed=4),
    "backwards_gru": dict(layer="gru", go_backwards=True, seed=5),
    "bidirectional_lstm": dict(layer="lstm", bidirectional=True, time=6, seed=6),
    "bidirectional_gru_last": dict(layer="gru", bidirectional=True, batch=2, return_sequences=False,
                                   seed=7),
    "stacked": dict(layer="lstm", stack=True, time=7, units=6, seed=8),
    "masked_lstm": dict(layer="lstm", masking=True, batch=2, seed=9),
    "stateful_gru": dict(layer="gru", stateful=True, time=4, seed=10),
    # Large enough for dynamic-range int8 weights (>= 1024 elements).
    "lstm_40": dict(layer="lstm", units=40, features=8, seed=11),
    "gru_40": dict(layer="gru", units=40, features=8, batch=2, seed=12),
    "simple_rnn_40": dict(layer="simple_rnn", units=40, features=30, seed=13),
}
FREE_TIME = {
    "lstm_free_time": dict(layer="lstm", time=None, return_sequences=False, seed=14),
    "gru_free_time": dict(layer="gru", time=None, seed=15),
}


def _all_ops(path):
    """(op name, weight dtype of a FULLY_CONNECTED or None) over every subgraph."""
    m = S.ModelT.InitFromPackedBuf(path.read_bytes(), 0)
    names = {v: k for k, v in vars(S.BuiltinOperator).items() if not k.startswith("_")}
    out = []
    for sg in m.subgraphs:
        for op in sg.operators:
            oc = m.operatorCodes[op.opcodeIndex]
            name = names[max(oc.builtinCode, oc.deprecatedBuiltinCode)]
            w = sg.tensors[op.inputs[1]].type if name == "FULLY_CONNECTED" else None
            out.append((name, w))
    return out


def _inputs(path, seeds, masking=False, lengths=None):
    shape = list(mk.model_zoo.model_io_details(path)["inputs"][0]["shape"])
    sets = []
    for k, s in enumerate(seeds):
        if lengths:
            shape[1] = lengths[k]
        x = np.random.default_rng(s).uniform(-1.7, 1.7, shape).astype(np.float32)
        if masking:  # masked (all-zero) steps: the last two of batch 0, the first of batch 1
            x[0, -2:] = 0
            x[1, 0] = 0
        sets.append([x])
    return sets


def _check(path, sets):
    oracle = mk.float_oracle(path, sets)
    interp = pyruntime.Interpreter(str(path))
    ours = [interp.run(s[0]) for s in sets]
    oracle.check(ours, path.name)
    return ours


@pytest.mark.parametrize("kind", km.KINDS)
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_keras3_rnn_matches_litert(name, kind):
    cfg = CONFIGS[name]
    path = km.rnn_model(kind=kind, **cfg)
    ops = _all_ops(path)
    assert ("WHILE", None) in ops
    if kind == "dynamic" and cfg.get("units", 4) >= 40:
        assert ("FULLY_CONNECTED", S.TensorType.INT8) in ops  # a hybrid op in the loop body
    ours = _check(path, _inputs(path, (0, 1, 2), masking=cfg.get("masking", False)))
    if cfg.get("stateful"):
        # The same input twice in a row gives different outputs: the state carried over.
        interp = pyruntime.Interpreter(str(path))
        x = _inputs(path, (0,))[0][0]
        first = interp.run(x)
        assert np.array_equal(first, ours[0])
        assert not np.allclose(interp.run(x), first)


@pytest.mark.parametrize("kind", km.KINDS)
@pytest.mark.parametrize("name", sorted(FREE_TIME))
def test_keras3_rnn_free_sequence_length(name, kind):
    path = km.rnn_model(kind=kind, **FREE_TIME[name])
    if FREE_TIME[name].get("return_sequences", True):  # the TensorList buffer starts as FILL
        assert "FILL" in [n for n, _ in _all_ops(path)]
    _check(path, _inputs(path, (0, 1, 2, 3), lengths=(5, 3, 8, 5)))


@pytest.mark.parametrize("kind", km.KINDS)
def test_keras3_conv_lstm_matches_litert(kind):
    path = km.conv_lstm_model(kind)
    assert "CONV_2D" in [n for n, _ in _all_ops(path)]
    _check(path, _inputs(path, (0, 1)))


def test_keras3_lstm_matches_numpy_cell():
    """First principles: a float64 Keras LSTM cell on weights read from the Keras
    layer built with the same seed (gates i, f, c, o; sigmoid / tanh)."""
    tf, keras = mk.model_zoo._tf()
    keras.utils.set_random_seed(3)
    inp = keras.Input((5, 3), batch_size=1)
    layer = keras.layers.LSTM(4, return_sequences=True)
    model = keras.Model(inp, layer(inp))
    path = km.CACHE_DIR / "lstm_numpy_cell_s3.tflite"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tf.lite.TFLiteConverter.from_keras_model(model).convert())
    kernel, recurrent, bias = (w.astype(np.float64) for w in layer.get_weights())
    x = np.random.default_rng(9).uniform(-2, 2, (1, 5, 3)).astype(np.float32)
    ours = pyruntime.Interpreter(str(path)).run(x)
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    h, c, expect = np.zeros(4), np.zeros(4), []
    for t in range(5):
        z = x[0, t].astype(np.float64) @ kernel + h @ recurrent + bias
        i, f, g, o = np.split(z, 4)
        c = sig(f) * c + sig(i) * np.tanh(g)
        h = sig(o) * np.tanh(c)
        expect.append(h)
    np.testing.assert_allclose(ours[0], np.array(expect), rtol=1e-5, atol=1e-6)


INT8_CONFIGS = {
    "lstm": dict(layer="lstm"),
    "lstm_last_b2": dict(layer="lstm", batch=2, return_sequences=False, units=6, seed=1),
    "gru": dict(layer="gru", batch=2, seed=2),
    "gru_v1": dict(layer="gru_v1", time=7, seed=3),
    "simple_rnn": dict(layer="simple_rnn", units=16, features=8, seed=4),
    "bidirectional_lstm": dict(layer="lstm", bidirectional=True, time=6, seed=6),
}


@pytest.mark.parametrize("name", sorted(INT8_CONFIGS))
def test_keras3_unrolled_int8_rnn_is_bit_exact(name):
    """Full-integer int8 (the converter handles only the unrolled form):
    every output element equal to BUILTIN_REF's, on full-range random inputs."""
    path = km.rnn_model(kind="int8", unroll=True, **INT8_CONFIGS[name])
    ops = _all_ops(path)
    assert ("WHILE", None) not in ops and ("FULLY_CONNECTED", S.TensorType.INT8) in ops
    assert assert_bit_exact(path, seeds=(0, 1, 2))[0][0].dtype == np.int8
