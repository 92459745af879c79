/* test_schedule: core/schedule. Table 1: one schedule + a frozen instant ->
 * on or off, in Asia/Tokyo, UTC and Europe/Berlin (across both DST changes).
 * Table 2: a pack + an instant -> the playlist, the items in play order and
 * the ticker lines. Instants are written as ISO 8601 with an explicit offset
 * and converted by clock_parse_iso8601, so the zone code under test never
 * computes its own expectations. */
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
#include "app/core/model.h"
#include "app/core/pack_json.h"
#include "app/core/schedule.h"
#include "app/core/tz.h"

typedef struct sched_case {
    const char *tz;
    const char *from, *until; /* "YYYY-MM-DD" or NULL (open) */
    const char *weekdays;     /* "mon,tue" or NULL (every day) */
    const char *times;        /* "09:00-12:00,22:00-02:00" or NULL (all day) */
    const char *at;           /* the instant, with its offset */
    bool on;
} sched_case;

#define TOKYO  "Asia/Tokyo"
#define BERLIN "Europe/Berlin"

/* 2026-11-24 is a Tuesday; 2026-11-27 a Friday. Berlin: CET->CEST on
 * 2026-03-29 at 01:00Z, CEST->CET on 2026-10-25 at 01:00Z. */
static const sched_case cases[] = {
    /* No restriction at all: always. */
    {TOKYO, NULL, NULL, NULL, NULL, "2026-11-24T10:00:00+09:00", true},
    /* Date range, inclusive on both ends, judged on the local date. */
    {TOKYO, "2026-11-01", "2026-11-30", NULL, NULL, "2026-11-01T00:00:00+09:00", true},
    {TOKYO, "2026-11-01", "2026-11-30", NULL, NULL, "2026-10-31T23:59:59+09:00", false},
    {TOKYO, "2026-11-01", "2026-11-30", NULL, NULL, "2026-11-30T23:59:59+09:00", true},
    {TOKYO, "2026-11-01", "2026-11-30", NULL, NULL, "2026-12-01T00:00:00+09:00", false},
    {TOKYO, "2026-11-01", "2026-11-30", NULL, NULL, "2026-10-31T15:00:00Z", true},
    {"UTC", "2026-11-01", "2026-11-30", NULL, NULL, "2026-10-31T15:00:00Z", false},
    {TOKYO, "2026-11-01", NULL, NULL, NULL, "2099-01-01T00:00:00+09:00", true},
    {TOKYO, NULL, "2026-11-30", NULL, NULL, "2000-01-01T00:00:00+09:00", true},
    {TOKYO, "2026-11-24", "2026-11-24", NULL, NULL, "2026-11-24T12:00:00+09:00", true},
    /* Weekdays, on the local weekday. */
    {TOKYO, NULL, NULL, "mon,tue,wed,thu,fri", NULL, "2026-11-24T10:00:00+09:00", true},
    {TOKYO, NULL, NULL, "sat,sun", NULL, "2026-11-24T10:00:00+09:00", false},
    {TOKYO, NULL, NULL, "tue", NULL, "2026-11-23T15:30:00Z", true}, /* Tue 00:30 in Tokyo */
    {"UTC", NULL, NULL, "tue", NULL, "2026-11-23T15:30:00Z", false},
    {TOKYO, NULL, NULL, "sun", NULL, "2026-11-22T23:59:59+09:00", true},
    {TOKYO, NULL, NULL, "sun", NULL, "2026-11-23T00:00:00+09:00", false},
    /* Time ranges: start included, end excluded. */
    {TOKYO, NULL, NULL, NULL, "09:00-12:00", "2026-11-24T08:59:59+09:00", false},
    {TOKYO, NULL, NULL, NULL, "09:00-12:00", "2026-11-24T09:00:00+09:00", true},
    {TOKYO, NULL, NULL, NULL, "09:00-12:00", "2026-11-24T11:59:59+09:00", true},
    {TOKYO, NULL, NULL, NULL, "09:00-12:00", "2026-11-24T12:00:00+09:00", false},
    {TOKYO, NULL, NULL, NULL, "09:00-12:00,13:00-17:00", "2026-11-24T12:30:00+09:00", false},
    {TOKYO, NULL, NULL, NULL, "09:00-12:00,13:00-17:00", "2026-11-24T16:00:00+09:00", true},
    {TOKYO, NULL, NULL, NULL, "00:00-24:00", "2026-11-24T23:59:59+09:00", true},
    {TOKYO, NULL, NULL, NULL, "00:00-24:00", "2026-11-24T00:00:00+09:00", true},
    /* Across midnight: the morning part belongs to the day before. */
    {TOKYO, NULL, NULL, "fri", "22:00-02:00", "2026-11-27T21:59:00+09:00", false},
    {TOKYO, NULL, NULL, "fri", "22:00-02:00", "2026-11-27T22:00:00+09:00", true},
    {TOKYO, NULL, NULL, "fri", "22:00-02:00", "2026-11-28T01:59:59+09:00", true}, /* Sat */
    {TOKYO, NULL, NULL, "fri", "22:00-02:00", "2026-11-28T02:00:00+09:00", false},
    {TOKYO, NULL, NULL, "fri", "22:00-02:00", "2026-11-28T23:00:00+09:00", false},
    {TOKYO, NULL, NULL, "fri", "22:00-02:00", "2026-11-27T01:00:00+09:00", false}, /* Thu's */
    {TOKYO, NULL, "2026-11-27", NULL, "22:00-02:00", "2026-11-28T01:00:00+09:00", true},
    {TOKYO, "2026-11-28", NULL, NULL, "22:00-02:00", "2026-11-28T01:00:00+09:00", false},
    {TOKYO, NULL, NULL, NULL, "22:00-00:00", "2026-11-24T23:59:00+09:00", true},
    {TOKYO, NULL, NULL, NULL, "22:00-00:00", "2026-11-25T00:00:00+09:00", false},
    /* Everything at once. */
    {TOKYO, "2026-11-01", "2026-11-30", "tue,thu", "10:00-11:00", "2026-11-24T10:30:00+09:00",
     true},
    {TOKYO, "2026-11-01", "2026-11-30", "tue,thu", "10:00-11:00", "2026-12-01T10:30:00+09:00",
     false},
    /* Berlin, spring forward: 08:00-09:00 follows the wall clock, not UTC. */
    {BERLIN, NULL, NULL, NULL, "08:00-09:00", "2026-03-28T07:30:00Z", true},  /* 08:30 CET */
    {BERLIN, NULL, NULL, NULL, "08:00-09:00", "2026-03-29T07:30:00Z", false}, /* 09:30 CEST */
    {BERLIN, NULL, NULL, NULL, "08:00-09:00", "2026-03-29T06:30:00Z", true},  /* 08:30 CEST */
    /* 02:00-03:00 does not exist that night: never on around the jump. */
    {BERLIN, "2026-03-29", "2026-03-29", NULL, "02:00-03:00", "2026-03-29T00:59:59Z", false},
    {BERLIN, "2026-03-29", "2026-03-29", NULL, "02:00-03:00", "2026-03-29T01:00:00Z", false},
    {BERLIN, NULL, NULL, NULL, "01:00-02:00", "2026-03-29T00:59:59Z", true}, /* 01:59:59 CET */
    /* Fall back: 02:00-02:30 happens twice, and is on both times. */
    {BERLIN, NULL, NULL, NULL, "02:00-02:30", "2026-10-25T00:15:00Z", true},  /* 02:15 CEST */
    {BERLIN, NULL, NULL, NULL, "02:00-02:30", "2026-10-25T00:45:00Z", false}, /* 02:45 CEST */
    {BERLIN, NULL, NULL, NULL, "02:00-02:30", "2026-10-25T01:15:00Z", true},  /* 02:15 CET */
    {BERLIN, NULL, NULL, NULL, "02:00-02:30", "2026-10-25T01:45:00Z", false}, /* 02:45 CET */
    {BERLIN, NULL, NULL, "sun", NULL, "2026-10-24T22:00:00Z", true},          /* Sun 00:00 CEST */
    {BERLIN, NULL, NULL, "sun", NULL, "2026-10-25T22:59:59Z", true},          /* Sun 23:59 CET */
    {BERLIN, NULL, NULL, "sun", NULL, "2026-10-25T23:00:00Z", false},
    /* Far past the zone file's last transition (its POSIX rule applies). */
    {BERLIN, NULL, NULL, NULL, "08:00-09:00", "2087-07-01T06:30:00Z", true},
    {BERLIN, NULL, NULL, NULL, "08:00-09:00", "2087-12-01T06:30:00Z", false},
};

