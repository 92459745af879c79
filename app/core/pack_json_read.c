/* pack_json_read: readers for the kinds of value a pack holds (ids, texts,
 * file names, URLs, numbers), each reporting its own problems at the current
 * path, and the "did you mean" hints. Dates, times and schedules are in
 * pack_json_schedule.c.
 * Must never store a pointer into jansson's memory in the pack: what is kept
 * is copied into the pack's arena. */
#include <stdio.h>
#include <string.h>

#include "app/core/pack_json_private.h"

/* ---- hints ---- */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Optimal string alignment distance (edits, with swaps of neighbours),
 * case-insensitive; gives up (returns limit + 1) on long words. */
static size_t distance(const char *a, const char *b, size_t limit)
{
    enum { MAXW = 32 };
    size_t n = strlen(a), m = strlen(b);
    if (n > MAXW || m > MAXW || (n > m ? n - m : m - n) > limit)
        return limit + 1;
    size_t d[MAXW + 1][MAXW + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]) && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

static size_t limit_for(const char *word)
{
    size_t n = strlen(word);
    return n <= 1 ? 0 : n <= 4 ? 1 : 2;
}

const char *pj_suggest(const char *word, const char *const *candidates)
{
    size_t limit = limit_for(word), best_d = limit + 1;
    const char *best = NULL;
    for (size_t i = 0; candidates[i]; i++) {
        size_t d = distance(word, candidates[i], limit);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best;
}

const char *pj_suggest_id(const char *word, const void *const *records, size_t n)
{
    size_t limit = limit_for(word), best_d = limit + 1;
    const char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *id = *(const char *const *)records[i];
        size_t d = distance(word, id, limit);
        if (d < best_d) {
            best_d = d;
            best = id;
        }
    }
    return best;
}

