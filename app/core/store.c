/* store: opening DATA/hiroba.db, its schema and migrations, and the
 * activation switch with the trust state behind it. The invariants that keep
 * a kiosk safe (highest trusted version never goes down, active never moves
 * backwards, never above what was trusted) are enforced twice: here, and by
 * triggers in the schema, so that no later code path or hand-typed SQL can
 * break them. Never edit a migration that has shipped; append a new one. */
#include "app/core/store_private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/core/log.h"

#define MOD STORE_MOD

/* migrations[i] brings the schema from version i to i + 1, in one
 * transaction. Forward only. */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema. */
    "CREATE TABLE manifests ("
    "  channel TEXT NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  manifest_json TEXT NOT NULL,"
    "  signature TEXT NOT NULL,"
    "  received_at_ms INTEGER NOT NULL,"
    "  PRIMARY KEY (channel, version));"

    /* The switch. previous_version is kept for instant fallback. */
    "CREATE TABLE active ("
    "  channel TEXT PRIMARY KEY,"
    "  version INTEGER NOT NULL,"
    "  previous_version INTEGER CHECK (previous_version IS NULL OR previous_version < version),"
    "  activated_at_ms INTEGER NOT NULL,"
    "  FOREIGN KEY (channel, version) REFERENCES manifests (channel, version),"
    "  FOREIGN KEY (channel, previous_version) REFERENCES manifests (channel, version));"

    "CREATE TABLE trust_state ("
    "  channel TEXT PRIMARY KEY,"
    "  highest_version INTEGER NOT NULL CHECK (highest_version >= 1));"

    /* Rollback protection must survive bugs and hand-typed SQL: no UPDATE
     * may lower the value or rename the row, no INSERT OR REPLACE may
     * sneak a lower value in (REPLACE deletes without firing delete
     * triggers, but the insert trigger fires first), no DELETE may reset. */
    "CREATE TRIGGER trust_state_no_decrease BEFORE UPDATE ON trust_state"
    "  WHEN NEW.highest_version < OLD.highest_version OR NEW.channel IS NOT OLD.channel"
    "  BEGIN SELECT RAISE(ABORT, 'trust_state.highest_version never decreases'); END;"
    "CREATE TRIGGER trust_state_no_lower_insert BEFORE INSERT ON trust_state"
    "  WHEN EXISTS (SELECT 1 FROM trust_state"
    "               WHERE channel = NEW.channel AND highest_version > NEW.highest_version)"
    "  BEGIN SELECT RAISE(ABORT, 'trust_state.highest_version never decreases'); END;"
    "CREATE TRIGGER trust_state_no_delete BEFORE DELETE ON trust_state"
    "  BEGIN SELECT RAISE(ABORT, 'trust_state rows are never deleted'); END;"

    "CREATE TRIGGER active_forward_only BEFORE UPDATE ON active"
    "  WHEN NEW.version <= OLD.version OR NEW.channel IS NOT OLD.channel"
    "  BEGIN SELECT RAISE(ABORT, 'active.version only moves forward'); END;"
    "CREATE TRIGGER active_trusted_insert BEFORE INSERT ON active"
    "  WHEN NEW.version > COALESCE((SELECT highest_version FROM trust_state"
    "                               WHERE channel = NEW.channel), 0)"
    "  BEGIN SELECT RAISE(ABORT, 'active.version above the trusted version'); END;"
    "CREATE TRIGGER active_trusted_update BEFORE UPDATE ON active"
    "  WHEN NEW.version > COALESCE((SELECT highest_version FROM trust_state"
    "                               WHERE channel = NEW.channel), 0)"
    "  BEGIN SELECT RAISE(ABORT, 'active.version above the trusted version'); END;"

    "CREATE TABLE proof_of_play ("
    "  id INTEGER PRIMARY KEY,"
    "  channel TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  item_id TEXT NOT NULL,"
    "  started_at_ms INTEGER NOT NULL,"
    "  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0));"
    "CREATE INDEX proof_of_play_started ON proof_of_play (started_at_ms);"

    "CREATE TABLE kv ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL,"
    "  updated_at_ms INTEGER NOT NULL);"

    /* A ring of the last STORE_REJECTIONS_KEPT (pruned by id in store_reject). */
    "CREATE TABLE rejections ("
    "  id INTEGER PRIMARY KEY,"
    "  first_at_ms INTEGER NOT NULL,"
    "  last_at_ms INTEGER NOT NULL,"
    "  count INTEGER NOT NULL DEFAULT 1,"
    "  source TEXT NOT NULL,"
    "  reason TEXT NOT NULL);",

    /* 1 -> 2 (issue 5, live feeds and usage counts). feed_cache keeps the
     * last good body of each feed with its validators, so a kiosk that
     * reboots offline shows the last board with its age. usage_hourly is
     * what the city learns: anonymous opens per hour, screen, page and
     * language, never anything about a person. */
    "CREATE TABLE feed_cache ("
    "  name TEXT PRIMARY KEY," /* "queue", "vacancy" */
    "  url TEXT NOT NULL,"
    "  body BLOB NOT NULL,"
    "  etag TEXT NOT NULL DEFAULT '',"
    "  last_modified TEXT NOT NULL DEFAULT '',"
    "  fetched_at_ms INTEGER NOT NULL,"  /* the body arrived (200) */
    "  checked_at_ms INTEGER NOT NULL);" /* the server last confirmed it (200/304) */
    "CREATE TABLE usage_hourly ("
    "  hour INTEGER NOT NULL," /* epoch seconds of the hour's start (UTC) */
    "  screen TEXT NOT NULL,"
    "  page TEXT NOT NULL DEFAULT '',"
    "  lang TEXT NOT NULL DEFAULT '',"
    "  count INTEGER NOT NULL CHECK (count >= 1),"
    "  PRIMARY KEY (hour, screen, page, lang));",

    /* 2 -> 3 (issue 6, alerts): every alert identifier seen (the last
     * STORE_ALERTS_KEPT, and every active one), what became of it, and the
     * verified document of each active one, so that the first frame after a
     * restart shows it and a replayed or older message never brings an ended
     * alert back. received_* measure expiry while the clock is not
     * synchronised (monotonic ms within the same boot). The triggers hold
     * the promises even against bugs and hand-typed SQL: an alert that left
     * the screen never becomes active again, an identifier is never reused
     * (INSERT OR REPLACE included), an active alert is never deleted. */
    "CREATE TABLE alerts ("
    "  id INTEGER PRIMARY KEY," /* receipt order: pruning keeps the newest */
    "  sender TEXT NOT NULL,"
    "  identifier TEXT NOT NULL,"
    "  thread_sender TEXT NOT NULL," /* the first alert of its chain */
    "  thread_identifier TEXT NOT NULL,"
    "  sent INTEGER NOT NULL,"  /* epoch s */
    "  status TEXT NOT NULL,"   /* Actual|Exercise|System|Test|Draft, '' */
    "  msg_type TEXT NOT NULL," /* Alert|Update|Cancel|Ack|Error, '' */
    "  expires INTEGER,"        /* epoch s; NULL: until cancelled */
    "  source TEXT NOT NULL CHECK (source IN ('native', 'cap', 'cap-tls', 'reference')),"
    "  state TEXT NOT NULL CHECK (state IN ('active', 'cancelled', 'replaced', 'expired',"
    "                                       'ignored', 'applied')),"
    "  received_at_ms INTEGER NOT NULL," /* wall clock */
    "  received_synced INTEGER NOT NULL CHECK (received_synced IN (0, 1)),"
    "  received_boot TEXT NOT NULL," /* /proc/sys/kernel/random/boot_id */
    "  received_mono_ms INTEGER NOT NULL,"
    "  ended_by TEXT," /* the Cancel or Update that ended it */
    "  ended_sent INTEGER,"
    "  document BLOB,"  /* the verified bytes, while active */
    "  signature TEXT," /* minisign; NULL: trusted TLS source */
    "  UNIQUE (sender, identifier),"
    "  CHECK (state <> 'active' OR document IS NOT NULL));"
    "CREATE INDEX alerts_state ON alerts (state);"
    "CREATE INDEX alerts_thread ON alerts (thread_sender, thread_identifier);"
    "CREATE TRIGGER alerts_never_back BEFORE UPDATE ON alerts"
    "  WHEN (NEW.state = 'active' AND OLD.state <> 'active')"
    "    OR NEW.sender IS NOT OLD.sender OR NEW.identifier IS NOT OLD.identifier"
    "  BEGIN SELECT RAISE(ABORT, 'an alert that left the screen never comes back'); END;"
    "CREATE TRIGGER alerts_id_once BEFORE INSERT ON alerts"
    "  WHEN EXISTS (SELECT 1 FROM alerts"
    "               WHERE sender = NEW.sender AND identifier = NEW.identifier)"
    "  BEGIN SELECT RAISE(ABORT, 'an alert identifier is never reused'); END;"
    "CREATE TRIGGER alerts_keep_active BEFORE DELETE ON alerts WHEN OLD.state = 'active'"
    "  BEGIN SELECT RAISE(ABORT, 'an active alert is never deleted'); END;",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
               "one migration per schema version");

