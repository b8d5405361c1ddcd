/* progress.c - progress on standard error, shown only when it is a terminal
 * and the run has lasted more than a second, redrawn at most five times a
 * second, and erased before anything else is printed. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static struct {
    int enabled;
    int shown; /* a line is on the terminal */
    double start, last;
    const char *verb, *what;
    uint64_t total;
} progress;

double cli_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double cli_cpu_seconds(void) { return (double)clock() / CLOCKS_PER_SEC; }

void cli_progress_enable(int enabled) {
    progress.enabled = enabled && isatty(STDERR_FILENO);
    progress.start = cli_seconds();
    progress.last = 0;
}

void cli_progress_clear(void) {
    if (!progress.shown) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    progress.shown = 0;
}

static void draw(uint64_t done) {
    const double now = cli_seconds();
    if (now - progress.start < 1.0 || now - progress.last < 0.2) return;
    progress.last = now;
    if (progress.total > 0 && done <= progress.total)
        fprintf(stderr, "\r\033[Kcrmkit: %s %s %3.0f%%", progress.verb, progress.what,
                100.0 * (double)done / (double)progress.total);
    else
        fprintf(stderr, "\r\033[Kcrmkit: %s %s ...", progress.verb, progress.what);
    fflush(stderr);
    progress.shown = 1;
}

void cli_progress_stage(const char *verb, const char *what, uint64_t total) {
    if (!progress.enabled) return;
    progress.verb = verb;
    progress.what = what;
    progress.total = total;
    draw(0);
}

void cli_progress_update(uint64_t done) {
    if (progress.enabled) draw(done);
}

int cli_cpu_count(void) {
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* The library's stages and fits, as they report. */
static int library_progress(void *opaque, int phase, int64_t done, int64_t total) {
    const char *name = crm_enum_name(CRM_ENUM_PHASE, phase);
    (void)opaque;
    if (!progress.enabled) return 0;
    if (phase == CRM_PHASE_FIT) {
        cli_progress_stage("fitting the model:", "likelihood evaluations", 0);
    } else {
        cli_progress_stage("analysing:", name ? name : "", (uint64_t)total);
        cli_progress_update((uint64_t)done);
    }
    return 0;
}

void cli_progress_attach(crm_config *config) {
    crm_config_set_progress(config, library_progress, NULL, NULL);
}
