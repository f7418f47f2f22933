// TRANSPOSE_CONV int8 on the packed GEMM paths, as one stride-1 convolution
// (the sub-pixel form). Along each axis, output position o with
// o + pad = stride * q + r (0 <= r < stride) takes filter tap
// f = stride * t + r from input position q - t: for each phase r the taps
// form a filter of ceil(f / stride) (zero weights past the real filter).
// The stride_h * stride_w phases become the output channel blocks of one
// convolution over the input (channel (r_h * stride_w + r_w) * out_c + n),
// whose pixel (q_h, q_w) holds the outputs of the block of stride_h x
// stride_w output pixels it covers; Run spreads them out (depth to space)
// and drops what falls outside the output. The convolution sums exactly the
// reference's products (the others have zero weights or read padding that
// holds the input zero point, which the folded bias cancels) and wraps the
// same, so results are identical; it skips the zero gaps a spread-out input
// would carry (3/4 of the products at stride 2).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/conv_s8_kernel.h"
#include "kernels/isa.h"

namespace pyrt {

class ThreadPool;

class TransposeConvS8Kernel {
 public:
  // tconv: TRANSPOSE_CONV's geometry (input, output, strides, pads;
  // pads >= 0); filter [out_c][filter_h][filter_w][in_c] (copied); bias:
  // the raw int32 bias (zeros when absent); multiplier/shift per output
  // channel. Returns false where no packed GEMM path exists (the reference
  // path), leaving the kernel unusable.
  bool Init(Isa isa, const ConvGeometry& tconv, const int8_t* filter, int32_t input_zero_point,
            const std::vector<int32_t>& bias, const std::vector<int32_t>& multiplier,
            const std::vector<int32_t>& shift, int32_t output_zero_point, int32_t act_min,
            int32_t act_max);

  size_t scratch_bytes() const;
  void Run(const int8_t* input, int8_t* output, uint8_t* scratch, ThreadPool* pool) const;

 private:
  // One axis: the convolution covers q = first .. first + conv size - 1.
  struct Axis {
    int stride = 1, pad = 0, first = 0;
  };
  void SpreadRows(const int8_t* phases, int8_t* output, int line0, int line1) const;
  size_t PhasesBytes() const;

  ConvGeometry tconv_{}, conv_g_{};
  Axis h_, w_;
  // The convolution's output is the output (strides 1, pads below the
  // filter size): no depth to space.
  bool direct_ = false;
  ConvS8Kernel conv_;
};

}  // namespace pyrt
