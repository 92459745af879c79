/* alerter: the emergency alerts' network thread (see alerter.h). Must never
 * block the UI thread (it shares only the hub and, under its lock, the URLs
 * to poll), never let anything but alerts_accept change the alert state,
 * never offer a document without the signature fetched beside it in the
 * same turn, and never call a source trusted over TLS unless the bytes came
 * from an https URL under the configured prefix. */
#include "app/core/alerter_private.h"

/* ---- transfers ---- */

/* Gathers a body, refusing it as soon as it passes the cap. */
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

static void fetch_unlink(alerter *t, fetch *x)
{
    for (fetch **p = &t->fetches; *p; p = &(*p)->next) {
        if (*p == x) {
            *p = x->next;
            return;
        }
    }
}

/* Files the transfer's outcome into its half. */
static void take_answer(alerter *t, half *h, fetch *x, const net_response *r)
{
    h->done = true;
    if (x->body.too_big) {
        h->ans = ANSWER_TOO_BIG;
    } else if (x->body.nomem) {
        h->ans = ANSWER_FAILED;
        snprintf(h->error, sizeof h->error, "out of memory");
    } else if (r->curl_code == CURLE_FILE_COULDNT_READ_FILE) {
        h->ans = ANSWER_NONE; /* file://: no such file */
    } else if (r->curl_code != 0) {
        h->ans = ANSWER_FAILED;
        snprintf(h->error, sizeof h->error, "%s", r->error);
    } else if (r->http_code == 304) {
        h->ans = x->conditional ? ANSWER_SAME : ANSWER_FAILED;
        snprintf(h->error, sizeof h->error, "HTTP 304 to a request without validators");
    } else if (r->http_code == 404 || r->http_code == 410) {
        h->ans = ANSWER_NONE;
    } else if (r->http_code != 0 && r->http_code != 200) {
        h->ans = ANSWER_FAILED;
        snprintf(h->error, sizeof h->error, "HTTP %ld", r->http_code);
    } else {
        h->ans = ANSWER_BODY;
        h->buf = x->body.buf;
        h->len = x->body.len;
        x->body.buf = NULL;
        snprintf(h->new_etag, sizeof h->new_etag, "%s", r->etag);
        snprintf(h->new_last_modified, sizeof h->new_last_modified, "%s", r->last_modified);
        h->trusted_tls =
            t->trusted && r->effective_url && alerter_url_trusted(t->trusted, r->effective_url);
    }
}

static void fetch_done(void *user, const net_response *r)
{
    fetch *x = user;
    alerter *t = x->owner;
    pair *p = &t->pairs[x->pair];
    fetch_unlink(t, x);
    /* An answer for a URL no longer polled is dropped unseen. */
    if (x->gen == p->gen && !atomic_load(&t->stop)) {
        take_answer(t, &p->h[x->half], x, r);
        if (--p->pending == 0)
            alerter_on_pair_done(t, x->pair);
    }
    fetch_free(x);
}

static long deadline_s(const alerter *t)
{
    long s = (long)(t->poll_ms / 1000) * 2;
    return s < DEADLINE_MIN_S ? DEADLINE_MIN_S : s > DEADLINE_MAX_S ? DEADLINE_MAX_S : s;
}

static bool start_half(alerter *t, int which, int hx)
{
    pair *p = &t->pairs[which];
    half *h = &p->h[hx];
    alerter_half_reset_answer(h);
    fetch *x = calloc(1, sizeof *x);
    if (!x)
        goto fail;
    /* Validators only while settled: a 304 must mean "what was offered". */
    bool conditional = p->settled && (h->etag[0] || h->last_modified[0]);
    *x = (fetch){.owner = t,
                 .pair = which,
                 .half = hx,
                 .gen = p->gen,
                 .conditional = conditional,
                 .body.max = hx == HALF_DOC ? ALERT_MAX_BYTES : TRUST_FILE_MAX};
    net_request rq = {.url = h->url,
                      .if_none_match = conditional ? h->etag : NULL,
                      .if_modified_since = conditional ? h->last_modified : NULL,
                      .deadline_s = deadline_s(t),
                      .write = fetch_write,
                      .done = fetch_done,
                      .user = x};
    if (net_get(t->net, &rq) != 0)
        goto fail;
    x->next = t->fetches;
    t->fetches = x;
    p->pending++;
    return true;
fail:
    fetch_free(x);
    h->done = true;
    h->ans = ANSWER_FAILED;
    snprintf(h->error, sizeof h->error, "the network client failed");
    return false;
}

