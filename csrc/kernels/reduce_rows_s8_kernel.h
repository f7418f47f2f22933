// The row-summing loop of quantized MEAN / SUM (AccumulateRowsS8Fn in
// kernels/reference/reduce_s8.h) on the interpreter's ISA path.
#pragma once

#include "kernels/isa.h"
#include "kernels/reference/reduce_s8.h"

namespace pyrt {

// The family's dispatch table: the best loop `isa` runs, or nullptr (the
// portable loops of QuantizedReduceSum).
AccumulateRowsS8Fn AccumulateRowsS8For(Isa isa);

}  // namespace pyrt
