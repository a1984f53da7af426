/* heal watch's TCP proxy (watch_proxy.h). */
#define _GNU_SOURCE
#include "watch_proxy.h"

#include "replay.h"

#include "healcommon/strv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

double watch_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  return a;
}

int wproxy_listen(struct wproxy *p, int port, char **err) {
  memset(p, 0, sizeof *p);
  p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (p->lfd < 0) {
    *err = heal_xasprintf("cannot create a socket: %s", strerror(errno));
    return -1;
  }
  int one = 1;
  setsockopt(p->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = loopback(port);
  socklen_t len = sizeof a;
  if (bind(p->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(p->lfd, SOMAXCONN) != 0 ||
      getsockname(p->lfd, (struct sockaddr *)&a, &len) != 0) {
    *err = heal_xasprintf("cannot listen on 127.0.0.1:%d: %s%s", port, strerror(errno),
                          errno == EADDRINUSE ? " (choose another --listen port, or 0)" : "");
    close(p->lfd);
    p->lfd = -1;
    return -1;
  }
  p->port = ntohs(a.sin_port);
  return 0;
}

static void close_fd(int *fd) {
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

static void conn_free(struct wconn *c) {
  if (!c)
    return;
  close_fd(&c->cfd);
  close_fd(&c->sfd);
  free(c->c2s);
  free(c->s2c);
  free(c->rec);
  free(c);
}

/* A finished connection goes to the history ring (its sockets closed). */
static void retire(struct wproxy *p, struct wconn *c) {
  close_fd(&c->cfd);
  close_fd(&c->sfd);
  free(c->c2s);
  free(c->s2c);
  c->c2s = c->s2c = NULL;
  if (!c->t_server_end)
    c->t_server_end = watch_now();
  c->s_eof = 1; /* its server side is closed now: a later death is not its doing */
  conn_free(p->hist[p->hist_next]);
  p->hist[p->hist_next] = c;
  p->hist_next = (p->hist_next + 1) % WATCH_HISTORY;
}

void wproxy_accept(struct wproxy *p, int server_port) {
  while (p->n < WATCH_MAX_CONNS) {
    int cfd = accept4(p->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (cfd < 0)
      return; /* EAGAIN, or a client that already left */
    int sfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = loopback(server_port);
    int connecting = 0;
    if (sfd >= 0 && connect(sfd, (struct sockaddr *)&a, sizeof a) != 0) {
      if (errno == EINPROGRESS)
        connecting = 1;
      else
        close_fd(&sfd);
    }
    if (sfd < 0) { /* the server is not there: the client sees the connection closed */
      close(cfd);
      continue;
    }
    struct wconn *c = heal_xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    c->id = ++p->next_id;
    c->cfd = cfd;
    c->sfd = sfd;
    c->connecting = connecting;
    c->c2s = heal_xmalloc(WATCH_BUF);
    c->s2c = heal_xmalloc(WATCH_BUF);
    c->t_start = watch_now();
    p->conns[p->n++] = c;
  }
}

void wproxy_events(const struct wproxy *p, size_t i, struct pollfd out[2]) {
  const struct wconn *c = p->conns[i];
  short ce = 0, se = 0;
  if (!c->c_eof && c->c2s_len < WATCH_BUF)
    ce |= POLLIN;
  if (c->s2c_len)
    ce |= POLLOUT;
  if (c->connecting || c->c2s_len)
    se |= POLLOUT;
  if (!c->connecting && !c->s_eof && c->s2c_len < WATCH_BUF)
    se |= POLLIN;
  /* An fd with nothing awaited is left out: a hung-up socket would wake poll forever. */
  out[0] = (struct pollfd){ce && c->cfd >= 0 ? c->cfd : -1, ce, 0};
  out[1] = (struct pollfd){se && c->sfd >= 0 ? c->sfd : -1, se, 0};
}

static void record(struct wconn *c, const char *d, size_t n) {
  if (c->rec_len + n > WATCH_RECORD) {
    n = WATCH_RECORD - c->rec_len;
    c->rec_cut = 1;
  }
  if (!n)
    return;
  if (c->rec_len + n > c->rec_cap) {
    size_t cap = c->rec_cap ? c->rec_cap : 4096;
    while (cap < c->rec_len + n)
      cap *= 2;
    c->rec = heal_xrealloc(c->rec, cap);
    c->rec_cap = cap;
  }
  memcpy(c->rec + c->rec_len, d, n);
  c->rec_len += n;
}

static void server_end(struct wproxy *p, struct wconn *c) {
  c->s_eof = 1;
  c->c2s_len = 0; /* nobody reads it any more */
  if (!c->t_server_end) {
    c->t_server_end = watch_now();
    c->died = p->server_pid > 0 && heal_pid_exiting(p->server_pid);
    p->server_dying |= c->died;
  }
}

/* Reads fd into buf (room up to WATCH_BUF): 1 at end of file or error, else 0. */
static int fill(int fd, char *buf, size_t *len) {
  while (*len < WATCH_BUF) {
    ssize_t n = recv(fd, buf + *len, WATCH_BUF - *len, 0);
    if (n > 0) {
      *len += (size_t)n;
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
  }
  return 0;
}

/* Writes what buf holds to fd: -1 when the peer is gone, else 0. */
static int drain(int fd, char *buf, size_t *len) {
  while (*len) {
    ssize_t n = send(fd, buf, *len, MSG_NOSIGNAL);
    if (n > 0) {
      memmove(buf, buf + n, *len - (size_t)n);
      *len -= (size_t)n;
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
  }
  return 0;
}

void wproxy_service(struct wproxy *p, size_t i, const struct pollfd ev[2]) {
  struct wconn *c = p->conns[i];
  if (c->connecting && ev[1].revents) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->sfd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err) {
      server_end(p, c); /* refused: the server went away */
      c->done = 1;
      return;
    }
    c->connecting = 0;
  }
  /* client -> server, recording what the client sends */
  if (ev[0].revents && !c->c_eof) {
    size_t before = c->c2s_len;
    c->c_eof = fill(c->cfd, c->c2s, &c->c2s_len);
    record(c, c->c2s + before, c->c2s_len - before);
    if (c->s_eof)
      c->c2s_len = 0;
  }
  if (!c->connecting && !c->s_eof && c->c2s_len && drain(c->sfd, c->c2s, &c->c2s_len) != 0)
    server_end(p, c);
  if (!c->connecting && c->c_eof && !c->c2s_len && !c->s_shut && !c->s_eof) {
    shutdown(c->sfd, SHUT_WR); /* a server reading to EOF sees the end of the request */
    c->s_shut = 1;
  }
  /* server -> client */
  if (ev[1].revents && !c->connecting && !c->s_eof && fill(c->sfd, c->s2c, &c->s2c_len))
    server_end(p, c);
  if (c->s2c_len && drain(c->cfd, c->s2c, &c->s2c_len) != 0) {
    c->done = 1; /* the client left */
    return;
  }
  if (c->s_eof && !c->s2c_len && !c->c_shut) {
    shutdown(c->cfd, SHUT_WR);
    c->c_shut = 1;
  }
  if (c->s_eof && !c->s2c_len && c->c_eof)
    c->done = 1;
}

void wproxy_reap(struct wproxy *p) {
  size_t k = 0;
  for (size_t i = 0; i < p->n; i++) {
    if (p->conns[i]->done)
      retire(p, p->conns[i]);
    else
      p->conns[k++] = p->conns[i];
  }
  p->n = k;
}

static void add_suspect(struct wsuspect *s, size_t *n, const struct wconn *c) {
  if (!c || !c->rec_len || (c->s_eof && !c->died))
    return;
  /* Keep the most recent: the array is sorted by id, newest first, and bounded. */
  size_t k = *n;
  while (k > 0 && s[k - 1].id < c->id)
    k--;
  if (k >= WATCH_MAX_SUSPECTS)
    return;
  if (*n == WATCH_MAX_SUSPECTS)
    free(s[--*n].data);
  memmove(s + k + 1, s + k, (*n - k) * sizeof *s);
  s[k] = (struct wsuspect){c->id, heal_xmalloc(c->rec_len), c->rec_len, c->rec_cut};
  memcpy(s[k].data, c->rec, c->rec_len);
  ++*n;
}

struct wsuspect *wproxy_server_died(struct wproxy *p, size_t *n) {
  struct wsuspect *s = heal_xmalloc(WATCH_MAX_SUSPECTS * sizeof *s);
  *n = 0;
  for (size_t i = 0; i < p->n; i++) {
    struct wconn *c = p->conns[i];
    /* What the server said before it went, best effort: the client gets it. */
    if (!c->connecting && !c->s_eof)
      fill(c->sfd, c->s2c, &c->s2c_len);
    if (c->s2c_len)
      drain(c->cfd, c->s2c, &c->s2c_len);
    if (!c->s_eof)
      c->died = 1;
    add_suspect(s, n, c);
  }
  for (size_t i = 0; i < WATCH_HISTORY; i++)
    add_suspect(s, n, p->hist[i]);
  for (size_t i = 0; i < p->n; i++)
    retire(p, p->conns[i]);
  p->n = 0;
  p->server_dying = 0;
  /* Each connection is a suspect of one death only. */
  for (size_t i = 0; i < WATCH_HISTORY; i++)
    if (p->hist[i])
      p->hist[i]->died = 0;
  return s;
}

void wsuspects_free(struct wsuspect *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(s[i].data);
  free(s);
}

void wproxy_close(struct wproxy *p) {
  for (size_t i = 0; i < p->n; i++)
    conn_free(p->conns[i]);
  p->n = 0;
  for (size_t i = 0; i < WATCH_HISTORY; i++) {
    conn_free(p->hist[i]);
    p->hist[i] = NULL;
  }
  close_fd(&p->lfd);
}
