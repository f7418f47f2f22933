#include "ops/registry.h"

#include "model/builtin_ops.h"
#include "ops/dtype_dispatch.h"

namespace pyrt {

OpFactory FindOpFactory(int32_t builtin_code) {
  switch (builtin_code) {
    case kOpConv2D: return MakeDTypeDispatch<MakeConv2D, MakeConv2DF32, MakeConv2DS16, MakeConv2DHybrid>;
    case kOpDepthwiseConv2D: return MakeDTypeDispatch<MakeDepthwiseConv2D, MakeDepthwiseConv2DF32,
                                                        MakeDepthwiseConv2DS16, MakeDepthwiseConv2DHybrid>;
    case kOpFullyConnected: return MakeDTypeDispatch<MakeFullyConnected, MakeFullyConnectedF32,
                                                       MakeFullyConnectedS16, MakeFullyConnectedHybrid>;
    case kOpReshape: return MakeReshape;
    case kOpShape: return MakeShape;
    case kOpAdd: return MakeDTypeDispatch<MakeAdd, MakeAddF32>;
    case kOpSub: return MakeDTypeDispatch<MakeSub, MakeSubF32>;
    case kOpMul: return MakeDTypeDispatch<MakeMul, MakeMulF32>;
    case kOpMean: return MakeDTypeDispatch<MakeMean, MakeMeanF32>;
    case kOpSum: return MakeDTypeDispatch<MakeSum, MakeSumF32>;
    case kOpSoftmax: return MakeDTypeDispatch<MakeSoftmax, MakeSoftmaxF32, MakeSoftmaxS16>;
    case kOpLogistic: return MakeDTypeDispatch<MakeLogistic, MakeLogisticF32, MakeLogisticS16>;
    case kOpTanh: return MakeTanhS16;
    case kOpHardSwish: return MakeDTypeDispatch<MakeHardSwish, MakeHardSwishF32>;
    case kOpQuantize: return MakeQuantize;
    case kOpDequantize: return MakeDequantize;
    case kOpPad: return MakePad;
    case kOpPadV2: return MakePad;
    case kOpMaxPool2D: return MakeDTypeDispatch<MakeMaxPool2D, MakeMaxPool2DF32>;
    case kOpAveragePool2D: return MakeDTypeDispatch<MakeAveragePool2D, MakeAveragePool2DF32>;
    case kOpStridedSlice: return MakeStridedSlice;
    case kOpPack: return MakePack;
    case kOpConcatenation: return MakeConcatenation;
    // The data input of TRANSPOSE_CONV is input 2.
    case kOpTransposeConv: return MakeDTypeDispatchOnInput<MakeTransposeConv, MakeTransposeConvF32, 2>;
    case kOpBatchMatMul: return MakeDTypeDispatch<MakeBatchMatMul, MakeBatchMatMulF32>;
    case kOpSqueeze: return MakeSqueeze;
    case kOpExpandDims: return MakeExpandDims;
    case kOpSlice: return MakeSlice;
    case kOpSplit: return MakeSplit;
    case kOpSplitV: return MakeSplitV;
    case kOpUnpack: return MakeUnpack;
    case kOpTranspose: return MakeTranspose;
    case kOpGather: return MakeGather;
    case kOpTile: return MakeTile;
    case kOpBroadcastTo: return MakeBroadcastTo;
    case kOpResizeBilinear: return MakeResizeBilinear;
    case kOpResizeNearestNeighbor: return MakeResizeNearestNeighbor;
    case kOpReduceMax: return MakeReduceMax;
    case kOpReduceMin: return MakeReduceMin;
    case kOpArgMax: return MakeArgMax;
    case kOpArgMin: return MakeArgMin;
    case kOpDepthToSpace: return MakeDepthToSpace;
    case kOpSpaceToDepth: return MakeSpaceToDepth;
    default: return nullptr;
  }
}

}  // namespace pyrt
