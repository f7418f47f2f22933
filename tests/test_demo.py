"""The bundled demo model and the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np

import pyruntime
from bitexact import assert_bit_exact
from pyruntime.quantization import quantize
from subprocess_env import subprocess_kwargs

DATA = Path(pyruntime.__file__).parent / "data"


def test_demo_model_is_bit_exact_and_small():
    path = DATA / "digits_int8.tflite"
    assert path.stat().st_size < 300 * 1024
    assert_bit_exact(path, seeds=(0, 1, 2, 3))


def test_demo_model_accuracy():
    data = np.load(DATA / "digits_test.npz")
    interp = pyruntime.Interpreter(DATA / "digits_int8.tflite")
    q = quantize(data["x"], interp.get_input_details()[0])
    predictions = [int(np.argmax(interp.run(q[i:i + 1]))) for i in range(len(q))]
    assert np.mean(np.array(predictions) == data["y"]) > 0.9


def test_cli_demo_runs():
    result = subprocess.run([sys.executable, "-m", "pyruntime"], capture_output=True, text=True, timeout=300,
                            **subprocess_kwargs())
    assert result.returncode == 0, result.stderr
    match = re.search(r"accuracy (\d+\.\d+)%", result.stdout)
    assert match and float(match.group(1)) > 90.0, result.stdout
    assert re.search(r"time\s+\d+\.\d+ us per run", result.stdout), result.stdout


def test_cli_inspect_and_errors(tmp_path):
    model = DATA / "digits_int8.tflite"
    result = subprocess.run([sys.executable, "-m", "pyruntime", "inspect", str(model)],
                            capture_output=True, text=True, timeout=300,
                            **subprocess_kwargs())
    assert result.returncode == 0, result.stderr
    assert "CONV_2D x3" in result.stdout
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"not a model at all")
    result = subprocess.run([sys.executable, "-m", "pyruntime", "inspect", str(bad)],
                            capture_output=True, text=True, timeout=300,
                            **subprocess_kwargs())
    assert result.returncode == 1 and "not a TFLite model" in result.stderr
