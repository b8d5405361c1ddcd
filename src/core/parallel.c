/* parallel.c - running a stage's tasks: on the caller's runner, on threads
 * of the library's own (POSIX threads, when built with CRM_THREADS), or one
 * after the other. Tasks write disjoint outputs that the stage merges in a
 * fixed order, so results never depend on this choice. */
#if defined(CRM_HAVE_PTHREADS)
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#endif

#include "core/core.h"

int crm_threads_available(void) {
#if defined(CRM_HAVE_PTHREADS)
    return 1;
#else
    return 0;
#endif
}

static size_t own_threads(const crm_config *c) {
#if defined(CRM_HAVE_PTHREADS)
    return (size_t)crm__opt_int(c, CRM_OPTION_THREADS);
#else
    (void)c;
    return 1;
#endif
}

size_t crm__workers(const crm_config *c) { return c->runner.run ? c->runner.workers : own_threads(c); }

#if defined(CRM_HAVE_PTHREADS)
/* Worker w of n runs tasks w, w + n, w + 2n, ...: the stages make tasks of
 * equal size, so a static split needs no shared counter. */
typedef struct worker {
    crm_task task;
    void *arg;
    size_t first, step, count;
} worker;

static void *work(void *p) {
    const worker *w = p;
    for (size_t i = w->first; i < w->count; i += w->step) w->task(w->arg, i);
    return NULL;
}
#endif

void crm__parallel(const crm_config *c, size_t count, crm_task task, void *arg) {
    if (c->runner.run && count > 1) {
        c->runner.run(c->runner.opaque, count, task, arg);
        return;
    }
#if defined(CRM_HAVE_PTHREADS)
    size_t n = own_threads(c) < count ? own_threads(c) : count;
    if (n > 1) {
        enum { MAX_THREADS = 256 };
        pthread_t threads[MAX_THREADS];
        worker workers[MAX_THREADS];
        size_t started = 0;
        for (size_t w = 0; w < n; w++) {
            workers[w].task = task;
            workers[w].arg = arg;
            workers[w].first = w;
            workers[w].step = n;
            workers[w].count = count;
        }
        /* Worker 0 runs on the calling thread; a thread that cannot be made
         * leaves its share to the calling thread. */
        for (size_t w = 1; w < n; w++)
            if (pthread_create(&threads[started], NULL, work, &workers[w]) == 0)
                started++;
            else
                work(&workers[w]);
        work(&workers[0]);
        for (size_t t = 0; t < started; t++) pthread_join(threads[t], NULL);
        return;
    }
#endif
    for (size_t i = 0; i < count; i++) task(arg, i);
}
