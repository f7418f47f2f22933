// CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED for 16x8 models: int16
// activations with zero point 0, int8 symmetric weights, int64 (or int32)
// bias. CONV_2D and DEPTHWISE_CONV_2D (multiplier 1) run the threaded
// kernels of kernels/conv_s16_kernel.h on every path but `reference`, which
// runs their twins, the reference kernels (kernels/reference/conv_s16.h).
#include <cstring>
#include <vector>

#include "kernels/conv_s16_kernel.h"
#include "kernels/reference/conv_s16.h"
#include "ops/activation_range.h"
#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

// Checks shared by the three ops: types, symmetric int16 activations,
// constant int8 filter with zero zero points, optional constant bias.
class S16x8Op : public Op {
 protected:
  void CheckTensors(const Tensor& in, const Tensor& filter, const Tensor* bias,
                    const Tensor& out, int bias_size) const {
    RequireType(in, DType::kInt16, "input");
    RequireType(filter, DType::kInt8, "filter");
    RequireType(out, DType::kInt16, "output");
    PYRT_ENSURE(filter.is_constant, label(), ": filter must be a constant tensor");
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    PYRT_ENSURE(in.zero_point() == 0 && out.zero_point() == 0, label(),
                ": int16 input and output need zero point 0, got ", in.zero_point(), " and ",
                out.zero_point());
    for (int64_t zp : filter.quant.zero_point)
      PYRT_ENSURE(zp == 0, label(), ": filter zero points must be 0 (symmetric), found ", zp);
    if (!bias) return;
    PYRT_ENSURE(bias->dtype == DType::kInt64 || bias->dtype == DType::kInt32, label(),
                ": bias tensor ", bias->index, " '", bias->name, "' has type ",
                DTypeName(bias->dtype), ", expected int64 or int32");
    PYRT_ENSURE(bias->is_constant && bias->num_elements() == bias_size, label(),
                ": bias must be a constant of ", bias_size, " elements");
  }

  // The bias widened to int64 (empty when absent).
  static std::vector<int64_t> ReadBias64(const Tensor* bias, int n) {
    std::vector<int64_t> out;
    if (!bias) return out;
    out.resize(n);
    for (int i = 0; i < n; ++i) {
      if (bias->dtype == DType::kInt64) {
        std::memcpy(&out[i], bias->data + i * sizeof(int64_t), sizeof(int64_t));
      } else {
        int32_t v;
        std::memcpy(&v, bias->data + i * sizeof(int32_t), sizeof(int32_t));
        out[i] = v;
      }
    }
    return out;
  }

  // Per-channel QuantizeMultiplier(s_in * s_w[c] / s_out); the int64
  // multiply of the reference needs shift <= 14.
  void ChannelRequant(const Tensor& in, const Tensor& filter, const Tensor& out, int out_c,
                      int quantized_dimension) {
    const QuantParams& fq = filter.quant;
    PYRT_ENSURE(fq.scale.size() == 1 ||
                    (fq.quantized_dimension == quantized_dimension &&
                     static_cast<int>(fq.scale.size()) == out_c),
                label(), ": filter needs 1 or ", out_c, " scales along dimension ",
                quantized_dimension, ", found ", fq.scale.size());
    multiplier_.clear();
    shift_.clear();
    for (const auto& m : PerChannelMultipliers(in.scale(), fq.scale, out.scale(), out_c, label())) {
      PYRT_ENSURE(m.shift <= 14, label(), ": requantization scale too large (shift ", m.shift,
                  ", at most 14)");
      multiplier_.push_back(m.multiplier);
      shift_.push_back(m.shift);
    }
  }

  void FillConvParams(const ConvGeometry& g, const Tensor& filter, Activation act) {
    params_.g = g;
    params_.filter = filter.data_as<int8_t>();
    params_.bias = bias_.empty() ? nullptr : bias_.data();
    params_.multiplier = multiplier_.data();
    params_.shift = shift_.data();
    const ActivationRange r = QuantizedActivationRange(act, output(0), label());
    params_.act_min = r.min;
    params_.act_max = r.max;
  }

  std::vector<int64_t> bias_;
  std::vector<int32_t> multiplier_, shift_;
  ConvS16Params params_;
};

class Conv2DS16 : public S16x8Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 3);
    RequireOutputCount(1);
    const ConvOptions& o = options<ConvOptions>();
    Tensor& in = input(0);
    Tensor& filter = input(1);
    Tensor& out = output(0);
    RequireConvShapes(in, filter, label());
    CheckTensors(in, filter, optional_input(2), out, filter.dim(0));
    ConvGeometry g = WindowGeometry(o, in.shape, filter.dim(1), filter.dim(2), label());
    g.out_c = filter.dim(0);
    PYRT_ENSURE(filter.dim(3) == g.in_c, label(), ": filter depth ", filter.dim(3),
                " differs from input depth ", g.in_c, " (grouped convolution is not supported)");
    SetOutputShape(out, {g.batch, g.out_h, g.out_w, g.out_c});
    bias_ = ReadBias64(optional_input(2), g.out_c);
    ChannelRequant(in, filter, out, g.out_c, 0);
    FillConvParams(g, filter, o.activation);
    threaded_ = isa() != Isa::kReference;
    if (threaded_) kernel_.Init(isa(), params_);
  }

  void Eval(const EvalContext& ctx) override {
    if (threaded_) {
      kernel_.Run(input(0).data_as<int16_t>(), output(0).data_as<int16_t>(), ctx.pool);
    } else {
      ConvS16(params_, input(0).data_as<int16_t>(), output(0).data_as<int16_t>());
    }
  }

 private:
  bool threaded_ = false;
  ConvS16Kernel kernel_;
};

