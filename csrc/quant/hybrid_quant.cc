#include "quant/hybrid_quant.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "quant/float_cast.h"

namespace pyrt {
namespace {

// LiteRT's NEON kernels process 8 values per step and the rest one by one.
constexpr int kVectorStep = 8;

// NEON RoundToNearest as the x86 build compiles it (NEON_2_SSE, no ARMv8):
// truncate(y + (y < 0 ? -0.5f : 0.5f)), the addition rounded in float, so
// e.g. 0.49999997 rounds to 1. Out of range / NaN give INT32_MIN.
inline int32_t RoundByHalfAdd(float y) {
  return FloatToInt32LikeX86(y + (y < 0.f ? -0.5f : 0.5f));
}

// round_half_away(y) cast to int32 (the scalar tails).
inline int32_t RoundAway(float y) { return FloatToInt32LikeX86(std::round(y)); }

inline int8_t Clamp(int32_t v, int32_t lo, int32_t hi) {
  return static_cast<int8_t>(std::min(hi, std::max(lo, v)));
}

}  // namespace

RowQuantization SymmetricQuantizeRow(const float* x, int n, int8_t* q) {
  RowQuantization r;
  if (n <= 0) return r;
  const auto mm = std::minmax_element(x, x + n);
  const float range = std::max(std::fabs(*mm.first), std::fabs(*mm.second));
  if (range == 0.f) {
    std::memset(q, 0, static_cast<size_t>(n));
    return r;
  }
  r.scale = range / 127.f;
  const float inv = 127.f / range;
  const int vec_end = n / kVectorStep * kVectorStep;
  int i = 0;
  for (; i < vec_end; ++i) q[i] = Clamp(RoundByHalfAdd(x[i] * inv), -127, 127);
  for (; i < n; ++i) q[i] = Clamp(RoundAway(inv * x[i]), -127, 127);
  return r;
}

RowQuantization AsymmetricQuantizeRow(const float* x, int n, int8_t* q) {
  RowQuantization r;
  if (n <= 0) return r;
  // Range capped at zero on both sides (NeonMinMax), kept in float.
  const auto mm = std::minmax_element(x, x + n);
  const float rmin = std::min(0.f, *mm.first), rmax = std::max(0.f, *mm.second);
  if (rmin == rmax) {
    std::memset(q, 0, static_cast<size_t>(n));
    return r;
  }
  const double qmin = -128.0, qmax = 127.0;
  const double scale = static_cast<double>(rmax - rmin) / (qmax - qmin);
  const double zp_from_min = qmin - rmin / scale;
  const double zp_from_max = qmax - rmax / scale;
  const double err_min = std::fabs(qmin) + std::fabs(rmin / scale);
  const double err_max = std::fabs(qmax) + std::fabs(rmax / scale);
  const double zp = err_min < err_max ? zp_from_min : zp_from_max;
  if (zp <= qmin) {
    r.zero_point = -128;
  } else if (zp >= qmax) {
    r.zero_point = 127;
  } else {
    r.zero_point = static_cast<int8_t>(std::round(zp));
  }
  r.scale = static_cast<float>(scale);
  const float inv = static_cast<float>(1.0 / static_cast<double>(r.scale));
  const int vec_end = n / kVectorStep * kVectorStep;
  int i = 0;
  for (; i < vec_end; ++i) q[i] = Clamp(RoundByHalfAdd(x[i] * inv) + r.zero_point, -128, 127);
  for (; i < n; ++i) q[i] = Clamp(RoundAway(inv * x[i]) + r.zero_point, -128, 127);
  return r;
}

}  // namespace pyrt
