"""The Python API: TFLite-compatible surface, run(), and its errors."""

from __future__ import annotations

import pickle
import threading
from pathlib import Path

import numpy as np
import pytest

import pyruntime
from model_edit import BuiltinOperator, edited
from pyruntime.quantization import quantize

DEMO = Path(pyruntime.__file__).parent / "data" / "digits_int8.tflite"


@pytest.fixture(scope="module")
def demo_bytes() -> bytes:
    return DEMO.read_bytes()


@pytest.fixture
def interp() -> pyruntime.Interpreter:
    return pyruntime.Interpreter(DEMO)


def sample(interp, seed=0):
    d = interp.get_input_details()[0]
    rng = np.random.default_rng(seed)
    return rng.integers(-128, 128, size=tuple(d["shape"]), dtype=np.int8)


def test_version_and_docstrings():
    assert pyruntime.__version__
    for obj in (pyruntime, pyruntime.Interpreter, pyruntime.ModelError, pyruntime.Interpreter.run,
                pyruntime.Interpreter.get_input_details, pyruntime.Interpreter.invoke):
        assert obj.__doc__ and obj.__doc__.strip()
    assert issubclass(pyruntime.ModelError, ValueError)


def test_constructors_agree(demo_bytes):
    x = sample(pyruntime.Interpreter(DEMO))
    results = [
        pyruntime.Interpreter(DEMO).run(x),
        pyruntime.Interpreter(str(DEMO)).run(x),
        pyruntime.Interpreter(model_path=str(DEMO)).run(x),
        pyruntime.Interpreter(model_content=demo_bytes).run(x),
        pyruntime.Interpreter(bytearray(demo_bytes)).run(x),
    ]
    for r in results[1:]:
        assert np.array_equal(r, results[0])


def test_details_match_litert():
    from ai_edge_litert.interpreter import Interpreter as LiteRT

    ours = pyruntime.Interpreter(DEMO)
    ref = LiteRT(model_path=str(DEMO))
    ref.allocate_tensors()
    for mine, theirs in ((ours.get_input_details(), ref.get_input_details()),
                         (ours.get_output_details(), ref.get_output_details())):
        assert len(mine) == len(theirs)
        for a, b in zip(mine, theirs):
            assert set(b) <= set(a), set(b) - set(a)
            assert a["name"] == b["name"] and a["index"] == b["index"]
            assert a["dtype"] == b["dtype"]
            assert np.array_equal(a["shape"], b["shape"])
            assert np.array_equal(a["shape_signature"], b["shape_signature"])
            assert a["quantization"] == pytest.approx(b["quantization"])
            qa, qb = a["quantization_parameters"], b["quantization_parameters"]
            assert np.array_equal(qa["scales"], qb["scales"])
            assert np.array_equal(qa["zero_points"], qb["zero_points"])


def test_tflite_style_flow_matches_run(interp):
    x = sample(interp, 3)
    interp.allocate_tensors()
    interp.set_tensor(interp.get_input_details()[0]["index"], x)
    interp.invoke()
    y = interp.get_tensor(interp.get_output_details()[0]["index"])
    assert np.array_equal(y, interp.run(x))
    assert interp.run([x]).shape == y.shape
    name = interp.get_input_details()[0]["name"]
    assert np.array_equal(interp.run({name: x}), y)


def test_outputs_are_owned_and_inputs_untouched(interp):
    x1, x2 = sample(interp, 1), sample(interp, 2)
    x1_copy = x1.copy()
    y1 = interp.run(x1)
    y1_copy = y1.copy()
    y2 = interp.run(x2)
    assert np.array_equal(x1, x1_copy)
    assert np.array_equal(y1, y1_copy), "a later run overwrote an earlier output"
    assert not np.shares_memory(y1, y2)
    y1[...] = 0
    assert np.array_equal(interp.run(x1), y1_copy)


def test_non_contiguous_input_accepted(interp):
    x = sample(interp, 4)
    wide = np.zeros(x.shape[:-1] + (2,), dtype=np.int8)
    wide[..., :1] = x
    view = wide[..., :1]
    assert not view.flags["C_CONTIGUOUS"]
    assert np.array_equal(interp.run(view), interp.run(x))


def test_wrong_dtype(interp):
    x = sample(interp).astype(np.float32)
    with pytest.raises(ValueError, match=r"expected dtype int8, got float32"):
        interp.run(x)


def test_unpickled_input_accepted(interp):
    # pickle (multiprocessing, Ray's object store) gives the array a dtype object of its own.
    x = sample(interp)
    copy = pickle.loads(pickle.dumps(x, protocol=5))
    assert copy.dtype is not x.dtype and copy.dtype == x.dtype
    assert np.array_equal(interp.run(copy), interp.run(x))
    with pytest.raises(ValueError, match=r"expected dtype int8, got uint8"):
        interp.run(pickle.loads(pickle.dumps(x.view(np.uint8), protocol=5)))


