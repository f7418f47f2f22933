// int8 CONV_2D with a 3x3 filter, stride 1, dilation 1 by Winograd's
// F(2x2, 3x3), bit-exact: each 2x2 block of outputs takes 16 products per
// (input, output) channel instead of 36.
//
// Exact because every step is a ring operation on integers: the filter is
// transformed by 2G (U = 2G g 2G^T, integer, |U| <= 9 * 128), the input
// tile by B^T d B (|V| <= 4 * 128), the 16 products summed over the input
// channels and the output transform A^T M A give 4 * acc modulo 2^32 in
// int32 arithmetic that may wrap; acc = that >> 2 wherever |acc| < 2^29,
// which the filter guarantees when 128 * sum|w| < 2^29 for every output
// channel (Qs8WinogradFits). U and V fit int16, so the products are
// vpmaddwd pairs. The input is read as it is (padding and tiles past the
// edge hold the input zero point) and the bias is the one folded with the
// zero point, as for the GEMM paths.
//
// The transformed filter is 3.6x the int8 filter's bytes. Maps with many
// 2x2 tiles per byte of it keep it from load on (kAtLoad); the others
// (ResNet50's 14x14 x 256 and 7x7 x 512 stages: 2 MB for 49 tiles, 8 MB
// for 16) keep the int8 taps and transform them every run, an output panel
// and a row of positions at a time, used while in cache (kPerRun): memory
// as the GEMM path's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

class ThreadPool;

enum class Qs8WinogradFilter { kAtLoad, kPerRun };

// A layer's filter (transformed, or its taps to transform per run) and
// requantization.
struct Qs8WinogradLayer {
  ConvGeometry g{};
  int cin_p = 0;   // input channels rounded up to a k pair
  int cout_p = 0;  // output channels rounded up to 16
  int8_t input_zero_point = 0;
  // U for position p (of the 4x4 tile), output panel q (16 channels):
  // [cin_p / 2][16][2] int16 at u[(p * panels + q) * cin_p * 16]
  // (kAtLoad; empty for kPerRun).
  std::unique_ptr<int16_t[]> u;
  // The filter's taps in U's order: tap (y * 3 + x) of panel q is
  // [cin_p / 2][16][2] int8 at taps[(q * 9 + tap) * cin_p * 16] (kPerRun;
  // empty for kAtLoad).
  std::unique_ptr<int8_t[]> taps;
  std::vector<int32_t> requant;  // the packed_requant.h block of cout_p channels
  Qs8GemmEpilogue scalars;
};

// Tiles (2x2 output blocks) per unit of work: each unit transforms its
// tiles' inputs, runs the 16 GEMMs and writes their outputs.
constexpr int kQs8WinogradTiles = 24;

// The layer's 2x2 output tiles (over all images), the bytes of its
// transformed filter (16 int16 per padded input and output channel) and of
// every tile's transformed input (16 int16 per tile and padded input
// channel).
int64_t Qs8WinogradTiles(const ConvGeometry& g);
int64_t Qs8WinogradFilterBytes(const ConvGeometry& g);
int64_t Qs8WinogradInputBytes(const ConvGeometry& g);

// Whether the Winograd path takes this layer exactly: 3x3, stride 1,
// dilation 1, depth multiplier irrelevant (dense conv), and every output
// channel's 128 * sum|w| below 2^29. filter [out_c][3][3][in_c].
bool Qs8WinogradFits(const ConvGeometry& g, const int8_t* filter);

// Packs the filter (transformed for kAtLoad, its taps in U's order for
// kPerRun) and the requantization (bias folded with the input zero point;
// multiplier / shift per channel).
void Qs8WinogradPack(Qs8WinogradFilter when, const ConvGeometry& g, const int8_t* filter,
                     int32_t input_zero_point, const std::vector<int32_t>& folded_bias,
                     const std::vector<int32_t>& multiplier, const std::vector<int32_t>& shift,
                     int32_t output_zero_point, int32_t act_min, int32_t act_max,
                     Qs8WinogradLayer* layer);

// Scratch of the whole run: the workers' slots, after V of every tile for
// kPerRun.
size_t Qs8WinogradScratchBytes(const Qs8WinogradLayer& layer);

// The microkernels of a path.
struct Qs8WinogradPath {
  // kAtLoad: tiles [tile0, tile0 + count) (row-major over images, tile
  // rows, tile columns) into output, v and m its worker's scratch.
  void (*block)(const Qs8WinogradLayer& layer, const int8_t* input, int8_t* output, int tile0,
                int count, int16_t* v, int32_t* m);
  // kPerRun: V of tiles [tile0, tile0 + count) into v (V[p][t][c] over all
  // the layer's tiles).
  void (*inputs)(const Qs8WinogradLayer& layer, const int8_t* input, int tile0, int count,
                 int16_t* v);
  // kPerRun: output panel q (16 channels) for every tile from that V; u
  // (one row of positions of the panel's U) and m (its M) the worker's
  // scratch.
  void (*panel)(const Qs8WinogradLayer& layer, const int16_t* v, int q, int16_t* u, int32_t* m,
                int8_t* output);
};

// The whole convolution, units shared by the pool's threads: kAtLoad in
// blocks of tiles; kPerRun first V of every tile, then output panels (each
// transforms its part of the filter while it stays in cache).
void Qs8WinogradRun(const Qs8WinogradPath& path, const Qs8WinogradLayer& layer,
                    const int8_t* input, int8_t* output, uint8_t* scratch, ThreadPool* pool);

}  // namespace pyrt
