int other(int x) { return 2 * x; }
