#include "kernels/qs8_winograd/qs8_winograd.h"

#include <algorithm>

#include "core/thread_pool.h"
#include "core/unit_ranges.h"
#include "kernels/packed_requant.h"

namespace pyrt {
namespace {

// Workers with their own scratch slot.
constexpr int kMaxSlots = 8;

}  // namespace

int64_t Qs8WinogradTiles(const ConvGeometry& g) {
  return int64_t{g.batch} * ((g.out_h + 1) / 2) * ((g.out_w + 1) / 2);
}

int64_t Qs8WinogradFilterBytes(const ConvGeometry& g) {
  return int64_t{16} * ((g.in_c + 1) / 2 * 2) * ((g.out_c + 15) / 16 * 16) *
         static_cast<int64_t>(sizeof(int16_t));
}

bool Qs8WinogradFits(const ConvGeometry& g, const int8_t* filter) {
  if (g.filter_h != 3 || g.filter_w != 3 || g.stride_h != 1 || g.stride_w != 1 ||
      g.dilation_h != 1 || g.dilation_w != 1)
    return false;
  const size_t K = static_cast<size_t>(9) * g.in_c;
  for (int n = 0; n < g.out_c; ++n) {
    const int8_t* w = filter + n * K;
    int64_t sum = 0;
    for (size_t k0 = 0; k0 < K; k0 += 4096) {  // int32 partial sums: the loop vectorizes
      int32_t part = 0;
      for (size_t k = k0; k < std::min(K, k0 + 4096); ++k) part += w[k] < 0 ? -w[k] : w[k];
      sum += part;
    }
    if (128 * sum >= (int64_t{1} << 29)) return false;
  }
  return true;
}

void Qs8WinogradPack(const ConvGeometry& g, const int8_t* filter, int32_t input_zero_point,
                     const std::vector<int32_t>& folded_bias,
                     const std::vector<int32_t>& multiplier, const std::vector<int32_t>& shift,
                     int32_t output_zero_point, int32_t act_min, int32_t act_max,
                     Qs8WinogradLayer* layer) {
  Qs8WinogradLayer& L = *layer;
  L.g = g;
  L.cin_p = (g.in_c + 1) / 2 * 2;
  L.cout_p = (g.out_c + 15) / 16 * 16;
  L.input_zero_point = static_cast<int8_t>(input_zero_point);
  const int panels = L.cout_p / 16, C = g.in_c, cin_p = L.cin_p;
  // Every entry is written below (no zero fill first: load time).
  L.u.reset(new int16_t[static_cast<size_t>(16) * panels * cin_p * 16]);
  // A panel of 16 output channels at a time, all input channels per step
  // (loops the compiler vectorizes): 2G along the filter rows, then along
  // its columns, into u[p][j][c]; then each position's rows in U's order.
  const size_t plane = static_cast<size_t>(16) * cin_p;  // u[p]: 16 channels x cin_p
  std::vector<int16_t> u(16 * plane, 0), rows(static_cast<size_t>(12) * C);
  for (int q = 0; q < panels; ++q) {
    if (q * 16 + 16 > g.out_c) std::fill(u.begin(), u.end(), int16_t{0});  // padding channels
    for (int j = 0; j < 16 && q * 16 + j < g.out_c; ++j) {
      const int8_t* __restrict w = filter + static_cast<size_t>(q * 16 + j) * 9 * C;  // [3][3][C]
      int16_t* __restrict r = rows.data();
      // r[i][x] = sum_y 2G[i][y] w[y][x], 2G = [[2,0,0],[1,1,1],[1,-1,1],[0,0,2]] (|.| <= 384)
      for (int x = 0; x < 3; ++x) {
        const int8_t* w0 = w + x * C;
        const int8_t* w1 = w + (3 + x) * C;
        const int8_t* w2 = w + (6 + x) * C;
        for (int c = 0; c < C; ++c) {
          r[(0 * 3 + x) * C + c] = static_cast<int16_t>(2 * w0[c]);
          r[(1 * 3 + x) * C + c] = static_cast<int16_t>(w0[c] + w1[c] + w2[c]);
          r[(2 * 3 + x) * C + c] = static_cast<int16_t>(w0[c] - w1[c] + w2[c]);
          r[(3 * 3 + x) * C + c] = static_cast<int16_t>(2 * w2[c]);
        }
      }
      // u[i * 4 + l][j] = sum_x r[i][x] 2G[l][x]   (|.| <= 9 * 128)
      for (int i = 0; i < 4; ++i) {
        const int16_t* r0 = r + (i * 3) * C;
        const int16_t* r1 = r + (i * 3 + 1) * C;
        const int16_t* r2 = r + (i * 3 + 2) * C;
        int16_t* __restrict out = u.data() + static_cast<size_t>(i * 4) * plane + j * cin_p;
        for (int c = 0; c < C; ++c) {
          out[c] = static_cast<int16_t>(2 * r0[c]);
          out[plane + c] = static_cast<int16_t>(r0[c] + r1[c] + r2[c]);
          out[2 * plane + c] = static_cast<int16_t>(r0[c] - r1[c] + r2[c]);
          out[3 * plane + c] = static_cast<int16_t>(2 * r2[c]);
        }
      }
    }
    // U[p][q] = [cin_p / 2][16][2]: k pairs of the 16 channels, in order.
    for (int p = 0; p < 16; ++p) {
      const int16_t* src = u.data() + p * plane;
      int16_t* __restrict dst = L.u.get() + (static_cast<size_t>(p) * panels + q) * cin_p * 16;
      for (int k = 0; k < cin_p; k += 2) {
        for (int j = 0; j < 16; ++j) {
          dst[k * 16 + j * 2] = src[j * cin_p + k];
          dst[k * 16 + j * 2 + 1] = src[j * cin_p + k + 1];
        }
      }
    }
  }
  L.scalars = EpilogueScalars(output_zero_point, act_min, act_max);
  L.requant.assign(GemmlowpRequantBytes(L.cout_p) / sizeof(int32_t), 0);
  for (int n = 0; n < g.out_c; ++n)
    WriteGemmlowpRequant(L.requant.data(), L.cout_p, n, folded_bias[n], multiplier[n], shift[n],
                         L.scalars);
}

size_t Qs8WinogradSlotBytes(const Qs8WinogradLayer& L) {
  const size_t v = static_cast<size_t>(16) * kQs8WinogradTiles * L.cin_p * sizeof(int16_t);
  const size_t m = static_cast<size_t>(16) * kQs8WinogradTiles * L.cout_p * sizeof(int32_t);
  return (v + 63) / 64 * 64 + (m + 63) / 64 * 64;
}

size_t Qs8WinogradScratchBytes(const Qs8WinogradLayer& L) {
  return kMaxSlots * Qs8WinogradSlotBytes(L);
}

void Qs8WinogradRun(Qs8WinogradBlockFn block, const Qs8WinogradLayer& L, const int8_t* input,
                    int8_t* output, uint8_t* scratch, ThreadPool* pool) {
  const int tiles = static_cast<int>(Qs8WinogradTiles(L.g));
  const int units = (tiles + kQs8WinogradTiles - 1) / kQs8WinogradTiles;
  const size_t slot = Qs8WinogradSlotBytes(L);
  const size_t v_bytes =
      (static_cast<size_t>(16) * kQs8WinogradTiles * L.cin_p * sizeof(int16_t) + 63) / 64 * 64;
  const int workers = pool ? std::min({pool->num_threads(), kMaxSlots, units}) : 1;
  auto run = [&](int w, int u) {
    uint8_t* s = scratch + w * slot;
    const int t0 = u * kQs8WinogradTiles;
    block(L, input, output, t0, std::min(kQs8WinogradTiles, tiles - t0),
          reinterpret_cast<int16_t*>(s), reinterpret_cast<int32_t*>(s + v_bytes));
  };
  if (workers <= 1) {
    for (int u = 0; u < units; ++u) run(0, u);
    return;
  }
  UnitRanges ranges(units, workers);
  pool->ParallelFor(workers, [&](int w) {
    for (int u = ranges.Next(w); u >= 0; u = ranges.Next(w)) run(w, u);
  });
}

}  // namespace pyrt
