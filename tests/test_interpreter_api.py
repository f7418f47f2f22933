"""The drop-in surface of LiteRT's Interpreter (docs/interpreter_api.md):
constructor arguments in LiteRT's order with every experimental_* keyword,
tensor() views, reset_all_variables(), num_subgraphs(), _get_op_details /
_get_tensor_details in LiteRT's forms, signature runners on other subgraphs,
and the calls of LiteRT's label_image.py example, each compared with LiteRT.
"""

from __future__ import annotations

import functools
import inspect
from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import model_kinds
import model_zoo
import pyruntime
import real_models as rm
from model_zoo import cached_build
from op_models import OP_CACHE_DIR, op_model

DEMO = str(Path(pyruntime.__file__).parent / "data" / "digits_int8.tflite")
REF = functools.partial(LiteRT, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)


@op_model
def classifier_model(keras, in_shape=(12, 10, 3), classes=7, batch_size=1):
    """An image classifier: CONV_2D -> MEAN -> FULLY_CONNECTED -> SOFTMAX."""
    x = keras.Input(batch_shape=(batch_size,) + tuple(in_shape), name="in0")
    h = keras.layers.Conv2D(8, 3, activation="relu")(x)
    h = keras.layers.GlobalAveragePooling2D()(h)
    return x, keras.layers.Softmax()(keras.layers.Dense(classes)(h))


def float_classifier() -> str:
    def build() -> bytes:
        keras = model_zoo._tf()[1]
        keras.utils.set_random_seed(0)
        x = keras.Input(batch_shape=(1, 12, 10, 3), name="in0")
        h = keras.layers.GlobalAveragePooling2D()(keras.layers.Conv2D(8, 3, activation="relu")(x))
        y = keras.layers.Softmax()(keras.layers.Dense(7)(h))
        return model_kinds.convert_float(keras.Model(x, y), "float32")

    return str(cached_build(OP_CACHE_DIR / "api" / "float_classifier.tflite", build))


# ----------------------------------------------------------------------------
# Constructor
# ----------------------------------------------------------------------------

def test_constructor_parameters_in_litert_order():
    ours = list(inspect.signature(pyruntime.Interpreter.__init__).parameters)[1:]
    theirs = list(inspect.signature(LiteRT.__init__).parameters)[1:]
    assert ours[:len(theirs)] == theirs


def test_constructor_accepts_litert_keywords():
    x = np.zeros((1, 8, 8, 1), np.int8)
    want = pyruntime.Interpreter(DEMO).run(x)
    for kwargs in [dict(experimental_delegates=None, num_threads=None),
                   dict(experimental_delegates=[], num_threads=-1),
                   dict(experimental_op_resolver_type=OpResolverType.BUILTIN_REF),
                   dict(experimental_op_resolver_type=OpResolverType.AUTO),
                   dict(experimental_preserve_all_tensors=True),
                   dict(experimental_disable_delegate_clustering=True,
                        experimental_default_delegate_latest_features=True,
                        experimental_disable_delegate_node_fusion=True,
                        experimental_force_delegate_node_profiling=True),
                   dict(experimental_compress_quantization_zero_points=True)]:
        interp = pyruntime.Interpreter(model_path=DEMO, **kwargs)
        assert np.array_equal(interp.run(x), want), kwargs
    positional = pyruntime.Interpreter(DEMO, None, None, 2)
    assert positional._num_threads == 2 and np.array_equal(positional.run(x), want)
    assert pyruntime.Interpreter(DEMO, experimental_compress_quantization_zero_points=True) \
        .experimental_compress_quantization_zero_points is True


def test_preserve_all_tensors_keyword_keeps_intermediates():
    interp = pyruntime.Interpreter(DEMO, experimental_preserve_all_tensors=True)
    interp.run(np.ones((1, 8, 8, 1), np.int8))
    for op in interp._get_ops_details():
        for t in op["outputs"]:
            interp.get_tensor(int(t))  # every intermediate is readable


