; heal-tx wraps each policy transaction defined here: the body moves to F.heal_body
; (noinline), F becomes the inline entry (returns_twice inline assembly; 2: the runtime's
; __heal_tx_enter_slow pushes) / call body / commit (the inline @heal.tx.commit), with an
; abort block returning the synthesized value. Functions outside the policy are untouched; a name the
; module does not define (elsewhere) is fine.
; RUN: %opt_heal -passes=heal-tx -heal-policy=%S/Inputs/wrap.json -S %s | FileCheck %s
; RUN: %opt_heal -passes=heal-tx -heal-policy=%S/Inputs/wrap.json -S %s | FileCheck %s --check-prefix=SITE
; RUN: %opt_heal -passes=heal-tx -heal-policy=%S/Inputs/wrap.json -S %s | FileCheck %s --check-prefix=COMMIT
; RUN: %opt_heal -passes=heal-tx -heal-policy=%S/Inputs/wrap.json -S %s | FileCheck %s --check-prefix=ASM
; RUN: %opt_heal -passes=heal-tx,heal-tx -heal-policy=%S/Inputs/wrap.json -S %s | FileCheck %s --check-prefix=ONCE
; RUN: %opt_heal -passes=heal-tx -heal-policy=%S/Inputs/wrap.json -pass-remarks-analysis=heal-retval -disable-output %s 2>&1 | FileCheck %s --check-prefix=REMARK

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

%struct.box = type { i64, i64, i64, i64 }

; CHECK-LABEL: @parse(
; CHECK-SAME: ptr %s) #[[WRAPPER:[0-9]+]] {
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %heal.tx.space = alloca { i64, {{.*}} }, align 16
; CHECK-NEXT:    %heal.tx.frame = getelementptr inbounds i8, ptr %heal.tx.space, i64 16
; CHECK-NEXT:    %heal.tx.enter = call { i32, ptr, ptr } asm sideeffect "{{.*}}"(ptr %heal.tx.frame, ptr @heal.tx.parse) #[[SJCALL:[0-9]+]]
; CHECK-NEXT:    %heal.tx.jmp = extractvalue { i32, ptr, ptr } %heal.tx.enter, 0
; CHECK-NEXT:    switch i32 %heal.tx.jmp, label %heal.tx.slow [
; CHECK-NEXT:      i32 0, label %heal.tx.body
; CHECK-NEXT:      i32 1, label %heal.tx.abort
; CHECK-NEXT:    ], !prof [[COLD:![0-9]+]]
; CHECK:       heal.tx.abort:
; CHECK-NEXT:    ret i32 -1
; CHECK:       heal.tx.slow:
; CHECK-NEXT:    call void @__heal_tx_enter_slow(ptr %heal.tx.frame, ptr @heal.tx.parse)
; CHECK-NEXT:    br label %heal.tx.body
; CHECK:       heal.tx.body:
; CHECK-NEXT:    [[R:%[0-9]+]] = notail call i32 @parse.heal_body(ptr %s)
; CHECK-NEXT:    call void @heal.tx.commit(ptr %heal.tx.frame)
; CHECK-NEXT:    ret i32 [[R]]
; CHECK-NEXT:  }
define i32 @parse(ptr %s) {
entry:
  %c = load i8, ptr %s
  %bad = icmp eq i8 %c, 0
  br i1 %bad, label %err, label %ok
err:
  ret i32 -1
ok:
  ret i32 1
}

