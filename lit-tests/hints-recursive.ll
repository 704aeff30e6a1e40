; A configuration whose pipeline loads the same configuration again is
; rejected instead of recursing forever.
;
; RUN: echo '{"schema":"autopass-config/1","pipeline":"autopass<config=%t.json>"}' > %t.json
; RUN: not %opt -passes='autopass<config=%t.json>' -disable-output %s 2>&1 | FileCheck %s
; CHECK: autopass: error: {{.*}}.json: pipeline: `autopass` elements nested 8 deep (does the pipeline load its own configuration?)

define void @f() {
  ret void
}
