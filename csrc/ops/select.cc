// SELECT and SELECT_V2: out = condition ? x : y, element by element, for
// x/y of bool, float32, uint8, int8, int16, int32, int64 (values copied, no
// requantization, as TFLite's select.cc). Same shapes run elementwise.
// SELECT otherwise takes a scalar condition or a 1-D condition over x's first
// dimension (RankOneSelect); SELECT_V2 broadcasts all three (numpy rules).
// When every tensor has one element the output keeps its stored shape.
#include "kernels/reference/elementwise_simple.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

// Element strides of `shape` padded on the left to `rank`, 0 along dims of
// size 1 that the output widens.
void BroadcastStrides(const Shape& shape, const Shape& out, int64_t* strides) {
  const int rank = static_cast<int>(out.size()), pad = rank - static_cast<int>(shape.size());
  int64_t stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    const int64_t dim = d < pad ? 1 : shape[d - pad];
    strides[d] = dim == 1 && out[d] != 1 ? 0 : stride;
    stride *= dim;
  }
}

class SelectOp : public Op {
 public:
  explicit SelectOp(bool v2) : v2_(v2) {}

  void Prepare() override {
    RequireInputCount(3, 3);
    RequireOutputCount(1);
    const Tensor& c = input(0);
    const Tensor& x = input(1);
    const Tensor& y = input(2);
    Tensor& out = output(0);
    RequireType(c, DType::kBool, "condition");
    const DType t = x.dtype;
    PYRT_ENSURE(t == DType::kBool || t == DType::kFloat32 || t == DType::kUInt8 ||
                    t == DType::kInt8 || t == DType::kInt16 || t == DType::kInt32 ||
                    t == DType::kInt64, label(), ": unsupported type ", DTypeName(t));
    RequireType(y, t, "y");
    RequireType(out, t, "output");
    elem_ = DTypeSize(t);
    Shape shape = OutputShape(c, x, y);
    PYRT_ENSURE(shape.size() <= kMaxBroadcastRank, label(), ": rank ", shape.size(),
                " exceeds ", kMaxBroadcastRank);
    plan_ = Select3Plan();
    plan_.rank = static_cast<int>(shape.size());
    plan_.total = NumElements(shape);
    for (int d = 0; d < plan_.rank; ++d) plan_.dims[d] = shape[d];
    BroadcastStrides(x.shape, shape, plan_.stride_x);
    BroadcastStrides(y.shape, shape, plan_.stride_y);
    if (low_rank_condition_) {  // strides over the first dim only (or none for a scalar)
      for (int d = 0; d < plan_.rank; ++d) plan_.stride_c[d] = 0;
      if (c.rank() == 1 && plan_.rank > 0 && shape[0] != 1) plan_.stride_c[0] = 1;
    } else {
      BroadcastStrides(c.shape, shape, plan_.stride_c);
    }
    if (plan_.rank == 0) plan_.rank = 1, plan_.dims[0] = 1;  // one element
    SetOutputShape(out, shape);
  }

  void Eval(const EvalContext&) override {
    SelectKernel(plan_, elem_, input(0).data_as<bool>(), input(1).data, input(2).data,
                 output(0).data);
  }

 private:
  Shape OutputShape(const Tensor& c, const Tensor& x, const Tensor& y) {
    low_rank_condition_ = false;
    if (c.num_elements() == 1 && x.num_elements() == 1 && y.num_elements() == 1 &&
        output(0).num_elements() == 1)
      return output(0).shape;
    if (c.shape == x.shape && x.shape == y.shape) return x.shape;
    if (!v2_) {
      PYRT_ENSURE(c.rank() == 0 || (c.rank() == 1 && x.rank() >= 1 && c.dim(0) == x.dim(0)),
                  label(), ": condition ", ShapeToString(c.shape), " must be a scalar, of x's "
                  "shape ", ShapeToString(x.shape), " or 1-D over its first dimension");
      PYRT_ENSURE(x.shape == y.shape, label(), ": x ", ShapeToString(x.shape), " and y ",
                  ShapeToString(y.shape), " must have one shape");
      low_rank_condition_ = true;
      return x.shape;
    }
    Shape xy, all;
    PYRT_ENSURE(BroadcastShape(x.shape, y.shape, &xy) && BroadcastShape(c.shape, xy, &all),
                label(), ": condition ", ShapeToString(c.shape), ", x ", ShapeToString(x.shape),
                " and y ", ShapeToString(y.shape), " do not broadcast");
    return all;
  }

  bool v2_;
  bool low_rank_condition_ = false;
  size_t elem_ = 1;
  Select3Plan plan_;
};

}  // namespace

std::unique_ptr<Op> MakeSelect() { return std::make_unique<SelectOp>(false); }
std::unique_ptr<Op> MakeSelectV2() { return std::make_unique<SelectOp>(true); }

}  // namespace pyrt
