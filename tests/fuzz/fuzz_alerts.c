/* fuzz_alerts: libFuzzer target for the alert state (core/alerts): any
 * document, signed or not, with a trusted comment of the input's choosing,
 * goes through alerts_accept against a real store (SQLite in /dev/shm), so
 * the rules, the trusted-comment check, the SQL and the snapshots see what no
 * test thought of. Byte 0 chooses:
 *   bits 0-1  source: native, CAP, CAP over a trusted TLS source (3: native)
 *   bits 2-3  signature: good with the hiroba comment, none, an untrusted
 *             key's, or key A with the comment taken from the input (up to
 *             its first '\n', at most 200 bytes)
 *   bit 4     the clock is synchronised
 *   bit 5     the monotonic clock jumps a day (expiry while unsynchronised)
 * The rest is the document. Every 64 inputs the state is reopened from the
 * store (the start-up path); every 512 the store starts empty again, with
 * drills allowed every other time. The promises of alerts.h are checked and a
 * broken one aborts with a line saying which. */
#define _GNU_SOURCE /* nftw */
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/core/alerts.h"
#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/store.h"
#include "app/core/trust.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_alerts: invariant failed: %s (line %d)\n", #cond, __LINE__);     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static struct {
    char dir[64], data[96];
    clock_source *clock;
    trust_keyring *keys;
    trust_secret_key *a, *b;
    store *st;
    alerts *al;
    int64_t mono;
    bool synced;
    unsigned long inputs, epoch;
} F;

static int64_t host_mono(void *u)
{
    (void)u;
    return F.mono;
}

static bool host_synced(void *u)
{
    (void)u;
    return F.synced;
}

static void host_boot(void *u, char *out, size_t size)
{
    (void)u;
    snprintf(out, size, "fuzz-boot");
}

static const alerts_host host = {host_mono, host_synced, host_boot, NULL};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void open_state(bool fresh)
{
    alerts_unload(F.al);
    F.al = NULL;
    if (fresh) {
        store_close(F.st);
        nftw(F.data, rm_one, 8, FTW_DEPTH | FTW_PHYS);
        F.st = store_open(F.data, F.clock);
        CHECK(F.st != NULL);
        F.epoch++;
    }
    alerts_config cfg = {
        .store = F.st,
        .keys = F.keys,
        .clock = F.clock,
        .channel = "chuo",
        .policy = {.allow_drills = F.epoch % 2 == 0, .language = "ja"},
        .cap_tls_trusted = true,
        .host = &host,
    };
    F.al = alerts_load(&cfg);
    CHECK(F.al != NULL);
}

static void cleanup(void)
{
    alerts_unload(F.al);
    store_close(F.st);
    trust_keyring_destroy(F.keys);
    trust_secret_key_destroy(F.a);
    trust_secret_key_destroy(F.b);
    clock_destroy(F.clock);
    nftw(F.dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    log_set_level(LOG_LEVEL_ERROR);
    char path[160], err[TRUST_MESSAGE_MAX];
    snprintf(F.dir, sizeof F.dir, "%s/hiroba-fuzz-alerts-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    CHECK(mkdtemp(F.dir) != NULL);
    snprintf(F.data, sizeof F.data, "%s/data", F.dir);
    F.clock = clock_create("2026-11-24T12:00:00+09:00");
    F.keys = trust_keyring_create();
    CHECK(F.clock && F.keys);
    snprintf(path, sizeof path, "%s/a", F.dir);
    CHECK(trust_keygen(path, NULL, NULL, err, sizeof err) == 0);
    snprintf(path, sizeof path, "%s/a.key", F.dir);
    CHECK((F.a = trust_secret_key_load(path, NULL, err, sizeof err)) != NULL);
    snprintf(path, sizeof path, "%s/a.pub", F.dir);
    CHECK(trust_keyring_add_file(F.keys, path, err, sizeof err) == 0);
    snprintf(path, sizeof path, "%s/b", F.dir);
    CHECK(trust_keygen(path, NULL, NULL, err, sizeof err) == 0);
    snprintf(path, sizeof path, "%s/b.key", F.dir);
    CHECK((F.b = trust_secret_key_load(path, NULL, err, sizeof err)) != NULL);
    F.mono = 1000;
    F.synced = true;
    open_state(true);
    atexit(cleanup);
    return 0;
}

static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t len = c < 0x80                 ? 1
                     : c >= 0xC2 && c <= 0xDF ? 2
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4
                                              : 0;
        if (!len)
            return false;
        for (size_t k = 1; k < len; k++)
            if ((p[k] & 0xC0) != 0x80)
                return false;
        p += len;
    }
    return true;
}

