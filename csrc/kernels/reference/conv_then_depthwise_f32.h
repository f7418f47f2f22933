// A float conv whose output feeds only a depthwise conv (and, optionally,
// the depthwise's output only a pointwise conv: an inverted residual block),
// run in bands of the depthwise's output rows: each band's input rows are
// computed by the conv into a small per-thread window (sized to stay in L2)
// that the depthwise reads, its output rows go to a second window that the
// pointwise conv reads. The intermediate tensors - 112x112x96 and 56x56x96
// floats (4.8 and 1.2 MB) in MobileNetV2's second block - are never written
// whole, nor read back from memory. Rows the next band shares with this one
// stay in the window. Each output is computed by the same kernels as when
// the ops run apart, so the outputs are theirs bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/reference/conv_f32.h"

namespace pyrt {

class ThreadPool;

class ConvThenDepthwiseF32 {
 public:
  // Whether the pair can run in bands, and is worth it: the conv's output
  // is the depthwise's input, the depthwise reads rows in place, and the
  // intermediate tensor is larger than L2.
  static bool Applies(const ConvF32Kernel& conv, const DepthwiseF32Kernel& dw);
  // Whether `project` can take the depthwise's output rows of each band:
  // a pointwise conv over the depthwise's output.
  static bool CanProject(const DepthwiseF32Kernel& dw, const ConvF32Kernel& project);

  // The kernels initialized (epilogues set) and outliving this one; project
  // may be null. Run on up to `workers` threads (a window each).
  void Init(const ConvF32Kernel* conv, const DepthwiseF32Kernel* dw, const ConvF32Kernel* project,
            int workers);
  size_t scratch_bytes() const;
  // Each kernel's epilogue ADD operand (the whole tensor), or null without
  // one.
  struct Residuals {
    const float* conv = nullptr;
    const float* dw = nullptr;
    const float* project = nullptr;
  };
  // input: the conv's; output: the last kernel's.
  void Run(const float* input, float* output, const Residuals& residuals, uint8_t* scratch,
           ThreadPool* pool) const;

 private:
  const ConvF32Kernel* conv_ = nullptr;
  const DepthwiseF32Kernel* dw_ = nullptr;
  const ConvF32Kernel* project_ = nullptr;
  int band_ = 1;          // depthwise output rows per band
  int window_rows_ = 0;   // input rows a band reads, at most
  int workers_ = 1;
  // Per worker: the window, the depthwise's band output (with a project),
  // then the conv's rows scratch.
  size_t window_bytes_ = 0, band_bytes_ = 0, slot_bytes_ = 0;
};

}  // namespace pyrt
