/* content: the kiosk's content path, from a published folder to a pack in
 * memory (see content.h). Must never hand the screens a pack that is not the
 * store's active, verified one. */
#include "app/core/content.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"
#include "app/core/objects.h"
#include "app/core/sync.h"
#include "app/core/trust.h"

struct content {
    store *store;
    objects *objects;
    trust_keyring *keys;
    model_pack *pack;
    channel_result last;
    char channel[128];
};

void content_close(content *c)
{
    if (!c)
        return;
    model_pack_destroy(c->pack);
    trust_keyring_destroy(c->keys);
    objects_close(c->objects);
    store_close(c->store);
    free(c);
}

/* One sync cycle from the source (a folder, file://, http(s)://): the same
 * path the network thread takes, so --source DIR and a URL behave alike. */
static void activate_from_source(content *c, const content_config *cfg)
{
    sync_config sc = {.source = cfg->source_dir,
                      .channel = cfg->channel,
                      .store = c->store,
                      .objects = c->objects,
                      .keys = c->keys,
                      .clock = cfg->clock};
    sync_engine *s = sync_create(&sc);
    sync_result r = {.outcome = CHANNEL_FAILED};
    if (s)
        sync_cycle(s, &r);
    else
        snprintf(r.reason, sizeof r.reason, "cannot start the sync engine");
    c->last = (channel_result){.outcome = r.outcome,
                               .version = r.version,
                               .bytes = r.bytes,
                               .objects_fetched = r.objects_fetched};
    snprintf(c->last.reason, sizeof c->last.reason, "%s", r.reason);
    const char *label = s ? sync_source_url(s) : cfg->source_dir;
    if (c->last.outcome == CHANNEL_UPDATED || c->last.outcome == CHANNEL_CURRENT)
        LOG_INFO("content", "%s from %s: %s, version %lld", cfg->channel, label,
                 channel_outcome_name(c->last.outcome), (long long)c->last.version);
    else
        LOG_WARN("content", "%s from %s: %s: %s (keeping the last good pack)", cfg->channel, label,
                 channel_outcome_name(c->last.outcome), c->last.reason);
    sync_destroy(s);
}

content *content_open(const content_config *cfg)
{
    content *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->last.outcome = CHANNEL_CURRENT;
    snprintf(c->channel, sizeof c->channel, "%s", cfg->channel ? cfg->channel : "");
    c->store = store_open(cfg->data_dir, cfg->clock);
    c->objects = c->store ? objects_open(cfg->data_dir) : NULL;
    if (!c->store || !c->objects ||
        !(c->keys = trust_keyring_from_files(cfg->trust, cfg->n_trust, "content")))
        goto fail;
    if (cfg->source_dir && *cfg->source_dir) {
        if (trust_keyring_count(c->keys) == 0) {
            LOG_ERROR("content", "--source given but no usable trust key: nothing can be accepted");
            goto fail;
        }
        bool remote = strncmp(cfg->source_dir, "http://", 7) == 0 ||
                      strncmp(cfg->source_dir, "https://", 8) == 0;
        if (!remote)
            activate_from_source(c, cfg);
    }
    char err[320];
    c->pack = channel_load_active(c->store, c->channel, err, sizeof err);
    if (!c->pack)
        LOG_INFO("content", "%s: %s", c->channel, err);
    return c;
fail:
    content_close(c);
    return NULL;
}

const channel_result *content_last_result(const content *c)
{
    return &c->last;
}

model_pack *content_take_pack(content *c)
{
    model_pack *p = c->pack;
    c->pack = NULL;
    return p;
}

store *content_store(content *c)
{
    return c->store;
}

int content_media_path(void *user, const model_media *m, char *buf, size_t cap)
{
    content *c = user;
    if (!m || !m->object)
        return -1;
    return objects_path(c->objects, m->object->sha256, buf, cap) == 0 ? 0 : -1;
}
