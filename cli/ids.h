/* ids.h - customer ids that are not integers ("C-00017", e-mail addresses,
 * "00017" with its zeros) mapped to integer keys for the library, and the
 * labels kept to write them back as they came. */
#ifndef CRMKIT_CLI_IDS_H
#define CRMKIT_CLI_IDS_H

#include <stddef.h>
#include <stdint.h>

typedef struct cli_ids cli_ids;

cli_ids *ids_new(void);
void ids_free(cli_ids *ids);

/* The key of the label of len bytes, a new key (the count so far) when the
 * label is new. 1 on success, 0 when memory runs out. */
int ids_intern(cli_ids *ids, const char *label, size_t len, uint64_t *key);

/* Number of labels, and the label of a key (NUL-terminated; NULL for a key
 * that is not one). */
size_t ids_count(const cli_ids *ids);
const char *ids_label(const cli_ids *ids, uint64_t key);

/* Renumber the keys in the byte order of their labels, so that the
 * library's rows (sorted by key) come out sorted by label. Returns the map
 * from old to new keys (ids_count entries, owned by the caller: free()), or
 * NULL when memory runs out. */
uint64_t *ids_sort(cli_ids *ids);

#endif /* CRMKIT_CLI_IDS_H */
