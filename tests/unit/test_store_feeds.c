/* test_store_feeds: core/store's feed cache (store_feeds.c): put, get and
 * touch, a row for another URL never handed out, the limits on what is
 * stored, a cache that survives closing the database, and the real 1 -> 2
 * migration of a schema-1 database that already holds data. */
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

#include <sqlite3.h>

#include "app/core/clock.h"
#include "app/core/store.h"

#define FROZEN "2026-11-24T10:00:00+09:00"
#define URL_A  "http://127.0.0.1:8080/feeds/queue.json"
#define URL_B  "https://feeds.city.example/queue.json"
#define BODY   "{\"format\": 1, \"updated\": \"2026-11-24T10:03:00+09:00\", \"counters\": []}"

struct fixture {
    char dir[64];
    clock_source *clock;
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
    snprintf(f->dir, sizeof f->dir, "/tmp/hiroba-store-feeds-XXXXXX");
    if (!mkdtemp(f->dir) || !(f->clock = clock_create(FROZEN)))
        return -1;
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

static void reopen(struct fixture *f)
{
    store_close(f->st);
    f->st = store_open(f->dir, f->clock);
    assert_non_null(f->st);
}

/* ---- put / get / touch ---- */

static void test_put_get_touch(void **state)
{
    struct fixture *f = *state;
    store_feed row;
    assert_int_equal(store_feed_get(f->st, "queue", NULL, &row), STORE_ERR_NOT_FOUND);
    assert_null(row.body);
    assert_int_equal(store_feed_touch(f->st, "queue", URL_A, 5), STORE_ERR_NOT_FOUND);

    assert_int_equal(store_feed_put(f->st, "queue", URL_A, BODY, strlen(BODY), "\"abc\"",
                                    "Tue, 24 Nov 2026 01:03:00 GMT", 1000),
                     0);
    assert_int_equal(store_feed_get(f->st, "queue", URL_A, &row), 0);
    assert_int_equal(row.len, strlen(BODY));
    assert_string_equal(row.body, BODY);
    assert_string_equal(row.url, URL_A);
    assert_string_equal(row.etag, "\"abc\"");
    assert_string_equal(row.last_modified, "Tue, 24 Nov 2026 01:03:00 GMT");
    assert_int_equal(row.fetched_at_ms, 1000);
    assert_int_equal(row.checked_at_ms, 1000);
    store_feed_clear(&row);
    assert_null(row.body);

    /* A 304: only checked_at moves. */
    assert_int_equal(store_feed_touch(f->st, "queue", URL_A, 6000), 0);
    assert_int_equal(store_feed_get(f->st, "queue", NULL, &row), 0);
    assert_int_equal(row.fetched_at_ms, 1000);
    assert_int_equal(row.checked_at_ms, 6000);
    assert_string_equal(row.body, BODY);
    store_feed_clear(&row);

    /* The other feed is a row of its own. */
    assert_int_equal(store_feed_get(f->st, "vacancy", NULL, &row), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_feed_put(f->st, "vacancy", URL_B, "{}", 2, NULL, NULL, 7000), 0);
    assert_int_equal(store_feed_get(f->st, "vacancy", URL_B, &row), 0);
    assert_string_equal(row.etag, "");
    assert_string_equal(row.last_modified, "");
    store_feed_clear(&row);
    assert_int_equal(store_feed_get(f->st, "queue", URL_A, &row), 0);
    assert_int_equal(row.fetched_at_ms, 1000);
    store_feed_clear(&row);

    /* A new body replaces the row and its validators whole. */
    assert_int_equal(store_feed_put(f->st, "queue", URL_A, "[1]", 3, NULL, NULL, 9000), 0);
    assert_int_equal(store_feed_get(f->st, "queue", URL_A, &row), 0);
    assert_string_equal(row.body, "[1]");
    assert_string_equal(row.etag, "");
    assert_int_equal(row.checked_at_ms, 9000);
    store_feed_clear(&row);
    store_feed_clear(NULL);
}

static void test_binary_body_kept_exactly(void **state)
{
    struct fixture *f = *state;
    static const char body[] = {'{', 0, '\xff', '}', 0, 'x'};
    assert_int_equal(store_feed_put(f->st, "queue", URL_A, body, sizeof body, NULL, NULL, 1), 0);
    store_feed row;
    assert_int_equal(store_feed_get(f->st, "queue", URL_A, &row), 0);
    assert_int_equal(row.len, sizeof body);
    assert_memory_equal(row.body, body, sizeof body);
    assert_int_equal(row.body[row.len], '\0');
    store_feed_clear(&row);
}

/* A pack that moved its feed elsewhere must not show the old place's numbers. */
static void test_other_url_not_found(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_feed_put(f->st, "queue", URL_A, BODY, strlen(BODY), "\"e\"", NULL, 10),
                     0);
    store_feed row;
    memset(&row, 0x55, sizeof row); /* cleared even when nothing is found */
    assert_int_equal(store_feed_get(f->st, "queue", URL_B, &row), STORE_ERR_NOT_FOUND);
    assert_null(row.body);
    assert_int_equal(row.len, 0);
    assert_string_equal(row.url, "");
    /* A prefix of the stored URL is another URL too. */
    assert_int_equal(store_feed_get(f->st, "queue", "http://127.0.0.1:8080/feeds/queue.jso", &row),
                     STORE_ERR_NOT_FOUND);
    assert_int_equal(store_feed_touch(f->st, "queue", URL_B, 20), STORE_ERR_NOT_FOUND);
    /* The refused touch changed nothing. */
    assert_int_equal(store_feed_get(f->st, "queue", URL_A, &row), 0);
    assert_int_equal(row.checked_at_ms, 10);
    store_feed_clear(&row);
    /* Moving the feed replaces the row: the old URL is gone. */
    assert_int_equal(store_feed_put(f->st, "queue", URL_B, "{}", 2, NULL, NULL, 30), 0);
    assert_int_equal(store_feed_get(f->st, "queue", URL_A, &row), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_feed_get(f->st, "queue", URL_B, &row), 0);
    store_feed_clear(&row);
}

