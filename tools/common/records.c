#define _GNU_SOURCE
#include "healcommon/records.h"
#include "healcommon/proc.h"
#include "healcommon/strv.h"

#include <heal/heal.h>

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Records are written and read little-endian; heal only targets little-endian hosts
 * (x86-64, AArch64), where that is the native layout. */
_Static_assert(sizeof(struct heal_bc_header) == 48, "heal_bc_header layout");
_Static_assert(sizeof(struct heal_obj_header) == 40, "heal_obj_header layout");
_Static_assert(sizeof(struct heal_link_header) == 16, "heal_link_header layout");

uint64_t heal_fnv1a64(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

void heal_id_hex(uint64_t id, char buf[17]) { snprintf(buf, 17, "%016llx", (unsigned long long)id); }

int heal_id_parse(const char *hex, uint64_t *id) {
  size_t n = strlen(hex);
  if (n == 0 || n > 16 || strspn(hex, "0123456789abcdefABCDEF") != n)
    return -1;
  *id = strtoull(hex, NULL, 16);
  return 0;
}

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

size_t heal_bc_record_build(const char *source, const char *const *args, size_t nargs,
                            const void *bitcode, size_t bitcode_size, void **out,
                            uint64_t *id) {
  size_t source_size = strlen(source) + 1, args_size = 0;
  for (size_t i = 0; i < nargs; i++)
    args_size += strlen(args[i]) + 1;
  size_t body = source_size + args_size + bitcode_size;
  size_t total = pad8(sizeof(struct heal_bc_header) + body);
  char *buf = heal_xmalloc(total);
  memset(buf, 0, total);
  struct heal_bc_header h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, HEAL_BC_MAGIC, 8);
  h.record_size = total;
  h.source_size = (uint32_t)source_size;
  h.args_size = (uint32_t)args_size;
  h.nargs = (uint32_t)nargs;
  h.bitcode_size = bitcode_size;
  char *p = buf + sizeof h;
  memcpy(p, source, source_size);
  p += source_size;
  for (size_t i = 0; i < nargs; i++) {
    size_t l = strlen(args[i]) + 1;
    memcpy(p, args[i], l);
    p += l;
  }
  memcpy(p, bitcode, bitcode_size);
  h.id = heal_fnv1a64(HEAL_FNV_OFFSET, buf + sizeof h, body);
  memcpy(buf, &h, sizeof h);
  *out = buf;
  if (id)
    *id = h.id;
  return total;
}

int heal_bc_record_write(const char *path, const char *source, const char *const *args,
                         size_t nargs, const void *bitcode, size_t bitcode_size,
                         uint64_t *id) {
  void *buf;
  size_t n = heal_bc_record_build(source, args, nargs, bitcode, bitcode_size, &buf, id);
  int r = heal_write_file(path, buf, n);
  int e = errno;
  free(buf);
  errno = e;
  return r;
}

/* Skips zero padding; returns the offset of the next record or size. */
static size_t skip_zeros(const unsigned char *p, size_t off, size_t size) {
  while (off < size && p[off] == 0)
    off++;
  return off;
}

int heal_bc_foreach(const void *data, size_t size,
                    int (*cb)(const struct heal_bc_record *rec, void *ctx), void *ctx) {
  const unsigned char *p = data;
  size_t off = skip_zeros(p, 0, size);
  while (off < size) {
    struct heal_bc_header h;
    if (size - off < sizeof h)
      return -1;
    memcpy(&h, p + off, sizeof h);
    if (memcmp(h.magic, HEAL_BC_MAGIC, 8) != 0 || h.record_size > size - off ||
        (uint64_t)sizeof h + h.source_size + h.args_size + h.bitcode_size > h.record_size ||
        h.source_size == 0)
      return -1;
    const char *src = (const char *)p + off + sizeof h;
    const char *a = src + h.source_size;
    if (src[h.source_size - 1] != 0 || (h.args_size && a[h.args_size - 1] != 0))
      return -1;
    struct heal_bc_record rec;
    rec.id = h.id;
    rec.source = src;
    rec.nargs = h.nargs;
    rec.args = heal_xmalloc((h.nargs + 1) * sizeof *rec.args);
    const char *q = a, *end = a + h.args_size;
    for (size_t i = 0; i < h.nargs; i++) {
      if (q >= end) {
        free(rec.args);
        return -1;
      }
      rec.args[i] = q;
      q += strlen(q) + 1;
    }
    rec.args[h.nargs] = NULL;
    rec.bitcode = a + h.args_size;
    rec.bitcode_size = h.bitcode_size;
    int r = cb(&rec, ctx);
    free(rec.args);
    if (r)
      return r;
    off = skip_zeros(p, off + h.record_size, size);
  }
  return 0;
}

