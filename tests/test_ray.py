"""pyruntime.ray and `pyruntime evaluate`: a Ray cluster on loopback gives the one-process numbers.

Expected values come from LiteRT's reference kernels (predictions, outputs) and
from first principles (exactly rounded sums with math.fsum), never from
pyruntime. One Ray head (`ray start --head --block` on 127.0.0.1) serves the
whole module; it and its workers are one process group, ended at teardown.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

# Read by Ray when it is imported, so set first: every Ray address is loopback
# (Ray otherwise swaps 127.0.0.1 for the machine's own address), and the test
# cluster has its own token, passed by environment to the head, this process and
# the CLI processes (Ray authenticates by token by default).
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
os.environ["RAY_AUTH_MODE"] = "token"
os.environ["RAY_AUTH_TOKEN"] = secrets.token_hex(32)
import ray  # noqa: E402  (part of the test extras: missing is a failure, not a skip)

import model_edit
import pyruntime
import pyruntime.ray as pyruntime_ray
from pyruntime.evaluation import evaluate_arrays, predictions_sha256
from pyruntime.quantization import quantize
from subprocess_env import subprocess_kwargs

DATA_DIR = Path(pyruntime.__file__).parent / "data"
DEMO = DATA_DIR / "digits_int8.tflite"
SAMPLES = 10_000
CLI_SAMPLES = 20_000
SUBPROCESS = subprocess_kwargs()  # now, while relative PYTHONPATH entries mean the repository


def digits(n: int, seed: int):
    """``n`` noisy copies of the held-out digits (float32 in [0, 1]) and their labels."""
    with np.load(DATA_DIR / "digits_test.npz") as d:
        x, y = d["x"], d["y"]
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=n)
    noisy = x[idx] + rng.normal(0, 0.08, size=(n,) + x.shape[1:])
    return np.clip(noisy, 0, 1).astype(np.float32), y[idx].astype(np.int64)


def litert_outputs(model_path, xq: np.ndarray) -> np.ndarray:
    """Raw (quantized) outputs of LiteRT's reference kernels, one sample per invoke."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interp = Interpreter(model_path=str(model_path), experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    interp.allocate_tensors()
    inp, out = interp.get_input_details()[0], interp.get_output_details()[0]
    outs = []
    for i in range(len(xq)):
        interp.set_tensor(inp["index"], xq[i:i + 1])
        interp.invoke()
        outs.append(interp.get_tensor(out["index"]).reshape(1, -1).copy())
    scale, zero_point = out["quantization"]
    return np.concatenate(outs), scale, zero_point


