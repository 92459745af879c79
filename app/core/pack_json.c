/* pack_json: the entry point, the error list, the document-level keys
 * (format, facility, timezone, feeds, screen_hours) and the manifest's
 * additions. Readers for values are in pack_json_read.c, items and the rest
 * of the content in pack_json_content.c.
 * Must never hand jansson a document before its size and depth are checked,
 * and never return a pack that had any error. */
#include "app/core/pack_json.h"
#include "app/core/jsonpos.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/pack_json_private.h"

/* ---- the error list ---- */

void pack_json_errors_init(pack_json_errors *errs, const char *filename)
{
    errs->count = 0;
    errs->total = 0;
    snprintf(errs->file, sizeof errs->file, "%s", filename && *filename ? filename : "pack.json");
}

/* Inserts after every entry at or before offset: the list stays in file
 * order, and equal places keep the order they were found in. */
static pack_json_error *insert_error(pack_json_errors *errs, size_t offset)
{
    errs->total++;
    if (errs->count >= PACK_JSON_MAX_ERRORS)
        return NULL;
    size_t at = errs->count;
    while (at > 0 && errs->list[at - 1].offset > offset)
        at--;
    memmove(&errs->list[at + 1], &errs->list[at], (errs->count - at) * sizeof errs->list[0]);
    errs->count++;
    pack_json_error *e = &errs->list[at];
    memset(e, 0, sizeof *e);
    e->offset = offset;
    return e;
}

static void set_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src && *src ? src : "(root)");
    jsonpos_printable(dst);
}

