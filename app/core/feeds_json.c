/* feeds_json: the one parser of the queue and vacancy feeds (feeds.h).
 * Checks size and depth before jansson sees the text, then reads each value
 * at its path, reporting problems where they sit (jsonpos). The counters
 * and facilities are read in feeds_json_boards.c. Unknown keys are
 * ignored; a known key of the wrong type or out of range is an error.
 * Must never return a snapshot that had any error, and never keep a pointer
 * into jansson's memory: what is kept is copied into the snapshot's arena. */
#include "app/core/feeds.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/clock.h"
#include "app/core/feeds_json_private.h"

/* ---- the arena: chunks freed in one go ---- */

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, size;
    max_align_t data[];
} arena_chunk;

struct feeds_arena {
    arena_chunk *head;
};

#define ARENA_CHUNK (32u * 1024)

static void arena_free(struct feeds_arena *a)
{
    if (!a)
        return;
    for (arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

/* Zeroed, aligned for any type. n * size never overflows here: counts are
 * capped by the limits before they are multiplied. */
void *fj_arena_alloc(struct feeds_arena *a, size_t n, size_t size)
{
    size_t bytes = n * size, align = sizeof(max_align_t);
    bytes = (bytes + align - 1) / align * align;
    if (bytes == 0)
        bytes = align;
    arena_chunk *c = a->head;
    if (!c || c->size - c->used < bytes) {
        size_t cap = bytes > ARENA_CHUNK ? bytes : ARENA_CHUNK;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->size = cap;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += bytes;
    memset(p, 0, bytes);
    return p;
}

/* ---- the context: path and errors ---- */

void fj_push_key(fj *c, const char *key)
{
    /* The depth limit keeps paths far below JSONPOS_MAX_SEGS. */
    if (c->depth < JSONPOS_MAX_SEGS)
        c->path[c->depth++] = (jsonpos_seg){.key = key, .key_len = strlen(key)};
}

void fj_push_index(fj *c, size_t index)
{
    if (c->depth < JSONPOS_MAX_SEGS)
        c->path[c->depth++] = (jsonpos_seg){.index = index};
}

void fj_pop(fj *c)
{
    if (c->depth)
        c->depth--;
}

/* Inserted after every entry at or before offset: file order, ties in the
 * order found. */
static feeds_error *insert_error(feeds_errors *errs, size_t offset)
{
    errs->total++;
    if (errs->count >= FEEDS_MAX_ERRORS)
        return NULL;
    size_t at = errs->count;
    while (at > 0 && errs->list[at - 1].offset > offset)
        at--;
    memmove(&errs->list[at + 1], &errs->list[at], (errs->count - at) * sizeof errs->list[0]);
    errs->count++;
    feeds_error *e = &errs->list[at];
    memset(e, 0, sizeof *e);
    e->offset = offset;
    return e;
}

static void set_path(feeds_error *e, const char *path)
{
    snprintf(e->path, sizeof e->path, "%s", path && *path ? path : "(root)");
    jsonpos_printable(e->path);
}

void fj_error_at(fj *c, jsonpos_target target, const char *fmt, ...)
{
    if (c->errs->count >= FEEDS_MAX_ERRORS) {
        c->errs->total++;
        return;
    }
    jsonpos_loc loc;
    jsonpos_locate(c->text, c->len, c->path, c->depth, target, &loc);
    feeds_error *e = insert_error(c->errs, loc.offset);
    e->line = loc.line;
    e->column = loc.column;
    char path[sizeof e->path];
    jsonpos_path_format(c->path, c->depth, path, sizeof path);
    set_path(e, path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    jsonpos_printable(e->message);
}

/* A short quoted copy of s for messages ("…" past 32 bytes). */
const char *fj_quote(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    if (n > 32) {
        n = 32;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* do not cut a character in two */
        snprintf(buf, size, "\"%.*s…\"", (int)n, s);
    } else {
        snprintf(buf, size, "\"%s\"", s);
    }
    return buf;
}

/* ---- readers: the value at the current path ---- */

/* Pushes key and returns its value; reports a missing required key at the
 * enclosing object. Always pair with pop. */
json_t *fj_enter(fj *c, json_t *obj, const char *key, bool required)
{
    json_t *v = json_object_get(obj, key);
    if (!v && required)
        FJ_ERR(c, "missing \"%s\"", key);
    fj_push_key(c, key);
    return v;
}

bool fj_read_array(fj *c, json_t *v, size_t max, const char *what, size_t *n)
{
    *n = 0;
    if (!json_is_array(v)) {
        FJ_ERR(c, "expected a list of %s", what);
        return false;
    }
    *n = json_array_size(v);
    if (*n > max) {
        FJ_ERR(c, "too many %s (%zu; at most %zu)", what, *n, max);
        *n = 0;
        return false;
    }
    return true;
}

char *fj_keep(fj *c, const char *s, size_t n)
{
    char *d = fj_arena_alloc(c->arena, n + 1, 1);
    if (!d) {
        c->nomem = true;
        return NULL;
    }
    memcpy(d, s, n);
    return d;
}

/* A string of 1..FEEDS_MAX_STRING bytes without control characters
 * (jansson has already refused text that is not UTF-8, and \u0000). */
const char *fj_read_string(fj *c, json_t *v, const char *what)
{
    if (!json_is_string(v)) {
        FJ_ERR(c, "expected %s", what);
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0) {
        FJ_ERR(c, "empty string");
        return NULL;
    }
    if (n > FEEDS_MAX_STRING) {
        FJ_ERR(c, "longer than %d bytes (%zu)", FEEDS_MAX_STRING, n);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F) {
            FJ_ERR(c, "control character in a string");
            return NULL;
        }
    }
    return s;
}

const char *fj_read_id(fj *c, json_t *v)
{
    const char *s = fj_read_string(c, v, "an id (a string)");
    if (!s)
        return NULL;
    size_t n = strlen(s);
    bool ok = n <= FEEDS_MAX_ID;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = s[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
             (i > 0 && (ch == '_' || ch == '-'));
    }
    if (!ok) {
        char q[64];
        FJ_ERR(c, "not an id: %s (1 to 64 of a-z 0-9 _ -, starting with a letter or digit)",
               fj_quote(s, q, sizeof q));
        return NULL;
    }
    return fj_keep(c, s, n);
}

/* A string (Japanese) or {"ja": …, "en": …}. Unknown language codes are
 * ignored (a feed may carry more languages than the kiosk shows). */
bool fj_read_name(fj *c, json_t *v, model_text *out)
{
    memset(out, 0, sizeof *out);
    if (json_is_string(v)) {
        const char *s = fj_read_string(c, v, "a string");
        out->s[MODEL_LANG_JA] = s ? fj_keep(c, s, strlen(s)) : NULL;
        return out->s[MODEL_LANG_JA] != NULL;
    }
    if (!json_is_object(v)) {
        FJ_ERR(c, "expected a name: a string, or an object like {\"ja\": \"…\", \"en\": \"…\"}");
        return false;
    }
    bool ok = true;
    if (!json_object_get(v, "ja")) {
        FJ_ERR(c, "missing \"ja\": every name needs Japanese (other languages fall back to it)");
        ok = false;
    }
    for (int l = 0; l < MODEL_LANG_COUNT; l++) {
        const char *code = model_lang_code((model_lang)l);
        json_t *s = json_object_get(v, code);
        if (!s)
            continue;
        fj_push_key(c, code);
        const char *str = fj_read_string(c, s, "a string");
        out->s[l] = str ? fj_keep(c, str, strlen(str)) : NULL;
        ok = out->s[l] && ok;
        fj_pop(c);
    }
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}

bool fj_read_count(fj *c, json_t *v, int32_t max, int32_t *out)
{
    if (!json_is_integer(v)) {
        FJ_ERR(c, "expected a whole number from 0 to %d", (int)max);
        return false;
    }
    json_int_t n = json_integer_value(v);
    if (n < 0 || n > max) {
        FJ_ERR(c, "must be from 0 to %d (got %lld)", (int)max, (long long)n);
        return false;
    }
    *out = (int32_t)n;
    return true;
}

bool fj_digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* RFC 3339 with an offset: 2026-11-24T10:03:00+09:00 (Z and a fraction allowed). */
static bool read_updated(fj *c, json_t *root, int64_t *when, int32_t *offset)
{
    static const char shape[] =
        "expected a time with its offset, like \"2026-11-24T10:03:00+09:00\"";
    json_t *v = fj_enter(c, root, "updated", true);
    bool ok = false;
    const char *s = v ? fj_read_string(c, v, "a time (a string)") : NULL;
    if (s) {
        size_t n = strlen(s), i = 19;
        int oh = 0, om = 0;
        clock_time t;
        static const char form[] = "dddd-dd-ddTdd:dd:dd";
        ok = n >= 20;
        for (size_t k = 0; ok && k < 19; k++)
            ok = form[k] == 'd' ? s[k] >= '0' && s[k] <= '9' : s[k] == form[k];
        if (ok && s[i] == '.') {
            for (i++; i < n && s[i] >= '0' && s[i] <= '9';)
                i++;
            ok = s[i - 1] != '.';
        }
        if (ok && s[i] == 'Z' && i + 1 == n) {
            *offset = 0;
        } else if (ok && (s[i] == '+' || s[i] == '-') && i + 6 == n && s[i + 3] == ':' &&
                   fj_digits(s + i + 1, 2, &oh) && fj_digits(s + i + 4, 2, &om) && oh <= 23 &&
                   om <= 59) {
            *offset = (s[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            ok = false;
        }
        ok = ok && clock_parse_iso8601(s, &t) == 0;
        if (ok)
            *when = t.sec;
        else
            FJ_ERR(c, "%s", shape);
    }
    fj_pop(c);
    return ok;
}

static void read_format(fj *c, json_t *root)
{
    json_t *v = fj_enter(c, root, "format", true);
    if (v && !json_is_integer(v))
        FJ_ERR(c, "expected the integer 1");
    else if (v && json_integer_value(v) != 1)
        FJ_ERR(c, "unsupported format %lld (this hiroba reads format 1)",
               (long long)json_integer_value(v));
    fj_pop(c);
}

/* Reports an id used before at an earlier index. */
void fj_check_unique(fj *c, const char *id, const char *const *ids, size_t n)
{
    for (size_t k = 0; id && k < n; k++) {
        if (ids[k] && strcmp(ids[k], id) == 0) {
            char q[64];
            FJ_ERR(c, "id %s used twice (first at [%zu])", fj_quote(id, q, sizeof q), k);
            return;
        }
    }
}

/* ---- entry points ---- */

static void root_error(feeds_errors *errs, const char *text, size_t len, size_t offset,
                       const char *path, const char *msg)
{
    feeds_error *e = insert_error(errs, offset);
    jsonpos_linecol(text, len, offset, &e->line, &e->column);
    set_path(e, path);
    snprintf(e->message, sizeof e->message, "%s", msg);
    jsonpos_printable(e->message);
}

/* Checks, loads and reads the common part; returns the root object, or NULL
 * with errs (or c->nomem) set. */
static json_t *load(fj *c, const char **text, size_t *len, const char *what)
{
    if (*len >= 3 && memcmp(*text, "\xEF\xBB\xBF", 3) == 0) {
        *text += 3;
        *len -= 3;
    }
    c->text = *text;
    c->len = *len;
    char msg[160];
    if (*len > FEEDS_MAX_BYTES) {
        snprintf(msg, sizeof msg, "document too large (%zu bytes; at most %u)", *len,
                 FEEDS_MAX_BYTES);
        root_error(c->errs, *text, *len, 0, NULL, msg);
        return NULL;
    }
    size_t deep_at;
    if (jsonpos_too_deep(*text, *len, FEEDS_MAX_DEPTH, &deep_at)) {
        char path[sizeof c->errs->list[0].path];
        jsonpos_path_at(*text, *len, deep_at, path, sizeof path);
        snprintf(msg, sizeof msg, "nested deeper than %d levels", FEEDS_MAX_DEPTH);
        root_error(c->errs, *text, *len, deep_at, path, msg);
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(*text, *len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (json_error_code(&je) == json_error_out_of_memory) {
            c->nomem = true;
            return NULL;
        }
        size_t pos = je.position > 0 ? (size_t)je.position : 0;
        pos = pos > *len ? *len : pos;
        char path[sizeof c->errs->list[0].path];
        jsonpos_path_at(*text, *len, pos > 0 ? pos - 1 : 0, path, sizeof path);
        feeds_error *e = insert_error(c->errs, pos);
        e->line = je.line > 0 ? (uint32_t)je.line : 1;
        e->column = je.column > 0 ? (uint32_t)je.column : 1;
        set_path(e, path);
        snprintf(e->message, sizeof e->message, "invalid JSON: %s", je.text);
        jsonpos_printable(e->message);
        return NULL;
    }
    if (!json_is_object(root)) {
        FJ_ERR(c, "expected an object {…} (a %s feed)", what);
        json_decref(root);
        return NULL;
    }
    c->arena = calloc(1, sizeof *c->arena);
    if (!c->arena) {
        c->nomem = true;
        json_decref(root);
        return NULL;
    }
    read_format(c, root);
    return root;
}

static void errors_init(feeds_errors *errs, const char *filename, const char *fallback)
{
    errs->count = errs->total = 0;
    snprintf(errs->file, sizeof errs->file, "%s", filename && *filename ? filename : fallback);
}

/* Frees what failed; returns the parser's result. */
static int finish(fj *c, json_t *root)
{
    json_decref(root);
    if (c->nomem) {
        c->errs->count = c->errs->total = 0;
        root_error(c->errs, "", 0, 0, NULL, "out of memory");
    }
    if (c->nomem || c->errs->total > 0) {
        arena_free(c->arena);
        return c->nomem ? FEEDS_NOMEM : FEEDS_INVALID;
    }
    return 0;
}

int feeds_queue_parse(const char *text, size_t len, const char *filename, feeds_queue **out,
                      feeds_errors *errs)
{
    *out = NULL;
    errors_init(errs, filename, "queue.json");
    fj c = {.errs = errs};
    json_t *root = load(&c, &text, &len, "queue");
    feeds_queue *q = root ? fj_arena_alloc(c.arena, 1, sizeof *q) : NULL;
    if (root && !q)
        c.nomem = true;
    if (q) {
        q->arena = c.arena;
        read_updated(&c, root, &q->updated, &q->updated_offset);
        fj_read_counters(&c, root, q);
    }
    int r = finish(&c, root);
    if (r == 0)
        *out = q;
    return r;
}

int feeds_vacancy_parse(const char *text, size_t len, const char *filename, feeds_vacancy **out,
                        feeds_errors *errs)
{
    *out = NULL;
    errors_init(errs, filename, "vacancy.json");
    fj c = {.errs = errs};
    json_t *root = load(&c, &text, &len, "vacancy");
    feeds_vacancy *v = root ? fj_arena_alloc(c.arena, 1, sizeof *v) : NULL;
    if (root && !v)
        c.nomem = true;
    if (v) {
        v->arena = c.arena;
        read_updated(&c, root, &v->updated, &v->updated_offset);
        fj_read_facilities(&c, root, v);
    }
    int r = finish(&c, root);
    if (r == 0)
        *out = v;
    return r;
}

void feeds_queue_destroy(feeds_queue *q)
{
    if (q)
        arena_free(q->arena);
}

void feeds_vacancy_destroy(feeds_vacancy *v)
{
    if (v)
        arena_free(v->arena);
}

const char *feeds_slot_state_name(feeds_slot_state s)
{
    return s == FEEDS_SLOT_FREE ? "free" : s == FEEDS_SLOT_BOOKED ? "booked" : "closed";
}

int feeds_error_line(const feeds_errors *errs, size_t i, char *buf, size_t size)
{
    if (i >= errs->count)
        return -1;
    const feeds_error *e = &errs->list[i];
    return snprintf(buf, size, "%s:%u:%u: %s: %s", errs->file, (unsigned)e->line,
                    (unsigned)e->column, e->path, e->message);
}
