#include "kernels/reference/leaky_relu_s16.h"

#include <algorithm>

#include "quant/fixed_point.h"
#include "quant/gemmlowp_math.h"

namespace pyrt {

void LeakyReluS16(const LeakyReluParams& p, const int16_t* in, int16_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const int32_t x = in[i] - p.input_zero_point;
    const int32_t scaled = x >= 0 ? MultiplyByQuantizedMultiplier(x, p.identity_multiplier, p.identity_shift)
                                  : MultiplyByQuantizedMultiplier(x, p.alpha_multiplier, p.alpha_shift);
    const int32_t v = WrappingAdd(p.output_zero_point, scaled);
    out[i] = static_cast<int16_t>(std::min(std::max(v, -32768), 32767));
  }
}

}  // namespace pyrt