const char *store_strerror(int err)
{
    switch (err) {
    case 0:
        return "ok";
    case STORE_ERR_DB:
        return "database error";
    case STORE_ERR_INVALID:
        return "invalid argument";
    case STORE_ERR_NOT_FOUND:
        return "not found";
    case STORE_ERR_ROLLBACK:
        return "version is lower than the active or highest trusted one";
    case STORE_ERR_SAME:
        return "version is already active";
    case STORE_ERR_NOMEM:
        return "out of memory";
    case STORE_ERR_SCHEMA:
        return "database was written by a newer hiroba";
    case STORE_ERR_IO:
        return "i/o error";
    default:
        return "unknown error";
    }
}

/* ---- helpers shared with store_log.c ---- */

int64_t store_now_ms(const store *st)
{
    clock_time t = clock_now(st->clock);
    return t.sec * 1000 + t.ms;
}

int store_db_fail(store *st, const char *what)
{
    LOG_ERROR(MOD, "%s: %s", what, st->db ? sqlite3_errmsg(st->db) : "no database");
    return STORE_ERR_DB;
}

int store_prepare(store *st, const char *sql, sqlite3_stmt **out)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return store_db_fail(st, "prepare");
    }
    return 0;
}

int store_exec(store *st, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        LOG_ERROR(MOD, "%.40s: %s", sql, err ? err : sqlite3_errmsg(st->db));
        sqlite3_free(err);
        return STORE_ERR_DB;
    }
    return 0;
}

