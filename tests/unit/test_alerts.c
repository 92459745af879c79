/* test_alerts: core/alerts, the kiosk's alert state, against a real store
 * (SQLite in a temporary folder) and real signatures (keys made by
 * trust_keygen): the rules as scenarios (accept, update, cancel, chains,
 * replays, duplicates, drills, Test/Draft, expiry) over native and CAP
 * documents, spoofing (unsigned, wrong key, another document's signature,
 * truncated, another channel's), time with the clock synchronised or not (a
 * monotonic clock and boot id the test controls), reopening, the bounded
 * table, the schema's own guards and a reader thread. */
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
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "app/core/alerts.h"
#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/store.h"
#include "app/core/trust.h"

#define CHANNEL "chuo"
#define SENDER  "bousai@city.kobe.example.jp"
#define NOW     "2026-11-24T19:30:00+09:00"
#define DAY     "2026-11-24T"

/* ---- The machine under the alerts: a monotonic clock and boot we control ---- */

struct host {
    int64_t mono;
    bool synced;
    char boot[40];
};

static int64_t host_mono(void *u)
{
    return ((struct host *)u)->mono;
}

static bool host_synced(void *u)
{
    return ((struct host *)u)->synced;
}

static void host_boot(void *u, char *out, size_t size)
{
    snprintf(out, size, "%s", ((struct host *)u)->boot);
}

