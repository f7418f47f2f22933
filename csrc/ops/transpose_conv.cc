// TRANSPOSE_CONV (inputs: output_shape, weights [O,H,W,I], input, optional
// bias). int8: TFLite's reference_integer_ops::TransposeConv, int32
// accumulation and per-channel MultiplyByQuantizedMultiplier (per-tensor
// weight scales are broadcast to every channel, the filter zero point is
// ignored like the reference does). float32: TFLite's float kernel.
// The output shape must be constant at Prepare (a model constant, or folded
// from the input's shape by SHAPE -> STRIDED_SLICE -> PACK).
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/transpose_conv_f32_kernel.h"
#include "kernels/transpose_conv_s8_kernel.h"
#include "kernels/reference/transpose_conv.h"
#include "ops/activation_range.h"
#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

constexpr int kOutputShape = 0, kWeights = 1, kInput = 2, kBias = 3;
// Deepest filter the convolution form takes (CONV_2D's limit).
constexpr int64_t kMaxConvFormDepth = int64_t{1} << 17;

// Shared validation and geometry of both versions.
class TransposeConvBase : public Op {
 protected:
  // Checks tensors of element type `t` and fills g_ (sets the output shape).
  void PrepareGeometry(DType t) {
    RequireInputCount(3, 4);
    RequireOutputCount(1);
    const ConvOptions& o = options<ConvOptions>();
    const Tensor& in = input(kInput);
    const Tensor& filter = input(kWeights);
    RequireType(in, t, "input");
    RequireType(filter, t, "weights");
    RequireType(output(0), t, "output");
    PYRT_ENSURE(in.rank() == 4 && filter.rank() == 4, label(), ": input and weights must be 4-D, got ",
                ShapeToString(in.shape), " and ", ShapeToString(filter.shape));
    PYRT_ENSURE(filter.is_constant, label(), ": weights must be a constant tensor");
    PYRT_ENSURE(o.stride_w > 0 && o.stride_h > 0, label(), ": strides must be > 0, got ",
                o.stride_h, "x", o.stride_w);
    const Shape out_shape = ReadOutputShape();
    g_ = ConvGeometry{};
    g_.batch = in.dim(0), g_.in_h = in.dim(1), g_.in_w = in.dim(2), g_.in_c = in.dim(3);
    g_.out_c = filter.dim(0), g_.filter_h = filter.dim(1), g_.filter_w = filter.dim(2);
    g_.out_h = out_shape[1], g_.out_w = out_shape[2];
    g_.stride_h = o.stride_h, g_.stride_w = o.stride_w;
    g_.dilation_h = g_.dilation_w = 1;
    PYRT_ENSURE(filter.dim(3) == g_.in_c, label(), ": weights depth ", filter.dim(3),
                " differs from input depth ", g_.in_c);
    PYRT_ENSURE(out_shape[0] == g_.batch && out_shape[3] == g_.out_c, label(), ": output_shape ",
                ShapeToString(out_shape), " must be [", g_.batch, ", h, w, ", g_.out_c, "]");
    // The reference pads as a forward convolution over the OUTPUT would.
    const PaddedSize h = ComputePadding(o.padding, g_.out_h, g_.filter_h, g_.stride_h, 1);
    const PaddedSize w = ComputePadding(o.padding, g_.out_w, g_.filter_w, g_.stride_w, 1);
    PYRT_ENSURE(h.out >= 0 && w.out >= 0 && g_.out_h < kMaxConvSpan && g_.out_w < kMaxConvSpan,
                label(), ": weights ", ShapeToString(filter.shape), " with output ",
                ShapeToString(out_shape), " are not supported (empty or too large)");
    // The pinned reference requires that this forward convolution maps the
    // output back onto the input size (Prepare fails otherwise).
    PYRT_ENSURE(h.out == g_.in_h && w.out == g_.in_w, label(), ": output_shape ",
                ShapeToString(out_shape), " does not match input ", ShapeToString(in.shape),
                " with these strides and padding (a convolution of the output would give ", h.out,
                "x", w.out, ")");
    g_.pad_top = h.pad;
    g_.pad_left = w.pad;
    SetOutputShape(output(0), out_shape);
  }

  // The optional bias, checked to hold out_c elements of type t.
  const Tensor* Bias(DType t) const {
    const Tensor* bias = optional_input(kBias);
    if (!bias) return nullptr;
    RequireType(*bias, t, "bias");
    PYRT_ENSURE(bias->is_constant && bias->num_elements() == g_.out_c, label(),
                ": bias must be a constant of ", g_.out_c, " elements, got ",
                ShapeToString(bias->shape));
    for (int64_t zp : bias->quant.zero_point)  // the reference fails Prepare otherwise
      PYRT_ENSURE(zp == 0, label(), ": bias zero point must be 0, found ", zp);
    return bias;
  }

  ConvGeometry g_{};

