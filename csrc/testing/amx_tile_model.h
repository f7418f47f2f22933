// A software model of the AMX tile intrinsics the amx GEMM kernels use
// (_tile_loadconfig, _tile_loadd, _tile_stored, _tile_zero, _tile_dpbssd,
// _tile_release), so the test module runs the kernel source on CPUs without
// AMX (PYRT_EMULATE_AMX; csrc/testing/qs8_gemm_amx_emulated.cc).
//
// Each thread has its own tile configuration and 8 tiles of 16 rows x 64
// bytes, as on the hardware (palette 1). Every operation checks what the
// hardware would fault on (#GP on a bad configuration, #UD on a tile
// instruction with unconfigured tiles or mismatched shapes): instead of
// faulting, the model records the first violation (TakeAmxModelFault) and
// leaves the tiles alone, so a test fails with the reason. The tile
// arguments must be single-digit literals, as GCC's intrinsics (inline asm
// pasting "%%tmm" #tile) require: anything else does not compile here either.
#pragma once

#include <immintrin.h>  // first: its _tile_* macros are replaced below

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace pyrt {
namespace amx_model {

// Records the first violation of any thread (false, for chaining); defined
// once in amx_tile_model.cc so every translation unit reports to one place.
bool Fault(const std::string& what);

// The first recorded violation since the last call ("" when none).
std::string TakeAmxModelFault();

// The rest is per translation unit (the kernel's is built with AVX-512
// flags, the bindings' without: no inline function may be shared).
namespace {

constexpr int kTiles = 8, kMaxRows = 16, kMaxColsb = 64;

struct Tile {
  int rows = 0, colsb = 0;  // configured shape; 0 x 0: not usable
  uint8_t bytes[kMaxRows][kMaxColsb] = {};
};

struct TileState {
  bool configured = false;  // a valid palette-1 configuration is loaded
  Tile tiles[kTiles];
};

inline TileState& State() {
  thread_local TileState state;
  return state;
}

// The tile number of a stringized intrinsic argument: one digit 0-7.
template <size_t N>
constexpr int TileNumber(const char (&text)[N]) {
  static_assert(N == 2, "AMX tile arguments must be single-digit literals (GCC pastes them into asm)");
  return text[0] - '0';
}

inline bool Usable(int t, const char* op) {
  if (!State().configured) return Fault(std::string(op) + ": tiles not configured (#UD)");
  if (t < 0 || t >= kTiles) return Fault(std::string(op) + ": no tile " + std::to_string(t));
  const Tile& tile = State().tiles[t];
  if (tile.rows == 0 || tile.colsb == 0)
    return Fault(std::string(op) + ": tile " + std::to_string(t) + " is not configured (#UD)");
  return true;
}

// ldtilecfg: palette 0 = the init state; palette 1: start_row 0, reserved
// bytes zero, per tile 8-15 nothing, per tile 0-7 rows <= 16 and colsb <= 64,
// both zero or both set. Loading a configuration zeroes every tile.
inline void LoadConfig(const void* config) {
  uint8_t c[64];
  std::memcpy(c, config, 64);
  TileState& s = State();
  s = TileState{};
  if (c[0] == 0) return;  // init state: nothing configured
  if (c[0] != 1) {
    Fault("ldtilecfg: palette " + std::to_string(c[0]) + " (only 1 exists, #GP)");
    return;
  }
  for (int i = 1; i < 16; ++i)
    if (c[i]) {
      Fault("ldtilecfg: start_row/reserved byte " + std::to_string(i) + " not zero (#GP)");
      return;
    }
  for (int i = 0; i < 8; ++i)
    if (c[32 + 2 * i] || c[33 + 2 * i] || c[56 + i]) {  // colsb and rows of tiles 8-15
      Fault("ldtilecfg: tile " + std::to_string(8 + i) + " configured (palette 1 has 8, #GP)");
      return;
    }
  for (int t = 0; t < kTiles; ++t) {
    const int colsb = c[16 + 2 * t] | (c[17 + 2 * t] << 8), rows = c[48 + t];
    if (rows > kMaxRows || colsb > kMaxColsb || (rows == 0) != (colsb == 0)) {
      Fault("ldtilecfg: tile " + std::to_string(t) + " rows " + std::to_string(rows) + " colsb " +
            std::to_string(colsb) + " (max 16 x 64, both zero or both set; #GP)");
      return;
    }
    s.tiles[t].rows = rows;
    s.tiles[t].colsb = colsb;
  }
  s.configured = true;
}

// tilerelease: back to the init state.
inline void Release() { State() = TileState{}; }

// tileloadd: rows x colsb bytes, row r from base + r * stride; the rest zero.
inline void LoadD(int t, const void* base, long stride) {
  if (!Usable(t, "tileloadd")) return;
  Tile& tile = State().tiles[t];
  std::memset(tile.bytes, 0, sizeof(tile.bytes));
  for (int r = 0; r < tile.rows; ++r)
    std::memcpy(tile.bytes[r], static_cast<const uint8_t*>(base) + r * stride, tile.colsb);
}

// tilestored: writes exactly rows x colsb bytes.
inline void StoreD(int t, void* base, long stride) {
  if (!Usable(t, "tilestored")) return;
  const Tile& tile = State().tiles[t];
  for (int r = 0; r < tile.rows; ++r)
    std::memcpy(static_cast<uint8_t*>(base) + r * stride, tile.bytes[r], tile.colsb);
}

inline void Zero(int t) {
  if (!Usable(t, "tilezero")) return;
  std::memset(State().tiles[t].bytes, 0, sizeof(State().tiles[t].bytes));
}

// tdpbssd c, a, b: c[m][n] (int32) += sum over k < a.colsb / 4 and j < 4 of
// a[m][4k + j] * b[k][4n + j], signed bytes, wrapping int32 sums. The shape
// checks are the instruction's #UD conditions.
inline void Dpbssd(int c, int a, int b) {
  if (!Usable(c, "tdpbssd") || !Usable(a, "tdpbssd") || !Usable(b, "tdpbssd")) return;
  if (c == a || c == b || a == b) {
    Fault("tdpbssd: tiles must be distinct (#UD)");
    return;
  }
  Tile &tc = State().tiles[c];
  const Tile &ta = State().tiles[a], &tb = State().tiles[b];
  const std::string shapes = " (c " + std::to_string(tc.rows) + "x" + std::to_string(tc.colsb) +
                             ", a " + std::to_string(ta.rows) + "x" + std::to_string(ta.colsb) +
                             ", b " + std::to_string(tb.rows) + "x" + std::to_string(tb.colsb) + ")";
  if (tc.colsb % 4 || ta.colsb % 4 || tb.colsb % 4) {
    Fault("tdpbssd: colsb not a multiple of 4 (#UD)" + shapes);
    return;
  }
  if (tc.rows != ta.rows || ta.colsb / 4 != tb.rows || tc.colsb != tb.colsb) {
    Fault("tdpbssd: shapes do not match (#UD)" + shapes);
    return;
  }
  for (int m = 0; m < tc.rows; ++m) {
    for (int n = 0; n < tc.colsb / 4; ++n) {
      int32_t sum;
      std::memcpy(&sum, &tc.bytes[m][4 * n], 4);
      uint32_t acc = static_cast<uint32_t>(sum);
      for (int k = 0; k < ta.colsb / 4; ++k)
        for (int j = 0; j < 4; ++j)
          acc += static_cast<uint32_t>(static_cast<int8_t>(ta.bytes[m][4 * k + j]) *
                                       static_cast<int8_t>(tb.bytes[k][4 * n + j]));
      std::memcpy(&tc.bytes[m][4 * n], &acc, 4);
    }
  }
}

}  // namespace
}  // namespace amx_model
}  // namespace pyrt

