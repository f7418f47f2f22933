#include "kernels/reference/softmax_s8.h"

#include <algorithm>
#include <limits>

#include "quant/fixed_point.h"
#include "quant/gemmlowp_math.h"

namespace pyrt {
namespace {

constexpr int kScaledDiffIntegerBits = 5;   // exp() input is Q5
constexpr int kAccumulationIntegerBits = 12;  // sum of exps is Q12

// Count of leading zero bits; 32 for 0.
inline int CountLeadingZeros32(uint32_t x) { return x ? __builtin_clz(x) : 32; }

// OutT int8 or int16: the reference's Softmax<int8_t, OutT> differs only in
// the output width (final shift 31 - bits, offset = the type minimum).
template <typename OutT>
void SoftmaxRow(const SoftmaxS8Params& p, int depth, const int8_t* in, OutT* out) {
  constexpr int32_t kOutMin = std::numeric_limits<OutT>::min(), kOutMax = std::numeric_limits<OutT>::max();
  constexpr int kExtraShift = 8 * static_cast<int>(sizeof(OutT)) - 8;
  int32_t max_in_row = -128;
  for (int c = 0; c < depth; ++c) max_in_row = std::max<int32_t>(max_in_row, in[c]);

  // The reference sums in plain int32; it can only wrap for depth >= 4096.
  int32_t sum_of_exps = 0;
  for (int c = 0; c < depth; ++c) {
    const int32_t diff = in[c] - max_in_row;
    if (diff >= p.diff_min) {
      sum_of_exps = WrappingAdd(sum_of_exps, RescaleFixedPoint(SoftmaxS8ScaledExp(p, diff), 0,
                                                               kAccumulationIntegerBits));
    }
  }

  int32_t shifted_scale;
  int exponent;
  SoftmaxS8Reciprocal(sum_of_exps, &shifted_scale, &exponent);
  exponent = std::max(exponent - kExtraShift, 0);

  for (int c = 0; c < depth; ++c) {
    const int32_t diff = in[c] - max_in_row;
    if (diff >= p.diff_min) {
      const int32_t unsat = RoundingDivideByPOT(
          SaturatingRoundingDoublingHighMul(shifted_scale, SoftmaxS8ScaledExp(p, diff)), exponent);
      out[c] = static_cast<OutT>(std::min(std::max(unsat + kOutMin, kOutMin), kOutMax));
    } else {
      out[c] = static_cast<OutT>(kOutMin);
    }
  }
}

}  // namespace

int32_t SoftmaxS8ScaledExp(const SoftmaxS8Params& p, int32_t diff) {
  const int32_t scaled =
      MultiplyByQuantizedMultiplierGreaterThanOne(diff, p.input_multiplier, p.input_left_shift);
  return ExpOnNegativeValues<kScaledDiffIntegerBits>(scaled);
}

void SoftmaxS8Reciprocal(int32_t sum_of_exps, int32_t* scale, int* exponent) {
  // 1 / sum as (Q0 scale in [0.5, 1), power-of-two exponent), like TFLite's
  // GetReciprocal. The shift count is taken mod 32 as x86 does for a zero sum.
  const int headroom_plus_one = CountLeadingZeros32(static_cast<uint32_t>(sum_of_exps));
  const int num_bits_over_unit = kAccumulationIntegerBits - headroom_plus_one;
  const int32_t shifted_sum_minus_one = static_cast<int32_t>(
      (static_cast<uint32_t>(sum_of_exps) << (headroom_plus_one & 31)) - (uint32_t{1} << 31));
  *scale = OneOverOnePlusXForXIn01(shifted_sum_minus_one);
  // The reference aborts when this leaves [0, 31] (only for a wrapped sum);
  // we clamp so that Eval stays defined.
  *exponent = std::min(std::max(num_bits_over_unit + 31 - 8, 0), 31);
}

void SoftmaxS8(const SoftmaxS8Params& p, int64_t rows, int depth, const int8_t* input,
               int8_t* output) {
  for (int64_t r = 0; r < rows; ++r) {
    SoftmaxRow(p, depth, input + r * depth, output + r * depth);
  }
}

void SoftmaxS8ToS16(const SoftmaxS8Params& p, int64_t rows, int depth, const int8_t* input,
                    int16_t* output) {
  for (int64_t r = 0; r < rows; ++r) {
    SoftmaxRow(p, depth, input + r * depth, output + r * depth);
  }
}

}  // namespace pyrt
