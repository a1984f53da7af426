; heal-monitor: every covered function calls __heal_enter_fast(&its struct heal_function)
; after its static allocas, keeps the depth, and calls __heal_exit_fast(depth) before every
; return (the runtime's preserve_most fast paths of __heal_enter / __heal_exit). Without debug info the descriptor has the IR name, file "" and line 0.
; RUN: %opt_heal -passes=heal-monitor -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; struct heal_function {name, file, line, flags}
; CHECK-DAG: @heal.fn.two_returns = private constant { ptr, ptr, i32, i32 } { ptr @[[NAME:heal.str[.0-9]*]], ptr @[[EMPTY:heal.str[.0-9]*]], i32 0, i32 0 }, align 8
; CHECK-DAG: @[[NAME]] = private unnamed_addr constant [12 x i8] c"two_returns\00", align 1
; CHECK-DAG: @[[EMPTY]] = private unnamed_addr constant [1 x i8] zeroinitializer, align 1
; A static function keeps its name; C++ names are demangled.
; CHECK-DAG: @heal.fn.local = private constant { ptr, ptr, i32, i32 } { ptr @[[LOCAL:heal.str[.0-9]*]], ptr @[[EMPTY]], i32 0, i32 0 }
; CHECK-DAG: @[[LOCAL]] = private unnamed_addr constant [6 x i8] c"local\00"
; CHECK-DAG: @heal.fn._ZN2ns3fooEi = private constant { ptr, ptr, i32, i32 } { ptr @[[CXX:heal.str[.0-9]*]],
; CHECK-DAG: @[[CXX]] = private unnamed_addr constant [13 x i8] c"ns::foo(int)\00"

; The calls say what they touch: the descriptor and the runtime's own state (so that the
; optimizer keeps the program's values in registers across them), and no willreturn (so
; that no access of the body is hoisted above the entry).
; CHECK-LABEL: define i32 @two_returns(i32 %x) {
; CHECK-NEXT:    %slot = alloca i32, align 4
; CHECK-NEXT:    %heal.depth = call preserve_mostcc i32 @__heal_enter_fast(ptr @heal.fn.two_returns) #[[ENTER:[0-9]+]]
; CHECK-NEXT:    store i32 %x, ptr %slot, align 4
; CHECK-NEXT:    %c = icmp sgt i32 %x, 0
; CHECK-NEXT:    br i1 %c, label %pos, label %neg
; CHECK:       pos:
; CHECK-NEXT:    call preserve_mostcc void @__heal_exit_fast(i32 %heal.depth) #[[EXIT:[0-9]+]]
; CHECK-NEXT:    ret i32 1
; CHECK:       neg:
; CHECK-NEXT:    %v = load i32, ptr %slot, align 4
; CHECK-NEXT:    call preserve_mostcc void @__heal_exit_fast(i32 %heal.depth)
; CHECK-NEXT:    ret i32 %v
; CHECK-NEXT:  }
define i32 @two_returns(i32 %x) {
  %slot = alloca i32, align 4
  store i32 %x, ptr %slot, align 4
  %c = icmp sgt i32 %x, 0
  br i1 %c, label %pos, label %neg
pos:
  ret i32 1
neg:
  %v = load i32, ptr %slot, align 4
  ret i32 %v
}

; Exits through noreturn calls need nothing: the shadow stack is dropped by the process.
; CHECK-LABEL: define internal void @local(
; CHECK-NEXT:    %heal.depth = call preserve_mostcc i32 @__heal_enter_fast(ptr @heal.fn.local)
; CHECK-NEXT:    call void @exit(i32 1)
; CHECK-NEXT:    unreachable
define internal void @local() {
  call void @exit(i32 1)
  unreachable
}

; CHECK-LABEL: define void @_ZN2ns3fooEi(
; CHECK-NEXT:    %heal.depth = call preserve_mostcc i32 @__heal_enter_fast(ptr @heal.fn._ZN2ns3fooEi)
; CHECK-NEXT:    call void @local()
; CHECK-NEXT:    call preserve_mostcc void @__heal_exit_fast(i32 %heal.depth)
; CHECK-NEXT:    ret void
define void @_ZN2ns3fooEi(i32 %x) {
  call void @local()
  ret void
}

; A musttail call must stay right before its ret: the frame is left before the call.
; CHECK-LABEL: define i32 @tail(
; CHECK-NEXT:    %heal.depth = call preserve_mostcc i32 @__heal_enter_fast(ptr @heal.fn.tail)
; CHECK-NEXT:    call preserve_mostcc void @__heal_exit_fast(i32 %heal.depth)
; CHECK-NEXT:    %r = musttail call i32 @two_returns(i32 %x)
; CHECK-NEXT:    ret i32 %r
define i32 @tail(i32 %x) {
  %r = musttail call i32 @two_returns(i32 %x)
  ret i32 %r
}

; Unwinding out through resume leaves the frame too.
; CHECK-LABEL: define void @cleanup(
; CHECK:       lpad:
; CHECK-NEXT:    %lp = landingpad { ptr, i32 }
; CHECK-NEXT:      cleanup
; CHECK-NEXT:    call preserve_mostcc void @__heal_exit_fast(i32 %heal.depth)
; CHECK-NEXT:    resume { ptr, i32 } %lp
define void @cleanup() personality ptr @__gcc_personality_v0 {
  invoke void @_ZN2ns3fooEi(i32 1) to label %ok unwind label %lpad
ok:
  ret void
lpad:
  %lp = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %lp
}

declare void @exit(i32) noreturn
declare i32 @__gcc_personality_v0(...)

; The runtime's fast paths: preserve_most (the caller keeps its registers), nounwind, and
; bound at load time (a lazy-binding resolver would not keep preserve_most's registers).
; CHECK-DAG: declare preserve_mostcc i32 @__heal_enter_fast(ptr) #[[RT:[0-9]+]]
; CHECK-DAG: declare preserve_mostcc void @__heal_exit_fast(i32) #[[RT]]
; CHECK-DAG: attributes #[[RT]] = { nounwind nonlazybind }
; CHECK-DAG: attributes #[[ENTER]] = { memory(argmem: read, inaccessiblemem: readwrite) }
; CHECK-DAG: attributes #[[EXIT]] = { memory(inaccessiblemem: readwrite) }
