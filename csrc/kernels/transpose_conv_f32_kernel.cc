#include "kernels/transpose_conv_f32_kernel.h"

namespace pyrt {

void TransposeConvF32Kernel::Init(Isa isa, const ConvGeometry& tconv, const float* filter,
                                  const float* bias, float act_min, float act_max) {
  phases_.Plan(tconv);
  const std::vector<float> phase_bias =
      bias ? phases_.Repeat(std::vector<float>(bias, bias + tconv.out_c)) : std::vector<float>();
  conv_.Init(isa, phases_.conv(), phases_.Filter(filter).data(), bias ? phase_bias.data() : nullptr,
             act_min, act_max);
}

size_t TransposeConvF32Kernel::scratch_bytes() const {
  return phases_.PhaseBytes<float>() + conv_.scratch_bytes();
}

void TransposeConvF32Kernel::Run(const float* input, float* output, uint8_t* scratch,
                                 ThreadPool* pool) const {
  phases_.Run(conv_, input, output, scratch, pool);
}

}  // namespace pyrt
