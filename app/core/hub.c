/* hub: snapshots handed from the network thread to the UI thread (see
 * hub.h). Must never call out (wake) while holding its lock, never free a
 * snapshot while holding it (destroy functions may be slow), and never hand
 * the same pack or feed snapshot to two owners. */
#include "app/core/hub.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One live feed: the snapshot not yet taken and the newest status. */
struct hub_feed {
    void *pending;          /* feeds_queue / feeds_vacancy, or NULL */
    hub_feed_status status; /* the newest published */
    bool changed;           /* published since the last take */
};

struct hub {
    pthread_mutex_t lock;
    void (*wake)(void *user);
    void *user;
    uint64_t version;
    model_pack *pending; /* published, not yet taken */
    channel_result sync;
    int64_t sync_at_ms;
    bool have_sync;
    struct hub_feed queue, vacancy;
    alerts_snapshot *alerts; /* published, not yet taken (a reference) */
};

hub *hub_create(void (*wake)(void *user), void *user)
{
    hub *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    pthread_mutex_init(&h->lock, NULL);
    h->wake = wake;
    h->user = user;
    return h;
}

void hub_destroy(hub *h)
{
    if (!h)
        return;
    model_pack_destroy(h->pending);
    feeds_queue_destroy(h->queue.pending);
    feeds_vacancy_destroy(h->vacancy.pending);
    alerts_snapshot_unref(h->alerts);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

static void notify(hub *h)
{
    if (h->wake)
        h->wake(h->user);
}

void hub_publish_pack(hub *h, model_pack *pack)
{
    pthread_mutex_lock(&h->lock);
    model_pack *old = h->pending;
    h->pending = pack;
    h->version++;
    pthread_mutex_unlock(&h->lock);
    model_pack_destroy(old);
    notify(h);
}

void hub_publish_sync(hub *h, const channel_result *r, int64_t at_ms)
{
    pthread_mutex_lock(&h->lock);
    h->sync = *r;
    h->sync_at_ms = at_ms;
    h->have_sync = true;
    h->version++;
    pthread_mutex_unlock(&h->lock);
    notify(h);
}

model_pack *hub_take_pack(hub *h)
{
    pthread_mutex_lock(&h->lock);
    model_pack *p = h->pending;
    h->pending = NULL;
    pthread_mutex_unlock(&h->lock);
    return p;
}

bool hub_last_sync(hub *h, channel_result *out, int64_t *at_ms)
{
    pthread_mutex_lock(&h->lock);
    bool have = h->have_sync;
    if (have) {
        *out = h->sync;
        if (at_ms)
            *at_ms = h->sync_at_ms;
    }
    pthread_mutex_unlock(&h->lock);
    return have;
}

uint64_t hub_version(hub *h)
{
    pthread_mutex_lock(&h->lock);
    uint64_t v = h->version;
    pthread_mutex_unlock(&h->lock);
    return v;
}

/* ---- live feeds ---- */

/* Stores a snapshot (or only a status) and returns the snapshot it replaces
 * untaken, for the caller to free outside the lock. */
static void *feed_publish(hub *h, struct hub_feed *f, void *snap, const hub_feed_status *st)
{
    void *old = NULL;
    pthread_mutex_lock(&h->lock);
    if (snap) {
        old = f->pending;
        f->pending = snap;
    }
    if (st)
        f->status = *st;
    f->changed = true;
    h->version++;
    pthread_mutex_unlock(&h->lock);
    return old;
}

static bool feed_take(hub *h, struct hub_feed *f, void **snap, hub_feed_status *st)
{
    pthread_mutex_lock(&h->lock);
    bool changed = f->changed;
    *snap = changed ? f->pending : NULL;
    if (changed) {
        f->pending = NULL;
        f->changed = false;
        if (st)
            *st = f->status;
    }
    pthread_mutex_unlock(&h->lock);
    return changed;
}

void hub_publish_queue(hub *h, feeds_queue *q, const hub_feed_status *st)
{
    feeds_queue_destroy(feed_publish(h, &h->queue, q, st));
    notify(h);
}

void hub_publish_vacancy(hub *h, feeds_vacancy *v, const hub_feed_status *st)
{
    feeds_vacancy_destroy(feed_publish(h, &h->vacancy, v, st));
    notify(h);
}

bool hub_take_queue(hub *h, feeds_queue **q, hub_feed_status *st)
{
    void *snap;
    bool changed = feed_take(h, &h->queue, &snap, st);
    *q = snap;
    return changed;
}

bool hub_take_vacancy(hub *h, feeds_vacancy **v, hub_feed_status *st)
{
    void *snap;
    bool changed = feed_take(h, &h->vacancy, &snap, st);
    *v = snap;
    return changed;
}

/* ---- emergency alerts ---- */

void hub_publish_alerts(hub *h, alerts_snapshot *snap)
{
    if (!snap)
        return;
    pthread_mutex_lock(&h->lock);
    alerts_snapshot *old = h->alerts;
    h->alerts = snap;
    h->version++;
    pthread_mutex_unlock(&h->lock);
    alerts_snapshot_unref(old);
    notify(h);
}

alerts_snapshot *hub_take_alerts(hub *h)
{
    pthread_mutex_lock(&h->lock);
    alerts_snapshot *s = h->alerts;
    h->alerts = NULL;
    pthread_mutex_unlock(&h->lock);
    return s;
}
