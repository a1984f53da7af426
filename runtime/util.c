/* Async-signal-safe helpers: raw writes and formatting into a fixed buffer. No libc
 * formatting (printf is neither async-signal-safe nor malloc-free). */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

long heal_gettid(void) { return syscall(SYS_gettid); }

int heal_write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

size_t heal_strlen(const char *s) {
  size_t n = 0;
  while (s[n])
    n++;
  return n;
}

int heal_streq(const char *a, const char *b) {
  while (*a && *a == *b)
    a++, b++;
  return *a == *b;
}

void heal_out_init(struct heal_out *o, int fd) {
  o->fd = fd;
  o->failed = 0;
  o->len = 0;
}

/* With fd < 0 the buffer is a string builder: overflowing it is a failure. */
void heal_out_flush(struct heal_out *o) {
  if (o->len && (o->fd < 0 || (!o->failed && heal_write_all(o->fd, o->buf, o->len) != 0)))
    o->failed = 1;
  o->len = 0;
}

void heal_out_mem(struct heal_out *o, const char *s, size_t n) {
  while (n > 0) {
    if (o->len == sizeof o->buf)
      heal_out_flush(o);
    size_t room = sizeof o->buf - o->len;
    size_t k = n < room ? n : room;
    for (size_t i = 0; i < k; i++)
      o->buf[o->len + i] = s[i];
    o->len += k;
    s += k;
    n -= k;
  }
}

void heal_out_str(struct heal_out *o, const char *s) { heal_out_mem(o, s, heal_strlen(s)); }

void heal_out_dec(struct heal_out *o, long long v) {
  char tmp[24];
  int i = sizeof tmp;
  unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
  do {
    tmp[--i] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0)
    tmp[--i] = '-';
  heal_out_mem(o, tmp + i, sizeof tmp - (size_t)i);
}

void heal_out_hex(struct heal_out *o, uintptr_t v) {
  char tmp[20];
  int i = sizeof tmp;
  do {
    tmp[--i] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  tmp[--i] = 'x';
  tmp[--i] = '0';
  heal_out_mem(o, tmp + i, sizeof tmp - (size_t)i);
}

void heal_out_json_hex(struct heal_out *o, uintptr_t v) {
  heal_out_mem(o, "\"", 1);
  heal_out_hex(o, v);
  heal_out_mem(o, "\"", 1);
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not valid (overlong forms and
 * surrogates are not rejected: they only need to survive a JSON parser). */
static size_t utf8_len(const unsigned char *s) {
  size_t n = s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xc0) != 0x80)
      return 0;
  return n;
}

/* Symbol names and paths are opaque bytes: control characters and quotes are escaped,
 * valid UTF-8 passes through, any other byte becomes U+FFFD so the document stays valid. */
void heal_out_json_str(struct heal_out *o, const char *s) {
  if (!s) {
    heal_out_str(o, "null");
    return;
  }
  heal_out_mem(o, "\"", 1);
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned char c = *p;
    if (c == '"' || c == '\\') {
      char esc[2] = {'\\', (char)c};
      heal_out_mem(o, esc, 2);
      p++;
    } else if (c < 0x20) {
      char esc[6] = {'\\', 'u', '0', '0', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15]};
      heal_out_mem(o, esc, 6);
      p++;
    } else if (c < 0x80) {
      heal_out_mem(o, (const char *)p, 1);
      p++;
    } else {
      size_t n = utf8_len(p);
      if (n) {
        heal_out_mem(o, (const char *)p, n);
        p += n;
      } else {
        heal_out_str(o, "\\ufffd");
        p++;
      }
    }
  }
  heal_out_mem(o, "\"", 1);
}