int store_begin_write(store *st)
{
    return store_exec(st, "BEGIN IMMEDIATE");
}

int store_commit(store *st)
{
    if (store_exec(st, "COMMIT") != 0) {
        store_rollback(st);
        return STORE_ERR_DB;
    }
    return 0;
}

void store_rollback(store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        (void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

bool store_text_ok(const char *s, size_t max)
{
    if (!s || !*s)
        return false;
    return strnlen(s, max + 1) <= max;
}

char *store_column_dup(sqlite3_stmt *stmt, int col, size_t *len)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    size_t n = (size_t)sqlite3_column_bytes(stmt, col);
    char *copy = malloc(n + 1);
    if (!copy)
        return NULL;
    if (n)
        memcpy(copy, text, n);
    copy[n] = '\0';
    if (len)
        *len = n;
    return copy;
}

/* ---- open / migrate / close ---- */

/* SQLite fsyncs the folder when it creates the WAL, not when it creates the
 * database file itself: without this, a power cut soon after the first boot
 * could lose the whole file, trust state included. */
static int fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

static int pragma_int(store *st, const char *sql, int64_t *out)
{
    sqlite3_stmt *stmt;
    if (store_prepare(st, sql, &stmt) != 0)
        return STORE_ERR_DB;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW ? 0 : store_db_fail(st, sql);
}

static int migrate(store *st)
{
    for (;;) {
        int64_t have;
        if (store_begin_write(st) != 0)
            return STORE_ERR_DB;
        if (pragma_int(st, "PRAGMA user_version", &have) != 0)
            goto fail;
        if (have == STORE_SCHEMA_VERSION) {
            store_rollback(st);
            return 0;
        }
        if (have < 0 || have > STORE_SCHEMA_VERSION) {
            LOG_ERROR(MOD,
                      "database schema %lld is newer than this build's %d: refusing to touch it",
                      (long long)have, STORE_SCHEMA_VERSION);
            store_rollback(st);
            return STORE_ERR_SCHEMA;
        }
        char set_version[64];
        snprintf(set_version, sizeof set_version, "PRAGMA user_version = %lld",
                 (long long)have + 1);
        if (store_exec(st, migrations[have]) != 0 || store_exec(st, set_version) != 0)
            goto fail;
        if (store_commit(st) != 0)
            return STORE_ERR_DB;
        LOG_INFO(MOD, "database schema migrated to version %lld", (long long)have + 1);
    }
fail:
    store_rollback(st);
    return STORE_ERR_DB;
}

store *store_open(const char *data_dir, const clock_source *clock)
{
    store *st = NULL;
    char path[PATH_MAX];
    if (!data_dir || !*data_dir) {
        LOG_ERROR(MOD, "no data folder given");
        goto fail;
    }
    int n = snprintf(path, sizeof path, "%s/" STORE_FILE_NAME, data_dir);
    if (n < 0 || (size_t)n >= sizeof path) {
        LOG_ERROR(MOD, "data folder path too long");
        goto fail;
    }
    if (mkdir(data_dir, 0755) != 0 && errno != EEXIST) {
        LOG_ERROR(MOD, "cannot create %s: %s", data_dir, strerror(errno));
        goto fail;
    }
    st = calloc(1, sizeof *st);
    if (!st) {
        LOG_ERROR(MOD, "out of memory");
        goto fail;
    }
    st->clock = clock;
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        LOG_ERROR(MOD, "cannot open %s: %s", path,
                  st->db ? sqlite3_errmsg(st->db) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);

    /* FULL: in WAL mode a commit fsyncs the WAL, so an activation that
     * returned survives a power cut. (NORMAL would only lose the most recent
     * commits, never corrupt, but "returned" must mean "durable" here.) */
    sqlite3_stmt *stmt;
    if (store_prepare(st, "PRAGMA journal_mode=WAL", &stmt) != 0)
        goto fail;
    int rc = sqlite3_step(stmt);
    bool wal = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(stmt, 0), "wal") == 0;
    sqlite3_finalize(stmt);
    if (!wal) {
        store_db_fail(st, "cannot switch the database to WAL");
        goto fail;
    }
    if (store_exec(st, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                       "PRAGMA trusted_schema=OFF;") != 0)
        goto fail;
    if (migrate(st) != 0)
        goto fail;
    if (fsync_dir(data_dir) != 0) {
        LOG_ERROR(MOD, "cannot fsync %s: %s", data_dir, strerror(errno));
        goto fail;
    }
    return st;
fail:
    if (st) {
        sqlite3_close(st->db);
        free(st);
    }
    return NULL;
}

