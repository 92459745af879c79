/* store: the kiosk's durable state in one SQLite database, DATA/hiroba.db
 * (WAL, foreign keys, synchronous=FULL): verified manifests, the active and
 * previous version of each channel, the highest trusted version (which never
 * goes down, enforced by triggers as well as by this code), proof of play,
 * small key/value state, the recent rejections for the staff view, and the
 * emergency alerts seen (store_alerts.c).
 * It stores what it is given: it never parses or verifies manifests or
 * alerts and knows nothing of objects (the caller computes the keep set from
 * the manifests in use). SQLITE_BUSY never reaches the caller: waits for
 * another connection are absorbed by the busy timeout, and only a lock held
 * longer than STORE_BUSY_TIMEOUT_MS surfaces, as STORE_ERR_DB.
 *
 * Threads: one store per thread. Each thread that needs the database calls
 * store_open and keeps its own handle (its own SQLite connection); SQLite
 * serialises writers between connections and the busy timeout
 * (STORE_BUSY_TIMEOUT_MS) absorbs the waits. A handle must not be used by two
 * threads at once. The network thread does the writes that matter; the UI
 * thread logs proof of play, which never waits for a lock (see
 * store_log_play). */
#ifndef HIROBA_APP_CORE_STORE_H
#define HIROBA_APP_CORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/core/clock.h"

typedef struct store store;

#define STORE_FILE_NAME         "hiroba.db"
#define STORE_SCHEMA_VERSION    3
#define STORE_BUSY_TIMEOUT_MS   5000
#define STORE_REJECTIONS_KEPT   100
#define STORE_PLAYS_PENDING_MAX 256
#define STORE_CHANNEL_MAX       128        /* bytes, channel names */
#define STORE_ITEM_ID_MAX       256        /* bytes, proof-of-play item ids */
#define STORE_KV_KEY_MAX        2048       /* bytes: "etag:" + a URL fits */
#define STORE_KV_VALUE_MAX      65536      /* bytes: kv is for small state */
#define STORE_TEXT_MAX          4096       /* bytes, rejection source/reason */
#define STORE_MANIFEST_MAX      (16 << 20) /* bytes, manifest JSON */

/* Errors (all negative; 0 is success). */
enum store_error {
    STORE_ERR_DB = -1,        /* SQLite failed (logged with its message) */
    STORE_ERR_INVALID = -2,   /* bad argument: NULL, empty, too long, version < 1 */
    STORE_ERR_NOT_FOUND = -3, /* no such row */
    STORE_ERR_ROLLBACK = -4,  /* version lower than the active or highest trusted one */
    STORE_ERR_SAME = -5,      /* version equal to the active one */
    STORE_ERR_NOMEM = -6,
    STORE_ERR_SCHEMA = -7, /* database written by a newer hiroba */
    STORE_ERR_IO = -8,     /* writing the export failed */
};

const char *store_strerror(int err);

/* Opens (creating if needed) DATA/hiroba.db and brings its schema up to
 * STORE_SCHEMA_VERSION with forward-only migrations, each in its own
 * transaction. Refuses a database whose schema is newer than this build.
 * clock is borrowed until store_close (NULL: the system clock); it stamps
 * received_at, activated_at, updated_at and rejections. NULL (logged) on
 * failure. */
store *store_open(const char *data_dir, const clock_source *clock);
/* Writes any pending proof of play (waiting for the lock if it must), then
 * closes. st may be NULL. */
void store_close(store *st);

/* ---- manifests and activation ---- */

/* A stored manifest. Strings are malloc'ed and NUL-terminated; release with
 * store_manifest_clear. */
typedef struct store_manifest {
    char *channel;
    int64_t version;
    char *manifest_json; /* the verified document, as given */
    size_t manifest_len;
    char *signature;        /* as given (minisign text) */
    int64_t received_at_ms; /* epoch ms */
} store_manifest;

void store_manifest_clear(store_manifest *m);

/* The one switch, in ONE transaction: insert the manifest, refuse a version
 * that is not above the active one (STORE_ERR_SAME when equal,
 * STORE_ERR_ROLLBACK when lower, or lower than the highest trusted version),
 * raise trust_state.highest_version, make it active with the old active
 * version as previous, and drop the channel's manifests older than those two.
 * Either all of it is durable when this returns 0, or none of it happened.
 * Copies everything. manifest_json is stored as given (len bytes, no NUL
 * needed); signature is a C string. */
