// STRIDED_SLICE, any dense dtype, with TFLite's exact index semantics
// (kernels/strided_slice.cc + reference/strided_slice.h): ellipsis and
// new-axis masks are first expanded into an "effective" input of size-1 axes,
// then each axis gets a clamped start/stop (StartForAxis / EndForAxis), shrunk
// axes keep one element and are dropped from the output shape. begin/end/
// strides must be constant int32 vectors. The copy is a strided block copy
// whose contiguous innermost run is one memcpy.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "kernels/reference/data_movement.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

constexpr int kMaxIndices = 31;  // TFLite's limit on begin/end/strides length

bool Bit(uint32_t mask, int i) { return (mask >> i) & 1u; }

// One axis of the effective input, as TFLite's BuildStridedSliceParams sets it.
struct EffectiveAxis {
  int32_t dim = 1;
  int64_t begin = 0, end = 0;
  int32_t stride = 1;
  bool begin_mask = false, end_mask = false, shrink = false;
};

int64_t Clamp(int64_t v, int64_t lo, int64_t hi) { return std::min(std::max(v, lo), hi); }

// StartForAxis.
int64_t AxisStart(const EffectiveAxis& a) {
  int64_t start = a.begin < 0 ? a.begin + a.dim : a.begin;
  start = a.stride > 0 ? Clamp(start, 0, a.dim) : Clamp(start, -1, a.dim - 1);
  if (a.begin_mask) start = a.stride > 0 ? 0 : a.dim - 1;
  return start;
}

// EndForAxis (`offset`: end is relative to the start).
int64_t AxisStop(const EffectiveAxis& a, int64_t start, bool offset) {
  if (a.shrink) return start >= a.dim ? start : start + 1;
  int64_t end = offset ? a.end + start : a.end;
  if (end < 0) end += a.dim;
  end = a.stride > 0 ? Clamp(end, 0, a.dim) : Clamp(end, -1, a.dim - 1);
  if (a.end_mask) end = a.stride > 0 ? a.dim : -1;
  return end;
}

// Iterations of `for (i = start; stride > 0 ? i < stop : i > stop; i += stride)`.
int64_t LoopCount(int64_t start, int64_t stop, int32_t stride) {
  if (stride > 0) return stop > start ? (stop - start + stride - 1) / stride : 0;
  const int64_t s = -int64_t{stride};
  return start > stop ? (start - stop + s - 1) / s : 0;
}

// The reference's output dimension: from start/stop, or with `offset` from the
// raw end value of the (effective) axis index.
int64_t ReferenceDim(int64_t span, int32_t stride) {
  if ((span < 0) != (stride < 0)) return 0;
  if (stride < 0) return (span + 1) / stride + 1;
  return span == 0 ? 0 : (span - 1) / stride + 1;
}

class StridedSlice : public Op {
 public:
  void Prepare() override {
    RequireInputCount(4, 4);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    Tensor& out = output(0);
    PYRT_ENSURE(in.dtype == out.dtype, label(), ": input type ", DTypeName(in.dtype),
                " differs from output type ", DTypeName(out.dtype));
    elem_size_ = CopyableElementSize(in, label(), "input");
    begin_ = ReadIndexVector(1, "begin");
    end_ = ReadIndexVector(2, "end");
    strides_ = ReadIndexVector(3, "strides");
    PYRT_ENSURE(begin_.size() == end_.size() && begin_.size() == strides_.size(), label(),
                ": begin, end and strides have ", begin_.size(), ", ", end_.size(), " and ",
                strides_.size(), " elements; they must be equal");
    PYRT_ENSURE(begin_.size() <= kMaxIndices, label(), ": at most ", kMaxIndices,
                " indices are supported, got ", begin_.size());
    const std::vector<EffectiveAxis> axes = EffectiveAxes();
    PlanCopy(axes);
  }

  void Eval(const EvalContext&) override {
    if (empty_) return;
    BlockCopy(plan_, input(0).data + src_offset_, output(0).data);
  }

 private:
  std::vector<int64_t> ReadIndexVector(int i, const char* role) const {
    const Tensor& t = input(i);
    RequireType(t, DType::kInt32, role);
    PYRT_ENSURE(t.rank() == 1, label(), ": ", role, " must be 1-D, got ",
                ShapeToString(t.shape));
    return ReadConstantIndices(t, label(), role);
  }

  std::vector<EffectiveAxis> EffectiveAxes() const;
  void PlanCopy(const std::vector<EffectiveAxis>& axes);

  size_t elem_size_ = 1;
  std::vector<int64_t> begin_, end_, strides_;
  CopyPlan plan_;
  int64_t src_offset_ = 0;
  bool empty_ = false;
};