void store_close(store *st)
{
    if (!st)
        return;
    if ((st->n_pending || st->n_usage) && store_flush_plays(st) != 0)
        LOG_WARN(MOD, "%zu proof-of-play record(s) and %zu usage count(s) lost at close",
                 st->n_pending, st->n_usage);
    free(st->pending);
    free(st->usage);
    if (sqlite3_close(st->db) != SQLITE_OK)
        LOG_WARN(MOD, "close: %s", sqlite3_errmsg(st->db));
    free(st);
}

/* ---- manifests, activation, trust ---- */

void store_manifest_clear(store_manifest *m)
{
    if (!m)
        return;
    free(m->channel);
    free(m->manifest_json);
    free(m->signature);
    memset(m, 0, sizeof *m);
}

/* Column order: channel, version, manifest_json, signature, received_at_ms. */
static int manifest_from_row(sqlite3_stmt *stmt, store_manifest *out)
{
    out->channel = store_column_dup(stmt, 0, NULL);
    out->version = sqlite3_column_int64(stmt, 1);
    out->manifest_json = store_column_dup(stmt, 2, &out->manifest_len);
    out->signature = store_column_dup(stmt, 3, NULL);
    out->received_at_ms = sqlite3_column_int64(stmt, 4);
    if (!out->channel || !out->manifest_json || !out->signature) {
        store_manifest_clear(out);
        return STORE_ERR_NOMEM;
    }
    return 0;
}

/* One integer from a query with a single text parameter; *out = 0 and
 * STORE_ERR_NOT_FOUND when there is no row. */
