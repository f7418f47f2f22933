#include "kernels/transpose_conv_s8_kernel.h"

#include "kernels/qs8_gemm/qs8_gemm.h"
#include "kernels/weight_sums_s8.h"

namespace pyrt {

bool TransposeConvS8Kernel::Init(Isa isa, const ConvGeometry& tconv, const int8_t* filter,
                                 int32_t input_zero_point, const std::vector<int32_t>& bias,
                                 const std::vector<int32_t>& multiplier,
                                 const std::vector<int32_t>& shift, int32_t output_zero_point,
                                 int32_t act_min, int32_t act_max) {
  if (!PackedQs8Gemm::Supported(isa)) return false;
  phases_.Plan(tconv);
  const ConvGeometry& g = phases_.conv();
  const std::vector<int8_t> phase_filter = phases_.Filter(filter);
  const int K = g.filter_h * g.filter_w * g.in_c;
  conv_.Init(isa, g, phase_filter.data(), input_zero_point,
             FoldInputZeroPoint(phases_.Repeat(bias), phase_filter.data(), K, input_zero_point),
             phases_.Repeat(multiplier), phases_.Repeat(shift), output_zero_point, act_min, act_max);
  return true;
}

size_t TransposeConvS8Kernel::scratch_bytes() const {
  return phases_.PhaseBytes<int8_t>() + conv_.scratch_bytes();
}

void TransposeConvS8Kernel::Run(const int8_t* input, int8_t* output, uint8_t* scratch,
                                ThreadPool* pool) const {
  phases_.Run(conv_, input, output, scratch, pool);
}

}  // namespace pyrt
