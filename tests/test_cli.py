"""Command-line tools (compare, bench, inspect) and float I/O."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

import pyruntime
from pyruntime.compare import TensorDiff, first_divergence
from pyruntime.quantization import dequantize, quantize
from subprocess_env import subprocess_kwargs

DEMO = Path(pyruntime.__file__).parent / "data" / "digits_int8.tflite"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pyruntime", *args], capture_output=True, text=True,
                          timeout=600, **subprocess_kwargs())


def test_compare_reports_every_op_bit_exact():
    result = cli("compare", str(DEMO), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["first_divergence"] is None
    ops = [t["op_name"] for t in report["tensors"]]
    assert len(ops) == 10 and ops[0] == "CONV_2D" and ops[-1] == "SOFTMAX"
    assert all(t["num_different"] == 0 for t in report["tensors"])


def test_compare_with_inputs_file(tmp_path):
    x = np.random.default_rng(5).integers(-128, 128, size=(1, 8, 8, 1), dtype=np.int8)
    name = pyruntime.Interpreter(DEMO).get_input_details()[0]["name"]
    np.savez(tmp_path / "in.npz", **{name: x})
    result = cli("compare", str(DEMO), "--inputs", str(tmp_path / "in.npz"))
    assert result.returncode == 0, result.stderr
    assert "bit-exact" in result.stdout


def test_first_divergence_picks_first_differing_op():
    same = TensorDiff(0, "CONV_2D", 5, "a", (1, 4), 0.0, 0, 4)
    bad = TensorDiff(1, "ADD", 6, "b", (1, 4), 2.0, 3, 4)
    later = TensorDiff(2, "SOFTMAX", 7, "c", (1, 4), 9.0, 4, 4)
    assert first_divergence([same, bad, later]) is bad
    assert first_divergence([same]) is None


def test_bench_against_litert_json():
    result = cli("bench", str(DEMO), "--against", "litert", "--runs", "5", "--warmup", "1", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["pyruntime"]["median_us"] > 0 and report["litert"]["median_us"] > 0
    assert report["ratio_pyruntime_over_litert"] > 0


def test_inspect_json():
    result = cli("inspect", str(DEMO), "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["ops"]["CONV_2D"] == 3 and info["inputs"][0]["shape"] == [1, 8, 8, 1]
    assert info["arena_bytes"] > 0
    assert info["kernel_path"] == info["cpu_paths"][0] == pyruntime.cpu_paths()[0]
    # 3 convs + depthwise + FC: 8*8*16*9 + 8*8*16*9 + 8*8*16*16 + 4*4*32*144 + 10*128
    assert info["macs"] == 9216 + 9216 + 16384 + 73728 + 1280
    assert 0 < info["parameter_bytes"] < DEMO.stat().st_size
    assert len(info["tensors"]) > 10 and all("scale" in t for t in info["tensors"])


def test_help_for_every_command():
    for command in ("demo", "inspect", "compare", "bench", "profile", "quantize"):
        result = cli(command, "--help")
        assert result.returncode == 0 and "usage: pyruntime" in result.stdout


def test_float_io_quantizes_and_dequantizes():
    interp = pyruntime.Interpreter(DEMO)
    x = np.load(DEMO.parent / "digits_test.npz")["x"][:1]
    inp, out = interp.get_input_details()[0], interp.get_output_details()[0]
    expected = dequantize(interp.run(quantize(x, inp)), out)
    got = interp.run(x, float_io=True)
    assert got.dtype == np.float32 and np.array_equal(got, expected)
    assert abs(float(got.sum()) - 1.0) < 0.05  # softmax probabilities


def test_profile_api_lists_every_op_with_macs():
    interp = pyruntime.Interpreter(DEMO, profile=True)
    interp.run(np.zeros((1, 8, 8, 1), np.int8))
    profile = interp.get_profile()
    assert [p["op_name"] for p in profile][:2] == ["CONV_2D", "DEPTHWISE_CONV_2D"]
    assert all(p["seconds"] >= 0 for p in profile) and sum(p["seconds"] for p in profile) > 0
    first = profile[0]
    # conv1: 8x8x16 outputs, each a 3x3x1 window.
    assert first["output_shape"] == [1, 8, 8, 16] and first["macs"] == 8 * 8 * 16 * 9
    assert profile[1]["macs"] == 8 * 8 * 16 * 9
    fc = next(p for p in profile if p["op_name"] == "FULLY_CONNECTED")
    assert fc["macs"] == 10 * 128


def test_profile_command_json(tmp_path):
    result = cli("profile", str(DEMO), "--runs", "3", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["ops"]) >= 9 and report["ops_total_ms"] > 0 and report["run_ms"] > 0
