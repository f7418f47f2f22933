// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/conv_s16_avx512vnni.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

namespace pyrt {
namespace {

constexpr int kW = kConvS16Avx512PanelWidth;

// The int32 sums (32 channels of each of MR pixels, into sums[m][32]) over
// taps [t0, t1) and, of each, channel pairs [j0, j1) (j1 = in_c's pair
// count: the odd last channel pairs with 0, never read past the pixel), at
// most kConvS16PairsPerFlush pairs in all; w at the first step's weights.
// Not inlined: a loop of its own keeps the 2 * MR sums in registers.
template <int MR>
[[gnu::noinline]] void SumSteps(const int16_t* const* x, int taps, int t0, int t1, int j0, int j1,
                                int in_c, const int32_t* w, int32_t (*sums)[kW]) {
  __m512i acc[MR][2];
  for (int m = 0; m < MR; ++m) acc[m][0] = acc[m][1] = _mm512_setzero_si512();
  const int full = std::min(j1, in_c / 2);
  auto step = [&](const int32_t* pw, const int32_t (&pairs)[MR]) {
    const __m512i w0 = _mm512_loadu_si512(pw), w1 = _mm512_loadu_si512(pw + 16);
    for (int m = 0; m < MR; ++m) {
      const __m512i xx = _mm512_set1_epi32(pairs[m]);
      acc[m][0] = _mm512_dpwssd_epi32(acc[m][0], xx, w0);
      acc[m][1] = _mm512_dpwssd_epi32(acc[m][1], xx, w1);
    }
  };
  const int32_t* pw = w;
  for (int t = t0; t < t1; ++t) {
    const int16_t* xp[MR];
    for (int m = 0; m < MR; ++m) xp[m] = x[m * taps + t];
    int32_t pairs[MR];
    for (int j = j0; j < full; ++j, pw += kW) {
      for (int m = 0; m < MR; ++m) std::memcpy(&pairs[m], xp[m] + 2 * j, 4);
      step(pw, pairs);
    }
    if (j1 > full) {  // the odd last channel
      for (int m = 0; m < MR; ++m) pairs[m] = static_cast<uint16_t>(xp[m][in_c - 1]);
      step(pw, pairs);
      pw += kW;
    }
  }
  for (int m = 0; m < MR; ++m) {
    _mm512_storeu_si512(sums[m], acc[m][0]);
    _mm512_storeu_si512(sums[m] + 16, acc[m][1]);
  }
}

// MultiplyByQuantizedMultiplier64 of 8 int64 sums of channels n..n+7 (plus
// bias): the product modulo 2^64, the rounding, the arithmetic shift; the
// low 32 bits are the result.
inline __m256i Requant8(__m512i sum, const ConvS16TileRequant& rq, int n) {
  const __m512i x = _mm512_add_epi64(sum, _mm512_loadu_si512(rq.bias + n));
  const __m512i v = _mm512_add_epi64(_mm512_mullo_epi64(x, _mm512_loadu_si512(rq.reduced + n)),
                                     _mm512_loadu_si512(rq.round + n));
  return _mm512_cvtepi64_epi32(_mm512_srav_epi64(v, _mm512_loadu_si512(rq.total_shift + n)));
}

template <int MR>
void Tile(const int16_t* const* x, int taps, int in_c, const int32_t* panel,
          const ConvS16TileRequant& rq, int16_t* out, size_t ldo, int cols) {
  // Each chunk's int32 sums added into int64 totals.
  const int pairs = (in_c + 1) / 2;
  alignas(64) int32_t sums[MR][kW];
  alignas(64) int64_t total[MR][kW] = {};
  ForEachConvS16Chunk(taps, pairs, [&](int t0, int t1, int j0, int j1, int step) {
    SumSteps<MR>(x, taps, t0, t1, j0, j1, in_c, panel + static_cast<size_t>(step) * kW, sums);
    for (int m = 0; m < MR; ++m)
      for (int c = 0; c < kW; ++c) total[m][c] += sums[m][c];
  });
  const __m512i lo = _mm512_set1_epi32(rq.act_min), hi = _mm512_set1_epi32(rq.act_max);
  const __mmask32 mask = cols >= kW ? ~__mmask32(0) : static_cast<__mmask32>((uint64_t{1} << cols) - 1);
  for (int m = 0; m < MR; ++m) {
    __m512i v[2];
    for (int h = 0; h < 2; ++h) {
      const __m512i r = _mm512_inserti64x4(
          _mm512_castsi256_si512(Requant8(_mm512_loadu_si512(total[m] + 16 * h), rq, 16 * h)),
          Requant8(_mm512_loadu_si512(total[m] + 16 * h + 8), rq, 16 * h + 8), 1);
      v[h] = _mm512_max_epi32(_mm512_min_epi32(r, hi), lo);
    }
    // Inside the int16 range after the clamp: narrowing saturates nothing.
    const __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtsepi32_epi16(v[0])),
                                            _mm512_cvtsepi32_epi16(v[1]), 1);
    _mm512_mask_storeu_epi16(out + m * ldo, mask, both);
  }
}

