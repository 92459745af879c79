/* test_tz: core/tz. Local time agrees with the C library's (the reference)
 * for many zones from 1900 to 2150; zone files that hold only a POSIX rule
 * agree with the zones that rule describes; broken zone files are refused;
 * names and calendar arithmetic. The test sets $TZ for the reference, which
 * is fine: it is single-threaded. */
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

#include "app/core/tz.h"

static void set_libc_zone(const char *name)
{
    setenv("TZ", name, 1);
    tzset();
}

static bool same_tm(const struct tm *a, const struct tm *b)
{
    return a->tm_year == b->tm_year && a->tm_mon == b->tm_mon && a->tm_mday == b->tm_mday &&
           a->tm_hour == b->tm_hour && a->tm_min == b->tm_min && a->tm_sec == b->tm_sec &&
           a->tm_wday == b->tm_wday && a->tm_yday == b->tm_yday;
}

static bool agree_at(const tz_zone *z, int64_t t, bool check_dst)
{
    time_t tt = (time_t)t;
    struct tm want, got;
    if (!localtime_r(&tt, &want) || tz_zone_local(z, t, &got) != 0)
        return false;
    return same_tm(&want, &got) && (!check_dst || want.tm_isdst == got.tm_isdst);
}

static long libc_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    return tm.tm_gmtoff;
}

/* Samples [from, to) every step seconds, and wherever the C library's offset
 * changes between two samples, finds the exact second by bisection and
 * checks both sides of it. Returns the first disagreement, or -1. */
static int64_t compare_with_libc(const tz_zone *z, int64_t from, int64_t to, int64_t step,
                                 bool check_dst)
{
    long prev = libc_offset(from);
    for (int64_t t = from; t < to; t += step) {
        if (!agree_at(z, t, check_dst))
            return t;
        long off = libc_offset(t);
        if (off != prev) {
            int64_t lo = t - step, hi = t; /* offset(lo) == prev, offset(hi) == off */
            while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;
                if (libc_offset(mid) == prev)
                    lo = mid;
                else
                    hi = mid;
            }
            if (!agree_at(z, lo, check_dst))
                return lo;
            if (!agree_at(z, hi, check_dst))
                return hi;
            prev = off;
        }
    }
    return -1;
}

static void test_against_libc(void **state)
{
    (void)state;
    static const char *const zones[] = {
        "Asia/Tokyo",
        "Europe/Berlin",
        "America/New_York",
        "Australia/Sydney",
        "Europe/Dublin",
        "America/Nuuk",
        "Asia/Tehran",
        "Pacific/Chatham",
        "America/Santiago",
        "Asia/Kolkata",
        "Africa/Casablanca",
        "Pacific/Apia",
        "UTC",
        "Antarctica/Troll",
    };
    const int64_t from = -2208988800LL; /* 1900 */
    const int64_t to = 5680281600LL;    /* 2150: long after the files' last transitions */
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        const char *why = NULL;
        tz_zone *z = tz_zone_load(zones[i], &why);
        if (!z)
            fail_msg("%s: %s", zones[i], why);
        assert_string_equal(tz_zone_name(z), zones[i]);
        set_libc_zone(zones[i]);
        /* An odd step walks through every hour and minute over the years. */
        int64_t bad = compare_with_libc(z, from, to, 86400 * 3 + 3607, true);
        if (bad != -1)
            fail_msg("%s differs from the C library at %lld", zones[i], (long long)bad);
        tz_zone_destroy(z);
    }
}

