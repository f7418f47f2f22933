// Factories of the builtin ops pyruntime implements, one per op file.
// To add an op: write ops/<name>.cc defining its factory, declare it here and
// map its builtin code in registry.cc.
#pragma once

#include <memory>

#include "ops/op.h"

namespace pyrt {

std::unique_ptr<Op> MakeConv2D();
std::unique_ptr<Op> MakeDepthwiseConv2D();
std::unique_ptr<Op> MakeFullyConnected();
std::unique_ptr<Op> MakeReshape();
std::unique_ptr<Op> MakeShape();
std::unique_ptr<Op> MakePad();
std::unique_ptr<Op> MakeMaxPool2D();
std::unique_ptr<Op> MakeAveragePool2D();
std::unique_ptr<Op> MakeStridedSlice();
std::unique_ptr<Op> MakePack();
std::unique_ptr<Op> MakeConcatenation();

}  // namespace pyrt
