// Compiled with the avx512vbmi flags (AVX-512 F/BW/VL/DQ/VBMI); called only
// when the CPU has them.
#include "kernels/x86/avx512vbmi/qs8_vaddsub_table_avx512vbmi.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <vector>

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

// A 256-byte table in four registers, looked up by 64 indices at a time.
struct ByteTable {
  explicit ByteTable(const uint8_t* t) {
    for (int k = 0; k < 4; ++k) q[k] = _mm512_loadu_si512(t + 64 * k);
  }
  // high: the indices' sign bits (entries 128-255 sit in q[2], q[3]).
  __m512i operator()(__m512i idx, __mmask64 high) const {
    return _mm512_mask_blend_epi8(high, _mm512_permutex2var_epi8(q[0], idx, q[1]),
                                  _mm512_permutex2var_epi8(q[2], idx, q[3]));
  }
  __m512i q[4];
};

// The looked-up rows (see the header): 64 elements per step.
void SumRow(const AddSubParams& p, const Qs8AddSubTables& t, const int8_t* a, int64_t sa,
            const int8_t* b, int64_t sb, int8_t* out, int64_t n) {
  const ByteTable low1(t.high[0][0]), high1(t.high[0][1]), carry1(t.carry[0]);
  const ByteTable low2(t.high[1][0]), high2(t.high[1][1]), carry2(t.carry[1]);
  const __m512i lo = _mm512_set1_epi8(static_cast<char>(p.act_min));
  const __m512i hi = _mm512_set1_epi8(static_cast<char>(p.act_max));
  // An operand's int16 highs (per 128-bit lane: its bytes 0-7 in *l, 8-15
  // in *h, the order packs undo) and carry ranks: looked up, or broadcast.
  auto operand = [&t](int in, const ByteTable& low, const ByteTable& high, const ByteTable& carry,
                      const int8_t* x, int64_t step, __mmask64 lanes, __m512i* l, __m512i* h,
                      __m512i* c) {
    if (!step) {
      const uint8_t i = static_cast<uint8_t>(*x);
      *l = *h = _mm512_set1_epi16(static_cast<int16_t>(t.high[in][0][i] | t.high[in][1][i] << 8));
      *c = _mm512_set1_epi8(static_cast<char>(t.carry[in][i]));
      return;
    }
    const __m512i idx = _mm512_maskz_loadu_epi8(lanes, x);
    const __mmask64 neg = _mm512_movepi8_mask(idx);
    const __m512i bytes_lo = low(idx, neg), bytes_hi = high(idx, neg);
    *l = _mm512_unpacklo_epi8(bytes_lo, bytes_hi);
    *h = _mm512_unpackhi_epi8(bytes_lo, bytes_hi);
    *c = carry(idx, neg);
  };
  for (int64_t i = 0; i < n; i += 64) {
    const __mmask64 lanes = n - i >= 64 ? ~__mmask64{0} : (__mmask64{1} << (n - i)) - 1;
    __m512i l1, h1, c1, l2, h2, c2;
    operand(0, low1, high1, carry1, a + i * sa, sa, lanes, &l1, &h1, &c1);
    operand(1, low2, high2, carry2, b + i * sb, sb, lanes, &l2, &h2, &c2);
    // -1 words where there is a carry, in the highs' order.
    const __m512i carry = _mm512_movm_epi8(_mm512_cmpgt_epu8_mask(c1, c2));
    const __m512i sum_l = _mm512_sub_epi16(_mm512_add_epi16(l1, l2), _mm512_unpacklo_epi8(carry, carry));
    const __m512i sum_h = _mm512_sub_epi16(_mm512_add_epi16(h1, h2), _mm512_unpackhi_epi8(carry, carry));
    const __m512i bytes = _mm512_packs_epi16(sum_l, sum_h);
    _mm512_mask_storeu_epi8(out + i, lanes, _mm512_max_epi8(_mm512_min_epi8(bytes, hi), lo));
  }
}

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

// The rows without the looked-up output.
void Int32Row(const AddSubParams& p, const Qs8AddSubTables& t, const int8_t* a, int64_t sa,
              const int8_t* b, int64_t sb, int8_t* out, int64_t n) {
  if (-p.output_shift >= 1 && -p.output_shift <= 23) {
    Row<true>(p, t, a, sa, b, sb, out, n);
  } else {
    Row<false>(p, t, a, sa, b, sb, out, n);
  }
}

