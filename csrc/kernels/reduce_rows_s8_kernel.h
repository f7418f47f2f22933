// The row-summing loop of quantized MEAN / SUM (AccumulateRowsS8Fn in
// kernels/reference/reduce_s8.h) on the interpreter's ISA path, and its
// split over threads.
#pragma once

#include "kernels/isa.h"
#include "kernels/reference/reduce_s8.h"

namespace pyrt {

class ThreadPool;

// The family's dispatch table: the best loop `isa` runs, or nullptr (the
// portable loops of QuantizedReduceSum).
AccumulateRowsS8Fn AccumulateRowsS8For(Isa isa);

// Most tasks SumRowsS8 splits into: `partial` holds that many rows of n.
constexpr int kSumRowsS8MaxTasks = 8;

// sums[0..n) = the column sums (wrapping int32) of `rows` rows of n int8
// (row stride n) by fn, the rows split over the pool: each task sums its
// rows into its own row of `partial` (kSumRowsS8MaxTasks * n int32), and
// those are then added up. Wrapping adds do not depend on the order, so
// every split gives the same bits.
void SumRowsS8(AccumulateRowsS8Fn fn, const int8_t* in, int64_t rows, int64_t n, int32_t* sums,
               int32_t* partial, ThreadPool* pool);

}  // namespace pyrt
