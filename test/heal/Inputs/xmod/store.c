int store_count, store_total, store_hooked;
void note(int v);

static void bump(int v) {
  store_count++;
  store_total += v;
}

void store_add(int v) {
  bump(v);
  note(v);
}

/* Called by main.c through the pointer only. */
static void hook(int v) { store_hooked += v; }
void (*store_hook)(int) = hook;
