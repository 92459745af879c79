/* alerts_private: what alerts.c (accepting documents) and alerts_state.c
 * (the active set, time and snapshots) share. Nothing outside
 * app/core/alerts* includes it. */
#ifndef HIROBA_APP_CORE_ALERTS_PRIVATE_H
#define HIROBA_APP_CORE_ALERTS_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>

#include "app/core/alerts.h"

#define ALERTS_MOD          "alerts"
#define ALERTS_BOOT_MAX     40
#define ALERTS_REFUSED_RING 4

/* A parsed document shared by the state and the snapshots that show it. */
typedef struct alerts_doc {
    atomic_int refs;
    alert *a;
} alerts_doc;

alerts_doc *alerts_doc_new(alert *a); /* takes a; NULL (a destroyed) when out of memory */
alerts_doc *alerts_doc_ref(alerts_doc *d);
void alerts_doc_unref(alerts_doc *d);

/* One active row, as kept in memory. */
typedef struct alerts_item {
    alerts_doc *doc;
    int64_t row;
    char sender[STORE_ALERT_ID_MAX + 1];
    char identifier[STORE_ALERT_ID_MAX + 1];
    int64_t sent;
    bool has_expires;
    int64_t expires;
    int64_t received_at_ms;
    bool received_synced;
    char received_boot[ALERTS_BOOT_MAX];
    int64_t received_mono_ms;
    bool signed_by_key;
} alerts_item;

/* "now" as the module sees it, taken once per operation. */
typedef struct alerts_clock {
    int64_t wall; /* epoch s, only meaningful when synced */
    bool synced;
    int64_t mono; /* the host's monotonic ms */
} alerts_clock;

struct alerts_snapshot {
    atomic_int refs;
    uint64_t version;
    size_t count;
    alerts_entry entries[ALERTS_SHOWN_MAX];
    alerts_doc *docs[ALERTS_SHOWN_MAX];
};

struct alerts {
    store *store;
    const trust_keyring *keys;
    const clock_source *clock;
    const alerts_host *host; /* NULL: the real machine */
    char channel[STORE_CHANNEL_MAX + 1];
    bool check_channel;
    char language[36];
    alert_policy policy; /* .language points at language */
    bool cap_tls_trusted;
    char boot[ALERTS_BOOT_MAX];

    alerts_item *items; /* the active rows, in receipt order */
    size_t n_items, cap_items;

    struct {
        unsigned char digest[32];
        alerts_result result;
        bool used;
    } refused[ALERTS_REFUSED_RING];
    size_t refused_next;

    pthread_mutex_t mutex; /* guards current and version (alerts_current is thread-safe) */
    alerts_snapshot *current;
    uint64_t version;
};

alerts_clock alerts_clock_now(const alerts *al);

/* A lower bound of the true time (epoch s) for an alert received as item says. */
int64_t alerts_effective_now(const alerts *al, const alerts_item *it, const alerts_clock *now);

/* The latest expiry of a's info blocks: false when one has none (or none exist). */
bool alerts_overall_expiry(const alert *a, int64_t *out);

/* Checks a signature (when sig is not NULL) and parses doc as source serves it:
 * the same path for a new document and a stored one read back at start-up.
 * Returns ALERTS_OK with *out owning the alert, or a code with why filled in
 * (*out NULL). *signed_out says whether a key vouched for it. ALERTS_ERR_INVALID
 * with nomem set means out of memory. id_out (may be NULL) receives the
 * identifier once the document parsed, even if it is refused after. */
alerts_code alerts_check(const alerts *al, const void *doc, size_t len, const char *sig,
                         size_t sig_len, alerts_source source, alert **out, bool *signed_out,
                         bool *nomem, char *id_out, size_t id_size, char *why, size_t whylen);

/* Reads the active rows back from the store (verifying those not already in
 * memory), expires what is due and builds a new snapshot if what is shown
 * changed. */
int alerts_reload(alerts *al, bool *changed);

/* Takes the decisions again at now and publishes a new snapshot when the
 * shown set changed; expires what is due (in the store too). */
int alerts_rebuild(alerts *al, const alerts_clock *now, bool *changed);

#endif
