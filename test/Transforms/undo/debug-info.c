// With debug info, a .heal_tx clone keeps the source name, file and line (its own
// DISubprogram: symbolizers reading DWARF print "bump"), and the inline log sequence of
// a store carries the store's location (a fault in it points at that line).
// RUN: echo '{"version":1,"transactions":[{"function":"tx"}]}' > %t.json
// RUN: %clang -O2 -g -S -emit-llvm -Xclang -disable-llvm-passes %s -o - | %opt_heal -passes=heal-undo -heal-policy=%t.json -S | FileCheck %s

int counter;

static void bump(int *p, int by) { // line 9
  *p += by;                        // line 10
}

int tx(int *p) {
  bump(p, 2);
  counter = 1; // line 15
  return 0;
}

// CHECK-LABEL: define {{.*}}i32 @tx(
// CHECK:         call void @bump.heal_tx(
// CHECK:         %heal.undo.old = load i32, ptr @counter{{.*}}, !dbg [[L15:![0-9]+]]
// CHECK:         store atomic ptr %heal.undo.next, {{.*}}, !dbg [[L15]]
// CHECK:         store i32 1, ptr @counter{{.*}}, !dbg [[L15]]
// CHECK-LABEL: define internal void @bump.heal_tx(
// CHECK-SAME:    !dbg [[SP:![0-9]+]]
// CHECK:         load i32, ptr %{{.*}}, !dbg [[L10:![0-9]+]]
// CHECK-DAG: [[L15]] = !DILocation(line: 15,
// CHECK-DAG: [[SP]] = distinct !DISubprogram(name: "bump", {{.*}}line: 9,
// CHECK-DAG: [[L10]] = !DILocation(line: 10, {{.*}}scope: [[SP]]
