int f(int a) {
  int unused;
  return a;
}
