#include "kernels/softmax_s8/softmax_s8_table.h"

#include <algorithm>

#include "quant/fixed_point.h"
#include "quant/gemmlowp_math.h"

#if defined(__x86_64__)
#include "kernels/softmax_s8/avx2/softmax_s8_table_avx2.h"
#include "kernels/softmax_s8/avx512vnni/softmax_s8_table_avx512.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif

namespace pyrt {

SoftmaxS8Table BuildSoftmaxS8Table(const SoftmaxS8Params& p) {
  constexpr int kAccumulationIntegerBits = 12;
  SoftmaxS8Table t;
  for (int i = 0; i < 256; ++i) {
    const int32_t diff = -i;
    if (diff < p.diff_min) continue;  // the reference skips these: 0 in both tables
    t.exp[i] = SoftmaxS8ScaledExp(p, diff);
    t.exp_q12[i] = RescaleFixedPoint(t.exp[i], 0, kAccumulationIntegerBits);
  }
  return t;
}

void SoftmaxS8Tabulated(const SoftmaxS8Table& t, int64_t rows, int depth, const int8_t* input,
                        int8_t* output) {
  for (int64_t r = 0; r < rows; ++r) {
    const int8_t* in = input + r * depth;
    int8_t* out = output + r * depth;
    int32_t max_in_row = -128;
    for (int c = 0; c < depth; ++c) max_in_row = std::max<int32_t>(max_in_row, in[c]);
    // Plain int32 sum in element order, wrapping as the reference's does.
    int32_t sum_of_exps = 0;
    for (int c = 0; c < depth; ++c)
      sum_of_exps = WrappingAdd(sum_of_exps, t.exp_q12[max_in_row - in[c]]);
    int32_t scale;
    int exponent;
    SoftmaxS8Reciprocal(sum_of_exps, &scale, &exponent);
    for (int c = 0; c < depth; ++c) {
      const int32_t unsat = RoundingDivideByPOT(
          SaturatingRoundingDoublingHighMul(scale, t.exp[max_in_row - in[c]]), exponent);
      out[c] = static_cast<int8_t>(std::min(std::max(unsat - 128, -128), 127));
    }
  }
}

SoftmaxS8TabulatedFn SoftmaxS8TabulatedFor(Isa isa) {
#ifdef PYRT_HAVE_X86_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return SoftmaxS8TabulatedAvx512;
  if (IsaAtLeast(isa, Isa::kAvx2)) return SoftmaxS8TabulatedAvx2;
#endif
  (void)isa;
  return SoftmaxS8Tabulated;
}

}  // namespace pyrt
