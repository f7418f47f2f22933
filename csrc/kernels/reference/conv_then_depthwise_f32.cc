#include "kernels/reference/conv_then_depthwise_f32.h"

#include <algorithm>
#include <cstring>

#include "core/unit_ranges.h"

namespace pyrt {
namespace {

// A window up to this size (inside the smallest L2 we run on, 512 KB on
// Zen 3). MobileNetV2 float on Zen 5 (1 MB L2), same-process A/B against
// the unfused ops: 96 KB 0.98, 192 KB 0.97, 384 KB 0.94, 768 KB 0.94,
// 1.5 MB 0.96 of their time (small windows: more calls, more shared rows
// copied).
constexpr size_t kWindowBytes = 384 * 1024;
// Intermediate tensors up to this size stay in L2 between the two ops
// anyway: no bands for them.
constexpr size_t kMinFusedBytes = 1024 * 1024;
constexpr int kMaxWorkers = 8;  // windows at most (ConvF32Kernel's slots)

size_t AlignUp(size_t n) { return (n + 63) / 64 * 64; }

// The input rows [lo, hi) of one image that output rows [oy0, oy0 + count) read.
void InputRows(const ConvGeometry& g, int oy0, int count, int* lo, int* hi) {
  const int span = (g.filter_h - 1) * g.dilation_h + 1;
  *lo = std::clamp(oy0 * g.stride_h - g.pad_top, 0, g.in_h);
  *hi = std::clamp((oy0 + count - 1) * g.stride_h - g.pad_top + span, *lo, g.in_h);
}

}  // namespace

bool ConvThenDepthwiseF32::Applies(const ConvF32Kernel& conv, const DepthwiseF32Kernel& dw) {
  const ConvGeometry& c = conv.geometry();
  const ConvGeometry& d = dw.geometry();
  const bool chained = c.batch == d.batch && c.out_h == d.in_h && c.out_w == d.in_w &&
                       c.out_c == d.in_c;
  const size_t bytes = sizeof(float) * c.batch * c.out_h * c.out_w * c.out_c;
  return chained && dw.reads_rows_in_place() && bytes > kMinFusedBytes;
}

bool ConvThenDepthwiseF32::CanProject(const DepthwiseF32Kernel& dw, const ConvF32Kernel& project) {
  const ConvGeometry& d = dw.geometry();
  const ConvGeometry& p = project.geometry();
  return project.pointwise() && p.batch == d.batch && p.in_h == d.out_h && p.in_w == d.out_w &&
         p.in_c == d.out_c;
}

void ConvThenDepthwiseF32::Init(const ConvF32Kernel* conv, const DepthwiseF32Kernel* dw,
                                const ConvF32Kernel* project, int workers) {
  conv_ = conv;
  dw_ = dw;
  project_ = project;
  workers_ = std::clamp(workers, 1, kMaxWorkers);
  const ConvGeometry& g = dw->geometry();
  const size_t row_bytes = sizeof(float) * g.in_w * g.in_c;
  const int span = (g.filter_h - 1) * g.dilation_h + 1;
  // The most rows whose input fits the window (at least one), then evened
  // out so that each worker gets as many bands (MobileNetV2's stem: 5 bands
  // of 25 rows left one of 2 threads 60% of the work; now 6 of 19).
  const int fit = static_cast<int>(kWindowBytes / std::max<size_t>(row_bytes, 1));
  const int out_h = std::max(g.out_h, 1);
  const int most = std::clamp((fit - span) / g.stride_h + 1, 1, out_h);
  const int bands = workers_ * ((out_h + workers_ * most - 1) / (workers_ * most));
  band_ = (out_h + bands - 1) / bands;
  window_rows_ = std::min((band_ - 1) * g.stride_h + span, g.in_h);
  window_bytes_ = AlignUp(window_rows_ * row_bytes);
  band_bytes_ = project ? AlignUp(sizeof(float) * band_ * g.out_w * g.out_c) : 0;
  slot_bytes_ = window_bytes_ + band_bytes_ + AlignUp(conv->rows_scratch_bytes());
}

size_t ConvThenDepthwiseF32::scratch_bytes() const { return workers_ * slot_bytes_; }

void ConvThenDepthwiseF32::Run(const float* input, float* output, const Residuals& residuals,
                               uint8_t* scratch, ThreadPool* pool) const {
  const ConvGeometry& g = dw_->geometry();
  const size_t in_row = static_cast<size_t>(g.in_w) * g.in_c;     // floats per row
  const size_t out_row = static_cast<size_t>(g.out_w) * g.out_c;
  const size_t last_row = project_ ? static_cast<size_t>(g.out_w) * project_->geometry().out_c
                                   : out_row;
  const int bands_per_image = (g.out_h + band_ - 1) / band_;
  conv_->IndexInput(input, pool);
  // The image and input rows each worker's window holds.
  struct Held {
    int b = -1, lo = 0, hi = 0;
  } held[kMaxWorkers];
  ParallelUnitsOnWorkers(pool, g.batch * bands_per_image, workers_, [&](int w, int u) {
    const int b = u / bands_per_image, oy0 = u % bands_per_image * band_;
    const int count = std::min(band_, g.out_h - oy0);
    int lo, hi;
    InputRows(g, oy0, count, &lo, &hi);
    uint8_t* slot = scratch + w * slot_bytes_;
    float* window = reinterpret_cast<float*>(slot);
    float* band = reinterpret_cast<float*>(slot + window_bytes_);
    uint8_t* conv_scratch = slot + window_bytes_ + band_bytes_;
    Held& h = held[w];
    int from = lo;  // the first row to compute
    if (h.b == b && h.lo <= lo && lo < h.hi && h.hi <= hi) {  // the previous band's last rows
      std::memmove(window, window + (lo - h.lo) * in_row, sizeof(float) * (h.hi - lo) * in_row);
      from = h.hi;
    }
    if (hi > from) {
      const size_t first = (static_cast<size_t>(b) * g.in_h + from) * in_row;  // in the tensor
      conv_->RunRows(input, (b * g.in_h + from) * g.in_w, (hi - from) * g.in_w,
                     window + (from - lo) * in_row,
                     residuals.conv ? residuals.conv + first : nullptr, conv_scratch);
    }
    h = {b, lo, hi};
    const size_t row = static_cast<size_t>(b) * g.out_h + oy0;  // the band's first output row
    float* dw_out = project_ ? band : output + row * out_row;
    dw_->RunImageRows(window, lo, hi, oy0, count, dw_out,
                      residuals.dw ? residuals.dw + row * out_row : nullptr);
    if (project_)
      project_->RunRows(dw_out, 0, count * g.out_w, output + row * last_row,
                        residuals.project ? residuals.project + row * last_row : nullptr,
                        nullptr);
  });
}

}  // namespace pyrt
