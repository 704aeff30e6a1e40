; The autopass element through opt: an unroll-count hint makes loop-unroll
; unroll by that count, a vectorize-width hint makes loop-vectorize use that
; width. Checked on the IR; without the hints neither happens.
;
; RUN: echo '{"schema":"autopass-config/1","hints":{"loops":{"scale:L0":{"unroll":3}}}}' > %t.unroll.json
; RUN: %opt -passes='autopass<config=%t.unroll.json>,loop-unroll' -S %s | FileCheck %s --check-prefix=UNROLL
; RUN: %opt -passes='loop-unroll' -S %s | FileCheck %s --check-prefix=PLAIN
;
; RUN: echo '{"schema":"autopass-config/1","hints":{"loops":{"scale:L0":{"vectorize_width":8,"interleave_count":1}}}}' > %t.vec.json
; RUN: %opt -passes='autopass<config=%t.vec.json>,loop-vectorize' -S %s | FileCheck %s --check-prefix=VEC
; RUN: %opt -passes='loop-vectorize' -S %s | FileCheck %s --check-prefix=PLAIN
;
; The metadata itself: the hint replaces the unroll property already there
; (llvm.loop.unroll.disable, which makes the PLAIN run unroll nothing) and
; keeps the unrelated one.
; RUN: %opt -passes='autopass<config=%t.unroll.json>' -S %s | FileCheck %s --check-prefix=MD

; UNROLL-LABEL: define void @scale
; UNROLL: store i32 %m, ptr %pa
; UNROLL: %i.next = add nuw nsw i64 %i, 1
; UNROLL: store i32 %m.1, ptr %pa.1
; UNROLL: %i.next.1 = add nuw nsw i64 %i, 2
; UNROLL: store i32 %m.2, ptr %pa.2
; UNROLL: %i.next.2 = add nuw nsw i64 %i, 3
; UNROLL-NOT: store
; UNROLL: br i1 %done.2, label %exit, label %loop

; VEC-LABEL: define void @scale
; VEC: load <8 x i32>
; VEC: mul nsw <8 x i32>
; VEC: store <8 x i32>
; VEC: %index.next = add nuw i64 %index, 8

; PLAIN-LABEL: define void @scale
; PLAIN-NOT: x i32>
; PLAIN-NOT: .1 =
; PLAIN: ret void

; MD: br i1 %done, label %exit, label %loop, !llvm.loop [[ID:![0-9]+]]
; MD: [[ID]] = distinct !{[[ID]], [[KEEP:![0-9]+]], [[COUNT:![0-9]+]]}
; MD: [[KEEP]] = !{!"llvm.loop.mustprogress"}
; MD: [[COUNT]] = !{!"llvm.loop.unroll.count", i32 3}

define void @scale(ptr noalias %a, ptr noalias %b) {
entry:
  br label %loop

loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %pb = getelementptr inbounds i32, ptr %b, i64 %i
  %v = load i32, ptr %pb, align 4
  %m = mul nsw i32 %v, 3
  %pa = getelementptr inbounds i32, ptr %a, i64 %i
  store i32 %m, ptr %pa, align 4
  %i.next = add nuw nsw i64 %i, 1
  %done = icmp eq i64 %i.next, 999
  br i1 %done, label %exit, label %loop, !llvm.loop !0

exit:
  ret void
}

!0 = distinct !{!0, !1, !2}
!1 = !{!"llvm.loop.mustprogress"}
!2 = !{!"llvm.loop.unroll.disable"}
