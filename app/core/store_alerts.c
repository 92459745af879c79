/* store_alerts: the alerts table (schema 3): what core/alerts decided, stored
 * in one transaction per message. Knows nothing of CAP or signatures and
 * decides nothing: it stores outcomes, refuses a reused identifier, and
 * forgets only inactive rows beyond the kept number, remembering the newest
 * sent time it forgot (the horizon) so that a forgotten alert cannot be
 * replayed either. */
#include "app/core/store_private.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"

#define MOD        STORE_MOD
#define KV_HORIZON "alerts.horizon_sent"
#define ALERT_COLUMNS                                                                              \
    "id, sender, identifier, thread_sender, thread_identifier, sent, status, msg_type,"            \
    " expires, source, state, received_at_ms, received_synced, received_boot,"                     \
    " received_mono_ms, ended_by, ended_sent, document, signature"

void store_alert_clear(store_alert *a)
{
    if (!a)
        return;
    free(a->document);
    free(a->signature);
    memset(a, 0, sizeof *a);
}

static void column_copy(sqlite3_stmt *stmt, int col, char *buf, size_t size)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    snprintf(buf, size, "%s", t ? (const char *)t : "");
}

/* Column order: ALERT_COLUMNS. */
static int alert_from_row(sqlite3_stmt *stmt, store_alert *out)
{
    memset(out, 0, sizeof *out);
    out->row = sqlite3_column_int64(stmt, 0);
    column_copy(stmt, 1, out->sender, sizeof out->sender);
    column_copy(stmt, 2, out->identifier, sizeof out->identifier);
    column_copy(stmt, 3, out->thread_sender, sizeof out->thread_sender);
    column_copy(stmt, 4, out->thread_identifier, sizeof out->thread_identifier);
    out->sent = sqlite3_column_int64(stmt, 5);
    column_copy(stmt, 6, out->status, sizeof out->status);
    column_copy(stmt, 7, out->msg_type, sizeof out->msg_type);
    out->has_expires = sqlite3_column_type(stmt, 8) != SQLITE_NULL;
    out->expires = sqlite3_column_int64(stmt, 8);
    column_copy(stmt, 9, out->source, sizeof out->source);
    column_copy(stmt, 10, out->state, sizeof out->state);
    out->received_at_ms = sqlite3_column_int64(stmt, 11);
    out->received_synced = sqlite3_column_int64(stmt, 12) != 0;
    column_copy(stmt, 13, out->received_boot, sizeof out->received_boot);
    out->received_mono_ms = sqlite3_column_int64(stmt, 14);
    out->ended = sqlite3_column_type(stmt, 15) != SQLITE_NULL;
    column_copy(stmt, 15, out->ended_by, sizeof out->ended_by);
    out->ended_sent = sqlite3_column_int64(stmt, 16);
    if (sqlite3_column_type(stmt, 17) != SQLITE_NULL) {
        const void *blob = sqlite3_column_blob(stmt, 17);
        size_t n = (size_t)sqlite3_column_bytes(stmt, 17);
        out->document = malloc(n + 1);
        if (!out->document)
            return STORE_ERR_NOMEM;
        if (n)
            memcpy(out->document, blob, n);
        out->document[n] = '\0';
        out->document_len = n;
    }
    if (sqlite3_column_type(stmt, 18) != SQLITE_NULL &&
        !(out->signature = store_column_dup(stmt, 18, NULL))) {
        store_alert_clear(out);
        return STORE_ERR_NOMEM;
    }
    return 0;
}

static bool id_ok(const char *s)
{
    return store_text_ok(s, STORE_ALERT_ID_MAX);
}

int store_alert_get(store *st, const char *sender, const char *identifier, store_alert *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!st || !out || !id_ok(sender) || !id_ok(identifier))
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    if (store_prepare(st,
                      "SELECT " ALERT_COLUMNS " FROM alerts WHERE sender = ?1 AND identifier = ?2",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, sender, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, identifier, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt), r;
    if (rc == SQLITE_ROW)
        r = alert_from_row(stmt, out);
    else if (rc == SQLITE_DONE)
        r = STORE_ERR_NOT_FOUND;
    else
        r = store_db_fail(st, "get alert");
    sqlite3_finalize(stmt);
    return r;
}

