/* pack_json_schedule: dates, times of day and schedules ("from", "until",
 * "weekdays", "times"), each reported at its place. Must never let through a
 * date the calendar does not have or a time range of no length. */
#include <stdio.h>
#include <string.h>

#include "app/core/pack_json_private.h"

static bool digits(const char *s, size_t n, int *out)
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

bool pj_read_time(pj *c, json_t *v, bool allow_24, uint16_t *min)
{
    const char *shape = "expected a time \"HH:MM\", like \"09:30\"";
    const char *s = pj_read_string(c, v, 64, shape);
    int h, m;
    if (!s)
        return false;
    if (strlen(s) != 5 || s[2] != ':' || !digits(s, 2, &h) || !digits(s + 3, 2, &m)) {
        pj_error(c, "%s", shape);
        return false;
    }
    if (h > 24 || m > 59 || (h == 24 && m != 0)) {
        pj_error(c, "not a time of day: \"%s\" (00:00 to 24:00)", s);
        return false;
    }
    if (h == 24 && !allow_24) {
        pj_error(c, "24:00 can only end a time range");
        return false;
    }
    *min = (uint16_t)(h * 60 + m);
    return true;
}

bool pj_read_date(pj *c, json_t *v, int32_t *day)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    const char *shape = "expected a date \"YYYY-MM-DD\", like \"2026-11-24\"";
    const char *s = pj_read_string(c, v, 64, shape);
    int y, m, d;
    if (!s)
        return false;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
        !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d)) {
        pj_error(c, "%s", shape);
        return false;
    }
    if (m < 1 || m > 12) {
        pj_error(c, "not a calendar date: \"%s\" (no month %d)", s, m);
        return false;
    }
    int dim = tz_days_in_month(y, m);
    if (d < 1 || d > dim) {
        pj_error(c, "not a calendar date: \"%s\" (%s %d has %d days)", s, months[m - 1], y, dim);
        return false;
    }
    *day = (int32_t)tz_days_from_civil(y, m, d);
    return true;
}

/* ---- schedules ---- */

static const char *const weekday_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

static void read_weekdays(pj *c, json_t *v, model_schedule *s)
{
    size_t n;
    if (!pj_is_array(c, v, 7, "expected a list of weekdays like [\"mon\", \"tue\"]", &n))
        return;
    if (n == 0) {
        pj_error(c, "empty: leave \"weekdays\" out to mean every day");
        return;
    }
    uint8_t mask = 0;
    for (size_t i = 0; i < n; i++) {
        pj_push_index(c, i);
        const char *w =
            pj_read_string(c, json_array_get(v, i), 64, "expected a weekday: \"mon\" … \"sun\"");
        int d = -1;
        for (int k = 0; w && weekday_names[k] && d < 0; k++)
            if (strcmp(w, weekday_names[k]) == 0)
                d = k;
        if (w && d < 0) {
            const char *hint = pj_room(c) ? pj_suggest(w, weekday_names) : NULL;
            char q[64];
            if (hint)
                pj_error(c, "unknown weekday %s (did you mean \"%s\"?)", pj_quote(w, q, sizeof q),
                         hint);
            else
                pj_error(c, "unknown weekday %s (mon tue wed thu fri sat sun)",
                         pj_quote(w, q, sizeof q));
        } else if (d >= 0 && (mask & (1u << d))) {
            pj_error(c, "\"%s\" is listed twice", w);
        } else if (d >= 0) {
            mask |= (uint8_t)(1u << d);
        }
        pj_pop(c);
    }
    if (mask)
        s->weekdays = mask;
}

static void read_times(pj *c, json_t *v, model_schedule *s)
{
    static const char *const keys[] = {"start", "end", NULL};
    size_t n;
    if (!pj_is_array(c, v, PACK_JSON_MAX_TIMES,
                     "expected a list of time ranges like [{\"start\": \"09:00\", \"end\": "
                     "\"12:00\"}]",
                     &n))
        return;
    if (n == 0) {
        pj_error(c, "empty: leave \"times\" out to mean all day");
        return;
    }
    model_time_range *t = model_alloc(c->pack, n, sizeof *t);
    if (!t) {
        pj_nomem(c);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(v, i);
        pj_push_index(c, i);
        if (pj_is_object(c, r,
                         "expected a time range {\"start\": \"09:00\", \"end\": \"12:00\"}")) {
            pj_check_keys(c, r, keys);
            bool ok = true;
            json_t *x = pj_enter(c, r, "start", true, NULL);
            ok = x && pj_read_time(c, x, false, &t[k].start_min) && ok;
            pj_pop(c);
            x = pj_enter(c, r, "end", true, NULL);
            ok = x && pj_read_time(c, x, true, &t[k].end_min) && ok;
            if (ok && t[k].end_min == t[k].start_min)
                pj_error(c, "same as \"start\" (00:00 to 24:00 is the whole day)");
            else if (ok)
                k++;
            pj_pop(c);
        }
        pj_pop(c);
    }
    s->times = t;
    s->n_times = k;
}

const model_schedule *pj_read_schedule(pj *c, json_t *v)
{
    static const char *const keys[] = {"from", "until", "weekdays", "times", NULL};
    if (!pj_is_object(c, v,
                      "expected a schedule {\"from\", \"until\", \"weekdays\", \"times\"} (each "
                      "optional)"))
        return NULL;
    model_schedule *s = model_alloc(c->pack, 1, sizeof *s);
    if (!s) {
        pj_nomem(c);
        return NULL;
    }
    s->from_day = INT32_MIN;
    s->until_day = INT32_MAX;
    s->weekdays = MODEL_WEEKDAYS_ALL;
    pj_check_keys(c, v, keys);
    bool from_ok = false;
    json_t *x = pj_enter(c, v, "from", false, NULL);
    if (x)
        from_ok = pj_read_date(c, x, &s->from_day);
    pj_pop(c);
    x = pj_enter(c, v, "until", false, NULL);
    if (x && pj_read_date(c, x, &s->until_day) && from_ok && s->until_day < s->from_day)
        pj_error(c, "before \"from\" (%s)", json_string_value(json_object_get(v, "from")));
    pj_pop(c);
    x = pj_enter(c, v, "weekdays", false, NULL);
    if (x)
        read_weekdays(c, x, s);
    pj_pop(c);
    x = pj_enter(c, v, "times", false, NULL);
    if (x)
        read_times(c, x, s);
    pj_pop(c);
    return s;
}
