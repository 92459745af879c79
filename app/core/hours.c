/* hours: the screen-hours decision (see hours.h). Local times come from the
 * zone's rules (tz.h), never from $TZ, so this runs in any thread. */
#include "app/core/hours.h"

#include <time.h>

#define DAY_MIN 1440

/* Epoch seconds of local wall time (days since 1970-01-01, minute of the
 * day) in z: the offset is looked up at a first guess and again at the
 * result, which settles on either side of a DST change. A wall time in a
 * spring-forward gap maps to just after it. */
static int64_t local_to_epoch(const tz_zone *z, int64_t days, int minute)
{
    int64_t local = days * 86400 + (int64_t)minute * 60;
    int64_t e = local - tz_zone_offset(z, local, NULL);
    return local - tz_zone_offset(z, e, NULL);
}

static bool minute_inside(const model_screen_hours *h, int m)
{
    int on = h->on_min, off = h->off_min >= DAY_MIN ? DAY_MIN : h->off_min;
    if (on == off)
        return true; /* the parser refuses it; never dark by accident */
    if (on < off)
        return m >= on && m < off;
    return m >= on || m < off;
}

bool hours_inside(const model_screen_hours *h, const tz_zone *z, int64_t epoch_s,
                  int64_t *next_change_s)
{
    if (next_change_s)
        *next_change_s = HOURS_NEVER;
    if (!h || !h->set || h->on_min == h->off_min % DAY_MIN)
        return true;
    struct tm tm;
    if (tz_zone_local(z, epoch_s, &tm) != 0)
        return true;
    bool inside = minute_inside(h, tm.tm_hour * 60 + tm.tm_min);
    if (next_change_s) {
        int64_t today = tz_days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        const int bounds[2] = {h->on_min, h->off_min % DAY_MIN};
        /* The earliest boundary still ahead, from yesterday's (a DST change
         * can move it across) to the day after tomorrow's. */
        for (int64_t d = today - 1; d <= today + 2; d++) {
            for (int i = 0; i < 2; i++) {
                int64_t e = local_to_epoch(z, d, bounds[i]);
                if (e > epoch_s && e < *next_change_s)
                    *next_change_s = e;
            }
        }
    }
    return inside;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

hours_decision hours_decide(const hours_input *in)
{
    hours_decision d = {.dark = false, .inside = true, .recheck_ms = HOURS_NEVER};
    int64_t next;
    d.inside = hours_inside(in->hours, in->zone, in->epoch_s, &next);
    if (next != HOURS_NEVER)
        d.recheck_ms = (next - in->epoch_s) * 1000;
    if (d.inside || in->alert_live)
        return d;
    if (in->since_input_ms >= 0 && in->since_input_ms < (int64_t)in->wake_ms) {
        d.recheck_ms = min64(d.recheck_ms, (int64_t)in->wake_ms - in->since_input_ms);
        return d;
    }
    d.dark = true;
    if (d.recheck_ms < 1)
        d.recheck_ms = 1;
    return d;
}
