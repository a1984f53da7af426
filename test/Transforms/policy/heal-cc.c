// heal-cc applies HEAL_POLICY to every module: a function defined in another module is
// fine, a value that does not suit the function is an error naming file, place and fix.
// RUN: rm -rf %t && mkdir %t
// RUN: env HEAL_POLICY=%S/Inputs/cc-good.json %heal_cc -DMAIN %s %S/Inputs/other.c -o %t/prog
// RUN: %t/prog
// RUN: env HEAL_POLICY=%S/Inputs/cc-bad.json not %heal_cc -c %s -o %t/x.o 2>&1 | FileCheck %s
// CHECK: error: heal: {{.*}}cc-bad.json:transactions[0].return: null cannot be returned by "lookup": the function returns an integer (i32); fix the value or remove "return" to let heal choose
int lookup(int key) { return key > 0 ? key : -1; }
#ifdef MAIN
int other(int);
int main(void) { return lookup(1) < 0 || other(2) != 4; }
#endif