int store_activate(store *st, const char *channel, int64_t version, const char *manifest_json,
                   size_t manifest_len, const char *signature);

/* The active / previous manifest of channel. STORE_ERR_NOT_FOUND if none.
 * *out is cleared first, filled on success (caller clears). activated_at_ms
 * (may be NULL) receives when the active version was switched on. */
int store_get_active(store *st, const char *channel, store_manifest *out, int64_t *activated_at_ms);
int store_get_previous(store *st, const char *channel, store_manifest *out);

/* Calls fn for every manifest still in use: the active and the previous one
 * of every channel, from one consistent snapshot. The manifest is borrowed,
 * read-only, for the call only; fn must not write to this store. fn returns nonzero to
 * stop (returned as is). This is what the objects keep set is computed from:
 * objects are shared between channels. */
typedef int (*store_manifest_fn)(void *userdata, const store_manifest *m);
int store_manifests_in_use(store *st, store_manifest_fn fn, void *userdata);

/* The highest version ever trusted for channel (0 and STORE_ERR_NOT_FOUND
 * when none). */
int store_highest_version(store *st, const char *channel, int64_t *out);

/* Records that a manifest with this version was verified (signature good)
 * before it could be activated, so that an older one is refused from now on
 * even if this one never completes. Never lowers the value: a lower version
 * is a no-op that returns 0. */
int store_trust_raise(store *st, const char *channel, int64_t version);

/* ---- proof of play ---- */

/* Logs that item_id of (channel, version) was shown from started_at_ms
 * (epoch ms) for duration_ms. Meant for the UI thread: it never waits for
 * another connection's lock. The play is queued in this handle and written
 * when the database is free, now or at a later call (or at store_flush_plays
 * / store_close); only with STORE_PLAYS_PENDING_MAX plays queued does it wait.
 * Plays are committed without fsync (synchronous=NORMAL for these
 * transactions only): a power cut may lose the last few seconds of plays,
 * never a manifest or trust state. Copies its arguments. */
int store_log_play(store *st, const char *channel, int64_t version, const char *item_id,
                   int64_t started_at_ms, int64_t duration_ms);
/* Writes the queued plays, waiting for the lock if needed. */
int store_flush_plays(store *st);
/* How many plays are queued in this handle (tests, staff view). */
size_t store_plays_pending(const store *st);

/* Writes plays with from_ms <= started_at_ms < to_ms as CSV (RFC 4180, with
 * a header line: started_at_ms,started_at_utc,channel,version,item_id,
 * duration_ms), oldest first. Returns the number of rows (>= 0) or an error.
 * Only plays already written are seen: flush first if needed. */
int64_t store_plays_export(store *st, FILE *out, int64_t from_ms, int64_t to_ms);

/* Deletes plays that started more than keep_days before now. Does nothing
 * (returns 0) while the clock is not synchronised: a Pi that booted a year
 * ahead must not erase the log. Returns the number deleted or an error. */
int64_t store_plays_prune(store *st, int keep_days);

/* ---- small state ---- */

/* value is a C string (etag, last sync result...). Copies. NULL value
 * deletes the key. */
int store_kv_set(store *st, const char *key, const char *value);
/* *out receives a malloc'ed copy (caller frees), or NULL with
 * STORE_ERR_NOT_FOUND. updated_at_ms may be NULL. */
int store_kv_get(store *st, const char *key, char **out, int64_t *updated_at_ms);

/* ---- rejections (staff view) ---- */

/* Records why something was refused ("sync", "manifest version 7 is lower
 * than the active 8"). The same (source, reason) as the newest entry only
 * bumps its count and last time, so a bad server polled all month takes one
 * line. Keeps the last STORE_REJECTIONS_KEPT entries. Copies. */
int store_reject(store *st, const char *source, const char *reason);

typedef struct store_rejection {
    int64_t first_at_ms;
    int64_t last_at_ms;
    int64_t count;
    const char *source; /* borrowed for the callback only */
    const char *reason;
} store_rejection;

