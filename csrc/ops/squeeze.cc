// SQUEEZE and EXPAND_DIMS: like RESHAPE, the same bytes under a new shape,
// any dense dtype, no quantization check (TFLite has none either).
// SQUEEZE drops the listed size-1 dims (all size-1 dims when none are
// listed; negative dims wrap, repeats count once). EXPAND_DIMS inserts a
// size-1 dim at a constant axis in [-rank-1, rank].
#include <cstring>

#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

constexpr int kMaxSqueezeRank = 8;  // TFLite's limit

class SameBytesOp : public Op {
 public:
  void Eval(const EvalContext&) override {
    const Tensor& in = input(0);
    Tensor& out = output(0);
    if (in.data != out.data) std::memmove(out.data, in.data, in.bytes);
  }
};

class Squeeze : public SameBytesOp {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    CopyableSameTypeElementSize(in, output(0), label());
    const int rank = in.rank();
    PYRT_ENSURE(rank <= kMaxSqueezeRank, label(), ": input rank ", rank, " exceeds ",
                kMaxSqueezeRank);
    const std::vector<int32_t>& dims = options<SqueezeOptions>().squeeze_dims;
    PYRT_ENSURE(dims.size() <= kMaxSqueezeRank, label(), ": at most ", kMaxSqueezeRank,
                " squeeze_dims are supported, got ", dims.size());
    std::vector<bool> squeeze(rank, false);
    if (dims.empty()) {
      for (int i = 0; i < rank; ++i) squeeze[i] = in.dim(i) == 1;
    }
    for (int32_t d : dims) {
      const int a = WrapAxis(d, rank, label(), "squeeze dim");
      PYRT_ENSURE(in.dim(a) == 1, label(), ": squeeze dim ", d, " of input ",
                  ShapeToString(in.shape), " has size ", in.dim(a), ", expected 1");
      squeeze[a] = true;
    }
    Shape shape;
    for (int i = 0; i < rank; ++i)
      if (!squeeze[i]) shape.push_back(in.dim(i));
    SetOutputShape(output(0), shape);
  }
};

class ExpandDims : public SameBytesOp {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    CopyableSameTypeElementSize(in, output(0), label());
    const std::vector<int64_t> axis = ReadConstantIndices(input(1), label(), "axis");
    PYRT_ENSURE(axis.size() == 1, label(), ": axis must have one element, got ", axis.size());
    const int rank = in.rank();
    const int a = WrapAxis(axis[0], rank + 1, label(), "axis");
    Shape shape = in.shape;
    shape.insert(shape.begin() + a, 1);
    SetOutputShape(output(0), shape);
  }
};

}  // namespace

std::unique_ptr<Op> MakeSqueeze() { return std::make_unique<Squeeze>(); }
std::unique_ptr<Op> MakeExpandDims() { return std::make_unique<ExpandDims>(); }

}  // namespace pyrt
