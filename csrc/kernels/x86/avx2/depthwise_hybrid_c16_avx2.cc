// Compiled with -mavx2 -mfma -ffp-contract=off (see CMakeLists.txt): the
// epilogue rounds each operation, as LiteRT's.
#include "kernels/x86/avx2/depthwise_hybrid_c16_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/dwconv_rows.h"

namespace pyrt {
namespace {

// n (<= 16) int8 values sign-extended to int16 lanes; lanes past n are 0.
template <bool kFull>
inline __m256i Load16(const int8_t* p, int n) {
  if (kFull) return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  alignas(16) int8_t tmp[16] = {};
  std::memcpy(tmp, p, n);
  return _mm256_cvtepi8_epi16(_mm_load_si128(reinterpret_cast<const __m128i*>(tmp)));
}

// The epilogue constants of one 16-channel group for one image, loaded once
// per run of pixels: channels [c, c + 8) in [0], [c + 8, c + 16) in [1].
struct GroupEpilogue {
  __m256i zp_sum[2];  // zero point * sum of the channel's weights
  __m256 scale[2], bias[2];
  __m256 grouped[2];  // all ones on channels < vector_channels
  bool has_tail;      // some channel of the group is >= vector_channels

  GroupEpilogue(const DepthwiseHybridArgs& d, int c, int32_t zp) {
    const __m256i vzp = _mm256_set1_epi32(zp);
    const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (int h = 0; h < 2; ++h) {
      const int ch = c + 8 * h;
      zp_sum[h] = _mm256_mullo_epi32(
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(d.col_sum + ch)), vzp);
      scale[h] = _mm256_loadu_ps(d.scales + ch);
      bias[h] = _mm256_loadu_ps(d.bias + ch);
      grouped[h] = _mm256_castsi256_ps(
          _mm256_cmpgt_epi32(_mm256_set1_epi32(d.vector_channels - ch), iota));
    }
    has_tail = c + 16 > d.vector_channels;
  }
};

struct Clamp {
  __m256 lo, hi, s_in;
};

// 8 channels: clamp(y + bias) with y = (float(acc) * scale) * s_in on whole
// groups of 4 channels, (float(acc) * s_in) * scale on the last out_c % 4
// (depthwise_hybrid_kernel.h).
inline __m256 Epilogue8(__m256i acc, const GroupEpilogue& e, int h, const Clamp& cl) {
  const __m256 a = _mm256_cvtepi32_ps(_mm256_sub_epi32(acc, e.zp_sum[h]));
  __m256 y = _mm256_mul_ps(_mm256_mul_ps(a, e.scale[h]), cl.s_in);
  if (e.has_tail) {
    const __m256 tail = _mm256_mul_ps(_mm256_mul_ps(a, cl.s_in), e.scale[h]);
    y = _mm256_blendv_ps(tail, y, e.grouped[h]);
  }
  y = _mm256_add_ps(y, e.bias[h]);
  // std::min(std::max(y, lo), hi), NaN included.
  return _mm256_min_ps(cl.hi, _mm256_max_ps(cl.lo, y));
}

// One output pixel, channels [c, c + n) (n == 16 when kFull). Tap t reads
// taps(t) + c; the odd last pair's second tap has zero weights. kPairs > 0
// fixes the number of tap pairs at compile time; 0 reads it from `pairs`.
template <int kPairs, bool kFull, typename Taps>
inline void PixelGroup(Taps taps, int pairs, const int16_t* w, int c, int n,
                       const GroupEpilogue& e, const Clamp& cl, float* out) {
  if (kPairs > 0) pairs = kPairs;
  __m256i acc0 = _mm256_setzero_si256(), acc1 = acc0;  // channels [0-3|8-11], [4-7|12-15]
  for (int p = 0; p < pairs; ++p) {
    const __m256i x0 = Load16<kFull>(taps(2 * p) + c, n);
    const __m256i x1 = Load16<kFull>(taps(2 * p + 1) + c, n);
    const __m256i* wp = reinterpret_cast<const __m256i*>(w + p * 32);
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(_mm256_unpacklo_epi16(x0, x1),
                                                    _mm256_loadu_si256(wp)));
    acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(_mm256_unpackhi_epi16(x0, x1),
                                                    _mm256_loadu_si256(wp + 1)));
  }
  const __m256 lo = Epilogue8(_mm256_permute2x128_si256(acc0, acc1, 0x20), e, 0, cl);
  const __m256 hi = Epilogue8(_mm256_permute2x128_si256(acc0, acc1, 0x31), e, 1, cl);
  if (kFull) {
    _mm256_storeu_ps(out + c, lo);
    _mm256_storeu_ps(out + c + 8, hi);
  } else {
    const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    _mm256_maskstore_ps(out + c, _mm256_cmpgt_epi32(_mm256_set1_epi32(n), iota), lo);
    _mm256_maskstore_ps(out + c + 8, _mm256_cmpgt_epi32(_mm256_set1_epi32(n - 8), iota), hi);
  }
}

