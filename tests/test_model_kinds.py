"""Float32 and float16-weight models against the float oracle
(model_kinds.float_oracle): BUILTIN_REF is the target, and the bound is
max(1e-5, 2 x the error of LiteRT's default path against it in the same run).
"""
import numpy as np
import pytest

import model_kinds as mk
import pyruntime

OP_BOUND = 1e-5
ZOO_BOUND = 1e-5


def _run(interp, inputs):
    out = interp.run(inputs if len(inputs) > 1 else inputs[0])
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _check(path, floor, seeds=(0, 1, 2), **kwargs):
    sets = [mk.random_float_inputs(path, s) for s in seeds]
    oracle = mk.float_oracle(path, sets, floor=floor)
    interp = pyruntime.Interpreter(str(path), **kwargs)
    oracle.check([_run(interp, inputs) for inputs in sets], path.name)
    return interp


@pytest.mark.parametrize("kind", mk.KINDS)
@pytest.mark.parametrize("batch", [1, 3])
def test_mixed_float_ops(kind, batch):
    _check(mk.mixed_ops_model(kind, batch=batch), OP_BOUND)


@pytest.mark.parametrize("kind", mk.KINDS)
def test_mixed_float_ops_threads(kind):
    _check(mk.mixed_ops_model(kind, batch=3), OP_BOUND, num_threads=2)


def test_float16_dequantize_is_folded():
    f32 = pyruntime.Interpreter(str(mk.mixed_ops_model("float32")))
    f16 = pyruntime.Interpreter(str(mk.mixed_ops_model("float16")))
    names = {d["op_name"] for d in f16._get_ops_details()}
    assert "DEQUANTIZE" in names  # the model has them...
    assert f16._native().num_ops() == f32._native().num_ops()  # ...but none runs at invoke


@pytest.mark.parametrize("kind", mk.KINDS)
def test_mobilenet_v2(kind):
    _check(mk.zoo_model("mobilenet_v2", kind), ZOO_BOUND, seeds=(0, 1))


