"""Bad runtime input and API misuse: each is a clear exception or a documented
behaviour (docs/reliability.md), and the caller's arrays are never modified."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import pyruntime
import tiny_models as tm
from model_zoo import reference_outputs

DEMO = Path(pyruntime.__file__).parent / "data" / "digits_int8.tflite"


@pytest.fixture
def interp() -> pyruntime.Interpreter:
    return pyruntime.Interpreter(DEMO)


def sample(seed=0):
    return np.random.default_rng(seed).integers(-128, 128, size=(1, 8, 8, 1), dtype=np.int8)


# -- rank-0 (scalar) graph inputs ----------------------------------------------

def test_scalar_input_all_call_styles():
    it = pyruntime.Interpreter(model_content=tm.quantize_model(shape=(), scale=0.5, zero_point=3))
    assert it.get_input_details()[0]["shape"].shape == (0,)
    expected = np.array(5, np.int8)  # round(1.0 / 0.5) + 3
    for x in (np.array(1.0, np.float32), np.float32(1.0), [np.float32(1.0)], 1.0, {"x": 1.0}):
        y = it.run(x)
        assert y.shape == () and y.dtype == np.int8 and y == expected, x
    it.set_tensor(0, np.array(2.0, np.float32))
    it.invoke()
    assert it.get_tensor(1) == 7


def test_scalar_inputs_of_a_two_input_model():
    it = pyruntime.Interpreter(model_content=tm.add_model(shape=(), quant=(0.5, 0)))
    assert it.run([np.int8(3), np.array(2, np.int8)]) == 5
    assert it.run([3, 2]) == 5 and it.run({"a": 1, "b": 1}) == 2
    with pytest.raises(ValueError, match=r"expected dtype int8, got int64"):
        it.run([300, 1])  # does not fit int8: never wrapped silently
    with pytest.raises(ValueError, match=r"expected dtype int8, got float64"):
        it.run([1.5, 1])
    with pytest.raises(ValueError, match=r"expected shape \(\), got \(1,\)"):
        it.run([np.array([3], np.int8), np.int8(2)])


def test_list_and_tuple_of_arrays_of_a_two_input_model():
    # run()'s fast path takes a list or tuple of arrays; the checks are the same.
    it = pyruntime.Interpreter(model_content=tm.add_model(shape=(2, 3), quant=(0.5, 0)))
    a = np.arange(6, dtype=np.int8).reshape(2, 3)
    b = np.full((2, 3), 10, np.int8)
    for call in ([a, b], (a, b), {"a": a, "b": b}):
        assert np.array_equal(it.run(call), a + b), type(call)
    with pytest.raises(ValueError, match=r"expected shape \(2, 3\), got \(3, 2\)"):
        it.run([a, b.reshape(3, 2)])
    with pytest.raises(ValueError, match=r"expected dtype int8, got int16"):
        it.run((a, b.astype(np.int16)))
    with pytest.raises(ValueError, match=r"the model has 2 inputs, got 3 arrays"):
        it.run([a, b, b])
    with pytest.raises(ValueError, match=r"the model has 2 inputs, got 1 arrays"):
        it.run([a])


# -- wrong dtype / shape / rank --------------------------------------------------

@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32, np.float64, np.bool_])
def test_wrong_dtype(interp, dtype):
    with pytest.raises(ValueError, match=r"expected dtype int8, got"):
        interp.run(np.zeros((1, 8, 8, 1), dtype))


@pytest.mark.parametrize("shape", [(), (64,), (8, 8, 1), (1, 8, 8, 1, 1), (1, 8, 8, 2), (2, 8, 8, 1)])
def test_wrong_shape_or_rank(interp, shape):
    with pytest.raises(ValueError, match=r"expected shape \(1, 8, 8, 1\), got"):
        interp.run(np.zeros(shape, np.int8))


def test_not_array_like(interp):
    with pytest.raises((TypeError, ValueError)):
        interp.run(object())
    with pytest.raises((TypeError, ValueError)):
        interp.run(None)


# -- array layouts and ownership -------------------------------------------------

def test_read_only_input(interp):
    x = sample(1)
    ro = np.frombuffer(x.tobytes(), np.int8).reshape(x.shape)
    assert not ro.flags.writeable
    assert np.array_equal(interp.run(ro), interp.run(x))


@pytest.mark.parametrize("layout", ["fortran", "reversed", "strided", "broadcast"])
def test_non_contiguous_inputs(interp, layout):
    x = sample(2)
    if layout == "fortran":
        view = np.asfortranarray(x)
    elif layout == "reversed":
        base = x[:, ::-1].copy()
        view = base[:, ::-1]
    elif layout == "strided":
        base = np.zeros((1, 16, 8, 1), np.int8)
        base[:, ::2] = x
        view = base[:, ::2]
    else:
        x = np.full((1, 8, 8, 1), 7, np.int8)
        view = np.broadcast_to(np.int8(7), (1, 8, 8, 1))
    before = np.array(view, copy=True)
    assert np.array_equal(interp.run(view), interp.run(np.ascontiguousarray(x)))
    assert np.array_equal(view, before)


def test_inputs_never_modified_outputs_owned(interp):
    xs = [sample(s) for s in range(3)]
    copies = [x.copy() for x in xs]
    outs = [interp.run(x) for x in xs]
    frozen = [o.copy() for o in outs]
    interp.run(sample(9))
    for x, c, o, f in zip(xs, copies, outs, frozen):
        assert np.array_equal(x, c) and np.array_equal(o, f)
        assert o.flags.owndata or o.base is None or not np.shares_memory(o, interp.run(x))
    interp.set_tensor(interp.get_input_details()[0]["index"], xs[0])
    xs[0][...] = 0  # set_tensor copied: changing the array afterwards has no effect
    interp.invoke()
    assert np.array_equal(interp.get_tensor(interp.get_output_details()[0]["index"]), frozen[0])


def test_get_tensor_returns_a_copy(interp):
    x = sample(3)
    interp.set_tensor(interp.get_input_details()[0]["index"], x)
    t = interp.get_tensor(interp.get_input_details()[0]["index"])
    t[...] = 0
    assert np.array_equal(interp.get_tensor(interp.get_input_details()[0]["index"]), x)


# -- NaN / Inf into QUANTIZE -----------------------------------------------------

@pytest.mark.parametrize("zero_point", [-128, -5, 0, 3, 127])
def test_nan_inf_into_quantize_match_litert(tmp_path, zero_point):
    path = tmp_path / "quantize.tflite"
    path.write_bytes(tm.quantize_model(shape=(8,), scale=0.25, zero_point=zero_point))
    x = np.array([np.nan, -np.nan, np.inf, -np.inf, 1e38, -1e38, 3e9, 0.5], np.float32)
    ours = pyruntime.Interpreter(path).run(x)
    (ref,) = reference_outputs(path, [[x]])[0]
    assert np.array_equal(ours, ref), (ours, ref)


# -- call order and indices ------------------------------------------------------

def test_invoke_before_inputs_set_runs_on_zeros(interp):
    interp.invoke()  # documented: inputs start zero-filled
    out = interp.get_tensor(interp.get_output_details()[0]["index"])
    assert np.array_equal(out, pyruntime.Interpreter(DEMO).run(np.zeros((1, 8, 8, 1), np.int8)))


def test_get_tensor_before_invoke_is_defined(interp):
    out = interp.get_tensor(interp.get_output_details()[0]["index"])
    assert out.shape == (1, 10) and not out.any()  # zero-filled arena


@pytest.mark.parametrize("index", [-1, -(2**31), 10_000, 2**31 - 1, 2**40])
def test_get_tensor_index_out_of_range(interp, index):
    with pytest.raises((ValueError, OverflowError, TypeError)):
        interp.get_tensor(index)


def test_get_tensor_of_every_tensor_is_safe(interp):
    # Intermediates share arena memory: readable (documented as unspecified
    # contents unless preserve_all_tensors=True), never a crash.
    interp.run(sample())
    for d in interp.get_tensor_details():
        t = interp.get_tensor(d["index"])
        assert tuple(t.shape) == tuple(d["shape"]) and t.dtype == d["dtype"]


def test_bad_index_types(interp):
    with pytest.raises(TypeError):
        interp.get_tensor("0")
    with pytest.raises(ValueError, match="not a graph input"):
        interp.set_tensor(-1, sample())
    with pytest.raises(ValueError, match="not a graph input"):
        interp.resize_tensor_input(10_000, [1, 8, 8, 1])


def test_resize_fixed_dimension_rejected(interp):
    index = interp.get_input_details()[0]["index"]
    for shape in ([2, 8, 8, 1], [1, 8, 8], [1, -1, 8, 1]):
        with pytest.raises(ValueError):
            interp.resize_tensor_input(index, shape)
    assert interp.run(sample()).shape == (1, 10)  # still usable


# -- use after close --------------------------------------------------------------

CALLS = {
    "run": lambda it: it.run(sample()),
    "invoke": lambda it: it.invoke(),
    "allocate_tensors": lambda it: it.allocate_tensors(),
    "set_tensor": lambda it: it.set_tensor(0, sample()),
    "get_tensor": lambda it: it.get_tensor(0),
    "get_input_details": lambda it: it.get_input_details(),
    "get_output_details": lambda it: it.get_output_details(),
    "get_tensor_details": lambda it: it.get_tensor_details(),
    "resize_tensor_input": lambda it: it.resize_tensor_input(0, [1, 8, 8, 1]),
    "_get_ops_details": lambda it: it._get_ops_details(),
    "arena_bytes": lambda it: it.arena_bytes,
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_use_after_close(call):
    it = pyruntime.Interpreter(DEMO)
    it.close()
    it.close()  # idempotent
    with pytest.raises(ValueError, match="closed"):
        CALLS[call](it)


def test_context_manager_closes():
    with pyruntime.Interpreter(DEMO) as it:
        it.run(sample())
    with pytest.raises(ValueError, match="closed"):
        it.run(sample())


def test_arrays_outlive_interpreter():
    it = pyruntime.Interpreter(DEMO)
    x = sample(5)
    y = it.run(x)
    expected = y.copy()
    it.close()
    del it
    assert np.array_equal(y, expected)
