#include "ops/conv_common.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "kernels/weight_sums_s8.h"
#include "quant/multiplier.h"

namespace pyrt {

PaddedSize ComputePadding(Padding padding, int in, int filter, int stride, int dilation) {
  // int64 throughout: options come from the file (stride or dilation 2^31-1).
  const int64_t effective_filter = (int64_t{filter} - 1) * dilation + 1;
  const int64_t out = padding == Padding::kSame ? (int64_t{in} + stride - 1) / stride
                                                : (int64_t{in} + stride - effective_filter) / stride;
  // Kernels index input rows as out_y * stride - pad + f * dilation in int:
  // refuse geometries whose span could leave int32 (out = -1).
  const int64_t span = (out - 1) * stride + effective_filter;
  if (filter < 1 || effective_filter > kMaxConvSpan || span > kMaxConvSpan) return {-1, 0};
  const int64_t total = std::max<int64_t>(0, span - in);
  return {static_cast<int>(out), static_cast<int>(total / 2)};
}

ConvGeometry WindowGeometry(const ConvOptions& o, const Shape& input, int filter_h, int filter_w,
                            const std::string& label) {
  PYRT_ENSURE(o.stride_w > 0 && o.stride_h > 0 && o.dilation_w > 0 && o.dilation_h > 0, label,
              ": strides and dilations must be > 0");
  ConvGeometry g{};
  g.batch = input[0];
  g.in_h = input[1];
  g.in_w = input[2];
  g.in_c = input[3];
  g.filter_h = filter_h;
  g.filter_w = filter_w;
  g.stride_h = o.stride_h;
  g.stride_w = o.stride_w;
  g.dilation_h = o.dilation_h;
  g.dilation_w = o.dilation_w;
  // A fused PAD's rows and columns (interpreter/fusion.h) are padding the
  // kernels add themselves: taps outside the input read as the zero point.
  const PaddedSize h = ComputePadding(o.padding, g.in_h + o.fused_pad_top + o.fused_pad_bottom,
                                      filter_h, o.stride_h, o.dilation_h);
  const PaddedSize w = ComputePadding(o.padding, g.in_w + o.fused_pad_left + o.fused_pad_right,
                                      filter_w, o.stride_w, o.dilation_w);
  PYRT_ENSURE(h.out > 0 && w.out > 0, label, ": the filter does not fit the input ",
              ShapeToString(input));
  g.out_h = h.out;
  g.out_w = w.out;
  g.pad_top = h.pad + o.fused_pad_top;
  g.pad_left = w.pad + o.fused_pad_left;
  return g;
}

ChannelMultipliers ConvRequantization(const Tensor& input, const Tensor& filter, const Tensor* bias,
                                      const Tensor& output, int out_c, int quantized_dimension,
                                      const std::string& label) {
  const QuantParams& fq = filter.quant;
  PYRT_ENSURE(fq.scale.size() == 1 || (fq.per_channel() && fq.quantized_dimension == quantized_dimension &&
                                       static_cast<int>(fq.scale.size()) == out_c),
              label, ": filter needs 1 or ", out_c, " scales along dimension ", quantized_dimension,
              ", found ", fq.scale.size());
  if (bias) {
    PYRT_ENSURE(bias->dtype == DType::kInt32, label, ": bias tensor ", bias->index, " '", bias->name,
                "' has type ", DTypeName(bias->dtype), ", expected int32");
    PYRT_ENSURE(bias->is_constant && bias->num_elements() == out_c, label,
                ": bias must be a constant of ", out_c, " elements");
  }
  ChannelMultipliers out;
  for (const auto& m : PerChannelMultipliers(input.scale(), fq.scale, output.scale(), out_c, label)) {
    out.multiplier.push_back(m.multiplier);
    out.shift.push_back(m.shift);
  }
  return out;
}

std::vector<int32_t> ReadBias(const Tensor* bias, int n) {
  std::vector<int32_t> out(n, 0);
  // memcpy: constant buffers carry no alignment guarantee for int32.
  if (bias) std::memcpy(out.data(), bias->data, sizeof(int32_t) * n);
  return out;
}

bool IsChannelwiseGroupedConv(int filter_depth, int in_c, int out_c) {
  return filter_depth == 1 && in_c > 1 && out_c % in_c == 0;
}

void RequireConvShapes(const Tensor& input, const Tensor& filter, const std::string& label) {
  PYRT_ENSURE(input.rank() == 4 && filter.rank() == 4, label, ": input and filter must be 4-D, got ",
              ShapeToString(input.shape), " and ", ShapeToString(filter.shape));
}

void RequireDepthwiseShapes(const Tensor& input, const Tensor& filter, const std::string& label) {
  PYRT_ENSURE(input.rank() == 4 && filter.rank() == 4 && filter.dim(0) == 1, label,
              ": input must be 4-D and filter [1, h, w, c], got ", ShapeToString(input.shape),
              " and ", ShapeToString(filter.shape));
}

FullyConnectedShape FullyConnectedOutputShape(const Tensor& input, int depth, int units,
                                              bool keep_num_dims, const std::string& label) {
  PYRT_ENSURE(depth > 0 && input.num_elements() % depth == 0, label, ": input ",
              ShapeToString(input.shape), " does not split into rows of ", depth);
  const int batches = static_cast<int>(input.num_elements() / depth);
  if (!keep_num_dims) return {batches, {batches, units}};
  PYRT_ENSURE(input.rank() >= 1 && input.dim(input.rank() - 1) == depth, label,
              ": keep_num_dims needs the last input dimension to be ", depth);
  Shape shape = input.shape;
  shape.back() = units;
  return {batches, shape};
}

}  // namespace pyrt
