; -heal-policy=FILE must name a readable JSON object; anything else is a clean error
; (an "error:" diagnostic and exit status 1, no crash, no output module).
; RUN: not %opt_heal -heal-policy=%S/Inputs/bad-syntax.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=SYNTAX
; RUN: not %opt_heal -heal-policy=%S/Inputs/not-object.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=OBJECT
; RUN: not %opt_heal -heal-policy=%S/Inputs/missing.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=MISSING
; A bad policy is an error whatever the pipeline.
; RUN: not %opt_heal -heal-policy=%S/Inputs/not-object.json -passes=heal-sensor -disable-output %s 2>&1 | FileCheck %s --check-prefix=OBJECT
; A good one is accepted.
; RUN: %opt_heal -heal-policy=%S/Inputs/good.json -passes=heal-patch -S %s 2>&1 | FileCheck %s --check-prefix=GOOD

; SYNTAX: error: heal: policy '{{.*}}bad-syntax.json' is not valid JSON: [2:0, byte=65]: Expected , or } after object property
; SYNTAX-NOT: Stack dump
; OBJECT: error: heal: policy '{{.*}}not-object.json' is not a JSON object
; MISSING: error: heal: cannot read policy '{{.*}}missing.json': No such file or directory
; GOOD-NOT: error
; GOOD: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 3,

source_filename = "policy.c"

define i32 @f() {
  ret i32 0
}
