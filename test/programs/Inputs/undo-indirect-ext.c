// Another module of undo-indirect.c, compiled without heal: its function is called through
// a pointer from a transaction and runs as it is (its writes are not logged).
long ext_calls;
int ext_count(int v) {
  ext_calls++;
  return v + 1;
}
