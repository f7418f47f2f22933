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
    case kOpAdd: return MakeAddAnyType;  // ops/binary_int.cc: int32/int64, else as before
    case kOpSub: return MakeSubAnyType;
    case kOpMul: return MakeMulAnyType;
    case kOpMean: return MakeDTypeDispatch<MakeMean, MakeMeanF32>;
    case kOpSum: return MakeDTypeDispatch<MakeSum, MakeSumF32>;
    case kOpSoftmax: return MakeDTypeDispatch<MakeSoftmax, MakeSoftmaxF32, MakeSoftmaxS16>;
    case kOpLogistic: return MakeDTypeDispatch<MakeLogistic, MakeLogisticF32, MakeLogisticS16>;
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
    case kOpBatchMatMul: return MakeDTypeDispatch<MakeBatchMatMul, MakeBatchMatMulF32, MakeBatchMatMulS16>;
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
    case kOpRelu: return MakeDTypeDispatch<MakeRelu, MakeReluF32>;
    case kOpRelu6: return MakeDTypeDispatch<MakeRelu6, MakeRelu6F32>;
    case kOpReluN1To1: return MakeDTypeDispatch<MakeReluN1To1, MakeReluN1To1F32>;
    case kOpLeakyRelu: return MakeDTypeDispatch<MakeLeakyRelu, MakeLeakyReluF32, MakeLeakyReluS16>;
    case kOpTanh: return MakeDTypeDispatch<MakeTanh, MakeTanhF32, MakeTanhS16>;
    case kOpGelu: return MakeDTypeDispatch<MakeGelu, MakeGeluF32>;
    case kOpAbs: return MakeDTypeDispatch<MakeAbs, MakeAbsF32>;
    case kOpExp: return MakeDTypeDispatch<MakeExp, MakeExpF32>;
    case kOpLog: return MakeDTypeDispatch<MakeLog, MakeLogF32>;
    case kOpRsqrt: return MakeDTypeDispatch<MakeRsqrt, MakeRsqrtF32>;
    case kOpNeg: return MakeDTypeDispatch<MakeNoQuantizedKernel, MakeNegF32>;
    case kOpSqrt: return MakeDTypeDispatch<MakeSqrt, MakeSqrtF32>;
    case kOpSquare: return MakeDTypeDispatch<MakeNoQuantizedKernel, MakeSquareF32>;
    case kOpDiv: return MakeDTypeDispatch<MakeDiv, MakeDivF32>;
    case kOpCast: return MakeCast;
    case kOpL2Normalization: return MakeL2Normalization;
    case kOpMaximum: return MakeMaximum;
    case kOpMinimum: return MakeMinimum;
    case kOpPrelu: return MakeDTypeDispatch<MakePrelu, MakePreluF32>;
    case kOpSquaredDifference: return MakeDTypeDispatch<MakeSquaredDifference, MakeSquaredDifferenceF32>;
    case kOpFloor: return MakeFloor;
    case kOpCeil: return MakeCeil;
    case kOpRound: return MakeRound;
    case kOpDensify: return MakeDensify;
    case kOpEmbeddingLookup: return MakeEmbeddingLookup;
    case kOpDynamicUpdateSlice: return MakeDynamicUpdateSlice;
    case kOpFloorMod: return MakeFloorMod;
    case kOpSin: return MakeSin;
    case kOpCos: return MakeCos;
    case kOpSign: return MakeSign;
    case kOpAtan2: return MakeAtan2;
    case kOpLogicalNot: return MakeLogicalNot;
    case kOpLogicalAnd: return MakeLogicalAnd;
    case kOpLogicalOr: return MakeLogicalOr;
    case kOpSelect: return MakeSelect;
    case kOpSelectV2: return MakeSelectV2;
    case kOpReduceAny: return MakeReduceAny;
    case kOpReduceAll: return MakeReduceAll;
    case kOpGatherNd: return MakeGatherNd;
    case kOpTopKV2: return MakeTopKV2;
    case kOpScatterNd: return MakeScatterNd;
    case kOpMirrorPad: return MakeMirrorPad;
    case kOpWhere: return MakeWhere;
    case kOpLogSoftmax: return MakeDTypeDispatch<MakeNoQuantizedKernel, MakeLogSoftmax>;
    case kOpElu: return MakeDTypeDispatch<MakeElu, MakeEluF32>;
    case kOpRelu0To1: return MakeDTypeDispatch<MakeRelu0To1, MakeRelu0To1F32>;
    case kOpEqual: return MakeEqual;
    case kOpNotEqual: return MakeNotEqual;
    case kOpGreater: return MakeGreater;
    case kOpGreaterEqual: return MakeGreaterEqual;
    case kOpLess: return MakeLess;
    case kOpLessEqual: return MakeLessEqual;
    case kOpIf: return MakeIf;
    case kOpWhile: return MakeWhile;
    case kOpCallOnce: return MakeCallOnce;
    case kOpStablehloComposite: return MakeComposite;
    case kOpVarHandle: return MakeVarHandle;
    case kOpReadVariable: return MakeReadVariable;
    case kOpAssignVariable: return MakeAssignVariable;
    case kOpUnidirectionalSequenceLstm:
      return MakeDTypeDispatch<MakeUnidirectionalSequenceLstmS8, MakeUnidirectionalSequenceLstmF32>;
    case kOpReverseV2: return MakeReverseV2;
    case kOpSvdf: return MakeSvdf;
    case kOpRnn: return MakeRnn;
    case kOpUnidirectionalSequenceRnn: return MakeUnidirectionalSequenceRnn;
    case kOpFill: return MakeFill;
    case kOpBidirectionalSequenceRnn: return MakeBidirectionalSequenceRnn;
    case kOpBidirectionalSequenceLstm: return MakeBidirectionalSequenceLstm;
    default: return nullptr;
  }
}

}  // namespace pyrt
