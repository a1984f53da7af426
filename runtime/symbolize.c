/* PC -> (object file, offset, function name) inside the fault handler.
 *
 * No dladdr (it takes the loader's lock and misses static functions), no malloc: the
 * executable mappings come from /proc/self/maps read with open/read into static storage;
 * each ELF file is mapped read-only once and cached for the life of the process; the name
 * is the FUNC symbol of .symtab (static functions included) or, for stripped objects,
 * .dynsym whose [value, value + size) contains the PC's link-time address. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* ---- snapshot of the executable mappings ------------------------------------------- */

struct mapping {
  uintptr_t start, end, file_off;
  unsigned path; /* offset into map_paths */
  int exec;
};

#define MAX_MAPPINGS 1024
static struct mapping maps[MAX_MAPPINGS];
static int nmaps;
static char map_paths[64 * 1024];
static size_t map_paths_len;

static const char *parse_hex(const char *p, uintptr_t *v) {
  uintptr_t x = 0;
  for (;; p++) {
    char c = *p;
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0)
      break;
    x = x << 4 | (uintptr_t)d;
  }
  *v = x;
  return p;
}

static const char *skip_field(const char *p) {
  while (*p && *p != ' ')
    p++;
  while (*p == ' ')
    p++;
  return p;
}

/* "start-end perms offset dev inode   path" */
static void add_line(const char *line) {
  uintptr_t start, end, off;
  const char *p = parse_hex(line, &start);
  if (*p != '-')
    return;
  p = parse_hex(p + 1, &end);
  while (*p == ' ')
    p++;
  if (p[0] == '\0' || p[1] == '\0')
    return;
  int exec = p[2] == 'x';
  p = skip_field(p);
  parse_hex(p, &off);
  p = skip_field(skip_field(skip_field(p))); /* offset, dev, inode */
  size_t len = heal_strlen(p);
  if (!exec && (off != 0 || len == 0))
    return; /* keep code, and the start of each file for the fallback load base */
  if (nmaps == MAX_MAPPINGS || map_paths_len + len + 1 > sizeof map_paths)
    return;
  struct mapping *m = &maps[nmaps];
  m->start = start;
  m->end = end;
  m->file_off = off;
  m->exec = exec;
  m->path = (unsigned)map_paths_len;
  for (size_t i = 0; i <= len; i++)
    map_paths[map_paths_len + i] = p[i];
  map_paths_len += len + 1;
  nmaps++;
}

void heal_symbolize_begin(void) {
  static char chunk[4096];
  static char line[HEAL_PATH_MAX + 256];
  size_t ll = 0;
  nmaps = 0;
  map_paths_len = 0;
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0)
      break;
    for (ssize_t i = 0; i < n; i++) {
      if (chunk[i] == '\n') {
        line[ll] = '\0';
        add_line(line);
        ll = 0;
      } else if (ll < sizeof line - 1) {
        line[ll++] = chunk[i];
      }
    }
  }
  close(fd);
}

static const struct mapping *find_mapping(uintptr_t a) {
  for (int i = 0; i < nmaps; i++)
    if (maps[i].exec && a >= maps[i].start && a < maps[i].end)
      return &maps[i];
  return 0;
}

int heal_pc_is_executable(uintptr_t pc) { return find_mapping(pc) != 0; }

/* ---- ELF objects, cached ------------------------------------------------------------- */

struct object {
  unsigned path; /* offset into obj_paths */
  const unsigned char *image;
  size_t size;
  const Elf64_Ehdr *eh;
  const Elf64_Phdr *ph;
  const Elf64_Sym *syms;
  size_t nsyms;
  const char *strs;
  size_t strs_size;
};

#define MAX_OBJECTS 128
static struct object objs[MAX_OBJECTS];
static int nobjs;
static char obj_paths[64 * 1024];
static size_t obj_paths_len;

static int in_image(const struct object *o, uint64_t off, uint64_t len) {
  return off <= o->size && len <= o->size - off;
}

/* Symbols from the section of type `type` (SHT_SYMTAB or SHT_DYNSYM); 0 if absent. */
static int load_symbols(struct object *o, uint32_t type) {
  const Elf64_Ehdr *eh = o->eh;
  if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
      !in_image(o, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
    return 0;
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(o->image + eh->e_shoff);
  for (unsigned i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != type || sh[i].sh_link >= eh->e_shnum)
      continue;
    const Elf64_Shdr *str = &sh[sh[i].sh_link];
    if (!in_image(o, sh[i].sh_offset, sh[i].sh_size) || !in_image(o, str->sh_offset, str->sh_size) ||
        str->sh_type == SHT_NOBITS || sh[i].sh_type == SHT_NOBITS)
      return 0;
    o->syms = (const Elf64_Sym *)(o->image + sh[i].sh_offset);
    o->nsyms = sh[i].sh_size / sizeof(Elf64_Sym);
    o->strs = (const char *)(o->image + str->sh_offset);
    o->strs_size = str->sh_size;
    return 1;
  }
  return 0;
}

