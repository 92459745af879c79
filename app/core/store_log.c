/* store_log: the store's append-mostly tables: proof of play (queued in the
 * handle so the UI thread never waits for a lock or an fsync), small
 * key/value state, the ring of recent rejections, and upkeep (checkpoint,
 * pruning). Never touches manifests, active or trust_state. */
#include "app/core/store_private.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/core/log.h"

#define MOD STORE_MOD

/* SQLite's default, restored after each play commit. */
#define WAL_AUTOCHECKPOINT_PAGES 1000

/* ---- proof of play ---- */

/* Writes the queue (plays, and the usage counts of store_usage.c) in one
 * transaction. With wait false it gives up at once, leaving the queues as
 * they are, if another connection holds the write lock. */
static int insert_pending(store *st, bool wait)
{
    if (!wait)
        sqlite3_busy_timeout(st->db, 0);
    int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (!wait)
        sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
    if (rc != SQLITE_OK) {
        if (!wait && (rc & 0xff) == SQLITE_BUSY)
            return 0; /* still queued; the next call tries again */
        return store_db_fail(st, "begin proof-of-play transaction");
    }
    sqlite3_stmt *stmt = NULL;
    if (store_prepare(st,
                      "INSERT INTO proof_of_play (channel, version, item_id, started_at_ms,"
                      " duration_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                      &stmt) != 0)
        goto fail;
    for (size_t i = 0; i < st->n_pending; i++) {
        const struct store_pending_play *p = &st->pending[i];
        sqlite3_bind_text(stmt, 1, p->channel, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 2, p->version);
        sqlite3_bind_text(stmt, 3, p->item_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 4, p->started_at_ms);
        sqlite3_bind_int64(stmt, 5, p->duration_ms);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            store_db_fail(st, "insert proof of play");
            goto fail;
        }
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    stmt = NULL;
    if (store_usage_write_pending(st) != 0)
        goto fail;
    if (store_exec(st, "COMMIT") != 0)
        goto fail;
    st->n_pending = 0;
    st->n_usage = 0;
    return 0;
fail:
    sqlite3_finalize(stmt);
    store_rollback(st);
    return STORE_ERR_DB;
}

/* The play commits skip the fsync (synchronous=NORMAL) and the
 * auto-checkpoint: the UI thread must pay for neither. The network thread's
 * FULL commits and store_maintain make the plays durable soon after. */
static int flush_plays(store *st, bool wait)
{
    if (st->n_pending == 0 && st->n_usage == 0)
        return 0;
    /* Set outside the transaction: a change made inside one does not apply
     * to its commit. */
    if (store_exec(st, "PRAGMA synchronous=NORMAL") != 0)
        return STORE_ERR_DB;
    sqlite3_wal_autocheckpoint(st->db, 0);
    int r = insert_pending(st, wait);
    sqlite3_wal_autocheckpoint(st->db, WAL_AUTOCHECKPOINT_PAGES);
    /* Every other write of this handle relies on FULL. */
    if (store_exec(st, "PRAGMA synchronous=FULL") != 0) {
        LOG_ERROR(MOD, "could not restore synchronous=FULL");
        r = STORE_ERR_DB;
    }
    return r;
}

int store_log_play(store *st, const char *channel, int64_t version, const char *item_id,
                   int64_t started_at_ms, int64_t duration_ms)
{
    if (!st || !store_text_ok(channel, STORE_CHANNEL_MAX) ||
        !store_text_ok(item_id, STORE_ITEM_ID_MAX) || version < 1 || duration_ms < 0)
        return STORE_ERR_INVALID;
    if (!st->pending) {
        st->pending = calloc(STORE_PLAYS_PENDING_MAX, sizeof *st->pending);
        if (!st->pending)
            return STORE_ERR_NOMEM;
    }
    if (st->n_pending == STORE_PLAYS_PENDING_MAX && flush_plays(st, true) != 0) {
        /* The database is failing, not just busy: do not grow without bound. */
        LOG_WARN(MOD, "dropping %zu proof-of-play record(s)", st->n_pending);
        st->n_pending = 0;
    }
    struct store_pending_play *p = &st->pending[st->n_pending++];
    p->version = version;
    p->started_at_ms = started_at_ms;
    p->duration_ms = duration_ms;
    snprintf(p->channel, sizeof p->channel, "%s", channel);
    snprintf(p->item_id, sizeof p->item_id, "%s", item_id);
    return flush_plays(st, false);
}

int store_flush_queued(store *st, bool wait)
{
    return flush_plays(st, wait);
}

int store_flush_plays(store *st)
{
    return st ? flush_plays(st, true) : STORE_ERR_INVALID;
}

size_t store_plays_pending(const store *st)
{
    return st ? st->n_pending : 0;
}

/* RFC 4180: quote when needed, double the quotes. */
static void csv_field(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void format_utc(int64_t ms, char *buf, size_t cap)
{
    int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int msec = (int)(ms - sec * 1000);
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, cap, "?");
        return;
    }
    snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, msec);
}

