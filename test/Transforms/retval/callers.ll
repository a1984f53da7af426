; Return-value synthesis from how call sites test the result, and from the function's own
; error returns. Hand-written front-end-style IR (results kept in local variables, tests
; on loads, error blocks that log or exit).
; RUN: %opt_heal -passes='print<heal-retval>' -disable-output %s 2>&1 | FileCheck %s
; The same explanation as an optimization remark.
; RUN: %opt_heal -passes='print<heal-retval>' -pass-remarks-analysis=heal-retval -disable-output %s 2>&1 | FileCheck %s --check-prefix=REMARK

; REMARK: remark: <unknown>:0:0: on failure lt0 returns i32 -1: 3 of 4 call sites test `< 0`; the function itself returns -1 on 2 error paths
; REMARK: remark: <unknown>:0:0: on failure own returns i32 -22: no call site in this module; the function itself returns -22 on 1 error path

@ERR_BUSY = constant i32 -16
@stderr = external global ptr

declare void @log_error(ptr)
declare void @perror(ptr)
declare i32 @fprintf(ptr, ptr, ...)
declare void @exit(i32) noreturn

; CHECK: heal-retval: lt0: i32 -1: 3 of 4 call sites test `< 0`; the function itself returns -1 on 2 error paths
define i32 @lt0(i32 %x) {
entry:
  %retval = alloca i32
  %c1 = icmp sgt i32 %x, 10
  br i1 %c1, label %if.then, label %if.else
if.then:
  call void @log_error(ptr null)
  store i32 -1, ptr %retval
  br label %return
if.else:
  %c2 = icmp eq i32 %x, 0
  br i1 %c2, label %if.then2, label %if.end
if.then2:
  store i32 -1, ptr %retval
  br label %return
if.end:
  store i32 %x, ptr %retval
  br label %return
return:
  %r = load i32, ptr %retval
  ret i32 %r
}

define i32 @use_lt0() {
entry:
  %r = alloca i32
  %call = call i32 @lt0(i32 1)
  store i32 %call, ptr %r
  %v = load i32, ptr %r
  %cmp = icmp slt i32 %v, 0
  %call2 = call i32 @lt0(i32 2)
  %cmp2 = icmp sge i32 %call2, 0           ; `>= 0` is the success test: failure is `< 0`
  %call3 = call i32 @lt0(i32 3)
  %cmp3 = icmp sle i32 %call3, -1
  %call4 = call i32 @lt0(i32 4)            ; result ignored
  ret i32 0
}

; CHECK: heal-retval: eqm1: i32 -1: 2 of 2 call sites test `== -1`
define i32 @eqm1() {
  ret i32 3
}

define void @use_eqm1() {
  %call = call i32 @eqm1()
  %cmp = icmp eq i32 %call, -1
  %call2 = call i32 @eqm1()
  %cmp2 = icmp ne i32 -1, %call2           ; operands swapped, `!= -1` guards success
  ret void
}

; CHECK: heal-retval: ptr: ptr null: 1 of 1 call site tests `== NULL`
define ptr @ptr() {
  ret ptr @ERR_BUSY
}

define void @use_ptr() {
  %call = call ptr @ptr()
  %cmp = icmp eq ptr %call, null
  ret void
}

