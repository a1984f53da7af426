; After every call to a returns_twice function (setjmp, _setjmp, sigsetjmp, __sigsetjmp,
; or anything marked returns_twice) the function calls __heal_unwind_to(its depth): when
; a longjmp lands there, the frames it skipped are dropped. Ordinary calls get nothing.
; RUN: %opt_heal -passes=heal-monitor -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@env = global [200 x i8] zeroinitializer, align 16

; CHECK-LABEL: define i32 @all_kinds(
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn.all_kinds)
; CHECK-NEXT:    %a = call i32 @setjmp(ptr @env)
; CHECK-NEXT:    call void @__heal_unwind_to(i32 %heal.depth)
; CHECK-NEXT:    %b = call i32 @_setjmp(ptr @env)
; CHECK-NEXT:    call void @__heal_unwind_to(i32 %heal.depth)
; CHECK-NEXT:    %c = call i32 @sigsetjmp(ptr @env, i32 1)
; CHECK-NEXT:    call void @__heal_unwind_to(i32 %heal.depth)
; CHECK-NEXT:    %d = call i32 @__sigsetjmp(ptr @env, i32 0)
; CHECK-NEXT:    call void @__heal_unwind_to(i32 %heal.depth)
; The attribute on the call site is enough.
; CHECK-NEXT:    %e = call i32 @my_setjmp(ptr @env) #[[RT:[0-9]+]]
; CHECK-NEXT:    call void @__heal_unwind_to(i32 %heal.depth)
; CHECK-NEXT:    %f = call i32 @plain(ptr @env)
; CHECK-NEXT:    %s1 = add i32 %a, %b
define i32 @all_kinds() {
  %a = call i32 @setjmp(ptr @env)
  %b = call i32 @_setjmp(ptr @env)
  %c = call i32 @sigsetjmp(ptr @env, i32 1)
  %d = call i32 @__sigsetjmp(ptr @env, i32 0)
  %e = call i32 @my_setjmp(ptr @env) returns_twice
  %f = call i32 @plain(ptr @env)
  %s1 = add i32 %a, %b
  %s2 = add i32 %c, %d
  %s3 = add i32 %e, %f
  %s4 = add i32 %s1, %s2
  %s5 = add i32 %s3, %s4
  ret i32 %s5
}

; The usual shape: if (setjmp(env)) { ... } -- both returns reach the unwind.
; CHECK-LABEL: define i32 @guarded_region(
; CHECK:         %r = call i32 @_setjmp(ptr @env)
; CHECK-NEXT:    call void @__heal_unwind_to(i32 %heal.depth)
; CHECK-NEXT:    %again = icmp ne i32 %r, 0
; CHECK-NEXT:    br i1 %again, label %recovered, label %first
; CHECK:       recovered:
; CHECK-NEXT:    call void @heal.exit(i32 %heal.depth)
; CHECK-NEXT:    ret i32 -1
; CHECK:       first:
; CHECK-NEXT:    call void @longjmp(ptr @env, i32 1)
; CHECK-NEXT:    unreachable
define i32 @guarded_region() {
  %r = call i32 @_setjmp(ptr @env)
  %again = icmp ne i32 %r, 0
  br i1 %again, label %recovered, label %first
recovered:
  ret i32 -1
first:
  call void @longjmp(ptr @env, i32 1)
  unreachable
}

; A function calling vfork is left alone (the child would update the parent's runtime
; state), even though vfork returns twice.
; CHECK-LABEL: define i32 @spawn(
; CHECK-NEXT:    %pid = call i32 @vfork()
; CHECK-NEXT:    ret i32 %pid
define i32 @spawn() {
  %pid = call i32 @vfork()
  ret i32 %pid
}

; CHECK-NOT: __heal_enter(ptr @heal.fn.spawn)
; CHECK: attributes #[[RT]] = { returns_twice }

declare i32 @setjmp(ptr) returns_twice
declare i32 @_setjmp(ptr) returns_twice
declare i32 @sigsetjmp(ptr, i32) returns_twice
declare i32 @__sigsetjmp(ptr, i32) returns_twice
declare i32 @my_setjmp(ptr)
declare i32 @plain(ptr)
declare i32 @vfork() returns_twice
declare void @longjmp(ptr, i32) noreturn