/* The identifier of the document as alerts sees it, to find it on screen. */
static void check_snapshot(const alerts_result *res)
{
    alerts_snapshot *s = alerts_current(F.al);
    CHECK(s != NULL);
    size_t n = alerts_snapshot_count(s);
    CHECK(n <= ALERTS_SHOWN_MAX);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        const alerts_entry *e = alerts_snapshot_entry(s, i);
        const alert *a = e->alert;
        CHECK(a && a->identifier[0]);
        CHECK(e->decision.action == ALERT_ACTION_TAKEOVER ||
              e->decision.action == ALERT_ACTION_BANNER ||
              e->decision.action == ALERT_ACTION_DRILL);
        CHECK(e->decision.info >= a->info && e->decision.info < a->info + a->n_info);
        CHECK(a->status == ALERT_STATUS_ACTUAL || a->status == ALERT_STATUS_EXERCISE);
        CHECK(e->until_mono_ms > F.mono);
        if (i > 0) {
            const alerts_entry *p = alerts_snapshot_entry(s, i - 1);
            CHECK(p->decision.full_screen || !e->decision.full_screen);
        }
        if (strcmp(a->identifier, res->identifier) == 0)
            found = true;
    }
    if (res->outcome == ALERTS_SHOWN && n < ALERTS_SHOWN_MAX)
        CHECK(found);
    alerts_snapshot_unref(s);
}

static void check_result(const alerts_result *res, int r)
{
    CHECK(memchr(res->reason, '\0', sizeof res->reason) && utf8_ok(res->reason));
    CHECK(memchr(res->identifier, '\0', sizeof res->identifier));
    bool taken = res->outcome == ALERTS_SHOWN || res->outcome == ALERTS_CANCELLED ||
                 res->outcome == ALERTS_DUPLICATE || res->outcome == ALERTS_IGNORED;
    CHECK(taken == (r == 0));
    CHECK((res->outcome == ALERTS_REFUSED) == (res->code != ALERTS_OK));
    CHECK(res->outcome != ALERTS_FAILED);
    if (res->outcome == ALERTS_REFUSED)
        CHECK(res->reason[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (++F.inputs % 512 == 0)
        open_state(true);
    else if (F.inputs % 64 == 0)
        open_state(false);
    uint8_t flags = data[0];
    const char *doc = (const char *)data + 1;
    size_t len = size - 1;
    alerts_source source = (flags & 3) == 1   ? ALERTS_SOURCE_CAP
                           : (flags & 3) == 2 ? ALERTS_SOURCE_CAP_TLS
                                              : ALERTS_SOURCE_NATIVE;
    int sig_mode = (flags >> 2) & 3;
    F.synced = flags & 0x10;
    if (flags & 0x20)
        F.mono += 86400 * 1000;
    /* What the poller does every turn: time moves on first. */
    CHECK(alerts_tick(F.al, NULL) == 0);

    char comment[256];
    if (sig_mode == 3) {
        const char *nl = memchr(doc, '\n', len < 200 ? len : 200);
        size_t n = nl ? (size_t)(nl - doc) : 0;
        memcpy(comment, doc, n);
        comment[n] = '\0';
        if (strlen(comment) != n || strchr(comment, '\r')) /* no NUL or CR in a comment */
            return 0;
        doc += nl ? n + 1 : 0;
        len -= nl ? n + 1 : 0;
    } else {
        /* The document's identifier is unknown here: the comment names none. */
        snprintf(comment, sizeof comment, "fuzz");
    }
    char *sig = NULL, err[TRUST_MESSAGE_MAX];
    if (sig_mode != 1) {
        trust_sign_options o = {.trusted_comment = comment};
        CHECK(trust_sign(sig_mode == 2 ? F.b : F.a, doc, len, &o, &sig, err, sizeof err) == 0);
    }
    alerts_result res;
    int r = alerts_accept(F.al, doc, len, sig, sig ? strlen(sig) : 0, source, &res);
    check_result(&res, r);
    if (len == 0 || len > ALERT_MAX_BYTES)
        CHECK(res.code == ALERTS_ERR_TOO_LARGE);
    else if (sig_mode == 1 && source != ALERTS_SOURCE_CAP_TLS)
        CHECK(res.code == ALERTS_ERR_UNSIGNED);
    else if (sig_mode == 2)
        CHECK(res.code == ALERTS_ERR_WRONG_KEY);
    check_snapshot(&res);

    /* The same document again changes nothing. */
    uint64_t version = alerts_version(F.al);
    alerts_result again;
    int r2 = alerts_accept(F.al, doc, len, sig, sig ? strlen(sig) : 0, source, &again);
    check_result(&again, r2);
    if (res.outcome == ALERTS_REFUSED) {
        CHECK(again.outcome == ALERTS_REFUSED && again.repeat && again.code == res.code);
    } else {
        CHECK(again.outcome == ALERTS_DUPLICATE);
        CHECK(!again.changed && alerts_version(F.al) == version);
    }
    free(sig);
    return 0;
}
