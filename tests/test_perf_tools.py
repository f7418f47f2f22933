"""The measuring tools behind bench/: MAC counting and the peak-MAC loop.

No timing thresholds here (timings belong in bench/); these check that the
tools count and report what they claim.
"""

import pytest

import pyruntime
from pyruntime import _core, _testing

import op_models


def test_count_macs_matches_the_layer_arithmetic():
    # conv 8x8x3 -> 8x8x4 (3x3, SAME) then dense 256 -> 8.
    conv = pyruntime.Interpreter(op_models.conv_model(in_shape=(8, 8, 3), filters=4, kernel=3))
    assert conv.count_macs() == 8 * 8 * 4 * (3 * 3 * 3)
    dense = pyruntime.Interpreter(op_models.dense_model(in_shape=(16,), units=8))
    assert dense.count_macs() == 16 * 8


def test_count_macs_and_profile_with_a_multi_output_op():
    # SPLIT has several outputs: their int32 index array once met `if outputs`.
    import numpy as np
    import shape_models as sm

    g = sm.Graph()
    axis = g.const([-1])
    x = g.tensor((1, 4, 6, 9), np.int8, (0.05, -128), graph_input=True)
    outs = [g.tensor([1], np.int8, (0.05, -128)) for _ in range(3)]
    g.op("SPLIT", [axis, x], outs, numSplits=3)
    interp = pyruntime.Interpreter(g.save(outs), profile=True)
    assert interp.count_macs() == 0
    interp.run(np.zeros((1, 4, 6, 9), np.int8))
    [row] = interp.get_profile()
    assert (row["op_name"], row["output_shape"], row["macs"]) == ("SPLIT", [1, 4, 6, 3], 0)


def test_count_macs_follows_the_batch_size():
    from model_edit import dump, load

    model = load(op_models.dense_model(in_shape=(16,), units=8).read_bytes())
    sg = model.subgraphs[0]
    sg.tensors[sg.inputs[0]].shapeSignature = [-1, 16]
    interp = pyruntime.Interpreter(model_content=dump(model))
    idx = interp.get_input_details()[0]["index"]
    interp.resize_tensor_input(idx, [5, 16])
    interp.allocate_tensors()
    assert interp.count_macs() == 5 * 16 * 8


# Emulated paths (the PYRUNTIME_EMULATE_X86 test build) have no peak to measure:
# test_emulated_paths_are_named_and_have_no_peak.
@pytest.mark.parametrize("isa", [i for i in _testing.available_isas() if i not in _testing.emulated_isas()])
def test_peak_macs_reports_each_instruction(isa):
    rows = _testing.peak_macs(isa, 0.01)
    assert rows, "no instruction measured"
    for instruction, macs_per_second in rows:
        assert isinstance(instruction, str) and instruction
        assert macs_per_second > 0


@pytest.mark.parametrize("seconds", [0.0, -1.0, 1000.0])
def test_peak_macs_rejects_bad_durations(seconds):
    with pytest.raises(ValueError, match="seconds"):
        _testing.peak_macs("reference", seconds)


def test_peak_macs_rejects_unknown_isa():
    with pytest.raises(ValueError):
        _testing.peak_macs("sse9", 0.01)


@pytest.mark.parametrize("lhs,rhs,adj_x,adj_y", [
    ((2, 3, 4), (2, 4, 5), False, False),
    ((2, 4, 3), (2, 4, 5), True, False),
    ((3, 4), (1, 5, 4), False, True),        # broadcast batch, adjointed rhs
    ((2, 1, 6, 7), (3, 5, 6), True, True),   # rank 4 x rank 3
])
def test_count_macs_counts_batch_matmul(tmp_path, lhs, rhs, adj_x, adj_y):
    import numpy as np
    import tconv_bmm_models

    a = np.zeros(lhs)
    b = np.zeros(rhs)
    out = np.matmul(np.swapaxes(a, -1, -2) if adj_x else a, np.swapaxes(b, -1, -2) if adj_y else b)
    k = lhs[-2] if adj_x else lhs[-1]
    interp = pyruntime.Interpreter(tconv_bmm_models.bmm_model(tmp_path, lhs, rhs, adj_x, adj_y))
    assert interp.count_macs() == out.size * k


@pytest.mark.parametrize("in_shape,kernel,strides,padding", [
    ((1, 5, 5, 3), (3, 3), (2, 2), "same"),
    ((2, 4, 6, 2), (2, 3), (1, 2), "valid"),
])
def test_count_macs_counts_transpose_conv(tmp_path, in_shape, kernel, strides, padding):
    import tconv_bmm_models

    out_c = 4
    interp = pyruntime.Interpreter(tconv_bmm_models.tconv_model(
        tmp_path, in_shape=in_shape, out_c=out_c, kernel=kernel, strides=strides, padding=padding))
    n, h, w, c = in_shape
    # Each input value is multiplied by each of its kh * kw * out_c weights.
    assert interp.count_macs() == n * h * w * c * kernel[0] * kernel[1] * out_c


def test_interleaved_rounds_vary_the_order():
    """Each contender runs once per round and follows every other one in some
    rounds (a runtime's still-spinning threads slow down whichever runs next)."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import run_bench

    order = []
    contenders = {k: (lambda k=k: order.append(k)) for k in "abcd"}
    times = run_bench.interleaved_medians(contenders, rounds=40)
    assert all(len(v) == 40 for v in times.values())
    assert all(sorted(order[i:i + 4]) == list("abcd") for i in range(0, len(order), 4))
    pairs = {(p, c) for p, c in zip(order, order[1:]) if p != c}
    assert len(pairs) == 4 * 3, sorted(pairs)
