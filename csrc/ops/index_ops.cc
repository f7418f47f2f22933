// GATHER_ND (params of any fixed-size type; int16/int32/int64 indices),
// SCATTER_ND (float32, uint8, int8, int32, int64, bool updates, int32
// indices and shape; the output
// shape is the value of its shape input),
// TOPK_V2 (float32, uint8, int8, int16, int32, int64; k an int32 scalar)
// and WHERE (bool, float32, uint8, int8, int32, int64 condition -> int64
// coordinates). TOPK_V2's k and WHERE's condition set the output shape by
// their values: constant, or known at invoke (RequireValue).
#include <cstring>

#include "kernels/reference/index_ops.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class GatherNdOp : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& params = input(0);
    const Tensor& idx = input(1);
    elem_ = CopyableSameTypeElementSize(params, output(0), label());
    PYRT_ENSURE(idx.dtype == DType::kInt16 || idx.dtype == DType::kInt32 ||
                    idx.dtype == DType::kInt64,
                label(), ": indices must be int16, int32 or int64, got ", DTypeName(idx.dtype));
    PYRT_ENSURE(params.rank() >= 1 && idx.rank() >= 1, label(),
                ": params and indices must have rank >= 1");
    nd_ = idx.dim(idx.rank() - 1);
    PYRT_ENSURE(nd_ <= params.rank(), label(), ": index depth ", nd_, " exceeds params rank ",
                params.rank());
    Shape shape(idx.shape.begin(), idx.shape.end() - 1);
    slice_ = 1;
    for (int d = nd_; d < params.rank(); ++d) shape.push_back(params.dim(d)), slice_ *= params.dim(d);
    dims_.assign(nd_, 0);
    strides_.assign(nd_, 0);
    for (int j = nd_ - 1, s = 0; j >= 0; --j) {
      dims_[j] = params.dim(j);
      strides_[j] = j == nd_ - 1 ? slice_ : strides_[j + 1] * params.dim(j + 1);
      (void)s;
    }
    count_ = nd_ == 0 ? 0 : idx.num_elements() / nd_;
    PYRT_ENSURE(nd_ > 0 || idx.num_elements() == 0, label(), ": index depth 0");
    SetOutputShape(output(0), shape);
  }

  void Eval(const EvalContext&) override {
    const Tensor& idx = input(1);
    const uint8_t* params = input(0).data;
    uint8_t* out = output(0).data;
    switch (idx.dtype) {
      case DType::kInt16: return GatherNd(params, dims_.data(), strides_.data(), nd_,
                                          idx.data_as<int16_t>(), count_, elem_, slice_, out);
      case DType::kInt32: return GatherNd(params, dims_.data(), strides_.data(), nd_,
                                          idx.data_as<int32_t>(), count_, elem_, slice_, out);
      default: return GatherNd(params, dims_.data(), strides_.data(), nd_, idx.data_as<int64_t>(),
                               count_, elem_, slice_, out);
    }
  }

 private:
  size_t elem_ = 1;
  int nd_ = 0;
  int64_t slice_ = 1, count_ = 0;
  std::vector<int64_t> dims_, strides_;
};

// SCATTER_ND(indices, updates, shape): the output shape is `shape`'s value.
class ScatterNdOp : public Op {
 public:
  void Prepare() override {
    RequireInputCount(3, 3);
    RequireOutputCount(1);
    const Tensor& idx = input(0);
    const Tensor& upd = input(1);
    const DType t = upd.dtype;
    PYRT_ENSURE(t == DType::kFloat32 || t == DType::kUInt8 || t == DType::kInt8 ||
                    t == DType::kInt32 || t == DType::kInt64 || t == DType::kBool,
                label(), ": unsupported updates type ", DTypeName(t));
    RequireType(output(0), t, "output");
    RequireType(idx, DType::kInt32, "indices (the reference takes int32 only)");
    PYRT_ENSURE(input(2).rank() == 1, label(), ": shape must be 1-D");
    RequireType(input(2), idx.dtype, "shape (the type of indices, as the reference requires)");
    const std::vector<int64_t> values = ReadConstantIndices(input(2), label(), "shape");
    Shape shape;
    for (int64_t v : values) {
      PYRT_ENSURE(v >= 0 && v <= kMaxTensorElements, label(), ": invalid shape value ", v);
      shape.push_back(static_cast<int32_t>(v));
    }
    PYRT_ENSURE(idx.rank() >= 1, label(), ": indices must have rank >= 1");
    nd_ = idx.dim(idx.rank() - 1);
    PYRT_ENSURE(nd_ >= 1 && nd_ <= static_cast<int>(shape.size()), label(), ": index depth ",
                nd_, " must be in [1, ", shape.size(), "]");
    Shape want(idx.shape.begin(), idx.shape.end() - 1);
    slice_ = 1;
    for (size_t d = nd_; d < shape.size(); ++d) want.push_back(shape[d]), slice_ *= shape[d];
    PYRT_ENSURE(upd.shape == want, label(), ": updates shape ", ShapeToString(upd.shape),
                " must be ", ShapeToString(want));
    dims_.assign(nd_, 0);
    strides_.assign(nd_, 0);
    for (int j = nd_ - 1; j >= 0; --j) {
      dims_[j] = shape[j];
      strides_[j] = j == nd_ - 1 ? slice_ : strides_[j + 1] * shape[j + 1];
    }
    count_ = idx.num_elements() / nd_;
    SetOutputShape(output(0), shape);
  }