// The intrinsics' names, on the model. GCC's immintrin.h declares
// _tile_loadconfig and _tile_release as functions: the macros shadow them.
#undef _tile_loadd
#undef _tile_stored
#undef _tile_zero
#undef _tile_dpbssd
#define _tile_loadconfig(config) ::pyrt::amx_model::LoadConfig(config)
#define _tile_release() ::pyrt::amx_model::Release()
#define _tile_loadd(t, base, stride) PYRT_AMX_MODEL_LOADD_(t, base, stride)
#define PYRT_AMX_MODEL_LOADD_(t, base, stride) \
  ::pyrt::amx_model::LoadD(::pyrt::amx_model::TileNumber(#t), base, stride)
#define _tile_stored(t, base, stride) PYRT_AMX_MODEL_STORED_(t, base, stride)
#define PYRT_AMX_MODEL_STORED_(t, base, stride) \
  ::pyrt::amx_model::StoreD(::pyrt::amx_model::TileNumber(#t), base, stride)
#define _tile_zero(t) PYRT_AMX_MODEL_ZERO_(t)
#define PYRT_AMX_MODEL_ZERO_(t) ::pyrt::amx_model::Zero(::pyrt::amx_model::TileNumber(#t))
#define _tile_dpbssd(c, a, b) PYRT_AMX_MODEL_DPBSSD_(c, a, b)
#define PYRT_AMX_MODEL_DPBSSD_(c, a, b)                                       \
  ::pyrt::amx_model::Dpbssd(::pyrt::amx_model::TileNumber(#c),               \
                            ::pyrt::amx_model::TileNumber(#a), ::pyrt::amx_model::TileNumber(#b))
