; A configuration's `pipeline` runs after the hints, parsed by opt's own
; PassBuilder; the empty configuration changes nothing at all.
;
; RUN: echo '{"schema":"autopass-config/1","pipeline":"function(instcombine)","hints":{"functions":{"f":{"inline":"never"}}},"knobs":{"unroll-threshold":600},"meta":{"anything":[1,2]}}' > %t.pipeline.json
; RUN: %opt -passes='autopass<config=%t.pipeline.json>' -S %s | FileCheck %s --check-prefix=PIPELINE
; PIPELINE: define i32 @f(i32 %x) [[ATTRS:#[0-9]+]] {
; PIPELINE-NEXT: ret i32 %x
; PIPELINE: attributes [[ATTRS]] = { noinline }
;
; RUN: echo '{"schema":"autopass-config/1"}' > %t.empty.json
; RUN: %opt -passes='autopass<config=%t.empty.json>,default<O2>' -S %s -o %t.with.ll
; RUN: %opt -passes='default<O2>' -S %s -o %t.without.ll
; RUN: diff %t.with.ll %t.without.ll

define i32 @f(i32 %x) {
  %a = add i32 %x, 0
  ret i32 %a
}
