#include "kernels/x86/avx2/sigmoid_s16_avx2.h"

#include <immintrin.h>

#include <cstring>

namespace pyrt {
namespace {

// The reference's steps on 8 int32 lanes. kTanh: index step 2^8 (sigmoid at
// twice the rate), 2 * sigmoid - 1 in Q0.15; else step 2^9 and sigmoid in
// Q0.15. All intermediate values stay inside int32 (|r| < 2^26).
template <bool kTanh>
struct Sigmoid8 {
  static constexpr int kStep = kTanh ? 8 : 9;
  explicit Sigmoid8(const LogisticS16Params& p)
      : multiplier(_mm256_set1_epi32(p.input_multiplier == 0 ? 3 << p.input_left_shift
                                                              : p.input_multiplier)),
        round(_mm256_set1_epi32(p.input_multiplier != 0 && p.input_left_shift > 0
                                    ? 1 << (p.input_left_shift - 1) : 0)),
        shift(_mm_cvtsi32_si128(p.input_multiplier == 0 ? 0 : p.input_left_shift)),
        pairs(reinterpret_cast<const int*>(SigmoidNeighbourPairs())) {}

  __m256i operator()(__m256i x16) const {
    // x * multiplier (|.| < 2^30), rounded down by shift.
    const __m256i x = _mm256_sra_epi32(_mm256_add_epi32(_mm256_mullo_epi32(x16, multiplier), round), shift);
    const __m256i ax = _mm256_abs_epi32(x);
    const __m256i index = _mm256_srli_epi32(ax, kStep);
    const __m256i big = _mm256_cmpgt_epi32(index, _mm256_set1_epi32(254));
    const __m256i pair = _mm256_i32gather_epi32(pairs, _mm256_min_epu32(index, _mm256_set1_epi32(254)), 4);
    const __m256i a = _mm256_and_si256(pair, _mm256_set1_epi32(0xFFFF));
    const __m256i b = _mm256_srli_epi32(pair, 16);
    const __m256i frac = _mm256_and_si256(ax, _mm256_set1_epi32((1 << kStep) - 1));
    __m256i r = _mm256_add_epi32(_mm256_slli_epi32(a, kStep),
                                 _mm256_mullo_epi32(frac, _mm256_sub_epi32(b, a)));
    r = _mm256_blendv_epi8(r, _mm256_set1_epi32(kTanh ? 0xFFFF << 8 : 0x7FFF << 10), big);
    const __m256i negative = _mm256_cmpgt_epi32(_mm256_setzero_si256(), x);
    if (kTanh) {
      const __m256i pos = _mm256_add_epi32(r, _mm256_set1_epi32(-(1 << 23) + (1 << 7)));
      const __m256i neg = _mm256_sub_epi32(_mm256_set1_epi32((1 << 23) + (1 << 7) - 1), r);
      return _mm256_srai_epi32(_mm256_blendv_epi8(pos, neg, negative), 8);
    }
    const __m256i pos = _mm256_add_epi32(r, _mm256_set1_epi32(1 << 9));
    const __m256i neg = _mm256_sub_epi32(_mm256_set1_epi32((1 << 25) + (1 << 9) - 1), r);
    return _mm256_srli_epi32(_mm256_blendv_epi8(pos, neg, negative), 10);
  }

  __m256i multiplier, round;
  __m128i shift;
  const int* pairs;
};

template <bool kTanh>
void SigmoidRow(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n) {
  const Sigmoid8<kTanh> f(p);
  // 16 values per step; the results fit int16, so packing saturates nothing.
  auto step16 = [&](const int16_t* pi, int16_t* po) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(pi));
    const __m256i lo = f(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(v)));
    const __m256i hi = f(_mm256_cvtepi16_epi32(_mm256_extracti128_si256(v, 1)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(po),
                        _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xD8));
  };
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) step16(in + i, out + i);
  if (i == n) return;
  const size_t rest = static_cast<size_t>(n - i);
  int16_t ti[16] = {}, to[16];
  std::memcpy(ti, in + i, rest * sizeof(int16_t));
  step16(ti, to);
  std::memcpy(out + i, to, rest * sizeof(int16_t));
}

}  // namespace

void LogisticS16Avx2(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n) {
  SigmoidRow<false>(p, in, out, n);
}

void TanhS16Avx2(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n) {
  SigmoidRow<true>(p, in, out, n);
}

}  // namespace pyrt
