/* channel: manifest acceptance and activation (see channel.h for the rules).
 * Must never activate anything it has not verified completely, and never
 * leave the store pointing at a version whose objects are not all durable. */
#include "app/core/channel.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "app/core/log.h"
#include "app/core/pack_json.h"

#define KV_TIME_FLOOR "channel.time_floor"

const char *channel_outcome_name(channel_outcome o)
{
    switch (o) {
    case CHANNEL_UPDATED:
        return "updated";
    case CHANNEL_CURRENT:
        return "current";
    case CHANNEL_REJECTED:
        return "rejected";
    default:
        return "failed";
    }
}

static int finish(const channel_ctx *c, channel_result *out, channel_outcome o, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));

static int finish(const channel_ctx *c, channel_result *out, channel_outcome o, const char *fmt,
                  ...)
{
    out->outcome = o;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(out->reason, sizeof out->reason, fmt, ap);
        va_end(ap);
    }
    if (o == CHANNEL_REJECTED)
        store_reject(c->store, c->source_label ? c->source_label : c->channel, out->reason);
    return (o == CHANNEL_UPDATED || o == CHANNEL_CURRENT) ? 0 : -1;
}

/* The latest instant we know has passed: the clock if synchronised, else
 * the newest of the clock and what we saw when it last was (or the newest
 * issued time we accepted). A Pi without RTC may boot in 1970 or in the past. */
static int64_t time_floor(const channel_ctx *c, bool *synced)
{
    int64_t now = clock_now(c->clock).sec;
    *synced = clock_is_synchronised(c->clock);
    char *v = NULL;
    int64_t floor = 0;
    if (store_kv_get(c->store, KV_TIME_FLOOR, &v, NULL) == 0 && v)
        floor = strtoll(v, NULL, 10);
    free(v);
    if (*synced && now > floor) {
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, now);
        store_kv_set(c->store, KV_TIME_FLOOR, buf);
    }
    return now > floor ? now : floor;
}

static void raise_time_floor(const channel_ctx *c, int64_t t)
{
    char *v = NULL;
    int64_t floor = 0;
    if (store_kv_get(c->store, KV_TIME_FLOOR, &v, NULL) == 0 && v)
        floor = strtoll(v, NULL, 10);
    free(v);
    if (t > floor) {
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, t);
        store_kv_set(c->store, KV_TIME_FLOOR, buf);
    }
}

static void format_time(int64_t t, char *buf, size_t cap)
{
    struct tm tm;
    if (clock_to_local(t, CLOCK_DEFAULT_TZ, &tm) != 0 ||
        strftime(buf, cap, "%Y-%m-%dT%H:%M:%S%z", &tm) == 0)
        snprintf(buf, cap, "@%" PRId64, t);
}

