/* feeds_json_boards: the parts of the two feeds the boards show: the
 * queue's counters and the vacancy's facilities, days and slots.
 * Must never let through a count below zero, a date the calendar does not
 * have, a slot that ends before it starts or overlaps another, or a link a
 * phone would open unencrypted. */
#include <string.h>

#include "app/core/feeds_json_private.h"
#include "app/core/tz.h"

/* ---- the queue feed ---- */

static void read_counter(fj *c, json_t *o, feeds_counter *ct)
{
    ct->serving = ct->waiting = ct->wait_minutes = FEEDS_UNKNOWN;
    if (!json_is_object(o)) {
        FJ_ERR(c, "expected a counter {\"id\": …, \"name\": …, \"open\": …}");
        return;
    }
    json_t *v = fj_enter(c, o, "id", true);
    if (v)
        ct->id = fj_read_id(c, v);
    fj_pop(c);
    v = fj_enter(c, o, "name", true);
    if (v)
        fj_read_name(c, v, &ct->name);
    fj_pop(c);
    v = fj_enter(c, o, "open", true);
    if (v && !json_is_boolean(v))
        FJ_ERR(c, "expected true or false");
    ct->open = json_is_true(v);
    fj_pop(c);
    static const char *const keys[] = {"serving", "waiting", "wait_minutes"};
    static const int32_t max[] = {FEEDS_MAX_SERVING, FEEDS_MAX_WAITING, FEEDS_MAX_WAIT_MIN};
    int32_t *slot[] = {&ct->serving, &ct->waiting, &ct->wait_minutes};
    for (size_t i = 0; i < 3; i++) {
        v = fj_enter(c, o, keys[i], false);
        if (v && !json_is_null(v))
            fj_read_count(c, v, max[i], slot[i]);
        fj_pop(c);
    }
}

void fj_read_counters(fj *c, json_t *root, feeds_queue *q)
{
    json_t *arr = fj_enter(c, root, "counters", true);
    size_t n;
    if (arr && fj_read_array(c, arr, FEEDS_MAX_COUNTERS, "counters", &n) && n > 0) {
        feeds_counter *cts = fj_arena_alloc(c->arena, n, sizeof *cts);
        const char *ids[FEEDS_MAX_COUNTERS];
        if (!cts) {
            c->nomem = true;
        } else {
            for (size_t i = 0; i < n; i++) {
                fj_push_index(c, i);
                read_counter(c, json_array_get(arr, i), &cts[i]);
                fj_push_key(c, "id");
                fj_check_unique(c, cts[i].id, ids, i);
                fj_pop(c);
                ids[i] = cts[i].id;
                fj_pop(c);
            }
            q->counters = cts;
            q->n_counters = n;
        }
    }
    fj_pop(c);
}

/* ---- the vacancy feed ---- */

static bool host_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '-';
}

/* NULL when url is acceptable, else why not. http only for loopback
 * (demo and tests): a phone must never be sent to an unencrypted page. */
static const char *url_problem(const char *url)
{
    const char *host;
    bool http = false;
    if (strncmp(url, "https://", 8) == 0) {
        host = url + 8;
    } else if (strncmp(url, "http://", 7) == 0) {
        host = url + 7;
        http = true;
    } else {
        return "expected an https:// URL";
    }
    size_t n = 0;
    while (host_char(host[n]))
        n++;
    if (n == 0 || host[0] == '.' || host[0] == '-')
        return "not a valid URL: bad host";
    if (http && !((n == 9 && strncmp(host, "127.0.0.1", 9) == 0) ||
                  (n == 9 && strncmp(host, "localhost", 9) == 0)))
        return "expected an https:// URL (http:// only for 127.0.0.1 and localhost)";
    const char *p = host + n;
    if (*p == ':') {
        long port = 0;
        int d = 0;
        for (p++; *p >= '0' && *p <= '9' && d < 6; p++, d++)
            port = port * 10 + (*p - '0');
        if (d == 0 || port < 1 || port > 65535)
            return "not a valid URL: bad port";
    }
    if (*p && *p != '/' && *p != '?' && *p != '#')
        return "not a valid URL: bad host";
    for (; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch <= 0x20 || ch >= 0x7F || strchr("\"<>\\^`{|}", ch))
            return "not a valid URL: percent-encode spaces, quotes and non-ASCII characters";
    }
    return NULL;
}

static bool read_date(fj *c, json_t *v, int32_t *day)
{
    static const char shape[] = "expected a date \"YYYY-MM-DD\", like \"2026-11-24\"";
    const char *s = fj_read_string(c, v, "a date (a string)");
    int y, m, d;
    if (!s)
        return false;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !fj_digits(s, 4, &y) ||
        !fj_digits(s + 5, 2, &m) || !fj_digits(s + 8, 2, &d)) {
        FJ_ERR(c, "%s", shape);
        return false;
    }
    if (m < 1 || m > 12 || d < 1 || d > tz_days_in_month(y, m)) {
        FJ_ERR(c, "not a calendar date: \"%s\"", s);
        return false;
    }
    *day = (int32_t)tz_days_from_civil(y, m, d);
    return true;
}

static bool read_time(fj *c, json_t *v, bool is_end, uint16_t *min)
{
    static const char shape[] = "expected a time \"HH:MM\", like \"09:30\"";
    const char *s = fj_read_string(c, v, "a time (a string)");
    int h, m;
    if (!s)
        return false;
    if (strlen(s) != 5 || s[2] != ':' || !fj_digits(s, 2, &h) || !fj_digits(s + 3, 2, &m)) {
        FJ_ERR(c, "%s", shape);
        return false;
    }
    if (h > 24 || m > 59 || (h == 24 && (m != 0 || !is_end))) {
        FJ_ERR(c, "not a time of day: \"%s\" (00:00 to 23:59; an end may be 24:00)", s);
        return false;
    }
    *min = (uint16_t)(h * 60 + m);
    return true;
}

