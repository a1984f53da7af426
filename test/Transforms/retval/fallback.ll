; Return-value synthesis by type, when no caller tests the result and the function has no
; constant error return; and a forced value from the policy, which wins.
; RUN: %opt_heal -passes='print<heal-retval>' -disable-output %s 2>&1 | FileCheck %s
; RUN: %opt_heal -heal-policy=%S/Inputs/forced.json -passes='print<heal-retval>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=FORCED

%struct.S = type { i64, i64, i64 }

; CHECK: heal-retval: fp: ptr null: no call site in this module; a pointer fails as NULL
define ptr @fp(ptr %p) {
  ret ptr %p
}

; Without debug info the IR's signext/zeroext tell signedness; plain i32 is taken as int.
; CHECK: heal-retval: fs: i16 -1: no call site in this module; a signed integer fails as -1
define signext i16 @fs(i16 %x) {
  ret i16 %x
}

; CHECK: heal-retval: fu: i16 0: no call site in this module; an unsigned integer fails as 0
define zeroext i16 @fu(i16 %x) {
  ret i16 %x
}

; CHECK: heal-retval: fi: i32 -1: no call site in this module; an integer of unknown signedness (no debug info) fails as -1, like int
define i32 @fi(i32 %x) {
  ret i32 %x
}

; CHECK: heal-retval: fb: i1 false: no call site in this module; a bool fails as false
define zeroext i1 @fb(i1 %x) {
  ret i1 %x
}

; CHECK: heal-retval: fd: double 0.000000e+00: no call site in this module; a floating-point result fails as 0.0 (strtod's convention)
define double @fd(double %x) {
  ret double %x
}

; CHECK: heal-retval: fpair: { i64, i64 } zeroinitializer: no call site in this module; a struct is returned zeroed
define { i64, i64 } @fpair({ i64, i64 } %x) {
  ret { i64, i64 } %x
}

; CHECK: heal-retval: fsret: %struct.S zeroinitializer: a struct returned through a hidden pointer is stored zeroed
define void @fsret(ptr sret(%struct.S) %out) {
  ret void
}

; CHECK: heal-retval: fv: void: the function returns void: nothing to return
define void @fv() {
  ret void
}

; A float function whose callers test isnan(): NaN.
; CHECK: heal-retval: fnan: double 0x7FF8000000000000: 1 of 1 call site tests `isnan()`
define double @fnan() {
  ret double 1.0
}

define void @use_fnan() {
  %call = call double @fnan()
  %isnan = fcmp uno double %call, %call
  ret void
}

; `if (fneg() < 0.0)`: -1.0.
; CHECK: heal-retval: fneg: double -1.000000e+00: 1 of 1 call site tests `< 0`
define double @fneg() {
  ret double 1.0
}

define void @use_fneg() {
  %call = call double @fneg()
  %cmp = fcmp olt double %call, 0.0
  ret void
}

; Skipped functions (heal's own) are not listed.
; CHECK-NOT: heal.module_ctor
define internal void @heal.module_ctor() {
  ret void
}

; With a policy only its transactions are listed; "return" forces the value.
; FORCED: heal-retval: fp: ptr null: no call site in this module; a pointer fails as NULL
; FORCED-NEXT: heal-retval: fi: i32 7: forced by the policy (transactions[1].return); heal would have chosen -1: no call site in this module; an integer of unknown signedness (no debug info) fails as -1, like int
; FORCED-NEXT: heal-retval: fd: double 0x7FF8000000000000: forced by the policy
; FORCED-NEXT: heal-retval: fsret: %struct.S zeroinitializer: forced by the policy (transactions[3].return)
; FORCED-NOT: heal-retval
