/* feeder: the live feeds' network thread (see feeder.h). Must never block
 * the UI thread (it shares only the hub and, under its lock, the URLs to
 * poll), never show a body that did not pass its parser, never let a refused
 * or failed poll replace the last good value, and never show a cached body
 * that came from another URL than the pack's. */
#include "app/core/feeder_private.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/core/log.h"
#include "app/core/net.h"
#include "app/core/sync.h"

#define MOD FEEDER_MOD

/* How long net_run waits while transfers are in flight: the most a new URL
 * or a stop waits for the thread's attention. */
#define TICK_MS 250
/* A feed is small: a transfer that takes longer than this is a hang. */
#define DEADLINE_MIN_S     5
#define DEADLINE_MAX_S     15
#define CONNECT_TIMEOUT_S  5
#define BACKOFF_CAP_FACTOR 4u

/* ---- the thread's state ---- */

/* One feed, as the thread sees it. Touched by the thread only. */
typedef struct feed {
    const feeder_kind *kind;
    uint32_t interval_ms;
    char *url;      /* polled now; NULL: this feed is off */
    uint64_t gen;   /* bumped by every URL change: answers for an older URL are dropped */
    bool busy;      /* a poll of this gen is in flight */
    int64_t due_ms; /* monotonic: the next poll */
    unsigned failures;
    char *body; /* the last good body of url (NULL: none yet) */
    size_t len;
    char etag[NET_ETAG_MAX];
    char last_modified[NET_HTTP_DATE_MAX];
    hub_feed_status status;                /* as last published */
    char last_problem[HUB_FEED_ERROR_MAX]; /* logged and recorded once per streak; "" when fine */
} feed;

/* One transfer in flight, with the body gathered so far. */
typedef struct fetch {
    struct fetch *next;
    feeder *owner;
    int which;
    uint64_t gen;
    net_body body; /* what has arrived, capped */
} fetch;

struct feeder {
    feeder_config cfg;
    char *data_dir, *ca_file, *user_agent;
    net *net;
    store *store; /* opened by the thread */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    atomic_int stop;
    /* Under lock: the URLs main asked for, taken by the thread. */
    char *want[FEEDER_KINDS];
    bool want_changed;
    bool urls_seen; /* thread only: the first set has been taken */
    /* Thread only. */
    feed feeds[FEEDER_KINDS];
    fetch *fetches;
    uint64_t rng;
};

static int64_t epoch_ms(const feeder *f)
{
    clock_time t = clock_now(f->cfg.clock);
    return t.sec * 1000 + t.ms;
}

static void publish(feeder *f, feed *fd, void *snap)
{
    fd->kind->publish(f->cfg.hub, snap, &fd->status);
}

static void set_validators(feed *fd, const char *etag, const char *last_modified)
{
    snprintf(fd->etag, sizeof fd->etag, "%s", etag ? etag : "");
    snprintf(fd->last_modified, sizeof fd->last_modified, "%s", last_modified ? last_modified : "");
}

static void forget_body(feed *fd)
{
    free(fd->body);
    fd->body = NULL;
    fd->len = 0;
    set_validators(fd, NULL, NULL);
}

/* A new URL (or none) for fd: what was cached for that URL is shown at once
 * (or nothing, so that the screen drops the old place's numbers) and it is
 * polled at once. */
static void change_url(feeder *f, feed *fd, const char *url)
{
    char *copy = NULL;
    if (url && !(copy = strdup(url))) {
        LOG_ERROR(MOD, "out of memory");
        return;
    }
    free(fd->url);
    fd->url = copy;
    fd->gen++;
    fd->busy = false;
    fd->failures = 0;
    fd->last_problem[0] = '\0';
    fd->due_ms = clock_monotonic_ms();
    forget_body(fd);
    store_feed row = {0};
    /* At start main has just loaded (and announced) the same cache. */
    void *snap = feeder_cache_load(f->store, fd->kind, url, &fd->status, &row, f->urls_seen);
    if (snap) {
        fd->body = row.body;
        fd->len = row.len;
        row.body = NULL;
        set_validators(fd, row.etag, row.last_modified);
    }
    store_feed_clear(&row);
    if (url)
        LOG_INFO(MOD, "%s: polling %s every %g s", fd->kind->name, url, fd->interval_ms / 1000.0);
    else if (f->urls_seen)
        LOG_INFO(MOD, "%s: no feed in this pack", fd->kind->name);
    publish(f, fd, snap);
}

