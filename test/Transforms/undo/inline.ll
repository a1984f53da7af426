; The inline fast path of heal-undo (default): a plain 1/2/4/8-byte store outside the
; function's frame appends its entry itself and calls the runtime only when the log is
; full (heal.h, HEAL_RT_UNDO_TLS). Other writes call __heal_undo_log.
; RUN: echo '{"version":1,"transactions":[{"function":"tx"}]}' > %t.json
; RUN: %opt_heal -passes=heal-undo -heal-policy=%t.json -S %s | FileCheck %s
; Optimized, the sequence survives and the store stays after the append.
; RUN: %opt_heal -passes='heal-undo,default<O2>' -heal-policy=%t.json -S %s | FileCheck %s --check-prefix=O2

; CHECK: @__heal_undo_tls = external thread_local(initialexec) global { ptr, ptr }

; CHECK-LABEL: define void @tx(ptr %p, double %d, ptr %q)
define void @tx(ptr %p, double %d, ptr %q) !dbg !5 {
entry:
; CHECK-NEXT: entry:
; CHECK-NEXT:   %heal.undo.old = load i64, ptr %p, align 4, !dbg [[STORE:![0-9]+]]
; CHECK-NEXT:   %[[BLK:[0-9]+]] = call ptr @llvm.threadlocal.address.p0(ptr @__heal_undo_tls), !dbg [[STORE]]
; CHECK-NEXT:   %heal.undo.cur = load ptr, ptr %[[BLK]], align 8
; CHECK-NEXT:   %[[LIMP:[0-9]+]] = getelementptr inbounds i8, ptr %[[BLK]], i64 8
; CHECK-NEXT:   %heal.undo.limit = load ptr, ptr %[[LIMP]], align 8
; CHECK-NEXT:   %[[L:[0-9]+]] = ptrtoint ptr %heal.undo.limit to i64
; CHECK-NEXT:   %[[C:[0-9]+]] = ptrtoint ptr %heal.undo.cur to i64
; CHECK-NEXT:   %[[R:[0-9]+]] = sub i64 %[[L]], %[[C]]
; CHECK-NEXT:   %heal.undo.fits = icmp uge i64 %[[R]], 24
; CHECK-NEXT:   br i1 %heal.undo.fits, label %heal.undo.append, label %heal.undo.full, !dbg [[STORE]], !prof [[LIKELY:![0-9]+]]
; CHECK:      heal.undo.append:
; CHECK-NEXT:   store i64 %heal.undo.old, ptr %heal.undo.cur, align 8, !dbg [[STORE]]
; CHECK-NEXT:   %[[A:[0-9]+]] = getelementptr inbounds i8, ptr %heal.undo.cur, i64 8
; CHECK-NEXT:   store ptr %p, ptr %[[A]], align 8
; CHECK-NEXT:   %[[S:[0-9]+]] = getelementptr inbounds i8, ptr %heal.undo.cur, i64 16
; CHECK-NEXT:   store i64 8, ptr %[[S]], align 8
; CHECK-NEXT:   %heal.undo.next = getelementptr inbounds i8, ptr %heal.undo.cur, i64 24
; CHECK-NEXT:   store atomic ptr %heal.undo.next, ptr %[[BLK]] syncscope("singlethread") release, align 8
; CHECK-NEXT:   br label %[[CONT:.*]], !dbg [[STORE]]
; CHECK:      heal.undo.full:
; CHECK-NEXT:   call void @__heal_undo_log(ptr %p, i64 8), !dbg [[STORE]]
; CHECK-NEXT:   br label %[[CONT]]
; CHECK:      [[CONT]]:
; CHECK-NEXT:   store i64 1, ptr %p, align 4, !dbg [[STORE]]
  store i64 1, ptr %p, align 4, !dbg !8
; A double is logged as its bits; a 1-byte store the same way.
; CHECK:        %heal.undo.old{{[0-9]+}} = load i64, ptr %q
; CHECK:        store double %d, ptr %q
; CHECK:        %heal.undo.old{{[0-9]+}} = load i8, ptr %p
; CHECK:        store i8 2, ptr %p
  store double %d, ptr %q, !dbg !9
  store i8 2, ptr %p, !dbg !9
; 3 bytes, a volatile store, an atomic one: the runtime call.
; CHECK-NEXT:   call void @__heal_undo_log(ptr %q, i64 3)
; CHECK-NEXT:   store i24 3, ptr %q
; CHECK-NEXT:   call void @__heal_undo_log(ptr %p, i64 4)
; CHECK-NEXT:   store volatile i32 4, ptr %p
; CHECK-NEXT:   call void @__heal_undo_log(ptr %p, i64 8)
; CHECK-NEXT:   store atomic i64 5, ptr %p seq_cst, align 8
  store i24 3, ptr %q
  store volatile i32 4, ptr %p
  store atomic i64 5, ptr %p seq_cst, align 8
  ret void
}
; CHECK: [[LIKELY]] = !{!"branch_weights", i32 1048575, i32 1}

; (the old value's load may sink into the append: the full path's call reads it itself)
; O2-LABEL: define void @tx(
; O2:       heal.undo.append:
; O2:         %heal.undo.old = load i64, ptr %p
; O2:         store atomic ptr %heal.undo.next, ptr %{{.*}} syncscope("singlethread") release
; O2:         store i64 1, ptr %p
; O2-NOT:     store i64 1, ptr %p
; O2:         store double %d, ptr %q

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3, !4}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: false, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "tx.c", directory: "/src")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = !{i32 7, !"Dwarf Version", i32 5}
!5 = distinct !DISubprogram(name: "tx", scope: !1, file: !1, line: 1, type: !6, scopeLine: 1, spFlags: DISPFlagDefinition, unit: !0)
!6 = !DISubroutineType(types: !7)
!7 = !{null}
!8 = !DILocation(line: 2, column: 3, scope: !5)
!9 = !DILocation(line: 3, column: 3, scope: !5)