struct fixture {
    char dir[64];
    char data[96];
    clock_source *store_clock;
    clock_source *clock; /* the alerts' wall clock, replaced by reopen */
    store *st;
    trust_keyring *keys;
    trust_secret_key *a, *b;
    struct host host;
    alerts_host host_fns;
    bool drills, tls;
    const char *lang;
    alerts *al;
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void load(struct fixture *f)
{
    alerts_config cfg = {
        .store = f->st,
        .keys = f->keys,
        .clock = f->clock,
        .channel = CHANNEL,
        .policy = {.allow_drills = f->drills, .language = f->lang},
        .cap_tls_trusted = f->tls,
        .host = &f->host_fns,
    };
    f->al = alerts_load(&cfg);
    assert_non_null(f->al);
}

/* Closes and opens the alert state again (as after a restart), with the
 * wall clock at iso (NULL: unchanged). */
static void reopen(struct fixture *f, const char *iso)
{
    alerts_unload(f->al);
    f->al = NULL;
    if (iso) {
        clock_destroy(f->clock);
        f->clock = clock_create(iso);
        assert_non_null(f->clock);
    }
    load(f);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    char path[PATH_MAX], err[TRUST_MESSAGE_MAX];
    snprintf(f->dir, sizeof f->dir, "/tmp/hiroba-alerts-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->data, sizeof f->data, "%s/data", f->dir);
    f->store_clock = clock_create(NOW);
    f->clock = clock_create(NOW);
    f->st = store_open(f->data, f->store_clock);
    f->keys = trust_keyring_create();
    if (!f->store_clock || !f->clock || !f->st || !f->keys)
        return -1;
    snprintf(path, sizeof path, "%s/a", f->dir);
    if (trust_keygen(path, NULL, NULL, err, sizeof err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/a.key", f->dir);
    f->a = trust_secret_key_load(path, NULL, err, sizeof err);
    snprintf(path, sizeof path, "%s/a.pub", f->dir);
    if (!f->a || trust_keyring_add_file(f->keys, path, err, sizeof err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/b", f->dir);
    if (trust_keygen(path, NULL, NULL, err, sizeof err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/b.key", f->dir);
    if (!(f->b = trust_secret_key_load(path, NULL, err, sizeof err)))
        return -1;
    f->host = (struct host){.mono = 1000, .synced = true, .boot = "boot-1"};
    f->host_fns = (alerts_host){host_mono, host_synced, host_boot, &f->host};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    alerts_unload(f->al);
    store_close(f->st);
    trust_keyring_destroy(f->keys);
    trust_secret_key_destroy(f->a);
    trust_secret_key_destroy(f->b);
    clock_destroy(f->clock);
    clock_destroy(f->store_clock);
    nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---- Documents ---- */

struct native_doc {
    const char *id;
    const char *sent; /* "HH:MM" on DAY, JST */
    const char *status;
    const char *msg_type;
    const char *refs; /* JSON array contents, or NULL */
    const char *severity, *urgency;
    const char *expires; /* "HH:MM" or NULL */
};

static const struct native_doc natives[] = {
    {"a1", "10:00", "Actual", "Alert", NULL, "Extreme", "Immediate", "22:00"},
    {"b1", "11:00", "Actual", "Alert", NULL, "Moderate", "Expected", "22:00"},
    {"u1", "12:00", "Actual", "Update", "\"a1\"", "Moderate", "Expected", "22:00"},
    {"u2", "13:00", "Actual", "Update", "\"u1\", \"a1\"", "Severe", "Immediate", "22:00"},
    {"u0", "17:00", "Actual", "Update", "\"a1\"", "Moderate", "Expected", "22:00"},
    {"c1", "18:00", "Actual", "Cancel", "\"a1\"", NULL, NULL, NULL},
    {"cu", "18:00", "Actual", "Cancel", "\"u1\"", NULL, NULL, NULL},
    {"d1", "10:30", "Exercise", "Alert", NULL, "Severe", "Immediate", "22:00"},
    {"dc", "19:00", "Exercise", "Cancel", "\"a1\"", NULL, NULL, NULL},
    {"t1", "10:00", "Test", "Alert", NULL, "Extreme", "Immediate", "22:00"},
    {"x1", "10:00", "Draft", "Alert", NULL, "Extreme", "Immediate", "22:00"},
    {"s1", "10:00", "System", "Alert", NULL, "Minor", "Future", NULL},
    {"e1", "08:00", "Actual", "Alert", NULL, "Extreme", "Immediate", "09:00"},
    {"n1", "09:00", "Actual", "Alert", NULL, "Minor", "Future", NULL},
};

/* The text of a native document; the caller frees it. */
static char *native_text(const struct native_doc *d)
{
    char extra[512] = "";
    size_t n = 0;
    if (d->refs)
        n += (size_t)snprintf(extra + n, sizeof extra - n, ", \"references\": [%s]", d->refs);
    if (d->severity)
        n += (size_t)snprintf(extra + n, sizeof extra - n,
                              ", \"severity\": \"%s\", \"urgency\": \"%s\", \"title\": {\"ja\": "
                              "\"避難情報 %s\", \"en\": \"Evacuation %s\"}",
                              d->severity, d->urgency, d->id, d->id);
    if (d->expires)
        snprintf(extra + n, sizeof extra - n, ", \"expires\": \"" DAY "%s:00+09:00\"", d->expires);
    char *out = malloc(1024);
    assert_non_null(out);
    snprintf(out, 1024,
             "{\"format\": 1, \"id\": \"%s\", \"sender\": \"" SENDER "\", \"sent\": \"" DAY
             "%s:00+09:00\", \"status\": \"%s\", \"msgType\": \"%s\"%s}\n",
             d->id, d->sent, d->status, d->msg_type, extra);
    return out;
}

static const char *source_dir(void)
{
    const char *s = getenv("HIROBA_SOURCE_DIR");
    return s && s[0] ? s : ".";
}

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s", path);
    char *buf = malloc(ALERT_MAX_BYTES + 1);
    assert_non_null(buf);
    *len = fread(buf, 1, ALERT_MAX_BYTES, fp);
    buf[*len] = '\0';
    fclose(fp);
    return buf;
}

/* A document by name: a native one of the table above, or "cap:FILE" from
 * tests/fixtures/alerts. *id receives its identifier. */
static char *doc_text(const char *name, size_t *len, const char **id)
{
    static const struct {
        const char *file, *id;
    } caps[] = {
        {"ja-evacuation.cap", "JP-KOBE-2026-0042"}, {"ja-update.cap", "JP-KOBE-2026-0043"},
        {"ja-cancel.cap", "JP-KOBE-2026-0044"},     {"ja-drill.cap", "JP-KOBE-2026-K001"},
        {"ja-test.cap", "JP-KOBE-2026-T001"},
    };
    if (strncmp(name, "cap:", 4) == 0) {
        for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
            if (strcmp(caps[i].file, name + 4) != 0)
                continue;
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/tests/fixtures/alerts/%s", source_dir(), caps[i].file);
            *id = caps[i].id;
            return read_file(path, len);
        }
    }
    for (size_t i = 0; i < sizeof natives / sizeof natives[0]; i++) {
        if (strcmp(natives[i].id, name) != 0)
            continue;
        char *t = native_text(&natives[i]);
        *len = strlen(t);
        *id = natives[i].id;
        return t;
    }
    fail_msg("no document %s", name);
    return NULL;
}

/* ---- Signatures ---- */

enum sig {
    SIG_GOOD,          /* key A, hiroba comment for this channel and id */
    SIG_NONE,          /* nothing beside the document */
    SIG_UNTRUSTED,     /* key B, which the kiosk does not trust */
    SIG_OTHER_DOC,     /* key A's good signature of document b1 */
    SIG_TRUNCATED,     /* a good signature cut in half */
    SIG_OTHER_CHANNEL, /* key A, but the comment names channel kita */
    SIG_OTHER_ID,      /* key A, but the comment names another alert */
    SIG_STOCK,         /* key A with a comment like the stock minisign's */
    SIG_CROSS,         /* key A, the comment of the other kind (CAP for native...) */
};

static char *sign_bytes(const trust_secret_key *key, const char *doc, size_t len,
                        const char *comment)
{
    char err[TRUST_MESSAGE_MAX];
    char *text = NULL;
    trust_sign_options o = {.trusted_comment = comment};
    if (trust_sign(key, doc, len, &o, &text, err, sizeof err) != 0)
        fail_msg("trust_sign: %s", err);
    return text;
}

static char *signature(const struct fixture *f, enum sig how, const char *doc, size_t len,
                       const char *id, bool cap)
{
    char comment[300];
    if (cap)
        snprintf(comment, sizeof comment, ALERTS_COMMENT_CAP, id);
    else
        snprintf(comment, sizeof comment, ALERTS_COMMENT_NATIVE, CHANNEL, id);
    switch (how) {
    case SIG_NONE:
        return NULL;
    case SIG_UNTRUSTED:
        return sign_bytes(f->b, doc, len, comment);
    case SIG_OTHER_DOC: {
        size_t olen;
        const char *oid;
        char *other = doc_text("b1", &olen, &oid);
        char *s = sign_bytes(f->a, other, olen, comment);
        free(other);
        return s;
    }
    case SIG_TRUNCATED: {
        char *s = sign_bytes(f->a, doc, len, comment);
        s[strlen(s) / 2] = '\0';
        return s;
    }
    case SIG_OTHER_CHANNEL:
        snprintf(comment, sizeof comment, "hiroba-alert channel=kita id=%s", id);
        return sign_bytes(f->a, doc, len, comment);
    case SIG_OTHER_ID:
        snprintf(comment, sizeof comment, "hiroba-%s id=other-id",
                 cap ? "cap" : "alert channel=chuo");
        return sign_bytes(f->a, doc, len, comment);
    case SIG_STOCK:
        return sign_bytes(f->a, doc, len, "timestamp:1795482000\tfile:alerts.json\thashed");
    case SIG_CROSS:
        if (cap)
            snprintf(comment, sizeof comment, "hiroba-alert channel=" CHANNEL " id=%s", id);
        else
            snprintf(comment, sizeof comment, "hiroba-cap id=%s", id);
        return sign_bytes(f->a, doc, len, comment);
    default:
        return sign_bytes(f->a, doc, len, comment);
    }
}

/* ---- Looking at the state ---- */

/* The identifiers shown, in order, as "a,b". */
static void shown(struct fixture *f, char *out, size_t size)
{
    alerts_snapshot *s = alerts_current(f->al);
    assert_non_null(s);
    out[0] = '\0';
    for (size_t i = 0; i < alerts_snapshot_count(s); i++) {
        const alerts_entry *e = alerts_snapshot_entry(s, i);
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", i ? "," : "", e->alert->identifier);
    }
    alerts_snapshot_unref(s);
}

struct rej_count {
    int64_t total;
    char newest[ALERTS_REASON_MAX];
    char newest_source[32];
};

static int count_rej(void *u, const store_rejection *r)
{
    struct rej_count *c = u;
    if (c->total == 0) {
        snprintf(c->newest, sizeof c->newest, "%s", r->reason);
        snprintf(c->newest_source, sizeof c->newest_source, "%s", r->source);
    }
    c->total += r->count;
    return 0;
}

static struct rej_count rejections(struct fixture *f)
{
    struct rej_count c = {0};
    assert_int_equal(store_rejections(f->st, 1000, count_rej, &c), 0);
    return c;
}

static int offer(struct fixture *f, const char *name, enum sig how, alerts_source source,
                 alerts_result *out)
{
    size_t len;
    const char *id;
    char *doc = doc_text(name, &len, &id);
    char *sig = signature(f, how, doc, len, id, source != ALERTS_SOURCE_NATIVE);
    int r = alerts_accept(f->al, doc, len, sig, sig ? strlen(sig) : 0, source, out);
    free(sig);
    free(doc);
    return r;
}

/* ---- The rules, as scenarios ---- */

struct step {
    const char *doc;
    enum sig sig;
    alerts_source source;
    alerts_outcome outcome;
    alerts_code code;
    const char *shown; /* identifiers on screen afterwards, in order */
};

struct scenario {
    const char *name;
    bool drills, tls;
    struct step steps[6];
};

#define NAT ALERTS_SOURCE_NATIVE
#define CAP ALERTS_SOURCE_CAP
#define TLS ALERTS_SOURCE_CAP_TLS

static const struct scenario scenarios[] = {
    {"accept", false, false, {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"}}},
    {"stock minisign comment",
     false,
     false,
     {{"a1", SIG_STOCK, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"}}},
    {"update replaces",
     false,
     false,
     {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"},
      {"b1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1,b1"},
      {"u1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "u1,b1"},
      {"u2", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "u2,b1"}}},
    {"cancel removes",
     false,
     false,
     {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"},
      {"b1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1,b1"},
      {"c1", SIG_GOOD, NAT, ALERTS_CANCELLED, ALERTS_OK, "b1"}}},
    {"cancel ends the whole chain",
     false,
     false,
     {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"},
      {"u1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "u1"},
      {"c1", SIG_GOOD, NAT, ALERTS_CANCELLED, ALERTS_OK, ""}}},
    {"replay after cancel",
     false,
     false,
     {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"},
      {"c1", SIG_GOOD, NAT, ALERTS_CANCELLED, ALERTS_OK, ""},
      {"a1", SIG_GOOD, NAT, ALERTS_REFUSED, ALERTS_ERR_REPLAY, ""},
      {"u1", SIG_GOOD, NAT, ALERTS_REFUSED, ALERTS_ERR_OLDER, ""}}},
    {"replay of a replaced alert",
     false,
     false,
     {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"},
      {"u1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "u1"},
      {"a1", SIG_GOOD, NAT, ALERTS_REFUSED, ALERTS_ERR_REPLAY, "u1"}}},
    {"older than the cancel",
     false,
     false,
     {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"},
      {"c1", SIG_GOOD, NAT, ALERTS_CANCELLED, ALERTS_OK, ""},
      {"u0", SIG_GOOD, NAT, ALERTS_REFUSED, ALERTS_ERR_OLDER, ""}}},
    {"older than a cancel elsewhere in the chain",
     false,
     false,
     {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"},
      {"u1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "u1"},
      {"cu", SIG_GOOD, NAT, ALERTS_CANCELLED, ALERTS_OK, ""},
      {"u0", SIG_GOOD, NAT, ALERTS_REFUSED, ALERTS_ERR_OLDER, ""}}},
    {"older than the update",
     false,
     false,
     {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"},
      {"u0", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "u0"},
      {"u1", SIG_GOOD, NAT, ALERTS_REFUSED, ALERTS_ERR_OLDER, "u0"}}},
    {"a cancel that overtook its alert",
     false,
     false,
     {{"c1", SIG_GOOD, NAT, ALERTS_CANCELLED, ALERTS_OK, ""},
      {"a1", SIG_GOOD, NAT, ALERTS_REFUSED, ALERTS_ERR_REPLAY, ""}}},
    {"duplicate is a no-op",
     false,
     false,
     {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"},
      {"a1", SIG_GOOD, NAT, ALERTS_DUPLICATE, ALERTS_OK, "a1"},
      {"c1", SIG_GOOD, NAT, ALERTS_CANCELLED, ALERTS_OK, ""},
      {"c1", SIG_GOOD, NAT, ALERTS_DUPLICATE, ALERTS_OK, ""}}},
    {"drills off", false, false, {{"d1", SIG_GOOD, NAT, ALERTS_REFUSED, ALERTS_ERR_DRILL, ""}}},
    {"drills on",
     true,
     false,
     {{"b1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "b1"},
      {"d1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "d1,b1"},
      {"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1,d1,b1"}}},
    {"a drill never cancels a real alert",
     true,
     false,
     {{"a1", SIG_GOOD, NAT, ALERTS_SHOWN, ALERTS_OK, "a1"},
      {"dc", SIG_GOOD, NAT, ALERTS_CANCELLED, ALERTS_OK, "a1"},
      {"c1", SIG_GOOD, NAT, ALERTS_CANCELLED, ALERTS_OK, ""}}},
    {"test, draft, system ignored",
     true,
     false,
     {{"t1", SIG_GOOD, NAT, ALERTS_IGNORED, ALERTS_OK, ""},
      {"x1", SIG_GOOD, NAT, ALERTS_IGNORED, ALERTS_OK, ""},
      {"s1", SIG_GOOD, NAT, ALERTS_IGNORED, ALERTS_OK, ""},
      {"t1", SIG_GOOD, NAT, ALERTS_DUPLICATE, ALERTS_OK, ""},
      {"cap:ja-test.cap", SIG_GOOD, CAP, ALERTS_IGNORED, ALERTS_OK, ""}}},
    {"expired on arrival",
     false,
     false,
     {{"e1", SIG_GOOD, NAT, ALERTS_REFUSED, ALERTS_ERR_EXPIRED, ""}}},
    {"CAP chain",
     false,
     false,
     {{"cap:ja-evacuation.cap", SIG_GOOD, CAP, ALERTS_SHOWN, ALERTS_OK, "JP-KOBE-2026-0042"},
      {"cap:ja-update.cap", SIG_GOOD, CAP, ALERTS_SHOWN, ALERTS_OK, "JP-KOBE-2026-0043"},
      {"cap:ja-cancel.cap", SIG_GOOD, CAP, ALERTS_CANCELLED, ALERTS_OK, ""},
      {"cap:ja-evacuation.cap", SIG_GOOD, CAP, ALERTS_REFUSED, ALERTS_ERR_REPLAY, ""}}},
    {"CAP drill expired",
     true,
     false,
     {{"cap:ja-drill.cap", SIG_GOOD, CAP, ALERTS_REFUSED, ALERTS_ERR_EXPIRED, ""}}},
    {"spoofing",
     false,
     false,
     {{"a1", SIG_NONE, NAT, ALERTS_REFUSED, ALERTS_ERR_UNSIGNED, ""},
      {"a1", SIG_UNTRUSTED, NAT, ALERTS_REFUSED, ALERTS_ERR_WRONG_KEY, ""},
      {"a1", SIG_OTHER_DOC, NAT, ALERTS_REFUSED, ALERTS_ERR_BAD_SIGNATURE, ""},
      {"a1", SIG_TRUNCATED, NAT, ALERTS_REFUSED, ALERTS_ERR_SIGNATURE_FORMAT, ""},
      {"a1", SIG_OTHER_CHANNEL, NAT, ALERTS_REFUSED, ALERTS_ERR_WRONG_TARGET, ""},
      {"a1", SIG_OTHER_ID, NAT, ALERTS_REFUSED, ALERTS_ERR_WRONG_TARGET, ""}}},
    {"spoofing CAP",
     false,
     false,
     {{"cap:ja-evacuation.cap", SIG_NONE, CAP, ALERTS_REFUSED, ALERTS_ERR_UNSIGNED, ""},
      {"cap:ja-evacuation.cap", SIG_NONE, TLS, ALERTS_REFUSED, ALERTS_ERR_UNTRUSTED_SOURCE, ""},
      {"cap:ja-evacuation.cap", SIG_OTHER_ID, CAP, ALERTS_REFUSED, ALERTS_ERR_WRONG_TARGET, ""},
      {"cap:ja-evacuation.cap", SIG_CROSS, CAP, ALERTS_REFUSED, ALERTS_ERR_WRONG_TARGET, ""},
      {"a1", SIG_CROSS, NAT, ALERTS_REFUSED, ALERTS_ERR_WRONG_TARGET, ""},
      /* Signed, but served where the other kind is expected: it does not parse. */
      {"cap:ja-evacuation.cap", SIG_GOOD, NAT, ALERTS_REFUSED, ALERTS_ERR_INVALID, ""}}},
    {"trusted TLS source",
     false,
     true,
     {{"cap:ja-evacuation.cap", SIG_NONE, TLS, ALERTS_SHOWN, ALERTS_OK, "JP-KOBE-2026-0042"},
      {"cap:ja-cancel.cap", SIG_UNTRUSTED, TLS, ALERTS_REFUSED, ALERTS_ERR_WRONG_KEY,
       "JP-KOBE-2026-0042"},
      {"cap:ja-cancel.cap", SIG_GOOD, TLS, ALERTS_CANCELLED, ALERTS_OK, ""}}},
};

static void test_scenarios(void **state)
{
    for (size_t s = 0; s < sizeof scenarios / sizeof scenarios[0]; s++) {
        const struct scenario *sc = &scenarios[s];
        /* A fresh state each time: setup by hand, as cmocka runs this test once. */
        void *fresh;
        assert_int_equal(setup(&fresh), 0);
        struct fixture *f = fresh;
        f->drills = sc->drills;
        f->tls = sc->tls;
        load(f);
        for (size_t i = 0; i < sizeof sc->steps / sizeof sc->steps[0] && sc->steps[i].doc; i++) {
            const struct step *st = &sc->steps[i];
            struct rej_count before = rejections(f);
            alerts_result res;
            int r = offer(f, st->doc, st->sig, st->source, &res);
            char got[512];
            shown(f, got, sizeof got);
            if (res.outcome != st->outcome || res.code != st->code || strcmp(got, st->shown) != 0)
                fail_msg("%s, step %zu (%s): got %s/%s shown \"%s\" (%s), want %s/%s shown \"%s\"",
                         sc->name, i + 1, st->doc, alerts_outcome_name(res.outcome),
                         alerts_code_name(res.code), got, res.reason,
                         alerts_outcome_name(st->outcome), alerts_code_name(st->code), st->shown);
            bool taken = st->outcome != ALERTS_REFUSED && st->outcome != ALERTS_FAILED;
            assert_int_equal(r, taken ? 0 : -1);
            struct rej_count after = rejections(f);
            if (st->outcome == ALERTS_REFUSED) {
                /* Recorded once for the staff view, with the reason returned. */
                assert_int_equal(after.total, before.total + 1);
                assert_string_equal(after.newest_source, "alerts");
                assert_string_equal(after.newest, res.reason);
                assert_false(res.repeat);
                /* The same bytes again (signatures are deterministic): the same
                 * answer, not recorded or logged again. */
                alerts_result again;
                assert_int_equal(offer(f, st->doc, st->sig, st->source, &again), -1);
                assert_true(again.repeat);
                assert_int_equal(again.code, st->code);
                assert_string_equal(again.reason, res.reason);
                assert_int_equal(rejections(f).total, after.total);
            } else {
                assert_int_equal(after.total, before.total);
            }
        }
        teardown(&fresh);
    }
    (void)state;
}

/* ---- Beyond the table ---- */

static void test_reasons_name_the_problem(void **state)
{
    struct fixture *f = *state;
    load(f);
    static const struct {
        enum sig sig;
        const char *words;
    } cases[] = {
        {SIG_NONE, "unsigned"},
        {SIG_UNTRUSTED, "wrong key"},
        {SIG_OTHER_DOC, "another document"},
        {SIG_TRUNCATED, "malformed signature"},
        {SIG_OTHER_CHANNEL, "channel 'kita'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        alerts_result res;
        assert_int_equal(offer(f, "a1", cases[i].sig, NAT, &res), -1);
        if (!strstr(res.reason, cases[i].words) || !strstr(res.reason, "native alert"))
            fail_msg("reason \"%s\" lacks \"%s\"", res.reason, cases[i].words);
    }
    alerts_result res;
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), 0);
    assert_int_equal(offer(f, "c1", SIG_GOOD, NAT, &res), 0);
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), -1);
    assert_non_null(strstr(res.reason, "replay of a cancelled alert"));
    assert_non_null(strstr(res.reason, "c1"));
    assert_int_equal(offer(f, "u0", SIG_GOOD, NAT, &res), -1);
    assert_non_null(strstr(res.reason, "older than the Cancel"));
}

static void test_signed_bytes_exactly(void **state)
{
    /* One byte more (a trailing newline a proxy might add) is another document. */
    struct fixture *f = *state;
    load(f);
    size_t len;
    const char *id;
    char *doc = doc_text("a1", &len, &id);
    char *sig = signature(f, SIG_GOOD, doc, len, id, false);
    char *more = malloc(len + 2);
    memcpy(more, doc, len);
    more[len] = '\n';
    alerts_result res;
    assert_int_equal(alerts_accept(f->al, more, len + 1, sig, strlen(sig), NAT, &res), -1);
    assert_int_equal(res.code, ALERTS_ERR_BAD_SIGNATURE);
    assert_int_equal(alerts_accept(f->al, doc, len, sig, strlen(sig), NAT, &res), 0);
    assert_int_equal(res.outcome, ALERTS_SHOWN);
    /* Too large and empty documents are refused before anything else. */
    assert_int_equal(alerts_accept(f->al, doc, 0, sig, strlen(sig), NAT, &res), -1);
    assert_int_equal(res.code, ALERTS_ERR_TOO_LARGE);
    char *huge = calloc(1, ALERT_MAX_BYTES + 1);
    assert_int_equal(alerts_accept(f->al, huge, ALERT_MAX_BYTES + 1, sig, strlen(sig), NAT, &res),
                     -1);
    assert_int_equal(res.code, ALERTS_ERR_TOO_LARGE);
    free(huge);
    free(more);
    free(sig);
    free(doc);
}

static void test_self_reference(void **state)
{
    /* CAP does not forbid an Update naming itself among its references: it
     * replaces what else it names, and is shown. */
    struct fixture *f = *state;
    load(f);
    alerts_result res;
    assert_int_equal(offer(f, "cap:ja-evacuation.cap", SIG_GOOD, CAP, &res), 0);
    size_t len;
    const char *id;
    char *doc = doc_text("cap:ja-update.cap", &len, &id);
    const char *old_ref = "JP-KOBE-2026-0042,2026-11-24T10:00:00+09:00";
    char *at = strstr(doc, old_ref);
    assert_non_null(at);
    char *self = malloc(len + 256);
    snprintf(self, len + 256, "%.*sJP-KOBE-2026-0043,2026-11-24T14:00:00+09:00 %s%s",
             (int)(at - doc), doc, SENDER ",", at);
    char *sig = signature(f, SIG_GOOD, self, strlen(self), id, true);
    assert_int_equal(alerts_accept(f->al, self, strlen(self), sig, strlen(sig), CAP, &res), 0);
    assert_int_equal(res.outcome, ALERTS_SHOWN);
    assert_int_equal(res.ended, 1);
    char got[64];
    shown(f, got, sizeof got);
    assert_string_equal(got, "JP-KOBE-2026-0043");
    free(sig);
    free(self);
    free(doc);
}

static void test_snapshot_entry(void **state)
{
    struct fixture *f = *state;
    f->lang = "en";
    load(f);
    alerts_result res;
    assert_int_equal(offer(f, "b1", SIG_GOOD, NAT, &res), 0);
    assert_true(res.changed);
    uint64_t v1 = alerts_version(f->al);
    alerts_snapshot *s1 = alerts_current(f->al);
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), 0);
    assert_true(res.changed);
    assert_int_equal(res.action, ALERT_ACTION_TAKEOVER);
    assert_true(alerts_version(f->al) > v1);
    alerts_snapshot *s2 = alerts_current(f->al);
    assert_int_equal(alerts_snapshot_version(s2), alerts_version(f->al));
    /* The older snapshot is untouched by what came later. */
    assert_int_equal(alerts_snapshot_count(s1), 1);
    assert_string_equal(alerts_snapshot_entry(s1, 0)->alert->identifier, "b1");
    assert_int_equal(alerts_snapshot_count(s2), 2);
    const alerts_entry *e = alerts_snapshot_entry(s2, 0);
    assert_string_equal(e->alert->identifier, "a1");
    assert_int_equal(e->decision.action, ALERT_ACTION_TAKEOVER);
    assert_true(e->decision.full_screen);
    assert_string_equal(e->decision.info->language, "en");
    assert_string_equal(e->decision.info->headline, "Evacuation a1");
    assert_true(e->signed_by_key);
    /* The UI can take the decision again in another language. */
    alert_decision ja;
    alert_decide(e->alert, &(alert_policy){.language = "ja"}, e->decided_at, &ja);
    assert_string_equal(ja.info->headline, "避難情報 a1");
    /* Expires 22:00, decided at 19:30 with the host's monotonic clock at 1000. */
    assert_int_equal(e->until_mono_ms, 1000 + (int64_t)150 * 60 * 1000);
    assert_true(alerts_entry_live(e, 1000));
    assert_false(alerts_entry_live(e, e->until_mono_ms));
    assert_ptr_equal(alerts_snapshot_top(s2, 1000), e);
    assert_int_equal(alerts_snapshot_next_change(s2), e->until_mono_ms);
    assert_null(alerts_snapshot_entry(s2, 2));
    /* A duplicate or a tick with nothing due publishes nothing new. */
    uint64_t v2 = alerts_version(f->al);
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), 0);
    assert_false(res.changed);
    bool changed = true;
    assert_int_equal(alerts_tick(f->al, &changed), 0);
    assert_false(changed);
    assert_int_equal(alerts_version(f->al), v2);
    alerts_snapshot_unref(s1);
    alerts_snapshot_unref(s2);
    /* Held past the end of the state. */
    alerts_snapshot *s3 = alerts_current(f->al);
    alerts_unload(f->al);
    f->al = NULL;
    assert_string_equal(alerts_snapshot_entry(s3, 1)->alert->identifier, "b1");
    alerts_snapshot_unref(s3);
    alerts_snapshot_unref(NULL);
}

static void test_survives_reopen(void **state)
{
    struct fixture *f = *state;
    load(f);
    alerts_result res;
    assert_int_equal(offer(f, "b1", SIG_GOOD, NAT, &res), 0);
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), 0);
    assert_int_equal(offer(f, "n1", SIG_GOOD, NAT, &res), 0);
    assert_int_equal(offer(f, "c1", SIG_GOOD, NAT, &res), 0);
    assert_int_equal(offer(f, "cap:ja-evacuation.cap", SIG_GOOD, CAP, &res), 0);
    /* A restart: the store is closed and opened again too. */
    alerts_unload(f->al);
    f->al = NULL;
    store_close(f->st);
    f->st = store_open(f->data, f->store_clock);
    assert_non_null(f->st);
    load(f);
    char got[256];
    shown(f, got, sizeof got);
    assert_string_equal(got, "JP-KOBE-2026-0042,b1,n1");
    alerts_snapshot *s = alerts_current(f->al);
    assert_int_equal(alerts_snapshot_entry(s, 0)->decision.action, ALERT_ACTION_TAKEOVER);
    assert_int_equal(alerts_snapshot_entry(s, 2)->until_mono_ms, ALERTS_MONO_NEVER);
    alerts_snapshot_unref(s);
    /* What was cancelled before the restart stays cancelled. */
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), -1);
    assert_int_equal(res.code, ALERTS_ERR_REPLAY);

    /* A key removed from the config: its alerts are no longer shown. */
    trust_keyring *empty = trust_keyring_create();
    trust_keyring *keys = f->keys;
    f->keys = empty;
    reopen(f, NULL);
    shown(f, got, sizeof got);
    assert_string_equal(got, "");
    f->keys = keys;
    trust_keyring_destroy(empty);
    reopen(f, NULL);
    shown(f, got, sizeof got);
    assert_string_equal(got, "JP-KOBE-2026-0042,b1,n1");
}

static void test_tls_rows_need_trust_at_start(void **state)
{
    struct fixture *f = *state;
    f->tls = true;
    load(f);
    alerts_result res;
    assert_int_equal(offer(f, "cap:ja-evacuation.cap", SIG_NONE, TLS, &res), 0);
    alerts_snapshot *s = alerts_current(f->al);
    assert_false(alerts_snapshot_entry(s, 0)->signed_by_key);
    alerts_snapshot_unref(s);
    char got[128];
    f->tls = false;
    reopen(f, NULL);
    shown(f, got, sizeof got);
    assert_string_equal(got, "");
    f->tls = true;
    reopen(f, NULL);
    shown(f, got, sizeof got);
    assert_string_equal(got, "JP-KOBE-2026-0042");
}

static void row_state(struct fixture *f, const char *id, const char *want)
{
    store_alert row;
    assert_int_equal(store_alert_get(f->st, SENDER, id, &row), 0);
    if (strcmp(row.state, want) != 0)
        fail_msg("%s is %s, want %s", id, row.state, want);
    if (strcmp(want, "active") != 0)
        assert_null(row.document);
    store_alert_clear(&row);
}

static void test_expiry_synchronised(void **state)
{
    struct fixture *f = *state;
    load(f);
    alerts_result res;
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), 0);
    row_state(f, "a1", "active");
    reopen(f, DAY "21:59:59+09:00");
    char got[64];
    shown(f, got, sizeof got);
    assert_string_equal(got, "a1");
    reopen(f, DAY "22:00:00+09:00");
    shown(f, got, sizeof got);
    assert_string_equal(got, "");
    row_state(f, "a1", "expired");
    /* Expired is not cancelled: offered again it is a quiet duplicate. */
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), 0);
    assert_int_equal(res.outcome, ALERTS_DUPLICATE);
}

static void test_expiry_unsynchronised(void **state)
{
    struct fixture *f = *state;
    /* The wall clock says 2031: it is not synchronised, so it is not believed. */
    clock_destroy(f->clock);
    f->clock = clock_create("2031-01-01T00:00:00+09:00");
    f->host.synced = false;
    f->host.mono = 50000;
    load(f);
    alerts_result res;
    /* b1: sent 11:00, expires 22:00: 11 hours from its receipt at the latest. */
    assert_int_equal(offer(f, "b1", SIG_GOOD, NAT, &res), 0);
    assert_int_equal(res.outcome, ALERTS_SHOWN);
    alerts_snapshot *s = alerts_current(f->al);
    const int64_t life = (int64_t)11 * 3600 * 1000;
    assert_int_equal(alerts_snapshot_entry(s, 0)->until_mono_ms, 50000 + life);
    alerts_snapshot_unref(s);
    char got[64];
    bool changed;
    f->host.mono = 50000 + life - 1000;
    assert_int_equal(alerts_tick(f->al, &changed), 0);
    shown(f, got, sizeof got);
    assert_string_equal(got, "b1");
    f->host.mono = 50000 + life;
    assert_int_equal(alerts_tick(f->al, &changed), 0);
    assert_true(changed);
    shown(f, got, sizeof got);
    assert_string_equal(got, "");
    row_state(f, "b1", "expired");

    /* After a reboot, still unsynchronised: never earlier than this boot's
     * own time allows (the true time has passed at least that much). */
    f->host.mono = 60000;
    assert_int_equal(offer(f, "u1", SIG_GOOD, NAT, &res), 0); /* sent 12:00, expires 22:00 */
    const int64_t life_u1 = (int64_t)10 * 3600 * 1000;
    f->host.mono = 1000;
    snprintf(f->host.boot, sizeof f->host.boot, "boot-2");
    reopen(f, NULL);
    shown(f, got, sizeof got);
    assert_string_equal(got, "u1");
    s = alerts_current(f->al);
    assert_int_equal(alerts_snapshot_entry(s, 0)->until_mono_ms, life_u1);
    alerts_snapshot_unref(s);
    f->host.mono = life_u1 - 1000;
    assert_int_equal(alerts_tick(f->al, &changed), 0);
    shown(f, got, sizeof got);
    assert_string_equal(got, "u1");
    /* The clock becomes synchronised: now it is believed (2031: long over). */
    f->host.synced = true;
    assert_int_equal(alerts_tick(f->al, &changed), 0);
    assert_true(changed);
    shown(f, got, sizeof got);
    assert_string_equal(got, "");
    row_state(f, "u1", "expired");
}

static void test_expiry_received_synchronised(void **state)
{
    /* Received with a good clock at 21:00; then the clock loses its sync and
     * the kiosk reboots: an hour of this boot's time ends a1 (22:00). */
    struct fixture *f = *state;
    clock_destroy(f->clock);
    f->clock = clock_create(DAY "21:00:00+09:00");
    load(f);
    alerts_result res;
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), 0);
    f->host.synced = false;
    f->host.mono = 10;
    snprintf(f->host.boot, sizeof f->host.boot, "boot-2");
    reopen(f, "2020-01-01T00:00:00+09:00");
    char got[64];
    shown(f, got, sizeof got);
    assert_string_equal(got, "a1");
    f->host.mono = 3600 * 1000;
    bool changed;
    assert_int_equal(alerts_tick(f->al, &changed), 0);
    shown(f, got, sizeof got);
    assert_string_equal(got, "");
}

/* ---- The table stays bounded, and replay protection with it ---- */

static void test_bounded(void **state)
{
    struct fixture *f = *state;
    load(f);
    alerts_result res;
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), 0);
    char doc[512], comment[128];
    char first[512] = "";
    char *first_sig = NULL;
    /* 520 Test messages one second apart from 10:00:00. */
    for (int i = 0; i < ALERTS_KEPT + 20; i++) {
        snprintf(doc, sizeof doc,
                 "{\"format\":1,\"id\":\"t-%d\",\"sender\":\"" SENDER "\",\"sent\":\"" DAY
                 "10:%02d:%02d+09:00\",\"status\":\"Test\",\"msgType\":\"Alert\","
                 "\"severity\":\"Minor\",\"urgency\":\"Future\",\"title\":{\"ja\":\"試験\"}}",
                 i, i / 60, i % 60);
        snprintf(comment, sizeof comment, "hiroba-alert channel=" CHANNEL " id=t-%d", i);
        char *sig = sign_bytes(f->a, doc, strlen(doc), comment);
        assert_int_equal(alerts_accept(f->al, doc, strlen(doc), sig, strlen(sig), NAT, &res), 0);
        assert_int_equal(res.outcome, ALERTS_IGNORED);
        if (i == 0) {
            snprintf(first, sizeof first, "%s", doc);
            first_sig = sig;
        } else {
            free(sig);
        }
    }
    char path[160];
    snprintf(path, sizeof path, "%s/" STORE_FILE_NAME, f->data);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM alerts", -1, &stmt, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    /* 500 kept plus the active a1 (older than all of them, never forgotten). */
    assert_int_equal(sqlite3_column_int(stmt, 0), ALERTS_KEPT + 1);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    int64_t horizon;
    assert_int_equal(store_alerts_horizon(f->st, &horizon), 0);
    clock_time t;
    /* a1 (active) and t-20 .. t-519 are kept; t-19 was the newest forgotten. */
    assert_int_equal(clock_parse_iso8601(DAY "10:00:19+09:00", &t), 0);
    assert_int_equal(horizon, t.sec);
    /* A forgotten identifier offered again is refused by the horizon. */
    assert_int_equal(
        alerts_accept(f->al, first, strlen(first), first_sig, strlen(first_sig), NAT, &res), -1);
    assert_int_equal(res.code, ALERTS_ERR_HORIZON);
    free(first_sig);
    char got[64];
    shown(f, got, sizeof got);
    assert_string_equal(got, "a1");
}

