// REDUCE_MAX and REDUCE_MIN: TFLite's reference ReduceGeneric on raw values
// of int8/uint8/int16/int32/int64/float32/bool tensors. Quantized 8/16-bit
// tensors must share scale and zero point between input and output (TFLite
// checks this at Eval; the values are not requantized). Axes: constant int32,
// negative wrap once, repeats count once, keep_dims keeps reduced dims as 1.
#include "kernels/reference/reduce_minmax.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class ReduceMinMaxOp : public Op {
 public:
  explicit ReduceMinMaxOp(bool is_max) : is_max_(is_max) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    Tensor& out = output(0);
    RequireSameType(in, out, label());
    switch (in.dtype) {
      case DType::kInt8: case DType::kUInt8: case DType::kInt16:
        RequireSameQuantization(in, out, label(), "input");
        break;
      case DType::kInt32: case DType::kInt64: case DType::kFloat32: case DType::kBool:
        break;
      default:
        PYRT_ENSURE(false, label(), ": unsupported input type ", DTypeName(in.dtype));
    }
    const Tensor& axis = input(1);
    RequireType(axis, DType::kInt32, "axis");
    PYRT_ENSURE(axis.rank() <= 1, label(), ": axis must be a scalar or 1-D, got ",
                ShapeToString(axis.shape));
    std::vector<bool> reduced(in.rank(), false);
    // TFLite ignores the axes of a scalar.
    if (in.rank() > 0) {
      for (int64_t a : ReadConstantIndices(axis, label(), "axis"))
        reduced[WrapAxis(a, in.rank(), label(), "axis")] = true;
    }
    const bool keep_dims = options<ReducerOptions>().keep_dims;
    Shape shape;
    for (int i = 0; i < in.rank(); ++i) {
      if (!reduced[i]) {
        shape.push_back(in.dim(i));
      } else if (keep_dims) {
        shape.push_back(1);
      }
    }
    SetOutputShape(out, shape);
    plan_ = MakeReducePlan(in.shape, reduced);
  }

  void Eval(const EvalContext&) override {
    const Tensor& in = input(0);
    Tensor& out = output(0);
    switch (in.dtype) {
      case DType::kInt8: Run<int8_t>(in, out); break;
      case DType::kUInt8: Run<uint8_t>(in, out); break;
      case DType::kInt16: Run<int16_t>(in, out); break;
      case DType::kInt32: Run<int32_t>(in, out); break;
      case DType::kInt64: Run<int64_t>(in, out); break;
      case DType::kFloat32: Run<float>(in, out); break;
      default: Run<bool>(in, out); break;
    }
  }

 private:
  template <typename T>
  void Run(const Tensor& in, Tensor& out) const {
    ReduceMinMax(plan_, is_max_, in.data_as<T>(), out.data_as<T>());
  }

  bool is_max_;
  ReducePlan plan_;
};

}  // namespace

std::unique_ptr<Op> MakeReduceMax() { return std::make_unique<ReduceMinMaxOp>(true); }
std::unique_ptr<Op> MakeReduceMin() { return std::make_unique<ReduceMinMaxOp>(false); }

}  // namespace pyrt
