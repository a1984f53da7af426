#define _GNU_SOURCE
#include "args.h"

#include "healcommon/proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- response files ---------------------------------------------------------------- */

/* LLVM's cl::TokenizeGNUCommandLine: whitespace separates, \ escapes the next character
 * anywhere, '...' and "..." quote (with \ escapes inside); empty tokens are dropped. */
static void tokenize_gnu(const char *s, size_t n, struct strv *out) {
  char *tok = heal_xmalloc(n + 1);
  size_t t = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (t == 0 && strchr(" \t\n\v\f\r", c))
      continue;
    if (c == '\\' && i + 1 < n) {
      tok[t++] = s[++i];
      continue;
    }
    if (c == '\'' || c == '"') {
      for (i++; i < n && s[i] != c; i++) {
        if (s[i] == '\\' && i + 1 < n)
          i++;
        tok[t++] = s[i];
      }
      continue;
    }
    if (strchr(" \t\n\v\f\r", c)) {
      tok[t] = 0;
      strv_push(out, tok);
      t = 0;
      continue;
    }
    tok[t++] = c;
  }
  if (t) {
    tok[t] = 0;
    strv_push(out, tok);
  }
  free(tok);
}

/* Nested @files are relative to the working directory, as clang 19 resolves them. */
static void expand(const char *arg, int depth, struct strv *out) {
  void *data;
  size_t size;
  if (arg[0] != '@' || depth > 20 || heal_read_file(arg + 1, &data, &size) != 0) {
    strv_push(out, arg); /* clang keeps an unreadable @file as an argument too */
    return;
  }
  struct strv toks = STRV_INIT;
  tokenize_gnu(data, size, &toks);
  for (size_t i = 0; i < toks.n; i++)
    expand(toks.v[i], depth + 1, out);
  strv_free(&toks);
  free(data);
}

void cc_expand(int argc, char **argv, struct strv *out) {
  for (int i = 1; i < argc; i++)
    expand(argv[i], 0, out);
}

/* ---- classification ---------------------------------------------------------------- */

/* Options whose value is the next argument when written alone (clang's Separate and
 * JoinedOrSeparate options that appear in real build lines). */
static const char *const separate[] = {
    "-o", "-x", "-MF", "-MT", "-MQ", "-MJ", "-I", "-D", "-U", "-L", "-l", "-F", "-B", "-T",
    "-u", "-z", "-e", "-A", "-include", "-imacros", "-isystem", "-idirafter", "-iquote",
    "-isysroot", "-iprefix", "-iwithprefix", "-iwithprefixbefore", "-imultilib",
    "-iframework", "-isystem-after", "-ivfsoverlay", "-Xlinker", "-Xclang", "-Xassembler",
    "-Xpreprocessor", "-Xopenmp-target", "-Xanalyzer", "-Xoffload-linker", "-mllvm",
    "-target", "--sysroot", "--param", "--config", "-serialize-diagnostics",
    "-dependency-file", "-dependency-dot", "-rpath", "-resource-dir", "-working-directory",
    "-Ttext", "-Tdata", "-Tbss", "-arch", "-aux-triple", "-G", "--output", "-ccc-gcc-name",
    "-ccc-install-dir", "-install_name", "-mcuda", NULL};

static int takes_separate(const char *a) {
  for (const char *const *s = separate; *s; s++)
    if (!strcmp(a, *s))
      return 1;
  return 0;
}

