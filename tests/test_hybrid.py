"""Dynamic-range ("hybrid") models against LiteRT's builtin kernels, bit for
bit (==): float32 activations with int8 weights on CONV_2D,
DEPTHWISE_CONV_2D and FULLY_CONNECTED.

The comparison is with OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES (the
optimized kernels): LiteRT's reference hybrid kernels order their float
multiplications differently and differ from its own builtin ones (by 0.34
relative on the MobileNetV2 softmax output), see reference_semantics.md.
Ops other than the hybrid ones (float SOFTMAX, ADD, MEAN ...) keep the float
models' bound of 1e-5; the MobileNetV2 logits (FULLY_CONNECTED output, made
a model output) are compared with ==.
"""
import numpy as np
import pytest

import hybrid_models as hm
import model_edit
import model_kinds as mk
import pyruntime

FLOAT_BOUND = 1e-5


def _run(interp, inputs):
    out = interp.run(list(inputs))
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _assert_equal(ours, refs, what):
    for k, (o, r) in enumerate(zip(ours, refs)):
        assert o.dtype == r.dtype and o.shape == r.shape, f"{what}: output {k} {o.shape} vs {r.shape}"
        diff = np.count_nonzero(o != r)
        assert diff == 0, (f"{what}: output {k}: {diff} of {o.size} differ, "
                           f"max rel {mk.max_rel_error(o, r):.3e}")


def _sets(path, seeds):
    return [mk.random_float_inputs(path, s) for s in seeds]


def _zero_image_sets(path):
    """Image 1 all zeros (scale-1 path of both quantizers), and an all-zero batch."""
    x = mk.random_float_inputs(path, 5)[0]
    one = x.copy()
    one[1:] = 0.0
    return [[one], [np.zeros_like(x)]]


@pytest.mark.parametrize("batch", [1, 2])
def test_mixed_bit_exact(batch):
    path = hm.mixed_hybrid(batch=batch)
    sets = _sets(path, (0, 1))
    refs, _ = mk.builtin_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for i, (inputs, ref) in enumerate(zip(sets, refs)):
        _assert_equal(_run(interp, inputs), ref, f"{path.name} set {i}")


@pytest.mark.parametrize("edit", ["symmetric_fc", "one_scale_conv"])
def test_paths_the_converter_does_not_emit(edit):
    base = hm.mixed_hybrid(batch=2)
    path = hm.edited_hybrid(base, edit)
    sets = _sets(path, (0, 1)) + _zero_image_sets(path)
    refs, _ = mk.builtin_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    plain = pyruntime.Interpreter(str(base))
    for i, (inputs, ref) in enumerate(zip(sets, refs)):
        ours = _run(interp, inputs)
        _assert_equal(ours, ref, f"{path.name} set {i}")
        if i == 0:  # the edit changes results: the other path really ran
            before = _run(plain, inputs)
            assert any(not np.array_equal(a, b) for a, b in zip(ours, before))


def test_zero_images_and_threads():
    path = hm.mixed_hybrid(batch=2)
    sets = _zero_image_sets(path) + _sets(path, (3,))
    refs, _ = mk.builtin_outputs(path, sets)
    for threads in (1, 2):
        interp = pyruntime.Interpreter(str(path), num_threads=threads)
        for i, (inputs, ref) in enumerate(zip(sets, refs)):
            _assert_equal(_run(interp, inputs), ref, f"{threads} threads, set {i}")


def test_isa_paths_agree(monkeypatch):
    """The portable hybrid kernels and those of every path this CPU runs
    (AVX2, AVX-512 VNNI; NEON, dotprod) give the same bits."""
    path = hm.edited_hybrid(hm.mixed_hybrid(batch=2), "symmetric_fc")
    sets = _sets(path, (0,)) + _zero_image_sets(path)
    outs = {}
    for isa in pyruntime.cpu_paths():
        monkeypatch.setenv("PYRUNTIME_ISA", isa)
        outs[isa] = [_run(pyruntime.Interpreter(str(path)), s) for s in sets]
    if len(outs) == 1:
        pytest.skip("this CPU runs only the reference path")
    for isa in outs:
        for a, b in zip(outs["reference"], outs[isa]):
            _assert_equal(a, b, f"reference vs {isa}")


def test_mobilenet_v2_hybrid():
    path = hm.edited_hybrid(hm.zoo_hybrid("mobilenet_v2"), "fc_outputs")
    ops = {d["op_name"] for d in pyruntime.Interpreter(str(path))._get_ops_details()}
    assert {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"} <= ops
    sets = _sets(path, (0, 1))
    refs, _ = mk.builtin_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for inputs, ref in zip(sets, refs):
        probs, logits = _run(interp, inputs)
        _assert_equal([logits], [ref[1]], "MobileNetV2 hybrid logits")
        assert mk.max_rel_error(probs, ref[0]) <= FLOAT_BOUND  # float SOFTMAX


def _with_filter_zero_point(data: bytes) -> bytes:
    def edit(model):
        t = model.subgraphs[0].tensors
        op = model.subgraphs[0].operators[0]  # CONV_2D with an int8 filter
        t[op.inputs[1]].quantization.zeroPoint = [1] * len(t[op.inputs[1]].quantization.scale)
    return model_edit.edited(data, edit)


def test_rejects_asymmetric_filter():
    data = _with_filter_zero_point(hm.mixed_hybrid(batch=1).read_bytes())
    with pytest.raises(pyruntime.ModelError, match=r"op 0 \(CONV_2D\).*zero point"):
        pyruntime.Interpreter(data)


def _rounding_rows(peak: float, negatives: bool) -> np.ndarray:
    """Rows whose quantized values land on .5 ties and on 0.49999997 (just
    below .5) both in LiteRT's vector loop (first 16) and its scalar tail
    (last 3): peak makes the quantization step exactly 1."""
    below = np.nextafter(np.float32(0.5), np.float32(0))
    row = np.array([peak, 0.5, 1.5, 2.5, below, 3.0, 10.5, 0.25, 4.5, below + 1, 7.0, 0.0,
                    5.5, 6.5, below, 8.5, 0.5, below, 2.5], dtype=np.float32)
    rows = np.stack([row, row[::-1].copy()])
    if negatives:
        rows[:, 2::3] *= -1
        rows[:, 0] = peak
    return rows


@pytest.mark.parametrize("symmetric", [True, False])
def test_quantizer_rounding_quirks(symmetric):
    """NEON_2_SSE rounding (add 0.5, truncate, before adding the zero point)
    in the vector part and std::round in the tail: the portable LiteRT
    quantizer would give other levels for these rows."""
    path = hm.dense_hybrid()
    if symmetric:
        path = hm.edited_hybrid(path, "symmetric_fc")
    sets = [[_rounding_rows(127.0, True)]] if symmetric else [[_rounding_rows(255.0, False)]]
    refs, _ = mk.builtin_outputs(path, sets)
    _assert_equal(_run(pyruntime.Interpreter(str(path)), sets[0]), refs[0], path.name)
