"""int8 SVDF against tflite-micro's interpreter (the `tflite-micro` package), the
second reference: tflite-micro's keyword benchmark model is an SVDF stack. One-op
models from test_svdf.svdf_model, with the bias scale tflite-micro requires
(activation state scale x time weights scale); outputs must be equal to
tflite-micro's, invoke after invoke (the state shifts each time), and to LiteRT's
BUILTIN_REF in the same run.
"""
import flatbuffers
import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as S
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType
from tflite_micro.python.tflite_micro import runtime as micro

import pyruntime
from test_svdf import RELU, svdf_model


def micro_svdf(**config) -> bytes:
    m = S.ModelT.InitFromPackedBuf(svdf_model(True, activation=RELU, **config), 0)
    t = m.subgraphs[0].tensors  # x, wf, wt, b, state, y
    t[3].quantization.scale = [float(np.float32(t[4].quantization.scale[0] * t[2].quantization.scale[0]))]
    b = flatbuffers.Builder(1024)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


@pytest.mark.parametrize("config", [dict(), dict(batch=1, rank=1, memory=1), dict(seed=2),
                                    dict(batch=1, inputs=24, units=8, rank=2, memory=10, seed=4)])
def test_int8_svdf_matches_tflite_micro(config):
    data = micro_svdf(**config)
    tflm = micro.Interpreter.from_bytes(data)
    lite = LiteRT(model_content=data, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    lite.allocate_tensors()
    ours = pyruntime.Interpreter(model_content=data)
    shape = tflm.get_input_details(0)["shape"]
    rng = np.random.default_rng(len(config))
    distinct = set()
    for k in range(8):
        x = rng.integers(-128, 128, shape).astype(np.int8)
        tflm.set_input(x, 0)
        tflm.invoke()
        want = tflm.get_output(0)
        lite.set_tensor(lite.get_input_details()[0]["index"], x)
        lite.invoke()
        got = ours.run(x)
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(got, want), f"invoke {k}: {got} vs tflite-micro {want}"
        assert np.array_equal(got, lite.get_tensor(lite.get_output_details()[0]["index"])), f"invoke {k}"
        distinct.add(got.tobytes())
    assert len(distinct) > 4  # the outputs move with the inputs and the state