/* Takes the URLs main set since the last look. */
static void take_urls(feeder *f)
{
    char *want[FEEDER_KINDS] = {0};
    pthread_mutex_lock(&f->lock);
    bool changed = f->want_changed;
    if (changed) {
        for (int i = 0; i < FEEDER_KINDS; i++) {
            want[i] = f->want[i];
            f->want[i] = NULL;
        }
        f->want_changed = false;
    }
    pthread_mutex_unlock(&f->lock);
    if (!changed)
        return;
    for (int i = 0; i < FEEDER_KINDS; i++) {
        feed *fd = &f->feeds[i];
        bool same = (!want[i] && !fd->url) || (want[i] && fd->url && strcmp(want[i], fd->url) == 0);
        if (!same || !f->urls_seen)
            change_url(f, fd, want[i]);
        free(want[i]);
    }
    f->urls_seen = true;
}

/* ---- one poll's outcome ---- */

static void schedule_next(feeder *f, feed *fd)
{
    uint32_t cap = fd->interval_ms * BACKOFF_CAP_FACTOR;
    fd->due_ms =
        clock_monotonic_ms() + sync_next_delay_ms(fd->failures, fd->interval_ms, cap, &f->rng);
}

/* A failed or refused poll: the last good value stays. Said (log and the
 * store's rejections) once per streak of the same problem: two feeds failing
 * in turn would defeat log.h's "same as the last line" de-duplication and
 * fill the rejection ring, and a feed broken for a month needs one line. */
