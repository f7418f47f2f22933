// int8 depthwise convolution for the avx512vnni path, depth multiplier 1,
// 32 channels per step: taps in pairs, vpdpwssd (int16 pairs into int32,
// exact) against weights packed once as int16. The zmm twin of
// kernels/x86/avx2/qs8_dwconv_c16_avx2.h: padding taps read a row of the
// input zero point and the bias folds -zero_point * sum(w).
#pragma once

#include <cstdint>

#include "kernels/conv_geometry.h"
#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

// Channel (within a group of 32) held by each accumulator lane: vpunpck*wd
// works within 128-bit lanes, so the first accumulator holds channels 0-3,
// 8-11, 16-19, 24-27 and the second 4-7, 12-15, 20-23, 28-31.
constexpr int kDwC32LaneChannel[32] = {0,  1,  2,  3,  8,  9,  10, 11, 16, 17, 18,
                                       19, 24, 25, 26, 27, 4,  5,  6,  7,  12, 13,
                                       14, 15, 20, 21, 22, 23, 28, 29, 30, 31};

// Most filter taps (filter_h * filter_w) the kernel takes.
constexpr int kDwConvAvx512VnniMaxTaps = 64;

// Packed, per 32-channel group: per pair of taps (t, t + 1), 64 int16 = for
// each lane slot j (kDwC32LaneChannel order) the pair (w[t][c], w[t+1][c]);
// then the group's requantization in lane-slot order
// (kernels/packed_requant.h). Missing channels and the odd last tap are
// zero. Group size: pairs * 128 + GemmlowpRequantBytes(32), pairs =
// (taps + 1) / 2. Rows and zero_row as in Qs8DwConvC16Avx2.
void Qs8DwConvC32Avx512Vnni(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
                            const int8_t* zero_row, const Qs8GemmEpilogue& scalars,
                            int8_t* output, int row0, int row1);

}  // namespace pyrt
