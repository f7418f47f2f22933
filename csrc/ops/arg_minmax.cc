// ARG_MAX and ARG_MIN: index of the largest / smallest value along a
// constant axis (int32 or int64, one element, negative wraps once), output
// int32 or int64 as the options say; the first index wins ties (TFLite's
// strict comparison). Raw values are compared, so quantization is irrelevant.
#include "kernels/reference/reduce_minmax.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class ArgMinMaxOp : public Op {
 public:
  explicit ArgMinMaxOp(bool is_max) : is_max_(is_max) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    Tensor& out = output(0);
    // The pinned reference kernel takes these input types only (it rejects
    // int16 and int64 inputs at Prepare).
    switch (in.dtype) {
      case DType::kInt8: case DType::kUInt8: case DType::kInt32: case DType::kFloat32:
      case DType::kBool:
        break;
      default:
        PYRT_ENSURE(false, label(), ": unsupported input type ", DTypeName(in.dtype),
                    " (float32, uint8, int8, int32 or bool, as the reference)");
    }
    const DType want = options<ArgMaxOptions>().output_type;
    PYRT_ENSURE(want == DType::kInt32 || want == DType::kInt64, label(), ": output_type ",
                DTypeName(want), " is not int32 or int64");
    RequireType(out, want, "output");
    const std::vector<int64_t> axis = ReadConstantIndices(input(1), label(), "axis");
    PYRT_ENSURE(axis.size() == 1, label(), ": axis must have one element, got ", axis.size());
    const int a = WrapAxis(axis[0], in.rank(), label(), "axis");
    PYRT_ENSURE(in.dim(a) > 0, label(), ": axis ", a, " of input ", ShapeToString(in.shape),
                " is empty");
    shape_ = ArgMinMaxShape{};
    shape_.axis_size = in.dim(a);
    Shape out_shape;
    for (int i = 0; i < in.rank(); ++i) {
      if (i == a) continue;
      out_shape.push_back(in.dim(i));
      (i < a ? shape_.outer : shape_.inner) *= in.dim(i);
    }
    SetOutputShape(out, out_shape);
  }

  void Eval(const EvalContext&) override {
    const Tensor& in = input(0);
    switch (in.dtype) {
      case DType::kInt8: Run<int8_t>(in); break;
      case DType::kUInt8: Run<uint8_t>(in); break;
      case DType::kInt32: Run<int32_t>(in); break;
      case DType::kFloat32: Run<float>(in); break;
      default: Run<bool>(in); break;
    }
  }

 private:
  template <typename T>
  void Run(const Tensor& in) {
    Tensor& out = output(0);
    if (out.dtype == DType::kInt32) {
      ArgMinMax(shape_, is_max_, in.data_as<T>(), out.data_as<int32_t>());
    } else {
      ArgMinMax(shape_, is_max_, in.data_as<T>(), out.data_as<int64_t>());
    }
  }

  bool is_max_;
  ArgMinMaxShape shape_;
};

}  // namespace

std::unique_ptr<Op> MakeArgMax() { return std::make_unique<ArgMinMaxOp>(true); }
std::unique_ptr<Op> MakeArgMin() { return std::make_unique<ArgMinMaxOp>(false); }

}  // namespace pyrt
