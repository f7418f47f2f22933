#include "kernels/hybrid_quant.h"

#include <algorithm>
#include <cmath>

#include "quant/float_cast.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/hybrid_quant_avx2.h"
#include "kernels/x86/avx512vnni/hybrid_quant_avx512.h"
#define PYRT_HAVE_AVX2_KERNELS 1
#endif

namespace pyrt {
namespace {

// LiteRT's NEON kernels process 8 values per step and the rest one by one.
constexpr int kVectorStep = 8;

// NEON RoundToNearest as the x86 build compiles it (NEON_2_SSE, no ARMv8):
// truncate(y + (y < 0 ? -0.5f : 0.5f)), the addition rounded in float, so
// e.g. 0.49999997 rounds to 1. Callers clamp the result to int8 levels, so
// the sum is first limited to +-512 (NaN -> -512, which clamps to the lowest
// level like LiteRT's INT32_MIN): defined C++ that compilers vectorize.
inline int32_t RoundByHalfAdd(float y) {
  float t = y + (y < 0.f ? -0.5f : 0.5f);
  t = std::max(-512.f, t);
  t = std::min(512.f, t);
  return static_cast<int32_t>(t);
}

// round_half_away(y) cast to int32 (the scalar tails).
inline int32_t RoundAway(float y) { return FloatToInt32LikeX86(std::round(y)); }

inline int8_t Clamp(int32_t v, int32_t lo, int32_t hi) {
  return static_cast<int8_t>(std::min(hi, std::max(lo, v)));
}

// std::minmax_element's values (the AVX2 scan when there is no NaN).
void MinMax(const float* x, int n, Isa isa, float* lo, float* hi) {
#ifdef PYRT_HAVE_AVX2_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx512Vnni) && MinMaxNoNanAvx512(x, n, lo, hi)) return;
  if (IsaAtLeast(isa, Isa::kAvx2) && MinMaxNoNanAvx2(x, n, lo, hi)) return;
#endif
  const auto mm = std::minmax_element(x, x + n);
  *lo = *mm.first;
  *hi = *mm.second;
}

// q[0..n / 8 * 8) = clamp(RoundByHalfAdd(x * inv) + zp); q of the rest =
// clamp(round(inv * x) + zp). Int16 outputs hold q - zp.
void QuantizeValues(const float* x, int n, float inv, int32_t zp, int32_t qmin, Isa isa,
                    int8_t* q) {
  const int vec_end = n / kVectorStep * kVectorStep;
  int i = 0;
#ifdef PYRT_HAVE_AVX2_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) {
    i = QuantizeByHalfAddAvx512(x, vec_end, inv, zp, qmin, q);
  } else if (IsaAtLeast(isa, Isa::kAvx2)) {
    i = QuantizeByHalfAddAvx2(x, vec_end, inv, zp, qmin, q);
  }
#endif
  for (; i < vec_end; ++i) q[i] = Clamp(RoundByHalfAdd(x[i] * inv) + zp, qmin, 127);
  for (; i < n; ++i) q[i] = Clamp(RoundAway(inv * x[i]) + zp, qmin, 127);
}

void QuantizeValues(const float* x, int n, float inv, int32_t zp, int32_t qmin, Isa isa,
                    int16_t* q) {
  const int vec_end = n / kVectorStep * kVectorStep;
  int i = 0;
#ifdef PYRT_HAVE_AVX2_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx2)) i = QuantizeByHalfAddS16Avx2(x, vec_end, inv, zp, qmin, q);
#endif
  for (; i < vec_end; ++i) q[i] = static_cast<int16_t>(Clamp(RoundByHalfAdd(x[i] * inv) + zp, qmin, 127) - zp);
  for (; i < n; ++i) q[i] = static_cast<int16_t>(Clamp(RoundAway(inv * x[i]) + zp, qmin, 127) - zp);
}

template <typename T>
RowQuantization Symmetric(const float* x, int n, T* q, Isa isa) {
  RowQuantization r;
  if (n <= 0) return r;
  float lo, hi;
  MinMax(x, n, isa, &lo, &hi);
  const float range = std::max(std::fabs(lo), std::fabs(hi));
  if (range == 0.f) {
    std::fill(q, q + n, T{0});
    return r;
  }
  r.scale = range / 127.f;
  QuantizeValues(x, n, 127.f / range, 0, -127, isa, q);
  return r;
}

template <typename T>
RowQuantization Asymmetric(const float* x, int n, T* q, Isa isa) {
  RowQuantization r;
  if (n <= 0) return r;
  // Range capped at zero on both sides (NeonMinMax), kept in float.
  float lo, hi;
  MinMax(x, n, isa, &lo, &hi);
  const float rmin = std::min(0.f, lo), rmax = std::max(0.f, hi);
  if (rmin == rmax) {
    std::fill(q, q + n, T{0});
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
  const float inv = r.scale == 0.f ? 0.f : static_cast<float>(1.0 / static_cast<double>(r.scale));
  QuantizeValues(x, n, inv, r.zero_point, -128, isa, q);
  return r;
}

}  // namespace

RowQuantization SymmetricQuantizeRow(const float* x, int n, int8_t* q, Isa isa) {
  return Symmetric(x, n, q, isa);
}
RowQuantization SymmetricQuantizeRow(const float* x, int n, int16_t* q_minus_zp, Isa isa) {
  return Symmetric(x, n, q_minus_zp, isa);
}
RowQuantization AsymmetricQuantizeRow(const float* x, int n, int8_t* q, Isa isa) {
  return Asymmetric(x, n, q, isa);
}
RowQuantization AsymmetricQuantizeRow(const float* x, int n, int16_t* q_minus_zp, Isa isa) {
  return Asymmetric(x, n, q_minus_zp, isa);
}

}  // namespace pyrt
