// The Oracle through clang -fpass-plugin (OptimizerLast: after the optimizer, which at
// -O2 -g has turned declares into assignment tracking's dbg.assign): the buffer that is
// still an alloca gets its slot; the dbg.assign records of the alloca are replaced by
// the slot's declare, and the result passes the verifier; monitoring and the site table
// are there at every -O level.
// RUN: env HEAL_MODE=oracle %clang -O2 -g -fpass-plugin=%plugin -S -emit-llvm %s -o %t.ll
// RUN: opt -passes=verify -S %t.ll | FileCheck %s
// RUN: env HEAL_MODE=oracle %clang -O0 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | opt -passes=verify -S | FileCheck %s
// RUN: env HEAL_MODE=oracle %clang -O2 -g -fpass-plugin=%plugin -c %s -o %t.o

void fill(char *, int);

int sum(int n) {
  char buf[32];
  fill(buf, n);
  int s = 0;
  for (int i = 0; i < 32; i++)
    s += buf[i];
  return s;
}

// CHECK: @heal.sites = private constant [1 x { ptr, ptr, ptr, i32, i32, i64 }]
// CHECK: @heal.module = private constant { i32, i32, ptr, i32, i32, ptr } { i32 1, i32 2, ptr @heal.source, i32 1, i32 0, ptr @heal.sites }
// CHECK-LABEL: define dso_local i32 @sum(
// CHECK:       [[ADDR:%[0-9a-z.]+]] = alloca ptr, align 8
// CHECK:       call i32 @heal.enter(
// CHECK:       [[SLOT:%[0-9]+]] = call nonnull align 16 ptr @heal.stack.alloc(i64 32, i64 16, ptr {{.*}}@heal.sites
// CHECK-NEXT:  store volatile ptr [[SLOT]], ptr [[ADDR]], align 8
// CHECK-NEXT:  #dbg_declare(ptr [[ADDR]], ![[BUF:[0-9]+]], !DIExpression(DW_OP_deref),
// CHECK-NOT:   #dbg_assign({{.*}}![[BUF]],
// CHECK:       call void @fill(
// CHECK-NOT:   #dbg_assign({{.*}}![[BUF]],
// CHECK:       call void @heal.stack.exit(
// CHECK:       ![[BUF]] = !DILocalVariable(name: "buf",
