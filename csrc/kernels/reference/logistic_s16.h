// 16x8 LOGISTIC and TANH: TFLite's reference integer_ops::Logistic / Tanh
// for int16, both interpolating one 256-entry table of sigmoid in Q0.16
// (tanh(x) = 2 * sigmoid(2x) - 1 reads it at twice the rate).
#pragma once

#include <cstdint>

namespace pyrt {

// input_multiplier == 0 means a power-of-two input scale (2^-12): the
// kernel then scales by 3 exactly; otherwise x * multiplier is rounded
// down by input_left_shift (half up). Output scale is 2^-15, zero point 0.
struct LogisticS16Params {
  int32_t input_multiplier = 0;
  int input_left_shift = 0;
};

// sigmoid(i / 24), i < 256, in Q0.16: TFLite's table, which both interpolate.
extern const uint16_t kSigmoidTableQ16[256];
// For the SIMD twins' gathers: entry i < 255 is kSigmoidTableQ16[i] in the
// low 16 bits and kSigmoidTableQ16[i + 1] in the high 16.
const uint32_t* SigmoidNeighbourPairs();

void LogisticS16(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n);
void TanhS16(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n);

}  // namespace pyrt
