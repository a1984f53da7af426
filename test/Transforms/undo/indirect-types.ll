; heal-undo with "rollback_indirect_types" (what heal rebuild adds: the types of the
; indirect calls some module's transactional code makes, docs/rollback.md "Other modules"):
; this module's candidate targets of those types are cloned and registered even when no
; transaction here calls them, and transactional calls of those types go through
; __heal_tx_target even when no function of this module can be the target.
; RUN: %opt_heal -passes=heal-undo -heal-undo-inline=false -heal-policy=%S/Inputs/types.json -S %s | FileCheck %s
; A module without transactions of its own registers its candidates all the same.
; RUN: %opt_heal -passes=heal-undo -heal-undo-inline=false -heal-policy=%S/Inputs/types-only.json -S %s | FileCheck %s --check-prefix=ONLY
; Idempotent.
; RUN: %opt_heal -passes=heal-undo,heal-undo -heal-policy=%S/Inputs/types.json -S %s > %t.twice.ll
; RUN: %opt_heal -passes=heal-undo -heal-policy=%S/Inputs/types.json -S %s | diff - %t.twice.ll

@count = global i32 0
@hooks = global [2 x ptr] [ptr @hook, ptr @other]

; CHECK: @heal.tx.targets = private constant [1 x { ptr, ptr }] [{ ptr, ptr } { ptr @hook, ptr @hook.heal_tx }]
; ONLY: @heal.tx.targets = private constant [1 x { ptr, ptr }] [{ ptr, ptr } { ptr @hook, ptr @hook.heal_tx }]

; A listed type with a candidate here is routed (as without the list); a listed type no
; function here has is routed too (another module's candidate may be the target); an
; unlisted type without candidates is not.
; CHECK-LABEL: define i32 @tx(ptr %fp, ptr %gp, ptr %hp)
; CHECK: %heal.tx.target = call ptr @__heal_tx_target(ptr %fp)
; CHECK-NEXT: call void %heal.tx.target(i32 1)
; CHECK-NEXT: %heal.tx.target1 = call ptr @__heal_tx_target(ptr %hp)
; CHECK-NEXT: call void %heal.tx.target1(ptr null)
; CHECK-NEXT: %r = call i32 %gp(i32 2)
define i32 @tx(ptr %fp, ptr %gp, ptr %hp) {
  call void %fp(i32 1)
  call void %hp(ptr null)
  %r = call i32 %gp(i32 2)
  ret i32 %r
}

; Address taken, type listed: cloned and registered though nothing here calls it.
define internal void @hook(i32 %v) {
  store i32 %v, ptr @count
  ret void
}

; Address taken, a type no transactional code calls: left alone.
define internal void @other(i64 %v) {
  store i64 %v, ptr @count
  ret void
}

; CHECK-LABEL: define internal void @hook.heal_tx(i32 %v)
; CHECK-NEXT: call void @__heal_undo_log(ptr @count, i64 4)
; CHECK-NOT: other.heal_tx
; ONLY-LABEL: define internal void @hook.heal_tx(i32 %v)
; ONLY-NOT: other.heal_tx
