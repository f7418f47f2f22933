"""Float <-> quantized conversion with a tensor's own scale and zero point."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np


def quantize(x: np.ndarray, details: Mapping[str, Any]) -> np.ndarray:
    """Quantizes float ``x`` for a tensor described by ``details`` (an entry of
    ``get_input_details()``): ``clip(round(x / scale) + zero_point)`` in the
    tensor's integer dtype, rounding halves away from zero like TFLite."""
    dtype = np.dtype(details["dtype"])
    if dtype.kind == "f":
        return np.asarray(x, dtype=dtype)
    scale, zero_point = details["quantization"]
    if scale == 0:
        raise ValueError(f"tensor '{details['name']}' is not quantized")
    # Divide in float32 as TFLite does; round in float64, where adding 0.5 to
    # a float32 value is exact.
    q = (np.asarray(x, dtype=np.float32) / np.float32(scale)).astype(np.float64)
    q = np.trunc(q + np.copysign(0.5, q)) + zero_point
    info = np.iinfo(dtype)
    return np.clip(q, info.min, info.max).astype(dtype)


def dequantize(q: np.ndarray, details: Mapping[str, Any]) -> np.ndarray:
    """Float32 values of ``q``: ``scale * (q - zero_point)``."""
    q = np.asarray(q)
    if q.dtype.kind == "f":
        return q.astype(np.float32)
    scale, zero_point = details["quantization"]
    return (np.float32(scale) * (q.astype(np.float32) - np.float32(zero_point))).astype(np.float32)
