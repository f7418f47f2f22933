"""pyruntime: a fast, bit-exact inference runtime for quantized TensorFlow Lite models.

    import pyruntime
    y = pyruntime.Interpreter("model.tflite").run(x)

Outputs are bit-exact with TFLite's reference kernels. See ``Interpreter``.
"""

from pyruntime._core import ModelError, UsageError
from pyruntime.interpreter import Interpreter, SignatureRunner


def cpu_paths():
    """Names of the kernel paths this CPU can run, best first (for example
    ``["avx512vnni", "avx2", "reference"]``; ``"amx"`` leads on AMX Xeons whose
    OS grants the tile state). A new Interpreter uses the first
    one, or the one the environment variable ``PYRUNTIME_ISA`` names."""
    from pyruntime import _core

    return list(_core.cpu_paths())


def quantize(model, mode, representative_data=None, io="int8", eval_data=None, eval_labels=None):
    """Quantizes a float model with TensorFlow's converter; returns (tflite_bytes, report).

    ``mode``: "dynamic", "int8", "float16" or "int16x8"; see ``pyruntime.convert.quantize``.
    Needs ``pip install "pyruntime[convert]"``; running models never does.
    """
    from pyruntime.convert import quantize as _quantize

    return _quantize(model, mode, representative_data, io, eval_data, eval_labels)


def evaluate(float_model, quantized_tflite, data, labels=None):
    """Compares a quantized .tflite with its float model on ``data``; returns a QuantizationReport."""
    from pyruntime.convert import evaluate as _evaluate

    return _evaluate(float_model, quantized_tflite, data, labels)

def debug_quantization(float_model, quantized_tflite, data, labels=None, batch_size=32, num_threads=1):
    """Per-layer error of a quantized .tflite against its float model; returns a DebugReport
    (``print(report)`` ranks the layers, ``report.plot("x.png")`` charts them). See ``pyruntime.debug``."""
    from pyruntime.debug import debug_quantization as _debug

    return _debug(float_model, quantized_tflite, data, labels, batch_size=batch_size, num_threads=num_threads)


def quantize_keep_float(model, keep_float, representative_data, eval_data=None, eval_labels=None,
                        max_accuracy_drop=0.01, max_size_bytes=None):
    """int8 with some layers (names, or "auto") left in float; returns (tflite_bytes, report).
    See ``pyruntime.selective``; needs ``pip install "pyruntime[convert]"``."""
    from pyruntime.selective import quantize_keep_float as _keep

    return _keep(model, keep_float, representative_data, eval_data, eval_labels, max_accuracy_drop, max_size_bytes)

__version__ = "0.1.0"

ModelError.__doc__ = (
    "The model file is malformed or uses something pyruntime does not support. "
    "The message names the op or tensor at fault. A subclass of ValueError."
)
UsageError.__doc__ = "An API call with wrong arguments (for example a wrong input shape). A ValueError."

__all__ = ["Interpreter", "SignatureRunner", "ModelError", "UsageError", "cpu_paths", "quantize", "evaluate",
           "debug_quantization", "quantize_keep_float", "__version__"]
