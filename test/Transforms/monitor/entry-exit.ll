; heal-monitor: every covered function calls heal.enter(&its struct heal_function)
; after its static allocas, keeps the depth, and calls heal.exit(depth) before every
; return (inline fast paths of __heal_enter / __heal_exit, defined in the module). Without debug info the descriptor has the IR name, file "" and line 0.
; RUN: %opt_heal -passes=heal-monitor -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; The thread state's exported initial-exec TLS pointer (heal.h), for the inline paths.
; CHECK-DAG: @__heal_self = external thread_local(initialexec) global ptr
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
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn.two_returns) #[[ENTER:[0-9]+]]
; CHECK-NEXT:    store i32 %x, ptr %slot, align 4
; CHECK-NEXT:    %c = icmp sgt i32 %x, 0
; CHECK-NEXT:    br i1 %c, label %pos, label %neg
; CHECK:       pos:
; CHECK-NEXT:    call void @heal.exit(i32 %heal.depth) #[[EXIT:[0-9]+]]
; CHECK-NEXT:    ret i32 1
; CHECK:       neg:
; CHECK-NEXT:    %v = load i32, ptr %slot, align 4
; CHECK-NEXT:    call void @heal.exit(i32 %heal.depth)
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
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn.local)
; CHECK-NEXT:    call void @exit(i32 1)
; CHECK-NEXT:    unreachable
define internal void @local() {
  call void @exit(i32 1)
  unreachable
}

; CHECK-LABEL: define void @_ZN2ns3fooEi(
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn._ZN2ns3fooEi)
; CHECK-NEXT:    call void @local()
; CHECK-NEXT:    call void @heal.exit(i32 %heal.depth)
; CHECK-NEXT:    ret void
define void @_ZN2ns3fooEi(i32 %x) {
  call void @local()
  ret void
}

