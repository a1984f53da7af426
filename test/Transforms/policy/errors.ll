; Every policy mistake is an error "heal: FILE:WHERE: problem; fix", all of them reported at
; once, in every pipeline, with exit status 1 and no crash.
; RUN: not %opt_heal -heal-policy=%S/Inputs/syntax.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=SYNTAX
; RUN: not %opt_heal -heal-policy=%S/Inputs/keys.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=KEYS
; RUN: not %opt_heal -heal-policy=%S/Inputs/types.json -passes=heal-sensor -disable-output %s 2>&1 | FileCheck %s --check-prefix=TYPES
; RUN: not %opt_heal -heal-policy=%S/Inputs/guard-types.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=GTYPES
; RUN: not %opt_heal -heal-policy=%S/Inputs/callees.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=CALLEES
; RUN: not %opt_heal -heal-policy=%S/Inputs/callees-object.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=CALLEES-OBJ
; RUN: not %opt_heal -heal-policy=%S/Inputs/types-bad.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=ITYPES
; Values that do not suit the function's return type, once the module defines it.
; RUN: not %opt_heal -heal-policy=%S/Inputs/mismatch.json -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=MISMATCH
; A function this module does not define is fine (another module may); with
; -heal-policy-check-defined it is an error.
; RUN: not %opt_heal -heal-policy=%S/Inputs/mismatch.json -heal-policy-check-defined -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefixes=MISMATCH,DEFINED
; RUN: %opt_heal -heal-policy=%S/Inputs/good.json -passes=heal-patch -disable-output %s 2>&1 | count 0
; RUN: not %opt_heal -heal-policy=%S/Inputs/good.json -heal-policy-check-defined -passes=heal-patch -disable-output %s 2>&1 | FileCheck %s --check-prefix=GOOD-DEFINED

; SYNTAX: error: heal: {{.*}}syntax.json:2:36: invalid JSON: Expected object key; fix the syntax (a policy is one JSON object)
; SYNTAX-NOT: error

; KEYS-DAG: error: heal: {{.*}}keys.json:gaurd: unknown key "gaurd"; the keys here are "version", "transactions", "guard", "rollback_callees", "rollback_indirect_types"
; KEYS-DAG: error: heal: {{.*}}keys.json:transactions[0].rollbak: unknown key "rollbak"; the keys here are "function", "return", "rollback"
; KEYS-DAG: error: heal: {{.*}}keys.json:guard[0].size: unknown key "size"; the keys here are "function", "buffer"
; KEYS-NOT: error

; TYPES-DAG: error: heal: {{.*}}types.json:version: unsupported version "1"; this heal reads "version": 1
; TYPES-DAG: error: heal: {{.*}}types.json:transactions[0].function: expected a function name (a non-empty string), got a number; write the function's name in quotes
; TYPES-DAG: error: heal: {{.*}}types.json:transactions[0].rollback: expected true or false, got a string; write "rollback": true or false (default true)
; TYPES-DAG: error: heal: {{.*}}types.json:transactions[1]: expected an object, got a number; write {"function": "f"}
; TYPES-DAG: error: heal: {{.*}}types.json:transactions[2]: missing "function"; add "function": "<function name>"
; TYPES-DAG: error: heal: {{.*}}types.json:transactions[3].return: expected an integer, null, true/false, a number, "nan" or "zero", got an array; fix the value or remove "return" to let heal choose
; TYPES-DAG: error: heal: {{.*}}types.json:transactions[4].function: "f" is already listed in transactions; keep one entry per function
; TYPES-DAG: error: heal: {{.*}}types.json:transactions[5].function: expected a function name (a non-empty string), got an empty string; write the function's name in quotes
; TYPES-DAG: error: heal: {{.*}}types.json:transactions[6].return: expected an integer, null, true/false, a number, "nan" or "zero", got the string "none"; fix the value or remove "return" to let heal choose
; TYPES-DAG: error: heal: {{.*}}types.json:guard: expected an array, got an object; write "guard": [{"function": "f", "buffer": "buf"}, ...]
; TYPES-NOT: error

