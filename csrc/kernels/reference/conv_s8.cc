#include "kernels/reference/conv_s8.h"

#include <algorithm>
#include <cstring>

#include "kernels/reference/gemm_s8.h"

namespace pyrt {
namespace {

int FilterVolume(const ConvGeometry& g) { return g.filter_h * g.filter_w * g.in_c; }

// Rows [p0, p0 + count) of the im2col matrix of one image: row p holds the
// receptive field of output pixel p in filter order (fy, fx, c).
void Im2Col(const ConvGeometry& g, const int8_t* image, int p0, int count, int8_t pad,
            int8_t* cols) {
  const int K = FilterVolume(g);
  for (int r = 0; r < count; ++r) {
    const int p = p0 + r;
    const int oy = p / g.out_w, ox = p % g.out_w;
    int8_t* row = cols + static_cast<size_t>(r) * K;
    for (int fy = 0; fy < g.filter_h; ++fy) {
      const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
      for (int fx = 0; fx < g.filter_w; ++fx) {
        const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
        int8_t* dst = row + (fy * g.filter_w + fx) * g.in_c;
        if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) {
          std::memset(dst, static_cast<uint8_t>(pad), g.in_c);
        } else {
          std::memcpy(dst, image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c, g.in_c);
        }
      }
    }
  }
}

}  // namespace

bool ConvIsPointwise(const ConvGeometry& g) {
  return g.filter_h == 1 && g.filter_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
         g.pad_top == 0 && g.pad_left == 0 && g.out_h == g.in_h && g.out_w == g.in_w;
}

size_t ConvS8ScratchBytes(const ConvGeometry& g) {
  return ConvIsPointwise(g) ? 0 : static_cast<size_t>(kConvPixelBlock) * FilterVolume(g);
}

void ConvS8(const ConvGeometry& g, const int8_t* input, const int8_t* filter,
            int32_t input_zero_point, const ChannelRequant& rq, int8_t* output,
            uint8_t* scratch) {
  const int K = FilterVolume(g);
  const int pixels = g.out_h * g.out_w;
  const size_t in_image = static_cast<size_t>(g.in_h) * g.in_w * g.in_c;
  const size_t out_image = static_cast<size_t>(pixels) * g.out_c;
  for (int b = 0; b < g.batch; ++b) {
    const int8_t* image = input + b * in_image;
    int8_t* out = output + b * out_image;
    if (ConvIsPointwise(g)) {
      GemmS8(pixels, g.out_c, K, image, K, filter, K, [&](int m, int n, int32_t acc) {
        out[static_cast<size_t>(m) * g.out_c + n] = static_cast<int8_t>(Requantize(acc, rq, n));
      });
      continue;
    }
    int8_t* cols = reinterpret_cast<int8_t*>(scratch);
    for (int p0 = 0; p0 < pixels; p0 += kConvPixelBlock) {
      const int count = std::min(kConvPixelBlock, pixels - p0);
      Im2Col(g, image, p0, count, static_cast<int8_t>(input_zero_point), cols);
      int8_t* block = out + static_cast<size_t>(p0) * g.out_c;
      GemmS8(count, g.out_c, K, cols, K, filter, K, [&](int m, int n, int32_t acc) {
        block[static_cast<size_t>(m) * g.out_c + n] = static_cast<int8_t>(Requantize(acc, rq, n));
      });
    }
  }
}

size_t DepthwiseConvS8ScratchBytes(const ConvGeometry& g) {
  return static_cast<size_t>(g.out_c) * sizeof(int32_t);
}

void DepthwiseConvS8(const ConvGeometry& g, int depth_multiplier, const int8_t* input,
                     const int8_t* filter, int32_t input_zero_point, const ChannelRequant& rq,
                     int8_t* output, uint8_t* scratch) {
  int32_t* acc = reinterpret_cast<int32_t*>(scratch);
  for (int b = 0; b < g.batch; ++b) {
    const int8_t* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * g.in_c;
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        std::fill(acc, acc + g.out_c, 0);
        for (int fy = 0; fy < g.filter_h; ++fy) {
          const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
          if (iy < 0 || iy >= g.in_h) continue;
          for (int fx = 0; fx < g.filter_w; ++fx) {
            const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
            if (ix < 0 || ix >= g.in_w) continue;
            const int8_t* x = image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c;
            const int8_t* w = filter + static_cast<size_t>(fy * g.filter_w + fx) * g.out_c;
            if (depth_multiplier == 1) {
              for (int c = 0; c < g.out_c; ++c) acc[c] += (x[c] - input_zero_point) * w[c];
            } else {
              for (int ic = 0; ic < g.in_c; ++ic) {
                const int32_t xv = x[ic] - input_zero_point;
                for (int m = 0; m < depth_multiplier; ++m) {
                  const int oc = ic * depth_multiplier + m;
                  acc[oc] += xv * w[oc];
                }
              }
            }
          }
        }
        int8_t* out = output + ((static_cast<size_t>(b) * g.out_h + oy) * g.out_w + ox) * g.out_c;
        for (int c = 0; c < g.out_c; ++c) out[c] = static_cast<int8_t>(Requantize(acc[c], rq, c));
      }
    }
  }
}

}  // namespace pyrt
