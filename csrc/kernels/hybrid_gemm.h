// Hybrid GEMM driver: weights packed once at Prepare, rows of A produced on
// the fly (im2col of the quantized input) block by block, as PackedQs8Gemm
// (qs8_gemm.h) but with float outputs through HybridGemmEpilogue. Every unit
// of work computes whole outputs, so results do not depend on the split or
// the thread count. The portable microkernel serves the reference path.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/hybrid_gemm_ukernel.h"
#include "kernels/isa.h"
#include "core/thread_pool.h"

namespace pyrt {

class PackedHybridGemm {
 public:
  static constexpr int kMaxSlots = 8;
  static constexpr int kMr = 6, kNr = 16;

  // B: N rows of K int8 weights; col_scale: N filter scales; bias: N floats
  // or null. All copied.
  void Init(Isa isa, int N, int K, const int8_t* B, const float* col_scale, const float* bias,
            float act_min, float act_max);

  int kp() const { return kp_; }
  size_t ScratchBytes(int M) const { return static_cast<size_t>(kMaxSlots) * SlotBytes(M); }

  // PackRows(m0, count, int16_t* dst): rows m0.. of A (row stride kp(),
  // values past K zero). batch_scale: input scale per image.
  template <typename PackRows>
  void Run(int M, PackRows&& pack, const float* batch_scale, int rows_per_batch, float* C,
           size_t ldc, uint8_t* scratch, ThreadPool* pool) const;

 private:
  int BlockRows(int M) const { return std::min(block_rows_, (M + kMr - 1) / kMr * kMr); }
  size_t SlotBytes(int M) const {
    return (static_cast<size_t>(BlockRows(M)) * kp_ * sizeof(int16_t) + 63) / 64 * 64;
  }
  void RunPanels(const HybridGemmEpilogue& ep, int m0, int rows, const int16_t* a, int p0,
                 int p1, float* c, size_t ldc) const;

  HybridGemmUkernel ukernel_ = nullptr;
  int N_ = 0, kp_ = 0, block_rows_ = kMr;
  std::vector<int8_t> b_;  // [panels][kp / 2][kNr][2]
  std::vector<float> col_scale_, bias_;
  float act_min_ = 0.f, act_max_ = 0.f;
};

// Portable microkernel (any ISA).
void HybridGemmPortable(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                        const int8_t* b, float* c, size_t c_stride, const HybridGemmEpilogue& ep,
                        int m0, int n0);

template <typename PackRows>
void PackedHybridGemm::Run(int M, PackRows&& pack, const float* batch_scale, int rows_per_batch,
                           float* C, size_t ldc, uint8_t* scratch, ThreadPool* pool) const {
  if (M <= 0) return;
  const int rows = BlockRows(M);
  const int blocks = (M + rows - 1) / rows;
  const int panels = (N_ + kNr - 1) / kNr;
  int workers = std::min(pool ? pool->num_threads() : 1, kMaxSlots);
  int chunks = 1;  // few row blocks (FC, small maps): split the columns too
  if (workers > 1 && blocks < 4 * workers)
    chunks = std::min(panels, (4 * workers + blocks - 1) / blocks);
  const int units = blocks * chunks;
  workers = std::min(workers, units);
  const size_t slot = SlotBytes(M);
  HybridGemmEpilogue ep;
  ep.batch_scale = batch_scale;
  ep.rows_per_batch = rows_per_batch;
  ep.col_scale = col_scale_.data();
  ep.bias = bias_.data();
  ep.act_min = act_min_;
  ep.act_max = act_max_;
  std::atomic<int> next_unit{0};
  auto task = [&](int w) {
    int16_t* a = reinterpret_cast<int16_t*>(scratch + w * slot);
    for (int u = next_unit++; u < units; u = next_unit++) {
      const int m0 = (u / chunks) * rows, count = std::min(rows, M - m0), chunk = u % chunks;
      pack(m0, count, a);
      RunPanels(ep, m0, count, a, panels * chunk / chunks, panels * (chunk + 1) / chunks,
                C + m0 * ldc, ldc);
    }
  };
  if (workers == 1) {
    task(0);
  } else {
    pool->ParallelFor(workers, task);
  }
}

}  // namespace pyrt