/* The smallest valid TZif v2 file: no transitions, one type, a footer. */
static size_t make_tzif(const char *footer, unsigned char *buf, size_t cap)
{
    static const unsigned char type[6] = {0, 0, 0, 0, 0, 0}; /* UTC+0, not DST, "UTC" */
    size_t n = 0;
    for (int block = 0; block < 2; block++) {
        memcpy(buf + n, "TZif2", 5);
        memset(buf + n + 5, 0, 15);
        n += 20;
        const uint32_t counts[6] = {0, 0, 0, 0, 1, 4}; /* isut isstd leap time type char */
        for (int k = 0; k < 6; k++) {
            buf[n++] = 0;
            buf[n++] = 0;
            buf[n++] = 0;
            buf[n++] = (unsigned char)counts[k];
        }
        memcpy(buf + n, type, 6);
        n += 6;
        memcpy(buf + n, "UTC", 4);
        n += 4;
    }
    n += (size_t)snprintf((char *)buf + n, cap - n, "\n%s\n", footer);
    return n;
}

static void test_posix_rules(void **state)
{
    (void)state;
    /* Each rule alone must behave as the zone it was taken from, once that
     * zone's history has settled on it. */
    static const struct {
        const char *rule, *zone;
        int64_t from;
        bool check_dst;
    } cases[] = {
        {"CET-1CEST,M3.5.0,M10.5.0/3", "Europe/Berlin", 1000000000, true},
        {"EST5EDT,M3.2.0,M11.1.0", "America/New_York", 1200000000, true},
        {"AEST-10AEDT,M10.1.0,M4.1.0/3", "Australia/Sydney", 1300000000, true},
        {"JST-9", "Asia/Tokyo", 0, true},
        {"<+0330>-3:30", "Asia/Tehran", 1700000000, true},
        {"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", "Pacific/Chatham", 1300000000, true},
        /* Negative DST: only the offsets are compared (tzdata marks winter as DST). */
        {"IST-1GMT0,M10.5.0,M3.5.0/1", "Europe/Dublin", 1000000000, false},
        /* Rule times past 24h and before 0h (TZif v3). */
        {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "America/Nuuk", 1750000000, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char buf[256];
        size_t n = make_tzif(cases[i].rule, buf, sizeof buf);
        const char *why = NULL;
        tz_zone *z = tz_zone_parse("rule", buf, n, &why);
        if (!z)
            fail_msg("%s: %s", cases[i].rule, why);
        set_libc_zone(cases[i].zone);
        int64_t bad = compare_with_libc(z, cases[i].from, cases[i].from + 40LL * 365 * 86400,
                                        86400 + 1801, cases[i].check_dst);
        if (bad != -1)
            fail_msg("%s differs from %s at %lld", cases[i].rule, cases[i].zone, (long long)bad);
        tz_zone_destroy(z);
    }
}

static void test_broken_files(void **state)
{
    (void)state;
    unsigned char good[256];
    size_t n = make_tzif("JST-9", good, sizeof good);
    const char *why = NULL;
    tz_zone *z = tz_zone_parse("ok", good, n, &why);
    assert_non_null(z);
    assert_int_equal(tz_zone_offset(z, 0, NULL), 9 * 3600);
    tz_zone_destroy(z);

    unsigned char bad[256];
    /* Every truncation of the header and data blocks is refused. */
    for (size_t cut = 0; cut < 2 * 54; cut++) {
        why = NULL;
        assert_null(tz_zone_parse("cut", good, cut, &why));
        assert_non_null(why);
    }
    memcpy(bad, good, n);
    bad[0] = 'X'; /* magic */
    assert_null(tz_zone_parse("magic", bad, n, &why));
    memcpy(bad, good, n);
    bad[54 + 39] = 0; /* v2 typecnt 0 */
    assert_null(tz_zone_parse("types", bad, n, &why));
    memcpy(bad, good, n);
    bad[54 + 44 + 3] = 0x7F; /* utoff far out of range */
    bad[54 + 44] = 0x7F;
    assert_null(tz_zone_parse("offset", bad, n, &why));
    static const char *const footers[] = {
        "J",    "CET-1CEST,M13.5.0,M10.5.0",   "CET-1CEST,M3.5.0", "<+03",
        "AB-1", "CET-1CEST,M3.5.0,M10.5.0/200"};
    for (size_t i = 0; i < sizeof footers / sizeof footers[0]; i++) {
        size_t m = make_tzif(footers[i], bad, sizeof bad);
        why = NULL;
        if (tz_zone_parse("footer", bad, m, &why))
            fail_msg("footer \"%s\" was accepted", footers[i]);
        assert_non_null(why);
    }
    /* An empty footer: the last type applies (here the only one, UTC). */
    size_t m = make_tzif("", bad, sizeof bad);
    z = tz_zone_parse("empty", bad, m, &why);
    assert_non_null(z);
    assert_int_equal(tz_zone_offset(z, 1795482000, NULL), 0);
    tz_zone_destroy(z);

    assert_null(tz_zone_load("Asia/Tokio", &why));
    assert_non_null(why);
    assert_null(tz_zone_load("../etc/passwd", &why));
    assert_null(tz_zone_load(NULL, NULL));
    /* No zone: UTC. */
    struct tm tm;
    assert_int_equal(tz_zone_local(NULL, 1795482000, &tm), 0);
    assert_int_equal(tm.tm_hour, 1);
    assert_int_equal(tz_zone_offset(NULL, 0, NULL), 0);
    assert_string_equal(tz_zone_name(NULL), "UTC");
    /* Instants far outside any calendar are refused, not overflowed. */
    assert_int_equal(tz_zone_local(NULL, INT64_MAX, &tm), -1);
    z = tz_zone_load("Europe/Berlin", NULL);
    assert_non_null(z);
    assert_int_equal(tz_zone_offset(z, INT64_MAX, NULL) % 3600, 0);
    assert_int_equal(tz_zone_offset(z, INT64_MIN, NULL), 3208); /* local mean time, +0:53:28 */
    tz_zone_destroy(z);
}

static void test_names_and_calendar(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        bool valid;
    } names[] = {
        {"Asia/Tokyo", true},
        {"UTC", true},
        {"Etc/GMT+9", true},
        {"America/Port-au-Prince", true},
        {"America/Argentina/Buenos_Aires", true},
        {"", false},
        {"/etc/passwd", false},
        {"Asia/../Tokyo", false},
        {"Asia//Tokyo", false},
        {"Asia/Tokyo/", false},
        {"Asia/./Tokyo", false},
        {"Asia/Tokyo ", false},
        {"Asia\\Tokyo", false},
        {NULL, false},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (tz_name_valid(names[i].name) != names[i].valid)
            fail_msg("\"%s\": want %s", names[i].name ? names[i].name : "(null)",
                     names[i].valid ? "valid" : "invalid");

    /* days <-> civil dates, against the C library's UTC arithmetic. */
    set_libc_zone("UTC");
    for (int64_t d = -800000; d < 800000; d += 97) {
        int64_t y;
        int m, day;
        tz_civil_from_days(d, &y, &m, &day);
        assert_int_equal(tz_days_from_civil(y, m, day), d);
        assert_true(day >= 1 && day <= tz_days_in_month(y, m));
        time_t t = (time_t)(d * 86400);
        struct tm tm;
        assert_non_null(gmtime_r(&t, &tm));
        assert_int_equal(tm.tm_year + 1900, y);
        assert_int_equal(tm.tm_mon + 1, m);
        assert_int_equal(tm.tm_mday, day);
        assert_int_equal(tm.tm_wday, tz_weekday(d));
    }
    assert_int_equal(tz_days_in_month(2024, 2), 29);
    assert_int_equal(tz_days_in_month(2026, 2), 28);
    assert_int_equal(tz_days_in_month(2100, 2), 28);
    assert_int_equal(tz_days_in_month(2000, 2), 29);
    assert_int_equal(tz_days_in_month(2026, 13), 0);
    assert_int_equal(tz_weekday(tz_days_from_civil(2026, 11, 24)), 2); /* a Tuesday */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_libc),
        cmocka_unit_test(test_posix_rules),
        cmocka_unit_test(test_broken_files),
        cmocka_unit_test(test_names_and_calendar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