int store_alerts_active(store *st, store_alert_fn fn, void *userdata)
{
    if (!st || !fn)
        return STORE_ERR_INVALID;
    /* One read transaction: the rows are one consistent snapshot even if
     * another connection writes meanwhile. */
    if (store_exec(st, "BEGIN") != 0)
        return STORE_ERR_DB;
    sqlite3_stmt *stmt;
    if (store_prepare(st, "SELECT " ALERT_COLUMNS " FROM alerts WHERE state = 'active' ORDER BY id",
                      &stmt) != 0) {
        store_rollback(st);
        return STORE_ERR_DB;
    }
    int r = 0, rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        store_alert a;
        if ((r = alert_from_row(stmt, &a)) != 0)
            break;
        r = fn(userdata, &a);
        store_alert_clear(&a);
        if (r != 0)
            break;
    }
    if (r == 0 && rc != SQLITE_DONE)
        r = store_db_fail(st, "list active alerts");
    sqlite3_finalize(stmt);
    store_rollback(st); /* a read: nothing to commit */
    return r;
}

/* ---- apply ---- */

static bool state_ok(const char *s, bool for_end)
{
    static const char *const msg_states[] = {"active", "ignored", "applied"};
    static const char *const end_states[] = {"cancelled", "replaced"};
    const char *const *list = for_end ? end_states : msg_states;
    size_t n = for_end ? 2 : 3;
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* Runs a statement that returns no rows; *changes (may be NULL) receives the
 * rows it changed. The statement is reset for the next use. */
static int step_done(store *st, sqlite3_stmt *stmt, const char *what, size_t *changes)
{
    int rc = sqlite3_step(stmt);
    if (changes)
        *changes = rc == SQLITE_DONE ? (size_t)sqlite3_changes(st->db) : 0;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc == SQLITE_DONE ? 0 : store_db_fail(st, what);
}

static int exists(store *st, const char *sender, const char *identifier, bool *out)
{
    sqlite3_stmt *stmt;
    if (store_prepare(st, "SELECT 1 FROM alerts WHERE sender = ?1 AND identifier = ?2", &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, sender, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, identifier, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_fail(st, "look up alert");
    *out = rc == SQLITE_ROW;
    return 0;
}

static int insert_row(store *st, const store_alert *m, const char *state, const char *source,
                      const store_alert *ender)
{
    sqlite3_stmt *stmt;
    if (store_prepare(st,
                      "INSERT INTO alerts (sender, identifier, thread_sender, thread_identifier,"
                      " sent, status, msg_type, expires, source, state, received_at_ms,"
                      " received_synced, received_boot, received_mono_ms, ended_by, ended_sent,"
                      " document, signature)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                      " ?16, ?17, ?18)",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, m->sender, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, m->identifier, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, m->thread_sender[0] ? m->thread_sender : m->sender, -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, m->thread_identifier[0] ? m->thread_identifier : m->identifier, -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 5, m->sent);
    sqlite3_bind_text(stmt, 6, m->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 7, m->msg_type, -1, SQLITE_STATIC);
    if (m->has_expires)
        sqlite3_bind_int64(stmt, 8, m->expires);
    sqlite3_bind_text(stmt, 9, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 10, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 11, m->received_at_ms);
    sqlite3_bind_int(stmt, 12, m->received_synced ? 1 : 0);
    sqlite3_bind_text(stmt, 13, m->received_boot, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 14, m->received_mono_ms);
    if (ender) {
        sqlite3_bind_text(stmt, 15, ender->identifier, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 16, ender->sent);
    }
    /* Only an active row keeps its bytes: the table stays small however
     * many alerts pass through it. */
    if (m->document && strcmp(state, "active") == 0) {
        sqlite3_bind_blob(stmt, 17, m->document, (int)m->document_len, SQLITE_STATIC);
        if (m->signature)
            sqlite3_bind_text(stmt, 18, m->signature, -1, SQLITE_STATIC);
    }
    int r = step_done(st, stmt, "insert alert", NULL);
    sqlite3_finalize(stmt);
    return r;
}

/* Ends the referenced row itself (whatever its time: the message names it)
 * and then the rest of its chain sent no later than the message. */
static int end_one(store *st, const store_alert_change *c, const store_alert_end *e,
                   sqlite3_stmt *direct, sqlite3_stmt *chain, size_t *ended)
{
    const store_alert *m = c->msg;
    sqlite3_stmt *both[2] = {direct, chain};
    for (int k = 0; k < 2; k++) {
        sqlite3_stmt *s = both[k];
        sqlite3_bind_text(s, 1, c->end_state, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, m->identifier, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, m->sent);
        sqlite3_bind_text(s, 4, e->sender, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, e->identifier, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 6, c->ends_exercise_only ? 1 : 0);
        size_t n;
        if (step_done(st, s, "end alert", &n) != 0)
            return STORE_ERR_DB;
        *ended += n;
    }
    return 0;
}

static int prune(store *st, size_t keep)
{
    static const char *const where =
        " WHERE state <> 'active' AND id NOT IN (SELECT id FROM alerts ORDER BY id DESC LIMIT ?1)";
    char sql[256];
    sqlite3_stmt *stmt;
    int64_t lim = keep > INT64_MAX ? INT64_MAX : (int64_t)keep;
    snprintf(sql, sizeof sql, "SELECT max(sent) FROM alerts%s", where);
    if (store_prepare(st, sql, &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_int64(stmt, 1, lim);
    int rc = sqlite3_step(stmt);
    bool any = rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL;
    int64_t newest = any ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW)
        return store_db_fail(st, "alerts horizon");
    if (!any)
        return 0;
    /* The horizon only rises: max() against what is stored. */
    if (store_prepare(st,
                      "INSERT INTO kv (key, value, updated_at_ms) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT (key) DO UPDATE SET"
                      "  value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)),"
                      "  updated_at_ms = excluded.updated_at_ms",
                      &stmt) != 0)
        return STORE_ERR_DB;
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, newest);
    sqlite3_bind_text(stmt, 1, KV_HORIZON, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, buf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, store_now_ms(st));
    int r = step_done(st, stmt, "raise alerts horizon", NULL);
    sqlite3_finalize(stmt);
    if (r != 0)
        return r;
    snprintf(sql, sizeof sql, "DELETE FROM alerts%s", where);
    if (store_prepare(st, sql, &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_int64(stmt, 1, lim);
    r = step_done(st, stmt, "prune alerts", NULL);
    sqlite3_finalize(stmt);
    return r;
}

int store_alert_apply(store *st, const store_alert_change *c, size_t *ended_out)
{
    size_t ended = 0;
    if (ended_out)
        *ended_out = 0;
    const store_alert *m = c ? c->msg : NULL;
    if (!st || !m || !id_ok(m->sender) || !id_ok(m->identifier) || !state_ok(m->state, false) ||
        (c->end_state && !state_ok(c->end_state, true)) || (c->n_ends && !c->ends) ||
        (strcmp(m->state, "active") == 0 && !m->document) ||
        m->document_len > STORE_ALERT_DOC_MAX || c->keep == 0)
        return STORE_ERR_INVALID;
    if (store_begin_write(st) != 0)
        return STORE_ERR_DB;
    sqlite3_stmt *direct = NULL, *chain = NULL;
    bool known;
    int r = exists(st, m->sender, m->identifier, &known);
    if (r != 0)
        goto fail;
    if (known) {
        r = STORE_ERR_SAME;
        goto fail;
    }
    if (c->end_state && c->n_ends) {
        static const char *const set =
            "UPDATE alerts SET state = ?1, ended_by = ?2, ended_sent = ?3, document = NULL,"
            " signature = NULL WHERE state IN ('active', 'expired')"
            " AND (?6 = 0 OR status = 'Exercise') AND ";
        char sql[512];
        snprintf(sql, sizeof sql, "%ssender = ?4 AND identifier = ?5", set);
        if ((r = store_prepare(st, sql, &direct)) != 0)
            goto fail;
        snprintf(sql, sizeof sql,
                 "%ssent <= ?3 AND (thread_sender, thread_identifier) IN"
                 " (SELECT thread_sender, thread_identifier FROM alerts"
                 "  WHERE sender = ?4 AND identifier = ?5)",
                 set);
        if ((r = store_prepare(st, sql, &chain)) != 0)
            goto fail;
        for (size_t i = 0; i < c->n_ends; i++) {
            const store_alert_end *e = &c->ends[i];
            /* A reference longer than any stored identifier names nothing;
             * one naming the message itself (CAP does not forbid it) ends
             * nothing either. */
            if (!id_ok(e->sender) || !id_ok(e->identifier) ||
                (strcmp(e->sender, m->sender) == 0 && strcmp(e->identifier, m->identifier) == 0))
                continue;
            if ((r = end_one(st, c, e, direct, chain, &ended)) != 0)
                goto fail;
            if (!c->tombstones)
                continue;
            if ((r = exists(st, e->sender, e->identifier, &known)) != 0)
                goto fail;
            if (known)
                continue;
            /* Never seen: remembered as ended, so that it cannot arrive later. */
            store_alert ref = {0};
            snprintf(ref.sender, sizeof ref.sender, "%s", e->sender);
            snprintf(ref.identifier, sizeof ref.identifier, "%s", e->identifier);
            snprintf(ref.thread_sender, sizeof ref.thread_sender, "%s",
                     m->thread_sender[0] ? m->thread_sender : m->sender);
            snprintf(ref.thread_identifier, sizeof ref.thread_identifier, "%s",
                     m->thread_identifier[0] ? m->thread_identifier : m->identifier);
            ref.sent = e->sent;
            ref.received_at_ms = m->received_at_ms;
            ref.received_synced = m->received_synced;
            snprintf(ref.received_boot, sizeof ref.received_boot, "%s", m->received_boot);
            ref.received_mono_ms = m->received_mono_ms;
            if ((r = insert_row(st, &ref, c->end_state, "reference", m)) != 0)
                goto fail;
        }
    }
    if ((r = insert_row(st, m, m->state, m->source, NULL)) != 0 || (r = prune(st, c->keep)) != 0)
        goto fail;
    sqlite3_finalize(direct);
    sqlite3_finalize(chain);
    if ((r = store_commit(st)) != 0)
        return r;
    if (ended_out)
        *ended_out = ended;
    return 0;
fail:
    sqlite3_finalize(direct);
    sqlite3_finalize(chain);
    store_rollback(st);
    return r;
}

int store_alert_chain_end(store *st, const char *thread_sender, const char *thread_identifier,
                          int64_t *sent, char *ended_by, size_t size, bool *cancelled)
{
    if (sent)
        *sent = 0;
    if (ended_by && size)
        ended_by[0] = '\0';
    if (cancelled)
        *cancelled = false;
    if (!st || !sent || !id_ok(thread_sender) || !id_ok(thread_identifier))
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    if (store_prepare(st,
                      "SELECT ended_sent, ended_by, state FROM alerts"
                      " WHERE thread_sender = ?1 AND thread_identifier = ?2"
                      " AND ended_sent IS NOT NULL ORDER BY ended_sent DESC LIMIT 1",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, thread_sender, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, thread_identifier, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt), r = 0;
    if (rc == SQLITE_ROW) {
        *sent = sqlite3_column_int64(stmt, 0);
        if (ended_by && size)
            column_copy(stmt, 1, ended_by, size);
        if (cancelled)
            *cancelled = strcmp((const char *)sqlite3_column_text(stmt, 2), "cancelled") == 0;
    } else if (rc != SQLITE_DONE) {
        r = store_db_fail(st, "alert chain end");
    }
    sqlite3_finalize(stmt);
    return r;
}

int store_alert_expire(store *st, const char *sender, const char *identifier)
{
    if (!st || !id_ok(sender) || !id_ok(identifier))
        return STORE_ERR_INVALID;
    sqlite3_stmt *stmt;
    if (store_prepare(st,
                      "UPDATE alerts SET state = 'expired', document = NULL, signature = NULL"
                      " WHERE sender = ?1 AND identifier = ?2 AND state = 'active'",
                      &stmt) != 0)
        return STORE_ERR_DB;
    sqlite3_bind_text(stmt, 1, sender, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, identifier, -1, SQLITE_STATIC);
    size_t n;
    int r = step_done(st, stmt, "expire alert", &n);
    sqlite3_finalize(stmt);
    if (r == 0 && n == 0)
        r = STORE_ERR_NOT_FOUND;
    return r;
}

int store_alerts_horizon(store *st, int64_t *out)
{
    if (out)
        *out = 0;
    if (!st || !out)
        return STORE_ERR_INVALID;
    char *v = NULL;
    int r = store_kv_get(st, KV_HORIZON, &v, NULL);
    if (r == STORE_ERR_NOT_FOUND)
        return 0;
    if (r != 0)
        return r;
    *out = strtoll(v, NULL, 10);
    free(v);
    return 0;
}
