; Unknown heal pipeline names are rejected by opt, and the pipelines are module pipelines.
; RUN: not %opt_heal -passes=heal-bogus -disable-output %s 2>&1 | FileCheck %s --check-prefix=BOGUS
; RUN: not %opt_heal -passes=heal- -disable-output %s 2>&1 | FileCheck %s --check-prefix=EMPTY
; RUN: not %opt_heal -passes='function(heal-sensor)' -disable-output %s 2>&1 | FileCheck %s --check-prefix=NESTED

; BOGUS: unknown pass name 'heal-bogus'
; EMPTY: unknown pass name 'heal-'
; NESTED: unknown function pass 'heal-sensor'

define void @f() {
  ret void
}
