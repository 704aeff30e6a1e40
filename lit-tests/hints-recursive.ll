; A configuration whose pipeline loads the same configuration again is
; rejected instead of recursing forever: the plugin's own elements are on
; the pipeline deny list (PassPolicy.h), which stops it before any nesting.
;
; RUN: echo '{"schema":"autopass-config/1","pipeline":"autopass<config=%t.json>"}' > %t.json
; RUN: not %opt -passes='autopass<config=%t.json>' -disable-output %s 2>&1 | FileCheck %s
; CHECK: autopass: error: {{.*}}.json: pipeline: pass "autopass" is an AutoPass plugin element, which the tuner places itself (it takes file names); such passes are not allowed in a configuration

define void @f() {
  ret void
}