int64_t store_plays_export(store *st, FILE *out, int64_t from_ms, int64_t to_ms)
{
    if (!st || !out)
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    if (store_prepare(st,
                      "SELECT started_at_ms, channel, version, item_id, duration_ms"
                      " FROM proof_of_play WHERE started_at_ms >= ?1 AND started_at_ms < ?2"
                      " ORDER BY started_at_ms, id",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_int64(stmt, 1, from_ms);
    sqlite3_bind_int64(stmt, 2, to_ms);
    fputs("started_at_ms,started_at_utc,channel,version,item_id,duration_ms\r\n", out);
    int64_t rows = 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int64_t started = sqlite3_column_int64(stmt, 0);
        char utc[96]; /* gcc sizes it for any int; real ones take 24 */
        format_utc(started, utc, sizeof utc);
        fprintf(out, "%" PRId64 ",%s,", started, utc);
        csv_field(out, (const char *)sqlite3_column_text(stmt, 1));
        fprintf(out, ",%" PRId64 ",", (int64_t)sqlite3_column_int64(stmt, 2));
        csv_field(out, (const char *)sqlite3_column_text(stmt, 3));
        fprintf(out, ",%" PRId64 "\r\n", (int64_t)sqlite3_column_int64(stmt, 4));
        rows++;
    }
    int64_t r = rows;
    if (rc != SQLITE_DONE)
        r = store_db_fail(st, "export proof of play");
    sqlite3_finalize(stmt);
    if (r >= 0 && (fflush(out) != 0 || ferror(out))) {
        LOG_ERROR(MOD, "writing the proof-of-play export failed");
        r = STORE_ERR_IO;
    }
    return r;
}

int64_t store_plays_prune(store *st, int keep_days)
{
    if (!st || keep_days < 1)
        return STORE_ERR_INVALID;
    if (!clock_is_synchronised(st->clock)) {
        LOG_DEBUG(MOD, "clock not synchronised: proof of play not pruned");
        return 0;
    }
    sqlite3_stmt *stmt;
    if (store_prepare(st, "DELETE FROM proof_of_play WHERE started_at_ms < ?1", &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_int64(stmt, 1, store_now_ms(st) - (int64_t)keep_days * 86400 * 1000);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return store_db_fail(st, "prune proof of play");
    return (int64_t)sqlite3_changes64(st->db);
}

/* ---- key / value ---- */

int store_kv_set(store *st, const char *key, const char *value)
{
    if (!st || !store_text_ok(key, STORE_KV_KEY_MAX) ||
        (value && strnlen(value, STORE_KV_VALUE_MAX + 1) > STORE_KV_VALUE_MAX))
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    const char *sql = value ? "INSERT INTO kv (key, value, updated_at_ms) VALUES (?1, ?2, ?3)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                              " updated_at_ms = excluded.updated_at_ms"
                            : "DELETE FROM kv WHERE key = ?1";
    if (store_prepare(st, sql, &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
    if (value) {
        sqlite3_bind_text(stmt, 2, value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 3, store_now_ms(st));
    }
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : store_db_fail(st, "set kv");
}

int store_kv_get(store *st, const char *key, char **out, int64_t *updated_at_ms)
{
    if (out)
        *out = NULL;
    if (updated_at_ms)
        *updated_at_ms = 0;
    if (!st || !out || !store_text_ok(key, STORE_KV_KEY_MAX))
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    if (store_prepare(st, "SELECT value, updated_at_ms FROM kv WHERE key = ?1", &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    int r = 0;
    if (rc == SQLITE_ROW) {
        *out = store_column_dup(stmt, 0, NULL);
        if (!*out)
            r = STORE_ERR_NOMEM;
        else if (updated_at_ms)
            *updated_at_ms = sqlite3_column_int64(stmt, 1);
    } else if (rc == SQLITE_DONE) {
        r = STORE_ERR_NOT_FOUND;
    } else {
        r = store_db_fail(st, "get kv");
    }
    sqlite3_finalize(stmt);
    return r;
}

/* ---- rejections ---- */

static int reject_locked(store *st, const char *source, const char *reason, int64_t now)
{
    sqlite3_stmt *stmt;
    /* A repeat of the newest entry only bumps it. */
    if (store_prepare(st,
                      "UPDATE rejections SET count = count + 1, last_at_ms = ?3"
                      " WHERE id = (SELECT MAX(id) FROM rejections)"
                      " AND source = ?1 AND reason = ?2",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, now);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return store_db_fail(st, "update rejection");
    if (sqlite3_changes(st->db) > 0)
        return 0;

    if (store_prepare(st,
                      "INSERT INTO rejections (first_at_ms, last_at_ms, count, source, reason)"
                      " VALUES (?3, ?3, 1, ?1, ?2)",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, now);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return store_db_fail(st, "insert rejection");

    /* Ids only grow (the newest row is never deleted), so the ring is a range. */
    if (store_prepare(st,
                      "DELETE FROM rejections WHERE id <= (SELECT MAX(id) FROM rejections) - ?1",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_int(stmt, 1, STORE_REJECTIONS_KEPT);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : store_db_fail(st, "trim rejections");
}

int store_reject(store *st, const char *source, const char *reason)
{
    if (!st || !store_text_ok(source, STORE_TEXT_MAX) || !store_text_ok(reason, STORE_TEXT_MAX))
        return STORE_ERR_INVALID;
    if (store_begin_write(st) != 0)
        return STORE_ERR_DB;
    int r = reject_locked(st, source, reason, store_now_ms(st));
    if (r != 0) {
        store_rollback(st);
        return r;
    }
    return store_commit(st);
}

int store_rejections(store *st, size_t max, store_rejection_fn fn, void *userdata)
{
    if (!st || !fn)
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    if (store_prepare(st,
                      "SELECT first_at_ms, last_at_ms, count, source, reason FROM rejections"
                      " ORDER BY id DESC LIMIT ?1",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_int64(stmt, 1, max > INT64_MAX ? INT64_MAX : (int64_t)max);
    int r = 0, rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        store_rejection rej = {
            .first_at_ms = sqlite3_column_int64(stmt, 0),
            .last_at_ms = sqlite3_column_int64(stmt, 1),
            .count = sqlite3_column_int64(stmt, 2),
            .source = (const char *)sqlite3_column_text(stmt, 3),
            .reason = (const char *)sqlite3_column_text(stmt, 4),
        };
        if (!rej.source || !rej.reason) {
            r = STORE_ERR_NOMEM;
            break;
        }
        if ((r = fn(userdata, &rej)) != 0)
            break;
    }
    if (r == 0 && rc != SQLITE_DONE)
        r = store_db_fail(st, "list rejections");
    sqlite3_finalize(stmt);
    return r;
}

/* ---- upkeep ---- */

int store_maintain(store *st, int keep_days)
{
    if (!st)
        return STORE_ERR_INVALID;
    int r = store_flush_plays(st);
    if (keep_days > 0) {
        int64_t pruned = store_plays_prune(st, keep_days);
        if (pruned < 0)
            r = (int)pruned;
        else if (pruned > 0)
            LOG_INFO(MOD, "pruned %" PRId64 " proof-of-play record(s) older than %d days", pruned,
                     keep_days);
    }
    int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
        r = store_db_fail(st, "checkpoint");
    return r;
}
