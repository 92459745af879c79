/* sync: one poll of one channel (see sync.h): manifest and signature here,
 * objects in sync_fetch.c. Must never download an object for a manifest
 * channel_accept has not checked, and never cache a validator for a
 * manifest that was not accepted or found current. */
#include "app/core/sync.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/core/log.h"
#include "app/core/sync_private.h"

/* Percent-encodes everything but unreserved characters and, if keep_slash, '/'. */
static int url_escape(const char *in, bool keep_slash, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~' ||
                     (keep_slash && *p == '/');
        if (o + (plain ? 1 : 3) >= cap)
            return -1;
        if (plain) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
    return 0;
}

/* A bare folder becomes file:///absolute/path; URLs lose a trailing '/'. */
static int normalise_source(const char *src, char *out, size_t cap)
{
    if (strstr(src, "://")) {
        size_t len = strlen(src);
        while (len > 0 && src[len - 1] == '/')
            len--;
        if (len + 1 > cap)
            return -1;
        memcpy(out, src, len);
        out[len] = '\0';
        return 0;
    }
    char abs[PATH_MAX];
    if (!realpath(src, abs)) {
        /* Not there (yet): still a file URL, so the cycle fails with a reason. */
        char cwd[PATH_MAX / 2];
        if (src[0] == '/')
            snprintf(abs, sizeof abs, "%s", src);
        else if (getcwd(cwd, sizeof cwd))
            snprintf(abs, sizeof abs, "%s/%s", cwd, src);
        else
            return -1;
    }
    size_t len = strlen(abs);
    while (len > 1 && abs[len - 1] == '/')
        abs[--len] = '\0';
    if (cap < 8)
        return -1;
    memcpy(out, "file://", 7);
    return url_escape(abs, true, out + 7, cap - 7);
}

sync_engine *sync_create(const sync_config *cfg)
{
    if (!cfg || !cfg->source || !*cfg->source || !cfg->channel || !*cfg->channel || !cfg->store ||
        !cfg->objects || !cfg->keys) {
        LOG_ERROR("sync", "sync_create: source, channel, store, objects and keys are required");
        return NULL;
    }
    sync_engine *s = calloc(1, sizeof *s);
    if (!s)
        goto fail;
    s->store = cfg->store;
    s->objects = cfg->objects;
    s->keys = cfg->keys;
    s->clock = cfg->clock;
    snprintf(s->channel, sizeof s->channel, "%s", cfg->channel);
    char chan[3 * STORE_CHANNEL_MAX + 1];
    if (strlen(cfg->channel) >= sizeof s->channel ||
        url_escape(cfg->channel, false, chan, sizeof chan) != 0 ||
        normalise_source(cfg->source, s->base, sizeof s->base) != 0) {
        LOG_ERROR("sync", "source or channel name too long");
        goto fail;
    }
    s->remote = strncmp(s->base, "http://", 7) == 0 || strncmp(s->base, "https://", 8) == 0;
    int n = snprintf(s->manifest_url, sizeof s->manifest_url, "%s/channels/%s/manifest.json",
                     s->base, chan);
    if (n < 0 || (size_t)n >= sizeof s->manifest_url) {
        LOG_ERROR("sync", "source URL too long");
        goto fail;
    }
    snprintf(s->sig_url, sizeof s->sig_url, "%s.minisig", s->manifest_url);
    snprintf(s->key_etag, sizeof s->key_etag, "etag:%s", s->manifest_url);
    snprintf(s->key_lastmod, sizeof s->key_lastmod, "lastmod:%s", s->manifest_url);
    net_config nc = {.ca_file = cfg->ca_file,
                     .user_agent = cfg->user_agent,
                     .max_parallel = cfg->max_parallel,
                     .cancel = cfg->cancel};
    s->net = net_create(&nc);
    if (!s->net)
        goto fail;
    return s;
fail:
    if (!s)
        LOG_ERROR("sync", "out of memory");
    sync_destroy(s);
    return NULL;
}

void sync_destroy(sync_engine *s)
{
    if (!s)
        return;
    net_destroy(s->net);
    free(s);
}

