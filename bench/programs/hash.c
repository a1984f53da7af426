/* Hashing: an open-addressing hash table (linear probing) keyed by short strings built in
 * stack buffers, hashed with FNV-1a; inserts, hits and misses. */
#include "common.h"

#include <string.h>

#define CAP (1u << 18)

struct entry {
  char key[24];
  uint32_t len;
  uint32_t value;
};

static struct entry table[CAP];

static uint32_t fnv1a(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static int make_key(char *buf, uint64_t x) {
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  int n = 0;
  buf[n++] = 'k';
  do {
    buf[n++] = digits[x % 36];
    x /= 36;
  } while (x && n < 20);
  return n;
}

static struct entry *lookup(const char *key, int len, int insert) {
  uint32_t i = fnv1a(key, (size_t)len) & (CAP - 1);
  for (;;) {
    struct entry *e = &table[i];
    if (e->len == 0) {
      if (!insert)
        return NULL;
      memcpy(e->key, key, (size_t)len);
      e->len = (uint32_t)len;
      return e;
    }
    if (e->len == (uint32_t)len && memcmp(e->key, key, (size_t)len) == 0)
      return e;
    i = (i + 1) & (CAP - 1);
  }
}

int main(int argc, char **argv) {
  long rounds = scale(argc, argv, 10);
  const long nkeys = CAP / 2;
  uint64_t sum = 0;
  for (long r = 0; r < rounds; r++) {
    memset(table, 0, sizeof table);
    uint64_t seed = rng();
    char key[24];
    for (long i = 0; i < nkeys; i++) {
      int n = make_key(key, (seed + (uint64_t)i) * 2654435761u);
      lookup(key, n, 1)->value += (uint32_t)i;
    }
    for (long i = 0; i < 2 * nkeys; i++) {
      int n = make_key(key, (seed + (uint64_t)i) * 2654435761u);
      struct entry *e = lookup(key, n, 0);
      sum += e ? e->value : 1;
    }
  }
  printf("hash checksum: %016llx\n", (unsigned long long)sum);
  return 0;
}
