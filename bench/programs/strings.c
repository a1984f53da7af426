/* String processing: builds a text of pseudo-random words, then repeatedly tokenizes it
 * into a stack buffer, reverses and upper-cases words, counts word frequencies by first
 * letter and searches substrings. */
#include "common.h"

#include <ctype.h>
#include <string.h>

static char *make_text(size_t size) {
  static const char *words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
                                "golf", "hotel", "india", "juliet", "kilo", "lima",
                                "mike", "november", "oscar", "papa", "quebec", "romeo"};
  char *t = malloc(size + 16);
  if (!t)
    exit(1);
  size_t n = 0;
  while (n < size) {
    const char *w = words[rng() % (sizeof words / sizeof *words)];
    size_t len = strlen(w);
    memcpy(t + n, w, len);
    n += len;
    t[n++] = (rng() % 8) ? ' ' : '\n';
  }
  t[n] = 0;
  return t;
}

static uint64_t process(const char *text) {
  char word[64];
  unsigned counts[26] = {0};
  uint64_t h = 0;
  const char *p = text;
  while (*p) {
    while (*p == ' ' || *p == '\n')
      p++;
    size_t len = 0;
    while (p[len] && p[len] != ' ' && p[len] != '\n' && len < sizeof word - 1)
      len++;
    if (!len)
      break;
    memcpy(word, p, len);
    word[len] = 0;
    p += len;
    for (size_t i = 0; i < len / 2; i++) { /* reverse */
      char c = word[i];
      word[i] = word[len - 1 - i];
      word[len - 1 - i] = c;
    }
    for (size_t i = 0; i < len; i++)
      word[i] = (char)toupper((unsigned char)word[i]);
    counts[word[len - 1] - 'A']++;
    h = h * 131 + (unsigned char)word[0] + len;
  }
  for (int i = 0; i < 26; i++)
    h ^= (uint64_t)counts[i] << (i % 32);
  return h;
}

int main(int argc, char **argv) {
  long rounds = scale(argc, argv, 200);
  char *text = make_text(1 << 20);
  uint64_t sum = 0;
  for (long r = 0; r < rounds; r++) {
    sum += process(text + (r % 7));
    const char *q = text;
    while ((q = strstr(q, "oscar papa")))
      q++, sum++;
  }
  printf("strings checksum: %016llx\n", (unsigned long long)sum);
  free(text);
  return 0;
}