; GTYPES-DAG: error: heal: {{.*}}guard-types.json:version: unsupported version 2; this heal reads "version": 1
; GTYPES-DAG: error: heal: {{.*}}guard-types.json:transactions: expected an array, got an object; write "transactions": [{"function": "f"}, ...]
; GTYPES-DAG: error: heal: {{.*}}guard-types.json:guard[0]: missing "buffer"; add "buffer": "<buffer name>"
; GTYPES-DAG: error: heal: {{.*}}guard-types.json:guard[1]: expected an object, got a string; write {"function": "f", "buffer": "buf"}
; GTYPES-DAG: error: heal: {{.*}}guard-types.json:guard[2].buffer: expected a buffer name (a non-empty string), got null; write the buffer's name in quotes
; GTYPES-NOT: error

; CALLEES-DAG: error: heal: {{.*}}callees.json:rollback_callees[1]: expected a string, got a number; write the name of a function with external linkage
; CALLEES-DAG: error: heal: {{.*}}callees.json:rollback_callees[2]: empty function name; write the name of a function with external linkage
; CALLEES-DAG: error: heal: {{.*}}callees.json:rollback_callees[3]: expected a string, got null; write the name of a function with external linkage
; CALLEES-NOT: error
; CALLEES-OBJ: error: heal: {{.*}}callees-object.json:rollback_callees: expected an array, got an object; write "rollback_callees": ["f", ...]
; CALLEES-OBJ-NOT: error
; ITYPES-DAG: error: heal: {{.*}}types-bad.json:rollback_indirect_types[1]: expected a string, got a number; write a function type as LLVM prints it, e.g. "i32 (ptr, i64)"
; ITYPES-DAG: error: heal: {{.*}}types-bad.json:rollback_indirect_types[2]: empty type; write a function type as LLVM prints it, e.g. "i32 (ptr, i64)"
; ITYPES-NOT: error

; MISMATCH-DAG: error: heal: {{.*}}mismatch.json:transactions[0].return: null cannot be returned by "f": the function returns an integer (i32); fix the value or remove "return" to let heal choose
; MISMATCH-DAG: error: heal: {{.*}}mismatch.json:transactions[1].return: -1 cannot be returned by "v": the function returns void; remove "return"
; MISMATCH-DAG: error: heal: {{.*}}mismatch.json:transactions[2].return: 1.5 cannot be returned by "p": the function returns a pointer (use null or an integer address); fix the value or remove "return" to let heal choose
; MISMATCH-DAG: error: heal: {{.*}}mismatch.json:transactions[3].return: 300 cannot be returned by "c": 300 does not fit the function's 8-bit integer; fix the value
; MISMATCH-DAG: error: heal: {{.*}}mismatch.json:transactions[4].return: 2 cannot be returned by "b": the function returns a bool (use true or false); fix the value
; MISMATCH-DAG: error: heal: {{.*}}mismatch.json:transactions[5].return: -1 cannot be returned by "s": the function returns a struct through a hidden pointer (only "zero" fits); fix the value
; MISMATCH-DAG: error: heal: {{.*}}mismatch.json:transactions[6].return: true cannot be returned by "d": the function returns a floating-point number; fix the value
; DEFINED-DAG: error: heal: {{.*}}mismatch.json:transactions[7].function: unknown function "elsewhere"; name a function defined in the program (its C name)
; DEFINED-DAG: error: heal: {{.*}}mismatch.json:guard[0].function: unknown function "nowhere"; name a function defined in the program (its C name)
; MISMATCH-NOT: error: heal: {{.*}}transactions[7].return

; GOOD-DEFINED: error: heal: {{.*}}good.json:transactions[7].function: unknown function "elsewhere"
; GOOD-DEFINED-NEXT: error: heal: {{.*}}good.json:guard[1].function: unknown function "elsewhere"

%struct.S = type { i64, i64, i64 }

define i32 @f() {
  ret i32 0
}
define void @v() {
  ret void
}
define ptr @p() {
  ret ptr null
}
define signext i8 @c() {
  ret i8 0
}
define zeroext i1 @b() {
  ret i1 true
}
define void @s(ptr sret(%struct.S) %out) {
  ret void
}
define double @d() {
  ret double 0.0
}
