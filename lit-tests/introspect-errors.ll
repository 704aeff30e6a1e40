; Bad autopass-introspect parameters stop opt with a message, before any
; pass runs.
;
; RUN: not %opt -passes='autopass-introspect' -disable-output %s 2>&1 | FileCheck %s --check-prefix=NOOUT
; NOOUT: autopass: error: autopass-introspect: missing out=FILE
;
; RUN: not %opt -passes='autopass-introspect<out=%t.json;colour=red>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=UNKNOWN
; UNKNOWN: autopass: error: autopass-introspect: unknown parameter 'colour' (expected out, diff, diff-limit)
;
; RUN: not %opt -passes='autopass-introspect<out=%t.json;diff-limit=lots>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=LIMIT
; LIMIT: autopass: error: autopass-introspect: diff-limit: expected a positive number of bytes, got 'lots'
;
; An output directory that does not exist: reported, and nothing is left.
; RUN: %opt -passes='autopass-introspect<out=%t.missing/r.json>,instcombine' -disable-output %s 2>&1 | FileCheck %s --check-prefix=NODIR
; NODIR: autopass: error: {{.*}}.missing/r.json.tmp.{{[0-9]+}}: cannot create

define i32 @f(i32 %x) {
  %r = add i32 %x, 0
  ret i32 %r
}
