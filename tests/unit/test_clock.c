/* test_clock: core/clock: specs, ISO 8601 parsing, zones, formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "app/core/clock.h"
#include "app/core/log.h"

/* 2026-11-24T01:00:00Z, worked out independently (Python's datetime). */
#define T_2026_11_24_0100Z INT64_C(1795482000)

static void test_parse_iso8601(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int ok;
        int64_t sec;
        int32_t ms;
    } cases[] = {
        {"2026-11-24T10:00:00+09:00", 0, T_2026_11_24_0100Z, 0},
        {"2026-11-24T01:00:00Z", 0, T_2026_11_24_0100Z, 0},
        {"2026-11-24t01:00:00z", 0, T_2026_11_24_0100Z, 0},
        {"2026-11-24 10:00+09:00", 0, T_2026_11_24_0100Z, 0},
        {"2026-11-24T10:00:00.250+0900", 0, T_2026_11_24_0100Z, 250},
        {"2026-11-24T10:00:00.5+09:00", 0, T_2026_11_24_0100Z, 500},
        {"2026-11-23T20:00:00-05:00", 0, T_2026_11_24_0100Z, 0},
        {"2024-02-29T00:00:00Z", 0, INT64_C(1709164800), 0},
        {"2000-01-01T00:00:00Z", 0, INT64_C(946684800), 0},
        {"2038-01-19T03:14:08Z", 0, INT64_C(2147483648), 0},
        {"1969-12-31T23:59:59Z", 0, -1, 0},
        {"2026-02-29T00:00:00Z", -1, 0, 0}, /* not a leap year */
        {"2026-13-01T00:00:00Z", -1, 0, 0},
        {"2026-00-10T00:00:00Z", -1, 0, 0},
        {"2026-04-31T00:00:00Z", -1, 0, 0},
        {"2026-11-24T24:00:00Z", -1, 0, 0},
        {"2026-11-24T10:60:00Z", -1, 0, 0},
        {"2026-11-24T10:00:60Z", -1, 0, 0},
        {"2026-11-24T10:00:00", -1, 0, 0}, /* no zone: ambiguous */
        {"2026-11-24T10:00:00+9:00", -1, 0, 0},
        {"2026-11-24T10:00:00+09:00x", -1, 0, 0},
        {"2026-11-24T10:00:00.+09:00", -1, 0, 0},
        {"2026-11-24", -1, 0, 0},
        {"26-11-24T10:00:00Z", -1, 0, 0},
        {"", -1, 0, 0},
        {NULL, -1, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clock_time t = {-7, -7};
        int r = clock_parse_iso8601(cases[i].text, &t);
        if (r != cases[i].ok)
            fail_msg("\"%s\": returned %d", cases[i].text ? cases[i].text : "(null)", r);
        if (r == 0 && (t.sec != cases[i].sec || t.ms != cases[i].ms))
            fail_msg("\"%s\": %lld.%03d, want %lld.%03d", cases[i].text, (long long)t.sec,
                     (int)t.ms, (long long)cases[i].sec, (int)cases[i].ms);
    }
}

static void test_specs(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        bool valid, frozen;
        int64_t offset; /* seconds from the system clock (real, offset) */
    } cases[] = {
        {NULL, true, false, 0},
        {"", true, false, 0},
        {"real", true, false, 0},
        {"+3600", true, false, 3600},
        {"-90", true, false, -90},
        {"+0", true, false, 0},
        {"2026-11-24T10:00:00+09:00", true, true, 0},
        {"3600", false, false, 0},
        {"+", false, false, 0},
        {"+12abc", false, false, 0},
        {"+99999999999999", false, false, 0},
        {"tomorrow", false, false, 0},
        {"REAL", false, false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clock_source *c = clock_create(cases[i].spec);
        if ((c != NULL) != cases[i].valid)
            fail_msg("\"%s\": %s", cases[i].spec ? cases[i].spec : "(null)",
                     c ? "accepted" : "rejected");
        if (!c)
            continue;
        assert_int_equal(clock_is_frozen(c), cases[i].frozen);
        clock_time t = clock_now(c);
        assert_in_range(t.ms, 0, 999);
        if (cases[i].frozen) {
            assert_int_equal(t.sec, T_2026_11_24_0100Z);
            assert_true(clock_is_synchronised(c));
        } else {
            int64_t diff = t.sec - (int64_t)time(NULL) - cases[i].offset;
            assert_in_range(diff + 2, 0, 4);
        }
        clock_destroy(c);
    }
    clock_destroy(NULL);
}

static void test_monotonic(void **state)
{
    (void)state;
    int64_t a = clock_monotonic_ms();
    struct timespec ts = {0, 30 * 1000000L};
    nanosleep(&ts, NULL);
    int64_t b = clock_monotonic_ms();
    assert_true(b - a >= 30);
    assert_true(b - a < 5000);
}

