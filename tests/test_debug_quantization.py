"""The quantization debugger (pyruntime.debug) and selective quantization (pyruntime.selective).

Reference: TensorFlow's own tf.lite.experimental.QuantizationDebugger, run on the
same model and samples; and a model with one quantization-hostile layer.
"""

import csv
import io
import json

import numpy as np
import pytest
import tensorflow as tf

import pyruntime
from pyruntime import cli
from pyruntime.debug import TF_LAYER_METRICS, debug_quantization
from qdebug_models import digits_split, hostile_mlp


@pytest.fixture(scope="module")
def digits():
    return digits_split()


@pytest.fixture(scope="module")
def hostile(digits):
    x_train, y_train, _, _ = digits
    return hostile_mlp(x_train, y_train)


def small_cnn():
    """Random-weight CNN with CONV_2D, DEPTHWISE_CONV_2D, ADD, AVERAGE_POOL_2D, RESHAPE, FULLY_CONNECTED, SOFTMAX."""
    tf.keras.utils.set_random_seed(1)
    x = inputs = tf.keras.Input((8, 8, 1))
    x = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu")(x)
    y = tf.keras.layers.DepthwiseConv2D(3, padding="same")(x)
    x = tf.keras.layers.Add()([x, y])
    x = tf.keras.layers.AveragePooling2D(2)(x)
    x = tf.keras.layers.Flatten()(x)
    x = tf.keras.layers.Dense(10, activation="softmax")(x)
    return tf.keras.Model(inputs, x)


def tf_layer_statistics(model, calib, samples):
    """TF's QuantizationDebugger: {tensor_name: row of its CSV dump}, its
    quantized model, and the layers it checks against an int8 copy of
    themselves instead of a float op (same-scale ops: pooling, reshape).

    Its float ops run on LiteRT's reference kernels instead of XNNPACK, whose
    float convolutions differ from the reference by more than the 1e-5 this
    test allows on statistics of small differences: the metrics' definitions
    are what is compared, on the float arithmetic pyruntime's kernels follow.
    """
    from tensorflow.lite.python import interpreter as tf_interpreter
    from tensorflow.lite.tools.optimize.debugging.python import debugger as tf_debugger

    class Interpreter(tf_interpreter.Interpreter):
        def __init__(self, *args, **kwargs):
            kwargs["experimental_op_resolver_type"] = tf_interpreter.OpResolverType.BUILTIN_REF
            super().__init__(*args, **kwargs)

    saved = tf_debugger._interpreter.Interpreter
    tf_debugger._interpreter.Interpreter = Interpreter
    try:
        return _tf_layer_statistics(model, calib, samples)
    finally:
        tf_debugger._interpreter.Interpreter = saved


def _tf_layer_statistics(model, calib, samples):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = lambda: ([s[None]] for s in calib)
    debugger = tf.lite.experimental.QuantizationDebugger(
        converter=converter, debug_dataset=lambda: ([s[None]] for s in samples))
    debugger.run()
    dump = io.StringIO()
    debugger.layer_statistics_dump(dump)
    rows = {r["tensor_name"]: r for r in csv.DictReader(io.StringIO(dump.getvalue()))}
    interp = debugger._quant_interpreter
    producer = {t: op["op_name"] for op in interp._get_ops_details() for t in op["outputs"]}
    int8_copies = set()
    for op in interp._get_ops_details():
        if op["op_name"] == "NumericVerify" and producer.get(op["inputs"][1]) == "DEQUANTIZE":
            name = interp._get_tensor_details(op["outputs"][0], 0)["name"]
            int8_copies.add(debugger._get_operand_name_and_index(name)[0])
    return rows, debugger.get_nondebug_quantized_model(), int8_copies


