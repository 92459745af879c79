/* alert_native: reads the native hiroba alert (JSON, format 1, see alert.h)
 * into the alert model. Strict: unknown keys, wrong types, bad values and
 * missing required keys are rejects, never defaults. Never logs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/core/alert.h"
#include "app/core/alert_private.h"
#include "app/core/model.h"

typedef struct native_ctx {
    alert *a;
    char *err;
    size_t errlen;
    bool nomem;
} native_ctx;

#define FAIL(c, ...) alert_fail((c)->err, (c)->errlen, __VA_ARGS__)

static bool utf8_printable(const char *s, size_t n, bool multiline)
{
    /* jansson guarantees UTF-8; control characters are what is left to refuse. */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7F)
            return false;
    }
    return true;
}

/* A string member; NULL result with no error when absent and !required. */
static int get_str(native_ctx *c, json_t *root, const char *key, bool required, size_t max,
                   bool multiline, const char **out)
{
    *out = NULL;
    json_t *v = json_object_get(root, key);
    if (!v) {
        if (required)
            return FAIL(c, "%s: required", key);
        return 0;
    }
    if (!json_is_string(v))
        return FAIL(c, "%s: expected a string", key);
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (n == 0 || n > max || memchr(s, '\0', n) || !utf8_printable(s, n, multiline))
        return FAIL(c, "%s: expected 1..%zu bytes of text without control characters", key, max);
    char *dup = alert_strdup_trim(c->a, s, n);
    if (!dup) {
        c->nomem = true;
        return ALERT_NOMEM;
    }
    if (!dup[0])
        return FAIL(c, "%s: empty", key);
    *out = dup;
    return 0;
}

static int get_enum(native_ctx *c, json_t *root, const char *key, const char *const *names,
                    bool required, int dflt, int *out)
{
    const char *s;
    int r = get_str(c, root, key, required, ALERT_MAX_SHORT, false, &s);
    if (r)
        return r;
    if (!s) {
        *out = dflt;
        return 0;
    }
    int k = alert_enum_find(s, names, 5);
    if (k < 0)
        return FAIL(c, "%s: \"%s\" is not one of %s|%s|%s|%s|%s", key, s, names[0], names[1],
                    names[2], names[3], names[4]);
    *out = k;
    return 0;
}

static int get_time(native_ctx *c, json_t *root, const char *key, bool required, bool *has,
                    int64_t *out)
{
    const char *s;
    int r = get_str(c, root, key, required, ALERT_MAX_SHORT, false, &s);
    if (r)
        return r;
    *has = s != NULL;
    if (s && alert_parse_time(s, out) != 0)
        return FAIL(c, "%s: \"%s\" is not an RFC 3339 time with a zone", key, s);
    return 0;
}

/* A text {"ja": ..., "en": ...} into model_text form (copied). */
static int get_text(native_ctx *c, json_t *root, const char *key, bool required, model_text *out)
{
    memset(out, 0, sizeof *out);
    json_t *v = json_object_get(root, key);
    if (!v) {
        if (required)
            return FAIL(c, "%s: required", key);
        return 0;
    }
    if (!json_is_object(v))
        return FAIL(c, "%s: expected an object of languages {\"ja\": \"…\"}", key);
    const char *lang;
    json_t *s;
    json_object_foreach(v, lang, s)
    {
        model_lang l = model_lang_from_code(lang);
        if (l == MODEL_LANG_NONE)
            return FAIL(c, "%s: unknown language \"%.32s\" (ja, en, zh, ko, ja-easy)", key, lang);
        char path[64];
        snprintf(path, sizeof path, "%s.%s", key, lang);
        const char *text;
        json_t *wrap = json_pack("{sO}", path, s);
        if (!wrap) {
            c->nomem = true;
            return ALERT_NOMEM;
        }
        int r = get_str(c, wrap, path, true, ALERT_MAX_STRING, true, &text);
        json_decref(wrap);
        if (r)
            return r;
        out->s[l] = text;
    }
    if (!out->s[MODEL_LANG_JA])
        return FAIL(c, "%s: the Japanese text (\"ja\") is required", key);
    return 0;
}

static const char *text_in(const model_text *t, model_lang l)
{
    return t->s[l] ? t->s[l] : t->s[MODEL_LANG_JA] ? t->s[MODEL_LANG_JA] : "";
}

