/* alerts: the kiosk's emergency alert STATE (alert.h is the parser). It takes
 * each document a poller fetched, with the signature fetched beside it,
 * verifies it (minisign over the exact bytes), parses it, decides, and
 * applies it to the durable state in the store (table alerts); it answers
 * "what is on screen now" with an immutable, reference-counted snapshot the
 * UI thread can hold as long as it likes. It never fetches, never draws,
 * and never shows anything that did not pass every check below.
 *
 * Where documents come from (hiroba-pack alert publish / sign-cap write them):
 *   native  the pack's feeds.alerts URL (PUBLISH/alerts/<channel>.json),
 *           signature at the same URL + ".minisig"; always required.
 *   CAP     the pack's feeds.cap URL, signature at URL + ".minisig" (made by
 *           the city's relay with hiroba-pack alert sign-cap); required unless
 *           the config marks that source as trusted and it was fetched over
 *           TLS with the peer verified (ALERTS_SOURCE_CAP_TLS). A signature
 *           that is present is always checked, whatever the source.
 * A hiroba trusted comment binds a signature further: "hiroba-alert
 * channel=C id=I" (publish, cancel) must name this kiosk's channel and the
 * document's identifier, "hiroba-cap id=I" (sign-cap) the identifier; a
 * native alert signed for another channel is refused, so one channel's alert
 * cannot be replayed at another's URL. Signatures made by the stock minisign
 * carry its own comment and are accepted on the signature alone.
 *
 * The rules, in the order they are checked (each refusal has a code, a
 * reason, a log line and a store_reject("alerts", reason) entry; the same
 * refused bytes offered again are not recorded twice):
 *   1. size, signature (unsigned, malformed, wrong key, bad signature: the
 *      signature of another document or altered bytes), trusted comment;
 *   2. the document parses (alert.h) as the kind its source serves;
 *   3. (sender, identifier) already seen: a no-op (ALERTS_DUPLICATE, silent),
 *      unless that alert was cancelled or replaced: a replay, refused;
 *      not seen but sent no later than the horizon (the newest sent time of
 *      the forgotten rows): refused, it may be a forgotten one's replay;
 *   4. the decision (alert_decide): Test, Draft, System, Ack and Error are
 *      logged (not recorded as refusals: they are normal traffic) and
 *      remembered as ignored, never shown, never ending anything; Exercise
 *      is refused unless the policy allows drills; a document whose every
 *      info block has expired is refused;
 *   5. an Update or Cancel sent before the newest Cancel or Update that
 *      already ended part of a chain it references is refused (older than
 *      the cancel: an old Update never undoes a newer one or a Cancel);
 *   6. applied in one store transaction: an Update replaces what it
 *      references, a Cancel ends it, each together with the rest of its chain
 *      sent no later than the message; references never seen are remembered
 *      as ended (a Cancel that overtook its alert); an Exercise message never
 *      ends a real alert. An ended alert never comes back (also enforced by
 *      triggers in the schema).
 * The table keeps the newest ALERTS_KEPT rows and every active one. The
 * trade-off: forgetting rows keeps the database small on an SD card, and the
 * horizon keeps replay protection for what was forgotten, at the price of
 * refusing a message never seen that claims to be older than the newest
 * forgotten one (a late or misdated message: after 500 newer ones, stale).
 *
 * Time. With a synchronised clock, now is the clock. Without one, an alert's
 * "now" is a lower bound of the true time: its receipt time (the clock's,
 * if it was synchronised then, else the alert's sent time) plus the
 * monotonic time elapsed since, within the same boot (boot_id), or plus
 * this boot's monotonic time after a reboot. So an unsynchronised clock can
 * make an alert stay longer, never go early: the safe side.
 *
 * Threads: the alerts object belongs to one thread (the network thread),
 * with a store handle of that thread: load, accept, tick and unload are
 * called from it only. Object and handle may change hands together while no
 * call runs (alerter.h: main loads them before the first frame, hands them to
 * the alerter's thread, and unloads them after joining it). alerts_current
 * may be called from any thread; a snapshot is immutable and may be handed
 * between threads (the hub). */
#ifndef HIROBA_APP_CORE_ALERTS_H
#define HIROBA_APP_CORE_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/alert.h"
#include "app/core/clock.h"
#include "app/core/store.h"
#include "app/core/trust.h"

