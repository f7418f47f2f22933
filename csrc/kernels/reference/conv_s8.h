// Portable int8 convolutions (NHWC input, OHWI / 1HWO filters), bit-exact
// with TFLite's reference ConvPerChannel and DepthwiseConvPerChannel.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/conv_geometry.h"
#include "kernels/reference/requant.h"

namespace pyrt {

// Output pixels converted per im2col block; the scratch holds one block.
constexpr int kConvPixelBlock = 64;

// True when the input itself is the im2col matrix (1x1, stride 1, no pad).
bool ConvIsPointwise(const ConvGeometry& g);

// Scratch bytes ConvS8 needs.
size_t ConvS8ScratchBytes(const ConvGeometry& g);

// filter: [out_c][filter_h][filter_w][in_c]. rq.bias must be folded with the
// input zero point; `input_zero_point` fills padding (contributing 0).
void ConvS8(const ConvGeometry& g, const int8_t* input, const int8_t* filter,
            int32_t input_zero_point, const ChannelRequant& rq, int8_t* output,
            uint8_t* scratch);

// filter: [1][filter_h][filter_w][out_c], out_c = in_c * depth_multiplier.
// rq.bias is the raw bias (padding taps are skipped, so zero points cannot be
// folded). Scratch: DepthwiseConvS8ScratchBytes.
size_t DepthwiseConvS8ScratchBytes(const ConvGeometry& g);
void DepthwiseConvS8(const ConvGeometry& g, int depth_multiplier, const int8_t* input,
                     const int8_t* filter, int32_t input_zero_point, const ChannelRequant& rq,
                     int8_t* output, uint8_t* scratch);

}  // namespace pyrt