int channel_accept(const channel_ctx *c, const char *manifest, size_t len, const char *sig,
                   size_t sig_len, channel_fetch_fn fetch, void *fetch_user, channel_result *out)
{
    memset(out, 0, sizeof *out);
    store_manifest active = {0};
    int64_t active_version = 0, highest = 0;
    if (store_get_active(c->store, c->channel, &active, NULL) == 0)
        active_version = active.version;
    store_manifest_clear(&active);
    store_highest_version(c->store, c->channel, &highest);
    out->version = active_version;

    if (len > CHANNEL_MANIFEST_MAX)
        return finish(c, out, CHANNEL_REJECTED, "manifest: %zu bytes, more than the %u allowed",
                      len, CHANNEL_MANIFEST_MAX);
    trust_result tr;
    trust_verify(c->keys, manifest, len, sig, sig_len, &tr);
    if (!tr.ok)
        return finish(c, out, CHANNEL_REJECTED, "signature: %s: %s", trust_error_name(tr.error),
                      tr.message);

    pack_json_errors *errs = malloc(sizeof *errs);
    model_pack *pack = NULL;
    if (!errs)
        return finish(c, out, CHANNEL_FAILED, "out of memory");
    int rc = pack_json_parse(manifest, len, "manifest.json", PACK_JSON_MANIFEST, &pack, errs);
    if (rc != 0) {
        const pack_json_error *e = errs->count ? &errs->list[0] : NULL;
        finish(c, out, rc == PACK_JSON_NOMEM ? CHANNEL_FAILED : CHANNEL_REJECTED,
               "manifest.json:%u:%u: %s: %s (%zu problem%s)", e ? e->line : 0, e ? e->column : 0,
               e ? e->path : "", e ? e->message : "", errs->total, errs->total == 1 ? "" : "s");
        free(errs);
        return -1;
    }
    free(errs);

    const model_manifest *m = &pack->manifest;
    bool synced;
    int64_t floor = time_floor(c, &synced);
    char when[40];
    if (strcmp(m->channel, c->channel) != 0) {
        finish(c, out, CHANNEL_REJECTED, "manifest is for channel '%s', not '%s'", m->channel,
               c->channel);
        goto done;
    }
    bool repair = m->version == active_version;
    int64_t floor_version = active_version > highest ? active_version : highest;
    if (!repair && m->version <= floor_version) {
        finish(c, out, CHANNEL_REJECTED,
               "rollback: version %" PRId64 " is not newer than trusted version %" PRId64,
               m->version, floor_version);
        goto done;
    }
    if (!repair && m->version - floor_version > CHANNEL_MAX_VERSION_JUMP) {
        finish(c, out, CHANNEL_REJECTED,
               "version jump from %" PRId64 " to %" PRId64 " (more than %d at once)", floor_version,
               m->version, CHANNEL_MAX_VERSION_JUMP);
        goto done;
    }
    if (!repair && m->expires <= floor) {
        format_time(m->expires, when, sizeof when);
        finish(c, out, CHANNEL_REJECTED, "expired at %s%s", when,
               synced ? "" : " (judged by the last known time; clock not synchronised)");
        goto done;
    }

    for (size_t i = 0; i < m->n_objects; i++) {
        const model_object *obj = &m->objects[i];
        if (objects_has(c->objects, obj->sha256, obj->size))
            continue;
        char err[256] = "";
        int f = fetch(fetch_user, c->objects, obj, &out->bytes, err, sizeof err);
        if (f == CHANNEL_FETCH_CORRUPT) {
            finish(c, out, CHANNEL_REJECTED, "object %s (%s): %s", obj->name, obj->sha256, err);
            goto done;
        }
        if (f != CHANNEL_FETCH_OK) {
            finish(c, out, CHANNEL_FAILED, "object %s: %s", obj->name, err);
            goto done;
        }
        out->objects_fetched++;
    }

    if (repair) {
        /* The active version again: only objects lost since (found corrupt
         * and removed) were fetched; nothing to switch. An expired active
         * pack is still repaired: expiry only stops new packs. */
        if (out->objects_fetched)
            LOG_INFO("channel", "%s: version %" PRId64 ": %u missing object(s) fetched again",
                     c->channel, m->version, out->objects_fetched);
        finish(c, out, CHANNEL_CURRENT, NULL);
        goto done;
    }
    rc = store_activate(c->store, c->channel, m->version, manifest, len, sig);
    if (rc == STORE_ERR_SAME) {
        finish(c, out, CHANNEL_CURRENT, NULL);
        goto done;
    }
    if (rc == STORE_ERR_ROLLBACK) {
        finish(c, out, CHANNEL_REJECTED, "rollback: version %" PRId64 " refused by the store",
               m->version);
        goto done;
    }
    if (rc != 0) {
        finish(c, out, CHANNEL_FAILED, "store: %s", store_strerror(rc));
        goto done;
    }
    raise_time_floor(c, m->issued);
    out->version = m->version;
    finish(c, out, CHANNEL_UPDATED, NULL);
    LOG_INFO("channel", "%s: version %" PRId64 " active (%u objects fetched, %" PRIu64 " bytes)",
             c->channel, m->version, out->objects_fetched, out->bytes);
    if (channel_collect_garbage(c->store, c->objects) < 0)
        LOG_WARN("channel", "could not collect unused objects");
done:
    model_pack_destroy(pack);
    return (out->outcome == CHANNEL_UPDATED || out->outcome == CHANNEL_CURRENT) ? 0 : -1;
}

int channel_fetch_local(void *user, objects *objs, const model_object *obj, uint64_t *bytes,
                        char *err, size_t errlen)
{
    const char *dir = user;
    char path[4096];
    snprintf(path, sizeof path, "%s/objects/%.2s/%s", dir, obj->sha256, obj->sha256);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return CHANNEL_FETCH_FAILED;
    }
    objects_writer *w = objects_writer_begin(objs, obj->sha256, obj->size);
    if (!w) {
        close(fd);
        snprintf(err, errlen, "cannot write into the object store");
        return CHANNEL_FETCH_FAILED;
    }
    char buf[65536];
    int rc = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            rc = CHANNEL_FETCH_FAILED;
            break;
        }
        if (n == 0)
            break;
        *bytes += (uint64_t)n;
        int wr = objects_writer_write(w, buf, (size_t)n);
        if (wr != 0) {
            snprintf(err, errlen, "%s", objects_strerror(wr));
            rc = wr == OBJECTS_ERR_TOO_LONG ? CHANNEL_FETCH_CORRUPT : CHANNEL_FETCH_FAILED;
            break;
        }
    }
    close(fd);
    if (rc != 0) {
        objects_writer_abort(w);
        return rc;
    }
    int cm = objects_writer_commit(w);
    if (cm == OBJECTS_ERR_HASH || cm == OBJECTS_ERR_SHORT || cm == OBJECTS_ERR_TOO_LONG) {
        snprintf(err, errlen, "%s", objects_strerror(cm));
        return CHANNEL_FETCH_CORRUPT;
    }
    if (cm != 0) {
        snprintf(err, errlen, "%s", objects_strerror(cm));
        return CHANNEL_FETCH_FAILED;
    }
    return CHANNEL_FETCH_OK;
}