static void add_located(pack_json_errors *errs, const jsonpos_loc *loc, const char *path,
                        const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void add_located(pack_json_errors *errs, const jsonpos_loc *loc, const char *path,
                        const char *fmt, va_list ap)
{
    pack_json_error *e = insert_error(errs, loc->offset);
    if (!e)
        return;
    e->line = loc->line;
    e->column = loc->column;
    set_text(e->path, sizeof e->path, path);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    jsonpos_printable(e->message);
}

int pack_json_errors_add(pack_json_errors *errs, const char *text, size_t len, const char *path,
                         const char *fmt, ...)
{
    jsonpos_loc loc;
    jsonpos_locate_str(text, len, path, JSONPOS_VALUE, &loc);
    size_t before = errs->count;
    va_list ap;
    va_start(ap, fmt);
    add_located(errs, &loc, path, fmt, ap);
    va_end(ap);
    return errs->count > before ? 0 : -1;
}

int pack_json_error_line(const pack_json_errors *errs, size_t i, char *buf, size_t size)
{
    if (i >= errs->count)
        return -1;
    const pack_json_error *e = &errs->list[i];
    return snprintf(buf, size, "%s:%u:%u: %s: %s", errs->file, (unsigned)e->line,
                    (unsigned)e->column, e->path, e->message);
}

void pack_json_errors_print(const pack_json_errors *errs, FILE *f)
{
    char line[sizeof errs->file + sizeof errs->list[0].path + sizeof errs->list[0].message + 32];
    for (size_t i = 0; i < errs->count; i++) {
        pack_json_error_line(errs, i, line, sizeof line);
        fprintf(f, "%s\n", line);
    }
    if (errs->total > errs->count)
        fprintf(f, "%s: %zu more problems not shown\n", errs->file, errs->total - errs->count);
}

/* ---- the context: path and errors ---- */

void pj_push_key(pj *c, const char *key)
{
    if (c->depth >= JSONPOS_MAX_SEGS) {
        c->overflow++;
        return;
    }
    c->path[c->depth++] = (jsonpos_seg){.key = key, .key_len = strlen(key)};
}

void pj_push_index(pj *c, size_t index)
{
    if (c->depth >= JSONPOS_MAX_SEGS) {
        c->overflow++;
        return;
    }
    c->path[c->depth++] = (jsonpos_seg){.index = index};
}

void pj_pop(pj *c)
{
    if (c->overflow)
        c->overflow--;
    else if (c->depth)
        c->depth--;
}

bool pj_room(const pj *c)
{
    return c->errs->count < PACK_JSON_MAX_ERRORS;
}

static void error_at(pj *c, const jsonpos_seg *segs, size_t n, jsonpos_target target,
                     const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void error_at(pj *c, const jsonpos_seg *segs, size_t n, jsonpos_target target,
                     const char *fmt, va_list ap)
{
    if (!pj_room(c)) {
        c->errs->total++;
        return;
    }
    jsonpos_loc loc;
    jsonpos_locate(c->text, c->len, segs, n, target, &loc);
    char path[sizeof c->errs->list[0].path];
    jsonpos_path_format(segs, n, path, sizeof path);
    add_located(c->errs, &loc, path, fmt, ap);
}

void pj_error(pj *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_at(c, c->path, c->depth, JSONPOS_VALUE, fmt, ap);
    va_end(ap);
}

void pj_error_key(pj *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_at(c, c->path, c->depth, JSONPOS_KEY, fmt, ap);
    va_end(ap);
}

void pj_error_segs(pj *c, const jsonpos_seg *segs, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_at(c, segs, n, JSONPOS_VALUE, fmt, ap);
    va_end(ap);
}

void pj_error_path(pj *c, const char *path, const char *fmt, ...)
{
    jsonpos_seg segs[JSONPOS_MAX_SEGS];
    int n = jsonpos_path_parse(path, segs, JSONPOS_MAX_SEGS);
    va_list ap;
    va_start(ap, fmt);
    error_at(c, segs, n < 0 ? 0 : (size_t)n, JSONPOS_VALUE, fmt, ap);
    va_end(ap);
}

void pj_nomem(pj *c)
{
    c->nomem = true;
}

/* ---- document-level keys ---- */

static const char *const root_keys[] = {"$schema",   "format",    "facility",     "timezone",
                                        "items",     "playlists", "schedule",     "ticker",
                                        "childcare", "feeds",     "screen_hours", NULL};
static const char *const manifest_keys[] = {"channel", "version", "issued",
                                            "expires", "objects", NULL};
static const char *const all_keys[] = {
    "$schema", "format",    "facility", "timezone",     "items",   "playlists", "schedule",
    "ticker",  "childcare", "feeds",    "screen_hours", "channel", "version",   "issued",
    "expires", "objects",   NULL};

static bool in_list(const char *key, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(key, list[i]) == 0)
            return true;
    return false;
}

static void check_root_keys(pj *c, json_t *root)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (in_list(key, root_keys))
            continue;
        bool manifest_key = in_list(key, manifest_keys);
        if (manifest_key && c->mode == PACK_JSON_MANIFEST)
            continue;
        pj_push_key(c, key);
        if (manifest_key) {
            pj_error_key(c, "only allowed in a published manifest (hiroba-pack build adds it)");
        } else if (pj_room(c)) {
            const char *s = pj_suggest(key, c->mode == PACK_JSON_MANIFEST ? all_keys : root_keys);
            char q[64];
            if (s)
                pj_error_key(c, "unknown key (did you mean %s?)", pj_quote(s, q, sizeof q));
            else
                pj_error_key(c, "unknown key");
        } else {
            pj_error_key(c, "unknown key");
        }
        pj_pop(c);
    }
}

static void read_format(pj *c, json_t *root)
{
    json_t *v = pj_enter(c, root, "format", true, "add \"format\": 1");
    int64_t f;
    if (v && pj_read_int(c, v, INT64_MIN, INT64_MAX, "expected the integer 1", &f)) {
        if (f != 1)
            pj_error(c, "unsupported format %lld (this hiroba reads format 1)", (long long)f);
        c->pack->format = (int)(f == 1 ? 1 : 0);
    }
    pj_pop(c);
    v = pj_enter(c, root, "$schema", false, NULL);
    if (v)
        pj_read_string(c, v, PACK_JSON_MAX_URL, "expected a string (the schema's URL)");
    pj_pop(c);
}

static void read_facility(pj *c, json_t *root)
{
    static const char *const keys[] = {"name", "logo", NULL};
    json_t *f = pj_enter(c, root, "facility", true, "the facility's name is shown in the header");
    if (f && pj_is_object(c, f, "expected an object {\"name\": …, \"logo\": …}")) {
        pj_check_keys(c, f, keys);
        json_t *v = pj_enter(c, f, "name", true, NULL);
        if (v)
            pj_read_text(c, v, &c->pack->facility.name);
        pj_pop(c);
        v = pj_enter(c, f, "logo", false, NULL);
        if (v)
            c->pack->facility.logo = pj_read_media(c, v, MODEL_MEDIA_IMAGE);
        pj_pop(c);
    }
    pj_pop(c);
}