static int32_t day_of(const char *ymd)
{
    int y, m, d;
    assert_int_equal(sscanf(ymd, "%d-%d-%d", &y, &m, &d), 3);
    return (int32_t)tz_days_from_civil(y, m, d);
}

/* Builds the schedule a pack would hold for this case. */
static void build(const sched_case *c, model_schedule *s, model_time_range *times, size_t cap)
{
    static const char *const names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    memset(s, 0, sizeof *s);
    s->from_day = c->from ? day_of(c->from) : INT32_MIN;
    s->until_day = c->until ? day_of(c->until) : INT32_MAX;
    s->weekdays = c->weekdays ? 0 : MODEL_WEEKDAYS_ALL;
    for (int d = 0; c->weekdays && d < 7; d++)
        if (strstr(c->weekdays, names[d]))
            s->weekdays |= (uint8_t)(1u << d);
    const char *p = c->times;
    while (p && *p) {
        int h1, m1, h2, m2, n = 0;
        assert_int_equal(sscanf(p, "%d:%d-%d:%d%n", &h1, &m1, &h2, &m2, &n), 4);
        assert_true(s->n_times < cap);
        times[s->n_times++] =
            (model_time_range){(uint16_t)(h1 * 60 + m1), (uint16_t)(h2 * 60 + m2)};
        p += n;
        if (*p == ',')
            p++;
    }
    s->times = times;
}

