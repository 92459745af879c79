/* test_store_usage: core/store usage counts (what the city learns): counts
 * per hour, screen, page and language, queued without waiting while another
 * connection holds the lock and written with the plays, kept across
 * flushes and close, exported as CSV in local time (several zones, quoting),
 * and refused arguments. */
#define _GNU_SOURCE /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/store.h"

#define FROZEN "2026-11-24T10:00:00+09:00"

struct fixture {
    char dir[64];
    clock_source *clock;
    int64_t t0; /* FROZEN, epoch seconds: 01:00 UTC */
    store *st;
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/hiroba-usage-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->clock = clock_create(FROZEN);
    if (!f->clock)
        return -1;
    f->t0 = clock_now(f->clock).sec;
    f->st = store_open(f->dir, f->clock);
    if (!f->st)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    clock_destroy(f->clock);
    nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* The export as a string (caller frees); *rows gets the return value. */
static char *export(store *st, const char *tz, int64_t *rows)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    *rows = store_usage_export(st, out, tz);
    assert_int_equal(fclose(out), 0);
    return buf;
}

static void assert_export(store *st, const char *tz, int64_t want_rows, const char *want)
{
    int64_t rows;
    char *got = export(st, tz, &rows);
    assert_int_equal(rows, want_rows);
    assert_string_equal(got, want);
    free(got);
}

/* A second connection that holds the write lock, as the network thread
 * does during a sync. */
