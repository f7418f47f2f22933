// Body of the hybrid depthwise rows, included once per ISA namespace
// (depthwise_hybrid_kernel.cc, x86/avx2/depthwise_hybrid_avx2.cc); written
// so compilers vectorize the channel loops. Both TUs are compiled without
// FMA contraction (the epilogue rounds each operation, as LiteRT). The
// including file includes <algorithm> and depthwise_hybrid_kernel.h first.

namespace {

constexpr int kChannelChunk = 64;  // int32 accumulators kept on the stack

// acc[0..count) = sum over taps inside the image of w * (q - zp), output
// channels c0.. of pixel (oy, ox).
inline void Pixel(const pyrt::DepthwiseHybridArgs& d, const int8_t* image, int32_t zp, int oy,
                  int ox, int c0, int count, int32_t* acc) {
  const pyrt::ConvGeometry& g = d.g;
  std::fill(acc, acc + count, 0);
  for (int fy = 0; fy < g.filter_h; ++fy) {
    const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
    if (iy < 0 || iy >= g.in_h) continue;
    for (int fx = 0; fx < g.filter_w; ++fx) {
      const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
      if (ix < 0 || ix >= g.in_w) continue;
      const int8_t* in = image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c;
      const int16_t* w = d.filter + (static_cast<size_t>(fy) * g.filter_w + fx) * g.out_c + c0;
      const int8_t* x = in + c0;
      for (int i = 0; i < count; ++i) acc[i] += w[i] * (x[i] - zp);
    }
  }
}

}  // namespace

void DepthwiseHybridRows(const pyrt::DepthwiseHybridArgs& d, const int8_t* q,
                         const pyrt::RowQuantization* rq, int row0, int rows, float* output) {
  const pyrt::ConvGeometry& g = d.g;
  const size_t image_size = static_cast<size_t>(g.in_h) * g.in_w * g.in_c;
  alignas(32) int32_t acc[kChannelChunk];
  for (int row = row0; row < row0 + rows; ++row) {
    const int b = row / g.out_h, oy = row % g.out_h;
    const float s_in = rq[b].scale;
    for (int ox = 0; ox < g.out_w; ++ox) {
      float* out = output + (static_cast<size_t>(row) * g.out_w + ox) * g.out_c;
      for (int c0 = 0; c0 < g.out_c; c0 += kChannelChunk) {
        const int count = std::min(kChannelChunk, g.out_c - c0);
        Pixel(d, q + b * image_size, rq[b].zero_point, oy, ox, c0, count, acc);
        for (int i = 0; i < count; ++i) {
          const int c = c0 + i;
          const float a = static_cast<float>(acc[i]);
          // NEON store loop on whole groups of 4 channels, scalar on the rest.
          const float v = c < d.vector_channels ? a * d.scales[c] * s_in : a * s_in * d.scales[c];
          out[c] = std::min(std::max(v + d.bias[c], d.act_min), d.act_max);
        }
      }
    }
  }
}
