// TILE and BROADCAST_TO: repeat the input, any dense dtype, constant
// int32/int64 multipliers / shape, no quantization check (TFLite has none).
// TILE writes each tiled block once and then doubles it by copying already
// written output; BROADCAST_TO is a block copy whose broadcast axes have a
// source stride of 0.
#include <cstring>

#include "kernels/reference/data_movement.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class Tile : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    elem_ = static_cast<int64_t>(CopyableSameTypeElementSize(in, output(0), label()));
    const Tensor& m = input(1);
    mult_ = ReadPerDimIndices(m, in.rank(), label(), "multipliers");
    Shape shape = in.shape;
    for (int i = 0; i < in.rank(); ++i) {
      PYRT_ENSURE(mult_[i] >= 0 && mult_[i] <= kMaxTensorElements, label(), ": multiplier ",
                  mult_[i], " of dim ", i, " is invalid");
      const int64_t d = int64_t{in.dim(i)} * mult_[i];
      PYRT_ENSURE(d <= kMaxTensorElements, label(), ": tiled dim ", i, " is too large");
      shape[i] = static_cast<int32_t>(d);
    }
    SetOutputShape(output(0), shape);
    in_strides_ = ByteStrides(in.shape, static_cast<size_t>(elem_));
  }

  void Eval(const EvalContext&) override {
    if (output(0).num_elements() == 0) return;
    const Tensor& in = input(0);
    if (in.rank() == 0) {
      std::memcpy(output(0).data, in.data, static_cast<size_t>(elem_));
      return;
    }
    TileDims(0, in.data, output(0).data);
  }

 private:
  // Writes the tiling of input dims d.. at `out`; returns the bytes written.
  int64_t TileDims(int d, const uint8_t* in, uint8_t* out) const {
    const Tensor& t = input(0);
    int64_t block = 0;
    if (d + 1 == t.rank()) {
      block = t.dim(d) * elem_;
      std::memcpy(out, in, static_cast<size_t>(block));
    } else {
      for (int i = 0; i < t.dim(d); ++i) block += TileDims(d + 1, in + i * in_strides_[d], out + block);
    }
    for (int64_t r = 1; r < mult_[d]; ++r)
      std::memcpy(out + r * block, out, static_cast<size_t>(block));
    return block * mult_[d];
  }

  int64_t elem_ = 1;
  std::vector<int64_t> mult_, in_strides_;
};

class BroadcastTo : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    const size_t elem = CopyableSameTypeElementSize(in, output(0), label());
    const Tensor& s = input(1);
    PYRT_ENSURE(s.rank() == 1, label(), ": shape must be 1-D, got ", ShapeToString(s.shape));
    const std::vector<int64_t> dims = ReadConstantIndices(s, label(), "shape");
    const int rank = static_cast<int>(dims.size());
    PYRT_ENSURE(rank >= in.rank() && rank <= kMaxCopyDims, label(), ": output rank ", rank,
                " must lie in [input rank ", in.rank(), ", ", kMaxCopyDims, "]");
    Shape shape(rank);
    for (int k = 0; k < rank; ++k) {
      PYRT_ENSURE(dims[k] >= 0 && dims[k] <= kMaxTensorElements, label(), ": invalid shape value ",
                  dims[k]);
      shape[k] = static_cast<int32_t>(dims[k]);
    }
    SetOutputShape(output(0), shape);
    const std::vector<int64_t> in_strides = ByteStrides(in.shape, elem);
    const std::vector<int64_t> out_strides = ByteStrides(shape, elem);
    CopyPlan plan;
    plan.run_bytes = static_cast<int64_t>(elem);
    const int lead = rank - in.rank();
    for (int k = 0; k < rank; ++k) {
      const int i = k - lead;  // aligned input dim, < 0 when absent
      const int32_t in_dim = i < 0 ? 1 : in.dim(i);
      PYRT_ENSURE(in_dim == 1 || in_dim == shape[k], label(), ": cannot broadcast input ",
                  ShapeToString(in.shape), " to ", ShapeToString(shape));
      AddCopyAxis(&plan, shape[k], in_dim == 1 ? 0 : in_strides[i], out_strides[k]);
    }
    plan_ = SimplifyCopyPlan(plan);
  }

  void Eval(const EvalContext&) override { BlockCopy(plan_, input(0).data, output(0).data); }

 private:
  CopyPlan plan_;
};

}  // namespace

std::unique_ptr<Op> MakeTile() { return std::make_unique<Tile>(); }
std::unique_ptr<Op> MakeBroadcastTo() { return std::make_unique<BroadcastTo>(); }

}  // namespace pyrt
