// MEAN and SUM on quantized 8-bit tensors (int8, uint8): TFLite's
// reference_ops::QuantizedMeanOrSum, which the reference resolver uses for
// every axis set (docs/reference_semantics.md section 7). The axes must be a
// constant int32 tensor; negative and repeated axes are allowed.
//
// int8 SUM: the pinned reference (ai_edge_litert 2.3.0) runs its uint8 kernel
// on the int8 bytes (values read as uint8, result clamped to [0, 255] and
// stored as is) while keeping the int8 zero points; found by testing, and
// reproduced here because outputs must match it bit for bit.
//
// int16 MEAN (16x8 models): the same kernel on int16 values, zero points 0.
#include <cstring>

#include "kernels/reduce_rows_s8_kernel.h"
#include "kernels/reference/reduce_s8.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

class QuantizedMeanOrSum : public Op {
 public:
  explicit QuantizedMeanOrSum(bool compute_sum) : compute_sum_(compute_sum) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    Tensor& out = output(0);
    const bool int16 = !compute_sum_ && in.dtype == DType::kInt16;
    PYRT_ENSURE(in.dtype == DType::kInt8 || in.dtype == DType::kUInt8 || int16, label(),
                ": only int8, uint8 (and int16 for MEAN) input is supported, got ",
                DTypeName(in.dtype));
    RequireType(out, in.dtype, "output");
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    PYRT_ENSURE(!int16 || (in.zero_point() == 0 && out.zero_point() == 0), label(),
                ": int16 input and output need zero point 0, got ", in.zero_point(), " and ",
                out.zero_point());
    const std::vector<bool> reduced = ResolveAxes(in.rank());
    SetOutputShape(out, OutputShape(in.shape, reduced));
    plan_ = MakeReducePlan(in.shape, reduced);

    params_.count = 1;
    for (int i = 0; i < in.rank(); ++i) {
      if (reduced[i]) params_.count *= in.dim(i);
    }
    const double real = static_cast<double>(in.scale()) / static_cast<double>(out.scale());
    params_.rescale = QuantizeMultiplier(real, label());
    if (!compute_sum_ && params_.count > 0) {
      params_.rescale = FoldMeanCount(params_.rescale, params_.count);
    }
    params_.input_zero_point = in.zero_point();
    params_.output_zero_point = out.zero_point();
    as_uint8_ = out.dtype == DType::kUInt8 || (compute_sum_ && out.dtype == DType::kInt8);
    const ActivationRange range = DTypeRange(as_uint8_ ? DType::kUInt8 : out.dtype);
    params_.out_min = range.min;
    params_.out_max = range.max;
    rows_fn_ = AccumulateRowsS8For(isa());
    // The spatial mean (rows of the kept channels) splits over threads.
    split_rows_ = rows_fn_ && !as_uint8_ && in.dtype == DType::kInt8 && plan_.dims.size() == 2 &&
                  plan_.out_stride[0] == 0 && plan_.out_stride[1] == 1;
    scratch_bytes_ = static_cast<size_t>(plan_.num_outputs) * sizeof(int32_t) *
                     (split_rows_ ? 1 + kSumRowsS8MaxTasks : 1);
  }

  void Eval(const EvalContext& ctx) override {
    int32_t* sums = reinterpret_cast<int32_t*>(ctx.scratch);
    if (split_rows_) {
      SumRowsS8(rows_fn_, input(0).data_as<int8_t>(), plan_.dims[0], plan_.dims[1], sums,
                sums + plan_.num_outputs, ctx.pool);
      FinishQuantizedReduce(plan_, params_, sums, output(0).data_as<int8_t>());
    } else if (as_uint8_) {
      QuantizedReduceSum(plan_, params_, input(0).data_as<uint8_t>(),
                         output(0).data_as<uint8_t>(), sums);
    } else if (output(0).dtype == DType::kInt16) {
      QuantizedReduceSum(plan_, params_, input(0).data_as<int16_t>(),
                         output(0).data_as<int16_t>(), sums);
    } else {
      QuantizedReduceSum(plan_, params_, input(0).data_as<int8_t>(),
                         output(0).data_as<int8_t>(), sums, rows_fn_);
    }
  }

 private:
  // Flags the reduced dims; axes wrap once when negative, repeats count once.
  std::vector<bool> ResolveAxes(int rank) const {
    const Tensor& axis = input(1);
    RequireType(axis, DType::kInt32, "axis");
    RequireValue(axis, label(), "axis");
    PYRT_ENSURE(axis.rank() <= 1, label(), ": axis must be a scalar or 1-D, got ",
                ShapeToString(axis.shape));
    std::vector<bool> reduced(rank, false);
    if (rank == 0) return reduced;  // TFLite ignores the axes of a scalar
    for (int64_t i = 0; i < axis.num_elements(); ++i) {
      int32_t a;
      std::memcpy(&a, axis.data + 4 * i, 4);
      PYRT_ENSURE(a >= -rank && a < rank, label(), ": axis ", a, " is out of range for rank ",
                  rank);
      reduced[a < 0 ? a + rank : a] = true;
    }
    return reduced;
  }

  Shape OutputShape(const Shape& in, const std::vector<bool>& reduced) const {
    const bool keep_dims = options<ReducerOptions>().keep_dims;
    Shape shape;
    for (size_t i = 0; i < in.size(); ++i) {
      if (!reduced[i]) {
        shape.push_back(in[i]);
      } else if (keep_dims) {
        shape.push_back(1);
      }
    }
    return shape;
  }

  bool compute_sum_;
  AccumulateRowsS8Fn rows_fn_ = nullptr;
  bool split_rows_ = false;  // int8 [rows][channels] sums split over threads (SumRowsS8)
  bool as_uint8_ = false;  // run the uint8 kernel on the tensor bytes
  ReducePlan plan_;
  QuantizedReduceParams params_;
};

}  // namespace

std::unique_ptr<Op> MakeMean() { return std::make_unique<QuantizedMeanOrSum>(false); }
std::unique_ptr<Op> MakeSum() { return std::make_unique<QuantizedMeanOrSum>(true); }

}  // namespace pyrt