const char *sync_source_url(const sync_engine *s)
{
    return s->base;
}

/* ---- small documents (manifest, signature) into memory, with a limit ---- */

typedef struct doc_fetch {
    sync_engine *s;
    char *buf;
    size_t len, cap, limit;
    bool too_big, done;
    net_response resp;
} doc_fetch;

static bool doc_write(void *user, const net_response *head, const void *data, size_t len)
{
    (void)head;
    doc_fetch *d = user;
    if (len > d->limit - d->len) {
        d->too_big = true;
        return false;
    }
    if (d->len + len > d->cap) {
        size_t cap = d->cap ? d->cap : 16384;
        while (cap < d->len + len)
            cap *= 2;
        if (cap > d->limit)
            cap = d->limit;
        char *nb = realloc(d->buf, cap + 1);
        if (!nb)
            return false;
        d->buf = nb;
        d->cap = cap;
    }
    memcpy(d->buf + d->len, data, len);
    d->len += len;
    return true;
}

static void doc_done(void *user, const net_response *r)
{
    doc_fetch *d = user;
    d->resp = *r;
    d->s->bytes += r->header_bytes + r->body_bytes;
    d->done = true;
}

/* Runs the net until d is done. Returns 0, or -1 if libcurl broke down. */
static int run_until(sync_engine *s, const bool *done)
{
    while (!*done) {
        if (net_run(s->net, 1000) < 0)
            return -1;
    }
    return 0;
}

/* GETs url into d (limit bytes at most). Returns 0 when a complete 200 (or
 * file) body arrived, 1 for 304, -1 with out filled otherwise. */
static int get_doc(sync_engine *s, const char *what, const char *url, size_t limit,
                   const char *etag, const char *lastmod, doc_fetch *d, sync_result *out)
{
    *d = (doc_fetch){.s = s, .limit = limit};
    net_request rq = {.url = url,
                      .if_none_match = etag,
                      .if_modified_since = lastmod,
                      .deadline_s = SYNC_MANIFEST_DEADLINE_S,
                      .write = doc_write,
                      .done = doc_done,
                      .user = d};
    if (net_get(s->net, &rq) != 0 || run_until(s, &d->done) != 0) {
        out->outcome = CHANNEL_FAILED;
        snprintf(out->reason, sizeof out->reason, "%s: the network client failed", what);
        return -1;
    }
    if (d->too_big) {
        out->outcome = CHANNEL_REJECTED;
        snprintf(out->reason, sizeof out->reason, "%s: more than %zu bytes", what, limit);
        store_reject(s->store, s->base, out->reason);
        return -1;
    }
    if (d->resp.curl_code != 0) {
        out->outcome = CHANNEL_FAILED;
        snprintf(out->reason, sizeof out->reason, "%s: %s", what, d->resp.error);
        return -1;
    }
    if (d->resp.http_code == 304)
        return 1;
    if (d->resp.http_code != 0 && d->resp.http_code != 200) {
        out->outcome = CHANNEL_FAILED;
        snprintf(out->reason, sizeof out->reason, "%s: HTTP %ld", what, d->resp.http_code);
        return -1;
    }
    return 0;
}

/* The server's Date is a hint only: said once per cycle when our clock is
 * not synchronised and they differ noticeably. The clock is never set. */
static void note_server_date(sync_engine *s, int64_t date)
{
    if (date < 0 || clock_is_synchronised(s->clock))
        return;
    int64_t diff = date - clock_now(s->clock).sec;
    if (diff > 60 || diff < -60)
        LOG_INFO("sync",
                 "clock not synchronised; the server's Date is %+" PRId64
                 " s from ours (a hint only, the clock is left alone)",
                 diff);
}

static int64_t active_version(sync_engine *s)
{
    store_manifest m = {0};
    int64_t v = 0;
    if (store_get_active(s->store, s->channel, &m, NULL) == 0)
        v = m.version;
    store_manifest_clear(&m);
    return v;
}

