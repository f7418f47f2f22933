// Compiled with the avx512vnni path's flags; called only when the CPU has
// them. The arithmetic (and why it is exact) is that of
// kernels/x86/avx2/qs8_vbinary_avx2.cc, 16 lanes wide.
#include "kernels/x86/avx512vnni/qs8_vbinary_avx512.h"

#include <immintrin.h>

#include "kernels/x86/avx512vnni/requant_avx512vnni.h"
#include "kernels/x86/scaled_mul_rounding.h"

namespace pyrt {
namespace {

// A rounding right shift by a fixed amount.
struct RightShift {
  explicit RightShift(int shift)
      : mask(_mm512_set1_epi32(static_cast<int32_t>((int64_t{1} << shift) - 1))),
        half(_mm512_srli_epi32(mask, 1)),
        count(_mm512_set1_epi32(shift)) {}
  __m512i Apply(__m512i x) const { return Rdbpot(x, mask, half, count); }
  __m512i mask, half, count;
};

// SRDHM by one multiplier for every lane.
template <bool kSaturate>
struct ScalarSrdhm {
  explicit ScalarSrdhm(int32_t m) : m(_mm512_set1_epi32(m)), m_odd(_mm512_srli_epi64(this->m, 32)) {}
  __m512i Apply(__m512i x) const { return Srdhm<kSaturate>(x, m, m_odd); }
  __m512i m, m_odd;
};

// n (<= 16) int8 values as 16 int32 lanes; a broadcast operand (step 0)
// repeats its one value. Lanes past n are 0 and their bytes are not read.
inline __m512i Load16(const int8_t* p, int64_t step, __mmask16 mask) {
  if (!step) return _mm512_set1_epi32(*p);
  // A whole step: vpmovsxbd straight from memory.
  if (mask == 0xFFFF) return _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  return _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, p));
}

// Saturating narrowing to int8, the activation clamp (inside int8, so
// saturating first changes nothing), then a store of the mask's lanes.
inline void Store16(__m512i v, __m128i act_min, __m128i act_max, __mmask16 mask, int8_t* out) {
  const __m128i b = _mm_max_epi8(_mm_min_epi8(_mm512_cvtsepi32_epi8(v), act_max), act_min);
  _mm_mask_storeu_epi8(out, mask, b);
}

// Four vectors of 16 int32 (elements 0-15, 16-31, ...) as 64 int8 with
// saturation, clamped: two packs (within 128-bit lanes; int32 -> int16 ->
// int8 saturates as int32 -> int8 does) and one dword permute back into
// element order, instead of four two-uop narrowing moves.
inline __m512i Narrow64(const __m512i r[4], __m512i act_min, __m512i act_max) {
  const __m512i packed =
      _mm512_packs_epi16(_mm512_packs_epi32(r[0], r[1]), _mm512_packs_epi32(r[2], r[3]));
  const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  return _mm512_max_epi8(_mm512_min_epi8(_mm512_permutexvar_epi32(order, packed), act_max), act_min);
}

// Runs step(a, b, mask, out) over the row, 16 elements at a time.
template <typename Step>
inline void ForEach16(const int8_t* a, int64_t sa, const int8_t* b, int64_t sb, int8_t* out,
                      int64_t n, Step step) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) step(a + i * sa, b + i * sb, __mmask16(0xFFFF), out + i);
  if (i < n) step(a + i * sa, b + i * sb, static_cast<__mmask16>((1u << (n - i)) - 1), out + i);
}

// SRDHM((x + offset) << 20, m) for |x + offset| <= 255 and m >= 0:
// (x + o) * (m >> 11) + (((x + o) * (m & 2047) + 2^10) >> 11) (see the AVX2 twin).
class ShiftedBy20Srdhm {
 public:
  ShiftedBy20Srdhm(int32_t offset, int32_t multiplier)
      : offset_(_mm512_set1_epi32(offset)),
        high_(_mm512_set1_epi32(multiplier >> 11)),
        low_(_mm512_set1_epi32(multiplier & 2047)) {}
  __m512i Apply(__m512i x) const {
    const __m512i t = _mm512_add_epi32(x, offset_);
    const __m512i low = _mm512_srai_epi32(
        _mm512_add_epi32(_mm512_madd_epi16(t, low_), _mm512_set1_epi32(1024)), 11);
    return _mm512_add_epi32(_mm512_mullo_epi32(t, high_), low);
  }

