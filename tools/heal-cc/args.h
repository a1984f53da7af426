/* heal-cc's view of a clang command line: response files expanded, every argument
 * classified before anything runs (as AFL++'s afl-cc does). */
#ifndef HEAL_CC_ARGS_H
#define HEAL_CC_ARGS_H

#include <stddef.h>

#include "healcommon/strv.h"

/* What an item (one argument, or an option and its separate value) is. */
enum item_kind {
  IT_FLAG,   /* any other option: goes to the compile and the link steps */
  IT_INPUT,  /* an input file (or "-") */
  IT_OUTPUT, /* -o X, -oX */
  IT_XLANG,  /* -x LANG, -xLANG */
  IT_DEP,    /* -MD -MMD -MP -MG -MV -MF X -MT X -MQ X (compile only; not for the link) */
  IT_ACTION, /* -c -S */
};

/* Input types. */
enum input_type {
  IN_C,      /* C source heal instruments (.c .i, -x c, -x cpp-output) */
  IN_OTHER,  /* other sources clang compiles unchanged (.s .S .cc .ll ...) */
  IN_LINK,   /* objects, archives, shared libraries, linker scripts, unknown suffixes */
};

/* Where an item may go, beyond the compile step of its source. */
#define F_CODEGEN 1u    /* also to step 3 (and stored in the record) */
#define F_NOCOMPILE 2u  /* not to step 1 (-save-temps) */
#define F_LIBDIR 4u     /* -L DIR (made absolute in the link record) */
#define F_LIB 8u        /* -l NAME */

struct item {
  size_t i;           /* first token in cc->args */
  int n;              /* tokens: 1 or 2 */
  enum item_kind kind;
  unsigned flags;
  const char *value;  /* -o/-x/-MF/-MT/-MQ/-L/-l value, input path */
  const char *lang;   /* inputs: -x language in effect, or NULL */
  enum input_type type;
};

enum action { ACT_LINK, ACT_COMPILE /* -c */, ACT_ASM /* -S */ };

struct cc {
  struct strv args;   /* expanded arguments (without argv[0]) */
  struct item *items;
  size_t nitems;
  enum action action;
  const char *passthrough; /* non-NULL: why clang should run the command itself */
  const char *refuse;      /* non-NULL: a one-line error to print */
  const char *output;      /* last -o value or NULL */
  int ninputs, nc, nother; /* inputs; C sources; other sources */
  int dep_md;              /* -MD or -MMD given */
  int dep_mf, dep_target;  /* -MF given; -MT or -MQ given */
  int shared, relocatable, is_static;
};

/* Expands @file arguments like clang (GNU quoting; nested files relative to the working
 * directory; an unreadable @file stays a literal argument). */
void cc_expand(int argc, char **argv, struct strv *out);
/* Fills cc from expanded args (takes ownership of *args). */
void cc_classify(struct cc *cc, struct strv *args);
void cc_free(struct cc *cc);

#endif
