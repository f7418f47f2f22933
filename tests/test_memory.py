"""No memory growth over many invokes or create/destroy cycles, and loading a
model holds one copy of its weights. Bounded counts for CI; the full counts
(100,000 invokes, 1,000 cycles) run with tools/memory_soak.py."""

from __future__ import annotations

import os

import pytest

from pyruntime import _core, _testing

import soak
from model_zoo import get_model
from op_models import dense_model

SCALE = float(os.environ.get("PYRUNTIME_STRESS_SCALE", "1"))
MB = soak.MB


SANITIZED = "libasan" in os.environ.get("LD_PRELOAD", "")


@pytest.mark.skipif(SANITIZED, reason="ASan's quarantine grows RSS by design")
def test_rss_flat_over_20000_invokes():
    n = max(2000, int(20_000 * SCALE))
    before, after = soak.in_fresh_process("invoke_growth", n)
    # 1 MB over 20,000 invokes: a leak of 50 bytes per invoke would show.
    assert after - before < 1 * MB, f"RSS {before / MB:.1f} -> {after / MB:.1f} MB over {n} invokes"


@pytest.mark.skipif(SANITIZED, reason="ASan's quarantine grows RSS by design")
def test_rss_flat_over_300_create_destroy_cycles():
    n = max(30, int(300 * SCALE))
    before, after = soak.in_fresh_process("create_destroy_growth", n, dense_model(in_shape=(512,), units=256))
    # Leaking the 128 KB of weights (or their packed copy) per cycle would
    # exceed this many times over.
    assert after - before < 3 * MB, f"RSS {before / MB:.1f} -> {after / MB:.1f} MB over {n} cycles"


@pytest.mark.parametrize("isa", ["reference", "avx2"])
@pytest.mark.skipif(SANITIZED, reason="RSS of a sanitized build is not representative")
def test_loading_resnet50_holds_one_copy_of_the_weights(isa):
    # The file is mapped, not read; once packed kernels have copied what they
    # need, its pages are released. So loading costs at most one copy of the
    # weights (the file's, or the AVX2 path's int8 packed copy) plus the arena.
    if isa not in _testing.available_isas():
        pytest.skip(f"no {isa} on this CPU")
    path = get_model("resnet50", "int8")
    r = soak.load_growth(path, isa)
    assert r["growth"] < 1.3 * r["file"] + r["arena"], r