 private:
  __m512i offset_, high_, low_;
};

// SRDHM((x + offset) << left_shift, m), any shift that cannot overflow.
class ShiftedSrdhm {
 public:
  ShiftedSrdhm(int32_t offset, int32_t multiplier, int left_shift)
      : offset_(_mm512_set1_epi32(offset)), srdhm_(multiplier), left_(_mm_cvtsi32_si128(left_shift)) {}
  __m512i Apply(__m512i x) const {
    return srdhm_.Apply(_mm512_sll_epi32(_mm512_add_epi32(x, offset_), left_));
  }

 private:
  __m512i offset_;
  ScalarSrdhm<false> srdhm_;
  __m128i left_;
};

template <typename InputScale>
void AddSubRow(const AddSubParams& p, const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
               int8_t* out, int64_t n, const InputScale& in1, const InputScale& in2) {
  const ScalarSrdhm<false> mo(p.output_multiplier);
  const RightShift r1(-p.input1_shift), r2(-p.input2_shift), ro(-p.output_shift);
  const __m512i zo = _mm512_set1_epi32(p.output_offset);
  const __m128i lo = _mm_set1_epi8(static_cast<int8_t>(p.act_min));
  const __m128i hi = _mm_set1_epi8(static_cast<int8_t>(p.act_max));
  // Both scaled terms are below 2^28 in magnitude: the sum cannot overflow,
  // and is never INT32_MIN (no saturation case).
  ForEach16(a, sa, b, sb, out, n, [&](const int8_t* pa, const int8_t* pb, __mmask16 mask, int8_t* po) {
    const __m512i s1 = r1.Apply(in1.Apply(Load16(pa, sa, mask)));
    const __m512i s2 = r2.Apply(in2.Apply(Load16(pb, sb, mask)));
    const __m512i raw = p.subtract ? _mm512_sub_epi32(s1, s2) : _mm512_add_epi32(s1, s2);
    Store16(_mm512_add_epi32(ro.Apply(mo.Apply(raw)), zo), lo, hi, mask, po);
  });
}

// MUL with the product's left shift known (kSmallShift: <= 15, so |product
// << shift| < 2^31 and never INT32_MIN; otherwise the saturating SRDHM);
// kMerged: no left shift and a right shift in [1, 23], rescaled in the
// merged form (kernels/x86/avx512vnni/requant_avx512vnni.h).
template <bool kSmallShift, bool kMerged = false>
void MulRow(const MulParams& p, const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
            int8_t* out, int64_t n) {
  const __m512i off1 = _mm512_set1_epi32(p.input1_offset);
  const __m512i off2 = _mm512_set1_epi32(p.input2_offset);
  const __m512i low16 = _mm512_set1_epi32(0xFFFF);
  const ScalarSrdhm<!kSmallShift> m(p.output_multiplier);
  const __m128i left = _mm_cvtsi32_si128(p.output_shift > 0 ? p.output_shift : 0);
  const RightShift right(p.output_shift > 0 ? 0 : -p.output_shift);
  const __m512i zo = _mm512_set1_epi32(p.output_offset);
  const GemmlowpRequant16Merged merged =
      MergedForAllLanes(p.output_multiplier, kMerged ? -p.output_shift : 1, p.output_offset);
  const __m128i lo = _mm_set1_epi8(static_cast<int8_t>(p.act_min));
  const __m128i hi = _mm_set1_epi8(static_cast<int8_t>(p.act_max));
  // The requantized products of 16 elements.
  auto requant = [&](const int8_t* pa, const int8_t* pb, __mmask16 mask) {
    // Both factors lie in [-255, 255]: with x2's upper halves cleared,
    // vpmaddwd gives the exact product. The left shift wraps like the reference's.
    const __m512i prod =
        _mm512_madd_epi16(_mm512_add_epi32(Load16(pa, sa, mask), off1),
                          _mm512_and_si512(_mm512_add_epi32(Load16(pb, sb, mask), off2), low16));
    if (kMerged) return merged(prod);
    const __m512i high = m.Apply(_mm512_sll_epi32(prod, left));
    return _mm512_add_epi32(right.Apply(high), zo);
  };
  // 64 elements per step while they last: one narrowing and clamp for four.
  const __m512i lo64 = _mm512_set1_epi8(static_cast<int8_t>(p.act_min));
  const __m512i hi64 = _mm512_set1_epi8(static_cast<int8_t>(p.act_max));
  int64_t i = 0;
  for (; i + 64 <= n; i += 64) {
    __m512i r[4];
    for (int k = 0; k < 4; ++k) r[k] = requant(a + (i + 16 * k) * sa, b + (i + 16 * k) * sb, 0xFFFF);
    _mm512_storeu_si512(out + i, Narrow64(r, lo64, hi64));
  }
  ForEach16(a + i * sa, sa, b + i * sb, sb, out + i, n - i,
            [&](const int8_t* pa, const int8_t* pb, __mmask16 mask, int8_t* po) {
              Store16(requant(pa, pb, mask), lo, hi, mask, po);
            });
}

}  // namespace

