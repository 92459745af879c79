/* sync: one poll of one channel from a published source (https://, http://,
 * file:// or a bare folder path), the same code for all of them: a
 * conditional GET of the manifest (an unchanged channel costs one 304), its
 * signature, then, only once channel_accept has checked the signature,
 * channel, rollback, fast-forward and expiry, the objects not already in the
 * store, several at once, hashed while streaming, resumed with Range after a
 * broken transfer. Activation itself is channel_accept's.
 * It never downloads an object for a manifest that did not pass those checks,
 * never stores a validator (ETag, Last-Modified) for a manifest that was not
 * accepted or found current, and never sets the system clock (the server's
 * Date is a hint, logged while the clock is unsynchronised).
 * Threads: a sync_engine belongs to one thread (the network thread, or the
 * --sync-once process); its store and objects handles must be that thread's.
 * sync_cycle blocks until the cycle ends. */
#ifndef HIROBA_APP_CORE_SYNC_H
#define HIROBA_APP_CORE_SYNC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/channel.h"
#include "app/core/clock.h"
#include "app/core/objects.h"
#include "app/core/store.h"
#include "app/core/trust.h"

/* Deadlines per transfer. */
#define SYNC_MANIFEST_DEADLINE_S 30
#define SYNC_OBJECT_DEADLINE_S   300

/* Not "sync": that is sync(2) in <unistd.h>. */
typedef struct sync_engine sync_engine;

typedef struct sync_config {
    const char *source;        /* URL or folder (copied) */
    const char *channel;       /* copied */
    store *store;              /* borrowed until destroy */
    objects *objects;          /* borrowed until destroy */
    const trust_keyring *keys; /* borrowed until destroy */
    const clock_source *clock; /* borrowed until destroy; NULL: system clock */
    const char *ca_file;       /* NULL, or a pinned CA bundle for https (copied) */
    const char *user_agent;    /* NULL: "hiroba" (copied) */
    unsigned max_parallel;     /* object transfers at once; 0: 4 */
    const atomic_int *cancel;  /* non-zero ends a cycle early, as failed (net.h) */
} sync_config;

typedef struct sync_result {
    channel_outcome outcome;  /* updated, current, rejected, failed */
    int64_t version;          /* the active version afterwards (0: none) */
    uint64_t bytes;           /* received in this cycle: headers and bodies, all transfers */
    unsigned objects_fetched; /* objects committed to the store in this cycle */
    bool not_modified;        /* the manifest was answered 304 */
    char reason[320];         /* for rejected and failed; "" otherwise */
} sync_result;

/* NULL (logged) when arguments are missing or memory runs out. */
sync_engine *sync_create(const sync_config *cfg);
void sync_destroy(sync_engine *s);

/* The source as a URL (a bare folder becomes file:///abs/path), borrowed. */
const char *sync_source_url(const sync_engine *s);

/* Runs one cycle; may be called again and again (nothing but validators
 * and partial downloads carries over, and those live in the store and the
 * objects folder). out is always filled. Returns 0 for updated or current,
 * -1 for rejected or failed. A rejection is recorded in the store. */
int sync_cycle(sync_engine *s, sync_result *out);

/* Checks the active version's objects (channel_verify_active); when one
 * was corrupt or missing, forgets the manifest's validators so the next
 * cycle fetches it whole and channel_accept fetches the objects again.
 * Returns how many were bad. Hashes the whole pack: not for the UI thread. */
int sync_verify_active(sync_engine *s);

/* How long to wait before the next poll after consecutive_failures failed
 * cycles in a row: base_ms when there was none, else a "full jitter"
 * exponential backoff, uniform in [base_ms / 2, min(cap_ms, base_ms * 2^n)],
 * so that a fleet of kiosks does not return to a recovered server in step.
 * cap_ms 0 means no cap. rng is the caller's xorshift state (any seed; 0 is
 * replaced by a fixed one). */
uint32_t sync_next_delay_ms(unsigned consecutive_failures, uint32_t base_ms, uint32_t cap_ms,
                            uint64_t *rng);

#endif