/* ---- limits ---- */

static void test_size_limit(void **state)
{
    struct fixture *f = *state;
    size_t max = STORE_FEED_BODY_MAX;
    char *big = malloc(max + 1);
    assert_non_null(big);
    memset(big, 'a', max + 1);
    assert_int_equal(store_feed_put(f->st, "queue", URL_A, big, max + 1, NULL, NULL, 1),
                     STORE_ERR_INVALID);
    store_feed row;
    assert_int_equal(store_feed_get(f->st, "queue", NULL, &row), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_feed_put(f->st, "queue", URL_A, big, max, NULL, NULL, 1), 0);
    assert_int_equal(store_feed_get(f->st, "queue", NULL, &row), 0);
    assert_int_equal(row.len, max);
    assert_memory_equal(row.body, big, max);
    store_feed_clear(&row);
    free(big);
}

typedef struct bad_put {
    const char *what;
    const char *name, *url, *body;
    const char *etag, *last_modified;
} bad_put;

static void test_invalid_arguments(void **state)
{
    struct fixture *f = *state;
    static char long_name[STORE_FEED_NAME_MAX + 2], long_url[STORE_KV_KEY_MAX + 1], long_etag[300],
        long_date[80];
    memset(long_name, 'q', sizeof long_name - 1);
    memcpy(long_url, "http://", 7);
    memset(long_url + 7, 'u', sizeof long_url - 8);
    memset(long_etag, 'e', sizeof long_etag - 1);
    memset(long_date, 'd', sizeof long_date - 1);
    const bad_put cases[] = {
        {"no name", NULL, URL_A, BODY, NULL, NULL},
        {"empty name", "", URL_A, BODY, NULL, NULL},
        {"name too long", long_name, URL_A, BODY, NULL, NULL},
        {"no url", "queue", NULL, BODY, NULL, NULL},
        {"empty url", "queue", "", BODY, NULL, NULL},
        {"url too long", "queue", long_url, BODY, NULL, NULL},
        {"no body", "queue", URL_A, NULL, NULL, NULL},
        {"etag too long", "queue", URL_A, BODY, long_etag, NULL},
        {"date too long", "queue", URL_A, BODY, NULL, long_date},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_put *c = &cases[i];
        size_t len = c->body ? strlen(c->body) : 0;
        if (store_feed_put(f->st, c->name, c->url, c->body, len, c->etag, c->last_modified, 1) !=
            STORE_ERR_INVALID)
            fail_msg("store_feed_put accepted: %s", c->what);
    }
    store_feed row;
    assert_int_equal(store_feed_get(f->st, "queue", NULL, &row), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_feed_put(NULL, "queue", URL_A, BODY, 1, NULL, NULL, 1),
                     STORE_ERR_INVALID);
    assert_int_equal(store_feed_get(NULL, "queue", NULL, &row), STORE_ERR_INVALID);
    assert_int_equal(store_feed_get(f->st, "queue", NULL, NULL), STORE_ERR_INVALID);
    assert_int_equal(store_feed_get(f->st, "", NULL, &row), STORE_ERR_INVALID);
    assert_int_equal(store_feed_touch(NULL, "queue", URL_A, 1), STORE_ERR_INVALID);
    assert_int_equal(store_feed_touch(f->st, "queue", NULL, 1), STORE_ERR_INVALID);
}

/* ---- durability ---- */

