// From C with debug info: sites are named after the source variables (DILocalVariable)
// with their declaration file:line; the DI type decides what is a buffer (a union whose
// array member is not its IR type is guarded, a bit-field struct whose IR type has a
// padding array is not); an alloca() buffer is named after the pointer it is stored in;
// a byval struct argument holding an array is copied into a slot. Each guarded variable
// is declared, with DW_OP_deref, at a stack slot holding the slot pointer, so debuggers
// find it at -O0 and -O2.
// RUN: %clang -O2 -g -S -emit-llvm -Xclang -disable-llvm-passes %s -o %t.ll
// RUN: %opt_heal -passes=heal-guard -S %t.ll | FileCheck %s
// RUN: %opt_heal -passes=heal-oracle %t.ll -o %t.bc
// RUN: %clang -O0 -g -c %t.bc -o %t.o0.o
// RUN: %clang -O2 -g -c %t.bc -o %t.o2.o
// RUN: llvm-dwarfdump --debug-info %t.o0.o | FileCheck %s --check-prefix=DWARF
// RUN: llvm-dwarfdump --debug-info %t.o2.o | FileCheck %s --check-prefix=DWARF
#include <alloca.h>

struct packet { int len; char data[64]; };
union word { long l; char c[8]; };
union num { long l; double d; };
struct flags { int a : 3; int b : 5; };
void use(void *, void *, void *, void *);

int fill(int n) {
  char line[32];            // line 24
  union word w;             // line 25
  union num x;
  struct flags f;
  char *tmp = alloca(n);    // line 28
  use(line, &w, &x, &f);
  use(tmp, 0, 0, 0);
  return line[n] + w.c[n];
}

int first(struct packet p) { // line 34
  return p.data[0];
}

// Sites (line, HEAL_SITE_STACK 1 | DYNAMIC 4, declared size):
// CHECK-DAG: @[[S_LINE:heal.site[.0-9]*]] = private constant { ptr, ptr, ptr, i32, i32, i64 } { ptr @[[FILL:heal.str[.0-9]*]], ptr @[[N_LINE:heal.str[.0-9]*]], ptr @[[FILE:heal.str[.0-9]*]], i32 24, i32 1, i64 32 }
// CHECK-DAG: @[[S_W:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FILL]], ptr @[[N_W:heal.str[.0-9]*]], ptr @[[FILE]], i32 25, i32 1, i64 8 }
// CHECK-DAG: @[[S_TMP:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FILL]], ptr @[[N_TMP:heal.str[.0-9]*]], ptr @[[FILE]], i32 28, i32 5, i64 0 }
// CHECK-DAG: @[[S_P:heal.site[.0-9]*]] = private constant {{.*}} { ptr @[[FIRST:heal.str[.0-9]*]], ptr @[[N_P:heal.str[.0-9]*]], ptr @[[FILE]], i32 34, i32 1, i64 68 }
// CHECK-DAG: @[[FILL]] = private unnamed_addr constant [5 x i8] c"fill\00"
// CHECK-DAG: @[[FIRST]] = private unnamed_addr constant [6 x i8] c"first\00"
// CHECK-DAG: @[[N_LINE]] = private unnamed_addr constant [5 x i8] c"line\00"
// CHECK-DAG: @[[N_W]] = private unnamed_addr constant [2 x i8] c"w\00"
// CHECK-DAG: @[[N_TMP]] = private unnamed_addr constant [4 x i8] c"tmp\00"
// CHECK-DAG: @[[N_P]] = private unnamed_addr constant [2 x i8] c"p\00"
// CHECK-DAG: @[[FILE]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"{{.*}}debug-info.c\00"

