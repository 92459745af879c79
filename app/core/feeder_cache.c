/* feeder_cache: the two kinds of live feed behind one small table (parse,
 * publish, describe), and reading a feed's cached body back for the URL the
 * pack names now: shared by the feeder's thread and feeder_load_cached.
 * Must never hand out a cached body stored for another URL, nor one that no
 * longer passes its parser. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app/core/feeder_private.h"
#include "app/core/log.h"

#define MOD FEEDER_MOD

/* ---- the two kinds of feed ---- */

/* The instant as the source wrote it, with its own offset. */
static void format_updated(int64_t sec, int32_t offset, char *buf, size_t cap)
{
    time_t t = (time_t)(sec + offset);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, cap, "?");
        return;
    }
    int32_t off = offset < 0 ? -offset : offset;
    snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset < 0 ? '-' : '+',
             (int)(off / 3600), (int)(off / 60 % 60));
}

static int queue_parse(const char *text, size_t len, const char *file, void **out,
                       feeds_errors *errs)
{
    feeds_queue *q = NULL;
    int r = feeds_queue_parse(text, len, file, &q, errs);
    *out = q;
    return r;
}

static void queue_destroy(void *snap)
{
    feeds_queue_destroy(snap);
}

static void queue_publish(hub *h, void *snap, const hub_feed_status *st)
{
    hub_publish_queue(h, snap, st);
}

static void queue_describe(const void *snap, char *buf, size_t cap)
{
    const feeds_queue *q = snap;
    char when[80];
    format_updated(q->updated, q->updated_offset, when, sizeof when);
    snprintf(buf, cap, "%zu counter%s, updated %s", q->n_counters, q->n_counters == 1 ? "" : "s",
             when);
}

static int vacancy_parse(const char *text, size_t len, const char *file, void **out,
                         feeds_errors *errs)
{
    feeds_vacancy *v = NULL;
    int r = feeds_vacancy_parse(text, len, file, &v, errs);
    *out = v;
    return r;
}

static void vacancy_destroy(void *snap)
{
    feeds_vacancy_destroy(snap);
}

static void vacancy_publish(hub *h, void *snap, const hub_feed_status *st)
{
    hub_publish_vacancy(h, snap, st);
}

static void vacancy_describe(const void *snap, char *buf, size_t cap)
{
    const feeds_vacancy *v = snap;
    char when[80];
    format_updated(v->updated, v->updated_offset, when, sizeof when);
    snprintf(buf, cap, "%zu facilit%s, updated %s", v->n_facilities,
             v->n_facilities == 1 ? "y" : "ies", when);
}

const feeder_kind feeder_kinds[FEEDER_KINDS] = {
    {"queue", "queue.json", queue_parse, queue_destroy, queue_publish, queue_describe},
    {"vacancy", "vacancy.json", vacancy_parse, vacancy_destroy, vacancy_publish, vacancy_describe},
};

const char *feeder_url_of(const model_feeds *urls, int which)
{
    if (!urls)
        return NULL;
    const char *u = which == FEEDER_QUEUE ? urls->queue : urls->vacancy;
    return u && *u ? u : NULL;
}

/* ---- the cache: shared by the thread and feeder_load_cached ---- */

void *feeder_cache_load(store *st, const feeder_kind *kind, const char *url,
                        hub_feed_status *status, store_feed *row, bool announce)
{
    *status = (hub_feed_status){.configured = url != NULL};
    store_feed f = {0};
    if (!url || !st || store_feed_get(st, kind->name, url, &f) != 0)
        return NULL;
    void *snap = NULL;
    feeds_errors *errs = malloc(sizeof *errs);
    if (!errs || kind->parse(f.body, f.len, kind->file, &snap, errs) != 0) {
        /* Written by a build with other limits, or by hand: not shown. */
        char line[HUB_FEED_ERROR_MAX] = "out of memory";
        if (errs)
            feeds_error_line(errs, 0, line, sizeof line);
        LOG_WARN(MOD, "%s: the cached copy no longer parses: %s", kind->name, line);
        free(errs);
        store_feed_clear(&f);
        return NULL;
    }
    free(errs);
    status->fetched_at_ms = f.fetched_at_ms;
    status->checked_at_ms = f.checked_at_ms;
    char what[160];
    kind->describe(snap, what, sizeof what);
    if (announce)
        LOG_INFO(MOD, "%s: cached copy loaded: %s", kind->name, what);
    else
        LOG_DEBUG(MOD, "%s: cached copy loaded: %s", kind->name, what);
    if (row)
        *row = f;
    else
        store_feed_clear(&f);
    return snap;
}

void feeder_load_cached(store *st, const model_feeds *urls, feeds_queue **q, hub_feed_status *qs,
                        feeds_vacancy **v, hub_feed_status *vs)
{
    hub_feed_status unused;
    void *snap =
        feeder_cache_load(st, &feeder_kinds[FEEDER_QUEUE], feeder_url_of(urls, FEEDER_QUEUE),
                          qs ? qs : &unused, NULL, true);
    if (q)
        *q = snap;
    else
        feeds_queue_destroy(snap);
    snap = feeder_cache_load(st, &feeder_kinds[FEEDER_VACANCY], feeder_url_of(urls, FEEDER_VACANCY),
                             vs ? vs : &unused, NULL, true);
    if (v)
        *v = snap;
    else
        feeds_vacancy_destroy(snap);
}