  void Eval(const EvalContext&) override {
    switch (input(1).dtype) {
      case DType::kFloat32: return Run<float>();
      case DType::kUInt8: return Run<uint8_t>();
      case DType::kInt8: return Run<int8_t>();
      case DType::kInt32: return Run<int32_t>();
      case DType::kInt64: return Run<int64_t>();
      default: return Run<bool>();
    }
  }

 private:
  template <typename T> void Run() {
    const int64_t n = output(0).num_elements();
    T* out = output(0).data_as<T>();
    const T* upd = input(1).data_as<T>();
    ScatterNd(input(0).data_as<int32_t>(), upd, dims_.data(), strides_.data(), nd_, count_, slice_,
              n, out);
  }

  int nd_ = 0;
  int64_t slice_ = 1, count_ = 0;
  std::vector<int64_t> dims_, strides_;
};

class TopKOp : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(2);
    const Tensor& in = input(0);
    const Tensor& k = input(1);
    const DType t = in.dtype;
    PYRT_ENSURE(t == DType::kFloat32 || t == DType::kUInt8 || t == DType::kInt8 ||
                    t == DType::kInt16 || t == DType::kInt32 || t == DType::kInt64,
                label(), ": unsupported input type ", DTypeName(t));
    RequireType(output(0), t, "values");
    RequireType(output(1), DType::kInt32, "indices");
    RequireType(k, DType::kInt32, "k");
    PYRT_ENSURE(k.num_elements() == 1, label(), ": k must hold one value, got shape ",
                ShapeToString(k.shape));
    PYRT_ENSURE(in.rank() >= 1, label(), ": input must have rank >= 1");
    RequireValue(k, label(), "k");
    std::memcpy(&k_, k.data, 4);
    depth_ = in.dim(in.rank() - 1);
    PYRT_ENSURE(k_ >= 0 && k_ <= depth_, label(), ": k ", k_, " is outside [0, ", depth_, "]");
    Shape shape = in.shape;
    shape.back() = k_;
    SetOutputShape(output(0), shape);
    SetOutputShape(output(1), shape);
    rows_ = depth_ == 0 ? 0 : in.num_elements() / depth_;
    scratch_bytes_ = sizeof(int32_t) * static_cast<size_t>(depth_);
  }

  void Eval(const EvalContext& ctx) override {
    switch (input(0).dtype) {
      case DType::kFloat32: return Run<float>(ctx);
      case DType::kUInt8: return Run<uint8_t>(ctx);
      case DType::kInt8: return Run<int8_t>(ctx);
      case DType::kInt16: return Run<int16_t>(ctx);
      case DType::kInt32: return Run<int32_t>(ctx);
      default: return Run<int64_t>(ctx);
    }
  }

 private:
  template <typename T> void Run(const EvalContext& ctx) {
    if (k_ == 0 || rows_ == 0) return;
    TopK(input(0).data_as<T>(), rows_, depth_, k_, output(0).data_as<T>(),
         output(1).data_as<int32_t>(), reinterpret_cast<int32_t*>(ctx.scratch));
  }

  int32_t k_ = 0, depth_ = 0;
  int64_t rows_ = 0;
};

class WhereOp : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    const Tensor& c = input(0);
    const DType t = c.dtype;
    PYRT_ENSURE(t == DType::kBool || t == DType::kFloat32 || t == DType::kUInt8 ||
                    t == DType::kInt8 || t == DType::kInt32 || t == DType::kInt64,
                label(), ": unsupported condition type ", DTypeName(t));
    RequireType(output(0), DType::kInt64, "output");
    PYRT_ENSURE(c.rank() <= 16, label(), ": rank ", c.rank(), " exceeds 16");
    RequireValue(c, label(), "condition");  // the output size is its number of true elements
    int64_t count = 0;
    const size_t elem = DTypeSize(t);
    for (int64_t e = 0; e < c.num_elements(); ++e) {
      bool nonzero = false;
      for (size_t b = 0; b < elem; ++b) nonzero = nonzero || c.data[e * elem + b] != 0;
      if (t == DType::kFloat32) {
        float v;
        std::memcpy(&v, c.data + 4 * e, 4);
        nonzero = v != 0.f;  // -0.0 is false
      }
      count += nonzero;
    }
    SetOutputShape(output(0), {static_cast<int32_t>(count), c.rank()});
  }

  void Eval(const EvalContext&) override {
    const Tensor& c = input(0);
    int64_t* out = output(0).data_as<int64_t>();
    const int32_t* dims = c.shape.data();
    const int rank = c.rank();
    const int64_t n = c.num_elements();
    switch (c.dtype) {
      case DType::kBool: return WhereCoordinates(c.data_as<bool>(), dims, rank, n, out);
      case DType::kFloat32: return WhereCoordinates(c.data_as<float>(), dims, rank, n, out);
      case DType::kUInt8: return WhereCoordinates(c.data_as<uint8_t>(), dims, rank, n, out);
      case DType::kInt8: return WhereCoordinates(c.data_as<int8_t>(), dims, rank, n, out);
      case DType::kInt32: return WhereCoordinates(c.data_as<int32_t>(), dims, rank, n, out);
      default: return WhereCoordinates(c.data_as<int64_t>(), dims, rank, n, out);
    }
  }
};

}  // namespace

std::unique_ptr<Op> MakeGatherNd() { return std::make_unique<GatherNdOp>(); }
std::unique_ptr<Op> MakeScatterNd() { return std::make_unique<ScatterNdOp>(); }
std::unique_ptr<Op> MakeTopKV2() { return std::make_unique<TopKOp>(); }
std::unique_ptr<Op> MakeWhere() { return std::make_unique<WhereOp>(); }

}  // namespace pyrt