; The caller tests `< 0`: -1 is the failure value.
define i32 @caller(ptr %s) {
; CHECK-LABEL: define i32 @caller(
; CHECK-NEXT:    %r = call i32 @parse(ptr %s)
  %r = call i32 @parse(ptr %s)
  %neg = icmp slt i32 %r, 0
  %v = select i1 %neg, i32 0, i32 %r
  ret i32 %v
}

; CHECK-LABEL: @get_name(
; CHECK-SAME: i32 %k) #[[WRAPPER]] {
; CHECK:       heal.tx.abort:
; CHECK-NEXT:    ret ptr null
; CHECK:         [[P:%[0-9]+]] = notail call ptr @get_name.heal_body(i32 %k)
define ptr @get_name(i32 %k) {
  ret ptr null
}

; void: the abort block just returns.
; CHECK-LABEL: @fill(
; CHECK-SAME: ptr %p) #[[WRAPPER]] {
; CHECK:       heal.tx.abort:
; CHECK-NEXT:    ret void
; CHECK:       heal.tx.body:
; CHECK-NEXT:    notail call void @fill.heal_body(ptr %p)
; CHECK-NEXT:    call void @heal.tx.commit(ptr %heal.tx.frame)
; CHECK-NEXT:    ret void
define void @fill(ptr %p) {
  store i8 1, ptr %p
  ret void
}

; sret: the abort block zeroes the struct through the hidden pointer; the call passes it
; with the same attribute.
; CHECK-LABEL: @make(
; CHECK-SAME: ptr sret(%struct.box) align 8 %out, i64 %n) #[[WRAPPER]] {
; CHECK:       heal.tx.abort:
; CHECK-NEXT:    store %struct.box zeroinitializer, ptr %out, align 8
; CHECK-NEXT:    ret void
; CHECK:         notail call void @make.heal_body(ptr sret(%struct.box) align 8 %out, i64 %n)
define void @make(ptr sret(%struct.box) align 8 %out, i64 %n) {
  store i64 %n, ptr %out
  ret void
}

; Varargs: wrapped in place. Allocas stay above the split (static), the commit precedes
; every ret (the runtime's: the undo log instruments this code itself, so an inline pop of
; __heal_tx_top here would be logged); the forced value -7 is returned; rollback off is in the site's flags (2 = forced).
; CHECK-LABEL: @sum(
; CHECK-SAME: i32 %n, ...) #[[WRAPPER]] {
; CHECK-NEXT:    %ap = alloca [24 x i8], align 16
; CHECK-NEXT:    %heal.tx.space = alloca
; CHECK-NEXT:    %heal.tx.frame = getelementptr inbounds i8, ptr %heal.tx.space, i64 16
; CHECK-NEXT:    %heal.tx.enter = call { i32, ptr, ptr } asm sideeffect "{{.*}}"(ptr %heal.tx.frame, ptr @heal.tx.sum) #[[SJCALL]]
; CHECK:       heal.tx.abort:
; CHECK-NEXT:    ret i32 -7
; CHECK:       heal.tx.body:
; CHECK-NEXT:    call void @llvm.va_start.p0(ptr %ap)
; CHECK:         call void @__heal_tx_commit(ptr %heal.tx.frame)
; CHECK-NEXT:    ret i32 %v
define i32 @sum(i32 %n, ...) {
  %ap = alloca [24 x i8], align 16
  call void @llvm.va_start.p0(ptr %ap)
  %v = va_arg ptr %ap, i32
  call void @llvm.va_end.p0(ptr %ap)
  ret i32 %v
}

; alwaysinline is dropped: the wrapper must stay a boundary.
; CHECK-LABEL: @always(
; CHECK-SAME: i32 %x) #[[WRAPPER]] {
define i32 @always(i32 %x) alwaysinline {
  ret i32 %x
}

; Not in the policy: untouched.
; CHECK-LABEL: define i32 @other(i32 %x) {
; CHECK-NEXT:    %y = add i32 %x, 1
; CHECK-NEXT:    ret i32 %y
define i32 @other(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}

declare void @llvm.va_start.p0(ptr)
declare void @llvm.va_end.p0(ptr)

; CHECK: declare void @__heal_tx_enter_slow(ptr, ptr) #[[NOUNWIND:[0-9]+]]
; CHECK: declare void @__heal_tx_commit(ptr) #[[NOUNWIND]]

; The inline commit (heal.h): pop if the frame's state (at HEAL_TX_OFFSET 256) is the
; thread's top and the transaction is nested (prev, its first word, is not null) or the undo log is empty (cur, the
; first word of __heal_undo_tls, equals base, the third); an outermost commit with a log
; needing no attention (attn, the fourth word, is 0) of at most 1 MiB truncates it
; (cur = base) and pops; else the runtime's slow path.
; COMMIT: @__heal_tx_top = external thread_local(initialexec) global ptr
; COMMIT-NEXT: @__heal_undo_tls = external thread_local(initialexec) global { ptr, ptr }
; COMMIT-LABEL: define internal void @heal.tx.commit(
; COMMIT-SAME: ptr %frame) #[[INLINE:[0-9]+]] {
; COMMIT-NEXT:  entry:
; COMMIT-NEXT:    %tx = getelementptr inbounds i8, ptr %frame, i64 256
; COMMIT-NEXT:    [[TOPADDR:%[0-9]+]] = call ptr @llvm.threadlocal.address.p0(ptr @__heal_tx_top)
; COMMIT-NEXT:    %top = load ptr, ptr [[TOPADDR]], align 8
; COMMIT-NEXT:    %is.top = icmp eq ptr %top, %tx
; COMMIT-NEXT:    br i1 %is.top, label %live, label %slow, !prof [[LIKELY:![0-9]+]]
; COMMIT:       live:
; COMMIT-NEXT:    %prev = load ptr, ptr %tx, align 8
; COMMIT-NEXT:    %nested = icmp ne ptr %prev, null
; COMMIT-NEXT:    br i1 %nested, label %pop, label %outermost
; COMMIT:       outermost:
; COMMIT-NEXT:    [[UNDO:%[0-9]+]] = call ptr @llvm.threadlocal.address.p0(ptr @__heal_undo_tls)
; COMMIT-NEXT:    %undo.cur = load ptr, ptr [[UNDO]], align 8
; COMMIT-NEXT:    [[BASEADDR:%[0-9]+]] = getelementptr inbounds i8, ptr [[UNDO]], i64 16
; COMMIT-NEXT:    %undo.base = load ptr, ptr [[BASEADDR]], align 8
; COMMIT-NEXT:    %undo.empty = icmp eq ptr %undo.cur, %undo.base
; COMMIT-NEXT:    br i1 %undo.empty, label %pop, label %logged, !prof [[LIKELY]]
; COMMIT:       logged:
; COMMIT-NEXT:    [[ATTNADDR:%[0-9]+]] = getelementptr inbounds i8, ptr [[UNDO]], i64 24
; COMMIT-NEXT:    %undo.attn = load i64, ptr [[ATTNADDR]], align 8
; COMMIT-NEXT:    [[CUR:%[0-9]+]] = ptrtoint ptr %undo.cur to i64
; COMMIT-NEXT:    [[BASE:%[0-9]+]] = ptrtoint ptr %undo.base to i64
; COMMIT-NEXT:    %undo.used = sub i64 [[CUR]], [[BASE]]
; COMMIT-NEXT:    %undo.clean = icmp eq i64 %undo.attn, 0
; COMMIT-NEXT:    %undo.small = icmp ule i64 %undo.used, 1048576
; COMMIT-NEXT:    %undo.inline = and i1 %undo.clean, %undo.small
; COMMIT-NEXT:    br i1 %undo.inline, label %truncate, label %slow, !prof [[LIKELY]]
; COMMIT:       truncate:
; COMMIT-NEXT:    store ptr %undo.base, ptr [[UNDO]], align 8
; COMMIT-NEXT:    br label %pop
; COMMIT:       pop:
; COMMIT-NEXT:    store ptr %prev, ptr [[TOPADDR]], align 8
; COMMIT-NEXT:    ret void
; COMMIT:       slow:
; COMMIT-NEXT:    call void @__heal_tx_commit(ptr %frame)
; COMMIT-NEXT:    ret void

; The bodies: internal, noinline, named for the reports.
; CHECK-LABEL: @parse.heal_body(
; CHECK-SAME: ptr %s) unnamed_addr #[[BODY:[0-9]+]] {
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %c = load i8, ptr %s
; CHECK-LABEL: @always.heal_body(
; CHECK-SAME: i32 %x) unnamed_addr #[[BODYALWAYS:[0-9]+]] {

; CHECK-DAG: attributes #[[WRAPPER]] = { noinline }
; COMMIT: attributes #[[INLINE]] = { alwaysinline nounwind }
; CHECK-DAG: attributes #[[NOUNWIND]] = { nounwind }
; CHECK-DAG: attributes #[[BODY]] = { noinline "heal-tx-body"="parse" }
; CHECK-DAG: attributes #[[BODYALWAYS]] = { noinline "heal-tx-body"="always" }
; CHECK-DAG: attributes #[[SJCALL]] = { nounwind returns_twice }
; The body is laid out as the fall-through (weights: slow, body, abort).
; CHECK-DAG: [[COLD]] = !{!"branch_weights", i32 1, i32 2000, i32 1}

; The sites: function, file, line, flags (1 rollback, 2 forced), value text, reason.
; SITE-DAG: @heal.tx.parse = private constant { ptr, ptr, i32, i32, ptr, ptr } { ptr [[PARSE:@heal.str[.0-9]*]], ptr {{@heal.str[.0-9]*}}, i32 0, i32 1, ptr [[MINUS1:@heal.str[.0-9]*]], ptr {{@heal.str[.0-9]*}} }
; SITE-DAG: @heal.tx.sum = private constant { ptr, ptr, i32, i32, ptr, ptr } { ptr {{@heal.str[.0-9]*}}, ptr {{@heal.str[.0-9]*}}, i32 0, i32 2, ptr [[MINUS7:@heal.str[.0-9]*]],
; SITE-DAG: @heal.tx.fill = private constant { ptr, ptr, i32, i32, ptr, ptr } { ptr {{@heal.str[.0-9]*}}, ptr {{@heal.str[.0-9]*}}, i32 0, i32 1, ptr null,
; SITE-DAG: @heal.tx.get_name = private constant { ptr, ptr, i32, i32, ptr, ptr } { ptr {{@heal.str[.0-9]*}}, ptr {{@heal.str[.0-9]*}}, i32 0, i32 1, ptr [[NULL:@heal.str[.0-9]*]],
; SITE-DAG: @heal.tx.make = private constant { ptr, ptr, i32, i32, ptr, ptr } { ptr {{@heal.str[.0-9]*}}, ptr {{@heal.str[.0-9]*}}, i32 0, i32 1, ptr [[ZERO:@heal.str[.0-9]*]],
; SITE-DAG: [[PARSE]] = private unnamed_addr constant [6 x i8] c"parse\00"
; SITE-DAG: [[MINUS1]] = private unnamed_addr constant [3 x i8] c"-1\00"
; SITE-DAG: [[MINUS7]] = private unnamed_addr constant [3 x i8] c"-7\00"
; SITE-DAG: [[NULL]] = private unnamed_addr constant [5 x i8] c"NULL\00"
; SITE-DAG: [[ZERO]] = private unnamed_addr constant [5 x i8] c"zero\00"

; Running twice wraps once.
; ONCE-COUNT-1: call void @__heal_tx_enter_slow(ptr %heal.tx.frame, ptr @heal.tx.parse)
; ONCE-NOT: call void @__heal_tx_enter_slow(ptr %heal.tx.frame, ptr @heal.tx.parse)
; ONCE-COUNT-1: define internal void @heal.tx.commit(

; REMARK: remark: {{.*}}on failure parse returns i32 -1: 1 of 1 call site tests `< 0`; the function itself returns -1 on 1 error path
; REMARK: remark: {{.*}}on failure fill returns nothing: the function returns void
; REMARK: remark: {{.*}}on failure sum returns i32 -7: forced by the policy (transactions[4].return)

; The inline entry exactly (heal.h, lib/Transaction.cpp enterAsm): the register saves
; (rbp, rsp and the resume point `1:` mangled with the pointer guard), the dead-frame and
; attn tests (else eax = 2), struct heal_tx at 256 (prev 256, site 264, slot mark 272,
; undo cur 280, depth 288, check word 296 and below the frame at -8), the Oracle's marks
; from __heal_self when it exists, the push last; every caller-saved register clobbered.
; ASM-LABEL: define i32 @parse(
; ASM: %heal.tx.enter = call { i32, ptr, ptr } asm sideeffect "mov %fs:0x30, %rdx\0A\09mov %rbx, (%rdi)\0A\09mov %rbp, %rax\0A\09xor %rdx, %rax\0A\09rol $$0x11, %rax\0A\09mov %rax, 8(%rdi)\0A\09mov %r12, 16(%rdi)\0A\09mov %r13, 24(%rdi)\0A\09mov %r14, 32(%rdi)\0A\09mov %r15, 40(%rdi)\0A\09mov %rsp, %rax\0A\09xor %rdx, %rax\0A\09rol $$0x11, %rax\0A\09mov %rax, 48(%rdi)\0A\09lea 1f(%rip), %rax\0A\09xor %rdx, %rax\0A\09rol $$0x11, %rax\0A\09mov %rax, 56(%rdi)\0A\09mov __heal_tx_top@gottpoff(%rip), %r8\0A\09mov %fs:(%r8), %rcx\0A\09lea 256(%rdi), %rax\0A\09lea -1(%rcx), %r10\0A\09cmp %rax, %r10\0A\09jb 2f\0A\09mov __heal_undo_tls@gottpoff(%rip), %r9\0A\09cmpw $$0, %fs:24(%r9)\0A\09jne 2f\0A\09mov %fs:(%r9), %r10\0A\09mov %rcx, 256(%rdi)\0A\09mov %rsi, 264(%rdi)\0A\09mov %r10, 280(%rdi)\0A\09mov __heal_self@gottpoff(%rip), %r9\0A\09mov %fs:(%r9), %r9\0A\09test %r9, %r9\0A\09jne 3f\0A\09mov %r9, 272(%rdi)\0A\09mov %r9d, 288(%rdi)\0A\094:\0A\09xor %rsi, %rcx\0A\09xor %rax, %rcx\0A\09xor %rdx, %rcx\0A\09mov %rcx, 296(%rdi)\0A\09mov %rcx, -8(%rdi)\0A\09mov %rax, %fs:(%r8)\0A\09xor %eax, %eax\0A\09jmp 1f\0A\093:\0A\09mov 16(%r9), %r10\0A\09mov 0(%r9), %r11d\0A\09mov %r10, 272(%rdi)\0A\09mov %r11d, 288(%rdi)\0A\09jmp 4b\0A\092:\0A\09mov $$2, %eax\0A\091:", "={ax},={di},={si},1,2,~{rcx},~{rdx},~{r8},~{r9},~{r10},~{r11},~{xmm0},~{xmm1},~{xmm2},~{xmm3},~{xmm4},~{xmm5},~{xmm6},~{xmm7},~{xmm8},~{xmm9},~{xmm10},~{xmm11},~{xmm12},~{xmm13},~{xmm14},~{xmm15},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr %heal.tx.frame, ptr @heal.tx.parse)
