#ifndef CONFPARSE_H
#define CONFPARSE_H

struct entry {
  char key[32];
  char value[32];
};

/* Parses `key = value`; returns 0, or -1 for a malformed line. */
int parse_line(const char *line, struct entry *out);

#endif
