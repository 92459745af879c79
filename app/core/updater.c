/* updater: the network thread (see updater.h). Must never block the UI
 * thread: everything it shares goes through the hub, and stopping it only
 * waits for the current transfer's next progress check. */
#include "app/core/updater.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/core/log.h"
#include "app/core/objects.h"
#include "app/core/store.h"
#include "app/core/sync.h"
#include "app/core/trust.h"

#define DEFAULT_POLL_MS    60000u
#define DEFAULT_BACKOFF_MS (30u * 60u * 1000u)

struct updater {
    updater_config cfg;
    char *data_dir, *channel, *source, *ca_file;
    char *trust[UPDATER_MAX_KEYS];
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool poke;
    atomic_int stop;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Sleeps until ms have passed, a poke or a stop. Returns false on stop. */
static bool wait_for(updater *u, uint32_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&u->lock);
    while (!atomic_load(&u->stop) && !u->poke) {
        if (pthread_cond_timedwait(&u->cond, &u->lock, &until) == ETIMEDOUT)
            break;
    }
    u->poke = false;
    pthread_mutex_unlock(&u->lock);
    return !atomic_load(&u->stop);
}

static void publish(updater *u, store *st, const sync_result *r)
{
    channel_result cr = {.outcome = r->outcome,
                         .version = r->version,
                         .bytes = r->bytes,
                         .objects_fetched = r->objects_fetched};
    memcpy(cr.reason, r->reason, sizeof cr.reason);
    hub_publish_sync(u->cfg.hub, &cr, clock_now(u->cfg.clock).sec * 1000);
    if (r->outcome != CHANNEL_UPDATED)
        return;
    char err[320];
    model_pack *pack = channel_load_active(st, u->channel, err, sizeof err);
    if (pack)
        hub_publish_pack(u->cfg.hub, pack);
    else
        LOG_ERROR("updater", "%s: version %lld active but unreadable: %s", u->channel,
                  (long long)r->version, err);
}

static void *run(void *arg)
{
    updater *u = arg;
    store *st = store_open(u->data_dir, u->cfg.clock);
    objects *objs = st ? objects_open(u->data_dir) : NULL;
    trust_keyring *keys =
        trust_keyring_from_files((const char *const *)u->trust, u->cfg.n_trust, "updater");
    sync_engine *s = NULL;
    if (!st || !objs || !keys)
        goto done;
    sync_config sc = {.source = u->source,
                      .channel = u->channel,
                      .store = st,
                      .objects = objs,
                      .keys = keys,
                      .clock = u->cfg.clock,
                      .ca_file = u->ca_file,
                      .user_agent = "hiroba/" HIROBA_UPDATER_VERSION,
                      .cancel = &u->stop};
    s = sync_create(&sc);
    if (!s)
        goto done;
    uint32_t delay = u->cfg.first_delay_ms;
    /* Once per start: a cached object damaged on disk is fetched again. */
    if (sync_verify_active(s) > 0)
        delay = 0;
    uint64_t rng = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)u;
    unsigned failures = 0;
    LOG_INFO("updater", "polling %s every %u s", sync_source_url(s), u->cfg.poll_ms / 1000);
    while (wait_for(u, delay)) {
        sync_result r;
        sync_cycle(s, &r);
        if (atomic_load(&u->stop))
            break;
        /* A rejection means the server answered: poll at the normal pace.
         * Only failures to reach it back off. */
        failures = r.outcome == CHANNEL_FAILED ? failures + 1 : 0;
        if (r.outcome == CHANNEL_FAILED && failures == 1)
            LOG_WARN("updater", "%s: %s (retrying with backoff)", u->channel, r.reason);
        else if (r.outcome == CHANNEL_UPDATED && failures == 0)
            LOG_INFO("updater", "%s: version %lld active", u->channel, (long long)r.version);
        publish(u, st, &r);
        store_maintain(st, 90);
        delay = sync_next_delay_ms(failures, u->cfg.poll_ms, u->cfg.backoff_cap_ms, &rng);
    }
done:
    sync_destroy(s);
    trust_keyring_destroy(keys);
    objects_close(objs);
    store_close(st);
    return NULL;
}

static void free_strings(updater *u)
{
    free(u->data_dir);
    free(u->channel);
    free(u->source);
    free(u->ca_file);
    for (size_t i = 0; i < UPDATER_MAX_KEYS; i++)
        free(u->trust[i]);
}

updater *updater_start(const updater_config *cfg)
{
    updater *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->cfg = *cfg;
    if (!u->cfg.poll_ms)
        u->cfg.poll_ms = DEFAULT_POLL_MS;
    if (!u->cfg.backoff_cap_ms)
        u->cfg.backoff_cap_ms = DEFAULT_BACKOFF_MS;
    if (u->cfg.n_trust > UPDATER_MAX_KEYS)
        u->cfg.n_trust = UPDATER_MAX_KEYS;
    u->data_dir = dup_or_null(cfg->data_dir);
    u->channel = dup_or_null(cfg->channel);
    u->source = dup_or_null(cfg->source);
    u->ca_file = dup_or_null(cfg->ca_file);
    for (size_t i = 0; i < u->cfg.n_trust; i++)
        u->trust[i] = dup_or_null(cfg->trust[i]);
    pthread_mutex_init(&u->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&u->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (!u->data_dir || !u->channel || !u->source || !cfg->hub ||
        pthread_create(&u->thread, NULL, run, u) != 0) {
        LOG_ERROR("updater", "cannot start the network thread");
        pthread_cond_destroy(&u->cond);
        pthread_mutex_destroy(&u->lock);
        free_strings(u);
        free(u);
        return NULL;
    }
    return u;
}

void updater_poke(updater *u)
{
    if (!u)
        return;
    pthread_mutex_lock(&u->lock);
    u->poke = true;
    pthread_cond_signal(&u->cond);
    pthread_mutex_unlock(&u->lock);
}

void updater_stop(updater *u)
{
    if (!u)
        return;
    pthread_mutex_lock(&u->lock);
    atomic_store(&u->stop, 1);
    pthread_cond_signal(&u->cond);
    pthread_mutex_unlock(&u->lock);
    pthread_join(u->thread, NULL);
    pthread_cond_destroy(&u->cond);
    pthread_mutex_destroy(&u->lock);
    free_strings(u);
    free(u);
}
