/* alerts: accepting one fetched alert document (see alerts.h for the rules).
 * The order matters: nothing is parsed before its signature is verified,
 * nothing is believed about a document (its identifier, its references)
 * before it parsed, and nothing is stored unless every rule passed. A refusal
 * is reported once per distinct document, never once per poll. */
#include "app/core/alerts_private.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/core/alert_private.h"
#include "app/core/log.h"

#define MOD ALERTS_MOD

const char *alerts_code_name(alerts_code code)
{
    static const char *const names[] = {
        "ok",
        "too-large",
        "unsigned",
        "untrusted-source",
        "signature-format",
        "wrong-key",
        "bad-signature",
        "wrong-target",
        "invalid",
        "replay",
        "horizon",
        "older",
        "expired",
        "drill",
    };
    return (unsigned)code < sizeof names / sizeof names[0] ? names[code] : "";
}

const char *alerts_outcome_name(alerts_outcome o)
{
    static const char *const names[] = {"shown",   "cancelled", "duplicate",
                                        "ignored", "refused",   "failed"};
    return (unsigned)o < sizeof names / sizeof names[0] ? names[o] : "";
}

static const char *source_label(alerts_source source)
{
    return source == ALERTS_SOURCE_NATIVE ? "native alert"
           : source == ALERTS_SOURCE_CAP  ? "CAP"
                                          : "CAP (trusted TLS)";
}

/* ---- Signature, trusted comment, parsing ---------------------------------------------- */

