/* alerter: the emergency alerts' poller, on its own network thread. Every
 * poll interval (5 s by default) it fetches the active pack's feeds.alerts
 * URL (a native alert, JSON) and feeds.cap URL (one CAP document, or an Atom
 * feed of CAP entries), each with its detached minisign signature at the same
 * URL + ".minisig", with conditional requests (ETag / Last-Modified), size
 * caps enforced while the bodies stream (ALERT_MAX_BYTES for documents and
 * feeds, TRUST_FILE_MAX for signatures), a short deadline, and backoff with
 * jitter after failures (never slower than 4x the interval). Every document
 * goes to alerts_accept (alerts.h), which alone decides what is shown; the
 * alerter only fetches, picks the source kind, and publishes the new
 * snapshot to the hub when the state changed. alerts_tick runs every turn,
 * so expiry is honoured even when no server answers.
 *
 * Nothing it fetches can change the state unless alerts_accept takes it: a
 * transfer that failed, was cut, was too large, or answered anything but
 * 200/304 leaves every alert as it is (a server that is down never ends an
 * alert; only a signed Cancel or expiry does). Each problem is logged once
 * per streak and each refused document once per run: identical bytes (the
 * document with its signature) are never offered twice in a row, so a bad
 * file left on the server costs one log line and one store_reject, not one
 * every 5 s.
 *
 * Sources. ALERTS_SOURCE_NATIVE for feeds.alerts. For feeds.cap and its
 * entries, ALERTS_SOURCE_CAP_TLS when the config names a trusted CAP source
 * (cap_trusted_tls, an https:// URL prefix) and the document came (after any
 * redirect) from an https URL under that prefix: net always verifies TLS
 * peers, so such a transfer is authenticated by the server; else
 * ALERTS_SOURCE_CAP, which needs the relay's signature. A signature that is
 * present is always checked. An Atom feed (root atom:feed) is an index, not
 * an alert: it needs no signature, and each entry's CAP document (its link,
 * resolved against the feed URL; https, or the feed's own origin) is fetched
 * with its own ".minisig" and judged on its own. At most ALERTER_ATOM_MAX
 * entries are followed (the first ones in document order); entries are
 * fetched again when the feed changes, and while their last fetch failed or
 * had no signature.
 *
 * Ownership and threads, in the order main uses them:
 *   1. alerter_open (main's thread, before the first frame): opens the
 *      alerter's OWN store handle in cfg->data_dir (one SQLite connection per
 *      thread, store.h), the keyring from cfg->trust, the network client
 *      (curl's global init must happen on the main thread), and runs
 *      alerts_load on that store handle, so the alerts active in the store
 *      are known before anything is drawn.
 *   2. alerter_current (any thread): a reference to the newest snapshot;
 *      main puts it in screen_ctx.alerts for the first frame, so an active
 *      alert is on screen from the first frame after a restart, without the
 *      network.
 *   3. alerter_start: from here on the alerts object, the store handle and
 *      the net belong to the alerter's thread alone (alerts_accept,
 *      alerts_tick); the caller never touches them again. New snapshots reach
 *      main through hub_publish_alerts / hub_take_alerts only.
 *   4. alerter_set_urls (main's thread, any time after open): the pack's
 *      feed URLs.
 *   5. alerter_stop: joins the thread, unloads the alerts, closes the store.
 *      Snapshots main still holds stay valid (they are reference-counted);
 *      main unreferences them itself. Call it before hub_destroy.
 * If alerter_start fails, the alerter still answers alerter_current (the
 * state loaded at open) and must still be freed with alerter_stop. */
#ifndef HIROBA_APP_CORE_ALERTER_H
#define HIROBA_APP_CORE_ALERTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/alert.h"
#include "app/core/alerts.h"
#include "app/core/clock.h"
#include "app/core/hub.h"
#include "app/core/model.h"

#define ALERTER_POLL_MS    5000u
#define ALERTER_MAX_KEYS   8
#define ALERTER_ATOM_MAX   16   /* CAP entries followed per Atom feed */
#define ALERTER_URL_MAX    2048 /* bytes, any URL the alerter fetches or trusts */
#define ALERTER_SIG_SUFFIX ".minisig"