/* ---- The schema holds the promises even against hand-typed SQL ---- */

static void test_schema_guards(void **state)
{
    struct fixture *f = *state;
    load(f);
    alerts_result res;
    assert_int_equal(offer(f, "a1", SIG_GOOD, NAT, &res), 0);
    assert_int_equal(offer(f, "b1", SIG_GOOD, NAT, &res), 0);
    assert_int_equal(offer(f, "c1", SIG_GOOD, NAT, &res), 0);
    char path[160];
    snprintf(path, sizeof path, "%s/" STORE_FILE_NAME, f->data);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    static const char *const attacks[] = {
        "UPDATE alerts SET state = 'active', document = 'x' WHERE identifier = 'a1'",
        "INSERT OR REPLACE INTO alerts (sender, identifier, thread_sender, thread_identifier,"
        " sent, status, msg_type, source, state, received_at_ms, received_synced,"
        " received_boot, received_mono_ms, document) SELECT sender, identifier, sender,"
        " identifier, sent, 'Actual', 'Alert', 'native', 'active', 0, 1, '', 0, 'x'"
        " FROM alerts WHERE identifier = 'a1'",
        "DELETE FROM alerts WHERE identifier = 'b1'",
        "UPDATE alerts SET identifier = 'zz' WHERE identifier = 'a1'",
        "UPDATE alerts SET state = 'active' WHERE identifier = 'c1'",
    };
    for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++)
        if (sqlite3_exec(db, attacks[i], NULL, NULL, NULL) != SQLITE_CONSTRAINT)
            fail_msg("not refused: %s (%s)", attacks[i], sqlite3_errmsg(db));
    sqlite3_close(db);
    row_state(f, "a1", "cancelled");
    row_state(f, "b1", "active");
}

