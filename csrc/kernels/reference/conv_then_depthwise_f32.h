// A float conv whose output feeds only a depthwise conv, run in bands of the
// depthwise's output rows: each band's input rows are computed by the conv
// into a small per-thread window (sized to stay in L2) that the depthwise
// then reads, so the conv's output - the largest tensor of an inverted
// residual block, 112x112x96 floats (4.8 MB) in MobileNetV2 - is never
// written whole, nor read back from memory. Rows the next band shares with
// this one stay in the window. Each output is computed by the two kernels
// as when run apart, so the outputs are theirs bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/reference/conv_f32.h"

namespace pyrt {

class ThreadPool;

class ConvThenDepthwiseF32 {
 public:
  // Whether the pair can run in bands, and is worth it: the conv's output
  // is the depthwise's input, its epilogue reads no residual, the depthwise
  // reads rows in place, and the intermediate tensor is larger than L2.
  static bool Applies(const ConvF32Kernel& conv, const DepthwiseF32Kernel& dw);

  // Both kernels initialized (epilogues set) and outliving this one; Run
  // on up to `workers` threads (a window each).
  void Init(const ConvF32Kernel* conv, const DepthwiseF32Kernel* dw, int workers);
  size_t scratch_bytes() const;
  // input: the conv's; output and residual (the depthwise epilogue's ADD
  // operand, or null): the depthwise's.
  void Run(const float* input, float* output, uint8_t* scratch, ThreadPool* pool,
           const float* residual) const;

 private:
  const ConvF32Kernel* conv_ = nullptr;
  const DepthwiseF32Kernel* dw_ = nullptr;
  int band_ = 1;          // depthwise output rows per band
  int window_rows_ = 0;   // input rows a band reads, at most
  int workers_ = 1;
  size_t slot_bytes_ = 0;  // per worker: the window, then the conv's rows scratch
};

}  // namespace pyrt
