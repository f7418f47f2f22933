"""get_signature_list / get_signature_runner against ai_edge_litert's."""
import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import model_kinds as mk
import model_zoo
import pyruntime


@pytest.fixture(scope="module")
def two_input_model():
    return str(mk.mixed_ops_model("float32"))


def _litert(path):
    return LiteRT(model_path=path, num_threads=1,
                  experimental_op_resolver_type=OpResolverType.BUILTIN_REF)


def test_signature_list_matches_litert(two_input_model):
    ours = pyruntime.Interpreter(two_input_model).get_signature_list()
    assert ours == _litert(two_input_model).get_signature_list()
    assert ours["serving_default"]["inputs"] == ["gain", "image"]


def test_runner_matches_litert(two_input_model):
    x, v = mk.random_float_inputs(two_input_model, seed=3)
    feeds = {"image": x, "gain": v}
    ours = pyruntime.Interpreter(two_input_model).get_signature_runner()(**feeds)
    ref = _litert(two_input_model).get_signature_runner("serving_default")(**feeds)
    assert list(ours) == list(ref)
    for name in ref:
        assert ours[name].shape == ref[name].shape and ours[name].dtype == ref[name].dtype
        assert mk.max_rel_error(ours[name], ref[name]) <= 1e-5


def test_runner_details_match_litert(two_input_model):
    ours = pyruntime.Interpreter(two_input_model).get_signature_runner()
    ref = _litert(two_input_model).get_signature_runner()
    for mine, theirs in ((ours.get_input_details(), ref.get_input_details()),
                         (ours.get_output_details(), ref.get_output_details())):
        assert list(mine) == list(theirs)
        for name in theirs:
            assert mine[name]["index"] == theirs[name]["index"]
            assert mine[name]["name"] == theirs[name]["name"]
            np.testing.assert_array_equal(mine[name]["shape"], theirs[name]["shape"])


def test_runner_int8_bit_exact():
    path = str(model_zoo.get_model("mobilenet_v2", "int8"))
    interp = pyruntime.Interpreter(path)
    (key, sig), = interp.get_signature_list().items()
    x = model_zoo.random_inputs(path, seed=1)[0]
    out = interp.get_signature_runner(key)(**{sig["inputs"][0]: x})
    ref = model_zoo.reference_output(path, [x])[0]
    assert list(out) == sig["outputs"]
    np.testing.assert_array_equal(out[sig["outputs"][0]], ref)


def test_runner_errors(two_input_model):
    interp = pyruntime.Interpreter(two_input_model)
    with pytest.raises(ValueError, match="Invalid signature_key"):
        interp.get_signature_runner("nope")
    runner = interp.get_signature_runner("serving_default")
    x, v = mk.random_float_inputs(two_input_model)
    with pytest.raises(ValueError, match="expected 2 vs provided 1"):
        runner(image=x)
    with pytest.raises(ValueError, match="Invalid Input name"):
        runner(image=x, bogus=v)
    with pytest.raises(ValueError):
        runner(image=v, gain=x)  # swapped shapes
