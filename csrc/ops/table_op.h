// Base of int8 ops whose output depends on one input value only (LOGISTIC,
// HARD_SWISH): Prepare builds a 256-entry table, Eval looks it up, and the
// fusion pass can read the table.
#pragma once

#include "kernels/lut_s8_kernel.h"
#include "ops/op.h"

namespace pyrt {

class TableOpS8 : public Op {
 public:
  void Eval(const EvalContext& ctx) override {
    const Tensor& in = input(0);
    kernel_.Run(in.num_elements(), in.data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.pool);
  }

  const int8_t* UnaryLutS8() const override { return kernel_.lut(); }

 protected:
  // lut[uint8(v)] = output for input value v.
  void SetTable(const int8_t* lut) { kernel_.Init(isa(), lut); }

 private:
  LutS8Kernel kernel_;
};

}  // namespace pyrt
