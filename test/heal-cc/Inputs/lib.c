int lib_f(int x) { return 2 * x; }