static void start_pair(alerter *t, int which)
{
    pair *p = &t->pairs[which];
    p->due_ms = NEVER;
    p->pending = 1; /* held while both are queued: a transfer ends only in net_run */
    start_half(t, which, HALF_DOC);
    start_half(t, which, HALF_SIG);
    if (--p->pending == 0)
        alerter_on_pair_done(t, which);
}

/* Time: alerts whose time is up leave the snapshot. */
static void tick(alerter *t)
{
    bool changed = false;
    int r = alerts_tick(t->alerts, &changed);
    if (r != 0)
        LOG_DEBUG(MOD, "tick: %s", store_strerror(r));
    if (changed)
        alerter_publish(t);
    t->tick_due = clock_monotonic_ms() + t->poll_ms;
}

/* Sleeps until ms have passed, new URLs or a stop. */
static void wait_for(alerter *t, int64_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += (time_t)(ms / 1000);
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&t->lock);
    while (!atomic_load(&t->stop) && !t->want_changed) {
        if (pthread_cond_timedwait(&t->cond, &t->lock, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&t->lock);
}

static void *run(void *arg)
{
    alerter *t = arg;
    tick(t);
    while (!atomic_load(&t->stop)) {
        alerter_take_urls(t);
        int64_t now = clock_monotonic_ms();
        if (now >= t->tick_due)
            tick(t);
        int64_t next = t->tick_due;
        for (int i = 0; i < PAIRS; i++) {
            pair *p = &t->pairs[i];
            if (!p->h[HALF_DOC].url || p->pending)
                continue;
            if (p->due_ms <= now)
                start_pair(t, i);
            /* (start_pair may have finished at once and scheduled again) */
            if (!p->pending && p->due_ms < next)
                next = p->due_ms;
        }
        now = clock_monotonic_ms();
        int64_t wait = next > now ? next - now : 0;
        if (net_busy(t->net) > 0) {
            if (net_run(t->net, (int)(wait < TICK_MS ? (wait > 0 ? wait : 1) : TICK_MS)) < 0) {
                LOG_ERROR(MOD, "the network client failed; retrying in a second");
                wait_for(t, 1000);
            }
        } else if (wait > 0) {
            wait_for(t, wait);
        }
    }
    return NULL;
}

/* ---- lifetime ---- */

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void alerter_free(alerter *t)
{
    for (fetch *x = t->fetches, *next; x; x = next) {
        next = x->next;
        fetch_free(x);
    }
    /* After the fetches: net_destroy drops transfers without calling done. */
    net_destroy(t->net);
    for (int i = 0; i < PAIRS; i++) {
        for (int k = 0; k < 2; k++) {
            free(t->pairs[i].h[k].url);
            alerter_half_reset_answer(&t->pairs[i].h[k]);
        }
    }
    free(t->want[0]);
    free(t->want[1]);
    alerts_unload(t->alerts);
    store_close(t->store);
    trust_keyring_destroy(t->keys);
    free(t->data_dir);
    free(t->ca_file);
    free(t->channel);
    free(t->language);
    free(t->trusted);
    free(t->user_agent);
    free(t);
}

alerter *alerter_open(const alerter_config *cfg)
{
    if (!cfg || !cfg->hub || !cfg->data_dir) {
        LOG_ERROR(MOD, "cannot open the alerts: no hub or data folder");
        return NULL;
    }
    if (cfg->cap_trusted_tls && !alerter_url_trusted(cfg->cap_trusted_tls, cfg->cap_trusted_tls)) {
        LOG_ERROR(MOD, "cap_trusted_tls %s is not an https:// URL prefix", cfg->cap_trusted_tls);
        return NULL;
    }
    alerter *t = calloc(1, sizeof *t);
    if (!t) {
        LOG_ERROR(MOD, "cannot open the alerts: out of memory");
        return NULL;
    }
    t->data_dir = dup_or_null(cfg->data_dir);
    t->ca_file = dup_or_null(cfg->ca_file);
    t->channel = dup_or_null(cfg->channel);
    t->language = strdup(cfg->language ? cfg->language : "ja");
    t->trusted = dup_or_null(cfg->cap_trusted_tls);
    t->user_agent = strdup(cfg->user_agent ? cfg->user_agent : "hiroba");
    t->clock = cfg->clock;
    t->hub = cfg->hub;
    t->poll_ms = cfg->poll_ms ? cfg->poll_ms : ALERTER_POLL_MS;
    t->allow_drills = cfg->allow_drills;
    t->host = cfg->host;
    t->rng = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)t;
    for (int i = 0; i < PAIRS; i++)
        t->pairs[i].due_ms = NEVER;
    if (!t->data_dir || (cfg->ca_file && !t->ca_file) || (cfg->channel && !t->channel) ||
        !t->language || (cfg->cap_trusted_tls && !t->trusted) || !t->user_agent)
        goto fail;
    t->keys = trust_keyring_from_files(cfg->trust, cfg->n_trust, MOD);
    if (!t->keys)
        goto fail;
    if (trust_keyring_count(t->keys) == 0)
        LOG_WARN(MOD, "no usable public key: no signed alert can be shown%s",
                 t->trusted ? " (only the trusted CAP source's)" : "");
    /* On the caller's thread, as curl's global init wants (net.h). */
    net_config nc = {.ca_file = t->ca_file,
                     .user_agent = t->user_agent,
                     .connect_timeout_s = CONNECT_TIMEOUT_S,
                     .cancel = &t->stop};
    t->net = net_create(&nc);
    t->store = store_open(t->data_dir, t->clock);
    if (!t->net || !t->store)
        goto fail;
    alerts_config ac = {.store = t->store,
                        .keys = t->keys,
                        .clock = t->clock,
                        .channel = t->channel,
                        .policy = {.allow_drills = t->allow_drills, .language = t->language},
                        .cap_tls_trusted = t->trusted != NULL,
                        .host = t->host};
    t->alerts = alerts_load(&ac);
    if (!t->alerts)
        goto fail;
    pthread_mutex_init(&t->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cond, &ca);
    pthread_condattr_destroy(&ca);
    alerts_snapshot *s = alerts_current(t->alerts);
    LOG_INFO(MOD, "%zu alert(s) active at start; drills %s; %s", alerts_snapshot_count(s),
             t->allow_drills ? "shown" : "not shown",
             t->trusted ? "CAP trusted without a signature from https under the configured prefix"
                        : "every alert must be signed");
    alerts_snapshot_unref(s);
    return t;
fail:
    LOG_ERROR(MOD, "cannot open the alerts in %s: the kiosk runs without emergency alerts",
              cfg->data_dir);
    alerter_free(t);
    return NULL;
}