typedef struct alerter_config {
    const char *data_dir;                /* copied; the alerter's own store handle */
    const char *ca_file;                 /* copied; NULL: system CAs */
    const char *channel;                 /* copied; native alerts must be signed for it */
    const char *trust[ALERTER_MAX_KEYS]; /* public key files (the kiosk's), copied */
    size_t n_trust;
    const clock_source *clock;   /* borrowed until stop; NULL: system clock */
    hub *hub;                    /* borrowed until stop */
    uint32_t poll_ms;            /* 0: ALERTER_POLL_MS */
    bool allow_drills;           /* show Exercise alerts, marked 訓練 */
    const char *language;        /* copied; the kiosk's default language; NULL: "ja" */
    const char *cap_trusted_tls; /* copied; an https:// prefix (config cap_trusted_tls); NULL */
    const char *user_agent;      /* copied; NULL: "hiroba" */
    const alerts_host *host;     /* borrowed until stop; NULL: the real machine (tests) */
} alerter_config;

typedef struct alerter alerter;

/* Step 1 above, on the caller's thread. NULL (logged) when the store cannot
 * be opened or the state cannot be loaded: the kiosk then runs without
 * alerts. Keys that cannot be read are logged and skipped (nothing signed
 * with them is accepted). */
alerter *alerter_open(const alerter_config *cfg);
/* A new reference to the newest snapshot (alerts_current); NULL only when
 * al is NULL or out of memory. Thread-safe. */
alerts_snapshot *alerter_current(alerter *al);
/* Starts the thread (it waits for URLs). 0, or -1 (logged). */
int alerter_start(alerter *al);
/* The active pack's URLs (feeds.alerts and feeds.cap are copied; NULL
 * members or urls: that source is off). A changed URL is polled at once.
 * Alerts already accepted stay whatever the pack says. NULL al: no-op. */
void alerter_set_urls(alerter *al, const model_feeds *urls);
/* Stops the thread if it runs (a transfer in flight ends within about a
 * second) and frees everything. NULL is a no-op. */
void alerter_stop(alerter *al);

/* Whether url lies under the trusted prefix: an https URL that begins with
 * prefix, where prefix ends with '/' or the next byte of url is '/', '?',
 * '#' or its end, and no path segment of url is "." or ".." (plain or
 * percent-encoded). Exact bytes: write the prefix as the server's URLs are
 * written. For ALERTS_SOURCE_CAP_TLS. */
bool alerter_url_trusted(const char *prefix, const char *url);

/* ---- Atom feeds of CAP entries (untrusted input) -------------------------------------- */

typedef struct alerter_atom {
    size_t n;
    char *urls[ALERTER_ATOM_MAX]; /* absolute, distinct, in document order (malloc'ed) */
    size_t skipped;               /* entries beyond the bound or without a usable link */
    char first_skip[160];         /* why the first skipped entry was skipped, "" if none */
} alerter_atom;

/* Reads doc[0..len) as an Atom feed fetched from feed_url. libxml2 with no
 * network, no DTD (a DOCTYPE stops the parser before any entity is
 * declared) and at most ALERT_MAX_BYTES. From each atom:entry, the first
 * atom:link whose type is application/cap+xml (or
 * application/common-alerting-protocol+xml), else the first whose rel is
 * absent or "alternate"; its href is resolved against feed_url and kept if
 * it is at most ALERTER_URL_MAX bytes, has no white space or control bytes,
 * no "." or ".." segment, and is https or of feed_url's origin. Returns 1
 * with *out filled (alerter_atom_clear), 0 when doc is not an Atom feed
 * (malformed, a DOCTYPE, or another root: treat it as a CAP document), or
 * ALERT_NOMEM. Never fetches anything. */
int alerter_atom_parse(const void *doc, size_t len, const char *feed_url, alerter_atom *out);
void alerter_atom_clear(alerter_atom *a); /* NULL-safe; leaves *a empty */

#endif
