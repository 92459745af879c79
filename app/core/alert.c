/* alert: the alert model, the decision, and the native (JSON) parser. CAP is
 * read in alert_cap.c. Must never show what it cannot read: every doubt in a
 * document is a reject with a reason, never a guess. */
#include "app/core/alert.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "app/core/alert_private.h"
#include "app/core/clock.h"
#include "app/core/model.h"

/* ---- Arena --------------------------------------------------------------------------- */

struct alert_arena {
    struct alert_arena *next;
    size_t used, size;
    max_align_t data[];
};

#define ARENA_CHUNK 8192

alert *alert_new(alert_source source)
{
    alert_arena *ar = malloc(sizeof *ar + ARENA_CHUNK);
    if (!ar)
        return NULL;
    ar->next = NULL;
    ar->used = 0;
    ar->size = ARENA_CHUNK;
    alert *a = alert_alloc(&(alert){.arena = ar}, 1, sizeof *a);
    a->arena = ar;
    a->source = source;
    a->identifier = a->sender = "";
    return a;
}

void *alert_alloc(alert *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t want = n * size;
    const size_t align = sizeof(max_align_t);
    want = (want + align - 1) / align * align;
    if (want == 0)
        want = align;
    alert_arena *ar = a->arena;
    if (ar->size - ar->used < want) {
        size_t size_new = want > ARENA_CHUNK ? want : ARENA_CHUNK;
        alert_arena *fresh = malloc(sizeof *fresh + size_new);
        if (!fresh)
            return NULL;
        /* The fresh chunk goes second so the first keeps serving small requests. */
        fresh->size = size_new;
        fresh->used = 0;
        fresh->next = ar->next;
        ar->next = fresh;
        ar = fresh;
    }
    void *p = (char *)ar->data + ar->used;
    ar->used += want;
    memset(p, 0, want);
    return p;
}

char *alert_strdup_trim(alert *a, const char *s, size_t len)
{
    while (len && isspace((unsigned char)s[0])) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    char *out = alert_alloc(a, len + 1, 1);
    if (out)
        memcpy(out, s, len);
    return out;
}

void alert_destroy(alert *a)
{
    if (!a)
        return;
    for (alert_arena *ar = a->arena; ar;) {
        alert_arena *next = ar->next;
        free(ar);
        ar = next;
    }
}

int alert_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
        alert_utf8_repair(err);
    }
    return ALERT_INVALID;
}

void alert_utf8_repair(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t len = c < 0x80                 ? 1
                     : c >= 0xC2 && c <= 0xDF ? 2
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4
                                              : 0;
        size_t k = 1;
        while (k < len && (p[k] & 0xC0) == 0x80)
            k++;
        if (len == 0 || k < len || (c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) ||
            (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)) {
            *p = '\0';
            return;
        }
        if (c < 0x20 || c == 0x7F)
            *p = ' ';
        p += len;
    }
}

/* ---- Names ----------------------------------------------------------------------------- */

const char *const alert_status_names[5] = {"Actual", "Exercise", "System", "Test", "Draft"};
const char *const alert_msg_type_names[5] = {"Alert", "Update", "Cancel", "Ack", "Error"};
const char *const alert_severity_names[5] = {"Extreme", "Severe", "Moderate", "Minor", "Unknown"};
const char *const alert_urgency_names[5] = {"Immediate", "Expected", "Future", "Past", "Unknown"};
const char *const alert_certainty_names[5] = {"Observed", "Likely", "Possible", "Unlikely",
                                              "Unknown"};

int alert_enum_find(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

#define NAME_OF(table, v) ((unsigned)(v) < 5 ? table[(unsigned)(v)] : "")
const char *alert_status_name(alert_status s)
{
    return NAME_OF(alert_status_names, s);
}
const char *alert_msg_type_name(alert_msg_type t)
{
    return NAME_OF(alert_msg_type_names, t);
}
const char *alert_severity_name(alert_severity s)
{
    return NAME_OF(alert_severity_names, s);
}
const char *alert_urgency_name(alert_urgency u)
{
    return NAME_OF(alert_urgency_names, u);
}
const char *alert_certainty_name(alert_certainty c)
{
    return NAME_OF(alert_certainty_names, c);
}

const char *alert_action_name(alert_action a)
{
    static const char *const names[] = {"reject", "ignore", "cancel",
                                        "banner", "drill",  "takeover"};
    return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "";
}

int alert_parse_time(const char *s, int64_t *out)
{
    clock_time t;
    if (clock_parse_iso8601(s, &t) != 0)
        return -1;
    /* Before 1970 or after 9999 is a typo or an attack, never an alert. */
    if (t.sec < 0 || t.sec > INT64_C(253402300799))
        return -1;
    *out = t.sec;
    return 0;
}

/* ---- Dispatch ---------------------------------------------------------------------------- */

int alert_parse(const void *text, size_t len, alert **out, char *err, size_t errlen)
{
    const unsigned char *p = text;
    size_t i = len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && i < 4096 && isspace(p[i]))
        i++;
    if (i < len && p[i] == '{')
        return alert_parse_native(text, len, out, err, errlen);
    return alert_parse_cap(text, len, out, err, errlen);
}