static void problem(feeder *f, feed *fd, bool refused, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(feeder *f, feed *fd, bool refused, const char *fmt, ...)
{
    char why[HUB_FEED_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    fd->failures++;
    if (strcmp(why, fd->last_problem) != 0) {
        LOG_WARN(MOD, "%s %s: %s (%s); keeping the last good value", fd->kind->name,
                 refused ? "refused" : "failed", why, fd->url);
        char reason[HUB_FEED_ERROR_MAX + 16];
        snprintf(reason, sizeof reason, "%s: %s", fd->kind->name, why);
        store_reject(f->store, "feeds", reason);
        snprintf(fd->last_problem, sizeof fd->last_problem, "%s", why);
    } else {
        LOG_DEBUG(MOD, "%s still %s: %s", fd->kind->name, refused ? "refused" : "failing", why);
    }
    bool same = fd->status.failing && strcmp(fd->status.error, why) == 0;
    fd->status.failing = true;
    snprintf(fd->status.error, sizeof fd->status.error, "%s", why);
    if (!same)
        publish(f, fd, NULL);
}

/* The server answered and the body shown is still right (a 304, or the same
 * bytes again). */
static void confirmed(feeder *f, feed *fd, int64_t now)
{
    if (fd->last_problem[0])
        LOG_INFO(MOD, "%s: the feed answers again", fd->kind->name);
    fd->failures = 0;
    fd->last_problem[0] = '\0';
    int r = store_feed_touch(f->store, fd->kind->name, fd->url, now);
    if (r != 0 && r != STORE_ERR_INVALID) /* INVALID: no store */
        LOG_DEBUG(MOD, "%s: cache not touched: %s", fd->kind->name, store_strerror(r));
    fd->status.checked_at_ms = now;
    fd->status.failing = false;
    fd->status.error[0] = '\0';
    publish(f, fd, NULL);
}

static void accept_body(feeder *f, feed *fd, fetch *x, const net_response *r, int64_t now)
{
    const char *text = x->body.buf ? x->body.buf : ""; /* an empty body is refused by the parser */
    if (fd->body && x->body.len && fd->len == x->body.len &&
        memcmp(fd->body, text, x->body.len) == 0) {
        /* A server without validators (or file://) sends the same bytes again. */
        if (strcmp(fd->etag, r->etag) != 0 || strcmp(fd->last_modified, r->last_modified) != 0) {
            set_validators(fd, r->etag, r->last_modified);
            store_feed_put(f->store, fd->kind->name, fd->url, fd->body, fd->len, fd->etag,
                           fd->last_modified, fd->status.fetched_at_ms);
        }
        confirmed(f, fd, now);
        return;
    }
    feeds_errors *errs = malloc(sizeof *errs);
    void *snap = NULL;
    if (!errs) {
        problem(f, fd, false, "out of memory");
        return;
    }
    if (fd->kind->parse(text, x->body.len, fd->kind->file, &snap, errs) != 0) {
        char line[HUB_FEED_ERROR_MAX];
        feeds_error_line(errs, 0, line, sizeof line);
        free(errs);
        problem(f, fd, true, "%s", line);
        return;
    }
    free(errs);
    int rc = store_feed_put(f->store, fd->kind->name, fd->url, text, x->body.len, r->etag,
                            r->last_modified, now);
    if (rc != 0 && f->store)
        LOG_WARN(MOD, "%s: not cached: %s", fd->kind->name, store_strerror(rc));
    if (fd->last_problem[0])
        LOG_INFO(MOD, "%s: the feed answers again", fd->kind->name);
    char what[160];
    fd->kind->describe(snap, what, sizeof what);
    LOG_INFO(MOD, "%s updated: %s", fd->kind->name, what);
    /* The buffer becomes the last good body. */
    free(fd->body);
    fd->body = x->body.buf;
    fd->len = x->body.len;
    x->body.buf = NULL;
    set_validators(fd, r->etag, r->last_modified);
    fd->failures = 0;
    fd->last_problem[0] = '\0';
    fd->status = (hub_feed_status){.configured = true, .fetched_at_ms = now, .checked_at_ms = now};
    publish(f, fd, snap);
}

static void on_answer(feeder *f, feed *fd, fetch *x, const net_response *r)
{
    int64_t now = epoch_ms(f);
    if (x->body.too_big)
        problem(f, fd, true, "larger than %u bytes", FEEDS_MAX_BYTES);
    else if (x->body.nomem)
        problem(f, fd, false, "out of memory");
    else if (r->curl_code != 0)
        problem(f, fd, false, "%s", r->error);
    else if (r->http_code == 304 && fd->body)
        confirmed(f, fd, now);
    else if (r->http_code == 304)
        problem(f, fd, false, "HTTP 304 without a cached copy");
    else if (r->http_code != 0 && r->http_code != 200)
        problem(f, fd, false, "HTTP %ld", r->http_code);
    else
        accept_body(f, fd, x, r, now);
}

/* ---- transfers ---- */

/* Gathers the body, refusing it as soon as it passes FEEDS_MAX_BYTES: a
 * huge or endless feed costs at most that much memory and time. */
static bool fetch_write(void *user, const net_response *head, const void *data, size_t len)
{
    (void)head;
    fetch *x = user;
    return net_body_append(&x->body, data, len);
}

static void fetch_free(fetch *x)
{
    if (!x)
        return;
    net_body_clear(&x->body);
    free(x);
}

static void fetch_unlink(feeder *f, fetch *x)
{
    for (fetch **p = &f->fetches; *p; p = &(*p)->next) {
        if (*p == x) {
            *p = x->next;
            return;
        }
    }
}

static void fetch_done(void *user, const net_response *r)
{
    fetch *x = user;
    feeder *f = x->owner;
    feed *fd = &f->feeds[x->which];
    fetch_unlink(f, x);
    /* An answer for a URL the pack no longer names is dropped unseen. */
    if (x->gen == fd->gen && !atomic_load(&f->stop)) {
        fd->busy = false;
        on_answer(f, fd, x, r);
        schedule_next(f, fd);
    }
    fetch_free(x);
}

static long deadline_s(const feed *fd)
{
    long s = (long)(fd->interval_ms / 1000) * 2;
    return s < DEADLINE_MIN_S ? DEADLINE_MIN_S : s > DEADLINE_MAX_S ? DEADLINE_MAX_S : s;
}

static void start_poll(feeder *f, feed *fd, int which)
{
    fetch *x = calloc(1, sizeof *x);
    if (!x) {
        problem(f, fd, false, "out of memory");
        schedule_next(f, fd);
        return;
    }
    *x = (fetch){.owner = f, .which = which, .gen = fd->gen, .body.max = FEEDS_MAX_BYTES};
    /* Validators only for the body we hold: a 304 must mean "what you show". */
    net_request rq = {.url = fd->url,
                      .if_none_match = fd->body ? fd->etag : NULL,
                      .if_modified_since = fd->body ? fd->last_modified : NULL,
                      .deadline_s = deadline_s(fd),
                      .write = fetch_write,
                      .done = fetch_done,
                      .user = x};
    if (net_get(f->net, &rq) != 0) {
        fetch_free(x);
        problem(f, fd, false, "the network client failed");
        schedule_next(f, fd);
        return;
    }
    x->next = f->fetches;
    f->fetches = x;
    fd->busy = true;
}

/* Sleeps until ms have passed, new URLs or a stop. */
static void wait_for(feeder *f, int64_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += (time_t)(ms / 1000);
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&f->lock);
    while (!atomic_load(&f->stop) && !f->want_changed) {
        if (pthread_cond_timedwait(&f->cond, &f->lock, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&f->lock);
}

static void *run(void *arg)
{
    feeder *f = arg;
    f->store = store_open(f->data_dir, f->cfg.clock);
    if (!f->store)
        LOG_WARN(MOD, "no feed cache: the boards show only what arrives from now on");
    while (!atomic_load(&f->stop)) {
        take_urls(f);
        int64_t now = clock_monotonic_ms();
        int64_t next = now + 60000;
        for (int i = 0; i < FEEDER_KINDS; i++) {
            feed *fd = &f->feeds[i];
            if (!fd->url || fd->busy)
                continue;
            if (fd->due_ms <= now)
                start_poll(f, fd, i);
            else if (fd->due_ms < next)
                next = fd->due_ms;
        }
        if (net_busy(f->net) > 0) {
            int64_t wait = next - now;
            if (net_run(f->net, (int)(wait < TICK_MS ? (wait > 0 ? wait : 1) : TICK_MS)) < 0) {
                LOG_ERROR(MOD, "the network client failed; retrying in a second");
                wait_for(f, 1000);
            }
        } else {
            wait_for(f, next - now);
        }
    }
    /* The store belongs to this thread: closed here, not by feeder_stop. */
    store_close(f->store);
    f->store = NULL;
    return NULL;
}

/* ---- lifetime ---- */

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void feeder_free(feeder *f)
{
    for (fetch *x = f->fetches, *next; x; x = next) {
        next = x->next;
        fetch_free(x);
    }
    /* After the fetches: net_destroy drops transfers without calling done. */
    net_destroy(f->net);
    for (int i = 0; i < FEEDER_KINDS; i++) {
        free(f->feeds[i].url);
        free(f->feeds[i].body);
        free(f->want[i]);
    }
    free(f->data_dir);
    free(f->ca_file);
    free(f->user_agent);
    free(f);
}

feeder *feeder_start(const feeder_config *cfg)
{
    if (!cfg || !cfg->hub || !cfg->data_dir) {
        LOG_ERROR(MOD, "cannot start the feeds thread: no hub or data folder");
        return NULL;
    }
    feeder *f = calloc(1, sizeof *f);
    if (!f) {
        LOG_ERROR(MOD, "cannot start the feeds thread: out of memory");
        return NULL;
    }
    f->cfg = *cfg;
    f->cfg.queue_ms = cfg->queue_ms ? cfg->queue_ms : FEEDER_QUEUE_MS;
    f->cfg.vacancy_ms = cfg->vacancy_ms ? cfg->vacancy_ms : FEEDER_VACANCY_MS;
    f->data_dir = dup_or_null(cfg->data_dir);
    f->ca_file = dup_or_null(cfg->ca_file);
    f->user_agent = strdup(cfg->user_agent ? cfg->user_agent : "hiroba");
    f->feeds[FEEDER_QUEUE] =
        (feed){.kind = &feeder_kinds[FEEDER_QUEUE], .interval_ms = f->cfg.queue_ms};
    f->feeds[FEEDER_VACANCY] =
        (feed){.kind = &feeder_kinds[FEEDER_VACANCY], .interval_ms = f->cfg.vacancy_ms};
    f->rng = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)f;
    /* Created here, on the caller's thread: the first net of a process runs
     * curl_global_init, which must not race another thread's. Only the
     * feeder's thread uses it from then on. */
    net_config nc = {.ca_file = f->ca_file,
                     .user_agent = f->user_agent,
                     .connect_timeout_s = CONNECT_TIMEOUT_S,
                     .cancel = &f->stop};
    if (f->user_agent && (!cfg->ca_file || f->ca_file))
        f->net = net_create(&nc);
    if (!f->net || !f->data_dir) {
        LOG_ERROR(MOD, "cannot start the feeds thread");
        feeder_free(f);
        return NULL;
    }
    pthread_mutex_init(&f->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&f->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&f->thread, NULL, run, f) != 0) {
        LOG_ERROR(MOD, "cannot start the feeds thread");
        pthread_cond_destroy(&f->cond);
        pthread_mutex_destroy(&f->lock);
        feeder_free(f);
        return NULL;
    }
    return f;
}

void feeder_set_urls(feeder *f, const model_feeds *urls)
{
    if (!f)
        return;
    char *want[FEEDER_KINDS];
    for (int i = 0; i < FEEDER_KINDS; i++) {
        const char *u = feeder_url_of(urls, i);
        want[i] = u ? strdup(u) : NULL;
        if (u && !want[i]) {
            LOG_ERROR(MOD, "out of memory: feed URLs not changed");
            for (int k = 0; k < i; k++)
                free(want[k]);
            return;
        }
    }
    pthread_mutex_lock(&f->lock);
    for (int i = 0; i < FEEDER_KINDS; i++) {
        free(f->want[i]);
        f->want[i] = want[i];
    }
    f->want_changed = true;
    pthread_cond_signal(&f->cond);
    pthread_mutex_unlock(&f->lock);
}

void feeder_stop(feeder *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->lock);
    atomic_store(&f->stop, 1);
    pthread_cond_signal(&f->cond);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->thread, NULL);
    pthread_cond_destroy(&f->cond);
    pthread_mutex_destroy(&f->lock);
    feeder_free(f);
}
