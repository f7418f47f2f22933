#include "kernels/x86/avx2/qs8_vbinary_avx2.h"

#include <immintrin.h>

#include <cstring>

#include "kernels/x86/avx2/requant_avx2.h"
#include "kernels/x86/scaled_mul_rounding.h"

namespace pyrt {
namespace {

// A rounding right shift by a fixed amount, as RdbpotAvx2 wants it.
struct RightShift {
  explicit RightShift(int shift)
      : mask(_mm256_set1_epi32(static_cast<int32_t>((int64_t{1} << shift) - 1))),
        count(_mm256_set1_epi32(shift)) {}
  __m256i Apply(__m256i x) const { return RdbpotAvx2(x, mask, count); }
  __m256i mask, count;
};

// 16 int8 values as two vectors of 8 int32 (elements 0-7, 8-15). A broadcast
// operand (step 0) repeats its one value.
inline void Load16(const int8_t* p, int64_t step, __m256i* lo, __m256i* hi) {
  const __m128i v = step ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)) : _mm_set1_epi8(*p);
  *lo = _mm256_cvtepi8_epi32(v);
  *hi = _mm256_cvtepi8_epi32(_mm_srli_si128(v, 8));
}

// Saturating narrowing of 16 int32 (in Load16 order) to int8, then the
// activation clamp: saturation cannot change a value the clamp keeps,
// because the activation range lies inside int8.
inline __m128i Narrow16(__m256i lo, __m256i hi, __m128i act_min, __m128i act_max) {
  const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xD8);
  const __m128i b = _mm_packs_epi16(_mm256_castsi256_si128(w), _mm256_extracti128_si256(w, 1));
  return _mm_max_epi8(_mm_min_epi8(b, act_max), act_min);
}

// Runs `step16(a, b, out)` over the row (int8 or int16 elements); the tail
// goes through 16-element buffers so every step reads and writes exactly 16.
template <typename T, typename Step16>
void ForEach16(const T* a, int64_t sa, const T* b, int64_t sb, T* out, int64_t n, Step16 step16) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) step16(a + i * sa, b + i * sb, out + i);
  if (i == n) return;
  const size_t rest = static_cast<size_t>(n - i);
  T ta[16] = {}, tb[16] = {}, to[16];
  std::memcpy(ta, a + i * sa, (sa ? rest : 1) * sizeof(T));
  std::memcpy(tb, b + i * sb, (sb ? rest : 1) * sizeof(T));
  step16(ta, tb, to);
  std::memcpy(out + i, to, rest * sizeof(T));
}

// 16 int16 values; a broadcast operand (step 0) repeats its one value.
inline __m256i LoadS16x16(const int16_t* p, int64_t step) {
  return step ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)) : _mm256_set1_epi16(*p);
}

}  // namespace