static alerts_code fail_why(char *why, size_t whylen, alerts_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static alerts_code fail_why(char *why, size_t whylen, alerts_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return code;
}

/* "hiroba-alert channel=C id=I" (publish, cancel) and "hiroba-cap id=I"
 * (sign-cap) bind a signature to one channel and one document; any other
 * comment (the stock minisign's "timestamp:...") binds nothing more. */
static alerts_code check_comment(const alerts *al, const char *tc, alerts_source source,
                                 const alert *a, char *why, size_t whylen)
{
    static const char native[] = "hiroba-alert ", cap[] = "hiroba-cap ";
    const char *id;
    if (strncmp(tc, native, sizeof native - 1) == 0) {
        if (source != ALERTS_SOURCE_NATIVE)
            return fail_why(why, whylen, ALERTS_ERR_WRONG_TARGET,
                            "signed as a native alert, served as CAP");
        const char *p = tc + sizeof native - 1;
        if (strncmp(p, "channel=", 8) != 0)
            return fail_why(why, whylen, ALERTS_ERR_WRONG_TARGET,
                            "trusted comment \"%.80s\": expected channel=", tc);
        p += 8;
        size_t n = strcspn(p, " ");
        if (strncmp(p + n, " id=", 4) != 0)
            return fail_why(why, whylen, ALERTS_ERR_WRONG_TARGET,
                            "trusted comment \"%.80s\": expected id=", tc);
        if (al->check_channel && (n != strlen(al->channel) || memcmp(p, al->channel, n) != 0))
            return fail_why(why, whylen, ALERTS_ERR_WRONG_TARGET,
                            "signed for channel '%.*s', this kiosk follows '%s'",
                            (int)(n > 64 ? 64 : n), p, al->channel);
        id = p + n + 4;
    } else if (strncmp(tc, cap, sizeof cap - 1) == 0) {
        if (source == ALERTS_SOURCE_NATIVE)
            return fail_why(why, whylen, ALERTS_ERR_WRONG_TARGET,
                            "signed as CAP, served as a native alert");
        const char *p = tc + sizeof cap - 1;
        if (strncmp(p, "id=", 3) != 0)
            return fail_why(why, whylen, ALERTS_ERR_WRONG_TARGET,
                            "trusted comment \"%.80s\": expected id=", tc);
        id = p + 3;
    } else {
        return ALERTS_OK;
    }
    if (strcmp(id, a->identifier) != 0)
        return fail_why(why, whylen, ALERTS_ERR_WRONG_TARGET,
                        "the signature was made for alert '%.80s', not '%.80s'", id, a->identifier);
    return ALERTS_OK;
}

static alerts_code verify(const alerts *al, const void *doc, size_t len, const char *sig,
                          size_t sig_len, trust_result *tr, char *why, size_t whylen)
{
    if (sig_len > TRUST_FILE_MAX)
        return fail_why(why, whylen, ALERTS_ERR_SIGNATURE_FORMAT,
                        "malformed signature: %zu bytes, more than %d", sig_len, TRUST_FILE_MAX);
    if (trust_verify(al->keys, doc, len, sig, sig_len, tr) == 0)
        return ALERTS_OK;
    switch (tr->error) {
    case TRUST_ERR_UNKNOWN_KEY:
        return fail_why(why, whylen, ALERTS_ERR_WRONG_KEY,
                        "wrong key: signed by key %s, which this kiosk does not trust", tr->key_id);
    case TRUST_ERR_BAD_SIGNATURE:
        return fail_why(why, whylen, ALERTS_ERR_BAD_SIGNATURE,
                        "bad signature: key %s did not sign these bytes (the signature of "
                        "another document, or an altered one)",
                        tr->key_id);
    case TRUST_ERR_BAD_GLOBAL_SIGNATURE:
        return fail_why(why, whylen, ALERTS_ERR_BAD_SIGNATURE,
                        "bad signature: the trusted comment was altered");
    default:
        return fail_why(why, whylen, ALERTS_ERR_SIGNATURE_FORMAT, "malformed signature: %s",
                        tr->message);
    }
}

alerts_code alerts_check(const alerts *al, const void *doc, size_t len, const char *sig,
                         size_t sig_len, alerts_source source, alert **out, bool *signed_out,
                         bool *nomem, char *id_out, size_t id_size, char *why, size_t whylen)
{
    *out = NULL;
    *signed_out = false;
    *nomem = false;
    if (len == 0 || len > ALERT_MAX_BYTES)
        return fail_why(why, whylen, ALERTS_ERR_TOO_LARGE, "%zu bytes (1..%u allowed)", len,
                        ALERT_MAX_BYTES);
    trust_result tr;
    tr.trusted_comment[0] = '\0';
    if (sig) {
        alerts_code code = verify(al, doc, len, sig, sig_len, &tr, why, whylen);
        if (code != ALERTS_OK)
            return code;
        *signed_out = true;
    } else if (source != ALERTS_SOURCE_CAP_TLS) {
        return fail_why(why, whylen, ALERTS_ERR_UNSIGNED,
                        "unsigned: no signature beside the document (URL + \".minisig\")");
    } else if (!al->cap_tls_trusted) {
        return fail_why(why, whylen, ALERTS_ERR_UNTRUSTED_SOURCE,
                        "unsigned, and no CAP source is marked trusted in the config");
    }
    char err[ALERT_REASON_MAX];
    alert *a = NULL;
    int r = source == ALERTS_SOURCE_NATIVE ? alert_parse_native(doc, len, &a, err, sizeof err)
                                           : alert_parse_cap(doc, len, &a, err, sizeof err);
    if (r != 0) {
        *nomem = r == ALERT_NOMEM;
        return fail_why(why, whylen, ALERTS_ERR_INVALID, "invalid: %s", err);
    }
    if (id_out)
        snprintf(id_out, id_size, "%s", a->identifier);
    if (*signed_out) {
        alerts_code code = check_comment(al, tr.trusted_comment, source, a, why, whylen);
        if (code != ALERTS_OK) {
            alert_destroy(a);
            return code;
        }
    }
    *out = a;
    return ALERTS_OK;
}

/* ---- Refusals ------------------------------------------------------------------------- */

static void digest_of(const void *doc, size_t len, const char *sig, size_t sig_len,
                      alerts_source source, unsigned char out[32])
{
    crypto_generichash_state st;
    unsigned char tag[2] = {(unsigned char)source, sig ? 1 : 0};
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, tag, sizeof tag);
    uint64_t n = len;
    crypto_generichash_update(&st, (const unsigned char *)&n, sizeof n);
    crypto_generichash_update(&st, doc, len);
    if (sig)
        crypto_generichash_update(&st, (const unsigned char *)sig, sig_len);
    crypto_generichash_final(&st, out, 32);
}

