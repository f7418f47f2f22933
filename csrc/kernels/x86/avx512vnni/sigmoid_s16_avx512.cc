// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/sigmoid_s16_avx512.h"

#include <immintrin.h>

namespace pyrt {
namespace {

// The reference's steps on 16 int32 lanes (see the AVX2 twin for the
// constants); both table neighbours come from one gather of a pair.
template <bool kTanh>
struct Sigmoid16 {
  static constexpr int kStep = kTanh ? 8 : 9;
  explicit Sigmoid16(const LogisticS16Params& p)
      : multiplier(_mm512_set1_epi32(p.input_multiplier == 0 ? 3 << p.input_left_shift
                                                              : p.input_multiplier)),
        round(_mm512_set1_epi32(p.input_multiplier != 0 && p.input_left_shift > 0
                                    ? 1 << (p.input_left_shift - 1) : 0)),
        shift(_mm_cvtsi32_si128(p.input_multiplier == 0 ? 0 : p.input_left_shift)),
        pairs(SigmoidNeighbourPairs()) {}

  __m512i operator()(__m512i x16) const {
    const __m512i x = _mm512_sra_epi32(_mm512_add_epi32(_mm512_mullo_epi32(x16, multiplier), round), shift);
    const __m512i ax = _mm512_abs_epi32(x);
    const __m512i index = _mm512_srli_epi32(ax, kStep);
    const __mmask16 big = _mm512_cmpgt_epi32_mask(index, _mm512_set1_epi32(254));
    // The masked form, all lanes on: the emulated build (csrc/testing/x86_on_simde.h) has only it.
    const __m512i pair = _mm512_mask_i32gather_epi32(
        _mm512_setzero_si512(), __mmask16(0xFFFF), _mm512_min_epu32(index, _mm512_set1_epi32(254)),
        pairs, 4);
    const __m512i a = _mm512_and_si512(pair, _mm512_set1_epi32(0xFFFF));
    const __m512i b = _mm512_srli_epi32(pair, 16);
    const __m512i frac = _mm512_and_si512(ax, _mm512_set1_epi32((1 << kStep) - 1));
    __m512i r = _mm512_add_epi32(_mm512_slli_epi32(a, kStep),
                                 _mm512_mullo_epi32(frac, _mm512_sub_epi32(b, a)));
    r = _mm512_mask_mov_epi32(r, big, _mm512_set1_epi32(kTanh ? 0xFFFF << 8 : 0x7FFF << 10));
    const __mmask16 negative = _mm512_cmplt_epi32_mask(x, _mm512_setzero_si512());
    if (kTanh) {
      const __m512i pos = _mm512_add_epi32(r, _mm512_set1_epi32(-(1 << 23) + (1 << 7)));
      const __m512i neg = _mm512_sub_epi32(_mm512_set1_epi32((1 << 23) + (1 << 7) - 1), r);
      return _mm512_srai_epi32(_mm512_mask_mov_epi32(pos, negative, neg), 8);
    }
    const __m512i pos = _mm512_add_epi32(r, _mm512_set1_epi32(1 << 9));
    const __m512i neg = _mm512_sub_epi32(_mm512_set1_epi32((1 << 25) + (1 << 9) - 1), r);
    return _mm512_srli_epi32(_mm512_mask_mov_epi32(pos, negative, neg), 10);
  }

  __m512i multiplier, round;
  __m128i shift;
  const uint32_t* pairs;
};

template <bool kTanh>
void SigmoidRow(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n) {
  const Sigmoid16<kTanh> f(p);
  // The results fit int16: the narrowing saturates nothing.
  auto step = [&](int64_t i, __mmask16 mask) {
    const __m512i x = _mm512_cvtepi16_epi32(_mm256_maskz_loadu_epi16(mask, in + i));
    _mm256_mask_storeu_epi16(out + i, mask, _mm512_cvtsepi32_epi16(f(x)));
  };
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) step(i, 0xFFFF);
  if (i < n) step(i, static_cast<__mmask16>((1u << (n - i)) - 1));
}

}  // namespace

void LogisticS16Avx512(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n) {
  SigmoidRow<false>(p, in, out, n);
}

void TanhS16Avx512(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n) {
  SigmoidRow<true>(p, in, out, n);
}

}  // namespace pyrt