@pytest.mark.parametrize("which", ["mlp", "cnn"])
def test_statistics_equal_tf_quantization_debugger(which, digits, hostile):
    x_train, _, x_test, _ = digits
    if which == "mlp":
        model, calib, samples = hostile, x_train[:200], x_test[:40]
    else:
        model = small_cnn()
        calib = x_train[:100].reshape(-1, 8, 8, 1)
        samples = x_test[:30].reshape(-1, 8, 8, 1)
    expected, quantized, int8_copies = tf_layer_statistics(model, calib, samples)
    report = debug_quantization(model, quantized, samples)
    ours = {s.tensor_name: s for s in report.layers}
    assert set(ours) == set(expected), (sorted(ours), sorted(expected))
    assert sorted(ours[n].op_name for n in int8_copies) == (["AVERAGE_POOL_2D"] if which == "cnn" else [])
    for name, row in expected.items():
        layer = ours[name]
        assert layer.op_name == row["op_name"]
        assert layer.scale == pytest.approx(float(row["scale"]), rel=1e-6)
        assert layer.zero_point == int(row["zero_point"])
        if name in int8_copies:
            # TF's debug model compares these with an int8 copy of the op: always 0.
            # We evaluate the float op: the int8 average pool's rounding, at most half a step.
            assert float(row["max_abs_error"]) == 0
            assert 0 < layer.local["max_abs_error"] <= layer.scale / 2 + 1e-6  # + float rounding
            continue
        if layer.op_name == "RESHAPE":
            assert layer.local["max_abs_error"] == 0  # a float reshape of the dequantized input
        for metric in TF_LAYER_METRICS:
            assert layer.local[metric] == pytest.approx(float(row[metric]), rel=1e-5, abs=1e-9), (name, metric)


def test_first_layer_local_equals_accumulated_and_ranges(digits, hostile):
    x_train, _, x_test, _ = digits
    quantized, _ = pyruntime.quantize(hostile, "int8", representative_data=x_train[:200], io="float32")
    report = debug_quantization(hostile, quantized, x_test[:40])
    first = report.layers[0]
    # Float io: the first op sees the model input before its QUANTIZE in both cases.
    for metric in ("mean_squared_error", "max_abs_error", "sqnr_db"):
        assert first.local[metric] == pytest.approx(first.accumulated[metric], rel=1e-6)
    for layer in report.layers[:2]:  # unclipped hidden layers: local error is rounding plus weight error
        assert layer.local["clipped"] == 0
        assert layer.local["max_abs_error"] < 2 * layer.scale
        assert layer.local["sqnr_db"] > 30
        assert layer.accumulated["sqnr_db"] <= layer.local["sqnr_db"] + 0.5


def test_hostile_layer_found_and_kept_float(digits, hostile):
    x_train, _, x_test, y_test = digits
    calib = x_train[:300]
    quantized, _ = pyruntime.quantize(hostile, "int8", representative_data=calib)
    report = debug_quantization(hostile, quantized, x_test, y_test)
    assert report.float_accuracy - report.quantized_accuracy >= 0.05, str(report)
    worst = report.ranked()[0]
    assert "logits" in worst.label, str(report)
    assert worst.local["sqnr_db"] < report.ranked()[1].local["sqnr_db"] - 10
    assert worst.local["clipped"] > 0

    tflite, sel = pyruntime.quantize_keep_float(hostile, "auto", calib, x_test, y_test)
    chosen = sel.steps[sel.chosen]
    assert sel.steps[0].kept_float == [] and sel.float_accuracy - sel.steps[0].accuracy >= 0.05
    assert chosen.kept_float == [worst.tensor_name], str(sel)
    assert sel.float_accuracy - chosen.accuracy <= 0.01, str(sel)
    # The model returned: that layer float, every other FULLY_CONNECTED int8, accuracy measured again here.
    interp = pyruntime.Interpreter(model_content=tflite)
    tensors = interp.get_tensor_details()
    fc = [op for op in interp._get_ops_details() if op["op_name"] == "FULLY_CONNECTED"]
    kinds = [np.dtype(tensors[op["inputs"][1]]["dtype"]).name for op in fc]
    assert sorted(kinds) == ["float32", "int8", "int8"], kinds
    float_fc = fc[kinds.index("float32")]
    assert tensors[float_fc["outputs"][0]]["name"] == worst.tensor_name
    predictions = np.array([np.argmax(interp.run(x[None], float_io=True)) for x in x_test])
    assert np.mean(predictions == y_test) == pytest.approx(chosen.accuracy)
    assert report.float_accuracy - np.mean(predictions == y_test) <= 0.01


