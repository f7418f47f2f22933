// Base of int8 unary ops built as a 256-entry table at Prepare: checks
// int8 in / int8 out with per-tensor quantization, shapes the output like
// the input and lets the subclass fill the table (TableOpS8 evaluates it
// and exposes it to the fusion pass).
#pragma once

#include "ops/table_op.h"

namespace pyrt {

class UnaryTableS8 : public TableOpS8 {
 public:
  void Prepare() final {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    Tensor& in = input(0);
    Tensor& out = output(0);
    PYRT_ENSURE(in.dtype == DType::kInt8, label(), ": only int8 and float32 are supported, got ",
                DTypeName(in.dtype));
    RequireType(out, in.dtype, "output");
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    int8_t lut[256];
    BuildTable(in, out, lut);
    SetTable(lut);
    SetOutputShape(out, in.shape);
  }

 protected:
  // lut[uint8(v)] = output for input value v.
  virtual void BuildTable(const Tensor& in, const Tensor& out, int8_t lut[256]) = 0;
};

}  // namespace pyrt