def test_constructor_rejects_delegates_and_unknown_resolvers():
    class FakeDelegate:  # what load_delegate() returns, as far as we can tell
        pass

    with pytest.raises(ValueError, match="cannot use TFLite delegates"):
        pyruntime.Interpreter(DEMO, experimental_delegates=[FakeDelegate()])
    with pytest.raises(ValueError, match="experimental_op_resolver_type"):
        pyruntime.Interpreter(DEMO, experimental_op_resolver_type="XNNPACK_PLEASE")


# ----------------------------------------------------------------------------
# tensor(), reset_all_variables(), num_subgraphs()
# ----------------------------------------------------------------------------

def test_tensor_gives_zero_copy_views():
    interp = pyruntime.Interpreter(DEMO)
    interp.allocate_tensors()
    inp = interp.tensor(interp.get_input_details()[0]["index"])
    out = interp.tensor(interp.get_output_details()[0]["index"])
    ref = REF(model_path=DEMO)
    ref.allocate_tensors()
    rin = ref.tensor(ref.get_input_details()[0]["index"])
    rout = ref.tensor(ref.get_output_details()[0]["index"])
    for value in (3, -7, 100):
        inp().fill(value)  # writes the interpreter's input in place
        rin().fill(value)
        interp.invoke()
        ref.invoke()
        assert out().shape == rout().shape and np.array_equal(out(), rout())
    view = inp()
    view[...] = 5
    assert np.array_equal(interp.get_tensor(interp.get_input_details()[0]["index"]), view)
    assert not view.flags.owndata


def test_tensor_views_of_constants_are_read_only_and_block_replanning():
    interp = pyruntime.Interpreter(DEMO)
    const = next(d for d in interp.get_tensor_details()
                 if interp._native().tensor_details(d["index"])["is_constant"])
    view = interp.tensor(const["index"])()
    assert not view.flags.writeable
    assert np.array_equal(view, interp.get_tensor(const["index"]))
    index = interp.get_input_details()[0]["index"]
    del view
    interp.resize_tensor_input(index, [1, 8, 8, 1])
    held = interp.tensor(index)()
    with pytest.raises(RuntimeError, match="reference to internal data"):
        interp.resize_tensor_input(index, [1, 8, 8, 1])
    del held
    interp.resize_tensor_input(index, [1, 8, 8, 1])
    interp.allocate_tensors()
    with pytest.raises(ValueError, match="out of range"):
        interp.tensor(10_000)


def test_reset_all_variables_and_num_subgraphs():
    interp = pyruntime.Interpreter(DEMO)
    assert interp.reset_all_variables() is None  # no variables: nothing to reset
    assert interp.num_subgraphs() == REF(model_path=DEMO).num_subgraphs() == 1
    multi = str(rm.signature_model())
    assert pyruntime.Interpreter(multi).num_subgraphs() == LiteRT(model_path=multi).num_subgraphs()


# ----------------------------------------------------------------------------
# Details in LiteRT's forms
# ----------------------------------------------------------------------------

def _same_details(ours, theirs):
    assert set(ours) == set(theirs), (sorted(ours), sorted(theirs))
    for key in theirs:
        a, b = ours[key], theirs[key]
        if isinstance(b, dict):
            _same_details(a, b)
        elif isinstance(b, np.ndarray):
            assert isinstance(a, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b), key
        else:
            assert a == b and type(a) is type(b), (key, a, b)