void Qs8AddSubRowAvx512(const AddSubParams& p, const int8_t* a, int64_t sa, const int8_t* b,
                        int64_t sb, int8_t* out, int64_t n) {
  // |x + offset| <= 255: the left shift (20 for int8) cannot overflow, and
  // the SRDHM inputs are never INT32_MIN. Multipliers are >= 0 (< 1 scales).
  if (p.left_shift == 20 && p.input1_multiplier >= 0 && p.input2_multiplier >= 0) {
    AddSubRow(p, a, sa, b, sb, out, n, ShiftedBy20Srdhm(p.input1_offset, p.input1_multiplier),
              ShiftedBy20Srdhm(p.input2_offset, p.input2_multiplier));
  } else {
    AddSubRow(p, a, sa, b, sb, out, n,
              ShiftedSrdhm(p.input1_offset, p.input1_multiplier, p.left_shift),
              ShiftedSrdhm(p.input2_offset, p.input2_multiplier, p.left_shift));
  }
}

void Qs8MulRowAvx512(const MulParams& p, const int8_t* a, int64_t sa, const int8_t* b,
                     int64_t sb, int8_t* out, int64_t n) {
  // |product| <= 255 * 255 < 2^16.
  if (p.output_shift <= -1 && p.output_shift >= -23 && p.output_multiplier != INT32_MIN) {
    MulRow<true, true>(p, a, sa, b, sb, out, n);
  } else if (p.output_shift <= 15) {
    MulRow<true>(p, a, sa, b, sb, out, n);
  } else {
    MulRow<false>(p, a, sa, b, sb, out, n);
  }
}

namespace {

// int16 MUL, the arithmetic of the AVX2 twin (MulRowS16 in
// kernels/x86/avx2/qs8_vbinary_avx2.cc) on 32 elements; kMerged: no left
// shift and a right shift in [1, 23], rescaled in the merged form.
template <bool kLeftShift, bool kMerged>
void MulRowS16(const MulParams& p, const int16_t* a, int64_t sa, const int16_t* b, int64_t sb,
               int16_t* out, int64_t n) {
  const ScalarSrdhm<kLeftShift> m(p.output_multiplier);
  const __m128i left = _mm_cvtsi32_si128(p.output_shift > 0 ? p.output_shift : 0);
  const RightShift right(p.output_shift > 0 ? 0 : -p.output_shift);
  const __m512i zo = _mm512_set1_epi32(p.output_offset);
  const GemmlowpRequant16Merged merged =
      MergedForAllLanes(p.output_multiplier, kMerged ? -p.output_shift : 1, p.output_offset);
  const __m512i lo = _mm512_set1_epi16(static_cast<int16_t>(p.act_min));
  const __m512i hi = _mm512_set1_epi16(static_cast<int16_t>(p.act_max));
  auto requant = [&](__m512i prod) {
    if (kMerged) return merged(prod);
    const __m512i high = m.Apply(kLeftShift ? _mm512_sll_epi32(prod, left) : prod);
    return _mm512_add_epi32(right.Apply(high), zo);
  };
  auto load = [](const int16_t* q, int64_t step, __mmask32 mask) {
    return step ? _mm512_maskz_loadu_epi16(mask, q) : _mm512_set1_epi16(*q);
  };
  auto step32 = [&](const int16_t* pa, const int16_t* pb, __mmask32 mask, int16_t* po) {
    const __m512i va = load(pa, sa, mask), vb = load(pb, sb, mask);
    const __m512i low = _mm512_mullo_epi16(va, vb), high = _mm512_mulhi_epi16(va, vb);
    const __m512i r = _mm512_packs_epi32(requant(_mm512_unpacklo_epi16(low, high)),
                                         requant(_mm512_unpackhi_epi16(low, high)));
    _mm512_mask_storeu_epi16(po, mask, _mm512_max_epi16(_mm512_min_epi16(r, hi), lo));
  };
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) step32(a + i * sa, b + i * sb, ~__mmask32(0), out + i);
  if (i < n) step32(a + i * sa, b + i * sb, static_cast<__mmask32>((uint64_t{1} << (n - i)) - 1), out + i);
}

}  // namespace

