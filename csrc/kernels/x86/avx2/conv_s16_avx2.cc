// Compiled with the avx2 path's flags; called only when the CPU has them.
#include "kernels/x86/avx2/conv_s16_avx2.h"

#include <immintrin.h>

#include <cstring>

namespace pyrt {
namespace {

// Products are at most 2^22: a lane may add 256 of them (128 pairs) exactly.
constexpr int kPairsPerFlush = 128;

// Adds 8 int32 lanes into 8 int64 totals and clears the lanes.
inline void Flush(__m256i* acc, int64_t* total) {
  const __m256i lo = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(*acc));
  const __m256i hi = _mm256_cvtepi32_epi64(_mm256_extracti128_si256(*acc, 1));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(total),
                      _mm256_add_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(total)), lo));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(total + 4),
                      _mm256_add_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(total + 4)), hi));
  *acc = _mm256_setzero_si256();
}

// kBlocks groups of 8 channels starting at n0, their sums in registers.
// total points at channel n0's total.
template <int kBlocks>
void Blocks(const int16_t* const* x, const int* tap, int count, int in_c, const int16_t* packed,
            int n_padded, int n0, int64_t* total) {
  __m256i acc[kBlocks];
  for (int j = 0; j < kBlocks; ++j) acc[j] = _mm256_setzero_si256();
  const int pairs = (in_c + 1) / 2;
  int since_flush = 0;
  for (int t = 0; t < count; ++t) {
    const int16_t* xp = x[t];
    const int16_t* w = packed + (static_cast<int64_t>(tap[t]) * pairs * n_padded + n0) * 2;
    for (int k = 0; k < pairs; ++k, w += n_padded * 2) {
      int32_t pair;
      if (2 * k + 1 < in_c) {
        std::memcpy(&pair, xp + 2 * k, 4);
      } else {  // the odd last channel, with 0 (never read past the pixel)
        pair = static_cast<uint16_t>(xp[2 * k]);
      }
      const __m256i xx = _mm256_set1_epi32(pair);
      for (int j = 0; j < kBlocks; ++j)
        acc[j] = _mm256_add_epi32(
            acc[j], _mm256_madd_epi16(xx, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 16 * j))));
      if (++since_flush == kPairsPerFlush) {
        for (int j = 0; j < kBlocks; ++j) Flush(&acc[j], total + 8 * j);
        since_flush = 0;
      }
    }
  }
  for (int j = 0; j < kBlocks; ++j) Flush(&acc[j], total + 8 * j);
}

}  // namespace

void ConvS16SumsAvx2(const int16_t* const* x, const int* tap, int count, int in_c,
                     const int16_t* packed, int n_padded, int n_begin, int n_count,
                     int64_t* total) {
  std::memset(total, 0, sizeof(int64_t) * n_count);
  int i = 0;
  for (; i + 64 <= n_count; i += 64, total += 64)
    Blocks<8>(x, tap, count, in_c, packed, n_padded, n_begin + i, total);
  const int n0 = n_begin + i;
  switch ((n_count - i) / 8) {
    case 7: return Blocks<7>(x, tap, count, in_c, packed, n_padded, n0, total);
    case 6: return Blocks<6>(x, tap, count, in_c, packed, n_padded, n0, total);
    case 5: return Blocks<5>(x, tap, count, in_c, packed, n_padded, n0, total);
    case 4: return Blocks<4>(x, tap, count, in_c, packed, n_padded, n0, total);
    case 3: return Blocks<3>(x, tap, count, in_c, packed, n_padded, n0, total);
    case 2: return Blocks<2>(x, tap, count, in_c, packed, n_padded, n0, total);
    case 1: return Blocks<1>(x, tap, count, in_c, packed, n_padded, n0, total);
    default: return;
  }
}

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

void DwConvS16SumsAvx2(const int16_t* const* x, int taps, int channels, const int16_t* packed,
                       int32_t* sums) {
  const int pairs = (taps + 1) / 2;
  for (int c = 0; c < channels; c += 16, packed += pairs * 32, sums += 16) {
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
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums), _mm256_permute2x128_si256(acc0, acc1, 0x20));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums + 8), _mm256_permute2x128_si256(acc0, acc1, 0x31));
  }
}

}  // namespace pyrt
