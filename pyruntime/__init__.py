"""pyruntime: a fast, bit-exact inference runtime for quantized TensorFlow Lite models.

    import pyruntime
    y = pyruntime.Interpreter("model.tflite").run(x)

Outputs are bit-exact with TFLite's reference kernels. See ``Interpreter``.
"""

from pyruntime._core import ModelError, UsageError
from pyruntime.interpreter import Interpreter, SignatureRunner

__version__ = "0.1.0"

ModelError.__doc__ = (
    "The model file is malformed or uses something pyruntime does not support. "
    "The message names the op or tensor at fault. A subclass of ValueError."
)
UsageError.__doc__ = "An API call with wrong arguments (for example a wrong input shape). A ValueError."

__all__ = ["Interpreter", "SignatureRunner", "ModelError", "UsageError", "__version__"]
