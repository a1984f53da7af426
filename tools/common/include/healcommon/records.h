/* The records heal embeds in objects and binaries (formats in include/heal/heal.h), and
 * reading ELF sections with libelf.
 *
 *   .heal_bitcode  one record per compiled source: source path, codegen args, clean bitcode
 *   .heal_objects  verbatim copies of link inputs without heal bitcode
 *   .heal_link     the link record (see linkrec.h)
 *
 * Sections of several objects are concatenated by the linker; every record is padded to 8
 * bytes and readers skip zero bytes between records, so a section holds any number. */
#ifndef HEALCOMMON_RECORDS_H
#define HEALCOMMON_RECORDS_H

#include <stddef.h>
#include <stdint.h>

uint64_t heal_fnv1a64(uint64_t h, const void *data, size_t n);
#define HEAL_FNV_OFFSET 0xcbf29ce484222325ull
/* "%016llx" of id into buf (17 bytes). The link record spells ids this way. */
void heal_id_hex(uint64_t id, char buf[17]);
/* Parses 1..16 hex digits; returns 0 or -1. */
int heal_id_parse(const char *hex, uint64_t *id);

/* ---- .heal_bitcode ------------------------------------------------------------------ */

struct heal_bc_record {
  uint64_t id;
  const char *source;      /* points into the section data */
  size_t nargs;
  const char **args;       /* nargs strings, pointing into the section data */
  const void *bitcode;     /* points into the section data */
  uint64_t bitcode_size;
};

/* Builds one record in memory (malloc'd, padded); returns its size, sets *id. */
size_t heal_bc_record_build(const char *source, const char *const *args, size_t nargs,
                            const void *bitcode, size_t bitcode_size, void **out,
                            uint64_t *id);
/* Writes a record file for `llvm-objcopy --add-section`. 0, or -1 with errno. */
int heal_bc_record_write(const char *path, const char *source, const char *const *args,
                         size_t nargs, const void *bitcode, size_t bitcode_size,
                         uint64_t *id);
/* Calls cb for each record in section data, in order; stops when cb returns non-zero and
 * returns that value. Returns -1 if the data is malformed (cb may have been called for the
 * records before), else 0. rec->args is valid only during the call. */
int heal_bc_foreach(const void *data, size_t size,
                    int (*cb)(const struct heal_bc_record *rec, void *ctx), void *ctx);

/* ---- .heal_objects ------------------------------------------------------------------ */

struct heal_obj_record {
  uint64_t id;
  const char *name;        /* original path, informative */
  const void *object;
  uint64_t object_size;
};

size_t heal_obj_record_build(const char *name, const void *object, size_t object_size,
                             void **out, uint64_t *id);
int heal_obj_foreach(const void *data, size_t size,
                     int (*cb)(const struct heal_obj_record *rec, void *ctx), void *ctx);

/* ---- ELF sections ------------------------------------------------------------------- */

/* Reads section `name` of the ELF file at path. Returns 1 and a malloc'd copy in
 * (*data, *size) when found, 0 when the file is ELF but has no such section (or is not ELF
 * at all: *data = NULL), -1 if the file cannot be read. Several sections of the same
 * name (relocatable objects from `ld -r` never have them; merged objects could) are
 * concatenated. */
int heal_elf_section(const char *path, const char *name, void **data, size_t *size);
/* Same for an ELF image in memory. */
int heal_elf_section_mem(const void *image, size_t image_size, const char *name,
                         void **data, size_t *size);
/* Classifies a file: 'e' ELF object/executable/shared library, 'a' ar archive, 0 other or
 * unreadable. */
int heal_file_kind(const char *path);
/* The ELF e_type of a file (1 ET_REL object, 2 ET_EXEC, 3 ET_DYN), or -1 if it is not an
 * ELF file or cannot be read. Reads only the header. */
int heal_elf_type(const char *path);
/* For each member of an ar archive that is ELF and has section `name`, calls cb with the
 * member name and the section data; returns -1 if the archive cannot be read, else 0. */
int heal_archive_sections(const char *path, const char *name,
                          int (*cb)(const char *member, const void *data, size_t size,
                                    void *ctx),
                          void *ctx);

#endif
