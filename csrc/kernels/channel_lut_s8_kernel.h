// Elementwise int8 -> int8 through one 256-entry table per channel (the
// innermost dimension): out[i] = table[(i % channels) * 256 + uint8(in[i])],
// on the interpreter's ISA path (vpgatherdd on x86: 8 or 16 channels per
// step). Made by the fusion pass from chains of int8 ADD / SUB / MUL whose
// other operand is a per-channel constant (BatchNorm after a concatenation,
// input normalization). Rows are split over the thread pool; every path and
// split gives identical results.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/isa.h"

namespace pyrt {

class ThreadPool;

// The portable lookup (the reference twin) over `rows` rows of `channels` values.
void ChannelLutS8Rows(const int8_t* table, int64_t channels, int64_t rows, const int8_t* in,
                      int8_t* out);

class ChannelLutS8Kernel {
 public:
  // table: channels x 256 entries, table[c * 256 + uint8(v)] = output for v in channel c.
  void Init(Isa isa, const std::vector<int8_t>& table, int64_t channels);
  int64_t channels() const { return channels_; }

  // n: a multiple of channels().
  void Run(int64_t n, const int8_t* input, int8_t* output, ThreadPool* pool) const;

 private:
  using RowsFn = void (*)(const int8_t*, int64_t, int64_t, const int8_t*, int8_t*);
  RowsFn rows_ = ChannelLutS8Rows;
  // The table plus 4 zero bytes: gathers read 4 bytes per lane.
  std::vector<int8_t> table_;
  int64_t channels_ = 1;
};

}  // namespace pyrt