; A musttail call must stay right before its ret: the frame is left before the call.
; CHECK-LABEL: define i32 @tail(
; CHECK-NEXT:    %heal.depth = call i32 @heal.enter(ptr @heal.fn.tail)
; CHECK-NEXT:    call void @heal.exit(i32 %heal.depth)
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
; CHECK-NEXT:    call void @heal.exit(i32 %heal.depth)
; CHECK-NEXT:    resume { ptr, i32 } %lp
define void @cleanup() personality ptr @__gcc_personality_v0 {
  invoke void @_ZN2ns3fooEi(i32 1) to label %ok unwind label %lpad
ok:
  ret void
lpad:
  %lp = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %lp
}

; An integer division by a variable (it may trap) is pinned where it is by an empty
; `asm sideeffect` taking its result, so that the optimizer cannot sink it past the exit;
; a constant divisor cannot trap and is left alone.
; CHECK-LABEL: define i32 @ratio(
; CHECK:         %q = sdiv i32 %a, %b
; CHECK-NEXT:    call void asm sideeffect "", "r"(i32 %q)
; CHECK-NEXT:    %r = urem i32 %q, %b
; CHECK-NEXT:    call void asm sideeffect "", "r"(i32 %r)
; CHECK-NEXT:    %h = udiv i32 %r, 2
; CHECK-NEXT:    call void @heal.exit(
define i32 @ratio(i32 %a, i32 %b) {
  %q = sdiv i32 %a, %b
  %r = urem i32 %q, %b
  %h = udiv i32 %r, 2
  ret i32 %h
}

declare void @exit(i32) noreturn
declare i32 @__gcc_personality_v0(...)

; The inline fast paths (heal.h): the thread state through the exported initial-exec TLS
; pointer, every access volatile and tagged with heal's own TBAA type; the runtime only
; when the thread has no state, the shadow stack is full, or slots are to be released:
; __heal_enter_slow / __heal_exit_slow, which keep every general-purpose register but r11.
; CHECK-LABEL: define internal i32 @heal.enter(ptr %fn)
; CHECK-SAME:    #[[INLINE:[0-9]+]] {
; CHECK:         %t = load ptr, ptr %{{[0-9]+}}, align 8, !tbaa [[TBAA:![0-9]+]]
; CHECK-NEXT:    %[[NN:[0-9]+]] = icmp ne ptr %t, null
; CHECK-NEXT:    br i1 %[[NN]], label %check, label %slow, !prof [[LIKELY:![0-9]+]]
; CHECK:       check:
; CHECK-NEXT:    %depth.addr = getelementptr inbounds i8, ptr %t, i64 0
; CHECK-NEXT:    %d0 = load volatile i32, ptr %depth.addr, align 4, !tbaa [[TBAA]]
; CHECK-NEXT:    %live.addr = getelementptr inbounds i8, ptr %t, i64 8
; CHECK-NEXT:    %live = load volatile i32, ptr %live.addr, align 4, !tbaa [[TBAA]]
; CHECK-NEXT:    %[[CLEAN:[0-9]+]] = icmp ule i32 %live, %d0
; CHECK-NEXT:    %[[ROOM:[0-9]+]] = icmp ult i32 %d0, 262144
; CHECK-NEXT:    %ok = and i1 %[[ROOM]], %[[CLEAN]]
; CHECK-NEXT:    br i1 %ok, label %push, label %slow, !prof [[LIKELY]]
; CHECK:       push:
; CHECK-NEXT:    %d = add nuw i32 %d0, 1
; CHECK-NEXT:    %depth.addr1 = getelementptr inbounds i8, ptr %t, i64 0
; CHECK-NEXT:    store volatile i32 %d, ptr %depth.addr1, align 4, !tbaa [[TBAA]]
; CHECK-NEXT:    %frames = getelementptr inbounds i8, ptr %t, i64 2016
; CHECK-NEXT:    %[[IDX:[0-9]+]] = zext i32 %d0 to i64
; CHECK-NEXT:    %frame = getelementptr inbounds ptr, ptr %frames, i64 %[[IDX]]
; CHECK-NEXT:    store volatile ptr %fn, ptr %frame, align 8, !tbaa [[TBAA]]
; CHECK-NEXT:    ret i32 %d
; CHECK:       slow:
; CHECK-NEXT:    %d2 = call preserve_mostcc i32 @__heal_enter_slow(ptr %fn) #[[ENTER]]
; CHECK-NEXT:    ret i32 %d2
; CHECK:       declare preserve_mostcc i32 @__heal_enter_slow(ptr) #[[SLOW:[0-9]+]]
; CHECK-LABEL: define internal void @heal.exit(i32 %depth)
; CHECK-SAME:    #[[INLINE]] {
; CHECK:         %t = load ptr, ptr %{{[0-9]+}}, align 8, !tbaa [[TBAA]]
; CHECK:       check:
; CHECK-NEXT:    %live.addr = getelementptr inbounds i8, ptr %t, i64 8
; CHECK-NEXT:    %live = load volatile i32, ptr %live.addr, align 4, !tbaa [[TBAA]]
; CHECK-NEXT:    %none = icmp ult i32 %live, %depth
; CHECK-NEXT:    br i1 %none, label %pop, label %slow, !prof [[LIKELY]]
; CHECK:       pop:
; CHECK-NEXT:    %depth.addr = getelementptr inbounds i8, ptr %t, i64 0
; CHECK-NEXT:    %[[D1:[0-9]+]] = sub i32 %depth, 1
; CHECK-NEXT:    store volatile i32 %[[D1]], ptr %depth.addr, align 4, !tbaa [[TBAA]]
; CHECK-NEXT:    ret void
; CHECK:       slow:
; CHECK-NEXT:    call preserve_mostcc void @__heal_exit_slow(i32 %depth) #[[EXIT]]
; CHECK-NEXT:    ret void
; CHECK:       declare preserve_mostcc void @__heal_exit_slow(i32) #[[SLOW]]

; The slow paths: nounwind (opaque to the optimizer but for the call's memory effects),
; bound at load time (a lazy-binding resolver would not keep preserve_most's registers).
; CHECK-DAG: attributes #[[SLOW]] = { nounwind nonlazybind }
; CHECK-DAG: attributes #[[INLINE]] = { alwaysinline nounwind }
; CHECK-DAG: [[TBAA]] = !{[[TY:![0-9]+]], [[TY]], i64 0}
; CHECK-DAG: [[TY]] = !{!"heal shadow stack", [[CHAR:![0-9]+]], i64 0}
; CHECK-DAG: [[CHAR]] = !{!"omnipotent char", [[ROOT:![0-9]+]], i64 0}
; CHECK-DAG: [[ROOT]] = !{!"Simple C/C++ TBAA"}
; CHECK-DAG: [[LIKELY]] = !{!"branch_weights", i32 1048575, i32 1}
; CHECK-DAG: attributes #[[ENTER]] = { memory(argmem: read, inaccessiblemem: readwrite) }
; CHECK-DAG: attributes #[[EXIT]] = { memory(inaccessiblemem: readwrite) }
