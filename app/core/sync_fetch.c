/* sync_fetch: a manifest's missing objects, several transfers at once,
 * streamed through objects_writer (hashed on the way, never beyond the
 * declared size), resumed with Range from a partial a broken transfer left.
 * Must never commit an object that does not hash to its name, and never
 * throw away a partial that a later cycle could resume. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"
#include "app/core/pack_json.h"
#include "app/core/sync_private.h"

enum { DL_PENDING = 1 }; /* besides the CHANNEL_FETCH_ values */

struct sync_download {
    sync_fetch_state *fs;
    const model_object *obj; /* in fs->pack */
    objects_writer *w;
    uint64_t offset; /* where the Range request started (0: whole body) */
    uint64_t body;   /* body bytes received */
    bool started, done;
    int status;
    char reason[200];
};

static void dl_fail(sync_download *d, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void dl_fail(sync_download *d, int status, const char *fmt, ...)
{
    d->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->reason, sizeof d->reason, fmt, ap);
    va_end(ap);
}

static bool dl_write(void *user, const net_response *head, const void *data, size_t len)
{
    sync_download *d = user;
    d->body += len;
    if (!d->started) {
        d->started = true;
        if (d->offset > 0 && head->http_code == 200) {
            /* The server ignored the Range: take the whole body from the start. */
            if (objects_writer_rewind(d->w) != 0) {
                dl_fail(d, CHANNEL_FETCH_FAILED, "cannot restart the partial file");
                return false;
            }
        } else if (d->offset > 0 && (!head->has_content_range || head->range_start != d->offset)) {
            dl_fail(d, CHANNEL_FETCH_FAILED,
                    "the server did not answer the Range from byte %" PRIu64, d->offset);
            return false;
        }
    }
    int rc = objects_writer_write(d->w, data, len);
    if (rc == OBJECTS_ERR_TOO_LONG) {
        dl_fail(d, CHANNEL_FETCH_CORRUPT, "%s (%" PRIu64 " bytes)", objects_strerror(rc),
                d->obj->size);
        return false;
    }
    if (rc != 0) {
        dl_fail(d, CHANNEL_FETCH_FAILED, "%s", objects_strerror(rc));
        return false;
    }
    return true;
}

static void dl_commit(sync_download *d)
{
    int rc = objects_writer_commit(d->w);
    d->w = NULL;
    if (rc == 0) {
        d->status = CHANNEL_FETCH_OK;
        d->fs->s->fetched++;
    } else if (rc == OBJECTS_ERR_HASH || rc == OBJECTS_ERR_SHORT || rc == OBJECTS_ERR_TOO_LONG) {
        dl_fail(d, CHANNEL_FETCH_CORRUPT, "%s", objects_strerror(rc));
    } else {
        dl_fail(d, CHANNEL_FETCH_FAILED, "%s", objects_strerror(rc));
    }
}

static void dl_done(void *user, const net_response *r)
{
    sync_download *d = user;
    d->fs->s->bytes += r->header_bytes + r->body_bytes;
    d->done = true;
    if (d->status == DL_PENDING) {
        uint64_t have = objects_writer_offset(d->w);
        if (r->curl_code != 0 && !r->aborted)
            dl_fail(d, CHANNEL_FETCH_FAILED, "%s (%" PRIu64 " of %" PRIu64 " bytes)", r->error,
                    have, d->obj->size);
        else if (r->http_code == 416)
            dl_fail(d, CHANNEL_FETCH_FAILED, "HTTP 416 for a Range from byte %" PRIu64, d->offset);
        else if (r->http_code != 0 && (r->http_code < 200 || r->http_code > 299))
            dl_fail(d, CHANNEL_FETCH_FAILED, "HTTP %ld", r->http_code);
        else if (have < d->obj->size)
            dl_fail(d, CHANNEL_FETCH_FAILED, "truncated: %" PRIu64 " of %" PRIu64 " bytes", have,
                    d->obj->size);
        else
            return dl_commit(d);
        if (r->http_code == 416) {
            objects_writer_abort(d->w); /* the partial does not match the server's file */
            d->w = NULL;
        }
    }
    if (d->status == CHANNEL_FETCH_CORRUPT)
        objects_writer_abort(d->w);
    else
        objects_writer_pause(d->w); /* keep the bytes for a Range next time */
    d->w = NULL;
}

static void object_url(const sync_engine *s, const char *sha, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/objects/%.2s/%s", s->base, sha, sha);
}

/* Opens a writer (resuming a partial over http) and queues the transfer,
 * or settles the download at once. */