namespace {

// RDBPOT(SRDHM((x + offset) << 20, m), r) for |x + offset| <= 255, m >= 0
// and 0 <= r <= 31, in 32-bit lanes. The product's 2^20 cancels against the
// 2^31, so with m = mh * 2^11 + ml the SRDHM is
//     h = floor(((x + o) * m + 2^10) / 2^11)
//       = (x + o) * mh + (((x + o) * ml + 2^10) >> 11),
// both terms far inside int32; ml < 2^11 fits int16, so that product is one
// vpmaddwd (upper halves of ml's lanes zero). The rounding shift is then
// (h + 2^(r-1) - [h < 0]) >> r (|h| < 2^28: no overflow), with x + o's
// sign for h's (h < 0 implies x + o < 0, and where x + o < 0 but h = 0 the
// -1 still rounds to 0) and, for r <= 20, 2^(r-1) folded into the 2^10
// (as 2^(10+r), still inside int32 there).
class Shifted20Rescale {
 public:
  Shifted20Rescale(int32_t offset, int32_t multiplier, int right_shift)
      : offset_(_mm256_set1_epi32(offset)),
        high_(_mm256_set1_epi32(multiplier >> 11)),
        low_(_mm256_set1_epi32(multiplier & 2047)),
        round_(_mm256_set1_epi32(right_shift > 0 && right_shift <= 20
                                     ? (1 << 10) + (1 << (10 + right_shift))
                                     : 1 << 10)),
        late_half_(_mm256_set1_epi32(right_shift > 20 ? 1 << (right_shift - 1) : 0)),
        shift_(_mm_cvtsi32_si128(right_shift)),
        rounds_(right_shift > 0),
        late_(right_shift > 20) {}
  __m256i Apply(__m256i x) const {
    const __m256i t = _mm256_add_epi32(x, offset_);
    const __m256i low = _mm256_srai_epi32(_mm256_add_epi32(_mm256_madd_epi16(t, low_), round_), 11);
    __m256i h = _mm256_add_epi32(_mm256_mullo_epi32(t, high_), low);
    if (!rounds_) return h;
    if (late_) h = _mm256_add_epi32(h, late_half_);
    return _mm256_sra_epi32(_mm256_add_epi32(h, _mm256_srai_epi32(t, 31)), shift_);
  }

 private:
  __m256i offset_, high_, low_, round_, late_half_;
  __m128i shift_;
  bool rounds_, late_;
};

// RDBPOT(SRDHM((x + offset) << left_shift, m), r), any shift that cannot
// overflow.
class ShiftedRescale {
 public:
  ShiftedRescale(int32_t offset, int32_t multiplier, int left_shift, int right_shift)
      : offset_(_mm256_set1_epi32(offset)),
        multiplier_(_mm256_set1_epi32(multiplier)),
        left_(_mm_cvtsi32_si128(left_shift)),
        right_(right_shift) {}
  __m256i Apply(__m256i x) const {
    return right_.Apply(
        SrdhmNoSaturationAvx2(_mm256_sll_epi32(_mm256_add_epi32(x, offset_), left_), multiplier_));
  }

 private:
  __m256i offset_, multiplier_;
  __m128i left_;
  RightShift right_;
};

// RDBPOT by r for |x| < 2^30: (x + 2^(r-1) - [x < 0]) >> r (no overflow);
// x itself for r = 0.
struct BoundedRightShift {
  explicit BoundedRightShift(int shift)
      : half(_mm256_set1_epi32(shift > 0 ? 1 << (shift - 1) : 0)),
        count(_mm_cvtsi32_si128(shift)),
        rounds(shift > 0) {}
  __m256i Apply(__m256i x) const {
    if (!rounds) return x;
    return _mm256_sra_epi32(_mm256_add_epi32(_mm256_add_epi32(x, half), _mm256_srai_epi32(x, 31)),
                            count);
  }
  __m256i half;
  __m128i count;
  bool rounds;
};

// ADD / SUB's int32 result before the clamp: the rescaled inputs summed
// (or subtracted), SRDHM by the output multiplier, the output shift, plus
// the output offset. Callers' input ranges keep the sum from overflowing
// and from being INT32_MIN (no saturation case).
template <typename OutputShift, typename InputRescale>
class AddSubCombine {
 public:
  AddSubCombine(const AddSubParams& p, const InputRescale& in1, const InputRescale& in2)
      : in1_(in1),
        in2_(in2),
        multiplier_(_mm256_set1_epi32(p.output_multiplier)),
        shift_(-p.output_shift),
        offset_(_mm256_set1_epi32(p.output_offset)),
        subtract_(p.subtract) {}
  __m256i operator()(__m256i x1, __m256i x2) const {
    const __m256i s1 = in1_.Apply(x1), s2 = in2_.Apply(x2);
    const __m256i raw = subtract_ ? _mm256_sub_epi32(s1, s2) : _mm256_add_epi32(s1, s2);
    return _mm256_add_epi32(shift_.Apply(SrdhmNoSaturationAvx2(raw, multiplier_)), offset_);
  }

