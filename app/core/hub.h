/* hub: the one place threads meet. The network thread publishes immutable
 * snapshots (today: the active content pack and the last sync outcome) under
 * a mutex, bumping a version, and calls the wake callback (main wires it to
 * SDL_PushEvent, so core still knows no SDL). The UI thread takes the newest
 * snapshot when the version moved. Nothing else is shared between threads. */
#ifndef HIROBA_APP_CORE_HUB_H
#define HIROBA_APP_CORE_HUB_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/alerts.h"
#include "app/core/channel.h"
#include "app/core/feeds.h"
#include "app/core/model.h"

typedef struct hub hub;

/* wake may be NULL; it is called with no lock held, from the publishing thread. */
hub *hub_create(void (*wake)(void *user), void *user);
/* Frees a pack, feed snapshots and an alerts snapshot still waiting to be taken. */
void hub_destroy(hub *h);

/* Network thread: hands over a new active pack (ownership passes to the hub;
 * a pack published earlier and not yet taken is freed). */
void hub_publish_pack(hub *h, model_pack *pack);
/* Network thread: the outcome of the last sync cycle (copied). */
void hub_publish_sync(hub *h, const channel_result *r, int64_t at_ms);

/* UI thread: the newest pack if one was published since the last take, else
 * NULL. Ownership passes to the caller. */
model_pack *hub_take_pack(hub *h);
/* UI thread (or anyone): a copy of the last sync outcome; false if none yet. */
bool hub_last_sync(hub *h, channel_result *out, int64_t *at_ms);
/* Bumped by every publish: cheap "did anything change" for the loop. */
uint64_t hub_version(hub *h);

/* ---- live feeds ---- */

#define HUB_FEED_ERROR_MAX 200

/* What the kiosk knows about one feed, besides its last good snapshot. */
typedef struct hub_feed_status {
    bool configured;                /* the pack names a URL for it */
    int64_t fetched_at_ms;          /* epoch ms the shown body arrived; 0: nothing yet */
    int64_t checked_at_ms;          /* epoch ms the server last confirmed it (200/304) */
    bool failing;                   /* the last poll failed or was refused */
    char error[HUB_FEED_ERROR_MAX]; /* why, "" when fine ("HTTP 503", "queue.json:3:9: ...") */
} hub_feed_status;

/* Network thread: publish a feed's state. q / v is a new snapshot (ownership
 * passes to the hub; one published earlier and not yet taken is freed) or
 * NULL when only the status changed (the UI keeps the snapshot it has). */
void hub_publish_queue(hub *h, feeds_queue *q, const hub_feed_status *st);
void hub_publish_vacancy(hub *h, feeds_vacancy *v, const hub_feed_status *st);
/* UI thread: true when something was published since the last take. *q / *v
 * receives the new snapshot (ownership passes) or NULL when only the status
 * moved; *st the newest status. */
bool hub_take_queue(hub *h, feeds_queue **q, hub_feed_status *st);
bool hub_take_vacancy(hub *h, feeds_vacancy **v, hub_feed_status *st);

/* ---- emergency alerts ---- */

/* Network thread: the newest snapshot of the active alerts (the hub takes
 * the reference; an untaken older one is unreferenced). */
void hub_publish_alerts(hub *h, alerts_snapshot *snap);
/* UI thread: the newest snapshot published since the last take (the caller
 * owns the reference), else NULL. */
alerts_snapshot *hub_take_alerts(hub *h);

#endif
