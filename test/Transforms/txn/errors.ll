; A function that cannot run as a transaction is an error naming the policy entry, not a
; silent no-op: a musttail call (the commit must come after every call) and a naked
; function (no prologue to save state in).
; RUN: echo '{"version":1,"transactions":[{"function":"tail"},{"function":"bare"}]}' > %t.json
; RUN: not %opt_heal -passes=heal-tx -heal-policy=%t.json -disable-output %s 2>&1 | FileCheck %s -DP=%t.json
; CHECK: error: heal: [[P]]:transactions[0].function: "tail" cannot run as a transaction: it makes a musttail call (the commit must run after every call, so the call cannot end the frame); remove it from "transactions" or change the function

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare i32 @next(i32)

define i32 @tail(i32 %x) {
  %r = musttail call i32 @next(i32 %x)
  ret i32 %r
}

define void @bare() naked {
  unreachable
}
