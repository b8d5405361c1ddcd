/* memory.c - see memory.h. */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS and madvise besides POSIX */
#include "memory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HEADER ((size_t)64)      /* before every block: keeps 64-byte alignment */
#define BIG    ((size_t)4 << 20) /* blocks from this size on are mapped */
#define HUGE   ((size_t)2 << 20) /* the huge page size the mappings are aligned to */

typedef struct header {
    size_t capacity; /* bytes usable after the header; 0 for a malloc'd block */
    size_t size;     /* bytes asked for */
} header;

static header *header_of(void *ptr) { return (header *)(void *)((char *)ptr - HEADER); }

#if defined(MAP_ANONYMOUS)
static void *map_big(size_t size) {
    const size_t total = (size + HEADER + HUGE - 1) / HUGE * HUGE;
    char *raw = mmap(NULL, total + HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return NULL;
    char *start = (char *)(((uintptr_t)raw + HUGE - 1) / HUGE * HUGE);
    if (start > raw) munmap(raw, (size_t)(start - raw));
    if (start + total < raw + total + HUGE)
        munmap(start + total, (size_t)(raw + total + HUGE - (start + total)));
#if defined(MADV_HUGEPAGE)
    madvise(start, total, MADV_HUGEPAGE);
#endif
    header *h = (header *)(void *)start;
    h->capacity = total - HEADER;
    return start + HEADER;
}

static void unmap_big(void *ptr) {
    header *h = header_of(ptr);
    munmap(h, h->capacity + HEADER);
}
#else
static void *map_big(size_t size) {
    header *h = malloc(size + HEADER);
    if (h == NULL) return NULL;
    h->capacity = size;
    return (char *)h + HEADER;
}
static void unmap_big(void *ptr) { free(header_of(ptr)); }
#endif

void *cli_mem_alloc(size_t size) {
    if (size < BIG) {
        header *h = malloc(size + HEADER);
        if (h == NULL) return NULL;
        h->capacity = 0;
        h->size = size;
        return (char *)h + HEADER;
    }
    void *ptr = map_big(size);
    if (ptr == NULL) return NULL;
    header_of(ptr)->size = size;
    return ptr;
}

void cli_mem_free(void *ptr) {
    if (ptr == NULL) return;
    header *h = header_of(ptr);
    if (h->capacity == 0)
        free(h);
    else
        unmap_big(ptr);
}

void *cli_mem_realloc(void *ptr, size_t size) {
    if (ptr == NULL) return cli_mem_alloc(size);
    header *h = header_of(ptr);
    if (h->capacity >= size) {
        h->size = size;
        return ptr;
    }
    void *p = cli_mem_alloc(size);
    if (p == NULL) return NULL;
    memcpy(p, ptr, h->size < size ? h->size : size);
    cli_mem_free(ptr);
    return p;
}

static void *hook_alloc(void *opaque, size_t size) {
    (void)opaque;
    return cli_mem_alloc(size);
}

static void hook_free(void *opaque, void *ptr) {
    (void)opaque;
    cli_mem_free(ptr);
}

crm_allocator cli_mem_allocator(void) {
    crm_allocator a;
    a.alloc = hook_alloc;
    a.free = hook_free;
    a.opaque = NULL;
    return a;
}