/* ---- A UI thread reading while the network thread writes ---- */

struct reader {
    alerts *al;
    atomic_bool stop;
    uint64_t reads;
};

static void *read_loop(void *u)
{
    struct reader *r = u;
    while (!atomic_load(&r->stop)) {
        alerts_snapshot *s = alerts_current(r->al);
        for (size_t i = 0; i < alerts_snapshot_count(s); i++) {
            const alerts_entry *e = alerts_snapshot_entry(s, i);
            if (!e->alert->identifier[0] || !e->decision.info)
                abort();
        }
        alerts_snapshot_unref(s);
        r->reads++;
    }
    return NULL;
}

static void test_reader_thread(void **state)
{
    struct fixture *f = *state;
    f->drills = true;
    load(f);
    struct reader r = {.al = f->al};
    atomic_init(&r.stop, false);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, read_loop, &r), 0);
    static const char *const seq[] = {"a1", "b1", "d1", "u1", "u2", "c1", "n1"};
    alerts_result res;
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
        assert_int_equal(offer(f, seq[i], SIG_GOOD, NAT, &res), 0);
    atomic_store(&r.stop, true);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_true(r.reads > 0);
    char got[64];
    shown(f, got, sizeof got);
    assert_string_equal(got, "d1,b1,n1");
}

