// DEPTHWISE_CONV_2D int8 on the interpreter's ISA path: the reference
// kernel, or (depth multiplier 1, up to 64 taps) a SIMD kernel split over
// output rows.
// Both give identical results.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/isa.h"
#include "kernels/qs8_gemm/qs8_gemm.h"
#include "kernels/reference/conv_s8.h"

namespace pyrt {

class ThreadPool;

class DepthwiseConvS8Kernel {
 public:
  // filter: [1][filter_h][filter_w][out_c], must outlive the kernel. bias:
  // raw (not folded). multiplier/shift: per output channel, shift in [-31, 31].
  void Init(Isa isa, const ConvGeometry& g, int depth_multiplier, const int8_t* filter,
            int32_t input_zero_point, const std::vector<int32_t>& bias,
            const std::vector<int32_t>& multiplier, const std::vector<int32_t>& shift,
            int32_t output_zero_point, int32_t act_min, int32_t act_max);

  size_t scratch_bytes() const;
  void Run(const int8_t* input, int8_t* output, uint8_t* scratch, ThreadPool* pool) const;

 private:
  bool simd_ = false;
  ConvGeometry g_{};
  int depth_multiplier_ = 1;
  const int8_t* filter_ = nullptr;
  int32_t input_zero_point_ = 0;
  OwnedChannelRequant rq_;  // reference path
  // SIMD path: weights in the microkernel's layout, a row of zero points
  // for padding taps, the epilogue with the zero point folded into the bias.
  std::vector<int8_t> packed_weights_;
  std::vector<int8_t> zero_row_;
  PaddedEpilogue epilogue_;
};

}  // namespace pyrt
