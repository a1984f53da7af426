#!/usr/bin/env python3
"""Real programs built unmodified by heal-cc, side by side with clang, ASan and SSP.

usage: bench/real/bench.py BUILD_DIR [--quick] [--reps N] [--scale PCT]
                           [--programs lua,sqlite,zlib,gzip] [--variants base,sensor,...]
                           [--no-tests] [--no-bench] [--rebuild] [--retest] [--doc FILE]

For each program (a Debian source package, fetched by utils/fetch-source.sh into
BUILD_DIR/sources) and each variant below it: builds with the program's own build system,
only CC and CFLAGS (and LDFLAGS where a flag must reach the link) changed (bench/real/
PROG.sh); runs the program's own test suite for the heal variants and the baseline; runs
the benchmarks with every variant interleaved in one run; writes BUILD_DIR/real/results.md,
results.json and a plot. --doc FILE also replaces the "## Real programs" section of FILE
with the results and puts the plot next to it (docs/benchmarks-real.svg).
Builds are kept and reused while heal-cc, its plugin and runtime and the scripts are
unchanged (--rebuild forces them), and so are their test results (--retest reruns them).
"""
import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLANG = "/usr/lib/llvm-19/bin/clang"

# name, label, compiler ("clang" or "heal-cc"), extra CFLAGS, extra LDFLAGS, heal env
VARIANTS = [
    ("base", "clang -O2", "clang", [], [], {}),
    ("sensor", "heal-cc sensor", "heal-cc", [], [], {"HEAL_MODE": "sensor"}),
    ("oracle", "heal-cc Oracle", "heal-cc", [], [], {"HEAL_MODE": "oracle"}),
    ("patch", "heal-cc patch", "heal-cc", [], [], {"HEAL_POLICY": "@policy"}),
    ("asan", "clang ASan", "clang", ["-fsanitize=address"], ["-fsanitize=address"], {}),
    ("ssp", "clang SSP+FORTIFY", "clang",
     ["-fstack-protector-strong", "-D_FORTIFY_SOURCE=2"], [], {}),
]
VARIANT = {v[0]: v for v in VARIANTS}
TESTED = ["base", "sensor", "oracle", "patch"]  # test suites run for these

PROGRAMS = {
    "lua": {"pkg": "lua5.4", "binary": "src/lua", "what": "Lua 5.4 interpreter (upstream Makefile, `make linux`)"},
    "sqlite": {"pkg": "sqlite3", "binary": "speedtest1", "what": "SQLite 3 (autoconf; speedtest1 and testfixture)"},
    "zlib": {"pkg": "zlib", "binary": "minigzip", "what": "zlib (its configure + Makefile; minigzip, example)"},
    "gzip": {"pkg": "gzip", "binary": "gzip", "what": "GNU gzip (autotools, out of tree)"},
}
LUA_SCRIPTS = ["fib", "binarytrees", "nbody", "spectralnorm", "fannkuch", "strings", "sort"]
QUICK_LUA = ["fib", "binarytrees", "strings"]


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def file_digest(paths):
    h = hashlib.sha256()
    for p in paths:
        if os.path.isfile(p):
            with open(p, "rb") as f:
                h.update(f.read())
        h.update(p.encode())
    return h.hexdigest()[:16]


class RunFailed(Exception):
    pass


