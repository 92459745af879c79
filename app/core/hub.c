/* hub: snapshots handed from the network thread to the UI thread (see
 * hub.h). Must never call out (wake) while holding its lock, and never hand
 * the same pack to two owners. */
#include "app/core/hub.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct hub {
    pthread_mutex_t lock;
    void (*wake)(void *user);
    void *user;
    uint64_t version;
    model_pack *pending; /* published, not yet taken */
    channel_result sync;
    int64_t sync_at_ms;
    bool have_sync;
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