/* Local time in named zones, and $TZ left exactly as it was. */
static void test_to_local(void **state)
{
    (void)state;
    static const struct {
        const char *tz;
        int year, mon, mday, hour, min, wday;
        long gmtoff;
    } cases[] = {
        {NULL, 2026, 11, 24, 10, 0, 2, 9 * 3600}, /* default Asia/Tokyo */
        {"Asia/Tokyo", 2026, 11, 24, 10, 0, 2, 9 * 3600},
        {"UTC", 2026, 11, 24, 1, 0, 2, 0},
        {"America/New_York", 2026, 11, 23, 20, 0, 1, -5 * 3600},
        {"Asia/Kolkata", 2026, 11, 24, 6, 30, 2, 19800},
    };
    for (int round = 0; round < 2; round++) {
        /* Round 0: $TZ is another zone (swap path); round 1: unset. */
        if (round == 0)
            setenv("TZ", "Europe/Paris", 1);
        else
            unsetenv("TZ");
        tzset();
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            struct tm tm;
            assert_int_equal(clock_to_local(T_2026_11_24_0100Z, cases[i].tz, &tm), 0);
            if (tm.tm_year + 1900 != cases[i].year || tm.tm_mon + 1 != cases[i].mon ||
                tm.tm_mday != cases[i].mday || tm.tm_hour != cases[i].hour ||
                tm.tm_min != cases[i].min || tm.tm_wday != cases[i].wday ||
                tm.tm_gmtoff != cases[i].gmtoff)
                fail_msg("%s: %04d-%02d-%02d %02d:%02d wday %d off %ld",
                         cases[i].tz ? cases[i].tz : "(default)", tm.tm_year + 1900, tm.tm_mon + 1,
                         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_wday, tm.tm_gmtoff);
        }
        const char *tz = getenv("TZ");
        if (round == 0)
            assert_string_equal(tz, "Europe/Paris");
        else
            assert_null(tz);
    }
    /* The fast path: $TZ already is the zone asked for. */
    assert_int_equal(clock_set_process_zone("Asia/Tokyo"), 0);
    assert_string_equal(getenv("TZ"), "Asia/Tokyo");
    struct tm tm;
    clock_source *c = clock_create("2026-11-24T10:00:00+09:00");
    assert_int_equal(clock_local(c, "Asia/Tokyo", &tm), 0);
    assert_int_equal(tm.tm_hour, 10);
    clock_destroy(c);
}

static void test_zone_known(void **state)
{
    (void)state;
    static const struct {
        const char *tz;
        bool known;
    } cases[] = {
        {"Asia/Tokyo", true},
        {"UTC", true},
        {"Nowhere/Else", false},
        {"../etc/passwd", false},
        {"/etc/localtime", false},
        {"", false},
        {NULL, false},
        {"Asia", false}, /* a folder, not a zone */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (clock_zone_known(cases[i].tz) != cases[i].known)
            fail_msg("%s", cases[i].tz ? cases[i].tz : "(null)");
}

static void test_formats(void **state)
{
    (void)state;
    static const struct {
        int year, mon, mday, hour, min, wday;
        const char *ja, *en;
    } cases[] = {
        {2026, 11, 24, 10, 0, 2, "2026年11月24日(火) 10:00", "Tue 24 Nov 2026 10:00"},
        {2026, 12, 3, 9, 5, 4, "2026年12月3日(木) 9:05", "Thu 3 Dec 2026 09:05"},
        {2027, 1, 1, 0, 0, 5, "2027年1月1日(金) 0:00", "Fri 1 Jan 2027 00:00"},
        {2026, 11, 29, 23, 59, 0, "2026年11月29日(日) 23:59", "Sun 29 Nov 2026 23:59"},
        {2026, 11, 28, 12, 30, 6, "2026年11月28日(土) 12:30", "Sat 28 Nov 2026 12:30"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tm tm = {.tm_year = cases[i].year - 1900,
                        .tm_mon = cases[i].mon - 1,
                        .tm_mday = cases[i].mday,
                        .tm_hour = cases[i].hour,
                        .tm_min = cases[i].min,
                        .tm_wday = cases[i].wday};
        char buf[64];
        assert_int_equal(clock_format_ja(&tm, buf, sizeof buf), (int)strlen(cases[i].ja));
        assert_string_equal(buf, cases[i].ja);
        assert_int_equal(clock_format_en(&tm, buf, sizeof buf), (int)strlen(cases[i].en));
        assert_string_equal(buf, cases[i].en);
        /* Too small: -1 and an empty string, never a cut character. */
        char small[8] = "xxxxxxx";
        assert_int_equal(clock_format_ja(&tm, small, sizeof small), -1);
        assert_string_equal(small, "");
    }
    struct tm bad = {.tm_wday = 7};
    char buf[64];
    assert_int_equal(clock_format_ja(&bad, buf, sizeof buf), -1);
    assert_int_equal(clock_format_en(&bad, buf, sizeof buf), -1);
}

int main(void)
{
    FILE *quiet = fopen("/dev/null", "w"); /* rejected specs log errors by design */
    log_set_stream(quiet);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_iso8601), cmocka_unit_test(test_specs),
        cmocka_unit_test(test_monotonic),     cmocka_unit_test(test_to_local),
        cmocka_unit_test(test_zone_known),    cmocka_unit_test(test_formats),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    log_set_stream(NULL);
    if (quiet)
        fclose(quiet);
    return failed;
}
