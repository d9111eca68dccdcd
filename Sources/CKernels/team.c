// A small team of persistent helper threads for one training run (ThreadTeam in NNEngine).
//
// Why not Dispatch's concurrentPerform: a training step of a large network (784-800-10, batch 100) has
// a dozen parallel regions of 10–300 µs each. Handing work to a parked thread costs a futex wake-up
// (tens of µs in a KVM guest), and a region waits for its slowest task, so regions of that size gained
// little or nothing on two threads (784-500-300-10 ran slower). Here helpers spin briefly between
// regions (a step's next region usually comes within microseconds), yield, and only then park on a
// condition variable; tasks are claimed one at a time from a shared counter, so the calling thread
// does all of them itself when a helper is late (descheduled on a busy machine) instead of waiting.
//
// Which thread runs which task never changes what a task computes: callers give every task disjoint
// memory to write, so the bits cannot depend on the team.
//
// Protocol (all atomics sequentially consistent; regions are far apart in time compared with them):
// - `gen` is even while a job is published and odd while the caller rewrites the job's fields.
// - A helper that sees a new even `gen` enters by incrementing `inflight`, then re-reads `gen`; if it
//   changed it leaves (decrement) and retries. Inside, the fields cannot change: the caller rewrites
//   them only after making `gen` odd and seeing `inflight` at 0 (a Dekker pair: either the helper sees
//   the odd `gen`, or the caller sees the helper inside and waits for it to leave).
// - Tasks are claimed with fetch_add on `next`; the caller returns when `done` reaches the task count.
#include "CKernels.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NN_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define NN_PAUSE() __asm__ __volatile__("yield")
#else
#define NN_PAUSE() ((void)0)
#endif

enum { MAX_HELPERS = 15 };
// A helper spins (pause) ~0.1 ms after its last task, then yields the CPU in a loop until ~1 ms,
// then parks. Between the regions of one training step the gap is tens of microseconds; between
// epochs (evaluation, result files) it may be long, and a parked helper costs nothing.
static const long SPIN_NS = 100000, IDLE_NS = 1000000;

struct nn_team {
    int helpers;
    pthread_t threads[MAX_HELPERS];
    _Atomic unsigned long gen;
    _Atomic long inflight;
    _Atomic long next, done;
    _Atomic int stop;
    // The job (stable while gen is even and a helper is inside).
    nn_task_fn fn;
    void *ctx;
    long tasks;
    int allowed;            // helpers that may join this job (threads − 1)
    _Atomic int joined;     // helpers that joined it
    // Parking.
    pthread_mutex_t lock;
    pthread_cond_t wake;
    _Atomic int sleepers;
};

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

static void run_tasks(nn_team *t, nn_task_fn fn, void *ctx, long tasks) {
    for (;;) {
        long i = atomic_fetch_add(&t->next, 1);
        if (i >= tasks) return;
        fn(ctx, i);
        atomic_fetch_add(&t->done, 1);
    }
}

static void *helper_main(void *arg) {
    nn_team *t = arg;
    unsigned long seen = atomic_load(&t->gen);
    for (;;) {
        // Wait for a new job: spin, then yield, then park.
        long start = now_ns();
        unsigned long g;
        unsigned spins = 0;
        for (;;) {
            if (atomic_load(&t->stop)) return NULL;
            g = atomic_load(&t->gen);
            if (g != seen && (g & 1) == 0) break;
            if ((++spins & 63) != 0) { NN_PAUSE(); continue; }
            long waited = now_ns() - start;
            if (waited < SPIN_NS) continue;
            if (waited < IDLE_NS) { sched_yield(); continue; }
            pthread_mutex_lock(&t->lock);
            atomic_fetch_add(&t->sleepers, 1);
            for (;;) {
                if (atomic_load(&t->stop)) break;
                g = atomic_load(&t->gen);
                if (g != seen && (g & 1) == 0) break;
                pthread_cond_wait(&t->wake, &t->lock);
            }
            atomic_fetch_sub(&t->sleepers, 1);
            pthread_mutex_unlock(&t->lock);
            start = now_ns();
        }
        seen = g;
        atomic_fetch_add(&t->inflight, 1);
        if (atomic_load(&t->gen) != g) { atomic_fetch_sub(&t->inflight, 1); continue; }
        // Only `allowed` helpers join (the run's thread budget may be below the team's size).
        if (atomic_fetch_add(&t->joined, 1) < t->allowed) run_tasks(t, t->fn, t->ctx, t->tasks);
        atomic_fetch_sub(&t->inflight, 1);
    }
}

nn_team *nn_team_create(int helpers) {
    if (helpers < 0) helpers = 0;
    if (helpers > MAX_HELPERS) helpers = MAX_HELPERS;
    nn_team *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    atomic_init(&t->gen, 0);
    atomic_init(&t->inflight, 0);
    atomic_init(&t->next, 0);
    atomic_init(&t->done, 0);
    atomic_init(&t->stop, 0);
    atomic_init(&t->joined, 0);
    atomic_init(&t->sleepers, 0);
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, NULL);
    int started = 0;
    for (; started < helpers; started++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 1 << 20);
        int rc = pthread_create(&t->threads[started], &attr, helper_main, t);
        pthread_attr_destroy(&attr);
        if (rc != 0) break;   // fewer helpers: still correct, the caller runs what they would have
    }
    t->helpers = started;
    return t;
}

int nn_team_helpers(const nn_team *t) { return t ? t->helpers : 0; }

void nn_team_destroy(nn_team *t) {
    if (!t) return;
    pthread_mutex_lock(&t->lock);
    atomic_store(&t->stop, 1);
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
    for (int i = 0; i < t->helpers; i++) pthread_join(t->threads[i], NULL);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

void nn_team_run(nn_team *t, int threads, long tasks, nn_task_fn fn, void *ctx) {
    if (tasks <= 0) return;
    int allowed = t ? threads - 1 : 0;
    if (t && allowed > t->helpers) allowed = t->helpers;
    if (allowed <= 0 || tasks == 1) {
        for (long i = 0; i < tasks; i++) fn(ctx, i);
        return;
    }
    // Close the previous job: no helper may be inside while its fields change.
    unsigned long g = atomic_load(&t->gen);
    atomic_store(&t->gen, g + 1);
    while (atomic_load(&t->inflight) != 0) NN_PAUSE();
    t->fn = fn;
    t->ctx = ctx;
    t->tasks = tasks;
    t->allowed = allowed;
    atomic_store(&t->joined, 0);
    atomic_store(&t->next, 0);
    atomic_store(&t->done, 0);
    atomic_store(&t->gen, g + 2);
    if (atomic_load(&t->sleepers) > 0) {
        pthread_mutex_lock(&t->lock);
        pthread_cond_broadcast(&t->wake);
        pthread_mutex_unlock(&t->lock);
    }
    run_tasks(t, fn, ctx, tasks);
    // Tasks claimed by helpers may still run: wait for them (yielding if one is descheduled).
    unsigned spins = 0;
    while (atomic_load(&t->done) < tasks) {
        if (++spins < 4096) NN_PAUSE();
        else sched_yield();
    }
}