// Lanes first..first+7 of 16 int32, sign-extended to 8 int64: each copied
// into both halves of a 64-bit lane, then shifted down arithmetically (the
// emulated build's SIMD Everywhere 0.8.2 has neither _mm512_cvtepi32_epi64
// nor _mm512_srai_epi64).
inline __m512i Widen8(__m512i v, int first) {
  const __m512i twice = _mm512_add_epi32(
      _mm512_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7), _mm512_set1_epi32(first));
  return _mm512_srav_epi64(_mm512_permutexvar_epi32(twice, v), _mm512_set1_epi64(32));
}

}  // namespace

void DwConvS16PixelAvx512Vnni(const int16_t* const* x, int taps, int channels,
                              const int16_t* packed, const ConvS16TileRequant& rq, int16_t* out) {
  const int pairs = (taps + 1) / 2;
  const __m512i lo = _mm512_set1_epi32(rq.act_min), hi = _mm512_set1_epi32(rq.act_max);
  // Channel c's sum: lane 4 * (c / 8) + c % 4 of the low-half sums (c % 8 < 4), else of the
  // high-half ones (+16 in the two-source permute).
  const __m512i order0 = _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
  const __m512i order1 = _mm512_setr_epi32(8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
  for (int c = 0; c < channels; c += 32, packed += pairs * 64) {
    const int n = channels - c < 32 ? channels - c : 32;
    const __mmask32 mask = n == 32 ? ~__mmask32(0) : static_cast<__mmask32>((uint64_t{1} << n) - 1);
    __m512i acc0 = _mm512_setzero_si512(), acc1 = acc0;
    for (int p = 0; p < pairs; ++p) {
      const __m512i x0 = _mm512_maskz_loadu_epi16(mask, x[2 * p] + c);
      const __m512i x1 =
          2 * p + 1 < taps ? _mm512_maskz_loadu_epi16(mask, x[2 * p + 1] + c) : _mm512_setzero_si512();
      const int16_t* w = packed + p * 64;
      acc0 = _mm512_dpwssd_epi32(acc0, _mm512_unpacklo_epi16(x0, x1), _mm512_loadu_si512(w));
      acc1 = _mm512_dpwssd_epi32(acc1, _mm512_unpackhi_epi16(x0, x1), _mm512_loadu_si512(w + 32));
    }
    __m512i v[2];
    for (int h = 0; h < 2; ++h) {
      const __m512i s = _mm512_permutex2var_epi32(acc0, h ? order1 : order0, acc1);  // channels 16h..
      const __m512i r = _mm512_inserti64x4(
          _mm512_castsi256_si512(Requant8(Widen8(s, 0), rq, c + 16 * h)),
          Requant8(Widen8(s, 8), rq, c + 16 * h + 8), 1);
      v[h] = _mm512_max_epi32(_mm512_min_epi32(r, hi), lo);
    }
    const __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtsepi32_epi16(v[0])),
                                            _mm512_cvtsepi32_epi16(v[1]), 1);
    _mm512_mask_storeu_epi16(out + c, mask, both);
  }
}

void ConvS16TileAvx512Vnni(int rows, const int16_t* const* x, int taps, int in_c,
                           const int32_t* panel, const ConvS16TileRequant& rq, int16_t* out,
                           size_t ldo, int cols) {
  switch (rows) {
    case 8: return Tile<8>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 7: return Tile<7>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 6: return Tile<6>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 5: return Tile<5>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 4: return Tile<4>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 3: return Tile<3>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 2: return Tile<2>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 1: return Tile<1>(x, taps, in_c, panel, rq, out, ldo, cols);
    default: return;
  }
}
static_assert(kConvS16Avx512Rows == 8, "ConvS16TileAvx512Vnni's cases cover 1..8 rows");

}  // namespace pyrt
