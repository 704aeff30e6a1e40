; Loop units: a loop pass's record names the loop (FUNCTION:L@HEADER); a loop
; that a pass removes (full unrolling) has no "after" and is marked gone.
;
; RUN: rm -f %t.json
; RUN: %opt -passes='autopass-introspect<out=%t.json;diff=small>,function(loop(loop-rotate),loop(loop-unroll-full))' -disable-output %s
; RUN: %python %inputs/jq.py records %t.json | FileCheck %s
; RUN: %python %inputs/jq.py check-summary %t.json | FileCheck %s --check-prefix=SUM
; RUN: %python %inputs/jq.py diffs %t.json | FileCheck %s --check-prefix=DIFF
;
; CHECK: LoopRotatePass loop small:L@loop inst=6->6 blocks=1->1 changed=no
; CHECK: LoopFullUnrollPass loop small:L@loop inst=6->0 blocks=1->0 changed=yes gone
; SUM: OK
; DIFF: diff seq={{[0-9]+}} pass=LoopFullUnrollPass function=small
; DIFF: +  store i32 3, ptr

define void @small(ptr %a) {
entry:
  br label %loop

loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %p = getelementptr inbounds i32, ptr %a, i64 %i
  store i32 3, ptr %p, align 4
  %i.next = add nuw nsw i64 %i, 1
  %done = icmp eq i64 %i.next, 4
  br i1 %done, label %exit, label %loop

exit:
  ret void
}
