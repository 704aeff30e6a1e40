// autopass-introspect through clang: AUTOPASS_INTROSPECT=FILE with
// -fpass-plugin records clang's whole O2 pipeline, and the file is written
// once the pipeline has finished.
//
// RUN: rm -f %t.json
// RUN: env AUTOPASS_INTROSPECT=%t.json %clang -O2 -fpass-plugin=%plugin -c %s -o %t.o
// RUN: %python %inputs/jq.py records %t.json | FileCheck %s --check-prefixes=CHECK,CHECK-LLVM%llvm
// RUN: %python %inputs/jq.py check-summary %t.json | FileCheck %s --check-prefix=SUM
//
// The front end's allocas for `x` and `s` are promoted by SROA.
// The pipeline's first pass: LLVM 22 starts with MemProfRemoveInfo.
// CHECK-LLVM19: rec seq=1 Annotation2MetadataPass module
// CHECK-LLVM22: rec seq=1 MemProfRemoveInfo module
// CHECK-LLVM22-NEXT: rec seq=2 Annotation2MetadataPass module
// CHECK: SROAPass function twice inst=[[BEFORE:[0-9]+]]->{{[0-9]+}} blocks=1->1 changed=yes
// CHECK: InstCombinePass function twice
// SUM: OK

// The same variable also works when opt loads the plugin.
// RUN: %clang -O0 -Xclang -disable-O0-optnone -emit-llvm -S %s -o %t.ll
// RUN: rm -f %t.opt.json
// RUN: env AUTOPASS_INTROSPECT=%t.opt.json %opt -passes='default<O1>' -disable-output %t.ll
// RUN: %python %inputs/jq.py records %t.opt.json | FileCheck %s --check-prefix=OPT
// OPT: SROAPass function twice {{.*}} changed=yes

int twice(int x) {
  int s = x + x;
  return s;
}