static const alerts_result *refused_before(const alerts *al, const unsigned char digest[32])
{
    for (size_t i = 0; i < ALERTS_REFUSED_RING; i++)
        if (al->refused[i].used && sodium_memcmp(al->refused[i].digest, digest, 32) == 0)
            return &al->refused[i].result;
    return NULL;
}

static int refuse(alerts *al, alerts_result *out, const unsigned char digest[32],
                  alerts_source source, alerts_code code, const char *why)
{
    out->outcome = ALERTS_REFUSED;
    out->code = code;
    out->changed = false;
    snprintf(out->reason, sizeof out->reason, "%s %s: %s", source_label(source),
             out->identifier[0] ? out->identifier : "(unread)", why);
    alert_utf8_repair(out->reason);
    LOG_WARN(MOD, "refused %s", out->reason);
    store_reject(al->store, "alerts", out->reason);
    size_t k = al->refused_next++ % ALERTS_REFUSED_RING;
    memcpy(al->refused[k].digest, digest, 32);
    al->refused[k].result = *out;
    al->refused[k].used = true;
    return -1;
}

static int failed(alerts_result *out, alerts_source source, const char *why)
{
    out->outcome = ALERTS_FAILED;
    snprintf(out->reason, sizeof out->reason, "%s %s: %s", source_label(source),
             out->identifier[0] ? out->identifier : "(unread)", why);
    LOG_ERROR(MOD, "%s", out->reason);
    return -1;
}

/* ---- Accept --------------------------------------------------------------------------- */

static const char *source_column(alerts_source source, bool signed_by_key)
{
    if (source == ALERTS_SOURCE_NATIVE)
        return "native";
    return signed_by_key ? "cap" : "cap-tls";
}

/* Rule 5 and the chain: an Update or Cancel sent before the newest message
 * that already ended part of a chain it names is refused (an old Update must
 * not undo a newer one, nor come after the Cancel); the first known row gives
 * the message its chain. */
static int check_references(alerts *al, const alert *a, store_alert *msg, char *why, size_t whylen,
                            alerts_code *code)
{
    *code = ALERTS_OK;
    for (size_t i = 0; i < a->n_references; i++) {
        const alert_reference *ref = &a->references[i];
        if (strlen(ref->sender) > STORE_ALERT_ID_MAX ||
            strlen(ref->identifier) > STORE_ALERT_ID_MAX)
            continue;
        store_alert row;
        int r = store_alert_get(al->store, ref->sender, ref->identifier, &row);
        if (r == STORE_ERR_NOT_FOUND)
            continue;
        if (r != 0)
            return r;
        int64_t end_sent;
        char end_by[STORE_ALERT_ID_MAX + 1];
        bool cancelled;
        r = store_alert_chain_end(al->store, row.thread_sender, row.thread_identifier, &end_sent,
                                  end_by, sizeof end_by, &cancelled);
        if (r == 0 && end_sent > a->sent) {
            *code = fail_why(why, whylen, ALERTS_ERR_OLDER,
                             "older than the %s %.80s (sent later) that ended the alert it "
                             "references (%.80s)",
                             cancelled ? "Cancel" : "Update", end_by, ref->identifier);
        } else if (r == 0 && !msg->thread_identifier[0]) {
            snprintf(msg->thread_sender, sizeof msg->thread_sender, "%s", row.thread_sender);
            snprintf(msg->thread_identifier, sizeof msg->thread_identifier, "%s",
                     row.thread_identifier);
        }
        store_alert_clear(&row);
        if (r != 0 || *code != ALERTS_OK)
            return r;
    }
    return 0;
}