static int starts(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static int is_c_lang(const char *lang) {
  return !strcmp(lang, "c") || !strcmp(lang, "cpp-output") || !strcmp(lang, "c-cpp-output");
}

static const char *suffix(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(slash ? slash + 1 : path, '.');
  return dot ? dot + 1 : "";
}

static enum input_type type_of(const char *path, const char *lang) {
  if (lang)
    return is_c_lang(lang) ? IN_C : IN_OTHER;
  if (!strcmp(path, "-"))
    return IN_OTHER; /* clang wants -x for stdin; let it say so */
  const char *s = suffix(path);
  if (!strcmp(s, "c") || !strcmp(s, "i"))
    return IN_C;
  static const char *const other[] = {"s", "S", "sx", "cc", "cp", "cxx", "cpp", "CPP", "c++",
                                      "C", "ii", "m", "mi", "mm", "M", "mii", "h", "hh",
                                      "hpp", "hxx", "H", "ll", "bc", "cu", "cl", "cppm",
                                      "ccm", "cxxm", "c++m", "pcm", "ast", NULL};
  for (const char *const *o = other; *o; o++)
    if (!strcmp(s, *o))
      return IN_OTHER;
  return IN_LINK;
}

/* Only output of clang itself can stand for these; heal-cc hands them over unchanged. */
static int is_passthrough_flag(const char *a) {
  static const char *const exact[] = {
      "-###", "--version", "-dumpversion", "-dumpmachine", "-dumpspecs", "--help", "-help",
      "--help-hidden", "-E", "-M", "-MM", "-fsyntax-only", "-emit-llvm", "-emit-ast",
      "--analyze", "-precompile", "--precompile", "-cc1", "-cc1as", "-fdriver-only",
      "-rewrite-objc", "-emit-interface-stubs", "--output", NULL};
  for (const char *const *e = exact; *e; e++)
    if (!strcmp(a, *e))
      return 1;
  return starts(a, "-print-") || starts(a, "--print-") || starts(a, "--output=");
}

static int is_ubsan_check(const char *n, size_t len) {
  static const char *const ok[] = {
      "undefined", "alignment", "bool", "builtin", "bounds", "array-bounds", "local-bounds",
      "enum", "float-cast-overflow", "float-divide-by-zero", "function",
      "implicit-unsigned-integer-truncation", "implicit-signed-integer-truncation",
      "implicit-integer-sign-change", "implicit-integer-truncation",
      "implicit-integer-arithmetic-value-change", "implicit-conversion",
      "implicit-bitfield-conversion", "integer", "integer-divide-by-zero",
      "nonnull-attribute", "null", "nullability", "nullability-arg", "nullability-assign",
      "nullability-return", "object-size", "pointer-overflow", "return",
      "returns-nonnull-attribute", "shift", "shift-base", "shift-exponent",
      "signed-integer-overflow", "unsigned-integer-overflow", "unsigned-shift-base",
      "unreachable", "vla-bound", NULL};
  for (const char *const *o = ok; *o; o++)
    if (strlen(*o) == len && !strncmp(n, *o, len))
      return 1;
  return 0;
}

/* Front-end-only -f options that must not reach the codegen step (they print, load
 * front-end plugins or are meaningless for IR); every other -f goes to both. */
static int f_codegen(const char *a) {
  static const char *const deny[] = {
      "-fsyntax-only", "-fdiagnostics", "-fcolor-diagnostics", "-fno-color-diagnostics",
      "-fansi-escape-codes", "-fmessage-length", "-fplugin", "-fmodule", "-fno-module",
      "-fimplicit-module", "-fno-implicit-module", "-fbuiltin-module-map",
      "-fprebuilt-module", "-fproc-stat-report", "-ftime-report", "-ftime-trace",
      "-fcrash-diagnostics", "-fshow-", "-fno-show-", "-fcaret-diagnostics",
      "-fno-caret-diagnostics", "-ferror-limit", "-fno-spell-checking", "-fdriver-only",
      "-fexperimental-", NULL};
  for (const char *const *d = deny; *d; d++)
    if (starts(a, *d))
      return 0;
  return 1;
}

static unsigned flag_bits(const char *a, const char *next) {
  (void)next;
  if (starts(a, "-save-temps"))
    return F_NOCOMPILE;
  if ((a[0] == '-' && a[1] == 'O') || starts(a, "-g") || starts(a, "-m") ||
      starts(a, "--target=") || !strcmp(a, "-target") || starts(a, "-Wa,") ||
      !strcmp(a, "-Xassembler") || !strcmp(a, "-pg") || !strcmp(a, "-integrated-as") ||
      !strcmp(a, "-no-integrated-as"))
    return F_CODEGEN;
  if (starts(a, "-f") && f_codegen(a))
    return F_CODEGEN;
  if (starts(a, "-L"))
    return F_LIBDIR;
  if (starts(a, "-l"))
    return F_LIB;
  return 0;
}

static struct item *push_item(struct cc *cc, size_t i, int n, enum item_kind k) {
  cc->items = heal_xrealloc(cc->items, (cc->nitems + 1) * sizeof *cc->items);
  struct item *it = &cc->items[cc->nitems++];
  memset(it, 0, sizeof *it);
  it->i = i;
  it->n = n;
  it->kind = k;
  return it;
}

/* Decides whether the sanitizers in effect leave the fault signals to heal: only UBSan
 * checks in trap mode (a trap becomes SIGILL, which heal reports) or with the minimal
 * runtime (prints, installs no handlers). */
static const char *check_sanitizers(struct cc *cc) {
  static char msg[512];
  const char *bad = NULL;
  size_t badlen = 0;
  int any = 0, trap = 0, minimal = 0;
  for (size_t k = 0; k < cc->args.n; k++) {
    const char *a = cc->args.v[k];
    if (starts(a, "-fsanitize=")) {
      const char *p = a + strlen("-fsanitize=");
      while (*p) {
        size_t len = strcspn(p, ",");
        if (len) {
          any = 1;
          if (!is_ubsan_check(p, len) && !bad) {
            bad = p;
            badlen = len;
          }
        }
        p += len + (p[len] == ',');
      }
    } else if (!strcmp(a, "-fno-sanitize=all")) {
      any = 0;
      bad = NULL;
    } else if (!strcmp(a, "-fsanitize-trap") || !strcmp(a, "-fsanitize-trap=all") ||
               !strcmp(a, "-fsanitize-trap=undefined")) {
      trap = 1;
    } else if (starts(a, "-fno-sanitize-trap")) {
      trap = 0;
    } else if (!strcmp(a, "-fsanitize-minimal-runtime")) {
      minimal = 1;
    } else if (!strcmp(a, "-fno-sanitize-minimal-runtime")) {
      minimal = 0;
    }
  }
  if (!any)
    return NULL;
  if (bad) {
    snprintf(msg, sizeof msg,
             "heal-cc: error: -fsanitize=%.*s is not supported (heal's runtime owns the fault "
             "signals); use only UBSan checks with -fsanitize-trap=all, drop -fsanitize, or "
             "set HEAL_PASSTHROUGH=1",
             (int)badlen, bad);
    return msg;
  }
  if (!trap && !minimal)
    return "heal-cc: error: -fsanitize needs -fsanitize-trap=all or "
           "-fsanitize-minimal-runtime with heal (the UBSan runtime installs its own fault "
           "handlers); add one of them or set HEAL_PASSTHROUGH=1";
  return NULL;
}

void cc_classify(struct cc *cc, struct strv *args) {
  memset(cc, 0, sizeof *cc);
  cc->args = *args;
  memset(args, 0, sizeof *args);
  char **v = cc->args.v;
  size_t n = cc->args.n;
  const char *lang = NULL;
  int compile = 0, assemble = 0, lto = 0, end_of_options = 0;
  int multiple_outputs_error = 0;
  for (size_t i = 0; i < n; i++) {
    const char *a = v[i];
    if (end_of_options || a[0] != '-' || !strcmp(a, "-")) {
      struct item *it = push_item(cc, i, 1, IT_INPUT);
      it->value = a;
      it->lang = lang;
      it->type = type_of(a, lang);
      cc->ninputs++;
      cc->nc += it->type == IN_C;
      cc->nother += it->type == IN_OTHER;
      continue;
    }
    if (!strcmp(a, "--")) {
      end_of_options = 1;
      push_item(cc, i, 1, IT_FLAG);
      continue;
    }
    if (is_passthrough_flag(a) && !cc->passthrough)
      cc->passthrough = a;
    int sep = takes_separate(a) && i + 1 < n;
    const char *val = sep ? v[i + 1] : NULL;
    struct item *it;
    if (!strcmp(a, "-o") || (starts(a, "-o") && !starts(a, "-objcmt") && !starts(a, "-object"))) {
      it = push_item(cc, i, sep ? 2 : 1, IT_OUTPUT);
      it->value = sep ? val : a + 2;
      cc->output = it->value;
      if (!strcmp(a, "-o") && !sep)
        cc->passthrough = "-o without a value";
    } else if (starts(a, "-x")) {
      it = push_item(cc, i, sep ? 2 : 1, IT_XLANG);
      it->value = sep ? val : a + 2;
      lang = (it->value && strcmp(it->value, "none") != 0) ? it->value : NULL;
    } else if (!strcmp(a, "-MD") || !strcmp(a, "-MMD")) {
      push_item(cc, i, 1, IT_DEP);
      cc->dep_md = 1;
    } else if (starts(a, "-Wp,-MD,") || starts(a, "-Wp,-MMD,")) {
      push_item(cc, i, 1, IT_DEP); /* clang's driver rewrites it to -MD -MF FILE */
      cc->dep_md = cc->dep_mf = 1;
    } else if (!strcmp(a, "-MP") || !strcmp(a, "-MG") || !strcmp(a, "-MV")) {
      push_item(cc, i, 1, IT_DEP);
    } else if (starts(a, "-MF") || starts(a, "-MT") || starts(a, "-MQ")) {
      it = push_item(cc, i, sep ? 2 : 1, IT_DEP);
      it->value = sep ? val : a + 3;
      if (a[2] == 'F')
        cc->dep_mf = 1;
      else
        cc->dep_target = 1;
    } else if (!strcmp(a, "-c") || !strcmp(a, "-S")) {
      push_item(cc, i, 1, IT_ACTION);
      if (a[1] == 'c')
        compile = 1;
      else
        assemble = 1;
    } else {
      it = push_item(cc, i, sep ? 2 : 1, IT_FLAG);
      it->flags = flag_bits(a, val);
      if (it->flags & (F_LIBDIR | F_LIB))
        it->value = sep ? val : a + 2;
      if (!strcmp(a, "-shared"))
        cc->shared = 1;
      else if (!strcmp(a, "-r") || !strcmp(a, "-relocatable") || !strcmp(a, "-Wl,-r"))
        cc->relocatable = 1;
      else if (!strcmp(a, "-static") || !strcmp(a, "-static-pie"))
        cc->is_static = 1;
      else if (!strcmp(a, "-flto") || starts(a, "-flto="))
        lto = 1;
      else if (!strcmp(a, "-fno-lto"))
        lto = 0;
    }
    if (sep)
      i++;
  }
  cc->action = assemble ? ACT_ASM : compile ? ACT_COMPILE : ACT_LINK;
  if (cc->action != ACT_LINK && cc->output && cc->nc + cc->nother > 1)
    multiple_outputs_error = 1;

  if (cc->passthrough)
    return;
  /* clang checks every input before running anything; let it report missing ones. */
  for (size_t k = 0; k < cc->nitems; k++) {
    struct stat st;
    const struct item *it = &cc->items[k];
    if (it->kind == IT_INPUT && strcmp(it->value, "-") && stat(it->value, &st) != 0) {
      cc->passthrough = "missing input";
      return;
    }
  }
  if (cc->ninputs == 0)
    cc->passthrough = "no inputs";
  else if (cc->action != ACT_LINK && cc->nc == 0)
    cc->passthrough = "no C sources to compile";
  else if (multiple_outputs_error)
    cc->passthrough = "-o with several outputs";
  if (cc->passthrough)
    return;
  if (lto)
    cc->refuse = "heal-cc: error: -flto is not supported (heal instruments each object before "
                 "the optimizer); drop -flto or set HEAL_PASSTHROUGH=1";
  else
    cc->refuse = check_sanitizers(cc);
}

void cc_free(struct cc *cc) {
  strv_free(&cc->args);
  free(cc->items);
  memset(cc, 0, sizeof *cc);
}
