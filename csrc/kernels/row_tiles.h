// How a GEMM's rows are cut into micro-kernel tiles.
#pragma once

#include <algorithm>

namespace pyrt {

// Calls tile(r, count) for tiles of at most mr rows covering [0, rows): mr
// rows each and a shorter last one, or (even) as many tiles of even sizes.
// Even tiles matter where the last tile would be short: 49 rows (a 7x7 map)
// as 6 x 8 + 1 stream every weight panel once more for one row, on 1-2
// latency-bound sums; as 7 x 7 they do not.
template <typename Tile>
inline void ForEachRowTile(int rows, int mr, bool even, Tile&& tile) {
  const int tiles = (rows + mr - 1) / mr;
  if (tiles <= 0) return;
  const int base = even ? rows / tiles : mr;
  const int longer = even ? rows % tiles : 0;  // tiles with base + 1 rows
  for (int t = 0, r = 0; t < tiles; ++t) {
    const int count = std::min(base + (t < longer ? 1 : 0), rows - r);
    tile(r, count);
    r += count;
  }
}

}  // namespace pyrt
