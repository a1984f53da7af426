/* request.c: the request-line and query parsers of httpd.
 *
 * The bug: parse_uri() decodes the URI's path into a 64-byte stack buffer without
 * checking its length, so a long path smashes its stack frame (main -> serve ->
 * handle_client -> parse_request -> parse_uri). Its callers check for errors and answer
 * 400 Bad Request, so making parse_uri fail on a long path is the right repair. */
#include "httpd.h"

#include <string.h>

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes "%41" into 'A'; returns the number of input bytes used, or -1. */
static int decode_escape(const char *s, size_t len, char *out) {
  if (len < 3 || hex_digit(s[1]) < 0 || hex_digit(s[2]) < 0)
    return -1;
  *out = (char)(hex_digit(s[1]) * 16 + hex_digit(s[2]));
  return 3;
}

/* Splits uri[0..len) into the decoded path and the raw query. */
static int parse_uri(const char *uri, size_t len, struct request *req) {
  char path[64]; /* the bug: no bound on the decoding loop below */
  size_t i = 0, n = 0;
  if (len == 0 || uri[0] != '/')
    return -1;
  while (i < len && uri[i] != '?') {
    if (uri[i] == '%') {
      int used = decode_escape(uri + i, len - i, &path[n]);
      if (used < 0)
        return -1;
      i += (size_t)used;
    } else {
      path[n] = uri[i++];
    }
    if (path[n] == '\0')
      return -1;
    n++;
  }
  path[n] = '\0';
  if (n >= sizeof req->path)
    return -1;
  memcpy(req->path, path, n + 1);
  size_t qlen = i < len ? len - i - 1 : 0;
  if (qlen >= sizeof req->query)
    return -1;
  memcpy(req->query, uri + len - qlen, qlen);
  req->query[qlen] = '\0';
  return 0;
}

int parse_request(const char *text, struct request *req) {
  size_t line = strcspn(text, "\r\n");
  const char *sp1 = memchr(text, ' ', line);
  if (!sp1)
    return -1;
  size_t mlen = (size_t)(sp1 - text);
  if (mlen == 0 || mlen >= sizeof req->method)
    return -1;
  memcpy(req->method, text, mlen);
  req->method[mlen] = '\0';
  const char *uri = sp1 + 1;
  const char *sp2 = memchr(uri, ' ', line - mlen - 1);
  if (!sp2 || strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
    return -1;
  if (parse_uri(uri, (size_t)(sp2 - uri), req) < 0)
    return -1;
  return 0;
}

int query_get(const char *query, const char *key, char *out, size_t size) {
  size_t klen = strlen(key);
  const char *p = query;
  while (*p) {
    size_t plen = strcspn(p, "&");
    if (plen > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
      size_t n = 0;
      for (size_t i = klen + 1; i < plen && n + 1 < size;) {
        char c = p[i];
        if (c == '+') {
          c = ' ';
          i++;
        } else if (c == '%') {
          int used = decode_escape(p + i, plen - i, &c);
          if (used < 0)
            return -1;
          i += (size_t)used;
        } else {
          i++;
        }
        out[n++] = c;
      }
      out[n] = '\0';
      return 0;
    }
    p += plen;
    if (*p == '&')
      p++;
  }
  return -1;
}