/* Calls fn for up to max rejections, newest first. fn returns nonzero to
 * stop (returned as is). */
typedef int (*store_rejection_fn)(void *userdata, const store_rejection *r);
int store_rejections(store *st, size_t max, store_rejection_fn fn, void *userdata);

/* ---- live feeds (store_feeds.c) ---- */

#define STORE_FEED_NAME_MAX 32          /* bytes: "queue", "vacancy" */
#define STORE_FEED_BODY_MAX (256 << 10) /* bytes, as FEEDS_MAX_BYTES */

/* The last good body of one feed. */
typedef struct store_feed {
    char *body; /* malloc'ed, NUL-terminated (len excludes the NUL) */
    size_t len;
    char url[STORE_KV_KEY_MAX];
    char etag[256];         /* "" when none */
    char last_modified[64]; /* "" when none */
    int64_t fetched_at_ms;  /* epoch ms the body arrived */
    int64_t checked_at_ms;  /* epoch ms the server last confirmed it (200 or 304) */
} store_feed;

/* Replaces name's row with a body that has passed its parser (200). Copies. */
int store_feed_put(store *st, const char *name, const char *url, const char *body, size_t len,
                   const char *etag, const char *last_modified, int64_t fetched_at_ms);
/* A 304 for name at url: only checked_at_ms moves. STORE_ERR_NOT_FOUND when
 * there is no row for that name and url. */
int store_feed_touch(store *st, const char *name, const char *url, int64_t checked_at_ms);
/* Fills *out (clear it with store_feed_clear). STORE_ERR_NOT_FOUND when there
 * is no row, or when url is not NULL and differs from the row's (a pack that
 * moved its feed elsewhere must not show the old place's numbers). */
int store_feed_get(store *st, const char *name, const char *url, store_feed *out);
void store_feed_clear(store_feed *f);

/* ---- usage counts (store_usage.c): what the city learns ---- */

#define STORE_USAGE_NAME_MAX    64 /* bytes, screen and page ids */
#define STORE_USAGE_PENDING_MAX 256

/* Counts one opening of screen (and page, "" or NULL for none) in language
 * lang at epoch second at_sec, in the hour that contains it. Anonymous by
 * construction: no time finer than the hour, nothing about who. UI thread:
 * never waits for a lock; counts are queued in the handle and written with
 * the queued plays (store_flush_plays, store_close, or when the database is
 * free). Does nothing (returns 0) while the clock is not synchronised: a
 * count in 1970 tells the city nothing. */
int store_usage_count(store *st, int64_t at_sec, const char *screen, const char *page,
                      const char *lang);
/* Writes every written count as CSV (RFC 4180), oldest hour first, with a
 * header line: hour_start (local ISO 8601 with offset, in tz; NULL: the
 * kiosk's zone),screen,page,lang,count. Returns rows written or an error. */
int64_t store_usage_export(store *st, FILE *out, const char *tz);

/* ---- emergency alerts (store_alerts.c) ---- */

/* The rows behind core/alerts: every alert identifier seen, what became of
 * it, and the verified document of each active one. The rules (what a
 * Cancel ends, what is a replay) are alerts.c's; this part stores their
 * outcome in one transaction, and the schema's triggers make sure that no
 * path can bring an ended alert back or reuse an identifier. */

#define STORE_ALERT_ID_MAX  256 /* bytes: sender, identifier (as ALERT_MAX_SHORT) */
#define STORE_ALERT_DOC_MAX (1u << 20)
#define STORE_ALERTS_KEPT   500 /* identifiers remembered for replay protection */

