"""Runs a model with LiteRT's reference kernels in a separate process.

LiteRT aborts the whole process on some models (e.g. its reference SOFTMAX
for some quantization parameters), so pyruntime never calls it in-process.
Usage: python -m pyruntime._litert_worker MODEL IN.npz OUT.npz [--all-tensors]
IN.npz holds the inputs as in0, in1, ...; OUT.npz receives outputs out0, ...
and, with --all-tensors, every readable tensor as t<index>.
"""

from __future__ import annotations

import sys

import numpy as np


def main(argv) -> int:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    model, in_path, out_path = argv[:3]
    all_tensors = "--all-tensors" in argv
    interp = Interpreter(model_path=model, experimental_op_resolver_type=OpResolverType.BUILTIN_REF,
                         experimental_preserve_all_tensors=all_tensors)
    interp.allocate_tensors()
    inputs = np.load(in_path)
    for k, d in enumerate(interp.get_input_details()):
        interp.set_tensor(d["index"], inputs[f"in{k}"])
    interp.invoke()
    result = {f"out{k}": interp.get_tensor(d["index"]) for k, d in enumerate(interp.get_output_details())}
    if all_tensors:
        for d in interp.get_tensor_details():
            try:
                result[f"t{d['index']}"] = interp.get_tensor(d["index"])
            except ValueError:
                pass  # tensors without data (e.g. unused)
    np.savez(out_path, **result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