// Mirrors TFLite's BuildStridedSliceParams: expands the ellipsis (bit i of
// ellipsis_mask covers as many input axes as begin leaves unspecified) and the
// new axes, and marks axes beyond the given indices as full (begin/end mask).
std::vector<EffectiveAxis> StridedSlice::EffectiveAxes() const {
  const StridedSliceOptions& o = options<StridedSliceOptions>();
  const uint32_t ellipsis = static_cast<uint32_t>(o.ellipsis_mask);
  const uint32_t new_axis = static_cast<uint32_t>(o.new_axis_mask);
  const int n = static_cast<int>(begin_.size());
  const int in_dims = input(0).rank();
  int num_add_axis = 0;
  for (int i = 0; i < n; ++i) num_add_axis += !Bit(ellipsis, i) && Bit(new_axis, i);
  const int eff = in_dims + num_add_axis;
  PYRT_ENSURE(eff <= kMaxCopyDims, label(), ": sliced rank ", eff, " exceeds ", kMaxCopyDims);
  uint32_t eff_ellipsis = 0, eff_new_axis = 0;
  int ellipsis_start = eff, expanded = 0;
  for (int i = 0; i < eff;) {
    if (Bit(ellipsis, i)) {
      ellipsis_start = i;
      const int stop = std::max(i + 1, std::min(i + 1 + num_add_axis + in_dims - n, eff));
      expanded = stop - ellipsis_start - 1;
      for (; i < stop; ++i) eff_ellipsis |= 1u << i;
      continue;
    }
    if (Bit(new_axis, i - expanded)) eff_new_axis |= 1u << i;
    ++i;
  }
  std::vector<EffectiveAxis> axes(eff);
  int added_ellipsis = 0, added_axes = 0;
  for (int i = 0; i < eff; ++i) {
    EffectiveAxis& a = axes[i];
    if (Bit(eff_new_axis, i) && !Bit(eff_ellipsis, i)) {
      a.end = 1;  // a new size-1 axis, sliced [0, 1)
      ++added_axes;
      continue;
    }
    const int in_axis = i - added_axes;
    PYRT_ENSURE(in_axis >= 0 && in_axis < in_dims, label(), ": masks and indices do not match "
                "the input rank ", in_dims);
    a.dim = input(0).dim(in_axis);
    if (Bit(eff_ellipsis, i)) added_ellipsis = std::max(0, i - ellipsis_start);
    if (Bit(eff_ellipsis, i) || i >= n + expanded) {
      a.begin_mask = a.end_mask = true;  // full extent
      continue;
    }
    const int k = i - added_ellipsis;
    PYRT_ENSURE(k >= 0 && k < n, label(), ": masks and indices do not match the input rank");
    a.begin = begin_[k];
    a.end = end_[k];
    PYRT_ENSURE(strides_[k] != 0 && strides_[k] != std::numeric_limits<int32_t>::min(), label(),
                ": stride ", strides_[k], " at index ", k, " is not supported");
    a.stride = static_cast<int32_t>(strides_[k]);
    a.begin_mask = Bit(static_cast<uint32_t>(o.begin_mask), k);
    a.end_mask = Bit(static_cast<uint32_t>(o.end_mask), k);
    a.shrink = Bit(static_cast<uint32_t>(o.shrink_axis_mask), k);
  }
  return axes;
}

// Output shape as the reference computes it, then a check that its loops
// visit exactly that many elements (else it would leave output unwritten).
void StridedSlice::PlanCopy(const std::vector<EffectiveAxis>& axes) {
  const bool offset = options<StridedSliceOptions>().offset;
  Shape eff_shape, out_shape;
  for (const EffectiveAxis& a : axes) eff_shape.push_back(a.dim);
  const std::vector<int64_t> in_strides = ByteStrides(eff_shape, elem_size_);
  std::vector<int64_t> counts;
  int64_t src_offset = 0;
  for (size_t i = 0; i < axes.size(); ++i) {
    const EffectiveAxis& a = axes[i];
    const int64_t start = AxisStart(a);
    const int64_t count = LoopCount(start, AxisStop(a, start, offset), a.stride);
    if (a.shrink) {
      PYRT_ENSURE(count == 1, label(), ": shrunk axis ", i, " needs an index inside [0, ", a.dim,
                  ") and a positive stride, got begin ", a.begin, " stride ", a.stride);
    } else {
      PYRT_ENSURE(!offset || i < end_.size(), label(), ": offset slicing needs an end value "
                  "for every axis");
      const int64_t dim = offset ? ReferenceDim(end_[i], a.stride) : count;
      PYRT_ENSURE(dim == count, label(), ": offset slice of axis ", i, " has ", dim,
                  " elements but reads ", count, " (clamped at the input bounds)");
      out_shape.push_back(static_cast<int32_t>(count));
    }
    counts.push_back(count);
    if (count > 0) src_offset += start * in_strides[i];
  }
  SetOutputShape(output(0), out_shape);
  const std::vector<int64_t> out_strides =
      ByteStrides(Shape(counts.begin(), counts.end()), elem_size_);
  CopyPlan plan;
  plan.run_bytes = static_cast<int64_t>(elem_size_);
  for (size_t i = 0; i < axes.size(); ++i)
    AddCopyAxis(&plan, counts[i], in_strides[i] * axes[i].stride, out_strides[i]);
  plan_ = SimplifyCopyPlan(plan);
  empty_ = output(0).num_elements() == 0;
  src_offset_ = empty_ ? 0 : src_offset;
}

}  // namespace

std::unique_ptr<Op> MakeStridedSlice() { return std::make_unique<StridedSlice>(); }

}  // namespace pyrt