// CHECK-LABEL: define dso_local i32 @fill(
// x and f stay allocas; line and w get slots whose pointers are kept for the debugger.
// CHECK-DAG:   %w.addr = alloca ptr, align 8
// CHECK-DAG:   %line.addr = alloca ptr, align 8
// CHECK-DAG:   %[[X:[0-9]+]] = alloca %union.num, align 8
// CHECK-DAG:   %[[F:[0-9]+]] = alloca %struct.flags, align 4
// CHECK:       %heal.depth = call i32 @heal.enter(
// CHECK-NEXT:  %line = call nonnull align 16 ptr @heal.stack.alloc(i64 32, i64 16, ptr @[[S_LINE]])
// CHECK-NEXT:  store volatile ptr %line, ptr %line.addr, align 8
// CHECK-NEXT:  #dbg_declare(ptr %line.addr, ![[V_LINE:[0-9]+]], !DIExpression(DW_OP_deref),
// CHECK-NEXT:  %w = call nonnull align 8 ptr @heal.stack.alloc(i64 8, i64 8, ptr @[[S_W]])
// CHECK-NEXT:  store volatile ptr %w, ptr %w.addr, align 8
// CHECK-NEXT:  #dbg_declare(ptr %w.addr, ![[V_W:[0-9]+]], !DIExpression(DW_OP_deref),
// CHECK:       #dbg_declare(ptr %[[X]], ![[V_X:[0-9]+]], !DIExpression(),
// CHECK:       #dbg_declare(ptr %[[F]], ![[V_F:[0-9]+]], !DIExpression(),
// The alloca() result, stored into tmp, gets no declare of its own.
// CHECK:       %tmp = call nonnull align 16 ptr @__heal_stack_alloc(i64 %{{[0-9]+}}, i64 16, ptr @[[S_TMP]])
// CHECK-NEXT:  store ptr %tmp, ptr
// No lifetime markers left for the slots.
// CHECK-NOT:   @llvm.lifetime.{{.*}}(i64 {{[0-9]+}}, ptr %line)
// CHECK:       getelementptr inbounds [32 x i8], ptr %line, i64 0, i64 0
// CHECK-NEXT:  call void @use(ptr noundef %{{[0-9]+}}, ptr noundef %w, ptr noundef %[[X]], ptr noundef %[[F]])
// CHECK-NOT:   @llvm.lifetime.{{.*}}(i64 {{[0-9]+}}, ptr %line)
// CHECK:       ret i32

// byval: copied into a slot on entry; the body uses the copy.
// CHECK-LABEL: define dso_local i32 @first(ptr noundef byval(%struct.packet) align 8 %0)
// CHECK:       %p.heal = call nonnull align 8 ptr @heal.stack.alloc(i64 68, i64 8, ptr @[[S_P]])
// CHECK-NEXT:  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %p.heal, ptr align 8 %0, i64 68, i1 false)
// CHECK-NEXT:  store volatile ptr %p.heal, ptr %p.heal.addr, align 8
// CHECK-NEXT:  #dbg_declare(ptr %p.heal.addr, ![[V_P:[0-9]+]], !DIExpression(DW_OP_deref),
// CHECK:       getelementptr inbounds %struct.packet, ptr %p.heal, i32 0, i32 1
// CHECK-NOT:   %0
// CHECK:       ret i32

// CHECK-DAG: ![[V_LINE]] = !DILocalVariable(name: "line",
// CHECK-DAG: ![[V_W]] = !DILocalVariable(name: "w",
// CHECK-DAG: ![[V_X]] = !DILocalVariable(name: "x",
// CHECK-DAG: ![[V_F]] = !DILocalVariable(name: "f",
// CHECK-DAG: ![[V_P]] = !DILocalVariable(name: "p", arg: 1,

// DWARF: DW_TAG_subprogram
// DWARF: DW_AT_name ("fill")
// DWARF: DW_TAG_variable
// DWARF-NEXT: DW_AT_location (DW_OP_fbreg {{[-+][0-9]+}}, DW_OP_deref)
// DWARF-NEXT: DW_AT_name ("line")
// DWARF: DW_TAG_variable
// DWARF-NEXT: DW_AT_location (DW_OP_fbreg {{[-+][0-9]+}}, DW_OP_deref)
// DWARF-NEXT: DW_AT_name ("w")
// DWARF: DW_AT_name ("first")
// DWARF: DW_TAG_formal_parameter
// DWARF-NEXT: DW_AT_location (DW_OP_fbreg {{[-+][0-9]+}}, DW_OP_deref)
// DWARF-NEXT: DW_AT_name ("p")
