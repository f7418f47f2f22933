"""TRANSPOSE_CONV and BATCH_MATMUL (and FULLY_CONNECTED on 3-D inputs):
int8 bit-exact against LiteRT's reference kernels, float32 within 1e-5
relative error of them (the floor of model_kinds.float_oracle).

Hand-built one-op models (tables below) are all run through LiteRT in one
subprocess per module (fixtures), then compared case by case."""
from __future__ import annotations

import numpy as np
import pytest

import model_edit
import model_kinds
import model_zoo
import op_models
import pyruntime
from pyruntime import _core, _testing
from bitexact import assert_bit_exact, describe_mismatch
from tconv_bmm_models import (attention_keras, bmm_model, float_model, litert_outputs_many, matmul_keras,
                              tconv_dynamic_batch_keras, tconv_keras, tconv_model, unet_keras)

FLOAT_TOL = 1e-5
ISAS = _testing.available_isas()  # every kernel path this CPU runs
INT8_SEEDS = (0, 1, 2)
FLOAT_SEEDS = (0, 1)

# ---- hand-built cases: id -> (builder, kwargs) ----

INT8_CASES = {}
for _s in (1, 2, 3):
    for _p in ("same", "valid"):
        INT8_CASES[f"tconv_s{_s}_{_p}"] = (tconv_model, dict(in_shape=(1, 5, 4, 3), strides=(_s, _s),
                                                             padding=_p, seed=_s))
INT8_CASES.update({
    "tconv_per_tensor_no_bias": (tconv_model, dict(bias=False, w_scales=0.01)),
    "tconv_relu": (tconv_model, dict(activation="relu")),
    "tconv_relu6": (tconv_model, dict(activation="relu6", out_q=(0.03, -100))),
    "tconv_relu_n1_to_1": (tconv_model, dict(activation="relu_n1_to_1", out_q=(0.01, 0))),
    "tconv_zp_min": (tconv_model, dict(in_q=(0.05, -128), out_q=(None, 127))),
    "tconv_zp_max": (tconv_model, dict(in_q=(0.05, 127), out_q=(None, -128))),
    "tconv_odd_batch2": (tconv_model, dict(in_shape=(2, 7, 5, 3), kernel=(2, 3), strides=(3, 2), out_c=5)),
    "tconv_odd_output": (tconv_model, dict(in_shape=(1, 4, 6, 5), kernel=(4, 4), out_hw=(7, 11))),
    "tconv_valid_big_kernel": (tconv_model, dict(in_shape=(1, 3, 3, 2), kernel=(5, 5), strides=(1, 1),
                                                 padding="valid")),
    "tconv_valid_odd_output": (tconv_model, dict(in_shape=(1, 2, 2, 3), kernel=(7, 6), strides=(3, 3),
                                                 padding="valid", out_hw=(12, 9))),
    "tconv_same_stride3x2": (tconv_model, dict(in_shape=(1, 5, 4, 3), kernel=(2, 2), strides=(3, 2),
                                               out_hw=(13, 7))),
    "tconv_deep": (tconv_model, dict(in_shape=(1, 6, 6, 16), out_c=8)),
    "tconv_weight_zero_point_ignored": (tconv_model, dict(w_zero_point=9)),
    "tconv_per_tensor_batch3": (tconv_model, dict(in_shape=(3, 4, 3, 6), w_scales=0.004, in_q=(0.1, -60))),
    "bmm_rank2": (bmm_model, dict(lhs_shape=(3, 4), rhs_shape=(4, 5))),
    "bmm_rank3": (bmm_model, dict(lhs_shape=(2, 3, 7), rhs_shape=(2, 7, 5))),
    "bmm_broadcast": (bmm_model, dict(lhs_shape=(2, 1, 3, 6), rhs_shape=(4, 6, 5))),
    "bmm_rank2x4": (bmm_model, dict(lhs_shape=(3, 6), rhs_shape=(2, 3, 6, 4))),
    "bmm_rank5": (bmm_model, dict(lhs_shape=(2, 1, 3, 5, 4), rhs_shape=(1, 2, 1, 4, 3))),
    "bmm_zp_extreme_a": (bmm_model, dict(lhs_q=(0.05, -128), rhs_q=(0.03, 127), out_q=(0.8, 127))),
    "bmm_zp_extreme_b": (bmm_model, dict(lhs_q=(0.05, 127), rhs_q=(0.03, -128), out_q=(None, 127))),
    "bmm_const_rhs_adj_y": (bmm_model, dict(rhs_const=True, adj_y=True, lhs_shape=(2, 4, 6), rhs_shape=(5, 6))),
    "bmm_const_rhs": (bmm_model, dict(rhs_const=True, lhs_shape=(3, 4, 33), rhs_shape=(33, 17))),
    "bmm_attention_4d": (bmm_model, dict(lhs_shape=(2, 3, 6, 8), rhs_shape=(2, 3, 6, 8), adj_y=True)),
    # Past the GEMM tile (6 x 16) and one 128-k row-sum chunk, zero points at the ends.
    "bmm_tiles_chunks": (bmm_model, dict(lhs_shape=(2, 13, 130), rhs_shape=(2, 130, 35), lhs_q=(0.05, -3),
                                         rhs_q=(0.03, 127), seed=3)),
    "bmm_tiles_chunks_adj": (bmm_model, dict(lhs_shape=(1, 257, 7), rhs_shape=(3, 33, 257), adj_x=True,
                                             adj_y=True, lhs_q=(0.02, 2), rhs_q=(0.04, -128), seed=4)),
    "bmm_rhs_zero_point_0": (bmm_model, dict(lhs_shape=(3, 9, 20), rhs_shape=(20, 18), rhs_q=(0.03, 0))),
})
for _x in (False, True):
    for _y in (False, True):
        INT8_CASES[f"bmm_adj_{int(_x)}{int(_y)}"] = (bmm_model, dict(
            lhs_shape=(2, 9, 5) if _x else (2, 5, 9), rhs_shape=(1, 7, 9) if _y else (1, 9, 7),
            adj_x=_x, adj_y=_y))
