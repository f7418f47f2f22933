"""Whole models from keras.applications, int8, against LiteRT's reference kernels,
on every kernel path this CPU runs (pyruntime.cpu_paths(), forced with
PYRUNTIME_ISA): each path must give the reference's bits, not only the best."""

from __future__ import annotations

import numpy as np
import pytest

import pyruntime

from bitexact import assert_bit_exact
from model_zoo import MODEL_NAMES, get_model

ZOO = [(name, "int8") for name in MODEL_NAMES] + [("mobilenet_v2", "uint8"), ("mobilenet_v2", "float32")]
PATHS = pyruntime.cpu_paths()


@pytest.mark.parametrize("isa", PATHS)
@pytest.mark.parametrize("name,io", ZOO, ids=[f"{n}-{io}" for n, io in ZOO])
def test_zoo_model_is_bit_exact(monkeypatch, name, io, isa):
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    refs = assert_bit_exact(get_model(name, io), seeds=(0, 1, 2), num_threads=2)
    # Degenerate models (constant outputs) would make the comparison meaningless.
    first = refs[0][0]
    assert any(not np.array_equal(first, r[0]) for r in refs[1:]), f"{name}/{io}: outputs do not vary"
