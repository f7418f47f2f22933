#include "kernels/reference/index_ops.h"

#include <algorithm>
#include <cstring>

namespace pyrt {

template <typename I>
void GatherNd(const uint8_t* params, const int64_t* dims, const int64_t* strides, int nd,
              const I* indices, int64_t count, size_t elem_size, int64_t slice_elems,
              uint8_t* out) {
  const size_t slice_bytes = static_cast<size_t>(slice_elems) * elem_size;
  for (int64_t i = 0; i < count; ++i, indices += nd, out += slice_bytes) {
    int64_t from = 0;
    bool inside = true;
    for (int j = 0; j < nd; ++j) {
      const int64_t v = static_cast<int64_t>(indices[j]);
      inside = inside && v >= 0 && v < dims[j];
      from += v * strides[j];
    }
    if (!inside) {
      std::memset(out, 0, slice_bytes);
      continue;
    }
    std::memcpy(out, params + static_cast<size_t>(from) * elem_size, slice_bytes);
  }
}

template <typename T, typename I>
void ScatterNd(const I* indices, const T* updates, const int64_t* dims, const int64_t* strides,
               int nd, int64_t count, int64_t slice_elems, int64_t out_elems, T* out) {
  for (int64_t e = 0; e < out_elems; ++e) out[e] = T(0);
  for (int64_t i = 0; i < count; ++i, indices += nd, updates += slice_elems) {
    int64_t to = 0;
    bool inside = true;
    for (int j = 0; j < nd; ++j) {
      const int64_t v = static_cast<int64_t>(indices[j]);
      inside = inside && v >= 0 && v < dims[j];
      to += v * strides[j];
    }
    if (!inside) continue;
    for (int64_t k = 0; k < slice_elems; ++k) out[to + k] = static_cast<T>(out[to + k] + updates[k]);
  }
}

template <typename T>
void TopK(const T* in, int64_t rows, int32_t depth, int32_t k, T* values, int32_t* indices,
          int32_t* order) {
  for (int64_t r = 0; r < rows; ++r, in += depth, values += k, indices += k) {
    for (int32_t i = 0; i < depth; ++i) order[i] = i;
    std::partial_sort(order, order + k, order + depth, [in](int32_t a, int32_t b) {
      return in[a] > in[b] || (!(in[b] > in[a]) && a < b);
    });
    for (int32_t i = 0; i < k; ++i) values[i] = in[order[i]], indices[i] = order[i];
  }
}

template <typename T>
void WhereCoordinates(const T* cond, const int32_t* dims, int rank, int64_t total, int64_t* out) {
  int64_t index[16] = {0};
  for (int64_t e = 0; e < total; ++e) {
    if (cond[e] != T(0)) {
      for (int d = 0; d < rank; ++d) *out++ = index[d];
    }
    for (int d = rank - 1; d >= 0; --d) {
      if (++index[d] < dims[d]) break;
      index[d] = 0;
    }
  }
}

template void GatherNd<int16_t>(const uint8_t*, const int64_t*, const int64_t*, int,
                                const int16_t*, int64_t, size_t, int64_t, uint8_t*);
template void GatherNd<int32_t>(const uint8_t*, const int64_t*, const int64_t*, int,
                                const int32_t*, int64_t, size_t, int64_t, uint8_t*);
template void GatherNd<int64_t>(const uint8_t*, const int64_t*, const int64_t*, int,
                                const int64_t*, int64_t, size_t, int64_t, uint8_t*);
#define PYRT_SCATTER(T)                                                                     \
  template void ScatterNd<T, int32_t>(const int32_t*, const T*, const int64_t*, const int64_t*, \
                                      int, int64_t, int64_t, int64_t, T*);                      \
  template void ScatterNd<T, int64_t>(const int64_t*, const T*, const int64_t*, const int64_t*, \
                                      int, int64_t, int64_t, int64_t, T*);
PYRT_SCATTER(float)
PYRT_SCATTER(uint8_t)
PYRT_SCATTER(int8_t)
PYRT_SCATTER(int32_t)
PYRT_SCATTER(int64_t)
PYRT_SCATTER(bool)
#define PYRT_TOPK(T) \
  template void TopK<T>(const T*, int64_t, int32_t, int32_t, T*, int32_t*, int32_t*);
PYRT_TOPK(float)
PYRT_TOPK(uint8_t)
PYRT_TOPK(int8_t)
PYRT_TOPK(int16_t)
PYRT_TOPK(int32_t)
PYRT_TOPK(int64_t)
#define PYRT_WHERE(T) \
  template void WhereCoordinates<T>(const T*, const int32_t*, int, int64_t, int64_t*);
PYRT_WHERE(bool)
PYRT_WHERE(float)
PYRT_WHERE(uint8_t)
PYRT_WHERE(int8_t)
PYRT_WHERE(int32_t)
PYRT_WHERE(int64_t)

}  // namespace pyrt
