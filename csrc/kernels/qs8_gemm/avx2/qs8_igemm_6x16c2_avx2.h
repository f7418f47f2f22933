// Indirect int8 GEMM ("igemm") for AVX2: a convolution without an im2col
// copy. Row r of A is not one stored row but `segments` runs of segment_kp
// int16 values, run s at a[r] + s * segment_stride: one run per filter row
// of a convolution over a widened copy of the input with its padding (the
// input zero point) written out, so a run is filter_w * in_c consecutive
// values (rounded up to a k pair; the extra value meets a zero weight).
// B is one panel as for Qs8Gemm6x16c2 ([kp / 2][16][2], kp = segments *
// segment_kp); the epilogue is the same.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

// Requantization as TFLite's MultiplyByQuantizedMultiplier (gemmlowp).
void Qs8Igemm6x16c2GemmlowpAvx2(int mr, int nr, int segments, int segment_kp,
                                size_t segment_stride, const int16_t* const* a, const int8_t* b,
                                int8_t* c, size_t c_stride, const Qs8GemmEpilogue& ep);

}  // namespace pyrt