static void test_schedule_is_on(void **state)
{
    (void)state;
    size_t failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sched_case *c = &cases[i];
        model_schedule s;
        model_time_range times[4];
        build(c, &s, times, 4);
        clock_time at;
        assert_int_equal(clock_parse_iso8601(c->at, &at), 0);
        bool on = schedule_is_on(&s, at.sec, c->tz);
        if (on != c->on) {
            print_error("case %zu (%s, %s..%s, %s, %s) at %s: %s, want %s\n", i, c->tz,
                        c->from ? c->from : "", c->until ? c->until : "",
                        c->weekdays ? c->weekdays : "every day", c->times ? c->times : "all day",
                        c->at, on ? "on" : "off", c->on ? "on" : "off");
            failed++;
        }
    }
    if (failed)
        fail_msg("%zu schedule cases failed", failed);
    /* NULL: always on; NULL zone: Asia/Tokyo. */
    assert_true(schedule_is_on(NULL, 0, NULL));
    model_schedule s = {.from_day = INT32_MIN, .until_day = INT32_MAX, .weekdays = 1u << 2};
    clock_time at;
    assert_int_equal(clock_parse_iso8601("2026-11-23T15:30:00Z", &at), 0); /* Tue in Tokyo */
    assert_true(schedule_is_on(&s, at.sec, NULL));
}

/* ---- the loop's view of a pack ---- */

static const char pack_json[] =
    "{'format': 1, 'facility': {'name': 'x'},\n"
    " 'items': [\n"
    "  {'id': 'a', 'type': 'card', 'title': 'A'},\n"
    "  {'id': 'b', 'type': 'card', 'title': 'B', 'priority': 80,\n"
    "   'schedule': {'weekdays': ['sat', 'sun']}},\n"
    "  {'id': 'c', 'type': 'card', 'title': 'C',\n"
    "   'schedule': {'times': [{'start': '09:00', 'end': '12:00'}]}},\n"
    "  {'id': 'd', 'type': 'card', 'title': 'D', 'priority': 80},\n"
    "  {'id': 'e', 'type': 'card', 'title': 'E', 'priority': 10,\n"
    "   'schedule': {'from': '2026-12-01'}}],\n"
    " 'playlists': [{'id': 'day', 'items': ['a', 'b', 'c', 'd', 'e']},\n"
    "               {'id': 'night', 'items': ['e', 'a']}],\n"
    " 'schedule': [\n"
    "  {'playlist': 'night', 'when': {'times': [{'start': '22:00', 'end': '06:00'}]}},\n"
    "  {'playlist': 'day', 'when': {'weekdays': ['mon', 'tue', 'wed', 'thu', 'fri', 'sat']}}],\n"
    " 'ticker': [{'text': 'always'},\n"
    "            {'text': 'morning', 'when': {'times': [{'start': '09:00', 'end': '10:00'}]}}]}\n";

