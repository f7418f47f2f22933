// TRANSPOSE_CONV int8 on the packed GEMM paths, in the sub-pixel form
// (kernels/transpose_conv_phases.h): the same int32 sums, wrapping, and the
// same requantization as the reference, so results are identical.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/conv_s8_kernel.h"
#include "kernels/isa.h"
#include "kernels/transpose_conv_phases.h"

namespace pyrt {

class ThreadPool;

class TransposeConvS8Kernel {
 public:
  // tconv: TRANSPOSE_CONV's geometry (pads >= 0); filter
  // [out_c][filter_h][filter_w][in_c] (copied); bias: the raw int32 bias
  // (zeros when absent); multiplier/shift per output channel. Returns false
  // where no packed GEMM path exists (the reference path), leaving the
  // kernel unusable.
  bool Init(Isa isa, const ConvGeometry& tconv, const int8_t* filter, int32_t input_zero_point,
            const std::vector<int32_t>& bias, const std::vector<int32_t>& multiplier,
            const std::vector<int32_t>& shift, int32_t output_zero_point, int32_t act_min,
            int32_t act_max);

  size_t scratch_bytes() const;
  void Run(const int8_t* input, int8_t* output, uint8_t* scratch, ThreadPool* pool) const;

 private:
  TransposeConvPhases phases_;
  ConvS8Kernel conv_;
};

}  // namespace pyrt
