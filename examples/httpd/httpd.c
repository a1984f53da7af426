/* httpd: a small HTTP/1.0 server for heal's examples.
 *
 *   httpd [PORT]     (else $HTTPD_PORT, else 8080; 0 picks a free port)
 *
 * One process, one connection at a time: read the request, answer, close. It serves
 *   GET /              a welcome page
 *   GET /hello?name=N  "Hello, N!"
 *   GET /status        "ok"
 * and answers 400 to a malformed request, 404 to other paths, 501 to other methods.
 * Answers carry no date, so the same request always gets the same bytes. Each request is
 * logged on stderr; "listening on 127.0.0.1:PORT" is printed on stderr at start.
 *
 * A deliberately vulnerable example: parse_uri() in request.c overflows a stack buffer on
 * a long path, four calls below main. */
#include "httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_REQUEST 8192

static void send_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return; /* the client went away */
    data += n;
    len -= (size_t)n;
  }
}

static void respond(int fd, int code, const char *reason, const char *body) {
  char head[256];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.0 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                   "Connection: close\r\n\r\n",
                   code, reason, strlen(body));
  send_all(fd, head, (size_t)n);
  send_all(fd, body, strlen(body));
}

/* Reads the request head (up to a blank line, EOF or MAX_REQUEST - 1 bytes). */
static size_t read_request(int fd, char *buf) {
  size_t len = 0;
  while (len < MAX_REQUEST - 1) {
    ssize_t n = read(fd, buf + len, MAX_REQUEST - 1 - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    len += (size_t)n;
    buf[len] = '\0';
    if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
      break;
  }
  buf[len] = '\0';
  return len;
}

static int handle_client(int fd) {
  char buf[MAX_REQUEST];
  struct request req;
  if (read_request(fd, buf) == 0)
    return 0;
  if (parse_request(buf, &req) < 0) {
    respond(fd, 400, "Bad Request", "bad request\n");
    return 400;
  }
  if (strcmp(req.method, "GET") != 0) {
    respond(fd, 501, "Not Implemented", "only GET is supported\n");
    return 501;
  }
  char body[256];
  if (strcmp(req.path, "/") == 0) {
    respond(fd, 200, "OK", "Welcome to heal's example server.\n");
  } else if (strcmp(req.path, "/status") == 0) {
    respond(fd, 200, "OK", "ok\n");
  } else if (strcmp(req.path, "/hello") == 0) {
    char name[64];
    if (query_get(req.query, "name", name, sizeof name) < 0)
      strcpy(name, "world");
    snprintf(body, sizeof body, "Hello, %s!\n", name);
    respond(fd, 200, "OK", body);
  } else {
    respond(fd, 404, "Not Found", "not found\n");
    return 404;
  }
  return 200;
}

static int serve(int lfd) {
  for (;;) {
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      perror("httpd: accept");
      return 1;
    }
    int code = handle_client(fd);
    fprintf(stderr, "httpd: %d\n", code);
    close(fd);
  }
}

int main(int argc, char **argv) {
  const char *port_arg = argc > 1 ? argv[1] : getenv("HTTPD_PORT");
  char *end;
  long port = port_arg ? strtol(port_arg, &end, 10) : 8080;
  if (argc > 2 || (port_arg && (*end || end == port_arg)) || port < 0 || port > 65535) {
    fprintf(stderr, "usage: httpd [PORT]\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN); /* a client that hangs up must not kill the server */
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t alen = sizeof addr;
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 16) != 0 ||
      getsockname(lfd, (struct sockaddr *)&addr, &alen) != 0) {
    fprintf(stderr, "httpd: cannot listen on port %ld: %s\n", port, strerror(errno));
    return 1;
  }
  fprintf(stderr, "httpd: listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
  return serve(lfd);
}
