// The autopass element through clang: AUTOPASS_CONFIG applies the hints at
// the pipeline start of an unmodified `clang -O2`, so loop-unroll and
// loop-vectorize honour them.
//
// RUN: echo '{"schema":"autopass-config/1","hints":{"loops":{"scale:L0":{"unroll":3,"vectorize":false}}}}' > %t.unroll.json
// RUN: env AUTOPASS_CONFIG=%t.unroll.json %clang -O2 -fpass-plugin=%plugin -fno-discard-value-names -emit-llvm -S %s -o - | FileCheck %s --check-prefix=UNROLL
//
// RUN: echo '{"schema":"autopass-config/1","hints":{"loops":{"scale:L0":{"vectorize_width":8,"interleave_count":1,"unroll":1}}}}' > %t.vec.json
// RUN: env AUTOPASS_CONFIG=%t.vec.json %clang -O2 -fpass-plugin=%plugin -emit-llvm -S %s -o - | FileCheck %s --check-prefix=VEC
//
// Without the plugin clang picks something else.
// RUN: %clang -O2 -emit-llvm -S %s -o - | FileCheck %s --check-prefix=PLAIN

// 999 = 3 * 333: no remainder loop after unrolling by 3.
// UNROLL-LABEL: define{{.*}} void @scale
// UNROLL-NOT: x i32>
// UNROLL: store i32
// UNROLL: store i32
// UNROLL: store i32
// UNROLL-NOT: store
// UNROLL: add nuw nsw i64 %{{[a-z.0-9]+}}, 3
// UNROLL: br i1 %{{.*}}, !llvm.loop

// VEC-LABEL: define{{.*}} void @scale
// VEC: load <8 x i32>
// VEC: store <8 x i32>
// VEC-NOT: store <8 x i32>
// VEC: ret void

// PLAIN-LABEL: define{{.*}} void @scale
// PLAIN-NOT: <8 x i32>
// PLAIN: ret void

void scale(int *restrict a, const int *restrict b) {
  for (long i = 0; i < 999; i++)
    a[i] = b[i] * 3;
}

// AUTOPASS_REPORT: the report of what the hints did, from clang as from opt.
// RUN: rm -f %t.report.json
// RUN: env AUTOPASS_CONFIG=%t.unroll.json AUTOPASS_REPORT=%t.report.json %clang -O2 -fpass-plugin=%plugin -c %s -o %t.o
// RUN: %python %inputs/jq.py report %t.report.json | FileCheck %s --check-prefix=REPORT
// REPORT: config: {{.+}}unroll.json
// REPORT: applied loop scale:L0: {{.*}}unroll
// REPORT-NOT: unmatched
