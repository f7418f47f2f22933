// int8 depthwise convolution for AVX2, depth multiplier 1: 16 channels per
// step, products of sign-extended (x - zero point) and weights in exact
// 32-bit (vpmullw + vpmulhw), padding taps skipped like the reference.
#pragma once

#include <cstdint>

#include "kernels/conv_geometry.h"
#include "kernels/qs8_gemm_ukernel.h"

namespace pyrt {

// Output rows [row0, row1) counted over all images (row = b * out_h + oy).
// filter: [filter_h][filter_w][channels]; ep.bias is the raw bias.
void Qs8DwConvC16Avx2(const ConvGeometry& g, const int8_t* input, const int8_t* filter,
                      int32_t input_zero_point, const Qs8GemmEpilogue& ep, int8_t* output,
                      int row0, int row1);

}  // namespace pyrt
