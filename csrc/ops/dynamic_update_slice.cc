// DYNAMIC_UPDATE_SLICE: output = operand with `update` written at `start`
// (int32 or int64, one entry per dim, read at invoke), each start clamped to
// [0, operand dim - update dim] as the reference (dynamic_update_slice.cc).
// Any fixed-size element type; update and operand of one type.
#include <algorithm>
#include <array>
#include <cstring>

#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

constexpr int kMaxRank = 8;

class DynamicUpdateSlice : public Op {
 public:
  void Prepare() override {
    RequireInputCount(3, 3);
    RequireOutputCount(1);
    const Tensor& operand = input(0);
    const Tensor& update = input(1);
    const Tensor& start = input(2);
    RequireType(update, operand.dtype, "update");
    RequireType(output(0), operand.dtype, "output");
    PYRT_ENSURE(DTypeSize(operand.dtype) != 0, label(), ": type ", DTypeName(operand.dtype), " is not supported");
    PYRT_ENSURE(start.dtype == DType::kInt32 || start.dtype == DType::kInt64, label(),
                ": start indices must be int32 or int64, got ", DTypeName(start.dtype));
    PYRT_ENSURE(update.rank() == operand.rank() && start.rank() == 1 && start.dim(0) == operand.rank(), label(),
                ": operand ", ShapeToString(operand.shape), ", update ", ShapeToString(update.shape),
                " and start ", ShapeToString(start.shape), " do not match");
    PYRT_ENSURE(operand.rank() <= kMaxRank, label(), ": rank ", operand.rank(), " > ", kMaxRank);
    for (int d = 0; d < operand.rank(); ++d) {
      PYRT_ENSURE(update.dim(d) <= operand.dim(d), label(), ": update ", ShapeToString(update.shape),
                  " is larger than operand ", ShapeToString(operand.shape));
    }
    SetOutputShape(output(0), operand.shape);
  }

  void Eval(const EvalContext&) override {
    const Tensor& operand = input(0);
    const Tensor& update = input(1);
    const Tensor& start = input(2);
    Tensor& out = output(0);
    if (out.data != operand.data) std::memmove(out.data, operand.data, operand.bytes);
    const int rank = operand.rank();
    const size_t elem = DTypeSize(operand.dtype);
    if (update.num_elements() == 0) return;
    std::array<int64_t, kMaxRank> begin{}, stride{}, idx{};
    if (rank > 0) stride[rank - 1] = 1;
    for (int d = 0; d < rank; ++d) {
      const int64_t s = start.dtype == DType::kInt32 ? start.data_as<int32_t>()[d] : start.data_as<int64_t>()[d];
      begin[d] = std::min<int64_t>(std::max<int64_t>(s, 0), operand.dim(d) - update.dim(d));
    }
    for (int d = rank - 2; d >= 0; --d) stride[d] = stride[d + 1] * operand.dim(d + 1);
    // Rows along the last dim are contiguous in both tensors.
    const int64_t row = rank > 0 ? update.dim(rank - 1) : 1;
    const int64_t rows = update.num_elements() / row;
    const uint8_t* src = static_cast<const uint8_t*>(update.data);
    uint8_t* dst = static_cast<uint8_t*>(out.data);
    for (int64_t r = 0; r < rows; ++r) {
      int64_t at = 0;
      for (int d = 0; d < rank; ++d) at += (begin[d] + idx[d]) * stride[d];
      std::memcpy(dst + static_cast<size_t>(at) * elem, src + static_cast<size_t>(r * row) * elem,
                  static_cast<size_t>(row) * elem);
      for (int d = rank - 2; d >= 0; --d) {  // next row: odometer over the leading dims
        if (++idx[d] < update.dim(d)) break;
        idx[d] = 0;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Op> MakeDynamicUpdateSlice() { return std::make_unique<DynamicUpdateSlice>(); }

}  // namespace pyrt
