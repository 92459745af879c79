/* feeder_private: what feeder.c (the thread) and feeder_cache.c (the kinds
 * of feed and the cache) share. Not for other modules. */
#ifndef HIROBA_APP_CORE_FEEDER_PRIVATE_H
#define HIROBA_APP_CORE_FEEDER_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "app/core/feeder.h"

#define FEEDER_MOD "feeds"

/* One kind of feed: how its bodies are parsed, published and described. */
typedef struct feeder_kind {
    const char *name; /* the store's row, log lines: "queue", "vacancy" */
    const char *file; /* labels parse errors: "queue.json" */
    int (*parse)(const char *text, size_t len, const char *file, void **out, feeds_errors *errs);
    void (*destroy)(void *snap);
    void (*publish)(hub *h, void *snap, const hub_feed_status *st);
    /* "4 counters, updated 2026-11-24T10:03:00+09:00" */
    void (*describe)(const void *snap, char *buf, size_t cap);
} feeder_kind;

enum { FEEDER_QUEUE, FEEDER_VACANCY, FEEDER_KINDS };

extern const feeder_kind feeder_kinds[FEEDER_KINDS];

/* urls' URL for kind which, NULL when absent or empty (urls may be NULL). */
const char *feeder_url_of(const model_feeds *urls, int which);

/* Reads and parses kind's cached body for url (NULL: the feed is off).
 * Returns the snapshot (or NULL: nothing cached for that URL, or the row no
 * longer parses) and fills *status; *row keeps the body and validators when
 * row is not NULL and a snapshot is returned (the caller clears it). Logs
 * what it loaded at INFO when announce, else at DEBUG. */
void *feeder_cache_load(store *st, const feeder_kind *kind, const char *url,
                        hub_feed_status *status, store_feed *row, bool announce);

#endif
