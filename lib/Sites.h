// Buffer sites (struct heal_buffer_site of heal.h): what the guard passes tell the runtime
// about each buffer, so a report can name it.
//
// A guard pass creates one private constant @heal.site[.N] per buffer and passes its
// address to the runtime call that guards the buffer. The registration pass, which runs
// last, gathers them (in module order) into the module's table @heal.sites and points the
// descriptor at it; each call then refers to its entry in the table. Run without the
// registration pass (opt -passes=heal-guard) the sites simply stay separate.
#ifndef HEAL_LIB_SITES_H
#define HEAL_LIB_SITES_H

#include "Runtime.h"

#include <cstdint>
#include <string>
#include <utility>

namespace heal {

inline constexpr const char *SiteName = "heal.site";
inline constexpr const char *SiteTableName = "heal.sites";
// Buffer name when neither debug info nor the IR names it.
inline constexpr const char *UnnamedBuffer = "<unnamed>";

struct SiteInfo {
  std::string Function; // owning function's source name ("" for globals)
  std::string Buffer;   // variable name
  std::string File;     // declaration file, "" if unknown
  unsigned Line = 0;    // declaration line, 0 if unknown
  uint32_t Flags = 0;   // HEAL_SITE_*
  uint64_t Size = 0;    // declared size, 0 if dynamic
};

llvm::GlobalVariable *createSite(RuntimeAPI &RT, const SiteInfo &S);

// Moves every @heal.site[.N] into one array @heal.sites. Returns the table (null if there
// are no sites) and the number of entries.
std::pair<llvm::Constant *, unsigned> buildSiteTable(RuntimeAPI &RT);

} // namespace heal

#endif
