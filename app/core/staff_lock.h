/* staff_lock: the staff view's PIN check and the lockout that makes
 * guessing slow. The PIN is 4 to 8 digits in the config (staff_pin); the
 * comparison takes the same time wherever the digits differ and whatever
 * their lengths (sodium_memcmp over fixed-size buffers).
 *
 * Why the PIN is plain digits in the config and not a password hash: with at
 * most 10^8 values, any hash of it is reversed in seconds by whoever can read
 * the file, so a hash would protect nothing the file's permissions do not
 * already protect (root:hiroba 0640, set by the package: only root and the
 * kiosk's own user read it). What stops guessing at the screen is this
 * lockout, and staff can read and change the PIN with a text editor.
 *
 * The lockout: the first STAFF_LOCK_FREE_TRIES - 1 wrong PINs in a row cost
 * nothing; the next one locks the pad for STAFF_LOCK_FIRST_S seconds and
 * each further one doubles that, up to STAFF_LOCK_MAX_S (30 s, 60 s, 2 min,
 * ... 1 h). While locked no PIN is even compared. The right PIN starts the
 * count again. The state lives in the store's kv (STAFF_LOCK_KV_KEY) so that
 * restarting the kiosk (pulling the plug) does not reset it.
 *
 * Time is epoch seconds from the caller. A lock that lies further ahead than
 * the longest lockout (the clock was set back, or a Pi without a real-time
 * clock booted in 1970) is shortened to the longest lockout from now, never
 * lifted. Never includes SDL or ui/; no global state. */
#ifndef HIROBA_APP_CORE_STAFF_LOCK_H
#define HIROBA_APP_CORE_STAFF_LOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "app/core/store.h"

#define STAFF_PIN_MIN         4
#define STAFF_PIN_MAX         8
#define STAFF_LOCK_FREE_TRIES 3
#define STAFF_LOCK_FIRST_S    30
#define STAFF_LOCK_MAX_S      3600
#define STAFF_LOCK_KV_KEY     "staff.lock"

/* 4..8 ASCII digits and nothing else. */
bool staff_pin_valid(const char *pin);

/* Whether entered is the configured PIN, in constant time (see above).
 * False when either is not a valid PIN. */
bool staff_pin_matches(const char *configured, const char *entered);

typedef struct staff_lock {
    uint32_t failures;    /* wrong PINs in a row */
    int64_t locked_until; /* epoch seconds; 0: not locked */
} staff_lock;

/* The lockout the n-th wrong PIN in a row earns, in seconds (0 before
 * STAFF_LOCK_FREE_TRIES). */
int64_t staff_lock_delay_s(uint32_t failures);

/* Seconds until a PIN may be tried (0: now). May shorten locked_until as
 * said above. */
int64_t staff_lock_remaining(staff_lock *l, int64_t now_s);

typedef enum staff_lock_result {
    STAFF_LOCK_RIGHT,  /* the right PIN: the count starts again */
    STAFF_LOCK_WRONG,  /* counted; maybe locked now (staff_lock_remaining) */
    STAFF_LOCK_LOCKED, /* not tried: locked */
} staff_lock_result;

/* Tries entered against configured at now_s and updates l. */
staff_lock_result staff_lock_try(staff_lock *l, const char *configured, const char *entered,
                                 int64_t now_s);

/* The state saved in st's kv. Load: a missing key is a fresh state (0
 * returned); an unreadable value counts as one lockout's worth of failures
 * (it can only come from a damaged database: erring on the locked side).
 * Save: STORE_ error or 0. st NULL: nothing is read or written (returns 0). */
int staff_lock_load(store *st, staff_lock *out);
int staff_lock_save(store *st, const staff_lock *l);

#endif
