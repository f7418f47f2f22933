"""Float32 and float16-weight models against LiteRT's builtin kernels.

Error metric (per output): max |ours - litert| / max |litert|, bound 1e-5.
MobileNetV2 measures ~9e-6 (LiteRT's own builtin and reference kernels
differ by up to 1e-4 on it): the bound holds only because our float kernels
round like LiteRT's (no FMA contraction, bias added after the sum).
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


def _check(path, bound, seeds=(0, 1, 2), **kwargs):
    sets = [mk.random_float_inputs(path, s) for s in seeds]
    refs, _ = mk.builtin_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path), **kwargs)
    worst = 0.0
    for inputs, ref in zip(sets, refs):
        ours = _run(interp, inputs)
        assert len(ours) == len(ref)
        for o, r in zip(ours, ref):
            assert o.dtype == np.float32
            worst = max(worst, mk.max_rel_error(o, r))
    assert worst <= bound, f"{path.name}: max relative error {worst:.3e} > {bound:.0e}"
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


