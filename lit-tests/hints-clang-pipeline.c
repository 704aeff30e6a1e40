// Under clang, a configuration's `pipeline` cannot replace clang's own: the
// hints are applied and the pipeline is reported as not applied. Unmatched
// names are warned about as under opt.
//
// RUN: echo '{"schema":"autopass-config/1","pipeline":"function(instcombine)","hints":{"loops":{"sum:L0":{"unroll":"disable"},"sum:L1":{"unroll":2}}}}' > %t.json
// RUN: env AUTOPASS_CONFIG=%t.json %clang -O2 -fpass-plugin=%plugin -emit-llvm -S %inputs/sum.c -o - 2>%t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=ERR < %t.err
//
// ERR: autopass: warning: {{.*}}.json: 'pipeline' is not applied at clang's pipeline start (build through opt, e.g. autopass-cc, to use it)
// ERR: autopass: warning: {{.*}}.json: loop hint 'sum:L1' matched nothing: function 'sum' has 1 loop(s)
// CHECK: !{!"llvm.loop.unroll.disable"}