static sqlite3 *lock_db(const struct fixture *f)
{
    char path[128];
    snprintf(path, sizeof path, "%s/" STORE_FILE_NAME, f->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static void unlock_db(sqlite3 *db)
{
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static int64_t raw_count(const struct fixture *f)
{
    char path[128];
    snprintf(path, sizeof path, "%s/" STORE_FILE_NAME, f->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *stmt;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT COALESCE(SUM(count), 0) FROM usage_hourly", -1, &stmt, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
}

static void test_counts_per_hour(void **state)
{
    struct fixture *f = *state;
    int64_t t = f->t0; /* 10:00:00 in Tokyo */
    assert_int_equal(store_usage_count(f->st, t, "home", NULL, "ja"), 0);
    assert_int_equal(store_usage_count(f->st, t + 1799, "home", "", "ja"), 0);
    assert_int_equal(store_usage_count(f->st, t + 3599, "home", NULL, "ja"), 0); /* 10:59:59 */
    assert_int_equal(store_usage_count(f->st, t + 60, "home", NULL, "en"), 0);
    assert_int_equal(store_usage_count(f->st, t + 120, "childcare", "kenshin", "ja-easy"), 0);
    assert_int_equal(store_usage_count(f->st, t + 3600, "home", NULL, "ja"), 0); /* 11:00 */
    assert_int_equal(store_usage_count(f->st, t - 1, "queue", NULL, NULL), 0);   /* 09:59:59 */
    /* Half past the hour and the day before: hours, never minutes. */
    assert_int_equal(store_usage_count(f->st, t - 86400 + 1800, "vacancy", NULL, "ko"), 0);
    assert_int_equal(store_flush_plays(f->st), 0);
    assert_export(f->st, "Asia/Tokyo", 6,
                  "hour_start,screen,page,lang,count\r\n"
                  "2026-11-23T10:00:00+09:00,vacancy,,ko,1\r\n"
                  "2026-11-24T09:00:00+09:00,queue,,,1\r\n"
                  "2026-11-24T10:00:00+09:00,childcare,kenshin,ja-easy,1\r\n"
                  "2026-11-24T10:00:00+09:00,home,,en,1\r\n"
                  "2026-11-24T10:00:00+09:00,home,,ja,3\r\n"
                  "2026-11-24T11:00:00+09:00,home,,ja,1\r\n");
}

static void test_export_zones(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_usage_count(f->st, f->t0 + 5, "home", NULL, "ja"), 0);
    assert_int_equal(store_flush_plays(f->st), 0);
    const char *head = "hour_start,screen,page,lang,count\r\n";
    char want[256];
    snprintf(want, sizeof want, "%s2026-11-24T10:00:00+09:00,home,,ja,1\r\n", head);
    assert_export(f->st, NULL, 1, want); /* the kiosk's zone */
    snprintf(want, sizeof want, "%s2026-11-24T01:00:00+00:00,home,,ja,1\r\n", head);
    assert_export(f->st, "UTC", 1, want);
    snprintf(want, sizeof want, "%s2026-11-23T20:00:00-05:00,home,,ja,1\r\n", head);
    assert_export(f->st, "America/New_York", 1, want);
    /* A zone half an hour off: the UTC hour, shown as it is there. */
    snprintf(want, sizeof want, "%s2026-11-24T06:30:00+05:30,home,,ja,1\r\n", head);
    assert_export(f->st, "Asia/Kolkata", 1, want);
    /* An unknown zone would silently be UTC: refused, nothing written. */
    int64_t rows;
    char *got = export(f->st, "Mars/Olympus_Mons", &rows);
    assert_int_equal(rows, STORE_ERR_INVALID);
    assert_string_equal(got, "");
    free(got);
    got = export(f->st, "../../etc/passwd", &rows);
    assert_int_equal(rows, STORE_ERR_INVALID);
    free(got);
    assert_int_equal(store_usage_export(NULL, stdout, NULL), STORE_ERR_INVALID);
    assert_int_equal(store_usage_export(f->st, NULL, NULL), STORE_ERR_INVALID);
}

static void test_csv_quoting(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_usage_count(f->st, f->t0, "childcare", "a,\"b\"", "ja"), 0);
    assert_int_equal(store_flush_plays(f->st), 0);
    assert_export(f->st, "Asia/Tokyo", 1,
                  "hour_start,screen,page,lang,count\r\n"
                  "2026-11-24T10:00:00+09:00,childcare,\"a,\"\"b\"\"\",ja,1\r\n");
}

static void test_empty_export(void **state)
{
    struct fixture *f = *state;
    assert_export(f->st, "Asia/Tokyo", 0, "hour_start,screen,page,lang,count\r\n");
}

/* The UI thread never waits: while another connection writes, counts stay
 * queued (the same opening adds up in one row), and the next flush writes
 * them with the plays, adding to what the table already has. */
static void test_queued_while_locked(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_usage_count(f->st, f->t0, "home", NULL, "ja"), 0);
    assert_int_equal(raw_count(f), 1); /* free database: written at once */

    sqlite3 *db = lock_db(f);
    int64_t before = clock_monotonic_ms();
    for (int i = 0; i < 1000; i++)
        assert_int_equal(store_usage_count(f->st, f->t0 + i, "home", NULL, "ja"), 0);
    for (int i = 0; i < 100; i++) {
        char page[16];
        snprintf(page, sizeof page, "p%d", i);
        assert_int_equal(store_usage_count(f->st, f->t0, "childcare", page, "en"), 0);
    }
    assert_int_equal(store_log_play(f->st, "chuo", 1, "item", f->t0 * 1000, 8000), 0);
    int64_t took = clock_monotonic_ms() - before;
    assert_true(took < 1000); /* never the 5 s busy timeout */
    assert_int_equal(store_plays_pending(f->st), 1);
    unlock_db(db);
    assert_int_equal(raw_count(f), 1);

    assert_int_equal(store_flush_plays(f->st), 0);
    assert_int_equal(store_plays_pending(f->st), 0);
    assert_int_equal(raw_count(f), 1 + 1000 + 100);
    int64_t rows;
    char *csv = export(f->st, "Asia/Tokyo", &rows);
    assert_int_equal(rows, 101);
    assert_non_null(strstr(csv, "\r\n2026-11-24T10:00:00+09:00,home,,ja,1001\r\n"));
    assert_non_null(strstr(csv, "\r\n2026-11-24T10:00:00+09:00,childcare,p42,en,1\r\n"));
    free(csv);
}

/* Queued counts survive store_close; written counts survive a reopen. */
static void test_close_flushes(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = lock_db(f);
    assert_int_equal(store_usage_count(f->st, f->t0, "queue", NULL, "zh"), 0);
    assert_int_equal(store_usage_count(f->st, f->t0, "queue", NULL, "zh"), 0);
    unlock_db(db);
    assert_int_equal(raw_count(f), 0);
    store_close(f->st);
    f->st = store_open(f->dir, f->clock);
    assert_non_null(f->st);
    assert_export(f->st, "Asia/Tokyo", 1,
                  "hour_start,screen,page,lang,count\r\n"
                  "2026-11-24T10:00:00+09:00,queue,,zh,2\r\n");
}

/* More distinct rows than the queue holds: the queue writes itself (waiting
 * for the lock), nothing is lost. */
static void test_full_queue(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = lock_db(f);
    for (int i = 0; i < STORE_USAGE_PENDING_MAX; i++) {
        char page[16];
        snprintf(page, sizeof page, "p%d", i);
        assert_int_equal(store_usage_count(f->st, f->t0, "childcare", page, "ja"), 0);
    }
    unlock_db(db);
    assert_int_equal(raw_count(f), 0);
    assert_int_equal(store_usage_count(f->st, f->t0, "childcare", "last", "ja"), 0);
    assert_int_equal(raw_count(f), STORE_USAGE_PENDING_MAX + 1);
}

static void test_invalid(void **state)
{
    struct fixture *f = *state;
    char longname[STORE_USAGE_NAME_MAX + 2];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    char fits[STORE_USAGE_NAME_MAX + 1];
    memset(fits, 'b', sizeof fits - 1);
    fits[sizeof fits - 1] = '\0';
    struct {
        store *st;
        int64_t at;
        const char *screen, *page, *lang;
        int want;
    } cases[] = {
        {NULL, f->t0, "home", NULL, "ja", STORE_ERR_INVALID},
        {f->st, f->t0, NULL, NULL, "ja", STORE_ERR_INVALID},
        {f->st, f->t0, "", NULL, "ja", STORE_ERR_INVALID},
        {f->st, -1, "home", NULL, "ja", STORE_ERR_INVALID},
        {f->st, f->t0, longname, NULL, "ja", STORE_ERR_INVALID},
        {f->st, f->t0, "home", longname, "ja", STORE_ERR_INVALID},
        {f->st, f->t0, "home", NULL, longname, STORE_ERR_INVALID},
        {f->st, f->t0, "home\n", NULL, "ja", STORE_ERR_INVALID},
        {f->st, f->t0, "home", "p\x01", "ja", STORE_ERR_INVALID},
        {f->st, f->t0, fits, fits, fits, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(store_usage_count(cases[i].st, cases[i].at, cases[i].screen, cases[i].page,
                                           cases[i].lang),
                         cases[i].want);
    assert_int_equal(store_flush_plays(f->st), 0);
    assert_int_equal(raw_count(f), 1);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts_per_hour, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_zones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queued_while_locked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_flushes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
