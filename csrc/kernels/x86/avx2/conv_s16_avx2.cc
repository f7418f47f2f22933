// Compiled with the avx2 path's flags; called only when the CPU has them.
#include "kernels/x86/avx2/conv_s16_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

namespace pyrt {
namespace {

// The int32 sums (16 channels of each of MR pixels, into sums[m][16]) over
// taps [t0, t1) and, of each, channel pairs [j0, j1) (j1 = in_c's pair
// count: the odd last channel pairs with 0, never read past the pixel), at
// most kConvS16PairsPerFlush pairs in all; w at the first step's weights. Not
// inlined: a loop of its own keeps the 12 sums in registers (inlined into
// the tile, GCC kept them on the stack).
template <int MR>
[[gnu::noinline]] void SumSteps(const int16_t* const* x, int taps, int t0, int t1, int j0, int j1,
                                int in_c, const int32_t* w, int32_t (*sums)[16]) {
  __m256i acc[MR][2];
  for (int m = 0; m < MR; ++m) acc[m][0] = acc[m][1] = _mm256_setzero_si256();
  const int full = std::min(j1, in_c / 2);
  auto step = [&](const __m256i* pw, const int32_t (&pairs)[MR]) {
    const __m256i w0 = _mm256_loadu_si256(pw), w1 = _mm256_loadu_si256(pw + 1);
    for (int m = 0; m < MR; ++m) {
      const __m256i xx = _mm256_set1_epi32(pairs[m]);
      acc[m][0] = _mm256_add_epi32(acc[m][0], _mm256_madd_epi16(xx, w0));
      acc[m][1] = _mm256_add_epi32(acc[m][1], _mm256_madd_epi16(xx, w1));
    }
  };
  const __m256i* pw = reinterpret_cast<const __m256i*>(w);
  for (int t = t0; t < t1; ++t) {
    const int16_t* xp[MR];
    for (int m = 0; m < MR; ++m) xp[m] = x[m * taps + t];
    int32_t pairs[MR];
    for (int j = j0; j < full; ++j, pw += 2) {
      for (int m = 0; m < MR; ++m) std::memcpy(&pairs[m], xp[m] + 2 * j, 4);
      step(pw, pairs);
    }
    if (j1 > full) {  // the odd last channel
      for (int m = 0; m < MR; ++m) pairs[m] = static_cast<uint16_t>(xp[m][in_c - 1]);
      step(pw, pairs);
      pw += 2;
    }
  }
  for (int m = 0; m < MR; ++m) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums[m]), acc[m][0]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums[m] + 8), acc[m][1]);
  }
}

inline __m256i Load4x64(const int64_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }

// MultiplyByQuantizedMultiplier64 of 4 int64 sums (plus bias): the product
// with the 15-bit reduced multiplier modulo 2^64 from two 32 x 32 -> 64
// multiplies (the high half's only needs its low 32 bits), the rounding,
// then an arithmetic shift right by total_shift (<= 46: AVX2 has only the
// logical one, so negative values are complemented around it); the low 32
// bits are the result, in the even dwords.
inline __m256i Requant4(__m256i sum, const ConvS16TileRequant& rq, int n) {
  const __m256i x = _mm256_add_epi64(sum, Load4x64(rq.bias + n));
  const __m256i m = Load4x64(rq.reduced + n);
  const __m256i prod = _mm256_add_epi64(_mm256_mul_epu32(x, m),
                                        _mm256_slli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), m), 32));
  const __m256i v = _mm256_add_epi64(prod, Load4x64(rq.round + n));
  const __m256i sign = _mm256_cmpgt_epi64(_mm256_setzero_si256(), v);
  return _mm256_xor_si256(_mm256_srlv_epi64(_mm256_xor_si256(v, sign), Load4x64(rq.total_shift + n)), sign);
}

// 8 channels n..n+7 requantized from their int64 sums: 8 int32 in channel
// order, clamped.
inline __m256i Requant8(const int64_t* sum, const ConvS16TileRequant& rq, int n, __m256i lo,
                        __m256i hi) {
  const __m256i a = Requant4(Load4x64(sum), rq, n), b = Requant4(Load4x64(sum + 4), rq, n + 4);
  // Even dwords of a, then b, interleaved as 0 4 1 5 2 6 3 7; permuted back.
  const __m256i mixed = _mm256_blend_epi32(a, _mm256_slli_epi64(b, 32), 0xAA);
  const __m256i v = _mm256_permutevar8x32_epi32(mixed, _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7));
  return _mm256_max_epi32(_mm256_min_epi32(v, hi), lo);
}

