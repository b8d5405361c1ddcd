/* memory.h - the big arrays of the command and of the analysis (columns of
 * millions of records, the result table, the library's work arrays): mapped
 * with transparent huge pages where the system has them, so that filling
 * them costs a page fault per 2 MiB instead of per 4 KiB (a tenth of the
 * run's system time on 10 million records). Small blocks come from malloc. */
#ifndef CRMKIT_CLI_MEMORY_H
#define CRMKIT_CLI_MEMORY_H

#include <stddef.h>

#include "crmkit.h"

void *cli_mem_alloc(size_t size);
void *cli_mem_realloc(void *ptr, size_t size);
void cli_mem_free(void *ptr);

/* These functions as the library's allocator hooks. */
crm_allocator cli_mem_allocator(void);

#endif /* CRMKIT_CLI_MEMORY_H */
