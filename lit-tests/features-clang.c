// autopass-features on the front end's unoptimized IR (what the tuner
// gives it), through opt and through clang (AUTOPASS_FEATURES): loop names,
// nesting depth, source line, SCEV trip counts and access strides.
//
// RUN: %clang -O3 -Xclang -disable-llvm-passes -emit-llvm -S -g %s -o %t.ll
// RUN: rm -f %t.json
// RUN: %opt -passes='autopass-features<out=%t.json>' -disable-output %t.ll
// RUN: %python %inputs/jq.py loops %t.json | FileCheck %s
// RUN: %python %inputs/jq.py functions %t.json | FileCheck %s --check-prefix=FN
//
// RUN: rm -f %t.clang.json
// RUN: env AUTOPASS_FEATURES=%t.clang.json %clang -O3 -g -fpass-plugin=%plugin -c %s -o %t.o
// RUN: %python %inputs/jq.py loops %t.clang.json | FileCheck %s

#define N 64
double A[N][N], B[N][N], C[N][N];

// The i loop: A[i][k] and C[i][j] move by a row (512 bytes) per i, B is the
// same for every i. The j loop: B[k][j] and C[i][j] move by one element,
// A[i][k] does not move. The k loop: A by one element, B by a row.
// CHECK: loop matmul:L0 parent=None depth=1 line=[[@LINE+4]] innermost=no trip=constant:64 loads=2 stores=1 unit=0 const=2 irregular=0 invariant=1 calls=no
// CHECK: loop matmul:L1 parent=matmul:L0 depth=2 line=[[@LINE+4]] innermost=no trip=constant:64 loads=2 stores=1 unit=2 const=0 irregular=0 invariant=1 calls=no
// CHECK: loop matmul:L2 parent=matmul:L1 depth=3 line=[[@LINE+5]] innermost=yes trip=constant:64 loads=2 stores=0 unit=1 const=1 irregular=0 invariant=0 calls=no
void matmul(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++)
        s += A[i][k] * B[k][j];
      C[i][j] = s;
    }
}

// A stride of two ints, an unknown trip count.
// CHECK: loop strided:L0 parent=None depth=1 line=[[@LINE+3]] innermost=yes trip={{max|unknown}}{{.*}} loads=1 stores=0 unit=0 const=1 irregular=0 invariant=0 calls=no
int strided(const int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += a[2 * i];
  return s;
}

// An indirect access is irregular; idx[i] itself is unit stride.
// CHECK: loop gather:L0 parent=None depth=1 line=[[@LINE+2]] innermost=yes trip=constant:100 loads=2 stores=1 unit=2 const=0 irregular=1 invariant=0 calls=no
void gather(float *restrict out, const float *restrict in, const int *idx) {
  for (int i = 0; i < 100; i++)
    out[i] = in[idx[i]];
}

// A loop holding a call.
void sink(int);
// CHECK: loop calls:L0 parent=None depth=1 line=[[@LINE+2]] innermost=yes trip=constant:10 loads=0 stores=0 unit=0 const=0 irregular=0 invariant=0 calls=yes
void calls(void) {
  for (int i = 0; i < 10; i++)
    sink(i);
}

// FN: function matmul ir=promoted-rotated {{.*}} direct=0 indirect=0 loops=3
// FN: function calls ir=promoted-rotated {{.*}} direct=1 indirect=0 loops=1
