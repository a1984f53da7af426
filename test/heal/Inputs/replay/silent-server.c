/* silent-server PORT [listen|sleep]: a server that hangs. With `listen` it accepts
 * connections and never answers; with `sleep` it never even listens. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  if (!strcmp(argv[2], "sleep"))
    for (;;)
      pause();
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1])),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0)
    return 1;
  for (;;) {
    int c = accept(fd, NULL, NULL);
    (void)c; /* kept open, never answered */
  }
}