template <int MR>
void Tile(const int16_t* const* x, int taps, int in_c, const int32_t* panel,
          const ConvS16TileRequant& rq, int16_t* out, size_t ldo, int cols) {
  // Each chunk's int32 sums added into int64 totals.
  const int pairs = (in_c + 1) / 2;
  alignas(64) int32_t sums[MR][16];
  alignas(64) int64_t total[MR][16] = {};
  ForEachConvS16Chunk(taps, pairs, [&](int t0, int t1, int j0, int j1, int step) {
    SumSteps<MR>(x, taps, t0, t1, j0, j1, in_c, panel + static_cast<size_t>(step) * 16, sums);
    for (int m = 0; m < MR; ++m)
      for (int c = 0; c < 16; ++c) total[m][c] += sums[m][c];
  });
  const __m256i lo = _mm256_set1_epi32(rq.act_min), hi = _mm256_set1_epi32(rq.act_max);
  for (int m = 0; m < MR; ++m) {
    // Inside the int16 range after the clamp: packing saturates nothing.
    const __m256i v = _mm256_permute4x64_epi64(
        _mm256_packs_epi32(Requant8(total[m], rq, 0, lo, hi), Requant8(total[m] + 8, rq, 8, lo, hi)), 0xD8);
    if (cols == 16) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + m * ldo), v);
    } else {
      alignas(32) int16_t tmp[16];
      _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), v);
      std::memcpy(out + m * ldo, tmp, sizeof(int16_t) * cols);
    }
  }
}

}  // namespace

void ConvS16TileAvx2(int rows, const int16_t* const* x, int taps, int in_c, const int32_t* panel,
                     const ConvS16TileRequant& rq, int16_t* out, size_t ldo, int cols) {
  switch (rows) {
    case 6: return Tile<6>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 5: return Tile<5>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 4: return Tile<4>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 3: return Tile<3>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 2: return Tile<2>(x, taps, in_c, panel, rq, out, ldo, cols);
    case 1: return Tile<1>(x, taps, in_c, panel, rq, out, ldo, cols);
    default: return;
  }
}
static_assert(kConvS16Avx2Rows == 6, "ConvS16TileAvx2's cases cover 1..6 rows");

namespace {

// 16 int16 of a tap from channel c (n < 16 of them real: the rest read as 0,
// never past the pixel).
inline __m256i Load16(const int16_t* p, int n) {
  if (n == 16) return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  alignas(32) int16_t tmp[16] = {};
  std::memcpy(tmp, p, sizeof(int16_t) * n);
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(tmp));
}

}  // namespace

void DwConvS16PixelAvx2(const int16_t* const* x, int taps, int channels, const int16_t* packed,
                        const ConvS16TileRequant& rq, int16_t* out) {
  const int pairs = (taps + 1) / 2;
  const __m256i lo = _mm256_set1_epi32(rq.act_min), hi = _mm256_set1_epi32(rq.act_max);
  for (int c = 0; c < channels; c += 16, packed += pairs * 32) {
    const int n = channels - c < 16 ? channels - c : 16;
    __m256i acc0 = _mm256_setzero_si256(), acc1 = acc0;  // channels [0-3|8-11], [4-7|12-15]
    for (int p = 0; p < pairs; ++p) {
      const __m256i x0 = Load16(x[2 * p] + c, n);
      const __m256i x1 = 2 * p + 1 < taps ? Load16(x[2 * p + 1] + c, n) : _mm256_setzero_si256();
      const __m256i* w = reinterpret_cast<const __m256i*>(packed + p * 32);
      acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(_mm256_unpacklo_epi16(x0, x1),
                                                      _mm256_loadu_si256(w)));
      acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(_mm256_unpackhi_epi16(x0, x1),
                                                      _mm256_loadu_si256(w + 1)));
    }
    alignas(32) int64_t sums[16];
    const __m256i s0 = _mm256_permute2x128_si256(acc0, acc1, 0x20);  // channels 0-7
    const __m256i s1 = _mm256_permute2x128_si256(acc0, acc1, 0x31);  // channels 8-15
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums), _mm256_cvtepi32_epi64(_mm256_castsi256_si128(s0)));
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums + 4), _mm256_cvtepi32_epi64(_mm256_extracti128_si256(s0, 1)));
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums + 8), _mm256_cvtepi32_epi64(_mm256_castsi256_si128(s1)));
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums + 12), _mm256_cvtepi32_epi64(_mm256_extracti128_si256(s1, 1)));
    const __m256i v = _mm256_permute4x64_epi64(
        _mm256_packs_epi32(Requant8(sums, rq, c, lo, hi), Requant8(sums + 8, rq, c + 8, lo, hi)), 0xD8);
    if (n == 16) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + c), v);
    } else {
      alignas(32) int16_t tmp[16];
      _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), v);
      std::memcpy(out + c, tmp, sizeof(int16_t) * n);
    }
  }
}

}  // namespace pyrt
