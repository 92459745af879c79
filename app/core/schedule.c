/* schedule: the on/off rules of schedule.h over a pack and an instant.
 * Must never read a clock, touch $TZ or allocate: the loop calls it often. */
#include "app/core/schedule.h"

#include "app/core/log.h"

/* Whether the day (days since 1970-01-01, local) passes the date range and
 * the weekday list. */
static bool day_ok(const model_schedule *s, int64_t day)
{
    if (day < s->from_day || day > s->until_day)
        return false;
    return (s->weekdays >> tz_weekday(day)) & 1u;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool schedule_is_on_in(const model_schedule *s, int64_t epoch_s, const tz_zone *z)
{
    if (!s)
        return true;
    int64_t local = epoch_s + tz_zone_offset(z, epoch_s, NULL);
    int64_t day = floor_div(local, 86400);
    int minute = (int)((local - day * 86400) / 60);
    if (s->n_times == 0)
        return day_ok(s, day);
    for (size_t i = 0; i < s->n_times; i++) {
        int start = s->times[i].start_min, end = s->times[i].end_min;
        if (start < end) {
            if (minute >= start && minute < end && day_ok(s, day))
                return true;
        } else {
            /* Crosses midnight: the evening part today, the morning part
             * belongs to yesterday's rule. */
            if (minute >= start && day_ok(s, day))
                return true;
            if (minute < end && day_ok(s, day - 1))
                return true;
        }
    }
    return false;
}

bool schedule_is_on(const model_schedule *s, int64_t epoch_s, const char *tz)
{
    if (!s)
        return true;
    const char *why = NULL;
    tz_zone *z = tz_zone_load(tz ? tz : TZ_DEFAULT_NAME, &why);
    if (!z)
        LOG_WARN("schedule", "time zone \"%s\": %s; using UTC", tz ? tz : TZ_DEFAULT_NAME, why);
    bool on = schedule_is_on_in(s, epoch_s, z);
    tz_zone_destroy(z);
    return on;
}

const model_playlist *schedule_playlist_now(const model_pack *p, int64_t epoch_s)
{
    if (!p)
        return NULL;
    for (size_t i = 0; i < p->n_schedule; i++) {
        const model_schedule_entry *e = &p->schedule[i];
        if (schedule_is_on_in(e->when, epoch_s, p->zone))
            return e->playlist;
    }
    return NULL;
}

size_t schedule_items_now(const model_pack *p, int64_t epoch_s, const model_item **out, size_t cap)
{
    const model_playlist *pl = schedule_playlist_now(p, epoch_s);
    if (!pl)
        return 0;
    /* Pass 1 notes which priorities are on; pass 2 emits them highest
     * first, each in playlist order. Every item is judged twice at most; no
     * allocation, no limit on the playlist's length. */
    uint32_t seen[4] = {0}; /* bit per priority 0..100 */
    for (size_t i = 0; i < pl->n_items; i++) {
        const model_item *it = pl->items[i];
        if (schedule_is_on_in(it->schedule, epoch_s, p->zone))
            seen[it->priority / 32 % 4] |= 1u << (it->priority % 32);
    }
    size_t total = 0;
    for (int prio = 127; prio >= 0; prio--) {
        if (!(seen[prio / 32] >> (prio % 32) & 1u))
            continue;
        for (size_t i = 0; i < pl->n_items; i++) {
            const model_item *it = pl->items[i];
            if (it->priority % 128 != prio || !schedule_is_on_in(it->schedule, epoch_s, p->zone))
                continue;
            if (total < cap)
                out[total] = it;
            total++;
        }
    }
    return total;
}

size_t schedule_ticker_now(const model_pack *p, int64_t epoch_s, const model_ticker **out,
                           size_t cap)
{
    size_t total = 0;
    if (!p)
        return 0;
    for (size_t i = 0; i < p->n_ticker; i++) {
        if (!schedule_is_on_in(p->ticker[i].when, epoch_s, p->zone))
            continue;
        if (total < cap)
            out[total] = &p->ticker[i];
        total++;
    }
    return total;
}