def test_wrong_shape(interp):
    with pytest.raises(ValueError, match=r"expected shape \(1, 8, 8, 1\), got \(1, 8, 8\)"):
        interp.run(np.zeros((1, 8, 8), np.int8))
    with pytest.raises(ValueError, match=r"expected shape"):
        interp.set_tensor(interp.get_input_details()[0]["index"], np.zeros((2, 8, 8, 1), np.int8))


def test_inputs_as_separate_arguments_named(interp):
    # run(a, b) instead of run([a, b]): the second array once landed in
    # float_io ("truth value of an array ... is ambiguous").
    x = sample(interp)
    with pytest.raises(TypeError, match=r"one argument .* got 2 positional arguments: call run\(\[a, b"):
        interp.run(x, x)
    assert np.array_equal(interp.run([x]), interp.run(x))


def test_unknown_input_name_and_index(interp):
    with pytest.raises(ValueError, match="unknown input name"):
        interp.run({"nope": sample(interp)})
    with pytest.raises(ValueError, match="not a graph input"):
        interp.set_tensor(10_000, sample(interp))
    with pytest.raises(ValueError, match="out of range"):
        interp.get_tensor(10_000)
    with pytest.raises(ValueError, match="out of range"):
        interp.get_tensor(-1)


def test_closed_interpreter(interp):
    interp.close()
    with pytest.raises(ValueError, match="closed"):
        interp.run(np.zeros((1, 8, 8, 1), np.int8))


def test_unsupported_ops_listed_at_construction(demo_bytes):
    def make_unsupported(model):
        # Turn every opcode into ops pyruntime does not implement.
        for code, op in zip(model.operatorCodes, (BuiltinOperator.LSH_PROJECTION,
                                                       BuiltinOperator.SKIP_GRAM)):
            code.builtinCode = op
            code.deprecatedBuiltinCode = op
    bad = edited(demo_bytes, make_unsupported)
    with pytest.raises(pyruntime.ModelError) as info:
        pyruntime.Interpreter(model_content=bad)
    message = str(info.value)
    assert message.startswith("unsupported ops:")
    assert "LSH_PROJECTION (op 0)" in message and "SKIP_GRAM (op " in message


@pytest.mark.parametrize("content", [b"", b"\x00" * 3, b"garbage" * 10, b"\x18\x00\x00\x00TFL3" + b"\x00" * 40])
def test_garbage_is_a_model_error(content):
    with pytest.raises(pyruntime.ModelError):
        pyruntime.Interpreter(model_content=content)


def test_truncated_models_raise(demo_bytes):
    for n in range(0, len(demo_bytes), max(1, len(demo_bytes) // 97)):
        with pytest.raises(pyruntime.ModelError):
            pyruntime.Interpreter(model_content=demo_bytes[:n])


def test_num_threads_validated():
    with pytest.raises(ValueError, match="num_threads"):
        pyruntime.Interpreter(DEMO, num_threads=0)
    assert pyruntime.Interpreter(DEMO, num_threads=2).run(np.zeros((1, 8, 8, 1), np.int8)).shape == (1, 10)


def test_concurrent_runs_match_serial():
    interp = pyruntime.Interpreter(DEMO)
    xs = [sample(interp, s) for s in range(8)]
    expected = [interp.run(x) for x in xs]
    errors = []

    def worker(k):
        for _ in range(50):
            if not np.array_equal(interp.run(xs[k]), expected[k]):
                errors.append(k)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_quantize_helper_rounds_half_away_from_zero():
    details = {"dtype": np.int8, "quantization": (0.5, 3), "name": "t"}
    q = quantize(np.array([0.25, -0.25, 0.75, 1000.0, -1000.0], np.float32), details)
    assert q.tolist() == [4, 2, 5, 127, -128]


def test_failed_resize_keeps_interpreter_usable():
    # Declare the batch free: the model's RESHAPE to [1, 128] then cannot take
    # batch 2. The failed re-plan must leave the interpreter working at batch 1.
    from model_edit import dump, load

    model = load(DEMO.read_bytes())
    sg = model.subgraphs[0]
    sg.tensors[sg.inputs[0]].shapeSignature = [-1, 8, 8, 1]
    interp = pyruntime.Interpreter(model_content=dump(model))
    x = sample(interp)
    expected = interp.run(x)
    with pytest.raises(pyruntime.ModelError, match=r"op 7 \(RESHAPE\): cannot reshape \[2, 2, 2, 32\]"):
        interp.run(np.zeros((2, 8, 8, 1), np.int8))
    assert np.array_equal(interp.run(x), expected)
