; -heal-policy=FILE must name a readable policy; anything else is a clean error (an
; "error:" diagnostic and exit status 1, no crash, no output module). The schema's errors
; are tested in test/Transforms/policy/.
; RUN: not %opt_heal -heal-policy=%S/Inputs/bad-syntax.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=SYNTAX
; RUN: not %opt_heal -heal-policy=%S/Inputs/not-object.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=OBJECT
; RUN: not %opt_heal -heal-policy=%S/Inputs/missing.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=MISSING
; A bad policy is an error whatever the pipeline.
; RUN: not %opt_heal -heal-policy=%S/Inputs/not-object.json -passes=heal-sensor -disable-output %s 2>&1 | FileCheck %s --check-prefix=OBJECT
; A good one is accepted.
; RUN: %opt_heal -heal-policy=%S/Inputs/good.json -passes=heal-patch -S %s 2>&1 | FileCheck %s --check-prefix=GOOD

; SYNTAX: error: heal: {{.*}}bad-syntax.json:2:0: invalid JSON: Expected , or } after object property; fix the syntax (a policy is one JSON object)
; SYNTAX-NOT: Stack dump
; OBJECT: error: heal: {{.*}}not-object.json:top level: expected an object, got an array; write {"version": 1, "transactions": [...], "guard": [...]}
; MISSING: error: heal: {{.*}}missing.json: cannot read the policy: No such file or directory; check the path given to HEAL_POLICY, heal rebuild --policy or -heal-policy
; GOOD-NOT: error
; GOOD: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 3,

source_filename = "policy.c"

define i32 @f() {
  ret i32 0
}