static void read_timezone(pj *c, json_t *root)
{
    json_t *v = pj_enter(c, root, "timezone", false, NULL);
    const char *name = TZ_DEFAULT_NAME;
    if (v) {
        name = pj_read_string(c, v, TZ_NAME_MAX, "expected a time zone name like \"Asia/Tokyo\"");
        if (name && !tz_name_valid(name)) {
            char q[64];
            pj_error(c, "not a time zone name: %s (like \"Asia/Tokyo\")",
                     pj_quote(name, q, sizeof q));
            name = NULL;
        }
    }
    if (name) {
        const char *why = "not installed";
        tz_zone *z = tz_zone_load(name, &why);
        if (z) {
            c->pack->owned_zone = z;
            c->pack->zone = z;
            c->pack->timezone = model_strndup(c->pack, name, strlen(name));
        } else {
            char q[64];
            pj_error(c, "unknown time zone %s%s: %s", pj_quote(name, q, sizeof q),
                     v ? "" : " (the default)", why);
        }
    }
    pj_pop(c);
}

static void read_feeds(pj *c, json_t *root)
{
    static const char *const keys[] = {"queue", "vacancy", "alerts", "cap", NULL};
    json_t *f = pj_enter(c, root, "feeds", false, NULL);
    if (f && pj_is_object(c, f, "expected an object of feed URLs")) {
        pj_check_keys(c, f, keys);
        const char **slots[] = {&c->pack->feeds.queue, &c->pack->feeds.vacancy,
                                &c->pack->feeds.alerts, &c->pack->feeds.cap};
        for (size_t i = 0; keys[i]; i++) {
            json_t *v = pj_enter(c, f, keys[i], false, NULL);
            if (v)
                *slots[i] = pj_read_url(c, v, false);
            pj_pop(c);
        }
    }
    pj_pop(c);
}

static void read_screen_hours(pj *c, json_t *root)
{
    static const char *const keys[] = {"on", "off", NULL};
    json_t *h = pj_enter(c, root, "screen_hours", false, NULL);
    if (h && pj_is_object(c, h, "expected an object {\"on\": \"07:00\", \"off\": \"22:00\"}")) {
        pj_check_keys(c, h, keys);
        model_screen_hours *sh = &c->pack->screen_hours;
        bool ok = true;
        json_t *v = pj_enter(c, h, "on", true, NULL);
        ok = v && pj_read_time(c, v, false, &sh->on_min) && ok;
        pj_pop(c);
        v = pj_enter(c, h, "off", true, NULL);
        ok = v && pj_read_time(c, v, true, &sh->off_min) && ok;
        if (ok && sh->off_min % 1440 == sh->on_min)
            pj_error(c, "same as \"on\": leave screen_hours out to keep the screen on");
        pj_pop(c);
        sh->set = ok;
    }
    pj_pop(c);
}

/* ---- entry point ---- */

static size_t capped_size(json_t *arr, size_t max)
{
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
    return n < max ? n : max;
}

/* The most media records this document can need: one logo, one per item,
 * an icon per category, an image and a video per page. Records must not
 * move once referenced, so the table is sized before reading. */
static size_t media_bound(json_t *root)
{
    size_t n = 1 + capped_size(json_object_get(root, "items"), PACK_JSON_MAX_ITEMS);
    json_t *cats = json_object_get(json_object_get(root, "childcare"), "categories");
    size_t nc = capped_size(cats, PACK_JSON_MAX_CATEGORIES), pages = 0;
    for (size_t i = 0; i < nc; i++)
        pages +=
            capped_size(json_object_get(json_array_get(cats, i), "pages"), PACK_JSON_MAX_PAGES);
    return n + nc + 2 * (pages < PACK_JSON_MAX_PAGES ? pages : PACK_JSON_MAX_PAGES);
}

