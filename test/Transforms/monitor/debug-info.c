// With debug info, struct heal_function has the DISubprogram's name, file and line; the
// exits carry the return's location, the entry the function's scope line.
// RUN: %clang -O2 -g -S -emit-llvm -Xclang -disable-llvm-passes %s -o - | %opt_heal -passes=heal-monitor -S | FileCheck %s

static int helper(int x) { // line 5
  if (x > 10)
    return x - 10; // line 7
  return x;        // line 8
} // line 9

int entry(int x) { // line 11
  return helper(x) * 2;
}

// CHECK-DAG: @heal.fn.helper = private constant { ptr, ptr, i32, i32 } { ptr @[[HELPER:heal.str[.0-9]*]], ptr @[[FILE:heal.str[.0-9]*]], i32 5, i32 0 }
// CHECK-DAG: @heal.fn.entry = private constant { ptr, ptr, i32, i32 } { ptr @[[ENTRY:heal.str[.0-9]*]], ptr @[[FILE]], i32 11, i32 0 }
// CHECK-DAG: @[[HELPER]] = private unnamed_addr constant [7 x i8] c"helper\00"
// CHECK-DAG: @[[ENTRY]] = private unnamed_addr constant [6 x i8] c"entry\00"
// CHECK-DAG: @[[FILE]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"{{.*}}debug-info.c\00"

// CHECK-LABEL: define dso_local i32 @entry(
// CHECK:  %heal.depth = call i32 @heal.enter(ptr @heal.fn.entry) #{{[0-9]+}}, !dbg [[SCOPE:![0-9]+]]
// CHECK-LABEL: define internal i32 @helper(
// clang joins the returns into one ret; the exit has its location.
// CHECK:       call void @heal.exit(i32 %heal.depth) #{{[0-9]+}}, !dbg [[RET:![0-9]+]]
// CHECK-NEXT:  ret i32 %{{[0-9]+}}, !dbg [[RET]]
// CHECK-NOT:   call void @heal.exit(
// CHECK: !llvm.dbg.cu
// CHECK-DAG: [[SCOPE]] = !DILocation(line: 11, scope: [[SP:![0-9]+]])
// CHECK-DAG: [[SP]] = distinct !DISubprogram(name: "entry"
// CHECK-DAG: [[RET]] = !DILocation(line: 9,