const char *pj_quote(const char *s, char *buf, size_t size)
{
    size_t o = 0, i = 0;
    const size_t show = 40;
    if (size < 12) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    buf[o++] = '"';
    for (; s[i] && i < show && o + 8 < size; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)ch;
        } else if (ch < 0x20 || ch == 0x7F) {
            o += (size_t)snprintf(buf + o, size - o, "\\u%04x", ch);
        } else {
            buf[o++] = (char)ch;
        }
    }
    if (s[i]) {
        while (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
            o--; /* do not cut a character in two */
        if (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0)
            o--;
        if (o + 5 < size) {
            memcpy(buf + o, "…", 3);
            o += 3;
        }
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

/* ---- structure ---- */

json_t *pj_enter(pj *c, json_t *obj, const char *key, bool required, const char *hint)
{
    pj_push_key(c, key);
    json_t *v = json_object_get(obj, key);
    if (!v && required) {
        if (hint)
            pj_error(c, "missing; %s", hint);
        else
            pj_error(c, "missing");
    }
    return v;
}

void pj_check_keys(pj *c, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool known = false;
        for (size_t i = 0; allowed[i] && !known; i++)
            known = strcmp(key, allowed[i]) == 0;
        if (known)
            continue;
        pj_push_key(c, key);
        const char *s = pj_room(c) ? pj_suggest(key, allowed) : NULL;
        char q[64];
        if (s)
            pj_error_key(c, "unknown key (did you mean %s?)", pj_quote(s, q, sizeof q));
        else
            pj_error_key(c, "unknown key");
        pj_pop(c);
    }
}

bool pj_is_object(pj *c, json_t *v, const char *what)
{
    if (json_is_object(v))
        return true;
    pj_error(c, "%s", what);
    return false;
}

bool pj_is_array(pj *c, json_t *v, size_t max, const char *what, size_t *n)
{
    *n = 0;
    if (!json_is_array(v)) {
        pj_error(c, "%s", what);
        return false;
    }
    *n = json_array_size(v);
    if (*n > max) {
        pj_error(c, "too many entries (%zu; at most %zu)", *n, max);
        *n = max;
    }
    return true;
}

/* ---- strings, ids, texts ---- */

const char *pj_read_string(pj *c, json_t *v, size_t max, const char *what)
{
    if (!json_is_string(v)) {
        pj_error(c, "%s", what);
        return NULL;
    }
    size_t len = json_string_length(v);
    if (len > max) {
        pj_error(c, "longer than %zu bytes (%zu)", max, len);
        return NULL;
    }
    return json_string_value(v);
}

static const char *keep(pj *c, const char *s)
{
    char *d = model_strndup(c->pack, s, strlen(s));
    if (!d)
        pj_nomem(c);
    return d;
}

const char *pj_read_id(pj *c, json_t *v)
{
    const char *s = pj_read_string(c, v, PACK_JSON_MAX_STRING, "expected an id (a string)");
    if (!s)
        return NULL;
    size_t n = strlen(s);
    bool ok = n >= 1 && n <= PACK_JSON_MAX_ID;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = s[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
             (i > 0 && (ch == '_' || ch == '-'));
    }
    if (!ok) {
        char q[64];
        pj_error(c,
                 "not an id: %s (1 to 64 of a-z 0-9 _ -, starting with a lowercase letter or "
                 "digit)",
                 pj_quote(s, q, sizeof q));
        return NULL;
    }
    return keep(c, s);
}

static const struct {
    const char *alias, *code;
} lang_aliases[] = {
    {"jp", "ja"},
    {"jpn", "ja"},
    {"japanese", "ja"},
    {"ja-jp", "ja"},
    {"en-us", "en"},
    {"en-gb", "en"},
    {"eng", "en"},
    {"english", "en"},
    {"cn", "zh"},
    {"zh-cn", "zh"},
    {"zh-hans", "zh"},
    {"zh_cn", "zh"},
    {"chinese", "zh"},
    {"kr", "ko"},
    {"kor", "ko"},
    {"korean", "ko"},
    {"ko-kr", "ko"},
    {"easy", "ja-easy"},
    {"ja_easy", "ja-easy"},
    {"yasashii", "ja-easy"},
    {"ja-simple", "ja-easy"},
    {"easy-ja", "ja-easy"},
};

static const char *const lang_keys[] = {"ja", "en", "zh", "ko", "ja-easy", NULL};

static const char *text_string(pj *c, json_t *v)
{
    const char *s = pj_read_string(c, v, PACK_JSON_MAX_STRING, "expected a string");
    if (s && !*s) {
        pj_error(c, "empty text");
        return NULL;
    }
    return s ? keep(c, s) : NULL;
}

bool pj_read_text(pj *c, json_t *v, model_text *out)
{
    memset(out, 0, sizeof *out);
    if (json_is_string(v)) {
        out->s[MODEL_LANG_JA] = text_string(c, v);
        return out->s[MODEL_LANG_JA] != NULL;
    }
    if (!json_is_object(v)) {
        pj_error(c, "expected text: a string, or an object like {\"ja\": \"…\", \"en\": \"…\"}");
        return false;
    }
    bool ok = true;
    const char *key;
    json_t *s;
    json_object_foreach(v, key, s)
    {
        pj_push_key(c, key);
        model_lang lang = model_lang_from_code(key);
        if (lang == MODEL_LANG_NONE) {
            const char *hint = NULL;
            for (size_t i = 0; i < sizeof lang_aliases / sizeof lang_aliases[0] && !hint; i++)
                if (strcmp(key, lang_aliases[i].alias) == 0)
                    hint = lang_aliases[i].code;
            if (!hint && pj_room(c))
                hint = pj_suggest(key, lang_keys);
            if (hint)
                pj_error_key(c, "unknown language (did you mean \"%s\"?)", hint);
            else
                pj_error_key(c, "unknown language (use ja, en, zh, ko or ja-easy)");
            ok = false;
        } else {
            out->s[lang] = text_string(c, s);
            ok = out->s[lang] && ok;
        }
        pj_pop(c);
    }
    if (!json_object_get(v, "ja")) {
        pj_push_key(c, "ja");
        pj_error(c, "missing; every text needs Japanese (other languages fall back to it)");
        pj_pop(c);
        ok = false;
    }
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}

/* ---- media file names ---- */

static bool name_char(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '_' || ch == '-' || ch == '/';
}

const char *pj_check_file_name(const char *name, size_t len, char *msg, size_t size)
{
    char q[64];
    if (len == 0) {
        snprintf(msg, size, "empty file name");
        return msg;
    }
    if (len > PACK_JSON_MAX_FILE_NAME) {
        snprintf(msg, size, "file name longer than %d bytes", PACK_JSON_MAX_FILE_NAME);
        return msg;
    }
    if (name[0] == '/') {
        snprintf(msg, size, "must be relative to the pack folder (no leading \"/\")");
        return msg;
    }
    for (size_t i = 0; i < len; i++) {
        if (!name_char(name[i])) {
            snprintf(msg, size, "file names may use only A-Z a-z 0-9 . _ - / (rename %s)",
                     pj_quote(name, q, sizeof q));
            return msg;
        }
    }
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && name[i] != '/')
            continue;
        size_t n = i - start;
        if (n == 0) {
            snprintf(msg, size, "empty part in the file name (\"//\" or a trailing \"/\")");
            return msg;
        }
        if (n == 2 && name[start] == '.' && name[start + 1] == '.') {
            snprintf(msg, size, "\"..\" is not allowed: files must be inside the pack folder");
            return msg;
        }
        if (n == 1 && name[start] == '.') {
            snprintf(msg, size, "\".\" parts are not allowed in file names");
            return msg;
        }
        start = i + 1;
    }
    return NULL;
}