struct keep_set {
    char **v;
    size_t n, cap;
    bool failed;
};

/* Collects objects.*.sha256 of one kept manifest (already verified once). */
static int keep_manifest(void *user, const store_manifest *m)
{
    struct keep_set *k = user;
    json_error_t jerr;
    json_t *root = json_loadb(m->manifest_json, m->manifest_len, 0, &jerr);
    json_t *objs = json_object_get(root, "objects");
    if (!json_is_object(objs)) {
        k->failed = true; /* keep everything rather than guess */
        json_decref(root);
        return 0;
    }
    const char *name;
    json_t *o;
    json_object_foreach(objs, name, o)
    {
        const char *sha = json_string_value(json_object_get(o, "sha256"));
        if (!sha)
            continue;
        if (k->n == k->cap) {
            size_t cap = k->cap ? k->cap * 2 : 64;
            char **nv = realloc(k->v, cap * sizeof *nv);
            if (!nv) {
                k->failed = true;
                break;
            }
            k->v = nv;
            k->cap = cap;
        }
        k->v[k->n] = strdup(sha);
        if (!k->v[k->n]) {
            k->failed = true;
            break;
        }
        k->n++;
    }
    json_decref(root);
    return 0;
}

int channel_collect_garbage(store *st, objects *objs)
{
    struct keep_set k = {0};
    int rc = -1;
    if (store_manifests_in_use(st, keep_manifest, &k) != 0 || k.failed)
        goto done;
    size_t removed = 0;
    if (objects_gc(objs, (const char *const *)k.v, k.n, &removed) != 0)
        goto done;
    rc = (int)removed;
done:
    for (size_t i = 0; i < k.n; i++)
        free(k.v[i]);
    free(k.v);
    return rc;
}

model_pack *channel_load_active(store *st, const char *channel, char *err, size_t errlen)
{
    store_manifest m = {0};
    int rc = store_get_active(st, channel, &m, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "%s",
                 rc == STORE_ERR_NOT_FOUND ? "no active pack yet" : store_strerror(rc));
        return NULL;
    }
    pack_json_errors *errs = malloc(sizeof *errs);
    model_pack *pack = NULL;
    if (errs && pack_json_parse(m.manifest_json, m.manifest_len, "manifest.json",
                                PACK_JSON_MANIFEST, &pack, errs) != 0) {
        const pack_json_error *e = errs->count ? &errs->list[0] : NULL;
        snprintf(err, errlen, "stored manifest v%" PRId64 " unreadable: %s: %s", m.version,
                 e ? e->path : "", e ? e->message : "?");
    }
    free(errs);
    store_manifest_clear(&m);
    return pack;
}

int channel_verify_active(store *st, objects *objs, const char *channel)
{
    store_manifest m = {0};
    if (store_get_active(st, channel, &m, NULL) != 0)
        return 0;
    int bad = 0;
    json_error_t jerr;
    json_t *root = json_loadb(m.manifest_json, m.manifest_len, 0, &jerr);
    json_t *list = json_object_get(root, "objects");
    const char *name;
    json_t *o;
    json_object_foreach(list, name, o)
    {
        const char *sha = json_string_value(json_object_get(o, "sha256"));
        json_int_t size = json_integer_value(json_object_get(o, "size"));
        if (!sha || !objects_valid_hex(sha))
            continue;
        int rc = objects_has(objs, sha, (uint64_t)size) ? objects_verify(objs, sha)
                                                        : OBJECTS_ERR_NOT_FOUND;
        if (rc != 0) {
            LOG_WARN("channel", "%s: version %" PRId64 ": object %s (%s) %s", channel, m.version,
                     name, sha,
                     rc == OBJECTS_ERR_CORRUPT ? "was corrupt and is removed" : "is missing");
            bad++;
        }
    }
    json_decref(root);
    store_manifest_clear(&m);
    return bad;
}
