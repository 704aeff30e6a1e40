// Source attribution through inlining: `kernel` is static and called once,
// so the inliner puts it into `main`. The features (front end's IR, before
// inlining) give each function's file and source lines and each loop's
// lines; the introspection records of the inlined loops, though they run on
// main's IR, name kernel as their source function (loop "source"), and the
// function and SCC records of main say how much of main is kernel's code
// ("sources"). A hint on kernel:L0 that LLVM cannot perform is warned about
// under `main` at kernel's line.
//
// RUN: %clang -O3 -g -Xclang -disable-llvm-passes -emit-llvm -S %s -o %t.ll
// RUN: rm -f %t.features.json %t.json
// RUN: %opt -passes='autopass-features<out=%t.features.json>' -disable-output %t.ll
// RUN: %python %inputs/jq.py lines %t.features.json | FileCheck %s --check-prefix=LINES
// RUN: echo '{"schema": "autopass-config/1", "hints": {"loops": {"kernel:L0": {"unroll_and_jam": 2}}}}' > %t.config.json
// RUN: %opt -passes='autopass-introspect<out=%t.json>,autopass<config=%t.config.json>,default<O3>' \
// RUN:   -disable-output %t.ll 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: %python %inputs/jq.py sources %t.json | FileCheck %s
//
// The function's range starts at its declaration line.
// LINES: lines function main file={{.*}}introspect-inlined.c 56-62
// LINES: lines loop main:L0 header=58 58-61
// LINES: lines function kernel file={{.*}}introspect-inlined.c 43-53
// LINES: lines loop kernel:L0 header=44 44-52
// LINES: lines loop kernel:L1 header=45 45-51
//
// WARN: warning: {{.*}}introspect-inlined.c:44:{{[0-9]+}}: loop not unroll-and-jammed
//
// Before inlining the loop passes run on kernel's own IR; after it, on the
// same loops inside main, still attributed to kernel (and main's own loop
// to main).
// CHECK: src seq={{[0-9]+}} LoopRotatePass loop kernel:L@{{.*}} loop-source=kernel@{{.*}}introspect-inlined.c:45
// CHECK: src seq=[[INL:[0-9]+]] InlinerPass cgscc (main) part=main inst={{[0-9]+}}->{{[0-9]+}} changed=yes
// CHECK-NEXT: src seq=[[INL]] InlinerPass cgscc (main) part=kernel inst=0->{{[1-9][0-9]*}} changed=yes
// CHECK: src seq={{[0-9]+}} LoopRotatePass loop main:L@{{.*}} loop-source=main@{{.*}}introspect-inlined.c:58
// CHECK: src seq={{[0-9]+}} LoopRotatePass loop main:L@{{.*}} loop-source=kernel@{{.*}}introspect-inlined.c:45
// CHECK: src seq=[[VEC:[0-9]+]] LoopVectorizePass function main part=main
// CHECK-NEXT: src seq=[[VEC]] LoopVectorizePass function main part=kernel

#define N 64

int table[N + 1][N + 1];

static int kernel(const char *a, const char *b, int n) {
  for (int i = 1; i <= n; ++i) {
    for (int j = 1; j <= n; ++j) {
      if (a[i - 1] == b[j - 1])
        table[i][j] = table[i - 1][j - 1] + 1;
      else
        table[i][j] = table[i - 1][j] > table[i][j - 1] ? table[i - 1][j]
                                                        : table[i][j - 1];
    }
  }
  return table[n][n];
}

int main(int argc, char **argv) {
  static char a[N], b[N];
  for (int i = 0; i < N; ++i) {
    a[i] = (char)('a' + (i * 7 + argc) % 4);
    b[i] = (char)('a' + (i * 5) % 4);
  }
  return kernel(a, b, N);
}