static bool ext_is(const char *ext, const char *want)
{
    size_t i = 0;
    for (; ext[i] && want[i]; i++)
        if (lower(ext[i]) != want[i])
            return false;
    return ext[i] == '\0' && want[i] == '\0';
}

static const char *const image_exts[] = {".png", ".jpg", ".jpeg", NULL};
static const char *const video_exts[] = {".mp4", ".webm", ".mkv", ".mov", NULL};

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static const model_media *media_record(pj *c, const char *name, model_media_kind kind)
{
    uint32_t slot = hash_name(name) & (PJ_MEDIA_SLOTS - 1);
    while (c->media_slots[slot] >= 0) {
        model_media *m = &c->media[c->media_slots[slot]];
        if (strcmp(m->name, name) == 0)
            return m;
        slot = (slot + 1) & (PJ_MEDIA_SLOTS - 1);
    }
    if (c->n_media >= c->max_media) {
        pj_nomem(c); /* cannot happen (media_bound counts every place), but never pass silently */
        return NULL;
    }
    model_media *m = &c->media[c->n_media];
    char where[sizeof c->errs->list[0].path];
    jsonpos_path_format(c->path, c->depth, where, sizeof where);
    m->name = keep(c, name);
    m->where = keep(c, where);
    m->kind = kind;
    if (!m->name || !m->where)
        return NULL;
    c->media_slots[slot] = (int32_t)c->n_media++;
    return m;
}

