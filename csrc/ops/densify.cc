// DENSIFY: its input is a sparse constant, already densified when the model
// was read (model/densify.h); the op copies those dense bytes to its output.
#include <cstring>

#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class Densify : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    RequireType(output(0), in.dtype, "output");
    PYRT_ENSURE(in.is_constant, label(), ": input ", in.name, " must be a constant (sparse) tensor");
    SetOutputShape(output(0), in.shape);
  }
  void Eval(const EvalContext&) override {
    const Tensor& in = input(0);
    Tensor& out = output(0);
    if (in.data != out.data) std::memcpy(out.data, in.data, in.bytes);
  }
};

}  // namespace

std::unique_ptr<Op> MakeDensify() { return std::make_unique<Densify>(); }

}  // namespace pyrt
