/* heal watch's TCP proxy: the public listening socket, and each client connection relayed
 * to the server's private port through two bounded buffers, with the bytes the client sent
 * recorded (the suspects when the server dies). Non-blocking sockets driven by the
 * caller's poll() loop; no threads. */
#ifndef HEAL_TOOL_WATCH_PROXY_H
#define HEAL_TOOL_WATCH_PROXY_H

#include <poll.h>
#include <stddef.h>

#define WATCH_BUF (64u * 1024)  /* per direction, per connection */
#define WATCH_RECORD (1u << 20) /* bytes of a client's input kept for a replay */
#define WATCH_MAX_CONNS 64      /* relayed at once; more wait in the listen backlog */
#define WATCH_HISTORY 8         /* finished connections kept for suspects */

struct wconn {
  unsigned long long id; /* 1, 2, ... in accept order */
  int cfd, sfd;          /* client and server sockets, -1 once closed */
  int connecting;        /* the connect to the server is in progress */
  char *c2s, *s2c;       /* WATCH_BUF each */
  size_t c2s_len, s2c_len;
  int c_eof, s_eof;   /* read side at end of file (or error) */
  int c_shut, s_shut; /* write side shut down */
  int done;
  int died;  /* the server side closed because the server was dying */
  char *rec; /* what the client sent, at most WATCH_RECORD bytes */
  size_t rec_len, rec_cap;
  int rec_cut;
  double t_start, t_server_end; /* t_server_end: 0 while the server side is open */
};

struct wproxy {
  int lfd, port;
  int server_pid;   /* set by the caller: a server-side close while it is exiting
                       is its death, not the end of an answer */
  int server_dying; /* such a close was seen: handle the death before accepting more
                       (a client told of the end may connect again at once) */
  struct wconn *conns[WATCH_MAX_CONNS];
  size_t n;
  struct wconn *hist[WATCH_HISTORY]; /* ring, oldest overwritten */
  size_t hist_next;
  unsigned long long next_id;
};

/* Listens on 127.0.0.1:port (0 picks one; *p->port says which). 0, or -1 with a
 * malloc'd one-line reason in *err. */
int wproxy_listen(struct wproxy *p, int port, char **err);

/* Accepts what waits (up to WATCH_MAX_CONNS open) and connects each to server_port. */
void wproxy_accept(struct wproxy *p, int server_port);

/* The pollfds of connection i: fills two entries (fd -1 when nothing is awaited). */
void wproxy_events(const struct wproxy *p, size_t i, struct pollfd out[2]);

/* Moves bytes of connection i after poll; finished connections are retired by
 * wproxy_reap. */
void wproxy_service(struct wproxy *p, size_t i, const struct pollfd ev[2]);
void wproxy_reap(struct wproxy *p);

/* A connection that may have crashed the server: its id and what its client sent. */
struct wsuspect {
  unsigned long long id;
  char *data; /* malloc'd */
  size_t len;
  int cut; /* the client sent more than WATCH_RECORD bytes */
};
#define WATCH_MAX_SUSPECTS 8

/* The server died: every open connection is closed (its client sees the end) and the
 * suspects are returned (malloc'd copies, at most WATCH_MAX_SUSPECTS, most recent first):
 * the connections that sent something and whose server side was still open, or was closed
 * by the death itself (a crash closes the sockets before the exit can be waited for; the
 * proxy checks whether the server is exiting when its side closes). */
struct wsuspect *wproxy_server_died(struct wproxy *p, size_t *n);
void wsuspects_free(struct wsuspect *s, size_t n);

/* Closes everything. */
void wproxy_close(struct wproxy *p);

double watch_now(void);

#endif