const model_media *pj_read_media(pj *c, json_t *v, model_media_kind kind)
{
    const char *name =
        pj_read_string(c, v, PACK_JSON_MAX_STRING, "expected a file name (a string)");
    if (!name)
        return NULL;
    char msg[160];
    if (pj_check_file_name(name, strlen(name), msg, sizeof msg)) {
        pj_error(c, "%s", msg);
        return NULL;
    }
    const char *base = strrchr(name, '/');
    const char *ext = strrchr(base ? base : name, '.');
    const char *const *exts = kind == MODEL_MEDIA_IMAGE ? image_exts : video_exts;
    const char *what = kind == MODEL_MEDIA_IMAGE ? "image" : "video";
    const char *list =
        kind == MODEL_MEDIA_IMAGE ? ".png, .jpg or .jpeg" : ".mp4, .webm, .mkv or .mov";
    bool ok = false;
    for (size_t i = 0; ext && exts[i] && !ok; i++)
        ok = ext_is(ext, exts[i]);
    if (!ok) {
        char q[64];
        if (ext && ext[1])
            pj_error(c, "unsupported %s type %s (use %s)", what, pj_quote(ext, q, sizeof q), list);
        else
            pj_error(c, "no file extension (%ss: %s)", what, list);
        return NULL;
    }
    return media_record(c, name, kind);
}

/* ---- URLs ---- */

static bool hex_digit(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* NULL when url is acceptable, else why not. */
static const char *url_problem(const char *url, bool https_only)
{
    const char *p;
    if (strncmp(url, "https://", 8) == 0)
        p = url + 8;
    else if (!https_only && strncmp(url, "http://", 7) == 0)
        p = url + 7;
    else
        return https_only ? "expected an https:// URL (phones open it from the QR code)"
                          : "expected an http:// or https:// URL";
    const char *host = p;
    size_t n = strcspn(host, "/?#");
    if (memchr(host, '@', n))
        return "not a valid URL: no user name or password in a pack's URL";
    const char *end = host + n, *q = host;
    if (*q == '[') {
        q++;
        while (q < end && (hex_digit(*q) || *q == ':' || *q == '.'))
            q++;
        if (q == host + 1 || q >= end || *q != ']')
            return "not a valid URL: bad host";
        q++;
    } else {
        while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                           (*q >= '0' && *q <= '9') || *q == '.' || *q == '-'))
            q++;
        if (q == host || *host == '.' || *host == '-')
            return "not a valid URL: bad host";
    }
    if (q < end && *q == ':') {
        long port = 0;
        int digits = 0;
        for (q++; q < end && *q >= '0' && *q <= '9' && digits < 6; q++, digits++)
            port = port * 10 + (*q - '0');
        if (digits == 0 || port < 1 || port > 65535)
            return "not a valid URL: bad port";
    }
    if (q != end)
        return "not a valid URL: bad host";
    for (q = end; *q; q++) {
        unsigned char ch = (unsigned char)*q;
        if (ch <= 0x20 || ch >= 0x7F || strchr("\"<>\\^`{|}", ch))
            return "not a valid URL: percent-encode spaces, quotes and non-ASCII characters";
        if (ch == '%' && !(hex_digit(q[1]) && hex_digit(q[2])))
            return "not a valid URL: '%' must start a %XX escape";
    }
    return NULL;
}

const char *pj_read_url(pj *c, json_t *v, bool https_only)
{
    const char *s = pj_read_string(c, v, PACK_JSON_MAX_URL, "expected a URL (a string)");
    if (!s)
        return NULL;
    const char *why = url_problem(s, https_only);
    if (why) {
        pj_error(c, "%s", why);
        return NULL;
    }
    return keep(c, s);
}

/* ---- numbers ---- */

bool pj_read_int(pj *c, json_t *v, int64_t lo, int64_t hi, const char *what, int64_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        pj_error(c, "%s", what);
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

bool pj_read_duration(pj *c, json_t *v, uint32_t *ms)
{
    if (!json_is_number(v)) {
        pj_error(c, "expected a number of seconds");
        return false;
    }
    double s = json_number_value(v);
    if (!(s > 0 && s <= PACK_JSON_MAX_DURATION_S)) {
        pj_error(c, "must be more than 0 and at most %d seconds (got %g)", PACK_JSON_MAX_DURATION_S,
                 s);
        return false;
    }
    uint32_t m = (uint32_t)(s * 1000 + 0.5); /* rounds: s > 0 */
    *ms = m < 1 ? 1 : m;
    return true;
}
