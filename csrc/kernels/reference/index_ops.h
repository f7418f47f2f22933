// Reference kernels of GATHER_ND, TOPK_V2 and WHERE (element bytes copied
// as they are; no requantization).
#pragma once

#include <cstddef>
#include <cstdint>

namespace pyrt {

// GATHER_ND: for each of `count` index vectors of `nd` entries, copies the
// slice of `slice_bytes` at sum(index[j] * stride[j]) (element strides of the
// first nd params dims); an index outside [0, dim) gives a zero slice (the
// reference fails the invoke there).
template <typename I>
void GatherNd(const uint8_t* params, const int64_t* dims, const int64_t* strides, int nd,
              const I* indices, int64_t count, size_t elem_size, int64_t slice_elems,
              uint8_t* out);

// SCATTER_ND: out = zeros; for each of `count` index vectors of `nd`
// entries, out slice at sum(index[j] * stride[j]) += the next update slice
// (duplicates add up, as the reference; for bool the sum saturates to true).
// An index outside [0, dim) skips its update (the reference fails the invoke).
template <typename T, typename I>
void ScatterNd(const I* indices, const T* updates, const int64_t* dims, const int64_t* strides,
               int nd, int64_t count, int64_t slice_elems, int64_t out_elems, T* out);

// TOPK_V2 over rows of `depth`: the k largest values (ties: lower index
// first, as the reference's TopContainer), values and int32 indices.
// `order` is scratch for `depth` int32.
template <typename T>
void TopK(const T* in, int64_t rows, int32_t depth, int32_t k, T* values, int32_t* indices,
          int32_t* order);

// WHERE: coordinates (row-major order, int64) of the non-zero elements.
template <typename T>
void WhereCoordinates(const T* cond, const int32_t* dims, int rank, int64_t total, int64_t* out);

}  // namespace pyrt