static int check_keys(native_ctx *c, json_t *obj, const char *where, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k) != 0)
            i++;
        if (!keys[i])
            return FAIL(c, "%s%s: unknown key", where, k);
    }
    return 0;
}

static const char *const top_keys[] = {
    "format",      "id",       "sender",   "sent",      "status",  "msgType", "references",
    "event",       "severity", "urgency",  "certainty", "expires", "title",   "body",
    "instruction", "area",     "shelters", "url",       NULL};
static const char *const shelter_keys[] = {"name", "address", NULL};

static int parse_root(native_ctx *c, json_t *root)
{
    alert *a = c->a;
    int r;
    if (!json_is_object(root))
        return FAIL(c, "(root): expected an object");
    if ((r = check_keys(c, root, "", top_keys)))
        return r;
    json_t *fmt = json_object_get(root, "format");
    if (!json_is_integer(fmt) || json_integer_value(fmt) != 1)
        return FAIL(c, "format: expected 1");
    const char *id, *sender, *url;
    if ((r = get_str(c, root, "id", true, ALERT_MAX_SHORT, false, &id)) ||
        (r = get_str(c, root, "sender", true, ALERT_MAX_SHORT, false, &sender)))
        return r;
    if (strpbrk(id, " ,\t"))
        return FAIL(c, "id: no spaces or commas allowed");
    a->identifier = id;
    a->sender = sender;
    bool has;
    int st, mt, sev, urg, cer;
    if ((r = get_time(c, root, "sent", true, &has, &a->sent)) ||
        (r = get_enum(c, root, "status", alert_status_names, true, 0, &st)) ||
        (r = get_enum(c, root, "msgType", alert_msg_type_names, true, 0, &mt)))
        return r;
    if (mt > ALERT_MSG_CANCEL)
        return FAIL(c, "msgType: expected Alert|Update|Cancel");
    a->status = (alert_status)st;
    a->msg_type = (alert_msg_type)mt;
    bool cancel = a->msg_type == ALERT_MSG_CANCEL;

    json_t *refs = json_object_get(root, "references");
    if (refs) {
        if (!json_is_array(refs) || json_array_size(refs) == 0 ||
            json_array_size(refs) > ALERT_MAX_REFERENCES)
            return FAIL(c, "references: expected 1..%d alert ids", ALERT_MAX_REFERENCES);
        size_t n = json_array_size(refs);
        alert_reference *list = alert_alloc(a, n, sizeof *list);
        if (!list)
            return ALERT_NOMEM;
        for (size_t i = 0; i < n; i++) {
            json_t *wrap = json_pack("{sO}", "references[]", json_array_get(refs, i));
            if (!wrap)
                return ALERT_NOMEM;
            r = get_str(c, wrap, "references[]", true, ALERT_MAX_SHORT, false, &list[i].identifier);
            json_decref(wrap);
            if (r)
                return r;
            if (strcmp(list[i].identifier, id) == 0)
                return FAIL(c, "references[%zu]: an alert cannot reference itself", i);
            list[i].sender = sender;
        }
        a->references = list;
        a->n_references = n;
    } else if (a->msg_type != ALERT_MSG_ALERT) {
        return FAIL(c, "references: required for msgType %s", alert_msg_type_name(a->msg_type));
    }

    if ((r = get_enum(c, root, "severity", alert_severity_names, !cancel, ALERT_SEVERITY_UNKNOWN,
                      &sev)) ||
        (r = get_enum(c, root, "urgency", alert_urgency_names, !cancel, ALERT_URGENCY_UNKNOWN,
                      &urg)) ||
        (r = get_enum(c, root, "certainty", alert_certainty_names, false, 0, &cer)))
        return r;
    bool has_expires;
    int64_t expires = 0;
    if ((r = get_time(c, root, "expires", false, &has_expires, &expires)))
        return r;
    if (has_expires && expires <= a->sent)
        return FAIL(c, "expires: must be after sent");
    model_text title, body, instruction, area, event;
    if ((r = get_text(c, root, "title", !cancel, &title)) ||
        (r = get_text(c, root, "body", false, &body)) ||
        (r = get_text(c, root, "instruction", false, &instruction)) ||
        (r = get_text(c, root, "area", false, &area)) ||
        (r = get_text(c, root, "event", false, &event)) ||
        (r = get_str(c, root, "url", false, 2048, false, &url)))
        return r;
    if (url && strncmp(url, "https://", 8) != 0)
        return FAIL(c, "url: must start with https://");

    json_t *sh = json_object_get(root, "shelters");
    size_t n_sh = 0;
    if (sh) {
        if (!json_is_array(sh) || json_array_size(sh) > ALERT_MAX_SHELTERS)
            return FAIL(c, "shelters: expected an array of at most %d", ALERT_MAX_SHELTERS);
        n_sh = json_array_size(sh);
    }
    model_text *sh_name = alert_alloc(a, n_sh + 1, sizeof *sh_name);
    model_text *sh_addr = alert_alloc(a, n_sh + 1, sizeof *sh_addr);
    if (!sh_name || !sh_addr)
        return ALERT_NOMEM;
    for (size_t i = 0; i < n_sh; i++) {
        json_t *s = json_array_get(sh, i);
        if (!json_is_object(s))
            return FAIL(c, "shelters[%zu]: expected an object {\"name\", \"address\"}", i);
        char where[32];
        snprintf(where, sizeof where, "shelters[%zu].", i);
        if ((r = check_keys(c, s, where, shelter_keys)) ||
            (r = get_text(c, s, "name", true, &sh_name[i])) ||
            (r = get_text(c, s, "address", false, &sh_addr[i])))
            return r;
    }

    /* One info block per language of the title; a Cancel may have none. */
    size_t n_info = 0;
    alert_info *info = alert_alloc(a, MODEL_LANG_COUNT, sizeof *info);
    if (!info)
        return ALERT_NOMEM;
    for (int l = 0; l < MODEL_LANG_COUNT && title.s[MODEL_LANG_JA]; l++) {
        if (!title.s[l])
            continue;
        alert_info *in = &info[n_info++];
        in->language = model_lang_code((model_lang)l);
        in->category = "";
        in->event = text_in(&event, (model_lang)l);
        in->urgency = (alert_urgency)urg;
        in->severity = (alert_severity)sev;
        in->certainty = (alert_certainty)cer;
        in->has_expires = has_expires;
        in->expires = expires;
        in->sender_name = sender;
        in->headline = title.s[l];
        in->description = text_in(&body, (model_lang)l);
        in->instruction = text_in(&instruction, (model_lang)l);
        in->web = url ? url : "";
        if (area.s[MODEL_LANG_JA]) {
            const char **areas = alert_alloc(a, 1, sizeof *areas);
            if (!areas)
                return ALERT_NOMEM;
            areas[0] = text_in(&area, (model_lang)l);
            in->areas = areas;
            in->n_areas = 1;
        }
        alert_shelter *shel = alert_alloc(a, n_sh + 1, sizeof *shel);
        if (!shel)
            return ALERT_NOMEM;
        for (size_t i = 0; i < n_sh; i++) {
            shel[i].name = text_in(&sh_name[i], (model_lang)l);
            shel[i].address = text_in(&sh_addr[i], (model_lang)l);
        }
        in->shelters = shel;
        in->n_shelters = n_sh;
    }
    a->info = info;
    a->n_info = n_info;
    return 0;
}

int alert_parse_native(const void *text, size_t len, alert **out, char *err, size_t errlen)
{
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    if (len > ALERT_MAX_BYTES)
        return alert_fail(err, errlen, "too large: %zu bytes (at most %u)", len, ALERT_MAX_BYTES);
    const char *p = text;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        len -= 3;
    }
    json_error_t jerr;
    json_t *root = json_loadb(p, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return alert_fail(err, errlen, "invalid JSON: line %d column %d: %s", jerr.line,
                          jerr.column, jerr.text);
    native_ctx c = {.err = err, .errlen = errlen};
    c.a = alert_new(ALERT_SOURCE_NATIVE);
    int r = c.a ? parse_root(&c, root) : ALERT_NOMEM;
    json_decref(root);
    if (r == 0) {
        *out = c.a;
        return 0;
    }
    alert_destroy(c.a);
    if (r == ALERT_NOMEM || c.nomem) {
        alert_fail(err, errlen, "out of memory");
        return ALERT_NOMEM;
    }
    return ALERT_INVALID;
}