/* ---- The decision ------------------------------------------------------------------------ */

/* Exact tag (case-insensitive) = 2, same primary subtag = 1, else 0. */
static int lang_match(const char *tag, const char *want)
{
    if (strcasecmp(tag, want) == 0)
        return 2;
    size_t a = strcspn(tag, "-_"), b = strcspn(want, "-_");
    return a == b && a > 0 && strncasecmp(tag, want, a) == 0 ? 1 : 0;
}

static void decide(const alert *a, const alert_policy *policy, int64_t now, alert_decision *out);

void alert_decide(const alert *a, const alert_policy *policy, int64_t now, alert_decision *out)
{
    decide(a, policy, now, out);
    alert_utf8_repair(out->reason);
}

static void decide(const alert *a, const alert_policy *policy, int64_t now, alert_decision *out)
{
    memset(out, 0, sizeof *out);
    out->action = ALERT_ACTION_IGNORE;
    if (!a) {
        out->action = ALERT_ACTION_REJECT;
        snprintf(out->reason, sizeof out->reason, "not a readable alert");
        return;
    }
    bool drills = policy && policy->allow_drills;
    const char *want = policy && policy->language ? policy->language : "ja";
    switch (a->status) {
    case ALERT_STATUS_ACTUAL:
        break;
    case ALERT_STATUS_EXERCISE:
        if (!drills) {
            snprintf(out->reason, sizeof out->reason,
                     "status Exercise: drills are not shown on this kiosk");
            return;
        }
        break;
    default:
        snprintf(out->reason, sizeof out->reason, "status %s: logged, never shown",
                 alert_status_name(a->status));
        return;
    }
    if (a->msg_type == ALERT_MSG_ACK || a->msg_type == ALERT_MSG_ERROR) {
        snprintf(out->reason, sizeof out->reason, "msgType %s: an acknowledgement, not shown",
                 alert_msg_type_name(a->msg_type));
        return;
    }
    if (a->msg_type == ALERT_MSG_CANCEL) {
        out->action = ALERT_ACTION_CANCEL;
        out->info = a->n_info ? &a->info[0] : NULL;
        snprintf(out->reason, sizeof out->reason, "cancels %s%s", a->references[0].identifier,
                 a->n_references > 1 ? " and others" : "");
        return;
    }
    const alert_info *best = NULL;
    int best_score = -1;
    size_t expired = 0;
    for (size_t i = 0; i < a->n_info; i++) {
        const alert_info *in = &a->info[i];
        if (in->has_expires && in->expires <= now) {
            expired++;
            continue;
        }
        int score = lang_match(in->language, want);
        if (score > best_score) {
            best = in;
            best_score = score;
        }
    }
    if (!best) {
        if (a->n_info == 0)
            snprintf(out->reason, sizeof out->reason, "no info block: nothing to show");
        else
            snprintf(out->reason, sizeof out->reason, "expired: every info block (%zu) has expired",
                     expired);
        return;
    }
    out->info = best;
    out->full_screen =
        (best->severity == ALERT_SEVERITY_EXTREME || best->severity == ALERT_SEVERITY_SEVERE) &&
        (best->urgency == ALERT_URGENCY_IMMEDIATE || best->urgency == ALERT_URGENCY_EXPECTED);
    const char *verb = a->msg_type == ALERT_MSG_UPDATE ? "updates the alert it references: " : "";
    if (a->status == ALERT_STATUS_EXERCISE) {
        out->action = ALERT_ACTION_DRILL;
        snprintf(out->reason, sizeof out->reason, "%sExercise (訓練), %s %s: shown as a drill%s",
                 verb, alert_severity_name(best->severity), alert_urgency_name(best->urgency),
                 out->full_screen ? " over the whole screen" : " banner");
    } else {
        out->action = out->full_screen ? ALERT_ACTION_TAKEOVER : ALERT_ACTION_BANNER;
        snprintf(out->reason, sizeof out->reason, "%s%s %s: %s", verb,
                 alert_severity_name(best->severity), alert_urgency_name(best->urgency),
                 out->full_screen ? "takes over the screen" : "a banner over the current screen");
    }
}
