"""pyruntime.evaluation: exact, order-independent metric sums; pyruntime without Ray installed."""

from __future__ import annotations

import hashlib
import math
import subprocess
import sys

import numpy as np
import pytest

from pyruntime.evaluation import EvalSums, ExactSum, predictions_sha256
from subprocess_env import subprocess_kwargs


def test_exact_sum_is_fsum_in_any_grouping():
    rng = np.random.default_rng(0)
    for trial in range(50):
        v = rng.standard_normal(int(rng.integers(1, 3000))) * 10.0 ** rng.integers(-20, 20, size=1)
        v = np.concatenate([v, [1e16, 1.0, -1e16], -v[:5]])  # cancellation that float sums lose
        expected = math.fsum(v)
        cuts = np.sort(rng.integers(0, len(v), size=4))
        parts = [ExactSum().add(p) for p in np.split(rng.permutation(v), cuts)]
        total = ExactSum()
        for p in reversed(parts):
            total.merge(p)
        assert total.value() == expected, trial
    assert ExactSum().value() == 0.0
    assert ExactSum().add(np.array([1e16, 1.0, -1e16])).value() == 1.0  # np.sum gives 0.0 here
    with pytest.raises(ValueError, match="non-finite"):
        ExactSum().add(np.array([1.0, np.inf]))


def test_eval_sums_merge_in_any_order_gives_the_same_report():
    rng = np.random.default_rng(1)
    out = rng.standard_normal((1000, 10)).astype(np.float32)
    ref = out + rng.standard_normal((1000, 10)).astype(np.float32) * 0.1
    labels = rng.integers(0, 10, size=1000)
    whole = EvalSums().add(out, labels, ref, start=0).report()
    pieces = [EvalSums().add(out[s:s + 64], labels[s:s + 64], ref[s:s + 64], indices=np.arange(s, min(s + 64, 1000)))
              for s in range(0, 1000, 64)]
    merged = EvalSums()
    for i in rng.permutation(len(pieces)):
        merged.merge(pieces[i])
    assert merged.report().as_dict() == whole.as_dict()
    # From first principles:
    err = out.astype(np.float64) - ref.astype(np.float64)
    assert whole.mean_abs_error == math.fsum(np.abs(err).ravel()) / err.size
    assert whole.max_abs_error == np.abs(err).max()
    assert whole.accuracy == np.count_nonzero(out.argmax(1) == labels) / 1000
    assert whole.top1_agreement == np.count_nonzero(out.argmax(1) == ref.argmax(1)) / 1000
    assert whole.predictions_sha256 == predictions_sha256(out.argmax(1))
    assert predictions_sha256(np.array([1, 2])) == hashlib.sha256(np.array([1, 2], "<i8").tobytes()).hexdigest()


def test_missing_or_repeated_samples_are_an_error():
    sums = EvalSums().add(np.eye(3), indices=np.array([0, 1, 1]))
    with pytest.raises(RuntimeError, match="missing or repeated"):
        sums.report()


def test_pyruntime_imports_without_ray():
    code = (
        "import sys; sys.modules['ray'] = None\n"  # as if ray were not installed
        "import pyruntime, pyruntime.evaluation, pyruntime.cli\n"
        "import pyruntime.ray as r\n"
        "try:\n"
        "    r.predict(None, b'')\n"
        "except ImportError as e:\n"
        "    print(e)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            **subprocess_kwargs())
    assert result.returncode == 0, result.stderr
    assert 'pip install "pyruntime[ray]"' in result.stdout
