// MIRROR_PAD (float32, int32, int64, int8, uint8; values copied): each output
// index maps back into the input by reflection, REFLECT without repeating the
// edge (offset 1), SYMMETRIC repeating it (offset 0), as the reference's
// GetInputDimension. Paddings (int32/int64 [rank, 2], constant or computed)
// must be >= 0 and at most dim - 1 (REFLECT) or dim (SYMMETRIC), TensorFlow's
// bounds, inside which the reference never reads outside the input.
#include <algorithm>
#include <cstring>
#include <vector>

#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

constexpr int kMaxRank = 8;

int64_t InputIndex(int64_t padded, int64_t left, int64_t dim, int offset) {
  if (padded < left) {
    const int64_t original = left + offset - 1;
    return original - std::min(padded, original - offset);
  }
  padded -= left;
  if (padded >= dim) {
    padded -= dim;
    const int64_t original = dim - (1 + offset);
    return original - std::min(padded, original);
  }
  return padded;
}

class MirrorPadOp : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    const DType t = in.dtype;
    PYRT_ENSURE(t == DType::kFloat32 || t == DType::kInt32 || t == DType::kInt64 ||
                    t == DType::kInt8 || t == DType::kUInt8,
                label(), ": unsupported input type ", DTypeName(t));
    RequireType(output(0), t, "output");
    elem_ = DTypeSize(t);
    PYRT_ENSURE(in.rank() <= kMaxRank, label(), ": rank ", in.rank(), " exceeds ", kMaxRank);
    const Tensor& pads = input(1);
    PYRT_ENSURE(pads.rank() == 2 && pads.dim(0) == in.rank() && pads.dim(1) == 2, label(),
                ": paddings must have shape [", in.rank(), ", 2], got ", ShapeToString(pads.shape));
    const std::vector<int64_t> p = ReadConstantIndices(pads, label(), "paddings");
    const int offset = options<MirrorPadOptions>().symmetric ? 0 : 1;
    Shape shape;
    for (int d = 0; d < in.rank(); ++d) {
      const int64_t left = p[2 * d], right = p[2 * d + 1], limit = in.dim(d) - offset;
      PYRT_ENSURE(left >= 0 && right >= 0 && left <= limit && right <= limit, label(),
                  ": paddings [", left, ", ", right, "] of dim ", d, " (size ", in.dim(d),
                  ") must be in [0, ", limit, "]");
      shape.push_back(static_cast<int32_t>(in.dim(d) + left + right));
    }
    SetOutputShape(output(0), shape);
    // Per output dim, the input index of every output position.
    maps_.assign(in.rank(), {});
    for (int d = 0; d < in.rank(); ++d)
      for (int64_t o = 0; o < shape[d]; ++o)
        maps_[d].push_back(InputIndex(o, p[2 * d], in.dim(d), offset));
    in_strides_ = ByteStrides(in.shape, elem_);
  }

  void Eval(const EvalContext&) override {
    const Tensor& out = output(0);
    const int64_t n = out.num_elements();
    if (n == 0) return;
    const int rank = out.rank();
    int64_t index[kMaxRank] = {0};
    const uint8_t* src = input(0).data;
    uint8_t* dst = out.data;
    for (int64_t e = 0; e < n; ++e, dst += elem_) {
      int64_t from = 0;
      for (int d = 0; d < rank; ++d) from += maps_[d][index[d]] * in_strides_[d];
      std::memcpy(dst, src + from, elem_);
      for (int d = rank - 1; d >= 0; --d) {
        if (++index[d] < out.dim(d)) break;
        index[d] = 0;
      }
    }
  }

 private:
  size_t elem_ = 1;
  std::vector<std::vector<int64_t>> maps_;
  std::vector<int64_t> in_strides_;
};

}  // namespace

std::unique_ptr<Op> MakeMirrorPad() { return std::make_unique<MirrorPadOp>(); }

}  // namespace pyrt
