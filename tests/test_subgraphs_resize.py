"""Multi-subgraph models and input resizing, against ai_edge_litert.

A SavedModel with signatures decode / encode / loop converts to one subgraph
per signature (sorted by key) plus the WHILE's cond and body. pyruntime runs
subgraph 0 (and the subgraphs its control flow ops call), and a signature of
another subgraph on an interpreter of that subgraph (its WHILE runs too).
resize_tensor_input +
allocate_tensors, run() and signature runners with a new batch size must
match LiteRT on float32 models with a free batch dimension.
"""
import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import model_kinds as mk
import real_models as rm
import pyruntime

BOUND = 1e-5


def _litert(path):
    return LiteRT(model_path=str(path), num_threads=1,
                  experimental_op_resolver_type=OpResolverType.BUILTIN_REF)


def _rand(shape, seed=0):
    return np.random.default_rng(seed).uniform(-1.7, 1.7, shape).astype(np.float32)


def _close(ours, ref):
    assert ours.shape == ref.shape and ours.dtype == ref.dtype
    assert mk.max_rel_error(ours, ref) <= BOUND


@pytest.fixture(scope="module")
def multi():
    return rm.signature_model()


@pytest.fixture(scope="module")
def kws():
    return rm.dynamic_kws_model()


# -- several subgraphs -------------------------------------------------------------

def test_multi_subgraph_loads_and_runs_subgraph_0(multi):
    ours, ref = pyruntime.Interpreter(str(multi)), _litert(multi)
    ref.allocate_tensors()
    assert ours.get_signature_list() == ref.get_signature_list()
    assert [d["name"] for d in ours.get_input_details()] == [d["name"] for d in ref.get_input_details()]
    z = _rand((1, 4))
    ref.set_tensor(ref.get_input_details()[0]["index"], z)
    ref.invoke()
    _close(ours.run(z), ref.get_tensor(ref.get_output_details()[0]["index"]))


def test_signature_runner_of_subgraph_0(multi):
    z = _rand((3, 4), seed=1)
    ours = pyruntime.Interpreter(str(multi)).get_signature_runner("decode")(z=z)
    ref = _litert(multi).get_signature_runner("decode")(z=z)
    assert list(ours) == list(ref) == ["recon"]
    _close(ours["recon"], ref["recon"])


@pytest.mark.parametrize("key", ["encode", "loop"])
def test_signature_runner_of_other_subgraph(multi, key):
    """A signature on subgraph 1 or 2 (the latter holds a WHILE running
    subgraphs 3 and 4) runs on an interpreter of that subgraph."""
    interp = pyruntime.Interpreter(str(multi))
    ref_runner = _litert(multi).get_signature_runner(key)
    inputs = {name: _rand(d["shape"], seed=2) for name, d in ref_runner.get_input_details().items()}
    ours, ref = interp.get_signature_runner(key)(**inputs), ref_runner(**inputs)
    assert list(ours) == list(ref)
    for name in ref:
        _close(ours[name], ref[name])
    interp.run(_rand((1, 4)))  # still usable


def test_while_in_subgraph_0_runs():
    path = rm.signature_model(("loop",))
    s = _rand((1, 4))
    ref = _litert(path).get_signature_runner("loop")(s=s)
    _close(pyruntime.Interpreter(str(path)).get_signature_runner("loop")(s=s)["state"], ref["state"])


# -- resizing ----------------------------------------------------------------------

def _ref_at(path, shape, x):
    ref = _litert(path)
    index = ref.get_input_details()[0]["index"]
    ref.resize_tensor_input(index, shape)
    ref.allocate_tensors()
    ref.set_tensor(index, x)
    ref.invoke()
    return ref.get_tensor(ref.get_output_details()[0]["index"])


@pytest.mark.parametrize("model", ["kws", "multi"])
def test_resize_allocate_invoke(model, request):
    path = request.getfixturevalue(model)
    interp = pyruntime.Interpreter(str(path))
    ref = _litert(path)
    inp, out = interp.get_input_details()[0], interp.get_output_details()[0]
    assert list(inp["shape_signature"]) == list(ref.get_input_details()[0]["shape_signature"])
    assert inp["shape_signature"][0] == -1
    for batch in (3, 1, 5):
        shape = [batch] + list(inp["shape"][1:])
        interp.resize_tensor_input(inp["index"], shape)
        # LiteRT reports the new input shape before allocate_tensors.
        assert list(interp.get_input_details()[0]["shape"]) == shape
        interp.allocate_tensors()
        assert list(interp.get_input_details()[0]["shape"]) == shape
        assert interp.get_output_details()[0]["shape"][0] == batch
        x = _rand(shape, seed=batch)
        interp.set_tensor(inp["index"], x)
        interp.invoke()
        _close(interp.get_tensor(out["index"]), _ref_at(path, shape, x))


def test_set_tensor_after_resize_without_allocate(kws):
    interp = pyruntime.Interpreter(str(kws))
    index = interp.get_input_details()[0]["index"]
    x = _rand((2, 49, 10, 1), seed=7)
    interp.resize_tensor_input(index, [2, 49, 10, 1])
    interp.set_tensor(index, x)  # LiteRT wants allocate_tensors first; we plan here
    interp.invoke()
    _close(interp.get_tensor(interp.get_output_details()[0]["index"]), _ref_at(kws, [2, 49, 10, 1], x))


def test_run_with_new_batch(kws):
    interp = pyruntime.Interpreter(str(kws))
    for batch in (4, 1, 2):
        x = _rand((batch, 49, 10, 1), seed=batch)
        _close(interp.run(x), _ref_at(kws, [batch, 49, 10, 1], x))
        assert interp.get_input_details()[0]["shape"][0] == batch


def test_batched_rows_match_single_rows(kws):
    # Each row of a batch-3 run equals the batch-1 run of that row (both ours).
    interp = pyruntime.Interpreter(str(kws))
    x = _rand((3, 49, 10, 1), seed=11)
    batched = interp.run(x)
    for i in range(3):
        np.testing.assert_array_equal(interp.run(x[i : i + 1])[0], batched[i])


@pytest.mark.parametrize("model", ["kws", "multi"])
def test_signature_runner_new_batch(model, request):
    path = request.getfixturevalue(model)
    interp = pyruntime.Interpreter(str(path))
    key = sorted(interp.get_signature_list())[0]
    (in_name,) = interp.get_signature_list()[key]["inputs"]
    runner, ref = interp.get_signature_runner(key), _litert(path).get_signature_runner(key)
    tail = list(interp.get_input_details()[0]["shape"][1:])
    for batch in (2, 5, 1):
        x = _rand([batch] + tail, seed=batch)
        ours, theirs = runner(**{in_name: x}), ref(**{in_name: x})
        assert list(ours) == list(theirs)
        for name in theirs:
            _close(ours[name], theirs[name])
        assert list(runner.get_input_details()[in_name]["shape"]) == [batch] + tail
        assert list(runner.get_output_details()) == list(ref.get_output_details())
        for name, d in ref.get_output_details().items():
            assert list(runner.get_output_details()[name]["shape"]) == list(d["shape"])


def test_resize_of_fixed_dimension_is_refused(kws):
    interp = pyruntime.Interpreter(str(kws))
    index = interp.get_input_details()[0]["index"]
    with pytest.raises(ValueError, match="fixes its shape"):
        interp.resize_tensor_input(index, [1, 50, 10, 1])
    assert list(interp.get_input_details()[0]["shape"]) == [1, 49, 10, 1]
    interp.run(_rand((1, 49, 10, 1)))
