"""Float32 and float16-weight models against the float oracle
(model_kinds.float_oracle): BUILTIN_REF is the target, and the bounds come
from the error of LiteRT's default path against it in the same run.
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




def test_float_oracle_can_fail():
    """The oracle rejects a localized error (one element) and a diffuse one
    (every element off by a little more than LiteRT default's noise)."""
    path = mk.mixed_ops_model("float32")
    sets = [mk.random_float_inputs(path, s) for s in (0, 1)]
    oracle = mk.float_oracle(path, sets)
    interp = pyruntime.Interpreter(str(path))
    ours = [_run(interp, inputs) for inputs in sets]
    oracle.check(ours, "unchanged")

    spiked = [[o.copy() for o in outs] for outs in ours]
    spiked[1][0].flat[0] += 1e-2 * np.max(np.abs(spiked[1][0]))
    with pytest.raises(AssertionError, match="max relative error"):
        oracle.check(spiked, "one element off")

    # A diffuse error the max bound allows but the RMS bound does not.
    loose_max = mk.FloatOracle(oracle.refs, default_rms=[1e-6] * len(ours[0]),
                               default_max=[1e-2] * len(ours[0]), floor=1e-7)
    noisy = [[(o * (1 + 1e-4 * np.where(np.arange(o.size) % 2, 1.0, -1.0).reshape(o.shape))).astype(o.dtype)
              for o in outs] for outs in ours]
    with pytest.raises(AssertionError, match="relative RMS error"):
        loose_max.check(noisy, "every element off")