static int query_int(store *st, const char *sql, const char *arg, int64_t *out)
{
    sqlite3_stmt *stmt;
    *out = 0;
    if (store_prepare(st, sql, &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, arg, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    int r = 0;
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    else if (rc == SQLITE_DONE)
        r = STORE_ERR_NOT_FOUND;
    else
        r = store_db_fail(st, "query");
    sqlite3_finalize(stmt);
    return r;
}

/* Inside a write transaction: insert the row if missing, raise it if lower.
 * Written as two statements so that the no-lower-insert trigger never sees
 * a lower value from us. */
static int trust_raise_locked(store *st, const char *channel, int64_t version)
{
    static const char *const sql[] = {
        "INSERT INTO trust_state (channel, highest_version) SELECT ?1, ?2"
        " WHERE NOT EXISTS (SELECT 1 FROM trust_state WHERE channel = ?1)",
        "UPDATE trust_state SET highest_version = ?2"
        " WHERE channel = ?1 AND highest_version < ?2",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *stmt;
        if (store_prepare(st, sql[i], &stmt) != 0)
            return STORE_ERR_DB;
        sqlite3_bind_text(stmt, 1, channel, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 2, version);
        int rc = sqlite3_step(stmt);
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE)
            return store_db_fail(st, "raise trusted version");
    }
    return 0;
}

/* Runs one bound statement to completion. */
static int step_done(store *st, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : store_db_fail(st, what);
}

int store_activate(store *st, const char *channel, int64_t version, const char *manifest_json,
                   size_t manifest_len, const char *signature)
{
    if (!st || !store_text_ok(channel, STORE_CHANNEL_MAX) || version < 1 || !manifest_json ||
        manifest_len == 0 || manifest_len > STORE_MANIFEST_MAX || !signature)
        return STORE_ERR_INVALID;
    if (store_begin_write(st) != 0)
        return STORE_ERR_DB;

    int64_t active = 0, highest = 0;
    int r = query_int(st, "SELECT version FROM active WHERE channel = ?1", channel, &active);
    if (r == 0 || r == STORE_ERR_NOT_FOUND)
        r = query_int(st, "SELECT highest_version FROM trust_state WHERE channel = ?1", channel,
                      &highest);
    if (r != 0 && r != STORE_ERR_NOT_FOUND)
        goto fail;
    if (version == active) {
        r = STORE_ERR_SAME;
        goto fail;
    }
    if (version < active || version < highest) {
        r = STORE_ERR_ROLLBACK;
        goto fail;
    }
    int64_t now = store_now_ms(st);
    sqlite3_stmt *stmt;

    r = store_prepare(st,
                      "INSERT INTO manifests (channel, version, manifest_json, signature,"
                      " received_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)"
                      " ON CONFLICT (channel, version) DO UPDATE SET"
                      " manifest_json = excluded.manifest_json, signature = excluded.signature,"
                      " received_at_ms = excluded.received_at_ms",
                      &stmt);
    if (r != 0)
        goto fail;
    sqlite3_bind_text(stmt, 1, channel, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, version);
    sqlite3_bind_text(stmt, 3, manifest_json, (int)manifest_len, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, signature, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 5, now);
    if ((r = step_done(st, stmt, "store manifest")) != 0)
        goto fail;

    if ((r = trust_raise_locked(st, channel, version)) != 0)
        goto fail;

    /* In an UPDATE every right-hand side sees the old row: previous = old. */
    r = store_prepare(st,
                      "INSERT INTO active (channel, version, previous_version, activated_at_ms)"
                      " VALUES (?1, ?2, NULL, ?3) ON CONFLICT (channel) DO UPDATE SET"
                      " previous_version = active.version, version = excluded.version,"
                      " activated_at_ms = excluded.activated_at_ms",
                      &stmt);
    if (r != 0)
        goto fail;
    sqlite3_bind_text(stmt, 1, channel, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, version);
    sqlite3_bind_int64(stmt, 3, now);
    if ((r = step_done(st, stmt, "switch active version")) != 0)
        goto fail;

    r = store_prepare(st, "DELETE FROM manifests WHERE channel = ?1 AND version NOT IN (?2, ?3)",
                      &stmt);
    if (r != 0)
        goto fail;
    sqlite3_bind_text(stmt, 1, channel, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, version);
    sqlite3_bind_int64(stmt, 3, active);
    if ((r = step_done(st, stmt, "drop old manifests")) != 0)
        goto fail;

    if (store_commit(st) != 0)
        return STORE_ERR_DB;
    LOG_INFO(MOD, "channel %s: version %lld active (previous %lld)", channel, (long long)version,
             (long long)active);
    return 0;
fail:
    store_rollback(st);
    return r;
}

static int get_manifest(store *st, const char *sql, const char *channel, store_manifest *out,
                        int64_t *extra)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!st || !out || !store_text_ok(channel, STORE_CHANNEL_MAX))
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    if (store_prepare(st, sql, &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, channel, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    int r;
    if (rc == SQLITE_ROW) {
        r = manifest_from_row(stmt, out);
        if (r == 0 && extra)
            *extra = sqlite3_column_int64(stmt, 5);
    } else if (rc == SQLITE_DONE) {
        r = STORE_ERR_NOT_FOUND;
    } else {
        r = store_db_fail(st, "read manifest");
    }
    sqlite3_finalize(stmt);
    return r;
}

int store_get_active(store *st, const char *channel, store_manifest *out, int64_t *activated_at_ms)
{
    return get_manifest(st,
                        "SELECT m.channel, m.version, m.manifest_json, m.signature,"
                        " m.received_at_ms, a.activated_at_ms FROM active a JOIN manifests m"
                        " ON m.channel = a.channel AND m.version = a.version WHERE a.channel = ?1",
                        channel, out, activated_at_ms);
}

int store_get_previous(store *st, const char *channel, store_manifest *out)
{
    return get_manifest(st,
                        "SELECT m.channel, m.version, m.manifest_json, m.signature,"
                        " m.received_at_ms, a.activated_at_ms FROM active a JOIN manifests m"
                        " ON m.channel = a.channel AND m.version = a.previous_version"
                        " WHERE a.channel = ?1",
                        channel, out, NULL);
}

int store_manifests_in_use(store *st, store_manifest_fn fn, void *userdata)
{
    if (!st || !fn)
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    if (store_prepare(st,
                      "SELECT m.channel, m.version, m.manifest_json, m.signature,"
                      " m.received_at_ms FROM manifests m JOIN active a ON a.channel = m.channel"
                      " AND (m.version = a.version OR m.version = a.previous_version)"
                      " ORDER BY m.channel, m.version",
                      &stmt) != 0)
        return STORE_ERR_DB;
    int r = 0, rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        /* Borrow the row's text directly: no copy of each manifest. */
        store_manifest m = {
            .channel = (char *)sqlite3_column_text(stmt, 0),
            .version = sqlite3_column_int64(stmt, 1),
            .manifest_json = (char *)sqlite3_column_text(stmt, 2),
            .manifest_len = (size_t)sqlite3_column_bytes(stmt, 2),
            .signature = (char *)sqlite3_column_text(stmt, 3),
            .received_at_ms = sqlite3_column_int64(stmt, 4),
        };
        if (!m.channel || !m.manifest_json || !m.signature) {
            r = STORE_ERR_NOMEM;
            break;
        }
        r = fn(userdata, &m);
        if (r != 0)
            break;
    }
    if (r == 0 && rc != SQLITE_DONE)
        r = store_db_fail(st, "list manifests in use");
    sqlite3_finalize(stmt);
    return r;
}

int store_highest_version(store *st, const char *channel, int64_t *out)
{
    if (out)
        *out = 0;
    if (!st || !out || !store_text_ok(channel, STORE_CHANNEL_MAX))
        return STORE_ERR_INVALID;
    return query_int(st, "SELECT highest_version FROM trust_state WHERE channel = ?1", channel,
                     out);
}

int store_trust_raise(store *st, const char *channel, int64_t version)
{
    if (!st || !store_text_ok(channel, STORE_CHANNEL_MAX) || version < 1)
        return STORE_ERR_INVALID;
    if (store_begin_write(st) != 0)
        return STORE_ERR_DB;
    int r = trust_raise_locked(st, channel, version);
    if (r != 0) {
        store_rollback(st);
        return r;
    }
    return store_commit(st);
}
