// TRANSPOSE_CONV float32 in the sub-pixel form (kernels/transpose_conv_phases.h)
// on the float convolution's GEMM paths. The sums hold the reference's
// products in another order, plus exact zeros (zero weights, zero padding):
// results differ from the reference's only in rounding, except that an
// infinite input meeting a zero weight gives NaN where the reference skips
// the tap.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/isa.h"
#include "kernels/reference/conv_f32.h"
#include "kernels/transpose_conv_phases.h"

namespace pyrt {

class ThreadPool;

class TransposeConvF32Kernel {
 public:
  // tconv: TRANSPOSE_CONV's geometry (pads >= 0); filter
  // [out_c][filter_h][filter_w][in_c] and bias (out_c floats or null) are
  // copied; the result is clamped to [act_min, act_max].
  void Init(Isa isa, const ConvGeometry& tconv, const float* filter, const float* bias,
            float act_min, float act_max);

  size_t scratch_bytes() const;
  void Run(const float* input, float* output, uint8_t* scratch, ThreadPool* pool) const;

 private:
  TransposeConvPhases phases_;
  ConvF32Kernel conv_;
};

}  // namespace pyrt
