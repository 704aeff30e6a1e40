; autopass-features mid-pipeline, on IR without allocas: the figures are of
; the IR as given (no clone), trip counts and strides straight from SCEV.
;
; RUN: %opt -passes='autopass-features<out=%t.json>' -disable-output %s
; RUN: %python %inputs/jq.py functions %t.json | FileCheck %s --check-prefix=FN
; RUN: %python %inputs/jq.py loops %t.json | FileCheck %s
;
; FN: function nest ir=as-given instructions=16 blocks=5 direct=0 indirect=0 loops=2
; FN-NEXT: mix load=1 store=1 call=0 fp_arith=1 int_arith=2 branch=4 cmp=2 phi=2 gep=2 cast=0 vector=0 other=1
; Row stride 4 * 100 bytes in the outer loop, unit stride in the inner one.
; CHECK: loop nest:L0 parent=None depth=1 line=None innermost=no trip=constant:50 loads=1 stores=1 unit=0 const=2 irregular=0 invariant=0 calls=no
; CHECK: loop nest:L1 parent=nest:L0 depth=2 line=None innermost=yes trip=constant:100 loads=1 stores=1 unit=2 const=0 irregular=0 invariant=0 calls=no
; Without allocas, no clone and no temporary file left behind.
; RUN: ls %t.json* | FileCheck %s --check-prefix=FILES
; FILES: features-optimized.ll.tmp.json
; FILES-NOT: .tmp.json.tmp

define void @nest(ptr noalias %a) {
entry:
  br label %outer

outer:
  %i = phi i64 [ 0, %entry ], [ %i.next, %outer.latch ]
  %row = getelementptr inbounds [100 x float], ptr %a, i64 %i
  br label %inner

inner:
  %j = phi i64 [ 0, %outer ], [ %j.next, %inner ]
  %p = getelementptr inbounds float, ptr %row, i64 %j
  %v = load float, ptr %p, align 4
  %w = fadd float %v, 1.0
  store float %w, ptr %p, align 4
  %j.next = add nuw nsw i64 %j, 1
  %jdone = icmp eq i64 %j.next, 100
  br i1 %jdone, label %outer.latch, label %inner

outer.latch:
  %i.next = add nuw nsw i64 %i, 1
  %idone = icmp eq i64 %i.next, 50
  br i1 %idone, label %exit, label %outer

exit:
  ret void
}