# Multiplier > 1 saturates nearly everything: bit-exactness only.
SATURATING = {
    "bmm_multiplier_above_one": (bmm_model, dict(lhs_q=(2.0, 0), rhs_q=(3.0, 0), out_q=(0.5, 0))),
    # K = 140000 with zero points -128: sums pass 2^31 and wrap in the
    # reference's int32 accumulator (and in ours, chunked).
    "bmm_deep_wrapping": (bmm_model, dict(lhs_shape=(2, 140000), rhs_shape=(140000, 3), lhs_q=(0.01, -128),
                                          rhs_q=(0.01, -128), out_q=(1e-4, 0))),
}
# Models the reference refuses at Prepare; we must refuse them too.
REJECTED = {  # in 4x6, kernel 4, stride 2: valid outputs are 7-8 x 11-12 (SAME), 10-11 x 14-15 (VALID)
    "tconv_out_h_too_big": (tconv_model, dict(in_shape=(1, 4, 6, 2), kernel=(4, 4), out_hw=(9, 12))),
    "tconv_out_w_too_small": (tconv_model, dict(in_shape=(1, 4, 6, 2), kernel=(4, 4), out_hw=(8, 10))),
    "tconv_valid_out_too_big": (tconv_model, dict(in_shape=(1, 4, 6, 2), kernel=(4, 4), padding="valid",
                                                  out_hw=(12, 14))),
}
FLOAT_CASES = {
    "tconv_default": (tconv_model, dict()),
    "tconv_valid_relu6": (tconv_model, dict(padding="valid", strides=(3, 1), activation="relu6")),
    "tconv_batch2_no_bias_relu": (tconv_model, dict(in_shape=(2, 5, 3, 4), kernel=(2, 3), strides=(2, 3),
                                                    bias=False, activation="relu")),
    "tconv_odd_output": (tconv_model, dict(in_shape=(1, 4, 6, 5), kernel=(4, 4), out_hw=(7, 11))),
    "bmm_rank2": INT8_CASES["bmm_rank2"],
    "bmm_broadcast": INT8_CASES["bmm_broadcast"],
    "bmm_rank2x4": INT8_CASES["bmm_rank2x4"],
    "bmm_rank5": INT8_CASES["bmm_rank5"],
    "bmm_adj_11": INT8_CASES["bmm_adj_11"],
    "bmm_adj_10": INT8_CASES["bmm_adj_10"],
    "bmm_const_rhs_adj_y": INT8_CASES["bmm_const_rhs_adj_y"],
    "bmm_const_rhs_deep": (bmm_model, dict(rhs_const=True, lhs_shape=(3, 4, 40), rhs_shape=(40, 17))),
    "bmm_attention_4d": INT8_CASES["bmm_attention_4d"],
    "bmm_tiles_chunks_adj": INT8_CASES["bmm_tiles_chunks_adj"],  # 3 panels, the last 1 column
}


@pytest.fixture(scope="module")
def int8_refs(tmp_path_factory):
    d = tmp_path_factory.mktemp("int8")
    jobs = {}
    for key, (build, kw) in {**INT8_CASES, **SATURATING, **REJECTED}.items():
        path = build(d, name=key, **kw)
        jobs[key] = (path, [model_zoo.random_inputs(path, seed=s) for s in INT8_SEEDS])
    return jobs, litert_outputs_many(jobs)


