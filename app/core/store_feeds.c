/* store_feeds: the live feeds' cache (feed_cache): the last good body of
 * each feed with the URL it came from and its validators, so that a kiosk
 * that restarts offline shows the last board with its age, and its first
 * poll can be a conditional one. Stores what it is given: it never parses a
 * body (the feeder does, before store_feed_put) and never hands out a row
 * for another URL than the one asked for.
 * The feeder writes every few seconds, so these writes skip the fsync
 * (synchronous=NORMAL for their transactions only, like proof of play): a
 * power cut may lose the last few seconds of a cache, never a manifest or
 * the trust state. */
#include "app/core/store_private.h"

#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"

#define MOD STORE_MOD

#define ETAG_MAX    (sizeof((store_feed *)0)->etag - 1)
#define LASTMOD_MAX (sizeof((store_feed *)0)->last_modified - 1)
#define URL_MAX     (sizeof((store_feed *)0)->url - 1)

/* NULL and "" both mean "no validator"; anything longer than the row's
 * field could hold is refused rather than cut (a cut ETag never matches). */
static bool optional_ok(const char *s, size_t max)
{
    return !s || strnlen(s, max + 1) <= max;
}

/* Runs one prepared write with synchronous=NORMAL, then restores FULL,
 * which every other write of this handle relies on. Finalizes stmt;
 * *changes (may be NULL) receives the rows it changed. */
static int write_unsynced(store *st, sqlite3_stmt *stmt, const char *what, int *changes)
{
    /* Set outside any transaction: a change made inside one does not apply
     * to its commit. */
    int r = store_exec(st, "PRAGMA synchronous=NORMAL");
    if (r == 0) {
        int rc = sqlite3_step(stmt);
        if (rc != SQLITE_DONE)
            r = store_db_fail(st, what);
        else if (changes)
            *changes = sqlite3_changes(st->db);
    }
    sqlite3_finalize(stmt);
    if (store_exec(st, "PRAGMA synchronous=FULL") != 0) {
        LOG_ERROR(MOD, "could not restore synchronous=FULL");
        r = STORE_ERR_DB;
    }
    return r;
}

int store_feed_put(store *st, const char *name, const char *url, const char *body, size_t len,
                   const char *etag, const char *last_modified, int64_t fetched_at_ms)
{
    if (!st || !store_text_ok(name, STORE_FEED_NAME_MAX) || !store_text_ok(url, URL_MAX) || !body ||
        len > STORE_FEED_BODY_MAX || !optional_ok(etag, ETAG_MAX) ||
        !optional_ok(last_modified, LASTMOD_MAX))
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    if (store_prepare(st,
                      "INSERT INTO feed_cache (name, url, body, etag, last_modified,"
                      " fetched_at_ms, checked_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
                      " ON CONFLICT (name) DO UPDATE SET url = excluded.url,"
                      " body = excluded.body, etag = excluded.etag,"
                      " last_modified = excluded.last_modified,"
                      " fetched_at_ms = excluded.fetched_at_ms,"
                      " checked_at_ms = excluded.checked_at_ms",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, url, -1, SQLITE_STATIC);
    /* A blob: the body is stored byte for byte, NULs and all, whatever the
     * feed's encoding claims. */
    sqlite3_bind_blob(stmt, 3, len ? body : "", (int)len, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, etag ? etag : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, last_modified ? last_modified : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, fetched_at_ms);
    return write_unsynced(st, stmt, "store feed", NULL);
}

int store_feed_touch(store *st, const char *name, const char *url, int64_t checked_at_ms)
{
    if (!st || !store_text_ok(name, STORE_FEED_NAME_MAX) || !store_text_ok(url, URL_MAX))
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    if (store_prepare(st, "UPDATE feed_cache SET checked_at_ms = ?3 WHERE name = ?1 AND url = ?2",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, url, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, checked_at_ms);
    int changed = 0;
    int r = write_unsynced(st, stmt, "touch feed", &changed);
    if (r == 0 && changed == 0)
        r = STORE_ERR_NOT_FOUND;
    return r;
}

/* Copies a text column into a fixed field; false when it does not fit (a
 * row written by hand or by a build with other limits). */
static bool column_into(sqlite3_stmt *stmt, int col, char *buf, size_t cap)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    size_t n = (size_t)sqlite3_column_bytes(stmt, col);
    if (n >= cap)
        return false;
    if (n)
        memcpy(buf, text, n);
    buf[n] = '\0';
    return true;
}

int store_feed_get(store *st, const char *name, const char *url, store_feed *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!st || !out || !store_text_ok(name, STORE_FEED_NAME_MAX) ||
        (url && !store_text_ok(url, URL_MAX)))
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    /* The URL is compared here, in SQL, on the whole value: never on a copy
     * that might have been cut. */
    if (store_prepare(st,
                      "SELECT url, body, etag, last_modified, fetched_at_ms, checked_at_ms"
                      " FROM feed_cache WHERE name = ?1 AND (?2 IS NULL OR url = ?2)",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    if (url)
        sqlite3_bind_text(stmt, 2, url, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, 2);
    int rc = sqlite3_step(stmt);
    int r = 0;
    if (rc == SQLITE_ROW) {
        const void *body = sqlite3_column_blob(stmt, 1);
        int n = sqlite3_column_bytes(stmt, 1);
        if (n < 0 || (size_t)n > STORE_FEED_BODY_MAX ||
            !column_into(stmt, 0, out->url, sizeof out->url) ||
            !column_into(stmt, 2, out->etag, sizeof out->etag) ||
            !column_into(stmt, 3, out->last_modified, sizeof out->last_modified)) {
            LOG_WARN(MOD, "feed cache row %s does not fit this build's limits: ignored", name);
            r = STORE_ERR_NOT_FOUND;
        } else if (!(out->body = malloc((size_t)n + 1))) {
            r = STORE_ERR_NOMEM;
        } else {
            if (n)
                memcpy(out->body, body, (size_t)n);
            out->body[n] = '\0';
            out->len = (size_t)n;
            out->fetched_at_ms = sqlite3_column_int64(stmt, 4);
            out->checked_at_ms = sqlite3_column_int64(stmt, 5);
        }
    } else if (rc == SQLITE_DONE) {
        r = STORE_ERR_NOT_FOUND;
    } else {
        r = store_db_fail(st, "get feed");
    }
    sqlite3_finalize(stmt);
    if (r != 0)
        store_feed_clear(out);
    return r;
}

void store_feed_clear(store_feed *f)
{
    if (!f)
        return;
    free(f->body);
    memset(f, 0, sizeof *f);
}