static void dl_start(sync_download *d)
{
    sync_engine *s = d->fs->s;
    const model_object *o = d->obj;
    d->status = DL_PENDING;
    if (s->remote) {
        d->w = objects_writer_resume(s->objects, o->sha256, o->size, &d->offset);
        if (d->w && d->offset == o->size) {
            dl_commit(d);
            if (d->status == CHANNEL_FETCH_OK) {
                d->done = true;
                return;
            }
            d->status = DL_PENDING; /* a bad partial: fetch it again whole */
            d->offset = 0;
            d->w = NULL;
        }
    }
    if (!d->w)
        d->w = objects_writer_begin(s->objects, o->sha256, o->size);
    if (!d->w) {
        dl_fail(d, CHANNEL_FETCH_FAILED, "cannot write into the object store");
        d->done = true;
        return;
    }
    if (d->offset > 0)
        LOG_INFO("sync", "%s: resuming %s at byte %" PRIu64 " of %" PRIu64, s->channel, o->name,
                 d->offset, o->size);
    char url[2200];
    object_url(s, o->sha256, url, sizeof url);
    net_request rq = {.url = url,
                      .range_start = d->offset,
                      .deadline_s = SYNC_OBJECT_DEADLINE_S,
                      .write = dl_write,
                      .done = dl_done,
                      .user = d};
    if (net_get(s->net, &rq) != 0) {
        dl_fail(d, CHANNEL_FETCH_FAILED, "the network client failed");
        objects_writer_pause(d->w);
        d->w = NULL;
        d->done = true;
    }
}

static bool all_done(const sync_fetch_state *fs)
{
    for (size_t i = 0; i < fs->n_dl; i++)
        if (!fs->dl[i].done)
            return false;
    return true;
}

/* Parses the (already verified) manifest and downloads every missing object. */
static int fetch_all(sync_fetch_state *fs, char *err, size_t errlen)
{
    sync_engine *s = fs->s;
    pack_json_errors *errs = malloc(sizeof *errs);
    if (!errs || pack_json_parse(fs->manifest, fs->manifest_len, "manifest.json",
                                 PACK_JSON_MANIFEST, &fs->pack, errs) != 0) {
        free(errs);
        snprintf(err, errlen, "cannot parse the manifest again");
        return -1;
    }
    free(errs);
    const model_manifest *m = &fs->pack->manifest;
    fs->dl = calloc(m->n_objects ? m->n_objects : 1, sizeof *fs->dl);
    if (!fs->dl) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < m->n_objects; i++) {
        const model_object *o = &m->objects[i];
        bool dup = false;
        for (size_t k = 0; k < fs->n_dl && !dup; k++)
            dup = strcmp(fs->dl[k].obj->sha256, o->sha256) == 0;
        if (dup || objects_has(s->objects, o->sha256, o->size))
            continue;
        sync_download *d = &fs->dl[fs->n_dl++];
        d->fs = fs;
        d->obj = o;
    }
    /* All queued before any runs: net caps how many are in flight. */
    for (size_t i = 0; i < fs->n_dl; i++)
        dl_start(&fs->dl[i]);
    while (!all_done(fs)) {
        if (net_run(s->net, 1000) < 0) {
            snprintf(err, errlen, "the network client failed");
            return -1;
        }
    }
    return 0;
}

int sync_fetch_object(void *user, objects *objs, const model_object *obj, uint64_t *bytes,
                      char *err, size_t errlen)
{
    (void)objs;
    sync_fetch_state *fs = user;
    if (!fs->started) {
        fs->started = true;
        if (fetch_all(fs, err, errlen) != 0)
            return CHANNEL_FETCH_FAILED;
    }
    for (size_t i = 0; i < fs->n_dl; i++) {
        sync_download *d = &fs->dl[i];
        if (strcmp(d->obj->sha256, obj->sha256) != 0)
            continue;
        if (d->status == CHANNEL_FETCH_OK) {
            *bytes += d->body;
            return CHANNEL_FETCH_OK;
        }
        snprintf(err, errlen, "%s", d->reason);
        return d->status == CHANNEL_FETCH_CORRUPT ? CHANNEL_FETCH_CORRUPT : CHANNEL_FETCH_FAILED;
    }
    snprintf(err, errlen, "not downloaded");
    return CHANNEL_FETCH_FAILED;
}

void sync_fetch_state_clear(sync_fetch_state *fs)
{
    for (size_t i = 0; i < fs->n_dl; i++) {
        objects_writer_pause(fs->dl[i].w);
        fs->dl[i].w = NULL;
    }
    free(fs->dl);
    fs->dl = NULL;
    fs->n_dl = 0;
    model_pack_destroy(fs->pack);
    fs->pack = NULL;
}
