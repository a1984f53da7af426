// clang -fpass-plugin=libHealPasses.so runs the pipeline of $HEAL_MODE at OptimizerLast,
// at every -O level.
// RUN: %clang -O2 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,SENSOR
// RUN: %clang -O0 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,SENSOR
// RUN: env HEAL_MODE=oracle %clang -O2 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,ORACLE
// RUN: env HEAL_MODE=patch %clang -O2 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,PATCH
// $HEAL_POLICY alone implies patch.
// RUN: env HEAL_POLICY=%S/Inputs/good.json %clang -O2 -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,PATCH
// LTO pre-link pipelines call OptimizerLast too: the bitcode object carries the registration.
// RUN: %clang -O2 -flto=thin -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,SENSOR
// RUN: %clang -O2 -flto -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,SENSOR
// The plugin loaded twice still registers once.
// RUN: %clang -O2 -fpass-plugin=%plugin -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,SENSOR,ONCE
// Bad configuration is a compile error, not a crash.
// RUN: env HEAL_MODE=bogus not %clang -O2 -fpass-plugin=%plugin -S -emit-llvm %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=BADMODE
// RUN: env HEAL_POLICY=%S/Inputs/not-object.json not %clang -O2 -fpass-plugin=%plugin -S -emit-llvm %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=BADPOLICY
// Without the plugin there is no registration (the checks can fail).
// RUN: %clang -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=PLAIN

// CHECK: @heal.source = private unnamed_addr constant [{{[0-9]+}} x i8] c"{{.*}}fpass-plugin.c\00", align 1
// SENSOR: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 1, ptr @heal.source, i32 0, i32 0, ptr null }, align 8
// ORACLE: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 2, ptr @heal.source, i32 0, i32 0, ptr null }, align 8
// PATCH: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 3, ptr @heal.source, i32 0, i32 0, ptr null }, align 8
// ONCE-NOT: @heal.module.
// CHECK: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @heal.module_ctor, ptr null }]
// CHECK: define internal void @heal.module_ctor()
// CHECK-NEXT: call void @__heal_register_module(ptr @heal.module)
// ONCE-NOT: @heal.module_ctor.
// BADMODE: error: heal: unknown HEAL_MODE 'bogus' (expected sensor, oracle or patch)
// BADPOLICY: error: heal: {{.*}}not-object.json:top level: expected an object, got an array; write
// PLAIN-NOT: heal

int square(int x) { return x * x; }
