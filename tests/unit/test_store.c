/* test_store: core/store: schema from empty and refusal of a newer one,
 * activation order and atomicity, rollback refusal, the trust state that
 * never goes down (through the API and through hand-typed SQL), proof of
 * play (non-blocking queue, CSV export, pruning), kv, the rejection ring and
 * two threads writing at once. */
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
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/store.h"

#define FROZEN "2026-11-24T10:00:00+09:00"
#define DAY_MS (86400 * (int64_t)1000)

struct fixture {
    char dir[64];
    clock_source *clock;
    int64_t now_ms;
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
    snprintf(f->dir, sizeof f->dir, "/tmp/hiroba-store-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->clock = clock_create(FROZEN);
    if (!f->clock)
        return -1;
    clock_time t = clock_now(f->clock);
    f->now_ms = t.sec * 1000 + t.ms;
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

/* ---- a second, raw connection: what a bug or a person could do ---- */

static sqlite3 *raw_open(const struct fixture *f)
{
    char path[128];
    snprintf(path, sizeof path, "%s/" STORE_FILE_NAME, f->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

static int raw_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    int n = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        n++;
    sqlite3_finalize(stmt);
    return n;
}

static const char *raw_text(sqlite3 *db, const char *sql, char *buf, size_t cap)
{
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return buf;
}

static int activate(store *st, const char *channel, int64_t version)
{
    char json[128], sig[64];
    snprintf(json, sizeof json, "{\"channel\":\"%s\",\"version\":%lld}", channel,
             (long long)version);
    snprintf(sig, sizeof sig, "sig-%s-%lld", channel, (long long)version);
    return store_activate(st, channel, version, json, strlen(json), sig);
}

static int64_t active_version(store *st, const char *channel)
{
    store_manifest m;
    int r = store_get_active(st, channel, &m, NULL);
    int64_t v = r == 0 ? m.version : r;
    store_manifest_clear(&m);
    return v;
}

static int64_t previous_version(store *st, const char *channel)
{
    store_manifest m;
    int r = store_get_previous(st, channel, &m);
    int64_t v = r == 0 ? m.version : r;
    store_manifest_clear(&m);
    return v;
}

static int64_t highest(store *st, const char *channel)
{
    int64_t v;
    int r = store_highest_version(st, channel, &v);
    return r == 0 ? v : r;
}

/* ---- tests ---- */

static void test_schema_from_empty(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = raw_open(f);
    char buf[64];
    assert_int_equal(raw_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_string_equal(raw_text(db, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    static const char *const tables[] = {"manifests",  "active",        "trust_state",
                                         "kv",         "proof_of_play", "rejections",
                                         "feed_cache", "usage_hourly",  "alerts"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE name = '%s'",
                 tables[i]);
        if (raw_int(db, sql) != 1)
            fail_msg("table %s missing", tables[i]);
    }
    /* 6 guard the trust state and activation, 3 the alerts (test_alerts.c). */
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), 9);
    /* Reopening migrates nothing and keeps the data. */
    assert_int_equal(activate(f->st, "c", 3), 0);
    store_close(f->st);
    f->st = store_open(f->dir, f->clock);
    assert_non_null(f->st);
    assert_int_equal(active_version(f->st, "c"), 3);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);

    /* A database from a newer build is refused, not "migrated". */
    store_close(f->st);
    f->st = NULL;
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    assert_null(store_open(f->dir, f->clock));
    char restore[64];
    snprintf(restore, sizeof restore, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
    assert_int_equal(sqlite3_exec(db, restore, NULL, NULL, NULL), SQLITE_OK);
    f->st = store_open(f->dir, f->clock);
    assert_non_null(f->st);
    sqlite3_close(db);
}

static void test_activation_order(void **state)
{
    struct fixture *f = *state;
    store_manifest m;
    assert_int_equal(store_get_active(f->st, "hall", &m, NULL), STORE_ERR_NOT_FOUND);
    assert_null(m.manifest_json);
    assert_int_equal(highest(f->st, "hall"), STORE_ERR_NOT_FOUND);

    static const int64_t versions[] = {1, 2, 5, 6, 100};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        assert_int_equal(activate(f->st, "hall", versions[i]), 0);
        assert_int_equal(active_version(f->st, "hall"), versions[i]);
        assert_int_equal(previous_version(f->st, "hall"),
                         i ? versions[i - 1] : STORE_ERR_NOT_FOUND);
        assert_int_equal(highest(f->st, "hall"), versions[i]);
    }
    int64_t activated = 0;
    assert_int_equal(store_get_active(f->st, "hall", &m, &activated), 0);
    assert_string_equal(m.manifest_json, "{\"channel\":\"hall\",\"version\":100}");
    assert_int_equal(m.manifest_len, strlen(m.manifest_json));
    assert_string_equal(m.signature, "sig-hall-100");
    assert_string_equal(m.channel, "hall");
    assert_int_equal(m.received_at_ms, f->now_ms);
    assert_int_equal(activated, f->now_ms);
    store_manifest_clear(&m);

    /* Only the active and previous manifests are kept. */
    sqlite3 *db = raw_open(f);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM manifests"), 2);
    assert_int_equal(raw_rows(db, "PRAGMA foreign_key_check"), 0);
    assert_int_equal(raw_rows(db, "PRAGMA integrity_check"), 1); /* one row: "ok" */
    sqlite3_close(db);
}

/* One transaction: when its last step fails, nothing of it remains. */
static void test_activation_atomic(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(activate(f->st, "c", 1), 0);
    assert_int_equal(activate(f->st, "c", 2), 0);
    sqlite3 *db = raw_open(f);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TRIGGER fail_prune BEFORE DELETE ON manifests"
                                  " BEGIN SELECT RAISE(ABORT, 'injected'); END;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(activate(f->st, "c", 3), STORE_ERR_DB);
    assert_int_equal(active_version(f->st, "c"), 2);
    assert_int_equal(previous_version(f->st, "c"), 1);
    assert_int_equal(highest(f->st, "c"), 2);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM manifests WHERE version = 3"), 0);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER fail_prune", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(activate(f->st, "c", 3), 0);
    sqlite3_close(db);
}

static void test_rollback_refused(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(activate(f->st, "a", 5), 0);
    assert_int_equal(activate(f->st, "b", 2), 0); /* channels are independent */
    static const struct {
        const char *channel;
        int64_t version;
        int want;
    } cases[] = {
        {"a", 4, STORE_ERR_ROLLBACK}, {"a", 1, STORE_ERR_ROLLBACK}, {"a", 5, STORE_ERR_SAME},
        {"a", 0, STORE_ERR_INVALID},  {"a", -7, STORE_ERR_INVALID}, {"b", 1, STORE_ERR_ROLLBACK},
        {"b", 2, STORE_ERR_SAME},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int r = activate(f->st, cases[i].channel, cases[i].version);
        if (r != cases[i].want)
            fail_msg("case %zu: %s v%lld -> %d (%s)", i, cases[i].channel,
                     (long long)cases[i].version, r, store_strerror(r));
    }
    assert_int_equal(active_version(f->st, "a"), 5);
    assert_int_equal(active_version(f->st, "b"), 2);

    /* A verified-but-incomplete v9 blocks v7 from then on; v9 itself is fine. */
    assert_int_equal(store_trust_raise(f->st, "a", 9), 0);
    assert_int_equal(highest(f->st, "a"), 9);
    assert_int_equal(activate(f->st, "a", 7), STORE_ERR_ROLLBACK);
    assert_int_equal(active_version(f->st, "a"), 5);
    assert_int_equal(activate(f->st, "a", 9), 0);
    assert_int_equal(previous_version(f->st, "a"), 5);
    assert_int_equal(activate(f->st, "a", 10), 0);
}

/* Nothing lowers the highest trusted version: not the API, not SQL. */
static void test_highest_never_decreases(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(activate(f->st, "c", 8), 0);
    assert_int_equal(store_trust_raise(f->st, "c", 3), 0); /* a no-op */
    assert_int_equal(highest(f->st, "c"), 8);
    assert_int_equal(store_trust_raise(f->st, "new", 4), 0);
    assert_int_equal(highest(f->st, "new"), 4);

    sqlite3 *db = raw_open(f);
    static const char *const attacks[] = {
        "UPDATE trust_state SET highest_version = 1 WHERE channel = 'c'",
        "UPDATE trust_state SET highest_version = highest_version - 1",
        "INSERT OR REPLACE INTO trust_state (channel, highest_version) VALUES ('c', 2)",
        "REPLACE INTO trust_state VALUES ('c', 7)",
        "DELETE FROM trust_state WHERE channel = 'c'",
        "UPDATE trust_state SET channel = 'other' WHERE channel = 'c'",
        "UPDATE active SET version = 7 WHERE channel = 'c'",
        "UPDATE active SET version = 9 WHERE channel = 'c'", /* above the trusted 8 */
    };
    for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
        char *err = NULL;
        int rc = sqlite3_exec(db, attacks[i], NULL, NULL, &err);
        if (rc == SQLITE_OK)
            fail_msg("accepted: %s", attacks[i]);
        sqlite3_free(err);
    }
    assert_int_equal(raw_int(db, "SELECT highest_version FROM trust_state WHERE channel = 'c'"), 8);
    assert_int_equal(highest(f->st, "c"), 8);
    assert_int_equal(active_version(f->st, "c"), 8);
    /* Raising by hand is allowed (it is what store_trust_raise does). */
    assert_int_equal(
        sqlite3_exec(db, "UPDATE trust_state SET highest_version = 12", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(activate(f->st, "c", 11), STORE_ERR_ROLLBACK);
    sqlite3_close(db);
}

struct in_use {
    char seen[8][32];
    int n;
};

static int collect_in_use(void *ud, const store_manifest *m)
{
    struct in_use *u = ud;
    if (u->n < 8)
        snprintf(u->seen[u->n++], sizeof u->seen[0], "%s:%lld:%zu", m->channel,
                 (long long)m->version, m->manifest_len);
    return 0;
}

static int stop_at_first(void *ud, const store_manifest *m)
{
    (void)m;
    (*(int *)ud)++;
    return 42;
}

static void test_manifests_in_use(void **state)
{
    struct fixture *f = *state;
    for (int v = 1; v <= 4; v++)
        assert_int_equal(activate(f->st, "hall", v), 0);
    assert_int_equal(activate(f->st, "lobby", 7), 0);
    struct in_use u = {0};
    assert_int_equal(store_manifests_in_use(f->st, collect_in_use, &u), 0);
    assert_int_equal(u.n, 3);
    assert_string_equal(u.seen[0], "hall:3:30");
    assert_string_equal(u.seen[1], "hall:4:30");
    assert_string_equal(u.seen[2], "lobby:7:31");
    int calls = 0;
    assert_int_equal(store_manifests_in_use(f->st, stop_at_first, &calls), 42);
    assert_int_equal(calls, 1);
}

/* Splits one CSV line into fields (RFC 4180 quoting). Returns the count. */
static int csv_split(const char *line, char fields[][128], int max)
{
    int n = 0;
    const char *p = line;
    while (n < max) {
        char *out = fields[n];
        size_t len = 0;
        if (*p == '"') {
            for (p++; *p; p++) {
                if (*p == '"' && p[1] == '"')
                    p++;
                else if (*p == '"') {
                    p++;
                    break;
                }
                if (len < 127)
                    out[len++] = *p;
            }
        } else {
            while (*p && *p != ',' && *p != '\r' && *p != '\n' && len < 127)
                out[len++] = *p++;
        }
        out[len] = '\0';
        n++;
        if (*p != ',')
            break;
        p++;
    }
    return n;
}

static void test_proof_of_play(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *channel;
        int64_t version;
        const char *item;
        int64_t start_offset_ms; /* from now */
        int64_t duration_ms;
    } plays[] = {
        {"hall", 3, "kenshin", -40 * DAY_MS, 10000}, /* pruned at 30 days */
        {"hall", 3, "ohanashi-kai", -2000, 8000},
        {"hall", 4, "a,b \"quoted\"", -1000, 12345},
        {"lobby", 1, "一時保育", 0, 0},
    };
    for (size_t i = 0; i < sizeof plays / sizeof plays[0]; i++)
        assert_int_equal(store_log_play(f->st, plays[i].channel, plays[i].version, plays[i].item,
                                        f->now_ms + plays[i].start_offset_ms, plays[i].duration_ms),
                         0);
    assert_int_equal(store_plays_pending(f->st), 0); /* nobody else holds the lock */
    assert_int_equal(store_log_play(f->st, "hall", 1, "x", 0, -1), STORE_ERR_INVALID);
    assert_int_equal(store_log_play(f->st, "", 1, "x", 0, 1), STORE_ERR_INVALID);
    assert_int_equal(store_log_play(f->st, "hall", 1, "", 0, 1), STORE_ERR_INVALID);

    FILE *out = tmpfile();
    assert_non_null(out);
    assert_int_equal(store_plays_export(f->st, out, 0, INT64_MAX), 4);
    rewind(out);
    char line[512], fields[8][128];
    assert_non_null(fgets(line, sizeof line, out));
    assert_string_equal(line,
                        "started_at_ms,started_at_utc,channel,version,item_id,duration_ms\r\n");
    for (size_t i = 0; i < 4; i++) {
        assert_non_null(fgets(line, sizeof line, out));
        assert_int_equal(csv_split(line, fields, 8), 6);
        assert_int_equal(strtoll(fields[0], NULL, 10), f->now_ms + plays[i].start_offset_ms);
        assert_string_equal(fields[2], plays[i].channel);
        assert_int_equal(strtoll(fields[3], NULL, 10), plays[i].version);
        assert_string_equal(fields[4], plays[i].item);
        assert_int_equal(strtoll(fields[5], NULL, 10), plays[i].duration_ms);
    }
    assert_null(fgets(line, sizeof line, out));
    fclose(out);

    /* The frozen clock is 2026-11-24T01:00:00Z. */
    out = tmpfile();
    assert_int_equal(store_plays_export(f->st, out, f->now_ms - 1500, f->now_ms), 1);
    rewind(out);
    assert_non_null(fgets(line, sizeof line, out));
    assert_non_null(fgets(line, sizeof line, out));
    csv_split(line, fields, 8);
    assert_string_equal(fields[1], "2026-11-24T00:59:59.000Z");
    assert_string_equal(fields[4], "a,b \"quoted\"");
    fclose(out);

    assert_int_equal(store_plays_prune(f->st, 30), 1);
    assert_int_equal(store_plays_prune(f->st, 30), 0);
    out = tmpfile();
    assert_int_equal(store_plays_export(f->st, out, 0, INT64_MAX), 3);
    fclose(out);
    /* Upkeep with a one-day retention: the rest are all younger. */
    assert_int_equal(store_maintain(f->st, 1), 0);
    out = tmpfile();
    assert_int_equal(store_plays_export(f->st, out, 0, INT64_MAX), 3);
    fclose(out);
}

/* The UI thread's play never waits for another connection's write lock. */
static void test_play_never_waits(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = raw_open(f);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    int64_t t0 = clock_monotonic_ms();
    assert_int_equal(store_log_play(f->st, "hall", 1, "card", f->now_ms, 5000), 0);
    assert_int_equal(store_log_play(f->st, "hall", 1, "card2", f->now_ms, 5000), 0);
    int64_t waited = clock_monotonic_ms() - t0;
    if (waited > 500)
        fail_msg("store_log_play waited %lld ms for the lock", (long long)waited);
    assert_int_equal(store_plays_pending(f->st), 2);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM proof_of_play"), 0);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    /* The next play carries the queued ones along. */
    assert_int_equal(store_log_play(f->st, "hall", 1, "card3", f->now_ms, 5000), 0);
    assert_int_equal(store_plays_pending(f->st), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM proof_of_play"), 3);

    /* Queued plays are written at close. */
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_log_play(f->st, "hall", 1, "card4", f->now_ms, 5000), 0);
    assert_int_equal(store_plays_pending(f->st), 1);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    store_close(f->st);
    f->st = store_open(f->dir, f->clock);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM proof_of_play"), 4);
    sqlite3_close(db);
}

static void test_kv(void **state)
{
    struct fixture *f = *state;
    char *v = (char *)1;
    int64_t at = -1;
    assert_int_equal(store_kv_get(f->st, "etag:https://x/manifest.json", &v, &at),
                     STORE_ERR_NOT_FOUND);
    assert_null(v);
    static const struct {
        const char *key, *value;
    } cases[] = {
        {"etag:https://x/manifest.json", "\"5f2-abc\""},
        {"last_sync", "{\"result\":\"rejected\",\"reason\":\"expired\"}"},
        {"last_sync", "{\"result\":\"updated\"}"}, /* overwrite */
        {"日本語", "値"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(store_kv_set(f->st, cases[i].key, cases[i].value), 0);
        assert_int_equal(store_kv_get(f->st, cases[i].key, &v, &at), 0);
        assert_string_equal(v, cases[i].value);
        assert_int_equal(at, f->now_ms);
        free(v);
    }
    assert_int_equal(store_kv_set(f->st, "last_sync", NULL), 0);
    assert_int_equal(store_kv_get(f->st, "last_sync", &v, NULL), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_kv_set(f->st, "", "x"), STORE_ERR_INVALID);
    char *big = malloc(STORE_KV_VALUE_MAX + 2);
    memset(big, 'a', STORE_KV_VALUE_MAX + 1);
    big[STORE_KV_VALUE_MAX + 1] = '\0';
    assert_int_equal(store_kv_set(f->st, "big", big), STORE_ERR_INVALID);
    big[STORE_KV_VALUE_MAX] = '\0';
    assert_int_equal(store_kv_set(f->st, "big", big), 0);
    assert_int_equal(store_kv_get(f->st, "big", &v, NULL), 0);
    assert_int_equal(strlen(v), STORE_KV_VALUE_MAX);
    free(v);
    free(big);
}

struct rej_list {
    char reasons[STORE_REJECTIONS_KEPT + 5][32];
    int64_t counts[STORE_REJECTIONS_KEPT + 5];
    int n;
};

static int collect_rej(void *ud, const store_rejection *r)
{
    struct rej_list *l = ud;
    snprintf(l->reasons[l->n], sizeof l->reasons[0], "%s/%s", r->source, r->reason);
    l->counts[l->n++] = r->count;
    return 0;
}

static void test_rejection_ring(void **state)
{
    struct fixture *f = *state;
    const int total = STORE_REJECTIONS_KEPT + 50;
    for (int i = 0; i < total; i++) {
        char reason[32];
        snprintf(reason, sizeof reason, "reason %d", i);
        assert_int_equal(store_reject(f->st, "sync", reason), 0);
    }
    /* Repeats of the newest are counted, not added. */
    for (int i = 0; i < 4; i++)
        assert_int_equal(store_reject(f->st, "sync", "reason 149"), 0);
    assert_int_equal(store_reject(f->st, "alert", "reason 149"), 0); /* other source */

    static struct rej_list l;
    memset(&l, 0, sizeof l);
    assert_int_equal(store_rejections(f->st, 1000, collect_rej, &l), 0);
    assert_int_equal(l.n, STORE_REJECTIONS_KEPT);
    assert_string_equal(l.reasons[0], "alert/reason 149");
    assert_int_equal(l.counts[0], 1);
    assert_string_equal(l.reasons[1], "sync/reason 149");
    assert_int_equal(l.counts[1], 5);
    assert_string_equal(l.reasons[2], "sync/reason 148");
    assert_string_equal(l.reasons[STORE_REJECTIONS_KEPT - 1], "sync/reason 51");

    memset(&l, 0, sizeof l);
    assert_int_equal(store_rejections(f->st, 3, collect_rej, &l), 0);
    assert_int_equal(l.n, 3);
    sqlite3 *db = raw_open(f);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM rejections"), STORE_REJECTIONS_KEPT);
    sqlite3_close(db);
}

/* ---- two threads, two connections, one second ---- */

struct worker {
    const struct fixture *f;
    int id;
    int64_t ops, errors, plays;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    store *st = store_open(w->f->dir, w->f->clock);
    if (!st) {
        w->errors++;
        return NULL;
    }
    int64_t end = clock_monotonic_ms() + 1000;
    int64_t version = 1;
    char key[32], value[32], channel[16];
    snprintf(channel, sizeof channel, "ch%d", w->id);
    while (clock_monotonic_ms() < end) {
        snprintf(key, sizeof key, "k%d", w->id);
        snprintf(value, sizeof value, "%lld", (long long)w->ops);
        int r = store_kv_set(st, key, value);
        if (w->id == 0) {
            r |= store_reject(st, "t0", value);
            r |= activate(st, channel, version++); /* the network thread's FULL commits */
        } else {
            r |= store_log_play(st, "hall", 1, "card", w->ops, 1); /* the UI thread */
            w->plays++;
        }
        if (r)
            w->errors++;
        w->ops++;
    }
    if (store_flush_plays(st) != 0)
        w->errors++;
    store_close(st);
    return NULL;
}

static void test_concurrent_writers(void **state)
{
    struct fixture *f = *state;
    struct worker w[2] = {{f, 0, 0, 0, 0}, {f, 1, 0, 0, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 2; i++) {
        if (w[i].errors)
            fail_msg("thread %d: %lld errors in %lld operations", i, (long long)w[i].errors,
                     (long long)w[i].ops);
        assert_true(w[i].ops > 0); /* fsync speed varies too much to ask for more */
    }
    sqlite3 *db = raw_open(f);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM proof_of_play"), w[1].plays);
    assert_int_equal(raw_int(db, "SELECT highest_version FROM trust_state WHERE channel='ch0'"),
                     w[0].ops);
    assert_int_equal(raw_int(db, "SELECT CAST(value AS INTEGER) FROM kv WHERE key='k1'"),
                     w[1].ops - 1);
    sqlite3_close(db);
    print_message("  writers: %lld activations+kv+reject, %lld plays+kv in 1 s\n",
                  (long long)w[0].ops, (long long)w[1].ops);
}

static void test_invalid_arguments(void **state)
{
    struct fixture *f = *state;
    char longname[STORE_CHANNEL_MAX + 2];
    memset(longname, 'c', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(store_activate(f->st, longname, 1, "{}", 2, ""), STORE_ERR_INVALID);
    assert_int_equal(store_activate(f->st, NULL, 1, "{}", 2, ""), STORE_ERR_INVALID);
    assert_int_equal(store_activate(f->st, "c", 1, NULL, 2, ""), STORE_ERR_INVALID);
    assert_int_equal(store_activate(f->st, "c", 1, "{}", 0, ""), STORE_ERR_INVALID);
    assert_int_equal(store_activate(f->st, "c", 1, "{}", 2, NULL), STORE_ERR_INVALID);
    assert_int_equal(store_activate(NULL, "c", 1, "{}", 2, ""), STORE_ERR_INVALID);
    assert_int_equal(store_trust_raise(f->st, "c", 0), STORE_ERR_INVALID);
    assert_int_equal(store_reject(f->st, "", "x"), STORE_ERR_INVALID);
    assert_int_equal(store_plays_prune(f->st, 0), STORE_ERR_INVALID);
    assert_null(store_open(NULL, NULL));
    assert_null(store_open("", NULL));
    assert_null(store_open("/proc/hiroba-cannot-exist", NULL));
    store_close(NULL);
    assert_string_equal(store_strerror(STORE_ERR_ROLLBACK),
                        "version is lower than the active or highest trusted one");
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema_from_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_activation_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_activation_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_highest_never_decreases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifests_in_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_proof_of_play, setup, teardown),
        cmocka_unit_test_setup_teardown(test_play_never_waits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejection_ring, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_arguments, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
