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
    const char *what;
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
        fprintf(stderr, "\r\033[Kcrmkit: %s %3.0f%%", progress.what,
                100.0 * (double)done / (double)progress.total);
    else
        fprintf(stderr, "\r\033[Kcrmkit: %s ...", progress.what);
    fflush(stderr);
    progress.shown = 1;
}

void cli_progress_stage(const char *what, uint64_t total) {
    if (!progress.enabled) return;
    progress.what = what;
    progress.total = total;
    progress.last = 0;
    draw(0);
}

void cli_progress_update(uint64_t done) {
    if (progress.enabled) draw(done);
}

int cli_cpu_count(void) {
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}