#define ALERTS_KEPT       STORE_ALERTS_KEPT /* identifiers remembered (and every active one) */
#define ALERTS_SHOWN_MAX  32                /* entries in a snapshot, the most important first */
#define ALERTS_REASON_MAX 320
#define ALERTS_MONO_NEVER INT64_MAX /* until_mono_ms of an entry with no time limit known */

/* The trusted comments hiroba-pack signs with (printf formats): a native
 * alert's names the channel and the identifier, a CAP document's the
 * identifier. alerts_accept checks them (see above). */
#define ALERTS_COMMENT_NATIVE "hiroba-alert channel=%s id=%s"
#define ALERTS_COMMENT_CAP    "hiroba-cap id=%s"

typedef enum alerts_source {
    ALERTS_SOURCE_NATIVE,  /* feeds.alerts: a native JSON alert, signed */
    ALERTS_SOURCE_CAP,     /* feeds.cap: a CAP document, signed (sign-cap) */
    ALERTS_SOURCE_CAP_TLS, /* feeds.cap from a source the config trusts, fetched over
                              verified TLS: the signature may be absent */
} alerts_source;

typedef enum alerts_outcome {
    ALERTS_SHOWN,     /* stored as active: on screen now (an Update replaced what it names) */
    ALERTS_CANCELLED, /* a Cancel was applied */
    ALERTS_DUPLICATE, /* already seen: nothing changed, nothing logged */
    ALERTS_IGNORED,   /* understood, never shown (Test, Draft, System...): logged, remembered */
    ALERTS_REFUSED,   /* see code and reason; recorded for the staff view */
    ALERTS_FAILED,    /* could not complete (database, memory): offer it again later */
} alerts_outcome;

/* Why a document was refused. */
typedef enum alerts_code {
    ALERTS_OK = 0,
    ALERTS_ERR_TOO_LARGE,        /* empty, or more than ALERT_MAX_BYTES */
    ALERTS_ERR_UNSIGNED,         /* no signature, and the source is not a trusted TLS one */
    ALERTS_ERR_UNTRUSTED_SOURCE, /* ALERTS_SOURCE_CAP_TLS on a kiosk that trusts no TLS source */
    ALERTS_ERR_SIGNATURE_FORMAT, /* the .minisig is malformed or truncated */
    ALERTS_ERR_WRONG_KEY,        /* signed by a key this kiosk does not trust */
    ALERTS_ERR_BAD_SIGNATURE,    /* not a signature of these bytes (another document's, or
                                    the document or its trusted comment was altered) */
    ALERTS_ERR_WRONG_TARGET,     /* trusted comment names another channel, id or kind */
    ALERTS_ERR_INVALID,          /* the document does not parse (alert.h's reason) */
    ALERTS_ERR_REPLAY,           /* the alert was already cancelled or replaced */
    ALERTS_ERR_HORIZON,          /* sent before the horizon of forgotten alerts */
    ALERTS_ERR_OLDER,            /* older than the Cancel or Update that ended what it names */
    ALERTS_ERR_EXPIRED,          /* every info block has expired */
    ALERTS_ERR_DRILL,            /* an Exercise, and this kiosk does not show drills */
} alerts_code;

/* "ok", "too-large", "unsigned", "untrusted-source", "signature-format", "wrong-key",
 * "bad-signature", "wrong-target", "invalid", "replay", "horizon", "older", "expired",
 * "drill". */
const char *alerts_code_name(alerts_code code);
const char *alerts_outcome_name(alerts_outcome o); /* "shown", "cancelled", ... */

typedef struct alerts_result {
    alerts_outcome outcome;
    alerts_code code;    /* ALERTS_OK unless refused */
    bool changed;        /* the current snapshot changed: publish it */
    bool repeat;         /* the same refused bytes as before: not recorded again */
    alert_action action; /* what alert_decide said (REJECT when it did not parse) */
    size_t ended;        /* alerts this message cancelled or replaced */
    char identifier[ALERT_MAX_SHORT + 1]; /* the document's, "" when unparsed */
    char reason[ALERTS_REASON_MAX];       /* one line; "" for a duplicate */
} alerts_result;

/* The machine under the state: a monotonic clock and the boot it belongs to,
 * and whether the wall clock is synchronised. Tests replace it; NULL in
 * alerts_config means the real one (clock_monotonic_ms, boot_id from
 * /proc/sys/kernel/random/boot_id, clock_is_synchronised(config clock)). */
typedef struct alerts_host {
    int64_t (*monotonic_ms)(void *user); /* never goes back within a boot; starts near 0 */
    bool (*synchronised)(void *user);
    /* Writes this boot's id (NUL-terminated, < 40 bytes); "" when unknown. */
    void (*boot_id)(void *user, char *out, size_t size);
    void *user;
} alerts_host;

