/* test_hours: core/hours: the screen-hours decision as a table: inside and
 * outside the hours, hours across midnight, off at 24:00, the boundaries to
 * the second, alerts and touches waking a dark screen, and the next
 * boundary in Asia/Tokyo (no DST) and Europe/Berlin (a night one hour
 * shorter). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/core/clock.h"
#include "app/core/hours.h"
#include "app/core/log.h"
#include "app/core/tz.h"

static int64_t at(const char *iso)
{
    clock_time t;
    if (clock_parse_iso8601(iso, &t) != 0)
        fail_msg("bad time %s", iso);
    return t.sec;
}

#define HM(h, m) ((uint16_t)((h)*60 + (m)))

static void test_decision_table(void **state)
{
    (void)state;
    tz_zone *tokyo = tz_zone_load("Asia/Tokyo", NULL);
    tz_zone *berlin = tz_zone_load("Europe/Berlin", NULL);
    assert_non_null(tokyo);
    assert_non_null(berlin);
    const model_screen_hours day = {.set = true, .on_min = HM(7, 0), .off_min = HM(22, 0)};
    const model_screen_hours night = {.set = true, .on_min = HM(17, 0), .off_min = HM(2, 0)};
    const model_screen_hours midnight = {.set = true, .on_min = HM(7, 0), .off_min = HM(24, 0)};
    const model_screen_hours unset = {.set = false, .on_min = HM(7, 0), .off_min = HM(22, 0)};
    static const int64_t N = HOURS_NEVER;
    const struct {
        const char *name;
        const model_screen_hours *hours;
        const tz_zone *zone;
        const char *now;
        bool alert;
        int64_t since_input_ms; /* -1: no input */
        bool dark;
        int64_t recheck_s; /* seconds; N: never */
    } cases[] = {
        {"no pack", NULL, tokyo, "2026-11-24T03:00:00+09:00", false, -1, false, N},
        {"no hours", &unset, tokyo, "2026-11-24T03:00:00+09:00", false, -1, false, N},
        {"day: morning, dark", &day, tokyo, "2026-11-24T06:59:59+09:00", false, -1, true, 1},
        {"day: on at 07:00", &day, tokyo, "2026-11-24T07:00:00+09:00", false, -1, false, 15 * 3600},
        {"day: evening", &day, tokyo, "2026-11-24T21:59:30+09:00", false, -1, false, 30},
        {"day: off at 22:00", &day, tokyo, "2026-11-24T22:00:00+09:00", false, -1, true, 9 * 3600},
        {"day: after midnight", &day, tokyo, "2026-11-25T00:30:00+09:00", false, -1, true,
         6 * 3600 + 1800},
        {"night: before midnight", &night, tokyo, "2026-11-24T23:00:00+09:00", false, -1, false,
         3 * 3600},
        {"night: midnight", &night, tokyo, "2026-11-25T00:00:00+09:00", false, -1, false, 2 * 3600},
        {"night: 01:59", &night, tokyo, "2026-11-25T01:59:00+09:00", false, -1, false, 60},
        {"night: off at 02:00", &night, tokyo, "2026-11-25T02:00:00+09:00", false, -1, true,
         15 * 3600},
        {"night: afternoon", &night, tokyo, "2026-11-24T16:59:00+09:00", false, -1, true, 60},
        {"night: on at 17:00", &night, tokyo, "2026-11-24T17:00:00+09:00", false, -1, false,
         9 * 3600},
        {"24:00: last minute", &midnight, tokyo, "2026-11-24T23:59:00+09:00", false, -1, false, 60},
        {"24:00: midnight", &midnight, tokyo, "2026-11-25T00:00:00+09:00", true, -1, false,
         7 * 3600},
        {"24:00: dark at 00:00", &midnight, tokyo, "2026-11-25T00:00:00+09:00", false, -1, true,
         7 * 3600},
        /* Alerts and touches. */
        {"alert wakes", &day, tokyo, "2026-11-24T23:00:00+09:00", true, -1, false, 8 * 3600},
        {"alert inside hours", &day, tokyo, "2026-11-24T12:00:00+09:00", true, -1, false,
         10 * 3600},
        {"touch wakes", &day, tokyo, "2026-11-24T23:00:00+09:00", false, 0, false, 60},
        {"touch 45 s ago", &day, tokyo, "2026-11-24T23:00:00+09:00", false, 45000, false, 15},
        {"touch 60 s ago", &day, tokyo, "2026-11-24T23:00:00+09:00", false, 60000, true, 8 * 3600},
        {"touch near on", &day, tokyo, "2026-11-24T06:59:30+09:00", false, 10000, false, 30},
        /* DST: in Berlin the night of 28-29 March 2026 loses an hour at
         * 02:00; 22:00 to 07:00 is 8 real hours there, 9 in Tokyo. And the
         * night of 24-25 October gains one: 10 hours. */
        {"berlin spring", &day, berlin, "2026-03-28T22:00:00+01:00", false, -1, true, 8 * 3600},
        {"berlin spring 03:30", &day, berlin, "2026-03-29T03:30:00+02:00", false, -1, true,
         3 * 3600 + 1800},
        {"berlin autumn", &day, berlin, "2026-10-24T22:00:00+02:00", false, -1, true, 10 * 3600},
        {"berlin on", &day, berlin, "2026-03-29T07:00:00+02:00", false, -1, false, 15 * 3600},
        {"tokyo same night", &day, tokyo, "2026-03-28T22:00:00+09:00", false, -1, true, 9 * 3600},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hours_input in = {.hours = cases[i].hours,
                          .zone = cases[i].zone,
                          .epoch_s = at(cases[i].now),
                          .alert_live = cases[i].alert,
                          .since_input_ms = cases[i].since_input_ms,
                          .wake_ms = 60000};
        hours_decision d = hours_decide(&in);
        int64_t want = cases[i].recheck_s == N ? N : cases[i].recheck_s * 1000;
        if (d.dark != cases[i].dark || d.recheck_ms != want)
            fail_msg("%s: dark %d recheck %lld ms, want dark %d recheck %lld ms", cases[i].name,
                     d.dark, (long long)d.recheck_ms, cases[i].dark, (long long)want);
        assert_true(d.recheck_ms >= 1);
    }
    tz_zone_destroy(tokyo);
    tz_zone_destroy(berlin);
}

/* Walking a whole day minute by minute: the screen is on exactly in the
 * hours, and each recheck lands on the next change. */
static void test_walk_a_day(void **state)
{
    (void)state;
    tz_zone *tokyo = tz_zone_load("Asia/Tokyo", NULL);
    assert_non_null(tokyo);
    const model_screen_hours night = {.set = true, .on_min = HM(17, 30), .off_min = HM(1, 15)};
    int64_t start = at("2026-11-24T00:00:00+09:00");
    int on_minutes = 0, changes = 0;
    bool last = true;
    for (int m = 0; m < 1440; m++) {
        int64_t next;
        bool inside = hours_inside(&night, tokyo, start + m * 60, &next);
        on_minutes += inside;
        if (m > 0 && inside != last)
            changes++;
        last = inside;
        /* Just before the next change the state is the same, at it not. */
        assert_int_equal(hours_inside(&night, tokyo, next - 1, NULL), inside);
        assert_int_not_equal(hours_inside(&night, tokyo, next, NULL), inside);
    }
    assert_int_equal(on_minutes, 75 + 390); /* 00:00-01:15 and 17:30-24:00 */
    assert_int_equal(changes, 2);
    tz_zone_destroy(tokyo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision_table),
        cmocka_unit_test(test_walk_a_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