 private:
  const InputRescale& in1_;
  const InputRescale& in2_;
  __m256i multiplier_;
  OutputShift shift_;
  __m256i offset_;
  bool subtract_;
};

// OutputShift: BoundedRightShift where the rescaled inputs are below 2^28
// in magnitude (then their sum's SRDHM is below 2^29), else RightShift.
template <typename OutputShift, typename InputRescale>
void AddSubRow(const AddSubParams& p, const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
               int8_t* out, int64_t n, const InputRescale& in1, const InputRescale& in2) {
  const __m128i lo = _mm_set1_epi8(static_cast<int8_t>(p.act_min));
  const __m128i hi = _mm_set1_epi8(static_cast<int8_t>(p.act_max));
  const AddSubCombine<OutputShift, InputRescale> combine(p, in1, in2);
  ForEach16(a, sa, b, sb, out, n, [&](const int8_t* pa, const int8_t* pb, int8_t* po) {
    __m256i a0, a1, b0, b1;
    Load16(pa, sa, &a0, &a1);
    Load16(pb, sb, &b0, &b1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(po),
                     Narrow16(combine(a0, b0), combine(a1, b1), lo, hi));
  });
}

}  // namespace

void Qs8AddSubRowAvx2(const AddSubParams& p, const int8_t* a, int64_t sa, const int8_t* b,
                      int64_t sb, int8_t* out, int64_t n) {
  // |x + offset| <= 255: the left shift (20 for int8) cannot overflow, the
  // SRDHM inputs are never INT32_MIN, and each rescaled input is below
  // 255 * 2^20 < 2^28. Multipliers are >= 0 (< 1 scales).
  if (p.left_shift == 20 && p.input1_multiplier >= 0 && p.input2_multiplier >= 0) {
    AddSubRow<BoundedRightShift>(p, a, sa, b, sb, out, n,
              Shifted20Rescale(p.input1_offset, p.input1_multiplier, -p.input1_shift),
              Shifted20Rescale(p.input2_offset, p.input2_multiplier, -p.input2_shift));
  } else {
    AddSubRow<RightShift>(p, a, sa, b, sb, out, n,
              ShiftedRescale(p.input1_offset, p.input1_multiplier, p.left_shift, -p.input1_shift),
              ShiftedRescale(p.input2_offset, p.input2_multiplier, p.left_shift, -p.input2_shift));
  }
}

namespace {

// MUL with the product's left shift known (kSmallShift: <= 15, so |product
// << shift| < 2^31 and never INT32_MIN; otherwise the general SRDHM).
template <bool kSmallShift>
void MulRow(const MulParams& p, const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
            int8_t* out, int64_t n) {
  const __m256i off1 = _mm256_set1_epi32(p.input1_offset);
  const __m256i off2 = _mm256_set1_epi32(p.input2_offset);
  const __m256i low16 = _mm256_set1_epi32(0xFFFF);
  const __m256i m = _mm256_set1_epi32(p.output_multiplier);
  const __m128i left = _mm_cvtsi32_si128(p.output_shift > 0 ? p.output_shift : 0);
  const RightShift right(p.output_shift > 0 ? 0 : -p.output_shift);
  const __m256i zo = _mm256_set1_epi32(p.output_offset);
  const __m128i lo = _mm_set1_epi8(static_cast<int8_t>(p.act_min));
  const __m128i hi = _mm_set1_epi8(static_cast<int8_t>(p.act_max));
  auto requant = [&](__m256i x1, __m256i x2) {
    // Both factors lie in [-255, 255]. With x2's upper halves cleared,
    // vpmaddwd gives lo(x1) * lo(x2) + sign(x1) * 0: the exact product in one
    // multiply (vpmulld takes two). The left shift wraps like the reference's.
    const __m256i prod = _mm256_madd_epi16(_mm256_add_epi32(x1, off1),
                                           _mm256_and_si256(_mm256_add_epi32(x2, off2), low16));
    const __m256i shifted = _mm256_sll_epi32(prod, left);
    const __m256i high = kSmallShift ? SrdhmNoSaturationAvx2(shifted, m) : SrdhmAvx2(shifted, m);
    return _mm256_add_epi32(right.Apply(high), zo);
  };
  ForEach16(a, sa, b, sb, out, n, [&](const int8_t* pa, const int8_t* pb, int8_t* po) {
    __m256i a0, a1, b0, b1;
    Load16(pa, sa, &a0, &a1);
    Load16(pb, sb, &b0, &b1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(po),
                     Narrow16(requant(a0, b0), requant(a1, b1), lo, hi));
  });
}

}  // namespace

