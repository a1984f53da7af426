// Global sites from debug info: the variable's name, file and line, and for a
// function-static array the owning function. The variable's debug info moves to the
// guarded object with the buffer's offset, so debuggers still find it. Without debug
// info, clang's "function.variable" name of a static gives the owner and the name.
// RUN: %clang -O2 -g -S -emit-llvm -Xclang -disable-llvm-passes %s -o %t.ll
// RUN: %opt_heal -passes=heal-guard-globals -S %t.ll | FileCheck %s
// RUN: %opt_heal -passes=heal-oracle %t.ll -o %t.bc
// RUN: %clang -O2 -g -c %t.bc -o %t.o
// RUN: llvm-dwarfdump --debug-info %t.o | FileCheck %s --check-prefix=DWARF
// RUN: %clang -O2 -S -emit-llvm -Xclang -disable-llvm-passes %s -o - | %opt_heal -passes=heal-guard-globals -S | FileCheck %s --check-prefix=NODI

int counts[10];                 // line 12
static char names[3][8] = {"a"}; // line 13

char *next_name(int i) {
  static char scratch[16];       // line 16
  scratch[0] = names[i][0];
  counts[i]++;
  return scratch;
}

// {function, buffer, file, line, HEAL_SITE_GLOBAL 2, size}
// CHECK-DAG: @heal.site{{[.0-9]*}} = private constant { ptr, ptr, ptr, i32, i32, i64 } { ptr @[[NONE:heal.str[.0-9]*]], ptr @[[COUNTS:heal.str[.0-9]*]], ptr @[[FILE:heal.str[.0-9]*]], i32 12, i32 2, i64 40 }
// CHECK-DAG: @heal.site{{[.0-9]*}} = private constant { ptr, ptr, ptr, i32, i32, i64 } { ptr @[[NONE]], ptr @[[NAMES:heal.str[.0-9]*]], ptr @[[FILE]], i32 13, i32 2, i64 24 }
// CHECK-DAG: @heal.site{{[.0-9]*}} = private constant { ptr, ptr, ptr, i32, i32, i64 } { ptr @[[FN:heal.str[.0-9]*]], ptr @[[SCRATCH:heal.str[.0-9]*]], ptr @[[FILE]], i32 16, i32 2, i64 16 }
// CHECK-DAG: @[[NONE]] = private unnamed_addr constant [1 x i8] zeroinitializer
// CHECK-DAG: @[[COUNTS]] = private unnamed_addr constant [7 x i8] c"counts\00"
// CHECK-DAG: @[[NAMES]] = private unnamed_addr constant [6 x i8] c"names\00"
// CHECK-DAG: @[[SCRATCH]] = private unnamed_addr constant [8 x i8] c"scratch\00"
// CHECK-DAG: @[[FN]] = private unnamed_addr constant [10 x i8] c"next_name\00"
// CHECK-DAG: @[[FILE]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"{{.*}}debug-info.c\00"
// The debug info is on the guarded object, at the buffer's offset.
// CHECK-DAG: @heal.guard.counts = private global <{ [4096 x i8], [4048 x i8], [10 x i32], [8 x i8], [4096 x i8] }> zeroinitializer, align 4096, !dbg ![[GVE_COUNTS:[0-9]+]]
// CHECK-DAG: @heal.guard.next_name.scratch = private global <{ [4096 x i8], [4080 x i8], [16 x i8], [0 x i8], [4096 x i8] }> zeroinitializer, align 4096, !dbg ![[GVE_SCRATCH:[0-9]+]]
// CHECK-DAG: ![[GVE_COUNTS]] = !DIGlobalVariableExpression(var: ![[V_COUNTS:[0-9]+]], expr: !DIExpression(DW_OP_plus_uconst, 8144))
// CHECK-DAG: ![[V_COUNTS]] = distinct !DIGlobalVariable(name: "counts",
// CHECK-DAG: ![[GVE_SCRATCH]] = !DIGlobalVariableExpression(var: ![[V_SCRATCH:[0-9]+]], expr: !DIExpression(DW_OP_plus_uconst, 8176))
// CHECK-DAG: ![[V_SCRATCH]] = distinct !DIGlobalVariable(name: "scratch",

// DWARF: DW_AT_name ("counts")
// DWARF-NOT: DW_TAG
// DWARF: DW_AT_location (DW_OP_addrx 0x{{[0-9a-f]+}}, DW_OP_plus_uconst 0x1fd0)

// NODI-DAG: @heal.site{{[.0-9]*}} = private constant { ptr, ptr, ptr, i32, i32, i64 } { ptr @[[FN:heal.str[.0-9]*]], ptr @[[SCRATCH:heal.str[.0-9]*]], ptr @[[NONE:heal.str[.0-9]*]], i32 0, i32 2, i64 16 }
// NODI-DAG: @[[FN]] = private unnamed_addr constant [10 x i8] c"next_name\00"
// NODI-DAG: @[[SCRATCH]] = private unnamed_addr constant [8 x i8] c"scratch\00"
// NODI-DAG: @[[NONE]] = private unnamed_addr constant [1 x i8] zeroinitializer
