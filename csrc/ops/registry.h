// Factories of the builtin ops pyruntime implements, one per op file.
// To add an op: write ops/<name>.cc defining its factory, declare it here and
// map its builtin code in registry.cc.
#pragma once

#include <memory>

#include "ops/op.h"

namespace pyrt {

// ops/elementwise_simple.cc, ops/select.cc, ops/reduce_logical.cc
std::unique_ptr<Op> MakeFloor();
std::unique_ptr<Op> MakeCeil();
std::unique_ptr<Op> MakeRound();
std::unique_ptr<Op> MakeDensify();
std::unique_ptr<Op> MakeEmbeddingLookup();
std::unique_ptr<Op> MakeDynamicUpdateSlice();
std::unique_ptr<Op> MakeFloorMod();
std::unique_ptr<Op> MakeSin();
std::unique_ptr<Op> MakeCos();
std::unique_ptr<Op> MakeSign();
std::unique_ptr<Op> MakeAtan2();
std::unique_ptr<Op> MakeLogicalNot();
std::unique_ptr<Op> MakeLogicalAnd();
std::unique_ptr<Op> MakeLogicalOr();
std::unique_ptr<Op> MakeSelect();
std::unique_ptr<Op> MakeSelectV2();
std::unique_ptr<Op> MakeReduceAny();
std::unique_ptr<Op> MakeReduceAll();
std::unique_ptr<Op> MakeGatherNd();  // ops/index_ops.cc
std::unique_ptr<Op> MakeTopKV2();
std::unique_ptr<Op> MakeScatterNd();
std::unique_ptr<Op> MakeMirrorPad();  // ops/mirror_pad.cc
std::unique_ptr<Op> MakeWhere();
std::unique_ptr<Op> MakeLogSoftmax();  // float32, ops/elementwise_simple.cc
std::unique_ptr<Op> MakeEluF32();
std::unique_ptr<Op> MakeRelu0To1F32();
std::unique_ptr<Op> MakeElu();  // int8, ops/activations.cc
std::unique_ptr<Op> MakeRelu0To1();
std::unique_ptr<Op> MakeAddAnyType();  // ops/binary_int.cc
std::unique_ptr<Op> MakeSubAnyType();
std::unique_ptr<Op> MakeMulAnyType();
std::unique_ptr<Op> MakeEqual();  // ops/comparison.cc
std::unique_ptr<Op> MakeNotEqual();
std::unique_ptr<Op> MakeGreater();
std::unique_ptr<Op> MakeGreaterEqual();
std::unique_ptr<Op> MakeLess();
std::unique_ptr<Op> MakeLessEqual();
std::unique_ptr<Op> MakeConv2D();
std::unique_ptr<Op> MakeDepthwiseConv2D();
std::unique_ptr<Op> MakeFullyConnected();
std::unique_ptr<Op> MakeReshape();
std::unique_ptr<Op> MakeShape();
std::unique_ptr<Op> MakeAdd();
std::unique_ptr<Op> MakeSub();
std::unique_ptr<Op> MakeMul();
std::unique_ptr<Op> MakeMean();
std::unique_ptr<Op> MakeSum();
std::unique_ptr<Op> MakeSoftmax();
std::unique_ptr<Op> MakeLogistic();
std::unique_ptr<Op> MakeHardSwish();
std::unique_ptr<Op> MakeQuantize();
std::unique_ptr<Op> MakeDequantize();
std::unique_ptr<Op> MakePad();
std::unique_ptr<Op> MakeMaxPool2D();
std::unique_ptr<Op> MakeAveragePool2D();
std::unique_ptr<Op> MakeStridedSlice();
std::unique_ptr<Op> MakePack();
std::unique_ptr<Op> MakeConcatenation();
std::unique_ptr<Op> MakeTransposeConv();
std::unique_ptr<Op> MakeBatchMatMul();
std::unique_ptr<Op> MakeSqueeze();
std::unique_ptr<Op> MakeExpandDims();
std::unique_ptr<Op> MakeSlice();
std::unique_ptr<Op> MakeSplit();
std::unique_ptr<Op> MakeSplitV();
std::unique_ptr<Op> MakeUnpack();
std::unique_ptr<Op> MakeTranspose();
std::unique_ptr<Op> MakeGather();
std::unique_ptr<Op> MakeTile();
std::unique_ptr<Op> MakeBroadcastTo();
std::unique_ptr<Op> MakeResizeBilinear();
std::unique_ptr<Op> MakeResizeNearestNeighbor();
std::unique_ptr<Op> MakeReduceMax();
std::unique_ptr<Op> MakeReduceMin();
std::unique_ptr<Op> MakeArgMax();
std::unique_ptr<Op> MakeArgMin();
std::unique_ptr<Op> MakeDepthToSpace();
std::unique_ptr<Op> MakeSpaceToDepth();
// Elementwise ops (activations.cc, unary_math.cc, binary_elementwise.cc).
std::unique_ptr<Op> MakeRelu();
std::unique_ptr<Op> MakeRelu6();
std::unique_ptr<Op> MakeReluN1To1();
std::unique_ptr<Op> MakeLeakyRelu();
std::unique_ptr<Op> MakeTanh();
std::unique_ptr<Op> MakeGelu();
std::unique_ptr<Op> MakeAbs();
std::unique_ptr<Op> MakeExp();
std::unique_ptr<Op> MakeLog();
std::unique_ptr<Op> MakeSqrt();
std::unique_ptr<Op> MakeRsqrt();
// Quantized side of NEG and SQUARE: rejects the model.
std::unique_ptr<Op> MakeNoQuantizedKernel();
std::unique_ptr<Op> MakeMaximum();  // any numeric type
std::unique_ptr<Op> MakeMinimum();  // any numeric type
std::unique_ptr<Op> MakePrelu();
std::unique_ptr<Op> MakeSquaredDifference();
std::unique_ptr<Op> MakeDiv();
std::unique_ptr<Op> MakeCast();  // any supported type pair
std::unique_ptr<Op> MakeL2Normalization();  // int8 and float32

// Hybrid versions (float32 input, int8 weights), reached through
// MakeDTypeDispatch (ops/dtype_dispatch.h).
std::unique_ptr<Op> MakeConv2DHybrid();
std::unique_ptr<Op> MakeDepthwiseConv2DHybrid();
std::unique_ptr<Op> MakeFullyConnectedHybrid();
// Float32 versions, reached through MakeDTypeDispatch (ops/dtype_dispatch.h).
std::unique_ptr<Op> MakeConv2DF32();
// Float CONV_2D with fused elementwise ops after it (interpreter/conv_f32_fusion.h).
struct ConvF32Epilogue;
std::unique_ptr<Op> MakeConv2DThenF32(ConvF32Epilogue epilogue);
std::unique_ptr<Op> MakeDepthwiseConv2DThenF32(ConvF32Epilogue epilogue);
std::unique_ptr<Op> MakeDepthwiseConv2DF32();
// The prepared float ops (project: a pointwise CONV_2D after the
// depthwise, or null) as one (interpreter/conv_f32_fusion.h) for up to
// `threads` workers, or null when they cannot run in bands.
std::unique_ptr<Op> MakeConvThenDepthwiseF32(const Op& conv, const Op& dw, const Op* project,
                                             int threads);
std::unique_ptr<Op> MakeFullyConnectedF32();
std::unique_ptr<Op> MakeAddF32();
std::unique_ptr<Op> MakeSubF32();
std::unique_ptr<Op> MakeMulF32();
// ADD / SUB / MUL (builtin_code) then the clamp std::min(std::max(lo, x), hi)
// of a RELU-family op on its output (interpreter/fusion.h).
std::unique_ptr<Op> MakeBinaryThenClampF32(int builtin_code, float lo, float hi);
std::unique_ptr<Op> MakeMeanF32();
std::unique_ptr<Op> MakeSumF32();
std::unique_ptr<Op> MakeSoftmaxF32();
std::unique_ptr<Op> MakeLogisticF32();
std::unique_ptr<Op> MakeHardSwishF32();
std::unique_ptr<Op> MakeMaxPool2DF32();
std::unique_ptr<Op> MakeAveragePool2DF32();
std::unique_ptr<Op> MakeTransposeConvF32();
std::unique_ptr<Op> MakeBatchMatMulF32();

// 16x8 (int16 activations, int8 weights) versions.
std::unique_ptr<Op> MakeConv2DS16();
std::unique_ptr<Op> MakeDepthwiseConv2DS16();
std::unique_ptr<Op> MakeFullyConnectedS16();
std::unique_ptr<Op> MakeSoftmaxS16();
std::unique_ptr<Op> MakeLogisticS16();
std::unique_ptr<Op> MakeTanhS16();
std::unique_ptr<Op> MakeLeakyReluS16();
std::unique_ptr<Op> MakeBatchMatMulS16();
std::unique_ptr<Op> MakeReluF32();
std::unique_ptr<Op> MakeRelu6F32();
std::unique_ptr<Op> MakeReluN1To1F32();
std::unique_ptr<Op> MakeLeakyReluF32();
std::unique_ptr<Op> MakeTanhF32();
std::unique_ptr<Op> MakeGeluF32();
std::unique_ptr<Op> MakeAbsF32();
std::unique_ptr<Op> MakeNegF32();
std::unique_ptr<Op> MakeExpF32();
std::unique_ptr<Op> MakeLogF32();
std::unique_ptr<Op> MakeSqrtF32();
std::unique_ptr<Op> MakeRsqrtF32();
std::unique_ptr<Op> MakeSquareF32();
std::unique_ptr<Op> MakePreluF32();
std::unique_ptr<Op> MakeSquaredDifferenceF32();
std::unique_ptr<Op> MakeDivF32();

// Control flow and resource variables (control_flow.cc, variables.cc).
std::unique_ptr<Op> MakeIf();
std::unique_ptr<Op> MakeWhile();
std::unique_ptr<Op> MakeCallOnce();
std::unique_ptr<Op> MakeComposite();  // STABLEHLO_COMPOSITE
std::unique_ptr<Op> MakeVarHandle();
std::unique_ptr<Op> MakeReadVariable();
std::unique_ptr<Op> MakeAssignVariable();
// Recurrent ops (unidirectional_sequence_lstm.cc, lstm_s8.cc).
std::unique_ptr<Op> MakeUnidirectionalSequenceLstmF32();
std::unique_ptr<Op> MakeUnidirectionalSequenceLstmS8();
std::unique_ptr<Op> MakeSvdf();  // svdf.cc: float32 and int8
std::unique_ptr<Op> MakeRnn();    // rnn.cc: float32
std::unique_ptr<Op> MakeUnidirectionalSequenceRnn();
std::unique_ptr<Op> MakeReverseV2();  // reverse.cc, any type
std::unique_ptr<Op> MakeFill();       // fill.cc, any type
std::unique_ptr<Op> MakeBidirectionalSequenceRnn();   // bidirectional_sequence_rnn.cc: float32
std::unique_ptr<Op> MakeBidirectionalSequenceLstm();  // bidirectional_sequence_lstm.cc: float32

}  // namespace pyrt