// Two pixels (taps at a(t) and b(t)), all 16 channels of the group: their
// independent chains interleave and each weight vector is loaded once for
// both.
template <int kPairs, typename Taps>
inline void PixelGroupTwice(Taps a, Taps b, int pairs, const int16_t* w, int c,
                            const GroupEpilogue& e, const Clamp& cl, float* out_a, float* out_b) {
  if (kPairs > 0) pairs = kPairs;
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, b0 = a0, b1 = a0;
  for (int p = 0; p < pairs; ++p) {
    const __m256i* wp = reinterpret_cast<const __m256i*>(w + p * 32);
    const __m256i w0 = _mm256_loadu_si256(wp), w1 = _mm256_loadu_si256(wp + 1);
    const __m256i xa0 = Load16<true>(a(2 * p) + c, 16), xa1 = Load16<true>(a(2 * p + 1) + c, 16);
    const __m256i xb0 = Load16<true>(b(2 * p) + c, 16), xb1 = Load16<true>(b(2 * p + 1) + c, 16);
    a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(_mm256_unpacklo_epi16(xa0, xa1), w0));
    a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(_mm256_unpackhi_epi16(xa0, xa1), w1));
    b0 = _mm256_add_epi32(b0, _mm256_madd_epi16(_mm256_unpacklo_epi16(xb0, xb1), w0));
    b1 = _mm256_add_epi32(b1, _mm256_madd_epi16(_mm256_unpackhi_epi16(xb0, xb1), w1));
  }
  _mm256_storeu_ps(out_a + c, Epilogue8(_mm256_permute2x128_si256(a0, a1, 0x20), e, 0, cl));
  _mm256_storeu_ps(out_a + c + 8, Epilogue8(_mm256_permute2x128_si256(a0, a1, 0x31), e, 1, cl));
  _mm256_storeu_ps(out_b + c, Epilogue8(_mm256_permute2x128_si256(b0, b1, 0x20), e, 0, cl));
  _mm256_storeu_ps(out_b + c + 8, Epilogue8(_mm256_permute2x128_si256(b0, b1, 0x31), e, 1, cl));
}

template <int kPairs>
void ImageRows(const DepthwiseHybridArgs& d, const int8_t* q, const int8_t* zero_row, int32_t zp,
               float s_in, int row0, int row1, float* output) {
  const ConvGeometry& g = d.g;
  const int C = g.in_c, pairs = (g.filter_h * g.filter_w + 1) / 2;
  const size_t group_stride = static_cast<size_t>(pairs) * 32;
  const Clamp cl{_mm256_set1_ps(d.act_min), _mm256_set1_ps(d.act_max), _mm256_set1_ps(s_in)};
  // Pixels i and i + 1 of a border batch or interior run for every channel
  // group, each group's epilogue constants loaded once for all of them.
  const auto pixels = [&](auto taps_of, int count, auto out_of) {
    const int16_t* w = d.packed;
    for (int c = 0; c < C; c += 16, w += group_stride) {
      const GroupEpilogue e(d, c, zp);
      if (C - c < 16) {
        for (int i = 0; i < count; ++i)
          PixelGroup<kPairs, false>(taps_of(i), pairs, w, c, C - c, e, cl, out_of(i));
        continue;
      }
      int i = 0;
      for (; i + 2 <= count; i += 2)
        PixelGroupTwice<kPairs>(taps_of(i), taps_of(i + 1), pairs, w, c, e, cl, out_of(i),
                                out_of(i + 1));
      if (i < count) PixelGroup<kPairs, true>(taps_of(i), pairs, w, c, 16, e, cl, out_of(i));
    }
  };
  DwConvRowsBatched<kDepthwiseHybridAvx2MaxTaps>(
      g, q, zero_row, output, row0, row1,
      [&](const DwTapPointers* taps, float* const* outs, int count) {
        pixels([&](int i) { return taps[i]; }, count, [&](int i) { return outs[i]; });
      },
      [&](const int8_t* base, const ptrdiff_t* offset, int count, ptrdiff_t step, float* out) {
        pixels([&](int i) { return DwTapOffsets{base + i * step, offset}; }, count,
               [&](int i) { return out + static_cast<size_t>(i) * C; });
      });
}

}  // namespace

void DepthwiseHybridC16Avx2(const DepthwiseHybridArgs& d, const int8_t* q,
                            const RowQuantization* rq, int row0, int rows, float* output) {
  const ConvGeometry& g = d.g;
  // Rows of one image at a time: each image has its own zero point.
  for (int r = row0; r < row0 + rows;) {
    const int b = r / g.out_h, end = std::min(row0 + rows, (b + 1) * g.out_h);
    const int8_t* zero_row = d.zero_rows + static_cast<size_t>(b) * g.in_c;
    const int32_t zp = rq[b].zero_point;
    const float s_in = rq[b].scale;
    switch (g.filter_h * g.filter_w) {
      case 9: ImageRows<5>(d, q, zero_row, zp, s_in, r, end, output); break;
      case 25: ImageRows<13>(d, q, zero_row, zp, s_in, r, end, output); break;
      default: ImageRows<0>(d, q, zero_row, zp, s_in, r, end, output); break;
    }
    r = end;
  }
}

}  // namespace pyrt
