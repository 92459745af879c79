/* pack_json_manifest: what a published manifest adds to a pack source:
 * channel, version, issued/expires (RFC 3339) and the objects table, and the
 * rule that the files used and the files listed are the same set.
 * Must never accept a manifest whose objects and references disagree. */
#include <stdlib.h>
#include <string.h>

#include "app/core/clock.h"
#include "app/core/pack_json_private.h"

/* RFC 3339: 2026-11-24T10:00:00+09:00, fraction optional, Z or ±HH:MM. */
static bool rfc3339(const char *s, int64_t *out)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    size_t i = 0;
    for (; shape[i]; i++) {
        char want = shape[i], got = s[i];
        if (want == 'd' ? !(got >= '0' && got <= '9') : (want == 'T' ? got != 'T' : got != want))
            return false;
    }
    const char *p = s + i;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        if (!(p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' && p[3] == ':' &&
              p[4] >= '0' && p[4] <= '9' && p[5] >= '0' && p[5] <= '9'))
            return false;
        p += 6;
    } else {
        return false;
    }
    clock_time t;
    if (*p != '\0' || clock_parse_iso8601(s, &t) != 0)
        return false;
    *out = t.sec;
    return true;
}

static bool read_instant(pj *c, json_t *root, const char *key, int64_t *out)
{
    json_t *v = pj_enter(c, root, key, true, NULL);
    bool ok = false;
    const char *s =
        v ? pj_read_string(c, v, 64, "expected a time like \"2026-11-24T10:00:00+09:00\"") : NULL;
    if (s) {
        ok = rfc3339(s, out);
        if (!ok)
            pj_error(c,
                     "expected an RFC 3339 time with offset, like \"2026-11-24T10:00:00+09:00\"");
    }
    pj_pop(c);
    return ok;
}

static bool sha256_hex(const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return i == 64;
}

static int cmp_object(const void *a, const void *b)
{
    return strcmp(((const model_object *)a)->name, ((const model_object *)b)->name);
}

static void read_objects(pj *c, json_t *root)
{
    static const char *const keys[] = {"sha256", "size", NULL};
    model_manifest *m = &c->pack->manifest;
    json_t *objs = pj_enter(c, root, "objects", true, "a manifest lists every file the pack uses");
    if (!objs || !pj_is_object(
                     c, objs, "expected an object {\"file name\": {\"sha256\": …, \"size\": …}}")) {
        pj_pop(c);
        return;
    }
    size_t n = json_object_size(objs);
    if (n > PACK_JSON_MAX_OBJECTS) {
        pj_error(c, "too many objects (%zu; at most %d)", n, PACK_JSON_MAX_OBJECTS);
        n = PACK_JSON_MAX_OBJECTS;
    }
    model_object *list = model_alloc(c->pack, n ? n : 1, sizeof *list);
    if (!list) {
        pj_nomem(c);
        pj_pop(c);
        return;
    }
    size_t k = 0;
    const char *name;
    json_t *o;
    json_object_foreach(objs, name, o)
    {
        if (k == n)
            break;
        model_object *obj = &list[k];
        pj_push_key(c, name);
        char msg[160];
        if (pj_check_file_name(name, strlen(name), msg, sizeof msg)) {
            pj_error_key(c, "%s", msg);
        } else if (pj_is_object(c, o, "expected an object {\"sha256\": …, \"size\": …}")) {
            pj_check_keys(c, o, keys);
            obj->name = model_strndup(c->pack, name, strlen(name));
            json_t *v = pj_enter(c, o, "sha256", true, NULL);
            const char *h =
                v ? pj_read_string(c, v, 64, "expected 64 lowercase hex digits (a SHA-256)") : NULL;
            if (h && !sha256_hex(h))
                pj_error(c, "expected 64 lowercase hex digits (a SHA-256)");
            else if (h)
                memcpy(obj->sha256, h, 65);
            pj_pop(c);
            int64_t size;
            v = pj_enter(c, o, "size", true, NULL);
            if (v && pj_read_int(c, v, 1, (int64_t)PACK_JSON_MAX_OBJECT_SIZE,
                                 "expected a size in bytes, from 1 to 16 GiB", &size))
                obj->size = (uint64_t)size;
            pj_pop(c);
            if (obj->name)
                k++;
        }
        pj_pop(c);
    }
    qsort(list, k, sizeof *list, cmp_object);
    m->objects = list;
    m->n_objects = k;
    pj_pop(c);
}

void pj_read_manifest(pj *c, json_t *root)
{
    model_manifest *m = &c->pack->manifest;
    m->present = true;
    json_t *v = pj_enter(c, root, "channel", true, NULL);
    if (v)
        m->channel = pj_read_id(c, v);
    pj_pop(c);
    v = pj_enter(c, root, "version", true, NULL);
    int64_t ver;
    if (v && pj_read_int(c, v, 1, (INT64_C(1) << 53) - 1,
                         "expected a version: an integer from 1 to 2^53-1", &ver))
        m->version = ver;
    pj_pop(c);
    bool ok = read_instant(c, root, "issued", &m->issued);
    ok = read_instant(c, root, "expires", &m->expires) && ok;
    if (ok && m->expires <= m->issued) {
        pj_push_key(c, "expires");
        pj_error(c, "not after \"issued\"");
        pj_pop(c);
    }
    read_objects(c, root);
}

/* Manifest: every file used is listed, and every listed file is used. */
void pj_link_objects(pj *c)
{
    model_pack *p = c->pack;
    for (size_t i = 0; i < p->n_media; i++) {
        model_media *m = &c->media[i];
        m->object = model_pack_find_object(p, m->name);
        if (!m->object) {
            char q[64];
            pj_error_path(c, m->where, "%s is not listed in \"objects\"",
                          pj_quote(m->name, q, sizeof q));
        }
    }
    pj_push_key(c, "objects");
    for (size_t i = 0; i < p->manifest.n_objects; i++) {
        const model_object *o = &p->manifest.objects[i];
        if (model_pack_find_media(p, o->name))
            continue;
        pj_push_key(c, o->name);
        pj_error_key(c, "not used by the pack (a manifest lists only the files it uses)");
        pj_pop(c);
    }
    pj_pop(c);
}