size_t heal_obj_record_build(const char *name, const void *object, size_t object_size,
                             void **out, uint64_t *id) {
  size_t name_size = strlen(name) + 1;
  size_t total = pad8(sizeof(struct heal_obj_header) + name_size + object_size);
  char *buf = heal_xmalloc(total);
  memset(buf, 0, total);
  struct heal_obj_header h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, HEAL_OBJ_MAGIC, 8);
  h.record_size = total;
  h.id = heal_fnv1a64(HEAL_FNV_OFFSET, object, object_size);
  h.name_size = (uint32_t)name_size;
  h.object_size = object_size;
  memcpy(buf, &h, sizeof h);
  memcpy(buf + sizeof h, name, name_size);
  memcpy(buf + sizeof h + name_size, object, object_size);
  *out = buf;
  if (id)
    *id = h.id;
  return total;
}

int heal_obj_foreach(const void *data, size_t size,
                     int (*cb)(const struct heal_obj_record *rec, void *ctx), void *ctx) {
  const unsigned char *p = data;
  size_t off = skip_zeros(p, 0, size);
  while (off < size) {
    struct heal_obj_header h;
    if (size - off < sizeof h)
      return -1;
    memcpy(&h, p + off, sizeof h);
    if (memcmp(h.magic, HEAL_OBJ_MAGIC, 8) != 0 || h.record_size > size - off ||
        (uint64_t)sizeof h + h.name_size + h.object_size > h.record_size || h.name_size == 0)
      return -1;
    const char *name = (const char *)p + off + sizeof h;
    if (name[h.name_size - 1] != 0)
      return -1;
    struct heal_obj_record rec = {h.id, name, name + h.name_size, h.object_size};
    int r = cb(&rec, ctx);
    if (r)
      return r;
    off = skip_zeros(p, off + h.record_size, size);
  }
  return 0;
}

/* ---- ELF ------------------------------------------------------------------------------ */

static void elf_init(void) {
  static int done;
  if (!done) {
    elf_version(EV_CURRENT);
    done = 1;
  }
}

/* Appends every section called `name` of e to *data. Returns 1 if any, 0 if none. */
static int collect(Elf *e, const char *name, void **data, size_t *size) {
  size_t shstrndx;
  if (elf_kind(e) != ELF_K_ELF || elf_getshdrstrndx(e, &shstrndx) != 0)
    return 0;
  int found = 0;
  char *buf = NULL;
  size_t n = 0;
  Elf_Scn *scn = NULL;
  while ((scn = elf_nextscn(e, scn))) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
      continue;
    const char *nm = elf_strptr(e, shstrndx, sh.sh_name);
    if (!nm || strcmp(nm, name) != 0)
      continue;
    Elf_Data *d = elf_rawdata(scn, NULL);
    found = 1;
    size_t len = d ? d->d_size : 0;
    buf = heal_xrealloc(buf, n + len + 1);
    if (len)
      memcpy(buf + n, d->d_buf, len);
    n += len;
  }
  if (found) {
    buf[n] = 0;
    *data = buf;
    *size = n;
  }
  return found;
}

int heal_elf_section(const char *path, const char *name, void **data, size_t *size) {
  elf_init();
  *data = NULL;
  *size = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  Elf *e = elf_begin(fd, ELF_C_READ, NULL);
  int r = e ? collect(e, name, data, size) : 0;
  if (e)
    elf_end(e);
  close(fd);
  return r;
}

int heal_elf_section_mem(const void *image, size_t image_size, const char *name,
                         void **data, size_t *size) {
  elf_init();
  *data = NULL;
  *size = 0;
  Elf *e = elf_memory((char *)image, image_size);
  int r = e ? collect(e, name, data, size) : 0;
  if (e)
    elf_end(e);
  return r;
}

int heal_file_kind(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  char m[8];
  ssize_t n = read(fd, m, sizeof m);
  close(fd);
  if (n >= 4 && memcmp(m, "\177ELF", 4) == 0)
    return 'e';
  if (n == 8 && (memcmp(m, "!<arch>\n", 8) == 0 || memcmp(m, "!<thin>\n", 8) == 0))
    return 'a';
  return 0;
}

int heal_elf_type(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  unsigned char h[18];
  ssize_t n = read(fd, h, sizeof h);
  close(fd);
  if (n != (ssize_t)sizeof h || memcmp(h, "\177ELF", 4) != 0)
    return -1;
  return h[5] == 2 ? (h[16] << 8 | h[17]) : (h[17] << 8 | h[16]); /* EI_DATA: 2 = big */
}

int heal_archive_sections(const char *path, const char *name,
                          int (*cb)(const char *member, const void *data, size_t size,
                                    void *ctx),
                          void *ctx) {
  elf_init();
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  Elf *ar = elf_begin(fd, ELF_C_READ, NULL);
  if (!ar || elf_kind(ar) != ELF_K_AR) {
    if (ar)
      elf_end(ar);
    close(fd);
    return -1;
  }
  Elf *m;
  Elf_Cmd cmd = ELF_C_READ;
  while ((m = elf_begin(fd, cmd, ar))) {
    Elf_Arhdr *ah = elf_getarhdr(m);
    void *d;
    size_t n;
    if (ah && ah->ar_name && ah->ar_name[0] != '/' && collect(m, name, &d, &n)) {
      int r = cb(ah->ar_name, d, n, ctx);
      free(d);
      if (r) {
        elf_end(m);
        break;
      }
    }
    cmd = elf_next(m);
    elf_end(m);
  }
  elf_end(ar);
  close(fd);
  return 0;
}
