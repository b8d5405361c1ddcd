/* version.c - the library's runtime version. */
#include "core/core.h"

int crm_version(void) { return CRM_VERSION_NUMBER; }

#define CRM_STR2(x) #x
#define CRM_STR(x)  CRM_STR2(x)
const char *crm_version_string(void) {
    return CRM_STR(CRM_VERSION_MAJOR) "." CRM_STR(CRM_VERSION_MINOR) "." CRM_STR(CRM_VERSION_PATCH);
}
