/* Hand-written Oracle instrumentation for runtime tests (what the passes emit, spelled
 * out): FUNCTION(f) declares f's shadow-stack descriptor, ENTER(f)/LEAVE() bracket its
 * body, SITE(f, buf, size, line) declares a stack buffer site, and ORACLE_MODULE registers
 * a module in oracle mode so reports say "mode": "oracle". */
#ifndef ORACLE_TEST_H
#define ORACLE_TEST_H
#include "heal/heal.h"

#define FUNCTION(f) static const struct heal_function fn_##f = {#f, "prog.c", __LINE__, 0}
#define ENTER(f) uint32_t heal_depth_ = __heal_enter(&fn_##f)
#define LEAVE() __heal_exit(heal_depth_)
#define SITE(f, buf, size, line) \
  static const struct heal_buffer_site site_##f##_##buf = {#f, #buf, "prog.c", line, HEAL_SITE_STACK, size}
#define STACK_BUF(f, buf, size, align) __heal_stack_alloc(size, align, &site_##f##_##buf)

#define ORACLE_MODULE                                                                   \
  static const struct heal_module oracle_module_ = {HEAL_ABI_VERSION, HEAL_MODE_ORACLE, \
                                                    "prog.c", 0, 0, 0};                 \
  __attribute__((constructor)) static void oracle_register_(void) {                    \
    __heal_register_module(&oracle_module_);                                            \
  }
#endif