@pytest.fixture(scope="module")
def float_refs(tmp_path_factory):
    d = tmp_path_factory.mktemp("float")
    jobs = {}
    for key, (build, kw) in FLOAT_CASES.items():
        path = build(d, name=key, dtype=np.float32, **kw)
        jobs[key] = (path, [model_kinds.random_float_inputs(path, seed=s) for s in FLOAT_SEEDS])
    return jobs, litert_outputs_many(jobs)


def _run(path, sets, threads=1):
    interp = pyruntime.Interpreter(str(path), num_threads=threads)
    outs = []
    for s in sets:
        o = interp.run(list(s))
        outs.append(o if isinstance(o, list) else [o])
    return outs


def _compare_int8(key, jobs, refs, require_spread=True):
    path, sets = jobs[key]
    ref = refs[key]
    assert not isinstance(ref, str), f"reference failed: {ref}"
    for seed, ours, r in zip(INT8_SEEDS, _run(path, sets), ref):
        for k, (o, rr) in enumerate(zip(ours, r)):
            assert o.dtype == rr.dtype and o.shape == rr.shape and np.array_equal(o, rr), (
                f"{key}: output {k}, seed {seed}: {describe_mismatch(o, rr)}")
    if require_spread:  # the comparison means little if everything saturates
        assert len(np.unique(np.concatenate([r[0].ravel() for r in ref]))) > 16


def check_int8(path):
    refs = assert_bit_exact(path, seeds=INT8_SEEDS)
    assert len(np.unique(np.concatenate([r[0].ravel() for r in refs]))) > 16


def check_float(path):
    sets = [model_kinds.random_float_inputs(path, seed=s) for s in FLOAT_SEEDS]
    model_kinds.float_oracle(path, sets, floor=FLOAT_TOL).check(_run(path, sets), str(path))


def _compare_float(key, ours_sets, ref_sets):
    for ours, ref in zip(ours_sets, ref_sets):
        for o, r in zip(ours, ref):
            assert o.shape == r.shape and o.dtype == r.dtype, f"{key}: {o.shape} vs {r.shape}"
            err = model_kinds.max_rel_error(o, r)
            assert err <= FLOAT_TOL, f"{key}: max relative error {err:g}"


# ----------------------------------------------------------------------------
# Hand-built cases
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("key", list(INT8_CASES))
def test_int8_bit_exact(int8_refs, key, isa, monkeypatch):
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    _compare_int8(key, *int8_refs)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("key", list(SATURATING))
def test_int8_saturating_bit_exact(int8_refs, key, isa, monkeypatch):
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    _compare_int8(key, *int8_refs, require_spread=False)


@pytest.mark.parametrize("key", list(REJECTED))
def test_rejected_like_reference(int8_refs, key):
    jobs, refs = int8_refs
    assert isinstance(refs[key], str) and "computed_input" in refs[key], refs[key]
    with pytest.raises(pyruntime.ModelError, match="TRANSPOSE_CONV.*does not match input"):
        pyruntime.Interpreter(str(jobs[key][0]))


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("key", list(FLOAT_CASES))
def test_float32_close_to_builtin(float_refs, key, isa, monkeypatch):
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    jobs, refs = float_refs
    assert not isinstance(refs[key], str), f"LiteRT failed: {refs[key]}"
    _compare_float(key, _run(*jobs[key]), refs[key])


@pytest.mark.parametrize("key", ["tconv_odd_batch2", "tconv_deep"])
def test_tconv_threads_bit_exact(int8_refs, float_refs, key):
    """Output rows split across 3 threads: same bits (int8) / same floats."""
    jobs, refs = int8_refs
    for ours, ref in zip(_run(*jobs[key], threads=3), refs[key]):
        assert np.array_equal(ours[0], ref[0])
    fjobs, _ = float_refs
    fkey = "tconv_batch2_no_bias_relu"
    for one, three in zip(_run(*fjobs[fkey]), _run(*fjobs[fkey], threads=3)):
        assert np.array_equal(one[0], three[0])


def _edited(path, fn):
    path.write_bytes(model_edit.edited(path.read_bytes(), fn))
    return str(path)


def test_tconv_output_shape_as_graph_input(tmp_path):
    """output_shape fed at invoke: planned then, checked like a constant one."""
    def computed_shape(m):
        m.subgraphs[0].inputs = [0, 2]
        m.subgraphs[0].tensors[0].buffer = 0
    path = _edited(tconv_model(tmp_path), computed_shape)
    interp = pyruntime.Interpreter(path)
    shape_in, x_in = interp.get_input_details()
    x = model_zoo.random_input(x_in, seed=4)
    inputs = [np.array([1, 10, 10, 4], np.int32), x]
    ref = model_zoo.reference_output(path, inputs)[0]
    ours = interp.run(inputs)
    assert ours.shape == ref.shape == (1, 10, 10, 4) and np.array_equal(ours, ref)
    with pytest.raises(pyruntime.ModelError, match=r"TRANSPOSE_CONV.*output_shape \[1, 10, 10, 7\]"):
        interp.run([np.array([1, 10, 10, 7], np.int32), x])


