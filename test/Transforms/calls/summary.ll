; heal-calls: the module's direct call graph as JSON (lib/CallSummary.h), which heal rebuild
; reads to follow transactional code across modules.
; RUN: %opt_heal -passes=heal-calls -disable-output %s | FileCheck %s
; With -heal-calls-out, to a file; the heal-MODE pipelines write it too, from the module as
; it was before heal changed it (no __heal_* calls, no clones).
; RUN: %opt_heal -passes=heal-calls -heal-calls-out=%t.json -disable-output %s
; RUN: FileCheck %s < %t.json
; RUN: %opt_heal -passes=heal-oracle -heal-calls-out=%t.oracle.json -disable-output %s
; RUN: FileCheck %s < %t.oracle.json
; Without the option, a pipeline writes nothing.
; RUN: %opt_heal -passes=heal-sensor -S %s | FileCheck %s --check-prefix=QUIET
; QUIET-NOT: "functions"
; An unwritable path is an error.
; RUN: not %opt_heal -passes=heal-calls -heal-calls-out=%t.nodir/x.json -disable-output %s 2>&1 | FileCheck %s --check-prefix=ERR
; ERR: error: heal: cannot write the call summary to '{{.*}}.nodir/x.json': {{.*}}

; CHECK: {"version":1,"functions":[
; Calls sorted, once each, through a prototype cast too; intrinsics left out; the types of
; indirect calls.
; CHECK-SAME: {"name":"caller","local":false,"cloneable":true,"calls":["callee","ext","helper"],"type":"void (ptr)","candidate":false,"indirect":["i32 (i32)","void ()"]},
; Its address is stored: a candidate target of indirect calls (local, so the table's
; address is the program's).
; CHECK-SAME: {"name":"helper","local":true,"cloneable":true,"calls":[],"type":"void ()","candidate":true,"indirect":[]},
; Weak: another module may replace it, so heal-undo does not clone it.
; CHECK-SAME: {"name":"weak_one","local":false,"cloneable":false,"calls":["ext"],"type":"void ()","candidate":false,"indirect":[]},
; CHECK-SAME: {"name":"callee","local":false,"cloneable":true,"calls":[],"type":"void ()","candidate":false,"indirect":[]}
; CHECK-SAME: ]}
; Declarations are not entries.
; CHECK-NOT: "name":"ext"

@hook = global ptr @helper

declare void @ext(i32)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

define void @caller(ptr %p) {
  call void @ext(i32 1)
  call void @helper()
  call void @ext(i32 2)
  call void @callee(i32 3)
  call void @llvm.memset.p0.i64(ptr %p, i8 0, i64 4, i1 false)
  call void %p()
  %r = call i32 %p(i32 1)
  call void %p()
  ret void
}

define internal void @helper() {
  ret void
}

define weak void @weak_one() {
  call void @ext(i32 4)
  ret void
}

define void @callee() {
  ret void
}