typedef struct alerts_config {
    store *store;              /* borrowed: a handle of the owning thread */
    const trust_keyring *keys; /* borrowed: the city's keys */
    const clock_source *clock; /* borrowed; NULL: the system clock */
    const char *channel;       /* this kiosk's channel (copied); NULL: not checked */
    alert_policy policy;       /* drills, language (copied) */
    bool cap_tls_trusted;      /* the config trusts a CAP source over verified TLS */
    const alerts_host *host;   /* borrowed; NULL: the real machine */
} alerts_config;

typedef struct alerts alerts;

/* Opens the alert state: every active row is read back from the store, its
 * signature verified again against cfg->keys (a row from a trusted TLS source
 * only while cap_tls_trusted), parsed and decided; rows whose time is up are
 * marked expired. The first snapshot is ready when this returns, so the
 * first frame after a restart can show an active alert without the network.
 * Returns NULL (logged) on bad arguments, out of memory or a database error;
 * a row that fails its checks is logged and left out, never fatal. */
alerts *alerts_load(const alerts_config *cfg);
/* NULL-safe. Snapshots still held elsewhere stay valid. */
void alerts_unload(alerts *al);

/* Offers one fetched document: doc[0..len) exactly as received, and the
 * text of its detached minisign signature sig[0..sig_len) (NULL when none was
 * found). Applies the rules above and fills *out (always). Returns 0 when the
 * document was taken into account (shown, cancelled, duplicate, ignored), -1
 * when refused or failed. Poller: after a refusal, drop the conditional
 * request validators (ETag, Last-Modified) of both URLs, so that a document
 * fetched between the writes of its two files is fetched again whole. */
int alerts_accept(alerts *al, const void *doc, size_t len, const char *sig, size_t sig_len,
                  alerts_source source, alerts_result *out);

/* Re-evaluates time: alerts whose time is up are marked expired, decisions
 * are taken again (an info block may have expired, the clock may have become
 * synchronised). The owning thread calls it every poll turn. *changed (may be
 * NULL) says whether the snapshot changed. Returns 0 or a store error. */
int alerts_tick(alerts *al, bool *changed);

/* ---- Snapshots: what the screen shows ---------------------------------------------- */

typedef struct alerts_snapshot alerts_snapshot;

typedef struct alerts_entry {
    const alert *alert;      /* the parsed document (owned by the snapshot) */
    alert_decision decision; /* TAKEOVER, BANNER or DRILL; .info points into alert */
    int64_t decided_at;      /* the "now" (epoch s) of the decision: give it to
                                alert_decide to choose the block of another language */
    int64_t received_at_ms;  /* wall clock at receipt */
    int64_t until_mono_ms;   /* hide once clock_monotonic_ms() reaches this (the host's
                                monotonic clock); ALERTS_MONO_NEVER: no limit known */
    bool signed_by_key;      /* false: from a trusted TLS source */
} alerts_entry;

/* A new reference to the newest snapshot (never NULL unless al is, or out of
 * memory). Thread-safe; cheap (a mutex and an atomic increment). */
alerts_snapshot *alerts_current(alerts *al);
/* Bumped with each new snapshot: a cheap "did anything change". Thread-safe. */
uint64_t alerts_version(alerts *al);

alerts_snapshot *alerts_snapshot_ref(alerts_snapshot *s);
void alerts_snapshot_unref(alerts_snapshot *s); /* NULL-safe */
/* Entries in order: full screen first (real before drill), then banners (real
 * before drill), newest sent first within each. At most ALERTS_SHOWN_MAX. */
size_t alerts_snapshot_count(const alerts_snapshot *s);
const alerts_entry *alerts_snapshot_entry(const alerts_snapshot *s, size_t i);
uint64_t alerts_snapshot_version(const alerts_snapshot *s);
/* The first entry still live at mono_now (clock_monotonic_ms()), or NULL. */
const alerts_entry *alerts_snapshot_top(const alerts_snapshot *s, int64_t mono_now);
/* Whether e is still to be shown at mono_now. */
bool alerts_entry_live(const alerts_entry *e, int64_t mono_now);
/* The earliest until_mono_ms of the entries (ALERTS_MONO_NEVER when none):
 * when the UI must look again even if nothing is published. */
int64_t alerts_snapshot_next_change(const alerts_snapshot *s);

#endif