 private:
  Shape ReadOutputShape() const {
    const Tensor& s = input(kOutputShape);
    RequireType(s, DType::kInt32, "output_shape");
    RequireValue(s, label(), "output_shape");
    PYRT_ENSURE(s.rank() == 1 && s.num_elements() == 4, label(),
                ": output_shape must hold 4 values, got shape ", ShapeToString(s.shape));
    Shape shape(4);
    std::memcpy(shape.data(), s.data, sizeof(int32_t) * 4);  // constants may be unaligned
    for (int32_t d : shape)
      PYRT_ENSURE(d > 0, label(), ": output_shape ", ShapeToString(shape), " has a dimension < 1");
    return shape;
  }
};

class TransposeConvS8Op : public TransposeConvBase {
 public:
  void Prepare() override {
    PrepareGeometry(DType::kInt8);
    const Tensor& in = input(kInput);
    const Tensor& filter = input(kWeights);
    const Tensor& out = output(0);
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    const Tensor* bias = Bias(DType::kInt32);
    ChannelMultipliers m = ConvRequantization(in, filter, bias, out, g_.out_c, 0, label());
    const ActivationRange act =
        QuantizedActivationRange(options<ConvOptions>().activation, out, label());
    const int8_t* w = filter.data_as<int8_t>();
    // On the packed GEMM paths: the equivalent convolution (exact: the same
    // int32 sums, wrapping, and the same requantization).
    const int64_t K = int64_t{g_.filter_h} * g_.filter_w * g_.in_c;
    as_conv_ = K < kMaxConvFormDepth &&
               conv_.Init(isa(), g_, w, in.zero_point(), ReadBias(bias, g_.out_c), m.multiplier,
                          m.shift, out.zero_point(), act.min, act.max);
    if (as_conv_) {
      scratch_bytes_ = conv_.scratch_bytes();
      return;
    }
    rq_.Set(ReadBias(bias, g_.out_c), std::move(m.multiplier), std::move(m.shift),
            out.zero_point(), act.min, act.max);
    filter16_.assign(w, w + filter.num_elements());
    scratch_bytes_ = TransposeConvS8ScratchBytes(g_);
  }
  void Eval(const EvalContext& ctx) override {
    if (as_conv_) {
      conv_.Run(input(kInput).data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.scratch, ctx.pool);
      return;
    }
    TransposeConvS8(isa(), g_, input(kInput).data_as<int8_t>(), filter16_.data(),
                    input(kInput).zero_point(), rq_.get(), output(0).data_as<int8_t>(),
                    ctx.scratch, ctx.pool);
  }

 private:
  bool as_conv_ = false;
  TransposeConvS8Kernel conv_;
  OwnedChannelRequant rq_;  // the gathering kernel's
  std::vector<int16_t> filter16_;
};

class TransposeConvF32Op : public TransposeConvBase {
 public:
  void Prepare() override {
    PrepareGeometry(DType::kFloat32);
    // Copies: constant buffers carry no alignment guarantee for float.
    const Tensor& filter = input(kWeights);
    std::vector<float> weights(filter.num_elements());
    std::memcpy(weights.data(), filter.data, sizeof(float) * weights.size());
    const Tensor* bias = Bias(DType::kFloat32);
    std::vector<float> biases(g_.out_c, 0.f);
    if (bias) std::memcpy(biases.data(), bias->data, sizeof(float) * biases.size());
    FloatActivationRange(options<ConvOptions>().activation, &act_min_, &act_max_, label());
    // The gathering kernel is the reference path's spec; the others run
    // the equivalent convolution on their GEMMs.
    as_conv_ = isa() != Isa::kReference;
    if (as_conv_) {
      conv_.Init(isa(), g_, weights.data(), biases.data(), act_min_, act_max_);
      scratch_bytes_ = conv_.scratch_bytes();
      return;
    }
    filter_ = std::move(weights);
    bias_ = std::move(biases);
    scratch_bytes_ = TransposeConvF32ScratchBytes(g_);
  }
  void Eval(const EvalContext& ctx) override {
    if (as_conv_) {
      conv_.Run(input(kInput).data_as<float>(), output(0).data_as<float>(), ctx.scratch, ctx.pool);
      return;
    }
    TransposeConvF32(g_, input(kInput).data_as<float>(), filter_.data(), bias_.data(), act_min_,
                     act_max_, output(0).data_as<float>(), ctx.scratch, ctx.pool);
  }

 private:
  bool as_conv_ = false;
  TransposeConvF32Kernel conv_;
  std::vector<float> filter_, bias_;  // the gathering kernel's
  float act_min_ = 0.f, act_max_ = 0.f;
};

}  // namespace

std::unique_ptr<Op> MakeTransposeConv() { return std::make_unique<TransposeConvS8Op>(); }
std::unique_ptr<Op> MakeTransposeConvF32() { return std::make_unique<TransposeConvF32Op>(); }

}  // namespace pyrt
