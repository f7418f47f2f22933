// GATHER(params, indices) with axis and batch_dims (both wrap once when
// negative: axis by the input rank, batch_dims by the indices rank), any
// dense dtype, int16/int32/int64 indices, no quantization check (TFLite has
// none). Constant indices are range-checked here; TFLite fails the invoke
// on a bad non-constant index, which Eval cannot do: such slabs are zeroed
// (see kernels/reference/gather.h).
#include <cstring>

#include "kernels/reference/gather.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class Gather : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    const Tensor& pos = input(1);
    const size_t elem = CopyableSameTypeElementSize(in, output(0), label());
    PYRT_ENSURE(pos.dtype == DType::kInt16 || pos.dtype == DType::kInt32 ||
                pos.dtype == DType::kInt64, label(), ": indices '", pos.name, "' have type ",
                DTypeName(pos.dtype), ", expected int16, int32 or int64");
    const GatherOptions& o = options<GatherOptions>();
    const int axis = WrapAxis(o.axis, in.rank(), label(), "axis");
    const int batch_dims = o.batch_dims < 0 ? o.batch_dims + pos.rank() : o.batch_dims;
    PYRT_ENSURE(batch_dims >= 0 && batch_dims <= axis && batch_dims <= pos.rank(), label(),
                ": batch_dims ", o.batch_dims, " must lie in [0, min(axis ", axis,
                ", indices rank ", pos.rank(), ")]");
    Shape shape(in.shape.begin(), in.shape.begin() + axis);
    p_ = GatherParams{};
    for (int i = 0; i < batch_dims; ++i) {
      PYRT_ENSURE(in.dim(i) == pos.dim(i), label(), ": batch dim ", i, " differs: input ",
                  ShapeToString(in.shape), ", indices ", ShapeToString(pos.shape));
      p_.batch *= in.dim(i);
    }
    for (int i = batch_dims; i < axis; ++i) p_.outer *= in.dim(i);
    for (int i = batch_dims; i < pos.rank(); ++i) {
      shape.push_back(pos.dim(i));
      p_.coords *= pos.dim(i);
    }
    p_.inner_bytes = static_cast<int64_t>(elem);
    for (int i = axis + 1; i < in.rank(); ++i) {
      shape.push_back(in.dim(i));
      p_.inner_bytes *= in.dim(i);
    }
    p_.axis_size = in.dim(axis);
    SetOutputShape(output(0), shape);
    if (pos.is_constant) CheckConstantIndices(pos);
  }

  void Eval(const EvalContext&) override {
    const Tensor& pos = input(1);
    const uint8_t* in = input(0).data;
    uint8_t* out = output(0).data;
    if (pos.dtype == DType::kInt16) {
      GatherBytes(p_, in, reinterpret_cast<const int16_t*>(pos.data), out);
    } else if (pos.dtype == DType::kInt32) {
      GatherBytes(p_, in, reinterpret_cast<const int32_t*>(pos.data), out);
    } else {
      GatherBytes(p_, in, reinterpret_cast<const int64_t*>(pos.data), out);
    }
  }

 private:
  void CheckConstantIndices(const Tensor& pos) const {
    const size_t size = DTypeSize(pos.dtype);
    for (int64_t i = 0; i < pos.num_elements(); ++i) {
      int64_t v = 0;
      if (size == 2) {
        int16_t x;
        std::memcpy(&x, pos.data + 2 * i, 2);
        v = x;
      } else if (size == 4) {
        int32_t x;
        std::memcpy(&x, pos.data + 4 * i, 4);
        v = x;
      } else {
        std::memcpy(&v, pos.data + 8 * i, 8);
      }
      PYRT_ENSURE(v >= 0 && v < p_.axis_size, label(), ": index ", v, " at position ", i,
                  " of constant indices '", pos.name, "' is outside [0, ", p_.axis_size, ")");
    }
  }

  GatherParams p_;
};

}  // namespace

std::unique_ptr<Op> MakeGather() { return std::make_unique<Gather>(); }

}  // namespace pyrt