; `if (nz() != 0) { log; exit }`: nonzero is failure; -1 is the signed default among them.
; CHECK: heal-retval: nz: i32 -1: 1 of 1 call site tests `!= 0` (among equals, the type's default: an integer of unknown signedness (no debug info) fails as -1, like int)
define i32 @nz() {
  ret i32 0
}

define void @use_nz() {
entry:
  %call = call i32 @nz()
  %cmp = icmp ne i32 %call, 0
  br i1 %cmp, label %if.then, label %if.end
if.then:
  %e = load ptr, ptr @stderr
  %p = call i32 (ptr, ptr, ...) @fprintf(ptr %e, ptr null)
  call void @exit(i32 1)
  unreachable
if.end:
  ret void
}

; `if (zf() == 0) { perror(...); return; }`: here zero is the failure, the error path says so.
; CHECK: heal-retval: zf: i32 0: 1 of 1 call site tests `== 0`
define i32 @zf() {
  ret i32 1
}

define void @use_zf() {
entry:
  %call = call i32 @zf()
  %cmp = icmp eq i32 %call, 0
  br i1 %cmp, label %if.then, label %if.end
if.then:
  call void @perror(ptr null)
  br label %if.end
if.end:
  ret void
}

; `if (!ok()) { log }` on a bool: false is failure (stored as i8, tested through `!`).
; CHECK: heal-retval: ok: i1 false: 1 of 1 call site tests the result as a boolean (false is failure)
define zeroext i1 @ok() {
  ret i1 true
}

define void @use_ok() {
entry:
  %b = alloca i8
  %call = call zeroext i1 @ok()
  %frombool = zext i1 %call to i8
  store i8 %frombool, ptr %b
  %l = load i8, ptr %b
  %tobool = trunc i8 %l to i1
  %lnot = xor i1 %tobool, true
  br i1 %lnot, label %if.then, label %if.end
if.then:
  call void @log_error(ptr null)
  br label %if.end
if.end:
  ret void
}

; `if (busy() == ERR_BUSY)` with `extern const int ERR_BUSY = -16`: a named constant.
; CHECK: heal-retval: busy: i32 -16: 1 of 1 call site tests `== ERR_BUSY` (-16)
define i32 @busy() {
  ret i32 0
}

define void @use_busy() {
  %call = call i32 @busy()
  %k = load i32, ptr @ERR_BUSY
  %cmp = icmp eq i32 %call, %k
  ret void
}

; No caller: the function's own error path (`ret -22` after logging) decides.
; CHECK: heal-retval: own: i32 -22: no call site in this module; the function itself returns -22 on 1 error path
define i32 @own(i32 %x) {
entry:
  %c = icmp slt i32 %x, 0
  br i1 %c, label %bad, label %good
bad:
  call void @log_error(ptr null)
  ret i32 -22
good:
  ret i32 %x
}

; Callers disagree: two test `== -5`, one `== -7`; the majority wins and the sentence says so.
; CHECK: heal-retval: dis: i32 -5: 2 of 3 call sites test `== -5` and 1 tests `== -7`; callers disagree: -5 fails 2 of those 3 tests, the most
define i32 @dis() {
  ret i32 0
}

define void @use_dis() {
  %a = call i32 @dis()
  %ca = icmp eq i32 %a, -5
  %b = call i32 @dis()
  %cb = icmp eq i32 %b, -7
  %c = call i32 @dis()
  %cc = icmp eq i32 %c, -5
  ret void
}

; `< 0` and `== -22` agree on -22, which the function also returns on its error path.
; CHECK: heal-retval: agree: i32 -22: 1 of 2 call sites tests `< 0` and 1 tests `== -22`; -22 fails all of them; the function itself returns -22 on 1 error path
; `switch (sw()) { case 1: break; case -2: perror(...); }`: the case on the error path.
; CHECK: heal-retval: sw: i32 -2: 1 of 1 call site tests `case -2:` on an error path
; Declarations get nothing.
; CHECK-NOT: heal-retval: log_error
define i32 @agree(i32 %x) {
  %c = icmp slt i32 %x, 0
  br i1 %c, label %bad, label %good
bad:
  ret i32 -22
good:
  ret i32 0
}

define void @use_agree() {
  %a = call i32 @agree(i32 1)
  %ca = icmp slt i32 %a, 0
  %b = call i32 @agree(i32 2)
  %cb = icmp eq i32 %b, -22
  ret void
}

define i32 @sw() {
  ret i32 0
}

define void @use_sw() {
entry:
  %call = call i32 @sw()
  switch i32 %call, label %done [
    i32 1, label %done
    i32 -2, label %sw.bb
  ]
sw.bb:
  call void @perror(ptr null)
  br label %done
done:
  ret void
}