/* One row. Text fields are NUL-terminated. */
typedef struct store_alert {
    int64_t row; /* receipt order (0 when not stored yet) */
    char sender[STORE_ALERT_ID_MAX + 1];
    char identifier[STORE_ALERT_ID_MAX + 1];
    /* The first alert of the chain this one belongs to (itself for an Alert;
     * an Update or Cancel joins the chain of what it references). */
    char thread_sender[STORE_ALERT_ID_MAX + 1];
    char thread_identifier[STORE_ALERT_ID_MAX + 1];
    int64_t sent;    /* epoch s; 0 for a reference without a time */
    char status[16]; /* "Actual", "Exercise", ...; "" for a reference only */
    char msg_type[16];
    char source[16]; /* "native", "cap", "cap-tls", or "reference" (known only as
                        the target of a Cancel or Update) */
    char state[16];  /* "active", "cancelled", "replaced", "expired", "ignored",
                        "applied" (a Cancel message, once applied) */
    bool has_expires;
    int64_t expires;          /* epoch s: the latest expiry of its info blocks */
    int64_t received_at_ms;   /* wall clock at receipt */
    bool received_synced;     /* whether that clock was synchronised */
    char received_boot[40];   /* /proc/sys/kernel/random/boot_id at receipt ("" unknown) */
    int64_t received_mono_ms; /* monotonic ms at receipt (that boot's clock) */
    bool ended;
    char ended_by[STORE_ALERT_ID_MAX + 1]; /* the Cancel or Update that ended it */
    int64_t ended_sent;                    /* and its sent time */
    char *document; /* malloc'ed, the verified bytes (+ NUL); NULL unless active */
    size_t document_len;
    char *signature; /* malloc'ed minisign text; NULL when none (trusted TLS source) */
} store_alert;

/* Frees document and signature and zeroes a. NULL-safe. */
void store_alert_clear(store_alert *a);

/* The row of (sender, identifier), documents included. STORE_ERR_NOT_FOUND
 * when never seen. *out is cleared first (caller clears). */
int store_alert_get(store *st, const char *sender, const char *identifier, store_alert *out);

/* Calls fn for every active row, oldest first, from one consistent read. The
 * row is borrowed for the call only; fn must not write to this store and
 * returns nonzero to stop (returned as is). */
typedef int (*store_alert_fn)(void *userdata, const store_alert *a);
int store_alerts_active(store *st, store_alert_fn fn, void *userdata);

/* An earlier alert named by a Cancel or Update. */
typedef struct store_alert_end {
    const char *sender;
    const char *identifier;
    int64_t sent; /* from the reference (CAP); 0 when unknown */
} store_alert_end;

typedef struct store_alert_change {
    const store_alert *msg; /* the new row, with its state ("active", "ignored", "applied") */
    /* "cancelled" or "replaced": the state that msg gives each referenced row
     * that is active or expired, and every active or expired row of their
     * chains sent no later than msg. NULL: msg ends nothing. */
    const char *end_state;
    const store_alert_end *ends;
    size_t n_ends;
    bool ends_exercise_only; /* an Exercise message never ends a real alert */
    bool tombstones;         /* remember referenced alerts never seen, as ended */
    size_t keep;             /* rows kept (STORE_ALERTS_KEPT); active rows always are */
} store_alert_change;

/* In ONE transaction: refuses (STORE_ERR_SAME) a msg whose (sender,
 * identifier) is already known, ends what it references as described
 * (clearing their documents), inserts msg, then forgets the oldest inactive
 * rows beyond keep, raising the horizon (store_alerts_horizon) to the newest
 * sent time forgotten. *ended (may be NULL) receives how many rows were
 * ended. Copies everything. */
int store_alert_apply(store *st, const store_alert_change *c, size_t *ended);

/* The latest end in the chain (thread_sender, thread_identifier): the newest
 * sent time of a Cancel or Update that ended one of its rows, into *sent, with
 * that message's identifier and whether it cancelled (else replaced). *sent
 * is 0 when nothing in the chain has ended. ended_by may be NULL. */
int store_alert_chain_end(store *st, const char *thread_sender, const char *thread_identifier,
                          int64_t *sent, char *ended_by, size_t size, bool *cancelled);

/* An active row whose time is up: state "expired", document dropped.
 * STORE_ERR_NOT_FOUND when there is no such active row. */
int store_alert_expire(store *st, const char *sender, const char *identifier);

/* The newest sent time among forgotten rows (0 when none): a message sent
 * no later than this might be a replay of one forgotten, so it is refused. */
int store_alerts_horizon(store *st, int64_t *out);

/* ---- upkeep ---- */

/* Checkpoints the WAL into the database (PASSIVE: never waits for readers)
 * and prunes plays beyond keep_days (<= 0: keep all). The network thread
 * calls it now and then (after a sync cycle); the UI thread's play commits
 * never checkpoint, so that they never fsync. */
int store_maintain(store *st, int keep_days);

#endif