void Qs16MulRowAvx512(const MulParams& p, const int16_t* a, int64_t sa, const int16_t* b,
                      int64_t sb, int16_t* out, int64_t n) {
  // |a * b| <= 2^30: without a left shift never INT32_MIN.
  if (p.output_shift > 0) {
    MulRowS16<true, false>(p, a, sa, b, sb, out, n);
  } else if (p.output_shift <= -1 && p.output_shift >= -23 && p.output_multiplier != INT32_MIN) {
    MulRowS16<false, true>(p, a, sa, b, sb, out, n);
  } else {
    MulRowS16<false, false>(p, a, sa, b, sb, out, n);
  }
}

void Qs8MulScaledRowAvx512(const MulParams& p, int32_t x_offset, const int8_t* x,
                           const int32_t* y_high, const int32_t* y_low, int8_t* out, int64_t n) {
  // The identity and its constants: kernels/x86/scaled_mul_rounding.h.
  const ScaledMulRounding rounding = ScaledMulRoundingOf(p);
  const __m512i off = _mm512_set1_epi32(x_offset);
  const __m512i nudge = _mm512_set1_epi32(1 << 30);
  const __m512i half = _mm512_set1_epi32(rounding.half);
  const __m512i sign_step = _mm512_set1_epi32(rounding.sign_step);
  const __m128i shift = _mm_cvtsi32_si128(rounding.shift);
  const __m512i zo = _mm512_set1_epi32(p.output_offset);
  // Lanes past the mask are 0 and their entries are not read.
  const auto sixteen = [&](int64_t i, __mmask16 mask) {
    const __m512i t = _mm512_add_epi32(Load16(x + i, 1, mask), off);
    const __m512i yl = _mm512_maskz_loadu_epi32(mask, y_low + i);
    const __m512i yh = _mm512_maskz_loadu_epi32(mask, y_high + i);
    const __m512i low = _mm512_srai_epi32(_mm512_add_epi32(_mm512_mullo_epi32(t, yl), nudge), 20);
    const __m512i u = _mm512_add_epi32(_mm512_mullo_epi32(t, yh), low);
    const __m512i up = _mm512_add_epi32(u, half);
    const __m512i rounded = _mm512_mask_sub_epi32(up, _mm512_movepi32_mask(u), up, sign_step);
    return _mm512_add_epi32(_mm512_sra_epi32(rounded, shift), zo);
  };
  const __m512i lo64 = _mm512_set1_epi8(static_cast<int8_t>(p.act_min));
  const __m512i hi64 = _mm512_set1_epi8(static_cast<int8_t>(p.act_max));
  int64_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m512i v[4] = {sixteen(i, 0xFFFF), sixteen(i + 16, 0xFFFF), sixteen(i + 32, 0xFFFF),
                          sixteen(i + 48, 0xFFFF)};
    _mm512_storeu_si512(out + i, Narrow64(v, lo64, hi64));
  }
  const __m128i lo = _mm_set1_epi8(static_cast<int8_t>(p.act_min));
  const __m128i hi = _mm_set1_epi8(static_cast<int8_t>(p.act_max));
  for (; i < n; i += 16) {
    const __mmask16 mask = n - i >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (n - i)) - 1);
    Store16(sixteen(i, mask), lo, hi, mask, out + i);
  }
}

}  // namespace pyrt