def test_tconv_rejects_output_channels_mismatch(tmp_path):
    def wrong_channels(m):
        m.buffers[1].data = np.frombuffer(np.array([1, 10, 10, 7], np.int32).tobytes(), np.uint8)
    with pytest.raises(pyruntime.ModelError, match=r"TRANSPOSE_CONV.*output_shape \[1, 10, 10, 7\]"):
        pyruntime.Interpreter(_edited(tconv_model(tmp_path), wrong_channels))


def test_bmm_rejects_mismatched_depth(tmp_path):
    def bad(m):
        m.subgraphs[0].tensors[1].shape = [2, 5, 5]
    with pytest.raises(pyruntime.ModelError, match="BATCH_MATMUL.*inner dimensions differ"):
        pyruntime.Interpreter(_edited(bmm_model(tmp_path), bad))


def test_bmm_rejects_unbroadcastable_batch(tmp_path):
    def bad(m):
        m.subgraphs[0].tensors[0].shape = [3, 3, 4]
    with pytest.raises(pyruntime.ModelError, match="BATCH_MATMUL.*do not broadcast"):
        pyruntime.Interpreter(_edited(bmm_model(tmp_path), bad))


# ----------------------------------------------------------------------------
# Keras conversions: Conv2DTranspose, tf.matmul, attention, Dense on [B, T, C]
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    dict(), dict(strides=1, padding="valid", kernel=2, batch=2),
    dict(in_shape=(4, 5, 8), filters=6, kernel=3, strides=3, use_bias=False, calib_scale=0.05),
    dict(calib_scale=20.0),
])
def test_tconv_keras_int8(kwargs):
    check_int8(tconv_keras(**kwargs))


@pytest.mark.parametrize("kwargs", [
    dict(shape_a=(2, 5, 6), shape_b=(2, 7, 6), batch=2),
    dict(shape_a=(6, 5), shape_b=(6, 7), transpose_a=True, transpose_b=False, calib_scale=(0.1, 8.0)),
])
def test_matmul_keras_int8(kwargs):
    check_int8(matmul_keras(**kwargs))


def test_attention_keras_int8():
    check_int8(attention_keras(shape=(2, 6, 8), batch=2))


def test_tconv_dynamic_batch_int8():
    """output_shape computed from the input's shape (folded at Prepare), run
    with batch 1 and 3."""
    path = tconv_dynamic_batch_keras()
    sets = [[model_zoo.random_input((b, 5, 6, 3), np.int8, seed=b)] for b in (1, 3, 1)]
    refs = litert_outputs_many({"dyn": (path, sets)})["dyn"]
    assert not isinstance(refs, str), refs
    interp = pyruntime.Interpreter(str(path))
    for s, ref in zip(sets, refs):
        ours = interp.run(s)
        assert ours.shape == ref[0].shape and np.array_equal(ours, ref[0])


def test_unet_keras_int8():
    check_int8(unet_keras(batch=2))


@pytest.mark.parametrize("kind,kwargs", [
    ("unet", dict(in_shape=(16, 16, 3), width=8)),
    ("tconv", dict(batch=2, in_shape=(5, 6, 3), filters=4, kernel=3, strides=2, padding="same",
                   activation="relu")),
    ("matmul", dict(shape_a=(2, 5, 6), shape_b=(2, 7, 6))),
    ("attention", dict(batch=2, shape=(2, 6, 8))),
    ("tconv", dict(in_shape=(4, 5, 6), filters=3, kernel=2, strides=2, padding="valid", weights="float16")),
])
def test_keras_float32(kind, kwargs):
    check_float(float_model(kind, **kwargs))


@pytest.mark.parametrize("kwargs", [dict(in_shape=(7, 12), units=9, batch=2),
                                    dict(in_shape=(5, 6), units=8, use_bias=False, calib_scale=0.1)])
def test_dense_3d_int8(kwargs):
    path = op_models.dense_model(**kwargs)
    refs = assert_bit_exact(path)
    assert refs[0][0].ndim == 3


def test_dense_3d_float32(tmp_path):
    _, keras = model_zoo._tf()
    keras.utils.set_random_seed(0)
    x = keras.Input(batch_shape=(2, 7, 12))
    y = keras.layers.Dense(9, bias_initializer=keras.initializers.RandomNormal(stddev=0.3))(x)
    path = tmp_path / "dense3d.tflite"
    path.write_bytes(model_kinds.convert_float(keras.Model(x, y), "float32"))
    check_float(path)