def dequantized(q: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    """TFLite's dequantize: float32(scale) * (q - zero_point), in float32."""
    return np.float32(scale) * (q.astype(np.float32) - np.float32(zero_point))


def expected_report(outputs, labels, reference=None):
    """The report's numbers from LiteRT outputs ((q, scale, zero_point) of
    ``litert_outputs``), with exactly rounded sums (math.fsum)."""
    out = dequantized(*outputs).astype(np.float64)
    n = len(out)
    expected = {"samples": n, "predictions_sha256": predictions_sha256(out.argmax(1)),
                "accuracy": float(np.count_nonzero(out.argmax(1) == labels)) / n}
    if reference is not None:
        ref = dequantized(*reference).astype(np.float64)
        err = out - ref
        expected.update(
            top1_agreement=float(np.count_nonzero(out.argmax(1) == ref.argmax(1))) / n,
            reference_accuracy=float(np.count_nonzero(ref.argmax(1) == labels)) / n,
            max_abs_error=float(np.abs(err).max()),
            mean_abs_error=math.fsum(np.abs(err).ravel()) / err.size,
            sqnr_db=float(10 * np.log10(math.fsum((ref * ref).ravel()) / math.fsum((err * err).ravel()))))
    return expected


def first(outputs, n):
    q, scale, zero_point = outputs
    return q[:n], scale, zero_point


def assert_report(report, expected):
    got = report.as_dict()
    for key, value in expected.items():
        assert got[key] == value, f"{key}: got {got[key]!r}, expected {value!r}"


@pytest.fixture(scope="module")
def reference_model(tmp_path_factory) -> Path:
    """The demo model with perturbed weights: a second model whose outputs differ
    (not always in argmax), to measure agreement, error and SQNR against."""
    def perturb(model):
        rng = np.random.default_rng(3)
        weights = max((b for b in model.buffers if b.data is not None), key=lambda b: len(b.data))
        w = np.asarray(weights.data, dtype=np.uint8).view(np.int8).astype(np.int16)
        w = np.clip(w + rng.integers(-6, 7, size=w.shape), -127, 127).astype(np.int8)
        weights.data = w.view(np.uint8)

    path = tmp_path_factory.mktemp("reference") / "digits_perturbed.tflite"
    path.write_bytes(model_edit.edited(DEMO.read_bytes(), perturb))
    return path


def _session_pids(sid: int):
    """Live processes of session ``sid`` (the test cluster was started with start_new_session)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ProcessLookupError):
                if os.getsid(int(entry)) == sid and int(entry) != sid:
                    pids.append(int(entry))
    return pids


@contextlib.contextmanager
def _cwd(path):
    saved = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(saved)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ray_head():
    """`ray start --head --block` on 127.0.0.1 (2 CPUs); this process connects to it.

    The driver connects from a temporary directory: Ray adds the driver's working
    directory to the workers' import path, and the source tree's pyruntime/
    (without the compiled extension) must not shadow the installed one."""
    ray_cli = shutil.which("ray", path=os.path.dirname(sys.executable)) or shutil.which("ray")
    assert ray_cli, "the `ray` command of ray[data] is missing"
    port = _free_port()
    log = tempfile.TemporaryFile()
    # Its own temp dir: a cluster stopped without draining leaves no stale
    # /tmp/ray/ray_current_cluster that a later ray.init() would try to join.
    temp_dir = tempfile.mkdtemp(prefix="pyrt_ray_")
    head = subprocess.Popen(
        [ray_cli, "start", "--head", "--block", "--node-ip-address", "127.0.0.1", "--port", str(port),
         "--num-cpus", "2", "--include-dashboard", "false", "--disable-usage-stats",
         "--ray-client-server-port", str(_free_port()), "--temp-dir", temp_dir],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **SUBPROCESS)
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if head.poll() is not None:
                log.seek(0)
                pytest.fail(f"ray start failed: {log.read().decode(errors='replace')[-3000:]}")
            try:
                with _cwd(tempfile.gettempdir()):
                    ray.init(address=address, logging_level="WARNING", log_to_driver=False)
                break
            except Exception:  # GCS not up yet
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        yield {"address": address, "sid": head.pid}
    finally:
        ray.shutdown()
        head.terminate()  # `ray start --block` drains (up to 30 s) and stops the cluster
        try:
            head.wait(timeout=3)
        except subprocess.TimeoutExpired:  # no need to drain a test cluster
            head.kill()
            head.wait(timeout=10)
        for pid in _session_pids(head.pid):  # anything of this cluster still alive
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(temp_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def data(reference_model):
    """20,000 samples (float and quantized), labels, and LiteRT's outputs of the
    demo model on all of them and of the reference model on the first 10,000."""
    x, y = digits(CLI_SAMPLES, seed=0)
    xq = quantize(x, pyruntime.Interpreter(DEMO).get_input_details()[0])
    return {"x": x, "xq": xq, "y": y, "litert": litert_outputs(DEMO, xq),
            "litert_reference": litert_outputs(reference_model, xq[:SAMPLES])}


def test_cluster_report_equals_litert_and_one_process(ray_head, reference_model, data):
    x, y = data["x"][:SAMPLES], data["y"][:SAMPLES]
    expected = expected_report(first(data["litert"], SAMPLES), y, data["litert_reference"])
    assert 0.5 < expected["top1_agreement"] < 1, "the reference must disagree sometimes"
    assert 0 < expected["mean_abs_error"] < expected["max_abs_error"]

    on_ray = pyruntime_ray.evaluate(DEMO, x, labels=y, reference_model=reference_model, batch_size=128, workers=2)
    assert_report(on_ray, expected)
    assert on_ray.samples_per_second > 0 and on_ray.seconds > 0
    here = evaluate_arrays(DEMO, x, y, reference_model, batch_size=100)
    assert_report(here, expected)
    # pyruntime.evaluate (the quantization report) computes the same numbers.
    q = pyruntime.evaluate(reference_model, DEMO, x, y)
    assert (q.top1_agreement, q.quantized_accuracy, q.float_accuracy, q.max_abs_error, q.mean_abs_error,
            q.sqnr_db) == (expected["top1_agreement"], expected["accuracy"], expected["reference_accuracy"],
                           expected["max_abs_error"], expected["mean_abs_error"], expected["sqnr_db"])


def test_cluster_reads_a_ray_dataset_by_column(ray_head, data):
    n = 2000
    expected = expected_report(first(data["litert"], n), data["y"][:n])
    ds = ray.data.from_numpy(data["xq"][:n])  # one "data" column of int8 samples, no index: kept in order
    assert_report(pyruntime_ray.evaluate(DEMO, ds, input_column="data", batch_size=64, workers=2),
                  {k: v for k, v in expected.items() if k != "accuracy"})


def test_predict_returns_litert_outputs(ray_head, data):
    n = 600
    xq = data["xq"]
    q, s, z = first(data["litert"], n)
    ds = pyruntime_ray.dataset_from_arrays({"x": xq[:n]}, rows_per_block=128)
    rows = pyruntime_ray.predict(ds, DEMO, batch_size=50, workers=2).take_all()
    assert len(rows) == n
    rows.sort(key=lambda r: r[pyruntime_ray.INDEX_COLUMN])
    got = np.stack([np.asarray(r["output"]).reshape(-1) for r in rows])
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, dequantized(q, s, z))
    raw = pyruntime_ray.predict(ds, DEMO, batch_size=50, workers=1, float_output=False).take_all()
    raw.sort(key=lambda r: r[pyruntime_ray.INDEX_COLUMN])
    np.testing.assert_array_equal(np.stack([np.asarray(r["output"]).reshape(-1) for r in raw]), q)


def _worker_pids(sid: int, title: bytes):
    """PIDs of this cluster's actor processes whose title starts with ``title``
    (ray::EvalWorker for arrays, ray::MapWorker for Ray Data's actors)."""
    pids = []
    for pid in _session_pids(sid):
        with contextlib.suppress(OSError):
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f.read().startswith(title):
                    pids.append(pid)
    return pids


@pytest.mark.parametrize("source", ["array", "ray_dataset"])
def test_killed_worker_is_retried_and_the_result_is_identical(ray_head, data, source):
    x, y = data["x"][:SAMPLES], data["y"][:SAMPLES]
    expected = expected_report(first(data["litert"], SAMPLES), y)
    killed, seen = [], [0]
    title = b"ray::EvalWorker" if source == "array" else b"ray::MapWorker"

    def kill_one_actor_at_first_result(n):
        seen[0] += n
        if not killed:
            pids = _worker_pids(ray_head["sid"], title)
            assert pids, f"no {title.decode()} actor process found"
            os.kill(pids[0], signal.SIGKILL)
            killed.append((pids[0], seen[0]))

    if source == "array":
        dataset, labels = x, y
    else:
        dataset, labels = pyruntime_ray.dataset_from_arrays({"x": x, "y": y}, rows_per_block=1000), "y"
    report = pyruntime_ray.evaluate(DEMO, dataset, labels=labels, batch_size=10, workers=2,
                                    progress=kill_one_actor_at_first_result)
    assert killed, "no actor was killed"
    assert killed[0][1] < SAMPLES, "the actor was killed after the run had finished"
    assert seen[0] == SAMPLES
    assert_report(report, expected)


def test_a_broken_model_fails_fast_with_the_model_error(ray_head, data, tmp_path):
    x, y = data["x"], data["y"]
    broken = bytearray(DEMO.read_bytes())
    broken[4:8] = b"XXXX"  # not a TFLite file identifier
    with pytest.raises(pyruntime.ModelError) as local:
        pyruntime.Interpreter(model_content=bytes(broken))
    t0 = time.monotonic()
    with pytest.raises(pyruntime.ModelError) as on_ray:
        pyruntime_ray.evaluate(bytes(broken), x[:100], labels=y[:100], workers=2)
    assert time.monotonic() - t0 < 5
    assert str(on_ray.value) == str(local.value)
    with pytest.raises(ValueError, match=r"samples have shape \[8, 8\], the model expects \[8, 8, 1\]"):
        pyruntime_ray.evaluate(DEMO, x[:100, ..., 0], labels=y[:100], workers=2)

    path = tmp_path / "broken.tflite"
    path.write_bytes(bytes(broken))
    np.savez(tmp_path / "d.npz", x=x[:100], y=y[:100])
    result = cli("evaluate", str(path), str(tmp_path / "d.npz"), "--ray", ray_head["address"], "--json")
    assert result.returncode == 1
    assert str(local.value) in result.stderr
    assert result.stdout == ""


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pyruntime", *args], capture_output=True, text=True,
                          timeout=600, **SUBPROCESS)


def test_cli_json_is_the_same_with_and_without_ray(ray_head, data, tmp_path):
    npz = tmp_path / "digits.npz"
    np.savez(npz, x=data["x"], y=data["y"])
    expected = expected_report(data["litert"], data["y"])

    reports = []
    for extra in ([], ["--ray", ray_head["address"], "--workers", "2"]):
        result = cli("evaluate", str(DEMO), str(npz), "--batch-size", "500", "--json", *extra)
        assert result.returncode == 0, result.stderr[-3000:]
        reports.append(json.loads(result.stdout))  # stdout is exactly one JSON object
    here, on_ray = reports
    for key in ("samples", "accuracy", "predictions_sha256"):
        assert here[key] == on_ray[key] == expected[key], key
    assert here["top1_agreement"] is None and on_ray["top1_agreement"] is None
    for r in reports:
        assert r["seconds"] > 0 and r["samples_per_second"] == pytest.approx(CLI_SAMPLES / r["seconds"])


def test_cli_reports_agreement_with_a_reference(reference_model, data, tmp_path):
    n = 1000
    np.savez(tmp_path / "d.npz", pixels=data["x"][:n], digit=data["y"][:n])
    expected = expected_report(first(data["litert"], n), data["y"][:n], first(data["litert_reference"], n))
    result = cli("evaluate", str(DEMO), str(tmp_path / "d.npz"), "--input", "pixels", "--labels", "digit",
                 "--reference", str(reference_model), "--json")
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    for key, value in expected.items():
        assert got[key] == value, key
    missing = cli("evaluate", str(DEMO), str(tmp_path / "d.npz"), "--labels", "nope")
    assert missing.returncode == 1 and "no array 'x'" in missing.stderr


def test_cli_reads_a_parquet_directory_here_and_on_ray(ray_head, data, tmp_path):
    n = 1000
    pyruntime_ray.dataset_from_arrays({"x": data["x"][:n], "y": data["y"][:n]}, rows_per_block=250) \
        .write_parquet(str(tmp_path / "parquet"))
    expected = expected_report(first(data["litert"], n), data["y"][:n])
    for extra in ([], ["--ray", ray_head["address"]]):
        result = cli("evaluate", str(DEMO), str(tmp_path / "parquet"), "--json", *extra)
        assert result.returncode == 0, result.stderr[-3000:]
        got = json.loads(result.stdout)
        for key in ("samples", "accuracy", "predictions_sha256"):
            assert got[key] == expected[key], (extra, key)
