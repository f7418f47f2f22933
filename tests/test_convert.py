"""pyruntime.quantize / evaluate: the converter front end and its report."""

from __future__ import annotations

import numpy as np
import pytest

import pyruntime

tf = pytest.importorskip("tensorflow")


@pytest.fixture(scope="module")
def digits_model():
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images[..., None] / 16.0).astype(np.float32)
    y = digits.target
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([
        tf.keras.Input((8, 8, 1)),
        tf.keras.layers.Conv2D(8, 3, activation="relu", padding="same"),
        tf.keras.layers.AveragePooling2D(2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(10),
    ])
    model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x[:1400], y[:1400], epochs=20, verbose=0)
    return model, x[1400:1600], y[1400:1600]


def test_int8_quantize_report(digits_model):
    model, x, y = digits_model
    tflite, report = pyruntime.quantize(model, "int8", representative_data=x[:64], eval_data=x, eval_labels=y)
    assert tflite[4:8] == b"TFL3"
    interp = pyruntime.Interpreter(model_content=tflite)
    assert interp.get_input_details()[0]["dtype"] == np.int8
    assert report.quantized_runtime == "pyruntime" and report.samples == len(x)
    assert report.compression > 1.5
    assert report.top1_agreement > 0.9
    assert report.quantized_accuracy > 0.75 and report.float_accuracy > 0.75
    assert 0 < report.mean_abs_error <= report.max_abs_error
    assert report.sqnr_db > 10
    assert "top-1 agreement" in str(report)


@pytest.mark.parametrize("mode", ["float16", "dynamic"])
def test_other_modes_convert(digits_model, mode):
    model, x, y = digits_model
    tflite, report = pyruntime.quantize(model, mode, eval_data=x[:20])
    assert tflite[4:8] == b"TFL3"
    assert report.samples == 20 and report.top1_agreement > 0.8


def test_missing_representative_data_is_a_clear_error(digits_model):
    model, _, _ = digits_model
    with pytest.raises(ValueError, match="needs representative_data"):
        pyruntime.quantize(model, "int8")
    with pytest.raises(ValueError, match="mode must be one of"):
        pyruntime.quantize(model, "int4")
    with pytest.raises(ValueError, match="shape"):
        pyruntime.quantize(model, "int8", representative_data=np.zeros((4, 9, 9, 1), np.float32))


def test_quantize_command_line(digits_model, tmp_path):
    import json
    import subprocess
    import sys

    from subprocess_env import subprocess_kwargs

    model, x, _ = digits_model
    model.save(tmp_path / "digits.keras")
    np.save(tmp_path / "calib.npy", x[:32])
    out = tmp_path / "q.tflite"
    result = subprocess.run([sys.executable, "-m", "pyruntime", "quantize", str(tmp_path / "digits.keras"),
                             "--mode", "int8", "--calib", str(tmp_path / "calib.npy"), "-o", str(out), "--json"],
                            capture_output=True, text=True, timeout=600, **subprocess_kwargs())
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)["report"]
    assert report["samples"] == 32 and report["top1_agreement"] > 0.8
    assert pyruntime.Interpreter(out).get_input_details()[0]["dtype"] == np.int8


def test_quantize_command_line_output_is_only_the_report(digits_model, tmp_path):
    """The converter's console noise goes to --log (or away), not before the report."""
    import subprocess
    import sys

    from subprocess_env import subprocess_kwargs

    model, x, _ = digits_model
    model.save(tmp_path / "digits.keras")
    np.save(tmp_path / "calib.npy", x[:16])
    log = tmp_path / "convert.log"
    result = subprocess.run([sys.executable, "-m", "pyruntime", "quantize", str(tmp_path / "digits.keras"),
                             "--mode", "int8", "--calib", str(tmp_path / "calib.npy"), "-o", str(tmp_path / "q.tflite"),
                             "--log", str(log)],
                            capture_output=True, text=True, timeout=600, **subprocess_kwargs())
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("wrote ") and any(line.startswith("SQNR") for line in lines), result.stdout
    assert len(lines) == 8, result.stdout  # "wrote", then the report's 7 rows
    noise = ("Saved artifact", "TensorSpec", "tensorflow", "W0000", "I0000")
    assert not any(n in result.stdout + result.stderr for n in noise), result.stdout + result.stderr
    assert "Saved artifact" in log.read_text()  # what the converter printed is kept in the log
