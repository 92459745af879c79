/* schedule: what is on at a given instant. Evaluates a pack's schedules in
 * its time zone (wall-clock rules: "09:00" means 09:00 on the local clock,
 * whatever the UTC offset that day), and chooses the playlist, the items in
 * play order and the ticker lines. Pure functions of (pack, instant): no
 * clock of its own, no global state, safe from any thread.
 *
 * The rules:
 * - A schedule is on when the local date is within [from, until] (inclusive,
 *   either end open), its weekday is listed (all when none are), and the
 *   local time is in one of the time ranges (all day when none are).
 * - A range is [start, end) in minutes. When end <= start it crosses
 *   midnight and belongs to the day it starts on: "22:00"-"02:00" on "fri"
 *   is on from Friday 22:00 to Saturday 02:00, and a from/until range is
 *   judged by that starting day too.
 * - DST (for zones that have it): a time that does not exist on the clock
 *   (a spring-forward gap) is simply never reached; one that happens twice
 *   (fall back) is on both times.
 * - The playlist is that of the first top-level schedule entry whose "when"
 *   is on (an entry without "when" is always on). If none is, there is no
 *   playlist: the screen shows only the header and the ticker.
 * - The items played are the playlist's items that are on now, by priority
 *   (high first), then in playlist order. */
#ifndef HIROBA_APP_CORE_SCHEDULE_H
#define HIROBA_APP_CORE_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/model.h"
#include "app/core/tz.h"

/* Whether s is on at epoch_s in zone z (NULL: UTC). A NULL schedule is
 * always on. */
bool schedule_is_on_in(const model_schedule *s, int64_t epoch_s, const tz_zone *z);

/* Same, naming the zone (NULL: Asia/Tokyo). Reads the zone file on every
 * call: for tools and tests; the kiosk uses the pack's own zone through the
 * functions below. An unknown zone is logged and treated as UTC. */
bool schedule_is_on(const model_schedule *s, int64_t epoch_s, const char *tz);

/* The playlist chosen at epoch_s (pack zone), or NULL when no entry is on. */
const model_playlist *schedule_playlist_now(const model_pack *p, int64_t epoch_s);

/* The items to play at epoch_s, in order: up to cap pointers (borrowed from
 * p) into out. Returns how many there are in all (may exceed cap; as with
 * snprintf, call again with more room). 0 when there is no playlist. */
size_t schedule_items_now(const model_pack *p, int64_t epoch_s, const model_item **out, size_t cap);

/* The ticker lines on at epoch_s, in pack order; same contract. */
size_t schedule_ticker_now(const model_pack *p, int64_t epoch_s, const model_ticker **out,
                           size_t cap);

#endif