void Qs8MulRowAvx2(const MulParams& p, const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
                   int8_t* out, int64_t n) {
  // |product| <= 255 * 255 < 2^16.
  if (p.output_shift <= 15) {
    MulRow<true>(p, a, sa, b, sb, out, n);
  } else {
    MulRow<false>(p, a, sa, b, sb, out, n);
  }
}

namespace {

// int16 MUL: the exact products of 16 int16 pairs are vpmullw's low and
// vpmulhw's high halves, interleaved into two vectors of 8 int32 (elements
// 0-3 and 8-11, then 4-7 and 12-15: vpackssdw puts them back in order).
// |a * b| <= 2^30, so without a left shift the SRDHM input is never
// INT32_MIN; a left shift wraps like the reference's and may reach it.
template <bool kLeftShift>
void MulRowS16(const MulParams& p, const int16_t* a, int64_t sa, const int16_t* b, int64_t sb,
               int16_t* out, int64_t n) {
  const __m256i m = _mm256_set1_epi32(p.output_multiplier);
  const __m128i left = _mm_cvtsi32_si128(p.output_shift > 0 ? p.output_shift : 0);
  const RightShift right(p.output_shift > 0 ? 0 : -p.output_shift);
  const __m256i zo = _mm256_set1_epi32(p.output_offset);
  const __m256i lo = _mm256_set1_epi16(static_cast<int16_t>(p.act_min));
  const __m256i hi = _mm256_set1_epi16(static_cast<int16_t>(p.act_max));
  auto requant = [&](__m256i prod) {
    const __m256i high = kLeftShift ? SrdhmAvx2(_mm256_sll_epi32(prod, left), m)
                                    : SrdhmNoSaturationAvx2(prod, m);
    return _mm256_add_epi32(right.Apply(high), zo);
  };
  // Saturating to int16 and then clamping equals clamping the int32: the
  // activation range lies inside int16.
  auto step16 = [&](const int16_t* pa, const int16_t* pb, int16_t* po) {
    const __m256i va = LoadS16x16(pa, sa), vb = LoadS16x16(pb, sb);
    const __m256i low = _mm256_mullo_epi16(va, vb), high = _mm256_mulhi_epi16(va, vb);
    const __m256i r = _mm256_packs_epi32(requant(_mm256_unpacklo_epi16(low, high)),
                                         requant(_mm256_unpackhi_epi16(low, high)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(po), _mm256_max_epi16(_mm256_min_epi16(r, hi), lo));
  };
  ForEach16(a, sa, b, sb, out, n, step16);
}

}  // namespace

void Qs16AddSubRowAvx2(const AddSubParams& p, const int16_t* a, int64_t sa, const int16_t* b,
                       int64_t sb, int16_t* out, int64_t n) {
  // |x << 15| <= 2^30: no overflow and never INT32_MIN; each rescaled input
  // is below 2^30 in magnitude (multipliers < 2^31, right shifts >= 0), so
  // their sum fits int32 and is never INT32_MIN either.
  const ShiftedRescale in1(p.input1_offset, p.input1_multiplier, p.left_shift, -p.input1_shift);
  const ShiftedRescale in2(p.input2_offset, p.input2_multiplier, p.left_shift, -p.input2_shift);
  const __m256i lo = _mm256_set1_epi16(static_cast<int16_t>(p.act_min));
  const __m256i hi = _mm256_set1_epi16(static_cast<int16_t>(p.act_max));
  const AddSubCombine<RightShift, ShiftedRescale> combine(p, in1, in2);
  auto step16 = [&](const int16_t* pa, const int16_t* pb, int16_t* po) {
    const __m256i va = LoadS16x16(pa, sa), vb = LoadS16x16(pb, sb);
    const __m256i lo8 = combine(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(va)),
                                _mm256_cvtepi16_epi32(_mm256_castsi256_si128(vb)));
    const __m256i hi8 = combine(_mm256_cvtepi16_epi32(_mm256_extracti128_si256(va, 1)),
                                _mm256_cvtepi16_epi32(_mm256_extracti128_si256(vb, 1)));
    // Clamped inside int16 after saturating: the same as clamping the int32.
    const __m256i r = _mm256_permute4x64_epi64(_mm256_packs_epi32(lo8, hi8), 0xD8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(po), _mm256_max_epi16(_mm256_min_epi16(r, hi), lo));
  };
  ForEach16(a, sa, b, sb, out, n, step16);
}

