#include "kernels/reference/conv_s16.h"

#include <algorithm>
#include <cmath>

#include "quant/fixed_point.h"
#include "quant/float_cast.h"

namespace pyrt {
void ConvS16(const ConvS16Params& p, const int16_t* in, int16_t* out) {
  const ConvGeometry& g = p.g;
  const int64_t filter_stride = int64_t{g.filter_h} * g.filter_w * g.in_c;
  for (int b = 0; b < g.batch; ++b) {
    const int16_t* image = in + int64_t{b} * g.in_h * g.in_w * g.in_c;
    for (int oy = 0; oy < g.out_h; ++oy) {
      const int y0 = oy * g.stride_h - g.pad_top;
      for (int ox = 0; ox < g.out_w; ++ox) {
        const int x0 = ox * g.stride_w - g.pad_left;
        for (int oc = 0; oc < g.out_c; ++oc) {
          const int8_t* w = p.filter + oc * filter_stride;
          int64_t acc = 0;
          for (int fy = 0; fy < g.filter_h; ++fy) {
            const int y = y0 + fy * g.dilation_h;
            if (y < 0 || y >= g.in_h) continue;  // padding: the term is omitted
            for (int fx = 0; fx < g.filter_w; ++fx) {
              const int x = x0 + fx * g.dilation_w;
              if (x < 0 || x >= g.in_w) continue;
              const int16_t* px = image + (int64_t{y} * g.in_w + x) * g.in_c;
              const int8_t* wk = w + (int64_t{fy} * g.filter_w + fx) * g.in_c;
              for (int ic = 0; ic < g.in_c; ++ic) acc += int32_t{wk[ic]} * px[ic];
            }
          }
          *out++ = RequantizeS16(p, oc, acc);
        }
      }
    }
  }
}

void DepthwiseConvS16(const ConvS16Params& p, int depth_multiplier, const int16_t* in,
                      int16_t* out) {
  const ConvGeometry& g = p.g;
  for (int b = 0; b < g.batch; ++b) {
    const int16_t* image = in + int64_t{b} * g.in_h * g.in_w * g.in_c;
    for (int oy = 0; oy < g.out_h; ++oy) {
      const int y0 = oy * g.stride_h - g.pad_top;
      for (int ox = 0; ox < g.out_w; ++ox) {
        const int x0 = ox * g.stride_w - g.pad_left;
        for (int oc = 0; oc < g.out_c; ++oc) {
          const int ic = oc / depth_multiplier;
          int64_t acc = 0;
          for (int fy = 0; fy < g.filter_h; ++fy) {
            const int y = y0 + fy * g.dilation_h;
            if (y < 0 || y >= g.in_h) continue;
            for (int fx = 0; fx < g.filter_w; ++fx) {
              const int x = x0 + fx * g.dilation_w;
              if (x < 0 || x >= g.in_w) continue;
              const int16_t v = image[(int64_t{y} * g.in_w + x) * g.in_c + ic];
              acc += int32_t{p.filter[(int64_t{fy} * g.filter_w + fx) * g.out_c + oc]} * v;
            }
          }
          *out++ = RequantizeS16(p, oc, acc);
        }
      }
    }
  }
}

void FullyConnectedS16(const FullyConnectedS16Params& p, int batches, const int16_t* in,
                       int16_t* out) {
  for (int b = 0; b < batches; ++b) {
    const int16_t* row = in + int64_t{b} * p.depth;
    for (int u = 0; u < p.units; ++u) {
      const int8_t* w = p.filter + int64_t{u} * p.depth;
      int64_t acc = 0;
      for (int d = 0; d < p.depth; ++d) acc += int32_t{w[d]} * row[d];
      out[int64_t{b} * p.units + u] = RequantizeFullyConnectedS16(p, u, acc);
    }
  }
}

}  // namespace pyrt