// Fills the looked-up form from t->value (see the header); false where it
// is not exact for some pair of inputs: checked on all 65536 against the
// int32 rows (exact, see their twin tests), ten times faster than the
// scalar reference.
bool MakeSumTables(const AddSubParams& p, Qs8AddSubTables* t) {
  const int s = -p.output_shift;
  if (s < 0 || s > 30 || p.output_multiplier < 0 || p.act_min > p.act_max) return false;
  const int n = 31 + s;  // |e| < 2^59 + 2^61: no overflow
  const int64_t low_mask = (int64_t{1} << n) - 1;
  const int64_t rounding = (int64_t{1} << 30) + (s > 0 ? int64_t{1} << (30 + s) : 0);
  int64_t high[2][256], low[2][256];
  for (int in = 0; in < 2; ++in) {
    for (int i = 0; i < 256; ++i) {
      const int64_t e = int64_t{t->value[in][i]} * p.output_multiplier + (in == 0 ? rounding : 0);
      low[in][i] = e & low_mask;
      high[in][i] = (e - low[in][i]) >> n;
    }
  }
  // carry = [low1[a] >= y[b]], y[b] = 2^N - low2[b]: the rank of y[b] among
  // the distinct y against how many y are <= low1[a].
  std::vector<int64_t> y(256);
  for (int i = 0; i < 256; ++i) y[i] = (int64_t{1} << n) - low[1][i];
  std::vector<int64_t> sorted = y;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (int i = 0; i < 256; ++i) {
    t->carry[1][i] = static_cast<uint8_t>(
        std::lower_bound(sorted.begin(), sorted.end(), y[i]) - sorted.begin());
    int64_t rank = std::upper_bound(sorted.begin(), sorted.end(), low[0][i]) - sorted.begin();
    if (rank == 256) high[0][i] += 1, rank = 0;  // a carry for every b: into the high part
    t->carry[0][i] = static_cast<uint8_t>(rank);
    high[0][i] += p.output_offset;
  }
  // A high beyond what any partner can bring back into [act_min, act_max]
  // only ever gives a clamped output: clamp it to that bound.
  for (int in : {0, 1}) {
    const int64_t* other = high[1 - in];
    const int64_t min = *std::min_element(other, other + 256);
    const int64_t max = *std::max_element(other, other + 256);
    for (int64_t& v : high[in]) v = std::min(std::max(v, p.act_min - max - 1), p.act_max - min);
  }
  for (int in = 0; in < 2; ++in) {
    for (int i = 0; i < 256; ++i) {
      if (high[in][i] < -16384 || high[in][i] > 16383) return false;  // the int16 sum's headroom
      t->high[in][0][i] = static_cast<uint8_t>(high[in][i]);
      t->high[in][1][i] = static_cast<uint8_t>(high[in][i] >> 8);
    }
  }
  // One value of a (broadcast: the same table entries the looked-up rows
  // read) against all 256 of b at a time, on stack rows: 256 KB of fresh
  // heap pages cost more than the lookups.
  int8_t b[256], want[256], got[256];
  for (int i = 0; i < 256; ++i) b[i] = static_cast<int8_t>(i);
  for (int v = 0; v < 256; ++v) {
    const int8_t a = static_cast<int8_t>(v);
    Int32Row(p, *t, &a, 0, b, 1, want, 256);
    SumRow(p, *t, &a, 0, b, 1, got, 256);
    if (std::memcmp(want, got, sizeof(got)) != 0) return false;
  }
  return true;
}

}  // namespace

void MakeQs8AddSubTables(const AddSubParams& p, Qs8AddSubTables* t) {
  AddSubInputTables(p, t->value[0], t->value[1]);
  for (int in = 0; in < 2; ++in)
    for (int i = 0; i < 256; ++i)
      for (int k = 0; k < 4; ++k)
        t->plane[in][k][i] = static_cast<uint8_t>(static_cast<uint32_t>(t->value[in][i]) >> (8 * k));
  t->exact_sums = MakeSumTables(p, t);
}

void Qs8AddSubTableRowAvx512Vbmi(const AddSubParams& p, const Qs8AddSubTables& t,
                                 const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
                                 int8_t* out, int64_t n) {
  if (t.exact_sums) {
    SumRow(p, t, a, sa, b, sb, out, n);
  } else {
    Int32Row(p, t, a, sa, b, sb, out, n);
  }
}

}  // namespace pyrt