def test_op_and_tensor_details_match_litert():
    path = str(classifier_model(io="uint8"))
    ours, ref = pyruntime.Interpreter(path), REF(model_path=path)
    ref.allocate_tensors()
    assert len(ours._get_ops_details()) == len(ref._get_ops_details())
    for a, b in zip(ours._get_ops_details(), ref._get_ops_details()):
        _same_details(a, b)
    _same_details(ours._get_op_details(1), ref._get_op_details(1))
    model_tensors = ours._native().num_tensors()  # LiteRT adds kernel temporaries after them
    assert model_tensors >= 10
    for index in range(model_tensors):
        _same_details(ours._get_tensor_details(index, 0), ref._get_tensor_details(index, 0))
    for a, b in zip(ours.get_input_details() + ours.get_output_details(),
                    ref.get_input_details() + ref.get_output_details()):
        _same_details(a, b)


# ----------------------------------------------------------------------------
# Signature runners on any subgraph
# ----------------------------------------------------------------------------

def test_signature_runner_of_another_subgraph():
    path = str(rm.signature_model())
    ours, ref = pyruntime.Interpreter(path), LiteRT(model_path=path)
    sig = ours._native().signatures()
    key = next(s["key"] for s in sig if s["subgraph_index"] == 1)
    runner, ref_runner = ours.get_signature_runner(key), ref.get_signature_runner(key)
    inputs = {name: np.random.default_rng(3).uniform(-1, 1, d["shape"]).astype(d["dtype"])
              for name, d in ref_runner.get_input_details().items()}
    got, want = runner(**inputs), ref_runner(**inputs)
    assert list(got) == list(want)
    for name in want:
        assert got[name].shape == want[name].shape
        assert model_kinds.max_rel_error(got[name], want[name]) <= 1e-5
    assert set(runner.get_input_details()) == set(ref_runner.get_input_details())
    assert ours.get_tensor_details(1)[0]["name"] == ref.get_tensor_details(1)[0]["name"]


# ----------------------------------------------------------------------------
# LiteRT's label_image.py example (tensorflow/lite/examples/python), its
# calls copied; the image is a seeded uint8 array instead of a PIL file
# (Image.open(...).resize((width, height)) gives the same kind of array).
# ----------------------------------------------------------------------------

def label_image(Interpreter, model_file, num_threads=None, ext_delegate=None,
                input_mean=127.5, input_std=127.5):
    interpreter = Interpreter(
        model_path=model_file,
        experimental_delegates=ext_delegate,
        num_threads=num_threads)
    interpreter.allocate_tensors()

    input_details = interpreter.get_input_details()
    output_details = interpreter.get_output_details()

    # check the type of the input tensor
    floating_model = input_details[0]['dtype'] == np.float32

    # NxHxWxC, H:1, W:2
    height = input_details[0]['shape'][1]
    width = input_details[0]['shape'][2]
    img = np.random.default_rng(7).integers(0, 256, (height, width, 3), dtype=np.uint8)

    # add N dim
    input_data = np.expand_dims(img, axis=0)

    if floating_model:
        input_data = (np.float32(input_data) - input_mean) / input_std

    interpreter.set_tensor(input_details[0]['index'], input_data)

    interpreter.invoke()

    output_data = interpreter.get_tensor(output_details[0]['index'])
    results = np.squeeze(output_data)

    top_k = results.argsort()[-5:][::-1]
    lines = []
    for i in top_k:
        if floating_model:
            lines.append('{:08.6f}: {}'.format(float(results[i]), i))
        else:
            lines.append('{:08.6f}: {}'.format(float(results[i] / 255.0), i))
    return results, lines


@pytest.mark.parametrize("kind", ["uint8", "float32"])
def test_label_image_runs_unchanged(kind):
    path = str(classifier_model(io="uint8")) if kind == "uint8" else float_classifier()
    ours, ours_lines = label_image(pyruntime.Interpreter, path)
    ref, ref_lines = label_image(REF, path)
    assert ours.dtype == ref.dtype and ours.shape == ref.shape == (7,)
    if kind == "uint8":
        assert np.array_equal(ours, ref) and ours_lines == ref_lines
    else:
        assert model_kinds.max_rel_error(ours, ref) <= 1e-5
    label_image(pyruntime.Interpreter, path, num_threads=2)