class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.heal_cc = os.path.join(self.build, "bin", "heal-cc")
        self.out = os.path.join(self.build, "real")
        self.jobs = os.environ.get("JOBS", "2")
        os.makedirs(self.out, exist_ok=True)
        lib = os.path.join(self.build, "lib")
        # What a build depends on besides the sources: the heal toolchain.
        self.heal_key = file_digest([self.heal_cc, os.path.join(lib, "libHealPasses.so"),
                                     os.path.join(lib, "libheal_rt.so"),
                                     os.path.join(lib, "libheal_rt.a"),
                                     os.path.join(lib, "libheal_oracle.so")])
        self.results = {"builds": {}, "tests": {}, "runs": {}, "sizes": {}}
        self.broken = set()   # (program, variant) whose build failed
        self.failures = []    # what failed, for the report

    # --- sources and builds --------------------------------------------------------------
    def fetch(self, prog):
        pkg = PROGRAMS[prog]["pkg"]
        r = subprocess.run([os.path.join(ROOT, "utils", "fetch-source.sh"), pkg,
                            os.path.join(self.build, "sources")],
                           check=True, stdout=subprocess.PIPE, text=True)
        return r.stdout.strip()

    def script(self, prog):
        return os.path.join(HERE, prog + ".sh")

    def prepare(self, prog):
        src = self.fetch(prog)
        prep = os.path.join(self.out, prog, "src")
        stamp = prep + ".stamp"
        key = src + " " + file_digest([self.script(prog)])
        if os.path.exists(stamp) and open(stamp).read() == key and os.path.isdir(prep):
            return prep
        log("%s: preparing %s" % (prog, src))
        os.makedirs(os.path.dirname(prep), exist_ok=True)
        sh([self.script(prog), "prepare", src, prep])
        with open(stamp, "w") as f:
            f.write(key)
        return prep

    def variant_env(self, prog, var):
        name, _, cc, cflags, ldflags, heal = VARIANT[var]
        env = dict(os.environ)
        for k in ["HEAL_MODE", "HEAL_POLICY", "HEAL_PASSTHROUGH", "HEAL_REPORT_DIR",
                  "CFLAGS", "LDFLAGS", "CPPFLAGS", "MAKEFLAGS", "MFLAGS"]:
            env.pop(k, None)
        env["CC"] = self.heal_cc if cc == "heal-cc" else CLANG
        env["EXTRA_CFLAGS"] = " ".join(cflags)
        env["EXTRA_LDFLAGS"] = " ".join(ldflags)
        env["JOBS"] = self.jobs
        # Build tools compiled with the variant's flags (SQLite's lemon) run during the
        # build; LeakSanitizer would fail them on their deliberate leaks.
        env["ASAN_OPTIONS"] = "detect_leaks=0"
        for k, v in heal.items():
            env[k] = os.path.join(HERE, "policies", prog + ".json") if v == "@policy" else v
        return env

    def build_one(self, prog, var, prep):
        d = os.path.join(self.out, prog, var)
        stamp = d + ".stamp"
        env = self.variant_env(prog, var)
        key = json.dumps([VARIANT[var][2:], self.script(prog), file_digest([self.script(prog)]),
                          open(prep + ".stamp").read(),
                          self.heal_key if VARIANT[var][2] == "heal-cc" else "",
                          env.get("HEAL_POLICY") and file_digest([env["HEAL_POLICY"]])])
        if not self.args.rebuild and os.path.exists(stamp):
            st = json.load(open(stamp))
            need_tf = prog == "sqlite" and os.environ.get("SQLITE_TESTFIXTURE") == "1"
            if st.get("key") == key and os.path.exists(os.path.join(d, PROGRAMS[prog]["binary"])) \
                    and (not need_tf or os.path.exists(os.path.join(d, "testfixture"))):
                return st
        log("%s: building %s" % (prog, var))
        logf = d + ".build.log"
        t0 = time.perf_counter()
        with open(logf, "w") as f:
            r = subprocess.run([self.script(prog), "build", prep, d], env=env,
                               stdout=f, stderr=subprocess.STDOUT)
        secs = time.perf_counter() - t0
        if r.returncode != 0:
            tail = open(logf, errors="replace").read()[-3000:]
            sys.stderr.write(tail)
            log("%s %s: build FAILED (log: %s)" % (prog, var, logf))
            self.failures.append("%s, %s: the build failed (exit %d); its log ends:\n\n```\n%s\n```"
                                 % (prog, VARIANT[var][1], r.returncode,
                                    "\n".join(tail.strip().splitlines()[-12:])))
            return {"failed": True, "seconds": round(secs, 1), "jobs": self.jobs,
                    "loadavg": os.getloadavg()[0]}
        st = {"key": key, "seconds": round(secs, 1), "jobs": self.jobs,
              "loadavg": os.getloadavg()[0]}
        with open(stamp, "w") as f:
            json.dump(st, f)
        return st

    def binary(self, prog, var):
        return os.path.join(self.out, prog, var, PROGRAMS[prog]["binary"])

    def size(self, path):
        r = subprocess.run(["size", path], stdout=subprocess.PIPE, text=True, check=True)
        text, data, bss, loaded = [int(x) for x in r.stdout.splitlines()[1].split()[:4]]
        return {"file": os.path.getsize(path), "loaded": loaded, "text": text,
                "data": data, "bss": bss}

    def counts_table(self):
        C = self.results.get("counts")
        if not C:
            return []
        vs = [v for v in self.results["variants"] if v in ("sensor", "patch", "ssp")]
        L = ["### Instructions executed\n",
             "Instructions executed by the whole process (`valgrind --tool=callgrind`, "
             "dynamic loader included) on small inputs (Lua scripts at 3 %, speedtest1 "
             "`--size 2`, the first MiB of the corpus), independent of the machine's load. "
             "SQLite, zlib and gzip count the same on every run; Lua seeds its string "
             "hashes from the time and addresses, so a Lua count varies by about ±1.5 % "
             "between runs of one binary (the table gives the median of 3): where scripts "
             "hash few strings (fib, binarytrees, spectralnorm, fannkuch) the difference "
             "is the constant start-up cost, where they hash many (nbody's fields, "
             "strings, sort) the seed moves it by a percent or two either way, for every "
             "variant alike. Ratios to clang -O2, and the difference in instructions:\n",
             "| workload | clang -O2 | " + " | ".join(VARIANT[v][1] for v in vs) + " |",
             "|---|---|" + "---|" * len(vs)]
        logs = {v: [] for v in vs}
        for name, per in C.items():
            b = per.get("base")
            if not b:
                continue
            cells = ["{:,}".format(b).replace(",", " ")]
            for v in vs:
                if v in per:
                    logs[v].append(per[v] / b)
                    cells.append("%.4f (%+d)" % (per[v] / b, per[v] - b))
                else:
                    cells.append("failed")
            L.append("| %s | %s |" % (name, " | ".join(cells)))
        L.append("| geometric mean | | " + " | ".join("%.4f" % geomean(logs[v]) for v in vs) + " |")
        L.append("")
        return L

    def runtime_sizes(self):
        out = []
        for lib in ["libheal_rt.so", "libheal_oracle.so"]:
            p = os.path.join(self.build, "lib", lib)
            if os.path.exists(p):
                out.append("`%s`: code %.0f KiB" % (lib, self.size(p)["text"] / 1024))
        return ", ".join(out) or "not found"

    # --- tests --------------------------------------------------------------------------
    def test_one(self, prog, var, prep):
        d = os.path.join(self.out, prog, var)
        logf = d + ".test.log"
        # A build that was reused keeps its test result (same binaries, same suite).
        cache = d + ".test.json"
        env = self.variant_env(prog, var)
        env["ASAN_OPTIONS"] = "detect_leaks=0"
        if prog == "sqlite" and var == "oracle":
            # SQLite's *-misuse tests use freed handles on purpose; its suite skips them
            # under ASan (clang_sanitize_address in src/test1.c) or with OMIT_MISUSE set.
            env["OMIT_MISUSE"] = "1"
        key = self.results["builds"][prog][var]["key"] + (
            " OMIT_MISUSE" if "OMIT_MISUSE" in env else "")
        if not self.args.retest and os.path.exists(cache):
            c = json.load(open(cache))
            if c.get("key") == key:
                return c["result"]
        log("%s: testing %s" % (prog, var))
        t0 = time.perf_counter()
        with open(logf, "w") as f:
            r = subprocess.run([self.script(prog), "test", prep, d], env=env,
                               stdout=f, stderr=subprocess.STDOUT)
        secs = time.perf_counter() - t0
        text = open(logf, errors="replace").read()
        res = {"ok": r.returncode == 0, "seconds": round(secs, 1), "log": logf,
               "summary": self.test_summary(prog, text)}
        if prog == "sqlite":
            res["failures"] = sqlite_failures(text)
        res["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        with open(cache, "w") as f:
            json.dump({"key": key, "result": res}, f)
        return res

    @staticmethod
    def test_summary(prog, text):
        lines = text.splitlines()
        if prog == "sqlite":
            for ln in lines:
                if " errors out of " in ln:
                    return ln.strip()
        if prog == "gzip":
            tot = [ln for ln in lines if ln.startswith("# TOTAL") or ln.startswith("# FAIL")]
            return ", ".join(x.strip("# ").replace(":  ", ": ").replace(": ", " ") for x in tot)
        if prog == "zlib":
            return "; ".join(ln.strip().strip("*").strip() for ln in lines if "zlib" in ln and "test" in ln)
        if prog == "lua":
            ok = [ln for ln in lines if ln.startswith("basic:")]
            n = sum(1 for ln in lines if ln.endswith(": ok"))
            return "%s; %d benchmark scripts give the expected checksums" % (
                ok[0] if ok else "basic tests did not finish", n)
        return lines[-1] if lines else ""

    # --- benchmarks ---------------------------------------------------------------------
    def corpus(self):
        mib = 4 if self.args.quick else 12
        path = os.path.join(self.out, "corpus-%dM" % mib)
        if not os.path.exists(path):
            log("generating a %d MiB corpus" % mib)
            sh([sys.executable, os.path.join(HERE, "gen-corpus.py"), str(mib), path + ".tmp"])
            os.rename(path + ".tmp", path)
        return path, mib

    def workloads(self, progs, count=False):
        scale = 3 if count else self.args.scale
        out = []
        if "lua" in progs:
            for s in (QUICK_LUA if self.args.quick else LUA_SCRIPTS):
                out.append({"prog": "lua", "name": "lua " + s,
                            "argv": ["@bin", os.path.join(HERE, "lua", s + ".lua"), str(scale)],
                            "check": "stdout"})
        if "sqlite" in progs:
            size = 2 if count else max(1, 50 * scale // 100)
            out.append({"prog": "sqlite", "name": "sqlite speedtest1",
                        "argv": ["@bin", "--size", str(size), "--memdb"], "check": "status"})
        if "zlib" in progs or "gzip" in progs:
            corpus, mib = self.corpus()
            gz = corpus + ".gz"
            if not os.path.exists(gz):
                with open(corpus, "rb") as i, open(gz + ".tmp", "wb") as o:
                    sh(["gzip", "-6", "-n", "-c"], stdin=i, stdout=o)
                os.rename(gz + ".tmp", gz)
            for p, comp, decomp in [("zlib", ["@bin"], ["@bin", "-d"]),
                                    ("gzip", ["@bin", "-6", "-n", "-c"], ["@bin", "-d", "-c"])]:
                if p in progs:
                    out.append({"prog": p, "name": "%s compress %d MiB" % (p, mib), "argv": comp,
                                "stdin": corpus, "check": "stdout-file"})
                    out.append({"prog": p, "name": "%s decompress" % p, "argv": decomp,
                                "stdin": gz, "check": "stdout-file"})
        return out

    def run_once(self, w, var):
        # GNU time reports the program's own peak RSS: ru_maxrss from wait4 here would
        # include the pages of this Python process the child was spawned from.
        rssf = os.path.join(self.out, "run.rss")
        argv = ["/usr/bin/time", "-f", "%M", "-o", rssf] + [
            self.binary(w["prog"], var) if a == "@bin" else a for a in w["argv"]]
        env = dict(os.environ)
        for k in ["HEAL_MODE", "HEAL_POLICY", "HEAL_REPORT_DIR"]:
            env.pop(k, None)
        env["ASAN_OPTIONS"] = "detect_leaks=0"
        outp = os.path.join(self.out, "run.out")
        stdin = open(w["stdin"], "rb") if "stdin" in w else subprocess.DEVNULL
        with open(outp, "wb") as o, open(outp + ".err", "wb") as e:
            t0 = time.perf_counter()
            p = subprocess.Popen(argv, stdin=stdin, stdout=o, stderr=e, env=env,
                                 cwd=self.out)
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            p.returncode = os.waitstatus_to_exitcode(status)
        if stdin is not subprocess.DEVNULL:
            stdin.close()
        if p.returncode != 0:
            err = open(outp + ".err", errors="replace").read()[-1500:]
            raise RunFailed("`%s` exited with status %d; stderr ends:\n\n```\n%s\n```" % (
                " ".join(argv[5:]), p.returncode, err.strip()))
        with open(outp, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        rss = int(open(rssf).read().split()[-1])
        return {"wall": wall * 1000, "cpu": (ru.ru_utime + ru.ru_stime) * 1000,
                "rss": rss, "digest": digest}

    def run_benchmarks(self, progs, variants):
        work = self.workloads(progs)
        runs = self.results["runs"]
        # One untimed run each: warms the caches and checks every variant computes what
        # the baseline computes.
        bad = set()
        for w in work:
            want = None
            runs[w["name"]] = {v: [] for v in variants}
            for var in variants:
                if (w["prog"], var) in self.broken:
                    bad.add((w["name"], var))
                    continue
                try:
                    r = self.run_once(w, var)
                except RunFailed as e:
                    self.fail_run(w, var, bad, str(e))
                    continue
                if w["check"] != "status":
                    if want is None:
                        want = r["digest"]
                    elif r["digest"] != want:
                        self.fail_run(w, var, bad, "its output differs from clang -O2's")
        for rep in range(self.args.reps):
            load = os.getloadavg()[0]
            self.results.setdefault("rep_loads", []).append(round(load, 1))
            log("repetition %d/%d (load %.1f)" % (rep + 1, self.args.reps, load))
            order = variants[rep % len(variants):] + variants[:rep % len(variants)]
            for w in work:
                for var in order:
                    if (w["name"], var) in bad:
                        continue
                    try:
                        r = self.run_once(w, var)
                    except RunFailed as e:
                        self.fail_run(w, var, bad, str(e))
                        runs[w["name"]][var] = []
                        continue
                    del r["digest"]
                    runs[w["name"]][var].append(r)

    def run_counts(self, progs, variants):
        """Instructions executed (callgrind, whole process) on small inputs: immune to the
        load of a shared machine, unlike the timers. Not ASan (valgrind cannot run it) and
        not the Oracle (its guarded slots make valgrind's memory model crawl)."""
        counted = [v for v in variants if v in ("base", "sensor", "patch", "ssp")]
        corpus, mib = self.corpus()
        small = os.path.join(self.out, "corpus-1M")
        if not os.path.exists(small):
            with open(corpus, "rb") as f, open(small, "wb") as o:
                o.write(f.read(1 << 20))
            with open(small, "rb") as i, open(small + ".gz", "wb") as o:
                sh(["gzip", "-6", "-n", "-c"], stdin=i, stdout=o)
        counts = self.results["counts"] = {}
        # Counts of unchanged binaries are kept (a count is exact: no reason to repeat it).
        cache_path = os.path.join(self.out, "counts.json")
        cache = json.load(open(cache_path)) if os.path.exists(cache_path) else {}
        for w in self.workloads(progs, count=True):
            if w["prog"] in ("zlib", "gzip"):
                w["stdin"] = small + (".gz" if "decompress" in w["name"] else "")
                w["name"] = w["name"].replace(" %d MiB" % mib, "")
            counts[w["name"]] = {}
            for var in counted:
                if (w["prog"], var) in self.broken:
                    continue
                digest = file_digest([self.binary(w["prog"], var)])
                # Lua seeds its string hashes from time and addresses, so its counts vary
                # by about 1 % from run to run: the median of 3 runs. The others repeat.
                n = 3 if w["prog"] == "lua" else 1
                c = cache.get(w["name"], {}).get(var)
                if c and c["digest"] == digest and c.get("runs", 1) == n:
                    counts[w["name"]][var] = c["ir"]
                    continue
                argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + [
                    self.binary(w["prog"], var) if a == "@bin" else a for a in w["argv"]]
                irs = []
                for _ in range(n):
                    stdin = open(w["stdin"], "rb") if "stdin" in w else subprocess.DEVNULL
                    r = subprocess.run(argv, stdin=stdin, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True, cwd=self.out)
                    if stdin is not subprocess.DEVNULL:
                        stdin.close()
                    ir = [ln.split(":")[-1].strip() for ln in r.stderr.splitlines() if "Collected :" in ln]
                    if r.returncode == 0 and ir:
                        irs.append(int(ir[-1]))
                if len(irs) == n:
                    ir = int(statistics.median(irs))
                    counts[w["name"]][var] = ir
                    cache.setdefault(w["name"], {})[var] = {"digest": digest, "ir": ir, "runs": n}
                    with open(cache_path, "w") as f:
                        json.dump(cache, f, indent=1)
            log("%s: instructions counted" % w["name"])

    def fail_run(self, w, var, bad, why):
        bad.add((w["name"], var))
        log("%s, %s: FAILED" % (w["name"], var))
        self.failures.append("%s, %s: %s" % (w["name"], VARIANT[var][1], why))

    # --- the whole run ------------------------------------------------------------------
    def main(self):
        a = self.args
        progs = a.programs
        variants = a.variants
        if "base" not in variants:
            raise SystemExit("bench: the base variant is required (ratios are to it)")
        self.results["started"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        self.results["load_start"] = os.getloadavg()
        self.results["variants"] = variants
        self.results["programs"] = progs
        self.results["command"] = " ".join(["bench/real/bench.py"] + sys.argv[1:])
        self.results["reps"] = a.reps
        self.results["scale"] = a.scale
        if not os.access(self.heal_cc, os.X_OK):
            raise SystemExit("bench: %s is not built" % self.heal_cc)
        preps = {}
        for prog in progs:
            preps[prog] = prep = self.prepare(prog)
            for var in variants:
                # SQLite's testfixture (a fourth compile of sqlite3.c) only where tests run
                os.environ["SQLITE_TESTFIXTURE"] = "1" if (var in TESTED and a.tests) else "0"
                b = self.build_one(prog, var, prep)
                self.results["builds"].setdefault(prog, {})[var] = b
                if b.get("failed"):
                    self.broken.add((prog, var))
                else:
                    self.results["sizes"].setdefault(prog, {})[var] = self.size(self.binary(prog, var))
            os.environ.pop("SQLITE_TESTFIXTURE", None)
        # Benchmarks before the (long) test suites, and the results written after each.
        if a.bench:
            self.run_benchmarks(progs, variants)
            self.write(a)
        if a.counts and shutil.which("valgrind"):
            self.run_counts(progs, variants)
            self.write(a)
        if a.tests:
            for prog in progs:
                for var in [v for v in variants if v in TESTED and (prog, v) not in self.broken]:
                    self.results["tests"].setdefault(prog, {})[var] = self.test_one(prog, var, preps[prog])
            self.write(a)
        print(self.md)
        failed = [(p, v) for p, t in self.results["tests"].items() for v, r in t.items()
                  if not test_passed(self.results["tests"][p], v)]
        if failed:
            log("test suites that fail: " + ", ".join("%s/%s" % x for x in failed))
        if self.failures:
            log("%d failure(s), listed under Failures in %s" % (
                len(self.failures), os.path.join(self.out, "results.md")))
        return 1 if failed or self.failures else 0

    def update(self):
        """Completes the results of an earlier run (BUILD/real/results.json): test results
        and instruction counts that are missing or stale are made (the others come from
        their caches), then everything is written again."""
        a = self.args
        self.results = R = json.load(open(os.path.join(self.out, "results.json")))
        self.failures = [f for f in R.get("failures", []) if "build failed" in f]
        a.reps = R["reps"]
        for p, bs in R["builds"].items():
            for v, b in bs.items():
                if b.get("failed"):
                    self.broken.add((p, v))
        if a.tests:
            for prog in R["programs"]:
                prep = self.prepare(prog)
                for var in [v for v in R["variants"] if v in TESTED and (prog, v) not in self.broken]:
                    R["tests"].setdefault(prog, {})[var] = self.test_one(prog, var, prep)
        if a.counts and shutil.which("valgrind"):
            self.run_counts(R["programs"], R["variants"])
        R["updates"] = []  # the last one says it all: it reuses what earlier ones made
        R["updates"].append(
            (" ".join(["bench/real/bench.py"] + sys.argv[1:]),
             time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
             "missing or stale test results and instruction counts"))
        self.write(a)
        print(self.md)
        return 0

    def write(self, a):
        self.results["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        self.results["load_end"] = os.getloadavg()
        self.results["failures"] = self.failures
        with open(os.path.join(self.out, "results.json"), "w") as f:
            json.dump(self.results, f, indent=1)
        self.md = md = self.markdown()
        with open(os.path.join(self.out, "results.md"), "w") as f:
            f.write(md)
        plot = None
        if self.results["runs"]:
            plot = self.plot(os.path.join(os.path.dirname(os.path.abspath(a.doc)), "benchmarks-real.svg")
                             if a.doc else os.path.join(self.out, "benchmarks-real.svg"))
        if a.doc:
            replace_section(a.doc, md, plot)
            log("wrote the Real programs section of %s" % a.doc)

    # --- output -------------------------------------------------------------------------
    def markdown(self):
        R = self.results
        variants = R["variants"]
        labels = [VARIANT[v][1] for v in variants]
        L = []
        L.append("## Real programs\n")
        L.append("*Written by `bench/real/bench.py`; do not edit by hand (rerun `make bench`).*\n")
        L.append(machine_text(R))
        loads = R.get("rep_loads")
        L.append("Command: `%s` (what `make %s` runs), started %s; load average (1 min) at "
                 "the start of each timed repetition: %s — the 2 cores were shared with "
                 "other work.%s\n" % (
                     R["command"], "bench-quick" if self.args.quick else "bench", R["started"],
                     ", ".join("%.1f" % x for x in loads) if loads else "%.1f" % R["load_start"][0],
                     "".join(" Completed by `%s` at %s (%s)." % tuple(u) for u in R.get("updates", []))))
        L.append(VARIANTS_TEXT)
        if R["runs"]:
            L.append("### Time\n")
            L.append("Wall time, median of %d interleaved runs (min–max), after one untimed "
                     "run of each that checks the output equals the baseline's. Ratios are "
                     "medians over the clang -O2 median.\n" % R["reps"])
            L.append("| workload | " + " | ".join(labels) + " |")
            L.append("|---|" + "---|" * len(variants))
            ratios = {v: [] for v in variants}
            for name, per in R["runs"].items():
                if not per["base"]:
                    continue
                bm = statistics.median(x["wall"] for x in per["base"])
                cells = []
                for v in variants:
                    xs = [x["wall"] for x in per[v]]
                    if not xs:
                        cells.append("failed")
                        continue
                    m = statistics.median(xs)
                    ratios[v].append(m / bm)
                    if v == "base":
                        cells.append("%.0f ms (%.0f–%.0f)" % (m, min(xs), max(xs)))
                    else:
                        cells.append("**%.2f×** %.0f ms (%.0f–%.0f)" % (m / bm, m, min(xs), max(xs)))
                L.append("| %s | %s |" % (name, " | ".join(cells)))
            L.append("| geometric mean | " + " | ".join(
                "1.00" if v == "base" else "**%.3f×**" % geomean(ratios[v]) for v in variants) + " |")
            L.append("")
            L.append("CPU time (user + sys), ratio of medians to clang -O2:\n")
            L.append("| workload | clang -O2 ms | " + " | ".join(labels[1:]) + " |")
            L.append("|---|" + "---|" * len(variants))
            cr = {v: [] for v in variants}
            for name, per in R["runs"].items():
                if not per["base"]:
                    continue
                bm = statistics.median(x["cpu"] for x in per["base"])
                cells = ["%.0f" % bm]
                for v in variants[1:]:
                    if not per[v]:
                        cells.append("failed")
                        continue
                    r = statistics.median(x["cpu"] for x in per[v]) / bm
                    cr[v].append(r)
                    cells.append("%.3f" % r)
                L.append("| %s | %s |" % (name, " | ".join(cells)))
            L.append("| geometric mean | | " + " | ".join("%.3f" % geomean(cr[v]) for v in variants[1:]) + " |")
            L.append("")
            L.extend(self.counts_table())
            L.append("### Peak memory\n")
            L.append("Peak resident set size (GNU `time` %M), median, MiB, and the difference to clang -O2:\n")
            L.append("| workload | " + " | ".join(labels) + " |")
            L.append("|---|" + "---|" * len(variants))
            for name, per in R["runs"].items():
                if not per["base"]:
                    continue
                bm = statistics.median(x["rss"] for x in per["base"])
                cells = []
                for v in variants:
                    if not per[v]:
                        cells.append("failed")
                        continue
                    m = statistics.median(x["rss"] for x in per[v])
                    cells.append("%.1f" % (m / 1024) if v == "base" else
                                 "%.1f (%+.0f KiB)" % (m / 1024, m - bm))
                L.append("| %s | %s |" % (name, " | ".join(cells)))
            L.append("")
        L.append("### Binary size and build time\n")
        L.append("Size of the benchmarked binary in KiB: the file, then its code (`size`'s "
                 "text) and the ratio of code to clang -O2's. heal's runtime is a shared "
                 "library and not counted (%s); ASan's runtime is linked statically by clang "
                 "and is counted. Build time is the wall time of configure + make with "
                 "-j%s.\n" % (self.runtime_sizes(), self.jobs))
        L.append("| program, binary | " + " | ".join(labels) + " |")
        L.append("|---|" + "---|" * len(variants))
        for prog in R["programs"]:
            s = R["sizes"].get(prog, {})
            b = s.get("base")
            cells = []
            for v in variants:
                x = s.get(v)
                if x is None or b is None:
                    cells.append("build failed" if x is None else "%.0f, code %.0f" % (
                        x["file"] / 1024, x["text"] / 1024))
                elif v == "base":
                    cells.append("%.0f, code %.0f" % (x["file"] / 1024, x["text"] / 1024))
                else:
                    cells.append("%.0f, code %.0f (%.2f×)" % (x["file"] / 1024, x["text"] / 1024,
                                                             x["text"] / b["text"]))
            L.append("| %s `%s` | %s |" % (prog, PROGRAMS[prog]["binary"], " | ".join(cells)))
        for prog in R["programs"]:
            bs = R["builds"][prog]
            L.append("| %s build, s | %s |" % (prog, " | ".join(
                ("failed after %.0f" if bs[v].get("failed") else "%.0f") % bs[v]["seconds"] + ("" if bs[v].get("jobs", self.jobs) == self.jobs
                                             else " (-j%s)" % bs[v]["jobs"])
                for v in variants)))
        L.append("")
        if "sqlite" in R["programs"] and R.get("tests"):
            L.append("SQLite's builds for the tested variants (%s) also compile `testfixture` "
                     "(sqlite3.c once more, with the test harness), so their build times are "
                     "not comparable with the others'.\n" % ", ".join(
                         VARIANT[v][1] for v in R["variants"] if v in TESTED))
        same = [p for p in R["programs"] if "patch" in R["sizes"].get(p, {}) and "sensor" in R["sizes"][p]
                and R["sizes"][p]["patch"]["text"] == R["sizes"][p]["sensor"]["text"]
                and R["sizes"][p]["patch"]["data"] == R["sizes"][p]["sensor"]["data"]]
        if same:
            L.append("The patch build of %s has exactly the sensor build's code and data sizes: "
                     "heal's patch pipeline did not transform the policy functions in this "
                     "build of heal (patch mode not implemented yet), so its numbers are "
                     "the sensor's.\n" % ", ".join(same))
        L.append("Build times were measured when each build was made (load average then: "
                 "%s); builds are reused while heal and the scripts are unchanged.\n" % ", ".join(
                     "%s %s %.1f" % (p, v, R["builds"][p][v].get("loadavg", float("nan")))
                     for p in R["programs"] for v in variants if v in ("base", "sensor")))
        if R["tests"]:
            L.append("### Test suites\n")
            L.append("| program | suite | " + " | ".join(VARIANT[v][1] for v in variants if v in TESTED) + " |")
            L.append("|---|---|" + "---|" * len([v for v in variants if v in TESTED]))
            for prog, t in R["tests"].items():
                cells = []
                for v in [v for v in variants if v in TESTED]:
                    if v not in t:
                        cells.append("—")
                        continue
                    r = t[v]
                    verdict = "pass" if test_passed(t, v) else "**FAIL**"
                    if r.get("failures") and test_passed(t, v):
                        verdict = ("known failures only" if v == "base"
                                   else "pass (the baseline's failures)")
                    cells.append("%s: %s (%.0f s)" % (verdict, r["summary"], r["seconds"]))
                L.append("| %s | %s | %s |" % (prog, SUITES[prog], " | ".join(cells)))
            L.append("")
            L.append(TESTS_TEXT)
            base_fail = R["tests"].get("sqlite", {}).get("base", {}).get("failures")
            if base_fail:
                L.append("SQLite's `extraquick.test` fails %d test(s) with plain clang -O2 as "
                         "well; a heal build passes when it fails exactly those:\n" % len(base_fail))
                for t in base_fail:
                    L.append("- `%s`: %s" % (t, SQLITE_KNOWN.get(t, "(not analysed)")))
                L.append("")
        reading = os.path.join(HERE, "reading.md")
        if os.path.exists(reading) and not self.args.quick:
            L.append(open(reading).read())
        if R.get("failures"):
            L.append("### Failures\n")
            L.append("What failed in this run (a heal bug when the variant is heal's):\n")
            for f in R["failures"]:
                L.append("- " + f.replace("\n", "\n  ").replace("\n  \n", "\n\n"))
            L.append("")
        return "\n".join(L) + "\n"

    def plot(self, svg):
        R = self.results
        data = os.path.join(self.out, "plot.dat")
        variants = [v for v in R["variants"] if v != "base"]
        with open(data, "w") as f:
            f.write("workload " + " ".join('"%s"' % VARIANT[v][1] for v in variants) + "\n")
            for name, per in R["runs"].items():
                if not per["base"]:
                    continue
                bm = statistics.median(x["wall"] for x in per["base"])
                f.write('"%s" ' % name + " ".join(
                    "%.4f" % (statistics.median(x["wall"] for x in per[v]) / bm) if per[v] else "NaN"
                    for v in variants) + "\n")
        if not shutil.which("gnuplot"):
            log("gnuplot not found (install gnuplot-nox): no plot")
            return None
        sh(["gnuplot", "-e", "datafile='%s'; outfile='%s'; ncols=%d" % (data, svg, len(variants) + 1),
            os.path.join(HERE, "plot.gp")])
        return svg


SUITES = {
    "lua": "`make test`, `basic.lua`, checksums",
    "sqlite": "testfixture `extraquick.test`",
    "zlib": "`make test`",
    "gzip": "`make check`",
}

VARIANTS_TEXT = """Each program is a Debian 12 source package (`apt-get source` by
`utils/fetch-source.sh`), built by its own build system with only the compiler and flags
changed (`bench/real/PROGRAM.sh`):

| variant | CC | flags added to -O2 |
|---|---|---|
| clang -O2 | clang 19 | — (the baseline) |
| heal-cc sensor | heal-cc, `HEAL_MODE=sensor` | — |
| heal-cc Oracle | heal-cc, `HEAL_MODE=oracle` | — |
| heal-cc patch | heal-cc, `HEAL_POLICY=bench/real/policies/PROGRAM.json` (functions off the hot path) | — |
| clang ASan | clang 19 | `-fsanitize=address` (and at link); runs with `ASAN_OPTIONS=detect_leaks=0` |
| clang SSP+FORTIFY | clang 19 | `-fstack-protector-strong -D_FORTIFY_SOURCE=2` |

Workloads: Lua runs CPU-bound scripts from `bench/real/lua/` (recursive calls, allocation
and GC, floating point, closures, permutations, string library, sorting with a Lua
comparator); SQLite runs its own `speedtest1 --memdb`; zlib's `minigzip` and gzip compress
(level 6) and decompress a deterministic corpus from `bench/real/gen-corpus.py` (prose,
logs, CSV, C-like code and 1/16 random bytes).

`make check` builds Lua the same way with heal-cc (`test/real/lua.test`): its basic tests
pass, a real Lua 5.4.4 bug (C-stack overflow in nested `coroutine.close`, fixed upstream in
5.4.5) ends in a heal `stack-overflow` report naming the recursion, and the Oracle rebuilt
from the binary's embedded bitcode passes the same tests.
"""

TESTS_TEXT = """Lua's own test suite is not part of the Debian source package (upstream
distributes it separately), so the Lua row is upstream's `make test` (`lua -v`),
`bench/real/lua/basic.lua` (57 checks over the language and every standard library,
including a caught Lua stack overflow, coroutines, finalizers, `string.dump`/`load`, io and
os) and every benchmark script at 2 % of its work against checksums from a clang build.
SQLite's suite refuses to run as root, so as root it runs in a user namespace
(`unshare -U`: uid 65534 without capabilities over the files). For the Oracle it runs with
`OMIT_MISUSE=1`, as it runs itself under ASan: the `*-misuse` tests call the API on
handles already freed (e.g. `capi3-3.6.1-misuse` closes a closed database); the Oracle
stops them with a correct `use-after-free` report (read at offset 121 of a freed 784-byte
block, in `sqlite3SafetyCheckSickOrOk` < `sqlite3Close` < `sqlite3_close`).
"""

# Why the baseline fails some SQLite tests here (checked on the clang -O2 build).
SQLITE_KNOWN = {
    "io-5.5": "with a 16 KiB sector size it expects the default page size capped at 8192 "
              "and gets 16384: Debian's patch 31 raises SQLITE_MAX_DEFAULT_PAGE_SIZE to 32768",
    "oserror-1.4.1": "expects opening `/root/test.db` to fail as a normal user; in the user "
                     "namespace the process still owns root's files, so it succeeds",
    "oserror-1.4.2": "the error-log half of the same test",
}


def sqlite_failures(text):
    for ln in text.splitlines():
        if ln.startswith("!Failures on these tests:"):
            return sorted(ln.split(":", 1)[1].split())
    return []


def test_passed(t, v):
    r = t[v]
    if r["ok"]:
        return True
    # The baseline: only failures explained by this environment (SQLITE_KNOWN).
    if v == "base" and r.get("failures"):
        return set(r["failures"]) <= set(SQLITE_KNOWN)
    # SQLite: the same failures as the baseline's are the environment's, not heal's.
    if "failures" in r and "base" in t and v != "base":
        return bool(r["failures"]) and r["failures"] == t["base"].get("failures")
    return False


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def machine_text(R):
    cpu = "?"
    try:
        for ln in open("/proc/cpuinfo"):
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for ln in open("/proc/meminfo"):
            if ln.startswith("MemTotal"):
                mem = int(ln.split()[1]) / (1 << 20)
    except OSError:
        pass
    clang = subprocess.run([CLANG, "--version"], stdout=subprocess.PIPE, text=True).stdout.splitlines()[0]
    return "Machine: %s, %d cores, %.0f GiB RAM, Linux %s; %s.\n" % (
        cpu, os.cpu_count(), mem, platform.release(), clang)


def replace_section(path, md, plot):
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    if plot:
        rel = os.path.relpath(plot, os.path.dirname(os.path.abspath(path)))
        md = md.replace("### Time\n", "### Time\n\n![Time relative to clang -O2](%s)\n" % rel, 1)
    lines = text.split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.strip() == "## Real programs"), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + md
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        new = "\n".join(lines[:start]) + "\n" + md + ("\n" + "\n".join(lines[end:]) if end < len(lines) else "")
    with open(path, "w") as f:
        f.write(new.rstrip("\n") + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("build")
    p.add_argument("--quick", action="store_true", help="Lua and zlib, 3 runs, 25 %% work")
    p.add_argument("--reps", type=int)
    p.add_argument("--scale", type=int, help="work per run in percent (default 100)")
    p.add_argument("--programs")
    p.add_argument("--variants")
    p.add_argument("--no-tests", dest="tests", action="store_false")
    p.add_argument("--no-bench", dest="bench", action="store_false")
    p.add_argument("--rebuild", action="store_true")
    p.add_argument("--retest", action="store_true", help="rerun tests of reused builds")
    p.add_argument("--doc")
    p.add_argument("--no-counts", dest="counts", action="store_false",
                   help="skip the callgrind instruction counts")
    p.add_argument("--update", action="store_true",
                   help="complete BUILD/real/results.json of an earlier run (missing or stale "
                        "tests and counts) and write it again")
    a = p.parse_args()
    a.reps = a.reps or (3 if a.quick else 5)
    a.scale = a.scale or (25 if a.quick else 100)
    a.programs = a.programs.split(",") if a.programs else (
        ["lua", "zlib"] if a.quick else list(PROGRAMS))
    a.variants = a.variants.split(",") if a.variants else [v[0] for v in VARIANTS]
    for x in a.programs:
        if x not in PROGRAMS:
            p.error("unknown program %s" % x)
    for x in a.variants:
        if x not in VARIANT:
            p.error("unknown variant %s" % x)
    if a.quick:
        a.counts = False
    b = Bench(a)
    if a.update:
        return b.update()
    return b.main()


if __name__ == "__main__":
    sys.exit(main())
