; diff-limit bounds each diff and marks it truncated; several watched
; functions are separated by ':' (opt's pipeline parser splits at ',').
;
; RUN: rm -f %t.json
; RUN: %opt -passes='autopass-introspect<out=%t.json;diff=f:g;diff-limit=60>,sroa' -disable-output %s
; RUN: %python %inputs/jq.py diffs %t.json | FileCheck %s
; CHECK: diff seq=1 pass=SROAPass function=f truncated=True
; CHECK-NEXT: --- before
; CHECK-NEXT: +++ after
; CHECK-NEXT: @@ -1,7 +1,4 @@
; CHECK-NEXT: diff seq=2 pass=SROAPass function=g truncated=True

define i32 @f(i32 %x) {
  %a = alloca i32, align 4
  store i32 %x, ptr %a, align 4
  %v = load i32, ptr %a, align 4
  %r = add i32 %v, 0
  ret i32 %r
}

define i32 @g(i32 %x) {
  %a = alloca i32, align 4
  store i32 %x, ptr %a, align 4
  %v = load i32, ptr %a, align 4
  ret i32 %v
}