alerts_snapshot *alerter_current(alerter *al)
{
    return al ? alerts_current(al->alerts) : NULL;
}

int alerter_start(alerter *al)
{
    if (!al || al->started)
        return al ? 0 : -1;
    if (pthread_create(&al->thread, NULL, run, al) != 0) {
        LOG_ERROR(MOD, "cannot start the alerts thread: alerts stay as loaded");
        return -1;
    }
    al->started = true;
    return 0;
}

void alerter_set_urls(alerter *al, const model_feeds *urls)
{
    if (!al)
        return;
    const char *u[2] = {urls && urls->alerts && *urls->alerts ? urls->alerts : NULL,
                        urls && urls->cap && *urls->cap ? urls->cap : NULL};
    char *want[2] = {dup_or_null(u[0]), dup_or_null(u[1])};
    if ((u[0] && !want[0]) || (u[1] && !want[1])) {
        LOG_ERROR(MOD, "out of memory: alert URLs not changed");
        free(want[0]);
        free(want[1]);
        return;
    }
    pthread_mutex_lock(&al->lock);
    for (int i = 0; i < 2; i++) {
        free(al->want[i]);
        al->want[i] = want[i];
    }
    al->want_changed = true;
    pthread_cond_signal(&al->cond);
    pthread_mutex_unlock(&al->lock);
}

void alerter_stop(alerter *al)
{
    if (!al)
        return;
    if (al->started) {
        pthread_mutex_lock(&al->lock);
        atomic_store(&al->stop, 1);
        pthread_cond_signal(&al->cond);
        pthread_mutex_unlock(&al->lock);
        pthread_join(al->thread, NULL);
    }
    pthread_cond_destroy(&al->cond);
    pthread_mutex_destroy(&al->lock);
    alerter_free(al);
}