class DepthwiseConv2DS16 : public S16x8Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 3);
    RequireOutputCount(1);
    const ConvOptions& o = options<ConvOptions>();
    Tensor& in = input(0);
    Tensor& filter = input(1);
    Tensor& out = output(0);
    RequireDepthwiseShapes(in, filter, label());
    CheckTensors(in, filter, optional_input(2), out, filter.dim(3));
    ConvGeometry g = WindowGeometry(o, in.shape, filter.dim(1), filter.dim(2), label());
    g.out_c = filter.dim(3);
    PYRT_ENSURE(g.in_c > 0 && g.out_c % g.in_c == 0, label(), ": filter depth ", g.out_c,
                " is not a multiple of input depth ", g.in_c);
    depth_multiplier_ = g.out_c / g.in_c;
    SetOutputShape(out, {g.batch, g.out_h, g.out_w, g.out_c});
    bias_ = ReadBias64(optional_input(2), g.out_c);
    ChannelRequant(in, filter, out, g.out_c, 3);
    FillConvParams(g, filter, o.activation);
    threaded_ = isa() != Isa::kReference && DepthwiseS16Supported(g, depth_multiplier_);
    if (threaded_) kernel_.Init(isa(), params_);
  }

  void Eval(const EvalContext& ctx) override {
    if (threaded_) {
      kernel_.Run(input(0).data_as<int16_t>(), output(0).data_as<int16_t>(), ctx.pool);
    } else {
      DepthwiseConvS16(params_, depth_multiplier_, input(0).data_as<int16_t>(),
                       output(0).data_as<int16_t>());
    }
  }

 private:
  int depth_multiplier_ = 1;
  bool threaded_ = false;
  DepthwiseS16Kernel kernel_;
};

class FullyConnected16x8 : public S16x8Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 3);
    RequireOutputCount(1);
    const FullyConnectedOptions& o = options<FullyConnectedOptions>();
    Tensor& in = input(0);
    Tensor& filter = input(1);
    Tensor* bias = optional_input(2);
    Tensor& out = output(0);
    PYRT_ENSURE(o.weights_format == 0, label(), ": shuffled weights format is not supported");
    PYRT_ENSURE(filter.rank() == 2, label(), ": filter must be 2-D, got ",
                ShapeToString(filter.shape));
    const int units = filter.dim(0), depth = filter.dim(1);
    CheckTensors(in, filter, bias, out, units);
    const FullyConnectedShape fc =
        FullyConnectedOutputShape(in, depth, units, o.keep_num_dims, label());
    batches_ = fc.batches;
    SetOutputShape(out, fc.output);
    const QuantParams& fq = filter.quant;
    PYRT_ENSURE(fq.scale.size() == 1 || (fq.quantized_dimension == 0 &&
                                         static_cast<int>(fq.scale.size()) == units),
                label(), ": filter needs 1 or ", units, " scales, found ", fq.scale.size());
    scale_.resize(units);
    for (int u = 0; u < units; ++u) {
      const double s_w = fq.scale[fq.scale.size() > 1 ? u : 0];
      scale_[u] = static_cast<double>(in.scale()) * s_w / static_cast<double>(out.scale());
    }
    bias_ = ReadBias64(bias, units);
    const ActivationRange r = QuantizedActivationRange(o.activation, out, label());
    fc_ = FullyConnectedS16Params{units, depth, filter.data_as<int8_t>(),
                                  bias_.empty() ? nullptr : bias_.data(),
                                  bias && bias->dtype == DType::kInt32, scale_.data(), r.min,
                                  r.max};
    kernel_.Init(fc_);
  }

  void Eval(const EvalContext& ctx) override {
    kernel_.Run(batches_, input(0).data_as<int16_t>(), output(0).data_as<int16_t>(), ctx.pool);
  }

 private:
  int batches_ = 0;
  std::vector<double> scale_;
  FullyConnectedS16Params fc_;
  FullyConnectedS16Kernel kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeConv2DS16() { return std::make_unique<Conv2DS16>(); }
std::unique_ptr<Op> MakeDepthwiseConv2DS16() { return std::make_unique<DepthwiseConv2DS16>(); }
std::unique_ptr<Op> MakeFullyConnectedS16() { return std::make_unique<FullyConnected16x8>(); }

}  // namespace pyrt