static void open_object(struct object *o, const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  struct stat st;
  void *img = MAP_FAILED;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size >= sizeof(Elf64_Ehdr))
    img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (img == MAP_FAILED)
    return;
  o->image = img;
  o->size = (size_t)st.st_size;
  const Elf64_Ehdr *eh = img;
  if (eh->e_ident[EI_MAG0] != ELFMAG0 || eh->e_ident[EI_MAG1] != ELFMAG1 ||
      eh->e_ident[EI_MAG2] != ELFMAG2 || eh->e_ident[EI_MAG3] != ELFMAG3 ||
      eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64 ||
      eh->e_phentsize != sizeof(Elf64_Phdr) ||
      !in_image(o, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
    return;
  o->eh = eh;
  o->ph = (const Elf64_Phdr *)(o->image + eh->e_phoff);
  if (!load_symbols(o, SHT_SYMTAB))
    load_symbols(o, SHT_DYNSYM);
}

static struct object *get_object(const char *path) {
  for (int i = 0; i < nobjs; i++)
    if (heal_streq(obj_paths + objs[i].path, path))
      return &objs[i];
  size_t len = heal_strlen(path);
  if (nobjs == MAX_OBJECTS || obj_paths_len + len + 1 > sizeof obj_paths)
    return 0;
  struct object *o = &objs[nobjs];
  *o = (struct object){0};
  o->path = (unsigned)obj_paths_len;
  for (size_t i = 0; i <= len; i++)
    obj_paths[obj_paths_len + i] = path[i];
  obj_paths_len += len + 1;
  if (path[0] == '/')
    open_object(o, path); /* not "[vdso]" and friends */
  nobjs++; /* published last: a fault above leaves the cache consistent */
  return o;
}

/* Link-time address of file offset `off`, via the PT_LOAD that maps it. */
static int file_to_vaddr(const struct object *o, uint64_t off, uint64_t *vaddr) {
  for (unsigned i = 0; i < o->eh->e_phnum; i++) {
    const Elf64_Phdr *p = &o->ph[i];
    if (p->p_type == PT_LOAD && off >= p->p_offset && off - p->p_offset < p->p_filesz) {
      *vaddr = p->p_vaddr + (off - p->p_offset);
      return 1;
    }
  }
  return 0;
}

static int binding_rank(unsigned char info) {
  switch (ELF64_ST_BIND(info)) {
  case STB_GLOBAL: return 3;
  case STB_WEAK: return 2;
  default: return 1;
  }
}

static int leading_underscores(const struct object *o, const Elf64_Sym *s) {
  int n = 0;
  for (size_t i = s->st_name; i < o->strs_size && o->strs[i] == '_'; i++)
    n++;
  return n;
}

/* Among aliases (free, __libc_free, cfree) prefer a global binding, then the public-looking
 * name (fewer leading underscores), then the first. */
static int better(const struct object *o, const Elf64_Sym *a, const Elf64_Sym *b) {
  int ra = binding_rank(a->st_info), rb = binding_rank(b->st_info);
  if (ra != rb)
    return ra > rb;
  return leading_underscores(o, a) < leading_underscores(o, b);
}

static const char *lookup(const struct object *o, uint64_t v) {
  const Elf64_Sym *best = 0;
  for (size_t i = 0; i < o->nsyms; i++) {
    const Elf64_Sym *s = &o->syms[i];
    unsigned t = ELF64_ST_TYPE(s->st_info);
    if ((t != STT_FUNC && t != STT_GNU_IFUNC) || s->st_shndx == SHN_UNDEF || s->st_size == 0)
      continue;
    if (v < s->st_value || v - s->st_value >= s->st_size || s->st_name >= o->strs_size)
      continue;
    if (!best || better(o, s, best))
      best = s;
  }
  if (!best)
    return 0;
  const char *name = o->strs + best->st_name;
  /* The string table must hold the terminator, or we would read past the image. */
  for (size_t i = best->st_name; i < o->strs_size; i++)
    if (o->strs[i] == '\0')
      return *name ? name : 0;
  return 0;
}

void heal_symbolize(struct heal_frame *f) {
  f->function = 0;
  f->object = 0;
  f->has_offset = 0;
  /* A return address may lie just past the end of its function (a call to a noreturn
   * function is often the last instruction); look up the call instruction instead. */
  uintptr_t a = f->exact ? f->pc : f->pc - 1;
  const struct mapping *m = find_mapping(a);
  if (!m)
    return;
  const char *path = map_paths + m->path;
  if (!path[0])
    return; /* anonymous code (a JIT's): no object, no name */
  struct object *o = get_object(path);
  if (!o)
    return;
  f->object = obj_paths + o->path;
  uint64_t v;
  if (o->eh && file_to_vaddr(o, m->file_off + (a - m->start), &v)) {
    f->offset = f->pc - (a - v);
    f->has_offset = 1;
    f->function = lookup(o, v);
    return;
  }
  /* Unreadable file: the offset from the mapping of file offset 0 is still useful. */
  for (int i = 0; i < nmaps; i++)
    if (maps[i].file_off == 0 && maps[i].start <= a && heal_streq(map_paths + maps[i].path, path)) {
      f->offset = f->pc - maps[i].start;
      f->has_offset = 1;
      break;
    }
}
