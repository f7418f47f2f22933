// Compiled with the avx512vnni path's flags plus -ffp-contract=off (see
// CMakeLists.txt): the epilogue rounds each operation, as LiteRT's.
#include "kernels/x86/avx512vnni/depthwise_hybrid_c32_avx512vnni.h"

#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/dwconv_rows.h"
#include "kernels/x86/avx512vnni/qs8_dwconv_c32_avx512vnni.h"

namespace pyrt {
namespace {

inline __m512i Load32(const int8_t* p, __mmask32 mask) {
  return _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, p));
}

// Slot of each channel of a group: the inverse of kDwC32LaneChannel, as
// vpermt2d indexes (0-15: first accumulator, 16-31: second).
struct ChannelSlots {
  alignas(64) int32_t lo[16], hi[16];
  ChannelSlots() {
    for (int s = 0; s < 32; ++s) {
      const int c = kDwC32LaneChannel[s];
      (c < 16 ? lo[c] : hi[c - 16]) = s;
    }
  }
};

// 16 channels [c, c + 16) of one pixel, count of them real.
inline void Epilogue16(__m512i acc, const DepthwiseHybridArgs& d, int c, int count, int32_t zp,
                       float s_in, float* out) {
  if (count <= 0) return;
  acc = _mm512_sub_epi32(acc, _mm512_mullo_epi32(_mm512_loadu_si512(d.col_sum + c),
                                                  _mm512_set1_epi32(zp)));
  const __m512 a = _mm512_cvtepi32_ps(acc);
  const __m512 scale = _mm512_loadu_ps(d.scales + c), s = _mm512_set1_ps(s_in);
  // (a * scale) * s_in on whole groups of 4 channels, (a * s_in) * scale on
  // the last out_c % 4 (depthwise_hybrid_kernel.h).
  const __m512 grouped = _mm512_mul_ps(_mm512_mul_ps(a, scale), s);
  const __m512 tail = _mm512_mul_ps(_mm512_mul_ps(a, s), scale);
  const int grouped_lanes = std::min(16, std::max(0, d.vector_channels - c));
  const __mmask16 g = static_cast<__mmask16>((1u << grouped_lanes) - 1);
  __m512 y = _mm512_add_ps(_mm512_mask_blend_ps(g, tail, grouped), _mm512_loadu_ps(d.bias + c));
  // std::min(std::max(y, lo), hi), NaN included.
  y = _mm512_min_ps(_mm512_set1_ps(d.act_max), _mm512_max_ps(_mm512_set1_ps(d.act_min), y));
  if (count >= 16) {
    _mm512_storeu_ps(out + c, y);
  } else {
    _mm512_mask_storeu_ps(out + c, static_cast<__mmask16>((1u << count) - 1), y);
  }
}

// kGroups (1 or 2) groups of 32 channels from c of one pixel; count: real
// channels from c (the last group may be partial). Two groups at once give
// four independent vpdpwssd chains.
template <int kPairs, int kGroups, typename Taps>
inline void PixelGroups(Taps taps, int pairs, const int16_t* w, size_t group_stride, int c,
                        int count, const DepthwiseHybridArgs& d, int32_t zp, float s_in,
                        const ChannelSlots& slots, float* out) {
  if (kPairs > 0) pairs = kPairs;
  __mmask32 mask[kGroups];
  __m512i acc[kGroups][2];
  for (int k = 0; k < kGroups; ++k) {
    const int n = count - 32 * k;
    mask[k] = n >= 32 ? ~__mmask32{0} : static_cast<__mmask32>((uint64_t{1} << n) - 1);
    acc[k][0] = acc[k][1] = _mm512_setzero_si512();
  }
  for (int p = 0; p < pairs; ++p) {
    const int8_t* t0 = taps(2 * p) + c;
    const int8_t* t1 = taps(2 * p + 1) + c;
    for (int k = 0; k < kGroups; ++k) {
      const __m512i x0 = Load32(t0 + 32 * k, mask[k]);
      const __m512i x1 = Load32(t1 + 32 * k, mask[k]);
      const int16_t* wp = w + k * group_stride + p * 64;
      acc[k][0] = _mm512_dpwssd_epi32(acc[k][0], _mm512_unpacklo_epi16(x0, x1), _mm512_loadu_si512(wp));
      acc[k][1] = _mm512_dpwssd_epi32(acc[k][1], _mm512_unpackhi_epi16(x0, x1), _mm512_loadu_si512(wp + 32));
    }
  }
  for (int k = 0; k < kGroups; ++k) {
    const __m512i lo = _mm512_permutex2var_epi32(acc[k][0], _mm512_load_si512(slots.lo), acc[k][1]);
    const __m512i hi = _mm512_permutex2var_epi32(acc[k][0], _mm512_load_si512(slots.hi), acc[k][1]);
    const int base = c + 32 * k, n = count - 32 * k;
    Epilogue16(lo, d, base, n, zp, s_in, out);
    Epilogue16(hi, d, base + 16, n - 16, zp, s_in, out);
  }
}

template <int kPairs>
void ImageRows(const DepthwiseHybridArgs& d, const int8_t* q, const int8_t* zero_row, int32_t zp,
               float s_in, int row0, int row1, float* output) {
  static const ChannelSlots slots;
  const ConvGeometry& g = d.g;
  const int C = g.in_c, pairs = (g.filter_h * g.filter_w + 1) / 2;
  const size_t group_stride = static_cast<size_t>(pairs) * 64;
  DwConvRows<kDepthwiseHybridAvx512MaxTaps>(
      g, q, zero_row, output, row0, row1, [&](auto taps, float* out) {
        const int16_t* w = d.packed;
        int c = 0;
        for (; c + 32 < C; c += 64, w += 2 * group_stride)  // a second group exists
          PixelGroups<kPairs, 2>(taps, pairs, w, group_stride, c, C - c, d, zp, s_in, slots, out);
        if (c < C)
          PixelGroups<kPairs, 1>(taps, pairs, w, group_stride, c, C - c, d, zp, s_in, slots, out);
      });
}

}  // namespace

void DepthwiseHybridC32Avx512Vnni(const DepthwiseHybridArgs& d, const int8_t* q,
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
