// PAD / PADV2: the input copied into the middle of the output, the border
// filled with the pad value. Any dtype (bytes are moved, never converted).
// Pad value: the constant_values input (PADV2) if given, else the output zero
// point for quantized integer types and 0 otherwise (TFLite's pad.cc).
#include <algorithm>
#include <cstring>
#include <limits>

#include "core/unit_ranges.h"
#include "kernels/reference/data_movement.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

// Below this many bytes per part a split costs more than it saves.
constexpr int64_t kMinPartBytes = 64 * 1024;

bool IsQuantizedInteger(DType t) {
  return t == DType::kInt8 || t == DType::kUInt8 || t == DType::kInt16;
}

class Pad : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 3);
    RequireOutputCount(1);
    Tensor& in = input(0);
    Tensor& paddings = input(1);
    Tensor& out = output(0);
    PYRT_ENSURE(in.dtype == out.dtype, label(), ": input type ", DTypeName(in.dtype),
                " differs from output type ", DTypeName(out.dtype));
    elem_size_ = CopyableElementSize(in, label(), "input");
    const int rank = in.rank();
    PYRT_ENSURE(rank <= kMaxCopyDims, label(), ": input rank ", rank, " exceeds ", kMaxCopyDims);
    PYRT_ENSURE(paddings.rank() == 2 && paddings.dim(0) == rank && paddings.dim(1) == 2, label(),
                ": paddings must have shape [", rank, ", 2], got ", ShapeToString(paddings.shape));
    const std::vector<int64_t> pads = ReadConstantIndices(paddings, label(), "paddings");
    Shape shape(rank);
    int64_t dst_offset = 0;
    for (int d = 0; d < rank; ++d) {
      const int64_t before = pads[2 * d], after = pads[2 * d + 1];
      PYRT_ENSURE(before >= 0 && after >= 0, label(), ": paddings of dimension ", d,
                  " must be non-negative, got [", before, ", ", after, "]");
      const int64_t size = in.dim(d) + before + after;
      PYRT_ENSURE(size <= std::numeric_limits<int32_t>::max(), label(), ": padded dimension ", d,
                  " is too large (", size, ")");
      shape[d] = static_cast<int32_t>(size);
    }
    SetOutputShape(out, shape);
    const std::vector<int64_t> in_strides = ByteStrides(in.shape, elem_size_);
    const std::vector<int64_t> out_strides = ByteStrides(out.shape, elem_size_);
    CopyPlan plan;
    plan.run_bytes = static_cast<int64_t>(elem_size_);
    for (int d = 0; d < rank; ++d) {
      AddCopyAxis(&plan, in.dim(d), in_strides[d], out_strides[d]);
      dst_offset += pads[2 * d] * out_strides[d];
    }
    plan_ = SimplifyCopyPlan(plan);
    dst_offset_ = dst_offset;
    needs_fill_ = out.num_elements() != in.num_elements();
    PreparePadValue(out);
  }

  // The fill, then the copy, each split across the pool's threads when
  // large (ResNet50's 114x114x64 int8 PAD: 30 us on one thread of two).
  void Eval(const EvalContext& ctx) override {
    Tensor& out = output(0);
    if (out.num_elements() == 0) return;
    if (needs_fill_) {
      const uint8_t* value = pad_tensor_ ? pad_tensor_->data : pad_value_;
      const int64_t min_elements = kMinPartBytes / static_cast<int64_t>(elem_size_);
      ParallelSlices(ctx.pool, out.num_elements(), min_elements, [&](int64_t b, int64_t e) {
        FillElements(out.data + b * elem_size_, e - b, value, elem_size_);
      });
    }
    // Parts of the plan's outermost axis.
    const uint8_t* src = input(0).data;
    uint8_t* dst = out.data + dst_offset_;
    const int64_t outer = plan_.rank > 0 ? plan_.count[0] : 1;
    const int64_t bytes = static_cast<int64_t>(input(0).bytes);
    const int threads = ctx.pool ? ctx.pool->num_threads() : 1;
    const int parts = static_cast<int>(
        std::max<int64_t>(1, std::min<int64_t>({outer, 4 * int64_t{threads}, bytes / kMinPartBytes})));
    if (threads == 1 || parts == 1) return BlockCopy(plan_, src, dst);
    ParallelUnits(ctx.pool, parts, [&](int p) {
      const int64_t c0 = outer * p / parts, c1 = outer * (p + 1) / parts;
      CopyPlan part = plan_;
      part.count[0] = c1 - c0;
      BlockCopy(part, src + c0 * plan_.src_stride[0], dst + c0 * plan_.dst_stride[0]);
    });
  }

 private:
  void PreparePadValue(const Tensor& out) {
    std::memset(pad_value_, 0, sizeof(pad_value_));
    pad_tensor_ = optional_input(2);
    if (pad_tensor_) {
      const Tensor& cv = *pad_tensor_;
      RequireType(cv, out.dtype, "constant_values");
      PYRT_ENSURE(cv.num_elements() == 1, label(), ": constant_values must hold one element, got ",
                  ShapeToString(cv.shape));
      if (IsQuantizedInteger(out.dtype)) RequireSameQuantization(cv, out, label(), "constant_values");
      return;  // read at Eval: the tensor need not be constant
    }
    if (!IsQuantizedInteger(out.dtype)) return;  // zero bytes
    const int32_t zp = out.zero_point();
    const ActivationRange r = DTypeRange(out.dtype);
    PYRT_ENSURE(zp >= r.min && zp <= r.max, label(), ": output zero point ", zp,
                " (the pad value) is outside the range of ", DTypeName(out.dtype));
    if (out.dtype == DType::kInt16) {
      const int16_t v = static_cast<int16_t>(zp);
      std::memcpy(pad_value_, &v, sizeof(v));
    } else {
      pad_value_[0] = static_cast<uint8_t>(zp);  // int8 or uint8 bit pattern
    }
  }

  size_t elem_size_ = 1;
  CopyPlan plan_;
  int64_t dst_offset_ = 0;
  bool needs_fill_ = false;
  const Tensor* pad_tensor_ = nullptr;
  uint8_t pad_value_[16] = {};
};

}  // namespace

std::unique_ptr<Op> MakePad() { return std::make_unique<Pad>(); }

}  // namespace pyrt