def test_int16x8_model(digits, hostile):
    x_train, _, x_test, y_test = digits
    quantized, _ = pyruntime.quantize(hostile, "int16x8", representative_data=x_train[:300])
    report = debug_quantization(hostile, quantized, x_test[:100], y_test[:100])
    assert [s.dtype for s in report.layers] == ["int16"] * 3
    for layer in report.layers:
        assert layer.zero_point == 0
        assert np.isfinite(layer.local["sqnr_db"]) and np.isfinite(layer.accumulated["sqnr_db"])
        # int16 activations: the error is the int8 weights', not the activations' rounding
        assert layer.local["sqnr_db"] > 40, str(report)
    # 65536 levels absorb the outliers that break the int8 logits.
    logits = next(s for s in report.layers if s.label.startswith("logits"))
    assert logits.scale < 0.2
    assert report.float_accuracy - report.quantized_accuracy <= 0.01


def test_cli_debug_and_keep_float(digits, hostile, tmp_path, capsys):
    x_train, _, x_test, y_test = digits
    model_path, q_path = tmp_path / "m.keras", tmp_path / "q.tflite"
    hostile.save(model_path)
    np.save(tmp_path / "calib.npy", x_train[:300])
    np.save(tmp_path / "x.npy", x_test)
    np.save(tmp_path / "y.npy", y_test)
    np.savez(tmp_path / "data.npz", x=x_test, y=y_test)
    q_path.write_bytes(pyruntime.quantize(hostile, "int8", representative_data=x_train[:300])[0])
    capsys.readouterr()
    png = tmp_path / "sqnr.png"
    assert cli.main(["debug", str(model_path), str(q_path), "--data", str(tmp_path / "data.npz"),
                     "--json", "--plot", str(png)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["samples"] == len(x_test) and out["ranked"][0] == "StatefulPartitionedCall_1:0"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    assert cli.main(["debug", str(model_path), str(q_path), "--data", str(tmp_path / "x.npy"), "--samples", "20",
                     "--batch-size", "6", "--threads", "2"]) == 0
    table = capsys.readouterr().out
    assert "20 samples" in table and table.splitlines()[2].split()[0] == "1" and "logits" in table.splitlines()[2]

    out_path = tmp_path / "sel.tflite"
    assert cli.main(["quantize", str(model_path), "--mode", "int8", "--calib", str(tmp_path / "calib.npy"),
                     "--eval-data", str(tmp_path / "x.npy"), "--eval-labels", str(tmp_path / "y.npy"),
                     "--keep-float", "auto", "-o", str(out_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)["report"]
    assert [s["kept_float"] for s in result["steps"]] == [[], ["StatefulPartitionedCall_1:0"]]
    assert result["chosen"] == 1 and result["ranking"][0] == "StatefulPartitionedCall_1:0"
    assert result["float_accuracy"] - result["steps"][1]["accuracy"] <= 0.01
    assert out_path.stat().st_size == result["steps"][1]["size_bytes"]
    assert cli.main(["quantize", str(model_path), "--mode", "int8", "--calib", str(tmp_path / "calib.npy"),
                     "--keep-float", "logits,fc1", "-o", str(out_path)]) == 0
    assert "logits_1/MatMul, fc1_1/MatMul" in capsys.readouterr().out
    assert cli.main(["quantize", str(model_path), "--mode", "int16x8", "--calib", str(tmp_path / "calib.npy"),
                     "--keep-float", "auto", "-o", str(out_path)]) == 1
    assert "--mode int8" in capsys.readouterr().err


def test_size_budget_and_bad_arguments(digits, hostile):
    x_train, _, x_test, y_test = digits
    calib = x_train[:300]
    full_int8 = pyruntime.quantize(hostile, "int8", representative_data=calib)[0]
    # A budget below the first step's size: the full-int8 model is returned and the report says why.
    tflite, sel = pyruntime.quantize_keep_float(hostile, "auto", calib, x_test, y_test,
                                                max_size_bytes=len(full_int8) + 256)
    assert sel.chosen == 0 and len(sel.steps) == 1 and sel.steps[0].kept_float == []
    assert any("size budget" in n for n in sel.notes) and any("target not reached" in n for n in sel.notes)
    with pytest.raises(ValueError, match="matches 0 layers"):
        pyruntime.quantize_keep_float(hostile, ["no_such_layer"], calib, x_test[:10])
    # "fc2" names one layer (its consumer's inputs are not searched)
    _, sel = pyruntime.quantize_keep_float(hostile, ["fc2"], calib, x_test[:50])
    assert [label.split("/")[0] for label in sel.steps[0].kept_labels] == ["fc2_1"]
    with pytest.raises(ValueError, match="float model has quantized ops"):
        debug_quantization(full_int8, full_int8, x_test[:2])
    with pytest.raises(ValueError, match="samples have shape"):
        debug_quantization(hostile, full_int8, x_test[:2, :10])


def test_multi_output_op():
    """SPLIT's outputs are layers of their own; moving values adds no local error."""
    tf.keras.utils.set_random_seed(2)
    inputs = tf.keras.Input((16,))
    h = tf.keras.layers.Dense(12, activation="relu")(inputs)
    parts = tf.keras.layers.Lambda(lambda t: tf.split(t, 3, axis=1))(h)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(4)(tf.keras.layers.Concatenate()(parts[::-1])))
    x = np.random.default_rng(0).normal(size=(50, 16)).astype(np.float32)
    quantized, _ = pyruntime.quantize(model, "int8", representative_data=x)
    report = debug_quantization(model, quantized, x[:10])
    split = [s for s in report.layers if s.op_name == "SPLIT"]
    assert [s.label[-3:] for s in split] == ["[0]", "[1]", "[2]"]
    assert len({s.tensor_index for s in split}) == 3
    for s in split:
        assert s.local["max_abs_error"] == 0 and s.local["num_elements"] == 4
        assert 0 < s.accumulated["max_abs_error"] <= 2 * s.scale  # the Dense before it: rounding + weights


def test_batched_equals_per_sample(digits, monkeypatch):
    """Samples run through the models 7 at a time (a free batch; the last batch
    padded) give every layer exactly the numbers of one sample at a time."""
    from pyruntime import debug

    x_train, _, x_test, y_test = digits
    model = small_cnn()
    quantized, _ = pyruntime.quantize(model, "int8", representative_data=x_train[:100].reshape(-1, 8, 8, 1))
    samples, labels = x_test[:30].reshape(-1, 8, 8, 1), y_test[:30]
    invokes = []
    plain_invoke = debug.Interpreter.invoke
    monkeypatch.setattr(debug.Interpreter, "invoke", lambda self: invokes.append(1) or plain_invoke(self))
    one = debug_quantization(model, quantized, samples, labels, batch_size=1)
    assert len(invokes) == 2 * 30
    invokes.clear()
    batched = debug_quantization(model, quantized, samples, labels, batch_size=7, num_threads=2)
    assert len(invokes) == 2 * 5  # float and quantized model, ceil(30 / 7) runs each
    assert batched.notes == one.notes == []
    assert batched.as_dict() == one.as_dict()
    assert len(one.layers) == 7 and all(layer.local and layer.accumulated for layer in one.layers)
    assert (batched.float_accuracy, batched.quantized_accuracy) == (one.float_accuracy, one.quantized_accuracy)
