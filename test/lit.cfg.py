# lit configuration for heal's tests. Paths come from lit.site.cfg.py (configured by CMake).
import os
import shutil

import lit.formats

config.name = "heal"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll", ".c", ".test", ".sh"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)

# A hang must fail its test, not stall CI. lit enforces timeouts only with psutil
# (Debian's python3-psutil, installed by utils/install-deps.sh).
try:
    import psutil  # noqa: F401
    lit_config.maxIndividualTestTime = 300
except ImportError:
    lit_config.note("psutil is missing: tests run without a time limit")

# Tests see the build tree's tools first, then LLVM 19's (FileCheck, not, opt, clang).
path = os.pathsep.join([config.heal_bin_dir, config.llvm_tools_dir,
                        config.environment.get("PATH", os.environ.get("PATH", ""))])
config.environment["PATH"] = path
for var in ["HOME", "TMPDIR", "LANG"]:
    if var in os.environ:
        config.environment[var] = os.environ[var]
# A test's behaviour must not depend on the caller's heal settings.
for var in ["HEAL_MODE", "HEAL_POLICY", "HEAL_REPORT_DIR", "HEAL_PASSTHROUGH", "HEAL_HOME"]:
    config.environment.pop(var, None)

utils = os.path.join(config.heal_src_root, "utils")
plugin = os.path.join(config.heal_lib_dir, "libHealPasses.so")
config.substitutions.append(("%heal_cc", os.path.join(config.heal_bin_dir, "heal-cc")))
config.substitutions.append(("%heal_bin", os.path.join(config.heal_bin_dir, "heal")))
config.substitutions.append(("%plugin", plugin))
config.substitutions.append(("%opt_heal", "%s -load-pass-plugin=%s" % (config.heal_opt, plugin)))
config.substitutions.append(("%clang", config.heal_clang))
config.substitutions.append(("%rtdir", config.heal_lib_dir))
config.substitutions.append(("%srcroot", config.heal_src_root))
config.substitutions.append(("%python", "python3"))
# %expect_crash SIG cmd...: passes iff cmd dies from signal SIG (no core dump noise).
config.substitutions.append(("%expect_crash", "python3 %s" % os.path.join(utils, "expect-crash.py")))
# %report DIR: prints the single JSON report in DIR as sorted `key: value` lines.
config.substitutions.append(("%report", "python3 %s" % os.path.join(utils, "report.py")))

config.available_features.add("x86_64" if os.uname().machine == "x86_64" else os.uname().machine)
for tool in ["cmake", "make", "autoconf"]:
    if shutil.which(tool):
        config.available_features.add(tool)
