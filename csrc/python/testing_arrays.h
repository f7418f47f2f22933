// Shared by the test module's translation units: numpy array types of the
// kernel entry points and a checked copy of a 1-D argument.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "core/error.h"

namespace pyrt {
namespace testing {

namespace py = pybind11;

using I8 = py::array_t<int8_t, py::array::c_style | py::array::forcecast>;
using I32 = py::array_t<int32_t, py::array::c_style | py::array::forcecast>;
using F32 = py::array_t<float, py::array::c_style | py::array::forcecast>;
using F64 = py::array_t<double, py::array::c_style | py::array::forcecast>;
using I16 = py::array_t<int16_t, py::array::c_style | py::array::forcecast>;
using I64 = py::array_t<int64_t, py::array::c_style | py::array::forcecast>;

template <typename T>
std::vector<T> Vec(const py::array_t<T, py::array::c_style | py::array::forcecast>& a, size_t n,
                   const char* what) {
  if (static_cast<size_t>(a.size()) != n)
    throw UsageError(StrCat(what, ": expected ", n, " values, got ", a.size()));
  return std::vector<T>(a.data(), a.data() + n);
}

// Fills an output array before a kernel writes it: numpy hands back freed
// blocks, often still holding an earlier call's (correct) result, so a
// kernel that skipped part of its output could otherwise pass.
template <typename T>
void Poison(py::array_t<T>& a) {
  std::memset(a.mutable_data(), 0xA5, static_cast<size_t>(a.nbytes()));
}

// Registers the float and hybrid kernel entries (testing_float_bindings.cc).
void RegisterFloatAndHybridEntries(py::module_& t);

}  // namespace testing
}  // namespace pyrt
