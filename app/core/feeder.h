/* feeder: the live feeds' poller, on its own network thread. Polls the
 * queue feed (every 5 s) and the vacancy feed (every 60 s) named by the
 * active pack, with conditional requests (ETag / Last-Modified), a
 * FEEDS_MAX_BYTES cap enforced while the body streams, a short deadline, and
 * backoff with jitter after failures (never slower than 4x the interval).
 * Every body goes through feeds_*_parse; a good one is written to the store
 * (feed_cache) and published to the hub, a refused one is logged with the
 * parser's reason (log.h de-duplicates a feed that stays broken), recorded in
 * the store's rejections and published as a failing status: the last good
 * snapshot stays on screen. Opens its own store and net; shares nothing with
 * the UI thread but the hub.
 * At start it publishes what the store cached for the configured URLs before
 * the first poll, so a kiosk that restarts offline shows the last numbers
 * at once (feeder_load_cached does the same synchronously for main's first
 * frame). */
#ifndef HIROBA_APP_CORE_FEEDER_H
#define HIROBA_APP_CORE_FEEDER_H

#include <stdint.h>

#include "app/core/clock.h"
#include "app/core/feeds.h"
#include "app/core/hub.h"
#include "app/core/model.h"
#include "app/core/store.h"

#define FEEDER_QUEUE_MS   5000u
#define FEEDER_VACANCY_MS 60000u

typedef struct feeder_config {
    const char *data_dir;      /* copied; the store lives there */
    const char *ca_file;       /* copied; NULL: system CAs */
    const clock_source *clock; /* borrowed until stop; NULL: system clock */
    hub *hub;                  /* borrowed until stop */
    uint32_t queue_ms;         /* 0: FEEDER_QUEUE_MS */
    uint32_t vacancy_ms;       /* 0: FEEDER_VACANCY_MS */
    const char *user_agent;    /* copied; NULL: "hiroba" */
} feeder_config;

typedef struct feeder feeder;

/* Starts the thread (it waits for URLs). NULL (logged) if it cannot. */
feeder *feeder_start(const feeder_config *cfg);
/* The active pack's feed URLs (copied; NULL members: that feed is off). Main
 * calls it at start and for every new pack; a changed URL is polled at once
 * and its cache from another URL is not shown. */
void feeder_set_urls(feeder *f, const model_feeds *urls);
/* Stops the thread (a transfer in flight ends within about a second) and
 * frees everything. NULL is a no-op. */
void feeder_stop(feeder *f);

/* Synchronously reads st's cache for urls and parses it: *q / *v get the
 * snapshots (or NULL) and the statuses are filled. For main's first frame. */
void feeder_load_cached(store *st, const model_feeds *urls, feeds_queue **q, hub_feed_status *qs,
                        feeds_vacancy **v, hub_feed_status *vs);

#endif
