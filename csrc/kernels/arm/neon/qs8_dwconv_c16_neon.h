// int8 depthwise convolution for AArch64 NEON (ARMv8.0; also run by the
// neondot and neoni8mm paths), depth multiplier 1, 16 channels per step:
// each tap's 16 inputs are widened to int16 and multiplied into int32 lanes
// with smlal against weights packed once as int16 (the same tap-pair layout
// as the x86 twins, kernels/depthwise_conv_s8_kernel.h, with channels in
// order). Padding taps read a row filled with the input zero point, and the
// bias is folded with -zero_point * sum(w), so a padding tap adds exactly
// nothing, as in the reference (which skips it).
#pragma once

#include <cstdint>

#include "kernels/conv_geometry.h"
#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

// Channel (within a group of 16) held by each lane slot: in order.
constexpr int kDwC16NeonLaneChannel[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// Most filter taps (filter_h * filter_w) the kernel takes.
constexpr int kDwConvNeonMaxTaps = 64;

// Packed, per 16-channel group: per pair of taps (t, t + 1) in row-major tap
// order, 32 int16 = (w[t][c], w[t+1][c]) for c = 0..15 (vld2q_s16 splits them
// into one vector per tap); then the group's requantization in channel order
// (kernels/packed_requant.h), its bias folded with -input_zero_point * sum
// of the weights. Missing channels and the odd last tap are zero.
// Group size: pairs * 64 + GemmlowpRequantBytes(16), pairs = (taps + 1) / 2.
//
// Output rows [row0, row1) counted over all images (row = b * out_h + oy).
// zero_row: channels rounded up to 16 bytes of the input zero point.
// scalars: the epilogue's zero point, clamp and facts.
void Qs8DwConvC16Neon(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
                      const int8_t* zero_row, const Qs8GemmEpilogue& scalars, int8_t* output,
                      int row0, int row1);

}  // namespace pyrt
