#ifndef HTTPD_H
#define HTTPD_H

#include <stddef.h>

/* A parsed HTTP/1.0 request line: `METHOD URI VERSION`. */
struct request {
  char method[8];
  char path[128];  /* the URI's path, percent-decoded */
  char query[128]; /* after '?', as sent (may be empty) */
};

/* Parses the request line at the start of text (up to the first CR or LF). Returns 0, or
 * -1 for a malformed request (the server answers 400). */
int parse_request(const char *text, struct request *req);

/* Finds key in a query string `a=1&b=2` and copies its value (percent-decoded, '+' as a
 * space) into out (at most size - 1 bytes). Returns 0, or -1 if key is absent. */
int query_get(const char *query, const char *key, char *out, size_t size);

#endif
