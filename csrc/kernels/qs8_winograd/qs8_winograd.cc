#include "kernels/qs8_winograd/qs8_winograd.h"

#include <algorithm>
#include <cstring>

#include "core/thread_pool.h"
#include "core/unit_ranges.h"
#include "kernels/packed_requant.h"
#include "kernels/qs8_winograd/filter_transform.h"

namespace pyrt {
namespace {

// Workers with their own scratch slot.
constexpr int kMaxSlots = 8;

size_t RoundUp64(size_t bytes) { return (bytes + 63) / 64 * 64; }

// The C values of src as k pairs 32 bytes apart (a column of U's
// [cin_p / 2][16][2] order); an odd last value pairs with the zero there.
void InterleavePairs(const int8_t* src, int C, int8_t* dst) {
  int c = 0;
  for (; c + 2 <= C; c += 2) std::memcpy(dst + c * 16, src + c, 2);
  if (c < C) dst[c * 16] = src[c];
}

// One worker's scratch: kAtLoad, V and then M of a block of tiles; kPerRun,
// a row of positions of a panel's U and then the panel's M over every tile.
// FirstPartBytes: where M starts.
size_t FirstPartBytes(const Qs8WinogradLayer& L) {
  return L.u ? RoundUp64(size_t{16} * kQs8WinogradTiles * L.cin_p * sizeof(int16_t))
             : RoundUp64(size_t{4} * L.cin_p * 16 * sizeof(int16_t));
}
size_t SlotBytes(const Qs8WinogradLayer& L) {
  const size_t tiles = L.u ? kQs8WinogradTiles : static_cast<size_t>(Qs8WinogradTiles(L.g));
  const size_t m_columns = L.u ? L.cout_p : 16;
  return FirstPartBytes(L) + RoundUp64(16 * tiles * m_columns * sizeof(int32_t));
}

// kPerRun: V of every tile, shared by the panels.
size_t PerRunInputBytes(const Qs8WinogradLayer& L) {
  return L.u ? 0 : RoundUp64(static_cast<size_t>(Qs8WinogradInputBytes(L.g)));
}

}  // namespace

int64_t Qs8WinogradTiles(const ConvGeometry& g) {
  return int64_t{g.batch} * ((g.out_h + 1) / 2) * ((g.out_w + 1) / 2);
}

int64_t Qs8WinogradFilterBytes(const ConvGeometry& g) {
  return int64_t{16} * ((g.in_c + 1) / 2 * 2) * ((g.out_c + 15) / 16 * 16) *
         static_cast<int64_t>(sizeof(int16_t));
}

int64_t Qs8WinogradInputBytes(const ConvGeometry& g) {
  return int64_t{16} * Qs8WinogradTiles(g) * ((g.in_c + 1) / 2 * 2) *
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

void Qs8WinogradPack(Qs8WinogradFilter when, const ConvGeometry& g, const int8_t* filter,
                     int32_t input_zero_point, const std::vector<int32_t>& folded_bias,
                     const std::vector<int32_t>& multiplier, const std::vector<int32_t>& shift,
                     int32_t output_zero_point, int32_t act_min, int32_t act_max,
                     Qs8WinogradLayer* layer) {
  Qs8WinogradLayer& L = *layer;
  L.g = g;
  L.cin_p = (g.in_c + 1) / 2 * 2;
  L.cout_p = (g.out_c + 15) / 16 * 16;
  L.input_zero_point = static_cast<int8_t>(input_zero_point);
  const int panels = L.cout_p / 16, C = g.in_c;
  const size_t block = static_cast<size_t>(L.cin_p) * 16;  // one tap or position of a panel
  // The taps in U's order (padding channels zero): all panels' for kPerRun,
  // one panel's at a time, transformed into u, for kAtLoad.
  std::vector<int8_t> panel_taps;
  if (when == Qs8WinogradFilter::kPerRun) {
    L.taps.reset(new int8_t[9 * block * panels]());
    L.u.reset();
  } else {
    L.u.reset(new int16_t[16 * block * panels]);  // every entry written below
    L.taps.reset();
    panel_taps.resize(9 * block);
  }
  for (int q = 0; q < panels; ++q) {
    int8_t* taps = L.taps ? L.taps.get() + q * 9 * block : panel_taps.data();
    // Only a last, partial panel holds channels a previous panel wrote.
    if (!L.taps && q * 16 + 16 > g.out_c)
      std::fill(panel_taps.begin(), panel_taps.end(), int8_t{0});
    for (int j = 0; j < 16 && q * 16 + j < g.out_c; ++j) {
      const int8_t* w = filter + static_cast<size_t>(q * 16 + j) * 9 * C;  // [3][3][C]
      for (int t = 0; t < 9; ++t) {
        InterleavePairs(w + t * C, C, taps + t * block + j * 2);
      }
    }
    if (!L.taps) {
      Qs8WinogradTransformPanel(taps, block, L.u.get() + q * block, panels * block);
    }
  }
  L.scalars = EpilogueScalars(output_zero_point, act_min, act_max);
  L.requant.assign(GemmlowpRequantBytes(L.cout_p) / sizeof(int32_t), 0);
  for (int n = 0; n < g.out_c; ++n)
    WriteGemmlowpRequant(L.requant.data(), L.cout_p, n, folded_bias[n], multiplier[n], shift[n],
                         L.scalars);
}

size_t Qs8WinogradScratchBytes(const Qs8WinogradLayer& L) {
  return PerRunInputBytes(L) + kMaxSlots * SlotBytes(L);
}

void Qs8WinogradRun(const Qs8WinogradPath& path, const Qs8WinogradLayer& L, const int8_t* input,
                    int8_t* output, uint8_t* scratch, ThreadPool* pool) {
  const int tiles = static_cast<int>(Qs8WinogradTiles(L.g));
  const size_t slot = SlotBytes(L);
  if (L.u) {
    const size_t v_bytes = FirstPartBytes(L);
    const int units = (tiles + kQs8WinogradTiles - 1) / kQs8WinogradTiles;
    ParallelUnitsOnWorkers(pool, units, kMaxSlots, [&](int w, int unit) {
      uint8_t* s = scratch + w * slot;
      const int t0 = unit * kQs8WinogradTiles;
      path.block(L, input, output, t0, std::min(kQs8WinogradTiles, tiles - t0),
                 reinterpret_cast<int16_t*>(s), reinterpret_cast<int32_t*>(s + v_bytes));
    });
    return;
  }
  int16_t* v = reinterpret_cast<int16_t*>(scratch);
  constexpr int kInputTiles = 8;
  ParallelUnits(pool, (tiles + kInputTiles - 1) / kInputTiles, [&](int i) {
    path.inputs(L, input, i * kInputTiles, std::min(kInputTiles, tiles - i * kInputTiles), v);
  });
  uint8_t* slots = scratch + PerRunInputBytes(L);
  const size_t u_bytes = FirstPartBytes(L);
  ParallelUnitsOnWorkers(pool, L.cout_p / 16, kMaxSlots, [&](int w, int q) {
    uint8_t* s = slots + w * slot;
    path.panel(L, v, q, reinterpret_cast<int16_t*>(s), reinterpret_cast<int32_t*>(s + u_bytes),
               output);
  });
}

}  // namespace pyrt
