/* The link record (.heal_link): what `heal rebuild` needs to link a binary again.
 *
 * JSON (version 1):
 *   {"version": 1, "cwd": "/abs", "output": "/abs/out", "kind": "executable"|"shared",
 *    "static": false, "args": [ ... ]}
 * args is the link command as heal-cc gave it to clang, in order, without -o and without
 * anything heal-cc added (runtime, the record object). Each element is either
 *   "string"                                   a flag, or an input path made absolute
 *                                              (shared libraries, linker scripts, -L dirs)
 *   {"bitcode": ["id",...], "objects": ["id",...]}
 *                                              an object: rebuild each .heal_bitcode record
 *                                              named in "bitcode" and take each
 *                                              .heal_objects record named in "objects"
 *                                              (both arrays present, possibly empty)
 *   {"archive": "/abs/lib.a", "bitcode": ["id",...]}
 *                                              an archive; ids of its members' records
 * Ids are 16 lowercase hex digits (heal_id_hex). The records themselves are in the binary's
 * .heal_bitcode / .heal_objects sections (only those of archive members the linker pulled
 * in are there). */
#ifndef HEALCOMMON_LINKREC_H
#define HEALCOMMON_LINKREC_H

#include <stddef.h>
#include <stdint.h>

enum heal_link_kind {
  HEAL_LINK_EXECUTABLE = 0,
  HEAL_LINK_SHARED = 1,
  HEAL_LINK_RELOCATABLE = 2, /* -r: no runtime, no link record */
};

enum heal_link_arg_kind {
  HEAL_LARG_STRING = 0,  /* text */
  HEAL_LARG_OBJECT = 1,  /* bitcode[], objects[] */
  HEAL_LARG_ARCHIVE = 2, /* text = archive path, bitcode[] */
};

struct heal_link_arg {
  enum heal_link_arg_kind kind;
  char *text;
  uint64_t *bitcode;
  size_t nbitcode;
  uint64_t *objects;
  size_t nobjects;
};

struct heal_link_record {
  int version;
  char *cwd;
  char *output;
  enum heal_link_kind kind; /* EXECUTABLE or SHARED */
  int is_static;
  struct heal_link_arg *args;
  size_t nargs;
};

/* Builders (copy their inputs). */
void heal_link_record_init(struct heal_link_record *r);
void heal_link_add_string(struct heal_link_record *r, const char *s);
/* Adds an object element; ids are copied. */
void heal_link_add_object(struct heal_link_record *r, const uint64_t *bc, size_t nbc,
                          const uint64_t *objs, size_t nobjs);
void heal_link_add_archive(struct heal_link_record *r, const char *path, const uint64_t *bc,
                           size_t nbc);
void heal_link_record_free(struct heal_link_record *r);

/* Serializes to JSON (malloc'd, NUL-terminated). */
char *heal_link_record_json(const struct heal_link_record *r);
/* Parses JSON text. Returns 0, or -1 with a malloc'd message in *err. */
int heal_link_record_parse(const char *json, size_t len, struct heal_link_record *r,
                           char **err);
/* Builds the .heal_link section payload (struct heal_link_header + JSON + padding). */
size_t heal_link_section_build(const char *json, void **out);
/* Finds the first link record in .heal_link section data; *json points into data. Returns
 * 0, or -1 if malformed. */
int heal_link_section_json(const void *data, size_t size, const char **json, size_t *len);

#endif
