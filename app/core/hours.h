/* hours: whether the screen is dark now, from the pack's screen hours (e.g.
 * on 07:00, off 22:00, in the pack's zone), the alert state and the last
 * touch. A pure function of its inputs, like schedule.h: no clock of its
 * own, no state, safe from any thread; the router applies the answer.
 *
 * The rules:
 * - No screen hours in the pack: always on.
 * - Inside the hours ([on, off) on the local wall clock; off before on
 *   means the hours run past midnight; off 24:00 is midnight): on.
 * - Outside them the screen is dark, except
 *   - while an alert is live: alerts always wake the screen;
 *   - for wake_ms after the last input: a resident who touches a dark kiosk
 *     gets the screen for the idle time, and every further touch extends
 *     it (the touch that wakes it is not passed to any screen: nothing was
 *     visible to be touched).
 * - The answer also says when to look again (the next boundary, the end of
 *   the wake time), so the loop can sleep in between. The boundary is
 *   computed in the zone's rules, so a DST change night is as long as it
 *   really is; it is a hint all the same: the router decides again at every
 *   wake-up. */
#ifndef HIROBA_APP_CORE_HOURS_H
#define HIROBA_APP_CORE_HOURS_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/model.h"
#include "app/core/tz.h"

#define HOURS_NEVER INT64_MAX

/* Whether epoch_s lies inside h in zone z (NULL: UTC); true when h is NULL
 * or not set. *next_change_s (may be NULL) receives the epoch of the next
 * boundary (on or off) after epoch_s, HOURS_NEVER when there is none. */
bool hours_inside(const model_screen_hours *h, const tz_zone *z, int64_t epoch_s,
                  int64_t *next_change_s);

typedef struct hours_input {
    const model_screen_hours *hours; /* NULL: no pack, always on */
    const tz_zone *zone;             /* the pack's; NULL: UTC */
    int64_t epoch_s;                 /* wall clock now */
    bool alert_live;                 /* an alert is on screen (or would be) */
    int64_t since_input_ms;          /* since the last touch, click or key; < 0: none */
    uint32_t wake_ms;                /* how long a touch wakes a dark screen */
} hours_input;

typedef struct hours_decision {
    bool dark;
    bool inside;        /* inside the screen hours */
    int64_t recheck_ms; /* decide again within this (>= 1), HOURS_NEVER: nothing changes */
} hours_decision;

hours_decision hours_decide(const hours_input *in);

#endif
