/* store_private: what store.c (schema, manifests, trust) and store_log.c
 * (plays, kv, rejections, upkeep) share. Not for other modules. */
#ifndef HIROBA_APP_CORE_STORE_PRIVATE_H
#define HIROBA_APP_CORE_STORE_PRIVATE_H

#include <sqlite3.h>

#include "app/core/store.h"

#define STORE_MOD "store"

struct store_pending_play {
    int64_t version;
    int64_t started_at_ms;
    int64_t duration_ms;
    char channel[STORE_CHANNEL_MAX + 1];
    char item_id[STORE_ITEM_ID_MAX + 1];
};

/* One queued usage count: openings of (hour, screen, page, lang) not yet
 * written (store_usage.c). */
struct store_pending_usage {
    int64_t hour; /* epoch seconds of the hour's start */
    int64_t count;
    char screen[STORE_USAGE_NAME_MAX + 1];
    char page[STORE_USAGE_NAME_MAX + 1];
    char lang[STORE_USAGE_NAME_MAX + 1];
};

struct store {
    sqlite3 *db;
    const clock_source *clock;
    struct store_pending_play *pending; /* STORE_PLAYS_PENDING_MAX, allocated on first play */
    size_t n_pending;
    struct store_pending_usage *usage; /* STORE_USAGE_PENDING_MAX, allocated on first count */
    size_t n_usage;
};

int64_t store_now_ms(const store *st);
/* Writes the queued plays and usage counts in one transaction (store_log.c).
 * With wait false it gives up at once, keeping both queues, when another
 * connection holds the write lock. */
int store_flush_queued(store *st, bool wait);
/* Inserts the queued usage counts inside the caller's write transaction
 * (store_usage.c); the caller empties the queue after its commit. */
int store_usage_write_pending(store *st);
/* Logs "what: <sqlite message>" and returns STORE_ERR_DB. */
int store_db_fail(store *st, const char *what);
int store_prepare(store *st, const char *sql, sqlite3_stmt **out);
int store_exec(store *st, const char *sql);
/* BEGIN IMMEDIATE: takes the write lock up front, so the busy timeout
 * applies and no transaction ever has to upgrade (which SQLite answers with
 * an immediate SQLITE_BUSY). */
int store_begin_write(store *st);
int store_commit(store *st);
void store_rollback(store *st);
/* True when s is non-NULL, non-empty and at most max bytes. */
bool store_text_ok(const char *s, size_t max);
/* malloc'ed NUL-terminated copy of a text column ("" for NULL). */
char *store_column_dup(sqlite3_stmt *stmt, int col, size_t *len);

#endif
