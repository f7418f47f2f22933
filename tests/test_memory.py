"""No memory growth over many invokes or create/destroy cycles, and loading a
model holds one copy of its weights. Bounded counts for CI; the full counts
(100,000 invokes, 1,000 cycles) run with tools/memory_soak.py."""

from __future__ import annotations

import os

import pytest

from pyruntime import _core

import soak
from model_zoo import get_model
from op_models import dense_model

SCALE = float(os.environ.get("PYRUNTIME_STRESS_SCALE", "1"))
MB = soak.MB


SANITIZED = "libasan" in os.environ.get("LD_PRELOAD", "")


@pytest.mark.skipif(SANITIZED, reason="ASan's quarantine grows RSS by design")
def test_rss_flat_over_20000_invokes():
    n = max(2000, int(20_000 * SCALE))
    before, after = soak.invoke_growth(n)
    # 1 MB over 20,000 invokes: a leak of 50 bytes per invoke would show.
    assert after - before < 1 * MB, f"RSS {before / MB:.1f} -> {after / MB:.1f} MB over {n} invokes"


@pytest.mark.skipif(SANITIZED, reason="ASan's quarantine grows RSS by design")
def test_rss_flat_over_300_create_destroy_cycles():
    n = max(30, int(300 * SCALE))
    before, after = soak.create_destroy_growth(n, dense_model(in_shape=(512,), units=256))
    # Leaking the 128 KB of weights (or their packed copy) per cycle would
    # exceed this many times over.
    assert after - before < 3 * MB, f"RSS {before / MB:.1f} -> {after / MB:.1f} MB over {n} cycles"


@pytest.mark.skipif(SANITIZED, reason="RSS of a sanitized build is not representative")
def test_loading_resnet50_holds_one_copy_of_the_weights():
    # The file is read once into one bytes object; tensors point into it.
    path = get_model("resnet50", "int8")
    r = soak.load_growth(path, "reference")
    assert r["growth"] < r["file"] + r["arena"] + 8 * MB, r
    assert r["growth"] < 1.5 * r["file"], r


@pytest.mark.skipif(SANITIZED, reason="RSS of a sanitized build is not representative")
def test_avx2_packed_weights_are_no_larger_than_the_file():
    # The AVX2 path also holds its packed weights, kept as int8: at most one
    # more file-sized copy (int16 packing would add two).
    if "avx2" not in _core._testing.available_isas():
        pytest.skip("no AVX2")
    path = get_model("resnet50", "int8")
    ref, avx2 = soak.load_growth(path, "reference"), soak.load_growth(path, "avx2")
    assert avx2["growth"] - ref["growth"] < 1.1 * ref["file"], (ref, avx2)