static int finish(pj *c, json_t *root, model_pack **out)
{
    json_decref(root);
    free(c->media_slots);
    c->media_slots = NULL;
    if (c->nomem) {
        /* Whatever else was found, the one thing to say is this. */
        c->errs->count = c->errs->total = 0;
        pack_json_error *e = insert_error(c->errs, 0);
        *e = (pack_json_error){.line = 1, .column = 1};
        set_text(e->path, sizeof e->path, NULL);
        snprintf(e->message, sizeof e->message, "out of memory");
        model_pack_destroy(c->pack);
        return PACK_JSON_NOMEM;
    }
    if (c->errs->total > 0) {
        model_pack_destroy(c->pack);
        return PACK_JSON_INVALID;
    }
    *out = c->pack;
    return 0;
}

static void syntax_error(pj *c, const json_error_t *je)
{
    size_t pos = je->position > 0 ? (size_t)je->position : 0;
    if (pos > c->len)
        pos = c->len;
    char path[sizeof c->errs->list[0].path];
    jsonpos_path_at(c->text, c->len, pos > 0 ? pos - 1 : 0, path, sizeof path);
    pack_json_error *e = insert_error(c->errs, pos);
    if (!e)
        return;
    e->line = je->line > 0 ? (uint32_t)je->line : 1;
    e->column = je->column > 0 ? (uint32_t)je->column : 1;
    set_text(e->path, sizeof e->path, path);
    snprintf(e->message, sizeof e->message, "invalid JSON: %s", je->text);
    jsonpos_printable(e->message);
}

int pack_json_parse(const char *text, size_t len, const char *filename, enum pack_json_mode mode,
                    model_pack **out, pack_json_errors *errs)
{
    pack_json_errors_init(errs, filename);
    *out = NULL;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3; /* editors on Windows like to add one */
        len -= 3;
    }
    pj c = {.text = text, .len = len, .mode = mode, .errs = errs};
    if (len > PACK_JSON_MAX_BYTES) {
        pack_json_error *e = insert_error(errs, 0);
        *e = (pack_json_error){.line = 1, .column = 1};
        set_text(e->path, sizeof e->path, NULL);
        snprintf(e->message, sizeof e->message, "document too large (%zu bytes; at most %u)", len,
                 PACK_JSON_MAX_BYTES);
        return PACK_JSON_INVALID;
    }
    size_t deep_at;
    if (jsonpos_too_deep(text, len, PACK_JSON_MAX_DEPTH, &deep_at)) {
        char path[sizeof errs->list[0].path];
        jsonpos_path_at(text, len, deep_at, path, sizeof path);
        pack_json_error *e = insert_error(errs, deep_at);
        jsonpos_linecol(text, len, deep_at, &e->line, &e->column);
        set_text(e->path, sizeof e->path, path);
        snprintf(e->message, sizeof e->message, "nested deeper than %d levels",
                 PACK_JSON_MAX_DEPTH);
        return PACK_JSON_INVALID;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (json_error_code(&je) == json_error_out_of_memory) {
            c.nomem = true;
            c.pack = NULL;
            return finish(&c, NULL, out);
        }
        syntax_error(&c, &je);
        return PACK_JSON_INVALID;
    }
    c.pack = model_pack_new();
    c.max_media = media_bound(root);
    c.media = c.pack ? model_alloc(c.pack, c.max_media, sizeof *c.media) : NULL;
    c.media_slots = malloc(PJ_MEDIA_SLOTS * sizeof *c.media_slots);
    if (!c.media || !c.media_slots) {
        c.nomem = true;
        return finish(&c, root, out);
    }
    for (size_t i = 0; i < PJ_MEDIA_SLOTS; i++)
        c.media_slots[i] = -1;
    c.pack->media = c.media;

    if (!json_is_object(root)) {
        pj_error(&c, "expected an object {…} (a pack document)");
        return finish(&c, root, out);
    }
    check_root_keys(&c, root);
    read_format(&c, root);
    read_facility(&c, root);
    read_timezone(&c, root);
    pj_read_items(&c, root);
    pj_read_playlists(&c, root);
    pj_read_schedule_entries(&c, root);
    pj_read_ticker(&c, root);
    pj_read_childcare(&c, root);
    read_feeds(&c, root);
    read_screen_hours(&c, root);
    c.pack->n_media = c.n_media;
    if (model_pack_index(c.pack) != 0)
        pj_nomem(&c);
    if (mode == PACK_JSON_MANIFEST) {
        pj_read_manifest(&c, root);
        pj_link_objects(&c);
    }
    return finish(&c, root, out);
}