static void test_survives_reopen(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_feed_put(f->st, "queue", URL_A, BODY, strlen(BODY), "\"v1\"",
                                    "Tue, 24 Nov 2026 01:03:00 GMT", 111),
                     0);
    assert_int_equal(store_feed_touch(f->st, "queue", URL_A, 222), 0);
    reopen(f);
    store_feed row;
    assert_int_equal(store_feed_get(f->st, "queue", URL_A, &row), 0);
    assert_string_equal(row.body, BODY);
    assert_string_equal(row.etag, "\"v1\"");
    assert_int_equal(row.fetched_at_ms, 111);
    assert_int_equal(row.checked_at_ms, 222);
    store_feed_clear(&row);
}

/* ---- the migrations from 1 (2 brought the feed cache), on a real schema-1
 * database with data ---- */

static int64_t raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

static int count_reason(void *user, const store_rejection *r)
{
    if (strcmp(r->source, "sync") == 0 && strcmp(r->reason, "before the migration") == 0)
        (*(int *)user)++;
    return 0;
}

static void test_migration_from_schema_1(void **state)
{
    struct fixture *f = *state;
    static const char manifest[] = "{\"channel\": \"lobby\", \"version\": 3}";
    assert_int_equal(store_activate(f->st, "lobby", 3, manifest, strlen(manifest), "sig"), 0);
    assert_int_equal(store_kv_set(f->st, "etag:http://x/manifest.json", "\"m3\""), 0);
    assert_int_equal(store_reject(f->st, "sync", "before the migration"), 0);
    assert_int_equal(store_log_play(f->st, "lobby", 3, "welcome", 1000, 5000), 0);
    assert_int_equal(store_flush_plays(f->st), 0);
    store_close(f->st);
    f->st = NULL;

    /* Turn it into what a schema-1 kiosk left behind: every table a later
     * migration added goes (their indexes and triggers with them). */
    char path[128];
    snprintf(path, sizeof path, "%s/" STORE_FILE_NAME, f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (;;) {
        sqlite3_stmt *stmt;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name NOT LIKE 'sqlite_%' AND name NOT IN"
                                            " ('manifests', 'active', 'trust_state',"
                                            " 'proof_of_play', 'kv', 'rejections')",
                                            -1, &stmt, NULL),
                         SQLITE_OK);
        char drop[160] = "";
        if (sqlite3_step(stmt) == SQLITE_ROW)
            snprintf(drop, sizeof drop, "DROP TABLE \"%s\"", sqlite3_column_text(stmt, 0));
        sqlite3_finalize(stmt);
        if (!drop[0])
            break;
        assert_int_equal(sqlite3_exec(db, drop, NULL, NULL, NULL), SQLITE_OK);
    }
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), 1);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'feed_cache'"),
                     0);
    sqlite3_close(db);

    f->st = store_open(f->dir, f->clock);
    assert_non_null(f->st);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_true(STORE_SCHEMA_VERSION >= 2);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                 " AND name IN ('feed_cache', 'usage_hourly')"),
                     2);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM proof_of_play"), 1);
    sqlite3_close(db);

    /* Everything schema 1 held is still there. */
    store_manifest m = {0};
    int64_t activated;
    assert_int_equal(store_get_active(f->st, "lobby", &m, &activated), 0);
    assert_int_equal(m.version, 3);
    assert_memory_equal(m.manifest_json, manifest, strlen(manifest));
    store_manifest_clear(&m);
    int64_t highest;
    assert_int_equal(store_highest_version(f->st, "lobby", &highest), 0);
    assert_int_equal(highest, 3);
    char *value = NULL;
    assert_int_equal(store_kv_get(f->st, "etag:http://x/manifest.json", &value, NULL), 0);
    assert_string_equal(value, "\"m3\"");
    free(value);
    int found = 0;
    assert_int_equal(store_rejections(f->st, 10, count_reason, &found), 0);
    assert_int_equal(found, 1);
    /* The rollback guard still holds after the migration. */
    assert_int_equal(store_activate(f->st, "lobby", 2, manifest, strlen(manifest), "sig"),
                     STORE_ERR_ROLLBACK);

    /* And the new table works. */
    assert_int_equal(store_feed_put(f->st, "queue", URL_A, BODY, strlen(BODY), NULL, NULL, 5), 0);
    reopen(f);
    store_feed row;
    assert_int_equal(store_feed_get(f->st, "queue", URL_A, &row), 0);
    assert_string_equal(row.body, BODY);
    store_feed_clear(&row);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_put_get_touch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_binary_body_kept_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_url_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_survives_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_from_schema_1, setup, teardown),
    };
    return cmocka_run_group_tests_name("store_feeds", tests, NULL, NULL);
}
