// Shared Prepare helpers of the convolution-like ops.
#pragma once

#include <cstdint>
#include <vector>

#include <string>

#include "kernels/conv_geometry.h"
#include "model/op_options.h"
#include "core/tensor.h"

namespace pyrt {

struct PaddedSize {
  int out;  // output size along the dimension
  int pad;  // padding before the first element (the smaller half)
};

// Largest input extent a (dilated) window may span, so that every index a
// kernel computes stays far inside int32.
constexpr int64_t kMaxConvSpan = int64_t{1} << 30;

// TFLite's ComputeOutSize + ComputePaddingWithOffset for one dimension.
// out is <= 0 when a VALID window does not fit, and -1 when the window or
// the span of all windows exceeds kMaxConvSpan (callers reject both).
PaddedSize ComputePadding(Padding padding, int in, int filter, int stride, int dilation);

// Geometry of a window op over the NHWC `input`: strides, dilations, padding
// (a fused PAD's included) and output size from the options (all
// validated); the caller sets out_c.
// Throws ModelError prefixed with `label`.
ConvGeometry WindowGeometry(const ConvOptions& o, const Shape& input, int filter_h, int filter_w,
                            const std::string& label);

// Per-output-channel requantization of an int8 conv-like op:
// QuantizeMultiplier(s_in * s_w[c] / s_out) for each channel. Checks first
// that the filter has 1 or out_c scales along `quantized_dimension` and that
// the optional bias is a constant int32 vector of out_c elements.
struct ChannelMultipliers {
  std::vector<int32_t> multiplier;
  std::vector<int32_t> shift;
};
ChannelMultipliers ConvRequantization(const Tensor& input, const Tensor& filter, const Tensor* bias,
                                      const Tensor& output, int out_c, int quantized_dimension,
                                      const std::string& label);

// Reads an int32 bias (size n) or returns zeros when `bias` is null.
std::vector<int32_t> ReadBias(const Tensor* bias, int n);


// CONV_2D: NHWC input and [O, H, W, I] filter, both 4-D.
void RequireConvShapes(const Tensor& input, const Tensor& filter, const std::string& label);
// DEPTHWISE_CONV_2D: NHWC input and [1, H, W, C] filter.
void RequireDepthwiseShapes(const Tensor& input, const Tensor& filter, const std::string& label);

// FULLY_CONNECTED's rows and output shape: the input is read as rows of
// `depth` values; keep_num_dims keeps the input's leading dimensions (and
// needs its last one to be `depth`), otherwise the output is [rows, units].
struct FullyConnectedShape {
  int batches;
  Shape output;
};
FullyConnectedShape FullyConnectedOutputShape(const Tensor& input, int depth, int units,
                                              bool keep_num_dims, const std::string& label);

// A CONV_2D whose filter has depth 1 over an input of depth C > 1 is a
// grouped convolution with C groups (ConvNeXt's 7x7 "depthwise" Conv2D with
// groups=C): output channel o reads input channel o / (out_c / C), exactly as
// DEPTHWISE_CONV_2D with multiplier out_c / C does. True for such a filter.
bool IsChannelwiseGroupedConv(int filter_depth, int in_c, int out_c);

// The rows x cols matrix m transposed.
template <typename T>
std::vector<T> Transposed(const T* m, int rows, int cols) {
  std::vector<T> out(static_cast<size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      out[static_cast<size_t>(c) * rows + r] = m[static_cast<size_t>(r) * cols + c];
  return out;
}

// The CONV_2D filter [O, H, W, 1] in DEPTHWISE_CONV_2D layout [1, H, W, O].
template <typename T>
std::vector<T> ConvFilterToDepthwise(const T* filter, int out_c, int filter_h, int filter_w) {
  return Transposed(filter, out_c, filter_h * filter_w);
}

// The DEPTHWISE_CONV_2D filter [1, H, W, O] of a one-channel input in
// CONV_2D layout [O, H, W, 1].
template <typename T>
std::vector<T> DepthwiseFilterToConv(const T* filter, int out_c, int filter_h, int filter_w) {
  return Transposed(filter, filter_h * filter_w, out_c);
}

}  // namespace pyrt
