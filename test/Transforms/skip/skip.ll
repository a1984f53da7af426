; The skip list (lib/Skip.h) shared by heal's per-function passes, seen through its printer.
; RUN: %opt_heal -passes='print<heal-skip>' -disable-output %s 2>&1 | FileCheck %s

source_filename = "skip.c"

@.str = private unnamed_addr constant [10 x i8] c"heal_skip\00", section "llvm.metadata"
@.str.other = private unnamed_addr constant [6 x i8] c"other\00", section "llvm.metadata"
@.file = private unnamed_addr constant [7 x i8] c"skip.c\00", section "llvm.metadata"
@llvm.global.annotations = appending global [2 x { ptr, ptr, ptr, i32, ptr }] [{ ptr, ptr, ptr, i32, ptr } { ptr @annotated, ptr @.str, ptr @.file, i32 1, ptr null }, { ptr, ptr, ptr, i32, ptr } { ptr @other_annotation, ptr @.str.other, ptr @.file, i32 2, ptr null }], section "llvm.metadata"

; CHECK: heal-skip: plain: instrument
define i32 @plain(i32 %x) {
  ret i32 %x
}

; CHECK-NEXT: heal-skip: ext: skip (declaration)
declare i32 @ext(i32)

; CHECK-NEXT: heal-skip: llvm.memcpy.p0.p0.i64: skip (declaration)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

; CHECK-NEXT: heal-skip: inl: skip (available_externally)
define available_externally i32 @inl(i32 %x) {
  ret i32 %x
}

; CHECK-NEXT: heal-skip: __heal_helper: skip (heal runtime)
define void @__heal_helper() {
  ret void
}

; CHECK-NEXT: heal-skip: heal.module_ctor: skip (heal runtime)
define internal void @heal.module_ctor() {
  ret void
}

; CHECK-NEXT: heal-skip: naked_fn: skip (naked)
define void @naked_fn() naked {
  unreachable
}

; CHECK-NEXT: heal-skip: no_instr: skip (disable_sanitizer_instrumentation)
define void @no_instr() disable_sanitizer_instrumentation {
  ret void
}

; CHECK-NEXT: heal-skip: annotated: skip (annotate(heal_skip))
define void @annotated() {
  ret void
}

; Another annotation does not opt out.
; CHECK-NEXT: heal-skip: other_annotation: instrument
define void @other_annotation() {
  ret void
}

; The sensor's optnone code is instrumented like any other.
; CHECK-NEXT: heal-skip: at_O0: instrument
define void @at_O0() noinline optnone {
  ret void
}
; The child of vfork borrows the parent's memory, runtime state included.
; CHECK-NEXT: heal-skip: spawn: skip (calls vfork)
define i32 @spawn() {
  %pid = call i32 @vfork()
  ret i32 %pid
}
; CHECK-NEXT: heal-skip: vfork: skip (declaration)
declare i32 @vfork() returns_twice
; CHECK-NOT: heal-skip:
