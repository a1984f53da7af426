/* A tiny line server for test/heal/watch-restart.test: `watch-server PORT`. Each
 * connection sends one word and gets one line: "quit" -> "bye" and the server exits with
 * status 3; "arm" -> "armed" (the next request other than quit crashes it: a crash no
 * single connection reproduces); anything else -> "ok". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int armed;

static void answer(int fd, const char *s) {
  ssize_t n = write(fd, s, strlen(s));
  (void)n;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 1;
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1])),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 16) != 0)
    return 1;
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0)
      continue;
    char buf[64] = {0};
    ssize_t n = read(c, buf, sizeof buf - 1);
    if (n <= 0) { /* a connection that sent nothing (heal's check that we listen) */
      close(c);
      continue;
    }
    if (!strncmp(buf, "quit", 4)) {
      answer(c, "bye\n");
      close(c);
      return 3;
    }
    if (!strncmp(buf, "arm", 3)) {
      armed = 1;
      answer(c, "armed\n");
    } else if (armed) {
      volatile int *p = NULL;
      *p = 1;
    } else {
      answer(c, "ok\n");
    }
    close(c);
  }
}
