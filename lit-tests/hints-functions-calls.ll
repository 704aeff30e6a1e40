; Function and call-site hints become attributes; the report lists what was
; applied.
;
; RUN: echo '{"schema":"autopass-config/1","hints":{"functions":{"leaf":{"inline":"never","size":"min"},"big":{"inline":"always"},"mid":{"inline":"default","size":"none"}},"calls":[{"caller":"top","callee":"mid","index":1,"inline":"never"}]}}' > %t.json
; RUN: %opt -passes='autopass<config=%t.json;report=%t.report.json>' -S %s | FileCheck %s
; RUN: %python %inputs/jq.py report %t.report.json | FileCheck %s --check-prefix=REPORT
;
; Only the second call to @mid gets noinline, and the inliner honours it.
; RUN: %opt -passes='autopass<config=%t.json>,cgscc(inline)' -S %s | FileCheck %s --check-prefix=INLINED

; CHECK: define i32 @leaf(i32 %x) [[LEAF:#[0-9]+]]
; CHECK: define i32 @big(i32 %x) [[BIG:#[0-9]+]]
; CHECK: define i32 @mid(i32 %x) [[MID:#[0-9]+]]
; CHECK-LABEL: define i32 @top
; CHECK: call i32 @mid(i32 %x){{$}}
; CHECK: call i32 @mid(i32 %a) [[CALLSITE:#[0-9]+]]
; CHECK-DAG: attributes [[LEAF]] = { minsize noinline optsize }
; CHECK-DAG: attributes [[BIG]] = { alwaysinline }
; CHECK-DAG: attributes [[MID]] = { nounwind }
; CHECK-DAG: attributes [[CALLSITE]] = { noinline }

; REPORT: applied function big: alwaysinline
; REPORT: applied function leaf: noinline, minsize optsize
; REPORT: applied function mid: -alwaysinline -noinline, -optsize -minsize
; REPORT: applied call top->mid: noinline
; REPORT-NOT: unmatched

; INLINED-LABEL: define i32 @top
; INLINED-NEXT: call i32 @leaf(i32 %x)
; INLINED-NEXT: call i32 @mid(i32 %{{.*}}) #
; INLINED-NEXT: add
; INLINED-NEXT: ret i32

define i32 @leaf(i32 %x) {
  %r = add i32 %x, 1
  ret i32 %r
}

define i32 @big(i32 %x) noinline {
  %r = mul i32 %x, 7
  ret i32 %r
}

define i32 @mid(i32 %x) noinline optsize nounwind {
  %r = call i32 @leaf(i32 %x)
  ret i32 %r
}

define i32 @top(i32 %x) {
  %a = call i32 @mid(i32 %x)
  %b = call i32 @mid(i32 %a)
  %c = add i32 %a, %b
  ret i32 %c
}
