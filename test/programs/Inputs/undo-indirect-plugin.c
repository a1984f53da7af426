// The library of undo-indirect-dlopen.c (built by heal-cc -shared -fPIC with a policy):
// the transaction plugin_run calls a static handler through a table; the handler writes
// the library's own state, then the transaction stores through `out` (NULL: the fault).
static long state = 10;
static char tag[8] = "init";

static int h_inc(int v) {
  state += v;
  tag[0] = 'I';
  return 0;
}
static int h_set(int v) {
  state = v;
  tag[0] = 'S';
  return 0;
}
static int (*const handlers[2])(int) = {h_inc, h_set};

int plugin_run(int op, int v, int *out) {
  int r = handlers[op & 1](v);
  *out = r;
  return 0;
}

long plugin_state(void) { return state; }
const char *plugin_tag(void) { return tag; }
