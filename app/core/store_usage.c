/* store_usage: what the city learns. Anonymous counts of openings per hour,
 * screen, page and language (table usage_hourly), queued in the handle like
 * proof of play so that the UI thread never waits for a lock, and exported
 * as CSV in local time. Must never record anything finer than the hour or
 * anything about who touched the screen. */
#include "app/core/store_private.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/core/log.h"

#define MOD STORE_MOD

/* NULL and "" are "none"; otherwise at most STORE_USAGE_NAME_MAX bytes of
 * visible text (ids, not prose: a control character is a caller's bug). */
static bool name_ok(const char *s, bool may_be_empty)
{
    if (!s || !*s)
        return may_be_empty;
    size_t n = strnlen(s, STORE_USAGE_NAME_MAX + 1);
    if (n > STORE_USAGE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return false;
    return true;
}

int store_usage_count(store *st, int64_t at_sec, const char *screen, const char *page,
                      const char *lang)
{
    if (!st || at_sec < 0 || !name_ok(screen, false) || !name_ok(page, true) ||
        !name_ok(lang, true))
        return STORE_ERR_INVALID;
    if (!clock_is_synchronised(st->clock))
        return 0;
    if (!page)
        page = "";
    if (!lang)
        lang = "";
    int64_t hour = at_sec - at_sec % 3600;
    if (!st->usage) {
        st->usage = calloc(STORE_USAGE_PENDING_MAX, sizeof *st->usage);
        if (!st->usage)
            return STORE_ERR_NOMEM;
    }
    /* A resident tapping back and forth adds to one queued row. */
    for (size_t i = 0; i < st->n_usage; i++) {
        struct store_pending_usage *u = &st->usage[i];
        if (u->hour == hour && strcmp(u->screen, screen) == 0 && strcmp(u->page, page) == 0 &&
            strcmp(u->lang, lang) == 0) {
            u->count++;
            return store_flush_queued(st, false);
        }
    }
    if (st->n_usage == STORE_USAGE_PENDING_MAX && store_flush_queued(st, true) != 0) {
        /* The database is failing, not just busy: do not grow without bound. */
        LOG_WARN(MOD, "dropping %zu usage count(s)", st->n_usage);
        st->n_usage = 0;
    }
    struct store_pending_usage *u = &st->usage[st->n_usage++];
    u->hour = hour;
    u->count = 1;
    snprintf(u->screen, sizeof u->screen, "%s", screen);
    snprintf(u->page, sizeof u->page, "%s", page);
    snprintf(u->lang, sizeof u->lang, "%s", lang);
    return store_flush_queued(st, false);
}

int store_usage_write_pending(store *st)
{
    if (st->n_usage == 0)
        return 0;
    sqlite3_stmt *stmt;
    if (store_prepare(st,
                      "INSERT INTO usage_hourly (hour, screen, page, lang, count)"
                      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (hour, screen, page, lang)"
                      " DO UPDATE SET count = count + excluded.count",
                      &stmt) != 0)
        return STORE_ERR_DB;
    int r = 0;
    for (size_t i = 0; i < st->n_usage; i++) {
        const struct store_pending_usage *u = &st->usage[i];
        sqlite3_bind_int64(stmt, 1, u->hour);
        sqlite3_bind_text(stmt, 2, u->screen, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, u->page, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, u->lang, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 5, u->count);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            r = store_db_fail(st, "insert usage count");
            break;
        }
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return r;
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

/* "2026-11-24T10:00:00+09:00": the hour as the city's staff read it. */
static int format_local(int64_t sec, const char *tz, char *buf, size_t cap)
{
    struct tm tm;
    if (clock_to_local(sec, tz, &tm) != 0)
        return -1;
    long off = tm.tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    int n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 3600,
                     off % 3600 / 60);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

int64_t store_usage_export(store *st, FILE *out, const char *tz)
{
    if (!st || !out)
        return STORE_ERR_INVALID;
    if (!tz)
        tz = CLOCK_DEFAULT_TZ;
    /* An unknown zone would quietly become UTC: hours an analyst would
     * misread. */
    if (!clock_zone_known(tz)) {
        LOG_ERROR(MOD, "usage export: unknown time zone \"%.100s\"", tz);
        return STORE_ERR_INVALID;
    }
    sqlite3_stmt *stmt;
    if (store_prepare(st,
                      "SELECT hour, screen, page, lang, count FROM usage_hourly"
                      " ORDER BY hour, screen, page, lang",
                      &stmt) != 0)
        return STORE_ERR_DB;
    fputs("hour_start,screen,page,lang,count\r\n", out);
    int64_t rows = 0, r = 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        char when[96];
        if (format_local(sqlite3_column_int64(stmt, 0), tz, when, sizeof when) != 0) {
            LOG_ERROR(MOD, "usage export: cannot convert an hour to local time");
            r = STORE_ERR_INVALID;
            break;
        }
        const char *screen = (const char *)sqlite3_column_text(stmt, 1);
        const char *page = (const char *)sqlite3_column_text(stmt, 2);
        const char *lang = (const char *)sqlite3_column_text(stmt, 3);
        fputs(when, out);
        fputc(',', out);
        csv_field(out, screen ? screen : "");
        fputc(',', out);
        csv_field(out, page ? page : "");
        fputc(',', out);
        csv_field(out, lang ? lang : "");
        fprintf(out, ",%" PRId64 "\r\n", (int64_t)sqlite3_column_int64(stmt, 4));
        rows++;
    }
    if (r == 0 && rc != SQLITE_DONE)
        r = store_db_fail(st, "export usage counts");
    sqlite3_finalize(stmt);
    if (r == 0 && (fflush(out) != 0 || ferror(out))) {
        LOG_ERROR(MOD, "writing the usage export failed");
        r = STORE_ERR_IO;
    }
    return r < 0 ? r : rows;
}
