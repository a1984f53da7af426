int store_count, store_total;
void note(int v);

static void bump(int v) {
  store_count++;
  store_total += v;
}

void store_add(int v) {
  bump(v);
  note(v);
}
