// On-the-fly int8 quantization of float rows for the hybrid (dynamic-range)
// kernels, with the exact arithmetic of LiteRT's x86 build. That build
// compiles the NEON versions of tensor_utils SymmetricQuantizeFloats /
// AsymmetricQuantizeFloats through the NEON_2_SSE translator (USE_NEON is
// defined on x86 with SSE4.1), so the portable reference code is NOT what
// runs: rows are processed 8 values at a time with an add-0.5-and-truncate
// rounding, the remaining n % 8 values with std::round. `isa` picks the
// AVX2 scan / quantize loops (same results).
#pragma once

#include <cstdint>

#include "kernels/isa.h"

namespace pyrt {

struct RowQuantization {
  float scale = 1.f;       // real value of one step
  int32_t zero_point = 0;  // 0 for symmetric quantization
};

// Symmetric, levels -127..127: range = max(|min|, |max|) (float),
// scale = range / 127, q = round(x * (127 / range)) in float. An all-zero
// row gives q = 0, scale 1.
RowQuantization SymmetricQuantizeRow(const float* x, int n, int8_t* q, Isa isa);

// Asymmetric, levels -128..127, range [min(0, min x), max(0, max x)]:
// scale = double(float(rmax - rmin)) / 255, the zero point from the end with
// the smaller error (double, rounded half away, clamped), scale stored as
// float, inverse = float(1.0 / double(scale)), q = round(x * inverse) + zp
// (rounded before the zero point is added). A [0, 0] range gives q = 0,
// scale 1, zero point 0.
RowQuantization AsymmetricQuantizeRow(const float* x, int n, int8_t* q, Isa isa);

// The same levels written as q - zero_point in int16 (the hybrid GEMM's kS16
// rows), so pointwise convolutions need no packing pass.
RowQuantization SymmetricQuantizeRow(const float* x, int n, int16_t* q_minus_zp, Isa isa);
RowQuantization AsymmetricQuantizeRow(const float* x, int n, int16_t* q_minus_zp, Isa isa);

}  // namespace pyrt