int alerts_accept(alerts *al, const void *doc, size_t len, const char *sig, size_t sig_len,
                  alerts_source source, alerts_result *out)
{
    memset(out, 0, sizeof *out);
    out->action = ALERT_ACTION_REJECT;
    if (!al || (!doc && len)) {
        out->outcome = ALERTS_FAILED;
        snprintf(out->reason, sizeof out->reason, "invalid arguments");
        return -1;
    }
    unsigned char digest[32];
    digest_of(doc, len, sig, sig_len, source, digest);
    const alerts_result *before = refused_before(al, digest);
    if (before) {
        *out = *before;
        out->repeat = true;
        return -1;
    }

    char why[ALERTS_REASON_MAX];
    alert *a = NULL;
    bool signed_by_key, nomem;
    alerts_code code = alerts_check(al, doc, len, sig, sig_len, source, &a, &signed_by_key, &nomem,
                                    out->identifier, sizeof out->identifier, why, sizeof why);
    if (nomem)
        return failed(out, source, "out of memory");
    if (code != ALERTS_OK)
        return refuse(al, out, digest, source, code, why);

    store_alert *msg = calloc(1, sizeof *msg);
    store_alert seen;
    int rc = -1;
    if (!msg) {
        failed(out, source, "out of memory");
        goto done;
    }

    /* Rule 3: seen before. */
    int r = store_alert_get(al->store, a->sender, a->identifier, &seen);
    if (r == 0) {
        bool ended = strcmp(seen.state, "cancelled") == 0 || strcmp(seen.state, "replaced") == 0;
        if (ended) {
            snprintf(why, sizeof why, "replay of a %s alert (%s by %.80s)", seen.state, seen.state,
                     seen.ended_by);
            store_alert_clear(&seen);
            refuse(al, out, digest, source, ALERTS_ERR_REPLAY, why);
            goto done;
        }
        store_alert_clear(&seen);
        out->outcome = ALERTS_DUPLICATE;
        rc = 0;
        goto done;
    }
    if (r != STORE_ERR_NOT_FOUND) {
        failed(out, source, store_strerror(r));
        goto done;
    }
    int64_t horizon = 0;
    if ((r = store_alerts_horizon(al->store, &horizon)) != 0) {
        failed(out, source, store_strerror(r));
        goto done;
    }
    if (horizon > 0 && a->sent <= horizon) {
        snprintf(why, sizeof why,
                 "sent before the newest of the alerts this kiosk no longer remembers (%d kept): "
                 "possibly a replay",
                 ALERTS_KEPT);
        refuse(al, out, digest, source, ALERTS_ERR_HORIZON, why);
        goto done;
    }

    /* Rule 4: the decision, at a time that is never ahead of the true one. */
    alerts_clock now = alerts_clock_now(al);
    alerts_item receipt = {.sent = a->sent,
                           .received_at_ms = now.wall * 1000,
                           .received_synced = now.synced,
                           .received_mono_ms = now.mono};
    snprintf(receipt.received_boot, sizeof receipt.received_boot, "%s", al->boot);
    int64_t eff = alerts_effective_now(al, &receipt, &now);
    alert_decision d;
    alert_decide(a, &al->policy, eff, &d);
    out->action = d.action;
    const char *state = "active";
    const char *end_state = NULL;
    switch (d.action) {
    case ALERT_ACTION_IGNORE:
        if (a->status == ALERT_STATUS_EXERCISE && !al->policy.allow_drills) {
            refuse(al, out, digest, source, ALERTS_ERR_DRILL,
                   "drill not allowed: status Exercise, and this kiosk does not show drills");
            goto done;
        }
        if (a->status == ALERT_STATUS_ACTUAL || a->status == ALERT_STATUS_EXERCISE) {
            if (a->msg_type != ALERT_MSG_ACK && a->msg_type != ALERT_MSG_ERROR && a->n_info > 0) {
                snprintf(why, sizeof why, "expired: %s", d.reason);
                refuse(al, out, digest, source, ALERTS_ERR_EXPIRED, why);
                goto done;
            }
        }
        state = "ignored";
        break;
    case ALERT_ACTION_CANCEL:
        state = "applied";
        end_state = "cancelled";
        break;
    case ALERT_ACTION_BANNER:
    case ALERT_ACTION_DRILL:
    case ALERT_ACTION_TAKEOVER:
        end_state = a->msg_type == ALERT_MSG_UPDATE ? "replaced" : NULL;
        break;
    default:
        failed(out, source, "unexpected decision");
        goto done;
    }

    /* Rule 5. */
    if (end_state) {
        if ((r = check_references(al, a, msg, why, sizeof why, &code)) != 0) {
            failed(out, source, store_strerror(r));
            goto done;
        }
        if (code != ALERTS_OK) {
            refuse(al, out, digest, source, code, why);
            goto done;
        }
    }

    /* Rule 6. */
    snprintf(msg->sender, sizeof msg->sender, "%s", a->sender);
    snprintf(msg->identifier, sizeof msg->identifier, "%s", a->identifier);
    msg->sent = a->sent;
    snprintf(msg->status, sizeof msg->status, "%s", alert_status_name(a->status));
    snprintf(msg->msg_type, sizeof msg->msg_type, "%s", alert_msg_type_name(a->msg_type));
    snprintf(msg->source, sizeof msg->source, "%s", source_column(source, signed_by_key));
    snprintf(msg->state, sizeof msg->state, "%s", state);
    msg->has_expires = alerts_overall_expiry(a, &msg->expires);
    msg->received_at_ms = now.wall * 1000;
    msg->received_synced = now.synced;
    snprintf(msg->received_boot, sizeof msg->received_boot, "%s", al->boot);
    msg->received_mono_ms = now.mono;
    msg->document = (char *)doc; /* borrowed for the call: store_alert_apply copies */
    msg->document_len = len;
    msg->signature = signed_by_key ? (char *)sig : NULL;
    /* The signature is stored as a C string: it must be one. */
    char *sig_copy = NULL;
    if (msg->signature) {
        sig_copy = malloc(sig_len + 1);
        if (!sig_copy) {
            msg->document = msg->signature = NULL;
            failed(out, source, "out of memory");
            goto done;
        }
        memcpy(sig_copy, sig, sig_len);
        sig_copy[sig_len] = '\0';
        msg->signature = sig_copy;
    }
    store_alert_end ends[ALERT_MAX_REFERENCES];
    for (size_t i = 0; end_state && i < a->n_references; i++)
        ends[i] = (store_alert_end){.sender = a->references[i].sender,
                                    .identifier = a->references[i].identifier,
                                    .sent = a->references[i].has_sent ? a->references[i].sent : 0};
    store_alert_change change = {
        .msg = msg,
        .end_state = end_state,
        .ends = ends,
        .n_ends = end_state ? a->n_references : 0,
        .ends_exercise_only = a->status == ALERT_STATUS_EXERCISE,
        .tombstones = a->status == ALERT_STATUS_ACTUAL,
        .keep = ALERTS_KEPT,
    };
    r = store_alert_apply(al->store, &change, &out->ended);
    msg->document = msg->signature = NULL;
    free(sig_copy);
    if (r == STORE_ERR_SAME) {
        out->outcome = ALERTS_DUPLICATE;
        rc = 0;
        goto done;
    }
    if (r != 0) {
        failed(out, source, store_strerror(r));
        goto done;
    }

    if (strcmp(state, "ignored") == 0) {
        out->outcome = ALERTS_IGNORED;
        snprintf(out->reason, sizeof out->reason, "%s %s: %s", source_label(source), a->identifier,
                 d.reason);
        LOG_INFO(MOD, "ignored %s", out->reason);
    } else if (d.action == ALERT_ACTION_CANCEL) {
        out->outcome = ALERTS_CANCELLED;
        snprintf(out->reason, sizeof out->reason, "%s %s: %s (%zu ended)", source_label(source),
                 a->identifier, d.reason, out->ended);
        LOG_INFO(MOD, "%s", out->reason);
    } else {
        out->outcome = ALERTS_SHOWN;
        snprintf(out->reason, sizeof out->reason, "%s %s: %s", source_label(source), a->identifier,
                 d.reason);
        LOG_WARN(MOD, "%s %s from %s: %s (%s%s)", alert_action_name(d.action), a->identifier,
                 a->sender, d.info ? d.info->headline : "", d.reason,
                 out->ended ? ", replaces what it references" : "");
    }
    rc = 0;
    /* An ignored message changed nothing that is shown. */
    if (strcmp(state, "ignored") != 0 && (r = alerts_reload(al, &out->changed)) != 0)
        LOG_ERROR(MOD, "reading the alerts back: %s", store_strerror(r));
done:
    free(msg);
    alert_destroy(a);
    return rc;
}
