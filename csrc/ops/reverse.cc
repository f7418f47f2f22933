// REVERSE_V2: reverses a tensor along the constant axes given in input 1
// (any element type: bytes move unchanged). Bidirectional Keras RNNs convert
// to REVERSE_V2 -> UNIDIRECTIONAL_SEQUENCE_LSTM -> REVERSE_V2.
#include <cstring>

#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class ReverseV2Op : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    elem_ = CopyableSameTypeElementSize(in, output(0), label());
    const int rank = in.rank();
    reversed_.assign(rank, false);
    for (int64_t a : ReadConstantIndices(input(1), label(), "axis")) {
      const int64_t axis = a < 0 ? a + rank : a;
      PYRT_ENSURE(axis >= 0 && axis < rank, label(), ": axis ", a, " is outside rank ", rank);
      reversed_[axis] = true;
    }
    // Collapse to [outer dims..., inner block]: the innermost run of
    // non-reversed dims is copied as one block.
    inner_ = elem_;
    dims_ = in.shape;
    while (!dims_.empty() && !reversed_[dims_.size() - 1]) {
      inner_ *= static_cast<size_t>(dims_.back());
      dims_.pop_back();
    }
    SetOutputShape(output(0), in.shape);
  }

  void Eval(const EvalContext&) override {
    const uint8_t* src = input(0).data;
    uint8_t* dst = output(0).data;
    const int n = static_cast<int>(dims_.size());
    int64_t count = 1;
    for (int32_t d : dims_) count *= d;
    for (int64_t o = 0; o < count; ++o) {
      // Input index of output block o: coordinates flipped on reversed axes.
      int64_t rest = o, src_index = 0, stride = 1;
      for (int d = n - 1; d >= 0; --d) {
        const int64_t coord = rest % dims_[d];
        rest /= dims_[d];
        src_index += (reversed_[d] ? dims_[d] - 1 - coord : coord) * stride;
        stride *= dims_[d];
      }
      std::memcpy(dst + o * inner_, src + src_index * inner_, inner_);
    }
  }

 private:
  size_t elem_ = 0, inner_ = 0;
  Shape dims_;
  std::vector<bool> reversed_;
};

}  // namespace

std::unique_ptr<Op> MakeReverseV2() { return std::make_unique<ReverseV2Op>(); }

}  // namespace pyrt
