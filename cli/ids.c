/* ids.c - see ids.h. An open-addressing hash table over labels kept in
 * large blocks. */
#include "ids.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_BYTES ((size_t)1 << 20)

typedef struct label {
    const char *text;
    size_t len;
} label;

typedef struct block {
    struct block *next;
    size_t used, cap;
    char data[1];
} block;

struct cli_ids {
    label *labels; /* by key */
    size_t count, cap;
    uint32_t *slots;  /* key + 1, 0 for an empty slot */
    uint32_t *hashes; /* the label hashes of the slots' keys, to skip most comparisons */
    size_t nslots;    /* a power of two */
    block *blocks;
};

static uint64_t hash_bytes(const char *s, size_t len) {
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (len * 0xFF51AFD7ED558CCDULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
        h ^= h >> 29;
        s += 8;
        len -= 8;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < len; i++) w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
    h *= 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 29);
}

cli_ids *ids_new(void) { return calloc(1, sizeof(cli_ids)); }

void ids_free(cli_ids *ids) {
    if (ids == NULL) return;
    for (block *b = ids->blocks, *next; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    free(ids->labels);
    free(ids->slots);
    free(ids->hashes);
    free(ids);
}

static char *store(cli_ids *ids, const char *text, size_t len) {
    block *b = ids->blocks;
    if (b == NULL || b->cap - b->used < len + 1) {
        const size_t cap = len + 1 > BLOCK_BYTES ? len + 1 : BLOCK_BYTES;
        b = malloc(offsetof(block, data) + cap);
        if (b == NULL) return NULL;
        b->next = ids->blocks;
        b->used = 0;
        b->cap = cap;
        ids->blocks = b;
    }
    char *s = b->data + b->used;
    memcpy(s, text, len);
    s[len] = '\0';
    b->used += len + 1;
    return s;
}

/* Put key into the table (which has room). */
static void place(cli_ids *ids, uint32_t key, uint32_t hash) {
    size_t i = hash & (ids->nslots - 1);
    while (ids->slots[i] != 0) i = (i + 1) & (ids->nslots - 1);
    ids->slots[i] = key + 1;
    ids->hashes[i] = hash;
}

static int rehash(cli_ids *ids, size_t nslots) {
    uint32_t *slots = calloc(nslots, sizeof *slots);
    uint32_t *hashes = malloc(nslots * sizeof *hashes);
    if (slots == NULL || hashes == NULL) {
        free(slots);
        free(hashes);
        return 0;
    }
    free(ids->slots);
    free(ids->hashes);
    ids->slots = slots;
    ids->hashes = hashes;
    ids->nslots = nslots;
    for (size_t k = 0; k < ids->count; k++)
        place(ids, (uint32_t)k, (uint32_t)hash_bytes(ids->labels[k].text, ids->labels[k].len));
    return 1;
}

int ids_intern(cli_ids *ids, const char *text, size_t len, uint64_t *key) {
    if ((ids->count + 1) * 2 > ids->nslots && !rehash(ids, ids->nslots ? ids->nslots * 2 : 1024)) return 0;
    const uint32_t hash = (uint32_t)hash_bytes(text, len);
    size_t i = hash & (ids->nslots - 1);
    while (ids->slots[i] != 0) {
        if (ids->hashes[i] == hash) {
            const label *l = &ids->labels[ids->slots[i] - 1];
            if (l->len == len && memcmp(l->text, text, len) == 0) {
                *key = ids->slots[i] - 1;
                return 1;
            }
        }
        i = (i + 1) & (ids->nslots - 1);
    }
    if (ids->count >= UINT32_MAX - 1) return 0;
    if (ids->count == ids->cap) {
        const size_t cap = ids->cap ? ids->cap * 2 : 1024;
        label *labels = realloc(ids->labels, cap * sizeof *labels);
        if (labels == NULL) return 0;
        ids->labels = labels;
        ids->cap = cap;
    }
    char *s = store(ids, text, len);
    if (s == NULL) return 0;
    ids->labels[ids->count].text = s;
    ids->labels[ids->count].len = len;
    ids->slots[i] = (uint32_t)ids->count + 1;
    ids->hashes[i] = hash;
    *key = ids->count++;
    return 1;
}

size_t ids_count(const cli_ids *ids) { return ids->count; }

const char *ids_label(const cli_ids *ids, uint64_t key) {
    return key < ids->count ? ids->labels[key].text : NULL;
}

typedef struct ranked {
    label l;
    size_t key;
} ranked;

static int by_label(const void *a, const void *b) {
    const label *x = &((const ranked *)a)->l, *y = &((const ranked *)b)->l;
    const int c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
    if (c != 0) return c;
    return (x->len > y->len) - (x->len < y->len);
}

uint64_t *ids_sort(cli_ids *ids) {
    const size_t n = ids->count;
    ranked *order = malloc((n ? n : 1) * sizeof *order);
    uint64_t *map = malloc((n ? n : 1) * sizeof *map);
    if (order == NULL || map == NULL) {
        free(order);
        free(map);
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        order[k].l = ids->labels[k];
        order[k].key = k;
    }
    qsort(order, n, sizeof *order, by_label);
    for (size_t r = 0; r < n; r++) {
        map[order[r].key] = r;
        ids->labels[r] = order[r].l;
    }
    free(order);
    if (!rehash(ids, ids->nslots ? ids->nslots : 1024)) {
        free(map);
        return NULL;
    }
    return map;
}