typedef struct loop_case {
    const char *at;
    const char *playlist; /* NULL: none on */
    const char *items;    /* ids in play order, comma-separated */
    size_t ticker;
} loop_case;

static const loop_case loop_cases[] = {
    {"2026-11-24T10:00:00+09:00", "day", "d,a,c", 1},   /* Tue: b is weekend only, e from Dec */
    {"2026-11-24T01:00:00Z", "day", "d,a,c", 1},        /* the same instant */
    {"2026-11-24T09:30:00+09:00", "day", "d,a,c", 2},   /* the morning ticker line */
    {"2026-11-28T11:00:00+09:00", "day", "b,d,a,c", 1}, /* Sat: equal priority keeps order */
    {"2026-11-28T12:00:00+09:00", "day", "b,d,a", 1},
    {"2026-11-29T11:00:00+09:00", NULL, "", 1}, /* Sun daytime: no playlist */
    {"2026-11-29T23:00:00+09:00", "night", "a", 1},
    {"2026-12-02T03:00:00+09:00", "night", "a,e", 1}, /* Tue night's window, e now on */
    {"2026-12-05T21:59:00+09:00", "day", "b,d,a,e", 1},
};

static void join_ids(const model_item *const *items, size_t n, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(buf, i ? "," : "", size - strlen(buf) - 1);
        strncat(buf, items[i]->id, size - strlen(buf) - 1);
    }
}

static void test_pack_now(void **state)
{
    (void)state;
    char *text = strdup(pack_json);
    for (char *p = text; *p; p++)
        if (*p == '\'')
            *p = '"';
    static pack_json_errors errs;
    model_pack *pack = NULL;
    if (pack_json_parse(text, strlen(text), "pack.json", PACK_JSON_SOURCE, &pack, &errs) != 0) {
        pack_json_errors_print(&errs, stderr);
        fail_msg("test pack does not parse");
    }
    for (size_t i = 0; i < sizeof loop_cases / sizeof loop_cases[0]; i++) {
        const loop_case *c = &loop_cases[i];
        clock_time at;
        assert_int_equal(clock_parse_iso8601(c->at, &at), 0);
        const model_playlist *pl = schedule_playlist_now(pack, at.sec);
        if (c->playlist == NULL)
            assert_null(pl);
        else if (!pl || strcmp(pl->id, c->playlist) != 0)
            fail_msg("%s: playlist %s, want %s", c->at, pl ? pl->id : "(none)", c->playlist);
        const model_item *items[8];
        size_t n = schedule_items_now(pack, at.sec, items, 8);
        char got[64];
        join_ids(items, n, got, sizeof got);
        if (strcmp(got, c->items) != 0)
            fail_msg("%s: items \"%s\", want \"%s\"", c->at, got, c->items);
        const model_ticker *lines[4];
        assert_int_equal(schedule_ticker_now(pack, at.sec, lines, 4), c->ticker);
        assert_string_equal(model_text_get(&lines[0]->text, MODEL_LANG_JA), "always");
    }
    /* Too little room: the total still comes back, the first ones are written. */
    clock_time at;
    assert_int_equal(clock_parse_iso8601("2026-11-28T11:00:00+09:00", &at), 0);
    const model_item *two[2] = {NULL, NULL};
    assert_int_equal(schedule_items_now(pack, at.sec, two, 2), 4);
    assert_string_equal(two[0]->id, "b");
    assert_string_equal(two[1]->id, "d");
    assert_int_equal(schedule_items_now(pack, at.sec, NULL, 0), 4);
    assert_int_equal(schedule_ticker_now(NULL, at.sec, NULL, 0), 0);
    assert_null(schedule_playlist_now(NULL, at.sec));
    model_pack_destroy(pack);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_is_on),
        cmocka_unit_test(test_pack_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
