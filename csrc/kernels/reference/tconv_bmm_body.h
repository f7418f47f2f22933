// Inner loops of the int8 TRANSPOSE_CONV gather and BATCH_MATMUL, compiled
// once per ISA: the including translation unit defines PYRT_TB_NS (a
// namespace name) and its own target flags, so the same source becomes
// baseline code in the portable build and AVX2 code (vpmaddwd dot products)
// in kernels/x86/avx2, with identical results. Only plain loops live here:
// no shared inline functions, whose one linked copy could otherwise carry
// AVX2 code.
//
// No include guard on purpose: each ISA includes it once into its namespace.
#include <cstdint>

#include "kernels/conv_geometry.h"

namespace pyrt {
namespace PYRT_TB_NS {
namespace {

// sum a[k] * b[k] modulo 2^32, for values in [-255, 255] (int8 minus a
// zero point): TFLite's int32 accumulation, which wraps. Chunks of 2^15
// products cannot overflow int32 (2^15 * 255^2 < 2^31), so the inner loop
// is plain int32 arithmetic that compilers turn into PMADDWD.
uint32_t DotS16(const int16_t* a, const int16_t* b, int64_t n) {
  constexpr int64_t kChunk = int64_t{1} << 15;
  uint32_t total = 0;
  for (int64_t k0 = 0; k0 < n; k0 += kChunk) {
    const int64_t k1 = n - k0 < kChunk ? n : k0 + kChunk;
    int32_t s = 0;
    for (int64_t k = k0; k < k1; ++k) s += int32_t{a[k]} * int32_t{b[k]};
    total += static_cast<uint32_t>(s);
  }
  return total;
}

// Input index feeding output position `o` through filter tap `f`, or -1.
int SourceIndex(int o, int f, int pad, int stride, int in_size) {
  const int t = o + pad - f;
  if (t < 0 || t % stride != 0) return -1;
  const int i = t / stride;
  return i < in_size ? i : -1;
}

// acc[oc] = sum over the filter taps reaching output pixel (b, oy, ox) of
// dot(input pixel, filter[oc][fy][fx], in_c). T: int16_t (wrapping uint32
// sums) or float.
template <typename T, typename Acc, typename Dot>
void PixelSums(const ConvGeometry& g, const T* input, const T* filter, int b, int oy, int ox,
               Acc* acc, Dot dot) {
  for (int oc = 0; oc < g.out_c; ++oc) acc[oc] = 0;
  const int64_t oc_stride = int64_t{g.filter_h} * g.filter_w * g.in_c;
  for (int fy = 0; fy < g.filter_h; ++fy) {
    const int iy = SourceIndex(oy, fy, g.pad_top, g.stride_h, g.in_h);
    if (iy < 0) continue;
    for (int fx = 0; fx < g.filter_w; ++fx) {
      const int ix = SourceIndex(ox, fx, g.pad_left, g.stride_w, g.in_w);
      if (ix < 0) continue;
      const T* x = input + ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c;
      const T* w = filter + (int64_t{fy} * g.filter_w + fx) * g.in_c;
      for (int oc = 0; oc < g.out_c; ++oc, w += oc_stride) acc[oc] += dot(x, w, g.in_c);
    }
  }
}

}  // namespace

void TransposeConvPixelS16(const ConvGeometry& g, const int16_t* input, const int16_t* filter,
                           int b, int oy, int ox, uint32_t* acc) {
  PixelSums(g, input, filter, b, oy, ox, acc, DotS16);
}

void DotRowS16(const int16_t* a, const int16_t* b, int cols, int64_t depth, uint32_t* out) {
  for (int j = 0; j < cols; ++j) out[j] = DotS16(a, b + j * depth, depth);
}

}  // namespace PYRT_TB_NS
}  // namespace pyrt