static void save_validators(sync_engine *s, const net_response *r)
{
    if (!s->remote)
        return;
    store_kv_set(s->store, s->key_etag, r->etag[0] ? r->etag : NULL);
    store_kv_set(s->store, s->key_lastmod, r->last_modified[0] ? r->last_modified : NULL);
}

int sync_verify_active(sync_engine *s)
{
    int bad = channel_verify_active(s->store, s->objects, s->channel);
    if (bad > 0) {
        store_kv_set(s->store, s->key_etag, NULL);
        store_kv_set(s->store, s->key_lastmod, NULL);
    }
    return bad;
}

int sync_cycle(sync_engine *s, sync_result *out)
{
    memset(out, 0, sizeof *out);
    s->bytes = 0;
    s->fetched = 0;
    int64_t active = active_version(s);
    out->version = active;
    char *etag = NULL, *lastmod = NULL;
    /* Validators only make sense while the version they describe is active. */
    if (s->remote && active > 0) {
        store_kv_get(s->store, s->key_etag, &etag, NULL);
        store_kv_get(s->store, s->key_lastmod, &lastmod, NULL);
    }
    doc_fetch man = {0}, sig = {0};
    int rc =
        get_doc(s, "manifest", s->manifest_url, CHANNEL_MANIFEST_MAX, etag, lastmod, &man, out);
    free(etag);
    free(lastmod);
    note_server_date(s, man.resp.date);
    if (rc == 1) {
        out->outcome = CHANNEL_CURRENT;
        out->not_modified = true;
        goto done;
    }
    if (rc != 0)
        goto done;
    if (get_doc(s, "signature", s->sig_url, TRUST_FILE_MAX, NULL, NULL, &sig, out) != 0)
        goto done;

    channel_ctx ctx = {.channel = s->channel,
                       .store = s->store,
                       .objects = s->objects,
                       .keys = s->keys,
                       .clock = s->clock,
                       .source_label = s->base};
    sync_fetch_state fs = {.s = s, .manifest = man.buf, .manifest_len = man.len};
    channel_result cr;
    channel_accept(&ctx, man.buf ? man.buf : "", man.len, sig.buf ? sig.buf : "", sig.len,
                   sync_fetch_object, &fs, &cr);
    sync_fetch_state_clear(&fs);
    out->outcome = cr.outcome;
    out->version = cr.version;
    snprintf(out->reason, sizeof out->reason, "%s", cr.reason);
    if (cr.outcome == CHANNEL_UPDATED || cr.outcome == CHANNEL_CURRENT)
        save_validators(s, &man.resp);
done:
    free(man.buf);
    free(sig.buf);
    if (out->outcome == CHANNEL_CURRENT || out->outcome == CHANNEL_UPDATED)
        out->reason[0] = '\0';
    if (out->outcome != CHANNEL_UPDATED)
        out->version = active_version(s);
    out->bytes = s->bytes;
    out->objects_fetched = s->fetched;
    return (out->outcome == CHANNEL_UPDATED || out->outcome == CHANNEL_CURRENT) ? 0 : -1;
}

uint32_t sync_next_delay_ms(unsigned consecutive_failures, uint32_t base_ms, uint32_t cap_ms,
                            uint64_t *rng)
{
    uint64_t cap = cap_ms ? cap_ms : UINT32_MAX;
    if (consecutive_failures == 0 || base_ms == 0)
        return base_ms < cap ? base_ms : (uint32_t)cap;
    uint64_t ceiling = base_ms;
    for (unsigned i = 0; i < consecutive_failures && ceiling < cap; i++)
        ceiling *= 2;
    if (ceiling > cap)
        ceiling = cap;
    uint64_t floor = base_ms / 2;
    if (floor > ceiling)
        floor = ceiling;
    /* xorshift64* */
    uint64_t x = *rng ? *rng : UINT64_C(0x9E3779B97F4A7C15);
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *rng = x;
    uint64_t r = x * UINT64_C(0x2545F4914F6CDD1D);
    return (uint32_t)(floor + (r >> 11) % (ceiling - floor + 1));
}
