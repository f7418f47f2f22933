#include "ops/registry.h"

#include "model/builtin_ops.h"

namespace pyrt {

OpFactory FindOpFactory(int32_t builtin_code) {
  switch (builtin_code) {
    case kOpConv2D: return MakeConv2D;
    case kOpDepthwiseConv2D: return MakeDepthwiseConv2D;
    case kOpFullyConnected: return MakeFullyConnected;
    case kOpReshape: return MakeReshape;
    case kOpShape: return MakeShape;
    case kOpAdd: return MakeAdd;
    case kOpSub: return MakeSub;
    case kOpMul: return MakeMul;
    case kOpMean: return MakeMean;
    case kOpSum: return MakeSum;
    case kOpSoftmax: return MakeSoftmax;
    case kOpLogistic: return MakeLogistic;
    case kOpHardSwish: return MakeHardSwish;
    case kOpQuantize: return MakeQuantize;
    case kOpDequantize: return MakeDequantize;
    case kOpPad: return MakePad;
    case kOpPadV2: return MakePad;
    case kOpMaxPool2D: return MakeMaxPool2D;
    case kOpAveragePool2D: return MakeAveragePool2D;
    case kOpStridedSlice: return MakeStridedSlice;
    case kOpPack: return MakePack;
    case kOpConcatenation: return MakeConcatenation;
    default: return nullptr;
  }
}

}  // namespace pyrt