static void read_slot(fj *c, json_t *o, feeds_slot *sl, uint16_t prev_end)
{
    static const char *const states[] = {"free", "booked", "closed"};
    if (!json_is_object(o)) {
        FJ_ERR(c,
               "expected a slot {\"start\": \"09:00\", \"end\": \"11:00\", \"state\": \"free\"}");
        return;
    }
    bool have_start = false;
    json_t *v = fj_enter(c, o, "start", true);
    if (v && (have_start = read_time(c, v, false, &sl->start_min)) && sl->start_min < prev_end)
        FJ_ERR(c, "starts before the slot before it ends (slots in order, not overlapping)");
    fj_pop(c);
    v = fj_enter(c, o, "end", true);
    if (v && read_time(c, v, true, &sl->end_min) && have_start && sl->end_min <= sl->start_min)
        FJ_ERR(c, "not after \"start\"");
    fj_pop(c);
    v = fj_enter(c, o, "state", true);
    const char *s = v ? fj_read_string(c, v, "\"free\", \"booked\" or \"closed\"") : NULL;
    if (s) {
        size_t k = 0;
        while (k < 3 && strcmp(s, states[k]) != 0)
            k++;
        char q[64];
        if (k == 3)
            FJ_ERR(c, "unknown state %s (use \"free\", \"booked\" or \"closed\")",
                   fj_quote(s, q, sizeof q));
        else
            sl->state = (feeds_slot_state)k;
    }
    fj_pop(c);
}

static void read_day(fj *c, json_t *o, feeds_day *day, int32_t prev_day)
{
    if (!json_is_object(o)) {
        FJ_ERR(c, "expected a day {\"date\": \"2026-11-24\", \"slots\": […]}");
        return;
    }
    json_t *v = fj_enter(c, o, "date", true);
    if (v && read_date(c, v, &day->day) && day->day <= prev_day)
        FJ_ERR(c, "not after the day before (days in order, each once)");
    fj_pop(c);
    json_t *arr = fj_enter(c, o, "slots", true);
    size_t n;
    if (arr && fj_read_array(c, arr, FEEDS_MAX_SLOTS, "slots", &n) && n > 0) {
        feeds_slot *sl = fj_arena_alloc(c->arena, n, sizeof *sl);
        if (!sl) {
            c->nomem = true;
        } else {
            for (size_t i = 0; i < n; i++) {
                fj_push_index(c, i);
                read_slot(c, json_array_get(arr, i), &sl[i], i ? sl[i - 1].end_min : 0);
                fj_pop(c);
            }
            day->slots = sl;
            day->n_slots = n;
        }
    }
    fj_pop(c);
}

static void read_facility(fj *c, json_t *o, feeds_facility *f)
{
    if (!json_is_object(o)) {
        FJ_ERR(c, "expected a facility {\"id\": …, \"name\": …, \"days\": […]}");
        return;
    }
    json_t *v = fj_enter(c, o, "id", true);
    if (v)
        f->id = fj_read_id(c, v);
    fj_pop(c);
    v = fj_enter(c, o, "name", true);
    if (v)
        fj_read_name(c, v, &f->name);
    fj_pop(c);
    v = fj_enter(c, o, "reserve_url", false);
    const char *url = v && !json_is_null(v) ? fj_read_string(c, v, "a URL (a string)") : NULL;
    if (url) {
        const char *why = url_problem(url);
        if (why)
            FJ_ERR(c, "%s", why);
        else
            f->reserve_url = fj_keep(c, url, strlen(url));
    }
    fj_pop(c);
    json_t *arr = fj_enter(c, o, "days", true);
    size_t n;
    if (arr && fj_read_array(c, arr, FEEDS_MAX_DAYS, "days", &n)) {
        feeds_day *days = n ? fj_arena_alloc(c->arena, n, sizeof *days) : NULL;
        if (n == 0) {
            FJ_ERR(c, "no days: give at least today");
        } else if (!days) {
            c->nomem = true;
        } else {
            for (size_t i = 0; i < n; i++) {
                fj_push_index(c, i);
                read_day(c, json_array_get(arr, i), &days[i], i ? days[i - 1].day : INT32_MIN);
                fj_pop(c);
            }
            f->days = days;
            f->n_days = n;
        }
    }
    fj_pop(c);
}

void fj_read_facilities(fj *c, json_t *root, feeds_vacancy *vac)
{
    json_t *arr = fj_enter(c, root, "facilities", true);
    size_t n;
    if (arr && fj_read_array(c, arr, FEEDS_MAX_FACILITIES, "facilities", &n) && n > 0) {
        feeds_facility *fs = fj_arena_alloc(c->arena, n, sizeof *fs);
        const char *ids[FEEDS_MAX_FACILITIES];
        if (!fs) {
            c->nomem = true;
        } else {
            for (size_t i = 0; i < n; i++) {
                fj_push_index(c, i);
                read_facility(c, json_array_get(arr, i), &fs[i]);
                fj_push_key(c, "id");
                fj_check_unique(c, fs[i].id, ids, i);
                fj_pop(c);
                ids[i] = fs[i].id;
                fj_pop(c);
            }
            vac->facilities = fs;
            vac->n_facilities = n;
        }
    }
    fj_pop(c);
}