void Qs16MulRowAvx2(const MulParams& p, const int16_t* a, int64_t sa, const int16_t* b,
                    int64_t sb, int16_t* out, int64_t n) {
  if (p.output_shift > 0) {
    MulRowS16<true>(p, a, sa, b, sb, out, n);
  } else {
    MulRowS16<false>(p, a, sa, b, sb, out, n);
  }
}

void Qs8MulScaledRowAvx2(const MulParams& p, int32_t x_offset, const int8_t* x,
                         const int32_t* y_high, const int32_t* y_low, int8_t* out, int64_t n) {
  // The identity and its constants: kernels/x86/scaled_mul_rounding.h.
  const ScaledMulRounding rounding = ScaledMulRoundingOf(p);
  const __m256i off = _mm256_set1_epi32(x_offset);
  const __m256i nudge = _mm256_set1_epi32(1 << 30);
  const __m256i half = _mm256_set1_epi32(rounding.half);
  const __m256i sign_step = _mm256_set1_epi32(rounding.sign_step);
  const __m128i shift = _mm_cvtsi32_si128(rounding.shift);
  const __m256i zo = _mm256_set1_epi32(p.output_offset);
  const __m128i lo = _mm_set1_epi8(static_cast<int8_t>(p.act_min));
  const __m128i hi = _mm_set1_epi8(static_cast<int8_t>(p.act_max));
  auto eight = [&](__m256i xv, const int32_t* yh, const int32_t* yl) {
    const __m256i t = _mm256_add_epi32(xv, off);
    const __m256i low = _mm256_srai_epi32(
        _mm256_add_epi32(_mm256_mullo_epi32(t, Load8(yl)), nudge), 20);
    const __m256i u = _mm256_add_epi32(_mm256_mullo_epi32(t, Load8(yh)), low);
    const __m256i rounded = _mm256_sub_epi32(_mm256_add_epi32(u, half),
                                             _mm256_and_si256(_mm256_srai_epi32(u, 31), sign_step));
    return _mm256_add_epi32(_mm256_sra_epi32(rounded, shift), zo);
  };
  auto step16 = [&](const int8_t* px, int64_t i, int8_t* po) {
    __m256i x0, x1;
    Load16(px, 1, &x0, &x1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(po),
                     Narrow16(eight(x0, y_high + i, y_low + i), eight(x1, y_high + i + 8, y_low + i + 8),
                              lo, hi));
  };
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) step16(x + i, i, out + i);
  if (i == n) return;
  const size_t rest = static_cast<size_t>(n - i);
  int8_t tx[16] = {}, to[16];
  std::memcpy(tx, x + i, rest);
  step16(tx, i, to);
  std::memcpy(out + i, to, rest);
}

}  // namespace pyrt
