// The rounding constants of the per-channel MUL rows (Qs8MulScaledRowAvx2,
// Qs8MulScaledRowAvx512), derived once for both. With Y = Yh * 2^20 + Yl
// (0 <= Yl < 2^20, |Yh| < 2^19; BinaryQ8Kernel::RunChannelScaledMul) and
// |x + o| <= 255, the SRDHM floor(((x + o) * Y + 2^30) / 2^31) is
//   u = (x + o) * Yh + (((x + o) * Yl + 2^30) >> 20),  h = u >> 11,
// every term inside int32. The rounding shift by r folds into the same
// shift: (u + half - [u < 0] * sign_step) >> (11 + r), half = 2^(r-1) * 2^11,
// sign_step = 2^11 (h < 0 exactly when u < 0). |h| <= |(x + o) * (y + o')|
// < 2^16, so every r >= 17 rounds it to 0, as 17 does (which keeps the half
// inside int32). Include only from the rows' translation units (internal
// linkage, as the requantization headers).
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/reference/binary_s8.h"

namespace pyrt {
namespace {

struct ScaledMulRounding {
  int32_t half;       // 0 when r = 0
  int32_t sign_step;  // 0 when r = 0
  int shift;          // 11 + r
};

// For output_shift <= 0 (the rows' precondition).
inline ScaledMulRounding ScaledMulRoundingOf(const MulParams& p) {
  const int r = std::min(-p.output_shift, 17);
  return ScaledMulRounding{r > 0 ? (1 << (r - 1)) << 11 : 0, r > 0 ? 1 << 11 : 0, 11 + r};
}

}  // namespace
}  // namespace pyrt
