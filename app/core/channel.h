/* channel: decides whether a published manifest may become the active pack,
 * and makes it so. The one place where TUF's attacks are answered: a
 * manifest is activated only if its signature is valid under a trusted key,
 * it names this channel, its version is above the active and the highest
 * trusted one (rollback) by a sane step (fast-forward), it has not expired
 * (freeze; with an unsynchronised clock, judged against the newest time we
 * know to have passed), and every object it lists is present with the right
 * sha256 and size (tamper, endless data, mix-and-match). Activation is one
 * store transaction after the objects are durable.
 * The active version offered again is a repair: objects that went missing
 * are fetched, nothing else changes (outcome current).
 * Shared by local activation (hiroba --source) and network sync: where the
 * bytes come from is the caller's fetch function. Never logs a rejection
 * more than once per call (the caller de-duplicates across polls). */
#ifndef HIROBA_APP_CORE_CHANNEL_H
#define HIROBA_APP_CORE_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/clock.h"
#include "app/core/model.h"
#include "app/core/objects.h"
#include "app/core/store.h"
#include "app/core/trust.h"

/* A version may move forward by at most this much in one step. */
#define CHANNEL_MAX_VERSION_JUMP 100000
#define CHANNEL_MANIFEST_MAX     (4u * 1024u * 1024u)

typedef enum channel_outcome {
    CHANNEL_UPDATED = 0,  /* a newer version is now active */
    CHANNEL_CURRENT = 1,  /* the active version is the newest acceptable one */
    CHANNEL_REJECTED = 2, /* the offered manifest or an object failed a check */
    CHANNEL_FAILED = 3,   /* could not complete (network, disk): try again later */
} channel_outcome;

const char *channel_outcome_name(channel_outcome o); /* "updated", "current", ... */

typedef struct channel_result {
    channel_outcome outcome;
    int64_t version; /* the active version afterwards (0: none) */
    uint64_t bytes;  /* object bytes fetched */
    unsigned objects_fetched;
    char reason[320]; /* why, for rejected and failed; "" otherwise */
} channel_result;

/* What a fetch function reports. */
enum {
    CHANNEL_FETCH_OK = 0,
    CHANNEL_FETCH_FAILED = -1,  /* transient: not there, network, disk */
    CHANNEL_FETCH_CORRUPT = -2, /* wrong hash or size: the offer is bad */
};

/* Brings the object (sha256, size from the signed manifest) into objs,
 * adding the bytes read to *bytes. Returns a CHANNEL_FETCH_ value and a
 * one-line reason in err. */
typedef int (*channel_fetch_fn)(void *user, objects *objs, const model_object *obj, uint64_t *bytes,
                                char *err, size_t errlen);

typedef struct channel_ctx {
    const char *channel; /* the channel this kiosk follows */
    store *store;        /* borrowed */
    objects *objects;    /* borrowed */
    const trust_keyring *keys;
    const clock_source *clock;
    const char *source_label; /* for rejections: "file:///srv/pub" or the URL */
} channel_ctx;

/* Checks and, if acceptable, activates manifest[0..len) with its minisign
 * signature sig[0..sig_len). Fills out; returns 0 for updated or current,
 * -1 otherwise. A rejection is recorded in the store for the staff view. */
int channel_accept(const channel_ctx *c, const char *manifest, size_t len, const char *sig,
                   size_t sig_len, channel_fetch_fn fetch, void *fetch_user, channel_result *out);

/* A fetch function for a folder published by hiroba-pack build:
 * user is the folder (const char *), the object is read from
 * FOLDER/objects/ab/abcdef... (the full sha256 inside its two-letter folder). */
int channel_fetch_local(void *user, objects *objs, const model_object *obj, uint64_t *bytes,
                        char *err, size_t errlen);

/* Re-hashes every object of channel's active version; a corrupt one is
 * removed (so the next sync fetches it again: channel_accept of the same
 * version fetches what is missing). Returns how many are corrupt or missing.
 * Reads the whole pack: for the network thread at start, not the UI. */
int channel_verify_active(store *st, objects *objs, const char *channel);

/* Removes objects that neither the active nor the previous version of any
 * channel needs. Returns the number removed, or -1. */
int channel_collect_garbage(store *st, objects *objs);

/* Loads the active pack of channel from the store (parsed, media resolved by
 * object hash). NULL with a reason when there is none or it cannot be read. */
model_pack *channel_load_active(store *st, const char *channel, char *err, size_t errlen);

#endif
