// Compiled with the avx512vbmi flags (AVX-512 F/BW/VL/DQ/VBMI); called only
// when the CPU has them.
#include "kernels/x86/avx512vbmi/qs8_vaddsub_table_avx512vbmi.h"

#include <immintrin.h>

#include "kernels/x86/avx512vnni/requant_avx512vnni.h"

namespace pyrt {
namespace {

// Byte k of 64 table entries: indices 0-127 from the first two registers,
// 128-255 (the negative int8 values, `high`) from the last two.
inline __m512i LookupPlane(const uint8_t* plane, __m512i idx, __mmask64 high) {
  const __m512i lo = _mm512_permutex2var_epi8(_mm512_loadu_si512(plane), idx,
                                              _mm512_loadu_si512(plane + 64));
  const __m512i hi = _mm512_permutex2var_epi8(_mm512_loadu_si512(plane + 128), idx,
                                              _mm512_loadu_si512(plane + 192));
  return _mm512_mask_blend_epi8(high, lo, hi);
}

// The table values of 64 bytes as four int32 vectors. Per 128-bit lane,
// v[0] holds the lane's elements 0-3, v[1] 4-7, v[2] 8-11, v[3] 12-15 (the
// order the packs in Store64 undo).
inline void Lookup64(const uint8_t (*planes)[256], __m512i idx, __m512i v[4]) {
  const __mmask64 high = _mm512_movepi8_mask(idx);
  const __m512i b0 = LookupPlane(planes[0], idx, high), b1 = LookupPlane(planes[1], idx, high);
  const __m512i b2 = LookupPlane(planes[2], idx, high), b3 = LookupPlane(planes[3], idx, high);
  const __m512i w01_lo = _mm512_unpacklo_epi8(b0, b1), w01_hi = _mm512_unpackhi_epi8(b0, b1);
  const __m512i w23_lo = _mm512_unpacklo_epi8(b2, b3), w23_hi = _mm512_unpackhi_epi8(b2, b3);
  v[0] = _mm512_unpacklo_epi16(w01_lo, w23_lo);
  v[1] = _mm512_unpackhi_epi16(w01_lo, w23_lo);
  v[2] = _mm512_unpacklo_epi16(w01_hi, w23_hi);
  v[3] = _mm512_unpackhi_epi16(w01_hi, w23_hi);
}

// An operand's 64 values: looked up, or one broadcast value (step 0).
inline void Operand(const uint8_t (*planes)[256], const int32_t* values, const int8_t* p,
                    int64_t step, __mmask64 mask, __m512i v[4]) {
  if (!step) {
    v[0] = v[1] = v[2] = v[3] = _mm512_set1_epi32(values[static_cast<uint8_t>(*p)]);
    return;
  }
  Lookup64(planes, _mm512_maskz_loadu_epi8(mask, p), v);
}

}  // namespace

void MakeQs8AddSubTables(const AddSubParams& p, Qs8AddSubTables* t) {
  AddSubInputTables(p, t->value[0], t->value[1]);
  for (int in = 0; in < 2; ++in)
    for (int i = 0; i < 256; ++i)
      for (int k = 0; k < 4; ++k)
        t->plane[in][k][i] = static_cast<uint8_t>(static_cast<uint32_t>(t->value[in][i]) >> (8 * k));
}

namespace {

// The output rescaling of 16 raw sums, plus the zero point: the merged form
// (one 64-bit shift) when the right shift is in [1, 23], else the general one.
struct OutputRescale {
  explicit OutputRescale(const AddSubParams& p)
      : right(-p.output_shift),
        m(_mm512_set1_epi32(p.output_multiplier)),
        m_odd(_mm512_srli_epi64(m, 32)),
        mask(_mm512_set1_epi32(static_cast<int32_t>((int64_t{1} << right) - 1))),
        half(_mm512_srli_epi32(mask, 1)),
        count(_mm512_set1_epi32(right)),
        zo(_mm512_set1_epi32(p.output_offset)),
        merged(MergedForAllLanes(p.output_multiplier, right, p.output_offset)) {}

  bool use_merged() const { return right >= 1 && right <= 23; }
  __m512i General(__m512i raw) const {
    return _mm512_add_epi32(Rdbpot(Srdhm<false>(raw, m, m_odd), mask, half, count), zo);
  }

  int right;
  __m512i m, m_odd, mask, half, count, zo;
  GemmlowpRequant16Merged merged;
};

template <bool kMerged>
void Row(const AddSubParams& p, const Qs8AddSubTables& t, const int8_t* a, int64_t sa,
         const int8_t* b, int64_t sb, int8_t* out, int64_t n) {
  const OutputRescale rescale(p);
  const __m512i lo = _mm512_set1_epi8(static_cast<int8_t>(p.act_min));
  const __m512i hi = _mm512_set1_epi8(static_cast<int8_t>(p.act_max));
  for (int64_t i = 0; i < n; i += 64) {
    const __mmask64 lanes = n - i >= 64 ? ~__mmask64{0} : (__mmask64{1} << (n - i)) - 1;
    __m512i va[4], vb[4], r[4];
    Operand(t.plane[0], t.value[0], a + i * sa, sa, lanes, va);
    Operand(t.plane[1], t.value[1], b + i * sb, sb, lanes, vb);
    for (int j = 0; j < 4; ++j) {
      // |t1| and |t2| are below 2^28: the sum cannot overflow, and is never
      // INT32_MIN (no saturation case).
      const __m512i raw = _mm512_add_epi32(va[j], vb[j]);
      r[j] = kMerged ? rescale.merged(raw) : rescale.General(raw);
    }
    // Within 128-bit lanes the packs restore element order (see Lookup64).
    __m512i bytes = _mm512_packs_epi16(_mm512_packs_epi32(r[0], r[1]), _mm512_packs_epi32(r[2], r[3]));
    bytes = _mm512_max_epi8(_mm512_min_epi8(bytes, hi), lo);
    _mm512_mask_storeu_epi8(out + i, lanes, bytes);
  }
}

}  // namespace

void Qs8AddSubTableRowAvx512Vbmi(const AddSubParams& p, const Qs8AddSubTables& t,
                                 const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
                                 int8_t* out, int64_t n) {
  if (-p.output_shift >= 1 && -p.output_shift <= 23) {
    Row<true>(p, t, a, sa, b, sb, out, n);
  } else {
    Row<false>(p, t, a, sa, b, sb, out, n);
  }
}

}  // namespace pyrt
