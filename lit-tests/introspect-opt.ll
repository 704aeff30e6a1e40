; autopass-introspect through opt: the records of a small module at O2 name
; the passes that changed @f, with their exact instruction deltas; passes that
; changed nothing say so; the summary agrees with the records; diff=f gives
; the IR diff of @f around each pass that changed it.
;
; RUN: rm -f %t.json
; RUN: %opt -passes='autopass-introspect<out=%t.json;diff=f>,default<O2>' -disable-output %s
; RUN: %python %inputs/jq.py records %t.json | FileCheck %s --check-prefixes=REC,REC-LLVM%llvm
; RUN: %python %inputs/jq.py check-summary %t.json | FileCheck %s --check-prefix=SUM
; RUN: %python %inputs/jq.py summary %t.json | FileCheck %s --check-prefix=PASSES
; RUN: %python %inputs/jq.py diffs %t.json | FileCheck %s --check-prefix=DIFF
; No temporary file is left behind.
; RUN: ls %t.json* | FileCheck %s --check-prefix=FILES

; @f: SROA promotes the alloca (store and load go: 5 -> 2 instructions).
; The pipeline's first pass: LLVM 22 starts default<O2> with MemProfRemoveInfo.
; REC-LLVM19: rec seq=1 Annotation2MetadataPass module {{.*}} changed=no
; REC-LLVM22: rec seq=1 MemProfRemoveInfo module {{.*}} changed=no
; REC-LLVM22-NEXT: rec seq=2 Annotation2MetadataPass module {{.*}} changed=no
; REC: SimplifyCFGPass function f inst=5->5 blocks=1->1 changed=no
; REC-NEXT: SROAPass function f inst=5->2 blocks=1->1 changed=yes
; EarlyCSE then folds `add %x, 0` in @f.
; REC-NEXT: EarlyCSEPass function f inst=2->1 blocks=1->1 changed=yes
; @g is already minimal: SROA leaves it alone.
; REC: SROAPass function g inst=2->2 blocks=1->1 changed=no
; Attribute inference changes no instruction, and is still a change.
; REC: PostOrderFunctionAttrsPass cgscc (f) inst=1->1 blocks=1->1 changed=yes

; SUM: OK {{[0-9]+}} records

; PASSES-DAG: sum SROAPass (sroa) runs={{[0-9]+}} changed=1 delta=-3
; PASSES-DAG: sum InstCombinePass (instcombine)

; DIFF: diff seq={{[0-9]+}} pass=SROAPass function=f truncated=False
; DIFF-NEXT: --- before
; DIFF-NEXT: +++ after
; DIFF-NEXT: @@ -1,7 +1,4 @@
; DIFF-NEXT:  define i32 @f(i32 %x) {
; DIFF-NEXT: -  %a = alloca i32, align 4
; DIFF-NEXT: -  store i32 %x, ptr %a, align 4
; DIFF-NEXT: -  %v = load i32, ptr %a, align 4
; DIFF-NEXT: -  %r = add i32 %v, 0
; DIFF-NEXT: +  %r = add i32 %x, 0
; DIFF-NEXT:    ret i32 %r
; DIFF-NEXT:  }
; DIFF: diff seq={{[0-9]+}} pass=EarlyCSEPass function=f
; DIFF-NOT: function=g

; FILES: introspect-opt.ll.tmp.json
; FILES-NOT: .tmp.json.tmp

define i32 @f(i32 %x) {
  %a = alloca i32, align 4
  store i32 %x, ptr %a, align 4
  %v = load i32, ptr %a, align 4
  %r = add i32 %v, 0
  ret i32 %r
}

define i32 @g(i32 %x) {
  %r = mul i32 %x, 3
  ret i32 %r
}
