// DEPTHWISE_CONV_2D int8 on the interpreter's ISA path: the reference
// kernel, or (depth multiplier 1, up to 64 taps) a SIMD kernel split over
// output rows.
// Both give identical results.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/isa.h"
#include "kernels/qs8_gemm/qs8_gemm.h"
#include "kernels/reference/conv_s8.h"

namespace pyrt {

class ThreadPool;

// A SIMD path's depthwise microkernel (depth multiplier 1): `group` channels
// per step, the channel each accumulator lane slot holds, the most taps it
// takes, and the row function (output rows [row0, row1) over all images).
struct DwConvS8Config {
  int group;
  const int* lane_channel;  // [group]
  int max_taps;
  // packed: per group, weights then requantization (DwConvS8GroupBytes
  // apart); scalars: the epilogue's scalars and facts.
  void (*rows)(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
               const int8_t* zero_row, const Qs8GemmEpilogue& scalars, int8_t* output, int row0,
               int row1);
};

// Bytes of one packed channel group: (taps + 1) / 2 pairs of int16 weights
// per lane slot, then the group's requantization (kernels/packed_requant.h).
size_t DwConvS8GroupBytes(const DwConvS8Config& cfg, int taps);

// The family's dispatch table: the best microkernel `isa` can run, or
// nullptr (reference loops only).
const DwConvS8Config* DwConvS8ConfigFor(Isa isa);

class DepthwiseConvS8Kernel {
 public:
  // filter: [1][filter_h][filter_w][out_c], must outlive the kernel. bias:
  // raw (not folded). multiplier/shift: per output channel, shift in [-31, 31].
  void Init(Isa isa, const ConvGeometry& g, int depth_multiplier, const int8_t* filter,
            int32_t input_zero_point, const std::vector<int32_t>& bias,
            const std::vector<int32_t>& multiplier, const std::vector<int32_t>& shift,
            int32_t output_zero_point, int32_t act_min, int32_t act_max);

  size_t scratch_bytes() const;
  void Run(const int8_t* input, int8_t* output, uint8_t* scratch, ThreadPool* pool) const;

 private:
  bool simd_ = false;
  const DwConvS8Config* config_ = nullptr;
  ConvGeometry g_{};
  int depth_multiplier_ = 1;
  const int8_t* filter_ = nullptr;
  int32_t input_zero_point_ = 0;
  OwnedChannelRequant rq_;  // reference path
  // SIMD path: per channel group, weights in the microkernel's layout and
  // the requantization (bias folded with the input zero point); a row of
  // zero points for padding taps; the epilogue's scalars. With a depth
  // multiplier M > 1 the microkernels (multiplier 1) read the input with
  // each channel repeated M times (expanded into scratch per run: output
  // channel o reads input channel o / M either way); g_.in_c is then out_c.
  int expand_from_ = 0;  // the input's channels when expanded, else 0
  std::vector<int8_t> packed_;
  std::vector<int8_t> zero_row_;
  Qs8GemmEpilogue scalars_;
};

}  // namespace pyrt
