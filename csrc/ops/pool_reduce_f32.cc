// Float32 MAX_POOL_2D / AVERAGE_POOL_2D (clipped windows, fused activation
// as a clamp) and MEAN / SUM over constant axes: TFLite's float kernels.
#include <cstring>
#include <limits>

#include "kernels/reference/elementwise_f32.h"
#include "ops/activation_range.h"
#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

class Pool2DF32 : public Op {
 public:
  explicit Pool2DF32(bool average) : average_(average) {}

  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    const PoolOptions& o = options<PoolOptions>();
    const Tensor& in = input(0);
    RequireType(in, DType::kFloat32, "input");
    RequireType(output(0), DType::kFloat32, "output");
    PYRT_ENSURE(in.rank() == 4, label(), ": input must be 4-D, got ", ShapeToString(in.shape));
    PYRT_ENSURE(o.stride_h > 0 && o.stride_w > 0 && o.filter_h > 0 && o.filter_w > 0, label(),
                ": strides and filter sizes must be > 0");
    for (int64_t v : {int64_t{in.dim(1)} + o.stride_h + o.filter_h,
                      int64_t{in.dim(2)} + o.stride_w + o.filter_w})
      PYRT_ENSURE(v < std::numeric_limits<int32_t>::max(), label(),
                  ": strides and filter sizes are too large");
    g_ = PoolGeometry{};
    g_.batch = in.dim(0);
    g_.in_h = in.dim(1);
    g_.in_w = in.dim(2);
    g_.channels = in.dim(3);
    g_.filter_h = o.filter_h;
    g_.filter_w = o.filter_w;
    g_.stride_h = o.stride_h;
    g_.stride_w = o.stride_w;
    const PaddedSize h = ComputePadding(o.padding, g_.in_h, o.filter_h, o.stride_h, 1);
    const PaddedSize w = ComputePadding(o.padding, g_.in_w, o.filter_w, o.stride_w, 1);
    PYRT_ENSURE(h.out >= 0 && w.out >= 0, label(), ": the window does not fit the input ",
                ShapeToString(in.shape));
    g_.out_h = h.out;
    g_.out_w = w.out;
    g_.pad_top = h.pad;
    g_.pad_left = w.pad;
    SetOutputShape(output(0), {g_.batch, g_.out_h, g_.out_w, g_.channels});
    FloatActivationRange(o.activation, &lo_, &hi_, label());
  }

  void Eval(const EvalContext&) override {
    const float* in = input(0).data_as<float>();
    float* out = output(0).data_as<float>();
    if (average_) {
      AveragePoolF32(g_, in, out, lo_, hi_);
    } else {
      F32VopsConfigFor(isa()).max_pool(g_, in, out, lo_, hi_);
    }
  }

 private:
  const bool average_;
  PoolGeometry g_{};
  float lo_ = 0.f, hi_ = 0.f;
};

class ReduceF32 : public Op {
 public:
  explicit ReduceF32(bool mean) : mean_(mean) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    const Tensor& axis = input(1);
    RequireType(in, DType::kFloat32, "input");
    RequireType(output(0), DType::kFloat32, "output");
    RequireType(axis, DType::kInt32, "axis");
    RequireValue(axis, label(), "axis");
    PYRT_ENSURE(axis.rank() <= 1, label(), ": axis must be a scalar or 1-D, got ",
                ShapeToString(axis.shape));
    const int rank = in.rank();
    std::vector<bool> reduced(rank, false);
    for (int64_t i = 0; rank > 0 && i < axis.num_elements(); ++i) {
      int32_t a;
      std::memcpy(&a, axis.data + 4 * i, 4);
      PYRT_ENSURE(a >= -rank && a < rank, label(), ": axis ", a, " is out of range for rank ",
                  rank);
      reduced[a < 0 ? a + rank : a] = true;
    }
    Shape shape;
    int64_t count = 1;
    for (int i = 0; i < rank; ++i) {
      if (reduced[i]) count *= in.dim(i);
      if (!reduced[i]) shape.push_back(in.dim(i));
      else if (options<ReducerOptions>().keep_dims) shape.push_back(1);
    }
    SetOutputShape(output(0), shape);
    plan_ = MakeReducePlan(in.shape, reduced);
    divisor_ = mean_ ? static_cast<float>(count) : 1.f;
  }

  void Eval(const EvalContext&) override {
    ReduceSumF32(plan_, divisor_, input(0).data_as<float>(), output(0).data_as<float>());
  }

 private:
  const bool mean_;
  ReducePlan plan_;
  float divisor_ = 1.f;
};

}  // namespace

std::unique_ptr<Op> MakeMaxPool2DF32() { return std::make_unique<Pool2DF32>(false); }
std::unique_ptr<Op> MakeAveragePool2DF32() { return std::make_unique<Pool2DF32>(true); }
std::unique_ptr<Op> MakeMeanF32() { return std::make_unique<ReduceF32>(true); }
std::unique_ptr<Op> MakeSumF32() { return std::make_unique<ReduceF32>(false); }

}  // namespace pyrt
