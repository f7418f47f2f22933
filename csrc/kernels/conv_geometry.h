// Shape of a 2-D convolution (NHWC), shared by every convolution kernel.
// Plain data only: SIMD translation units include it too.
#pragma once

namespace pyrt {

struct ConvGeometry {
  int batch, in_h, in_w, in_c;
  int out_h, out_w, out_c;
  int filter_h, filter_w;
  int stride_h, stride_w;
  int dilation_h, dilation_w;
  int pad_top, pad_left;
};

}  // namespace pyrt
