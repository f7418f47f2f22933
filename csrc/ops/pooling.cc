// MAX_POOL_2D and AVERAGE_POOL_2D on int8 / uint8 / int16 NHWC tensors (TFLite's
// pooling.cc with the reference kernels): SAME/VALID padding as for
// convolutions with dilation 1, fused activation clamps in the quantized
// domain, and no rescaling between input and output.
#include <limits>

#include "kernels/pool_s8/average_pool_s8.h"
#include "kernels/pool_s8/max_pool_s8.h"
#include "kernels/reference/pool_q.h"
#include "ops/activation_range.h"
#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

// Largest window whose int32 sum of 8-bit values cannot overflow.
constexpr int64_t kMaxWindowCells = int64_t{1} << 23;
constexpr int64_t kMaxWindowCellsS16 = (int64_t{1} << 16) - 1;

class Pool2D : public Op {
 public:
  explicit Pool2D(bool average) : average_(average) {}

  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    const PoolOptions& o = options<PoolOptions>();
    Tensor& in = input(0);
    Tensor& out = output(0);
    PYRT_ENSURE(in.dtype == DType::kInt8 || in.dtype == DType::kUInt8 ||
                    in.dtype == DType::kInt16,
                label(), ": only int8, uint8 and int16 inputs are supported, got ",
                DTypeName(in.dtype));
    RequireType(out, in.dtype, "output");
    PYRT_ENSURE(in.rank() == 4, label(), ": input must be 4-D, got ", ShapeToString(in.shape));
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    PYRT_ENSURE(o.stride_h > 0 && o.stride_w > 0 && o.filter_h > 0 && o.filter_w > 0, label(),
                ": strides and filter sizes must be > 0, got stride ", o.stride_h, "x", o.stride_w,
                ", filter ", o.filter_h, "x", o.filter_w);
    if (in.dtype == DType::kInt16) {
      PYRT_ENSURE(in.zero_point() == 0 && out.zero_point() == 0, label(),
                  ": int16 input and output need zero point 0");
    }
    // int16 sums of a window stay in int32 below 2^16 cells.
    PYRT_ENSURE(int64_t{o.filter_h} * o.filter_w <=
                    (in.dtype == DType::kInt16 ? kMaxWindowCellsS16 : kMaxWindowCells),
                label(), ": filter ",
                o.filter_h, "x", o.filter_w, " is too large");
    g_.batch = in.dim(0);
    g_.in_h = in.dim(1);
    g_.in_w = in.dim(2);
    g_.channels = in.dim(3);
    g_.filter_h = o.filter_h;
    g_.filter_w = o.filter_w;
    g_.stride_h = o.stride_h;
    g_.stride_w = o.stride_w;
    for (int64_t v : {int64_t{g_.in_h} + o.stride_h + o.filter_h,
                      int64_t{g_.in_w} + o.stride_w + o.filter_w})
      PYRT_ENSURE(v < std::numeric_limits<int32_t>::max(), label(),
                  ": strides and filter sizes are too large");
    const PaddedSize h = ComputePadding(o.padding, g_.in_h, o.filter_h, o.stride_h, 1);
    const PaddedSize w = ComputePadding(o.padding, g_.in_w, o.filter_w, o.stride_w, 1);
    PYRT_ENSURE(h.out >= 0 && w.out >= 0, label(), ": the ", o.filter_h, "x", o.filter_w,
                " window does not fit the input ", ShapeToString(in.shape));
    g_.out_h = h.out;
    g_.out_w = w.out;
    g_.pad_top = h.pad;
    g_.pad_left = w.pad;
    SetOutputShape(out, {g_.batch, g_.out_h, g_.out_w, g_.channels});
    if (average_) RequireNonEmptyWindows();
    const ActivationRange act = QuantizedActivationRange(o.activation, out, label());
    g_.act_min = act.min;
    g_.act_max = act.max;
    scratch_bytes_ = average_ ? AveragePoolScratchBytes(g_) : 0;
    average_s8_ = AveragePoolS8For(isa(), g_);
    max_s8_ = MaxPoolS8For(isa());
  }

  void Eval(const EvalContext& ctx) override {
    const Tensor& in = input(0);
    Tensor& out = output(0);
    if (in.dtype == DType::kInt8 && average_) {
      average_s8_(g_, in.data_as<int8_t>(), out.data_as<int8_t>(), ctx.scratch);
    } else if (in.dtype == DType::kInt8) {
      MaxPoolS8Rows(max_s8_, g_, in.data_as<int8_t>(), out.data_as<int8_t>(), ctx.pool);
    } else if (in.dtype == DType::kInt16) {
      Run(in.data_as<int16_t>(), out.data_as<int16_t>(), ctx.scratch);
    } else {
      Run(in.data_as<uint8_t>(), out.data_as<uint8_t>(), ctx.scratch);
    }
  }

 private:
  template <typename T>
  void Run(const T* in, T* out, uint8_t* scratch) const {
    if (average_) {
      AveragePoolQ(g_, in, out, scratch);
    } else {
      MaxPoolQ(g_, in, out);
    }
  }

  // The reference average fails at Eval on a window with no valid cell (its
  // divisor); reject such geometries up front.
  void RequireNonEmptyWindows() const {
    if (g_.batch == 0 || g_.channels == 0) return;
    for (int oy = 0; oy < g_.out_h; ++oy)
      PYRT_ENSURE(PoolWindowExtent(oy, g_.stride_h, g_.pad_top, g_.filter_h, g_.in_h) > 0,
                  label(), ": output row ", oy, " has a window with no input cell");
    for (int ox = 0; ox < g_.out_w; ++ox)
      PYRT_ENSURE(PoolWindowExtent(ox, g_.stride_w, g_.pad_left, g_.filter_w, g_.in_w) > 0,
                  label(), ": output column ", ox, " has a window with no input cell");
  }

  const bool average_;
  PoolGeometry g_{};
  AveragePoolS8Fn average_s8_ = AveragePoolQ<int8_t>;
  MaxPoolS8Fn max_s8_ = MaxPoolQ<int8_t>;
};

}  // namespace

std::unique_ptr<Op> MakeMaxPool2D() { return std::make_unique<Pool2D>(false); }
std::unique_ptr<Op> MakeAveragePool2D() { return std::make_unique<Pool2D>(true); }

}  // namespace pyrt