static void test_bad_arguments(void **state)
{
    struct fixture *f = *state;
    assert_null(alerts_load(NULL));
    assert_null(alerts_load(&(alerts_config){.keys = f->keys}));
    assert_null(alerts_load(&(alerts_config){.store = f->st}));
    assert_null(alerts_current(NULL));
    alerts_unload(NULL);
    alerts_result res;
    assert_int_equal(alerts_accept(NULL, "x", 1, NULL, 0, NAT, &res), -1);
    assert_int_equal(res.outcome, ALERTS_FAILED);
    assert_string_equal(alerts_code_name(ALERTS_ERR_DRILL), "drill");
    assert_string_equal(alerts_outcome_name(ALERTS_CANCELLED), "cancelled");
}

static int setup_quiet(void **state)
{
    log_set_level(LOG_LEVEL_ERROR);
    return setup(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenarios),
        cmocka_unit_test_setup_teardown(test_reasons_name_the_problem, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_signed_bytes_exactly, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_self_reference, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_entry, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_survives_reopen, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_tls_rows_need_trust_at_start, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_expiry_synchronised, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_expiry_unsynchronised, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_expiry_received_synchronised, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_bounded, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_schema_guards, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_reader_thread, setup_quiet, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup_quiet, teardown),
    };
    log_set_level(LOG_LEVEL_ERROR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
