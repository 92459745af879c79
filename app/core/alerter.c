/* alerter: the emergency alerts' network thread (see alerter.h). Must never
 * block the UI thread (it shares only the hub and, under its lock, the URLs
 * to poll), never let anything but alerts_accept change the alert state,
 * never offer a document without the signature fetched beside it in the
 * same turn, and never call a source trusted over TLS unless the bytes came
 * from an https URL under the configured prefix. */
#include "app/core/alerter.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "app/core/log.h"
#include "app/core/net.h"
#include "app/core/store.h"
#include "app/core/sync.h"
#include "app/core/trust.h"

#define MOD "alerter"

/* How long net_run waits while transfers are in flight: the most a new URL
 * or a stop waits for the thread's attention. */
#define TICK_MS            250
#define DEADLINE_MIN_S     5
#define DEADLINE_MAX_S     15
#define CONNECT_TIMEOUT_S  5
#define BACKOFF_CAP_FACTOR 4u
#define PROBLEM_MAX        300
#define NEVER              INT64_MAX

/* The pairs (a document and its signature) the thread polls: the native
 * alert, the feeds.cap URL, and the CAP entries of an Atom feed there. */
enum { PAIR_NATIVE, PAIR_CAP, PAIR_ENTRY0, PAIRS = PAIR_ENTRY0 + ALERTER_ATOM_MAX };
enum { HALF_DOC, HALF_SIG };

/* What one transfer of a turn brought. */
typedef enum answer {
    ANSWER_BODY,    /* 200 (or file://): the bytes are in buf */
    ANSWER_SAME,    /* 304: what the validators describe */
    ANSWER_NONE,    /* 404 / 410, or no such file: nothing there */
    ANSWER_FAILED,  /* network, server or memory trouble: error says */
    ANSWER_TOO_BIG, /* cut off at the size cap */
} answer;

/* One URL of a pair. Touched by the thread only. */
typedef struct half {
    char *url;
    /* Validators of the bytes last settled (sent only while settled). */
    char etag[NET_ETAG_MAX];
    char last_modified[NET_HTTP_DATE_MAX];
    /* This turn's answer. */
    bool done;
    answer ans;
    char *buf;
    size_t len;
    char new_etag[NET_ETAG_MAX];
    char new_last_modified[NET_HTTP_DATE_MAX];
    bool trusted_tls; /* came from https under the trusted prefix */
    char error[NET_ERROR_MAX];
} half;

typedef struct pair {
    half h[2];
    uint64_t gen;   /* bumped by every URL change: answers for an older URL are dropped */
    int pending;    /* transfers of this gen in flight */
    int64_t due_ms; /* monotonic: the next poll; NEVER: not scheduled */
    unsigned failures;
    /* The validators describe bytes already offered (or a signature known to
     * be absent, sig_absent): a 304 means "nothing new". */
    bool settled, sig_absent;
    bool taken; /* the last bytes offered were taken into account (not refused) */
    bool have_digest;
    unsigned char digest[32]; /* of the last bytes offered (or the last feed read) */
    bool is_feed;             /* PAIR_CAP: the last body was an Atom feed */
    char last_problem[PROBLEM_MAX];
} pair;

/* One transfer in flight, with the body gathered so far. */
typedef struct fetch {
    struct fetch *next;
    struct alerter *owner;
    int pair, half;
    uint64_t gen;
    bool conditional;
    net_body body; /* what has arrived, capped */
} fetch;

struct alerter {
    char *data_dir, *ca_file, *channel, *language, *trusted, *user_agent;
    const clock_source *clock;
    hub *hub;
    uint32_t poll_ms;
    bool allow_drills;
    const alerts_host *host;
    store *store; /* the alerter's own handle: main's thread until start, then the thread's */
    trust_keyring *keys;
    alerts *alerts;
    net *net;
    pthread_t thread;
    bool started;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    atomic_int stop;
    /* Under lock: the URLs main asked for, taken by the thread. */
    char *want[2];
    bool want_changed;
    /* Thread only. */
    pair pairs[PAIRS];
    fetch *fetches;
    int64_t tick_due;
    uint64_t rng;
};

static const char *pair_name(int which)
{
    return which == PAIR_NATIVE ? "alert" : which == PAIR_CAP ? "cap" : "cap entry";
}

static void publish(alerter *t)
{
    hub_publish_alerts(t->hub, alerts_current(t->alerts));
}

/* ---- pairs ---- */

static void half_reset_answer(half *h)
{
    free(h->buf);
    h->buf = NULL;
    h->len = 0;
    h->done = false;
    h->trusted_tls = false;
    h->error[0] = h->new_etag[0] = h->new_last_modified[0] = '\0';
}

/* Forgets the validators: the next turn fetches both files whole. */
static void unsettle(pair *p)
{
    p->settled = false;
    for (int i = 0; i < 2; i++)
        p->h[i].etag[0] = p->h[i].last_modified[0] = '\0';
}

/* This turn's bytes are now what the validators describe. */
static void settle(pair *p)
{
    for (int i = 0; i < 2; i++) {
        half *h = &p->h[i];
        if (h->ans == ANSWER_BODY) {
            memcpy(h->etag, h->new_etag, sizeof h->etag); /* same size, NUL-terminated */
            memcpy(h->last_modified, h->new_last_modified, sizeof h->last_modified);
        } else if (h->ans == ANSWER_NONE) {
            h->etag[0] = h->last_modified[0] = '\0';
        }
    }
    p->sig_absent =
        p->h[HALF_SIG].ans == ANSWER_NONE || (p->h[HALF_SIG].ans == ANSWER_SAME && p->sig_absent);
    p->settled = true;
}

/* Points pair which at url (NULL: off), forgetting everything about the
 * old one. Polled at once. */
static void set_pair_url(alerter *t, int which, const char *url)
{
    pair *p = &t->pairs[which];
    for (int i = 0; i < 2; i++) {
        free(p->h[i].url);
        p->h[i].url = NULL;
        half_reset_answer(&p->h[i]);
    }
    uint64_t gen = p->gen + 1;
    *p = (pair){.gen = gen, .due_ms = url ? clock_monotonic_ms() : NEVER};
    if (!url)
        return;
    size_t n = strlen(url) + sizeof ALERTER_SIG_SUFFIX;
    p->h[HALF_DOC].url = strdup(url);
    p->h[HALF_SIG].url = malloc(n);
    if (!p->h[HALF_DOC].url || !p->h[HALF_SIG].url) {
        LOG_ERROR(MOD, "out of memory: %s not polled", url);
        free(p->h[HALF_DOC].url);
        free(p->h[HALF_SIG].url);
        p->h[HALF_DOC].url = p->h[HALF_SIG].url = NULL;
        p->due_ms = NEVER;
        return;
    }
    snprintf(p->h[HALF_SIG].url, n, "%s%s", url, ALERTER_SIG_SUFFIX);
}

static void drop_entries(alerter *t)
{
    for (int i = PAIR_ENTRY0; i < PAIRS; i++)
        if (t->pairs[i].h[HALF_DOC].url)
            set_pair_url(t, i, NULL);
}

/* Takes the URLs main set since the last look. */
static void take_urls(alerter *t)
{
    char *want[2] = {0};
    pthread_mutex_lock(&t->lock);
    bool changed = t->want_changed;
    if (changed) {
        want[0] = t->want[0];
        want[1] = t->want[1];
        t->want[0] = t->want[1] = NULL;
        t->want_changed = false;
    }
    pthread_mutex_unlock(&t->lock);
    if (!changed)
        return;
    for (int i = PAIR_NATIVE; i <= PAIR_CAP; i++) {
        const char *now = t->pairs[i].h[HALF_DOC].url;
        bool same = (!want[i] && !now) || (want[i] && now && strcmp(want[i], now) == 0);
        if (!same) {
            if (i == PAIR_CAP)
                drop_entries(t);
            set_pair_url(t, i, want[i]);
            if (want[i])
                LOG_INFO(MOD, "%s: polling %s every %g s", pair_name(i), want[i],
                         t->poll_ms / 1000.0);
            else
                LOG_INFO(MOD, "%s: no URL in this pack", pair_name(i));
        }
        free(want[i]);
    }
}

/* ---- one pair's outcome ---- */

static void schedule_next(alerter *t, int which)
{
    pair *p = &t->pairs[which];
    if (!p->h[HALF_DOC].url) {
        p->due_ms = NEVER;
        return;
    }
    /* An entry rests once its document was judged with a signature (or taken
     * without one): CAP messages do not change, the feed says when there are
     * new ones. Until then (no signature yet, a failure) it is polled. */
    if (which >= PAIR_ENTRY0 && p->settled && (p->taken || !p->sig_absent) && !p->failures) {
        p->due_ms = NEVER;
        return;
    }
    uint32_t cap = t->poll_ms * BACKOFF_CAP_FACTOR;
    p->due_ms = clock_monotonic_ms() + sync_next_delay_ms(p->failures, t->poll_ms, cap, &t->rng);
}

static void problem(alerter *t, int which, bool refused, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A failed or refused turn: the state stays as it is. Said (log and the
 * store's rejections) once per streak of the same problem. */
static void problem(alerter *t, int which, bool refused, const char *fmt, ...)
{
    pair *p = &t->pairs[which];
    char why[PROBLEM_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (!refused)
        p->failures++;
    if (strcmp(why, p->last_problem) == 0) {
        LOG_DEBUG(MOD, "%s still %s: %s", pair_name(which), refused ? "refused" : "failing", why);
        return;
    }
    LOG_WARN(MOD, "%s %s: %s (%s); the alerts on screen stay as they are", pair_name(which),
             refused ? "refused" : "failed", why, p->h[HALF_DOC].url);
    char reason[PROBLEM_MAX + 32];
    snprintf(reason, sizeof reason, "%s: %s", pair_name(which), why);
    store_reject(t->store, "alerts", reason);
    snprintf(p->last_problem, sizeof p->last_problem, "%s", why);
}

/* The server answered as it should. */
static void fine(alerter *t, int which)
{
    pair *p = &t->pairs[which];
    if (p->last_problem[0] && p->last_problem[0] != '(')
        LOG_INFO(MOD, "%s: %s answers again", pair_name(which), p->h[HALF_DOC].url);
    p->last_problem[0] = '\0';
    p->failures = 0;
}

/* Nothing published at the URL (404): normal before the first alert, and
 * no reason to change anything on screen. Said once. */
static void nothing_there(alerter *t, int which)
{
    pair *p = &t->pairs[which];
    static const char none[] = "(nothing published)";
    if (strcmp(p->last_problem, none) != 0)
        LOG_INFO(MOD, "%s: nothing published at %s yet", pair_name(which), p->h[HALF_DOC].url);
    snprintf(p->last_problem, sizeof p->last_problem, "%s", none);
    p->failures = 0;
    unsettle(p);
    p->taken = false;
    if (which == PAIR_CAP && p->is_feed) {
        drop_entries(t);
        p->is_feed = false;
    }
}

static void digest_of(const half *doc, const half *sig, int kind, unsigned char out[32])
{
    crypto_generichash_state st;
    unsigned char tag[3] = {(unsigned char)kind, sig->ans == ANSWER_BODY, doc->trusted_tls};
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, tag, sizeof tag);
    uint64_t n = doc->len;
    crypto_generichash_update(&st, (const unsigned char *)&n, sizeof n);
    crypto_generichash_update(&st, (const unsigned char *)doc->buf, doc->len);
    if (sig->ans == ANSWER_BODY)
        crypto_generichash_update(&st, (const unsigned char *)sig->buf, sig->len);
    crypto_generichash_final(&st, out, 32);
}

/* The feeds.cap URL serves an Atom feed: its entries become pairs (the ones
 * still listed keep their state, new ones are polled at once, the ones gone
 * are dropped); a feed that changed has every entry looked at again. */
static void take_feed(alerter *t, pair *feed, alerter_atom *atom, const unsigned char dg[32])
{
    bool changed = !feed->is_feed || !feed->have_digest || sodium_memcmp(dg, feed->digest, 32);
    feed->is_feed = true;
    feed->have_digest = true;
    memcpy(feed->digest, dg, 32);
    if (!changed)
        return;
    for (int i = PAIR_ENTRY0; i < PAIRS; i++) {
        const char *url = t->pairs[i].h[HALF_DOC].url;
        bool listed = false;
        for (size_t k = 0; url && k < atom->n && !listed; k++)
            listed = strcmp(atom->urls[k], url) == 0;
        if (url && !listed)
            set_pair_url(t, i, NULL);
        else if (url)
            t->pairs[i].due_ms = clock_monotonic_ms();
    }
    for (size_t k = 0; k < atom->n; k++) {
        int free_slot = -1;
        bool have = false;
        for (int i = PAIR_ENTRY0; i < PAIRS && !have; i++) {
            const char *url = t->pairs[i].h[HALF_DOC].url;
            have = url && strcmp(url, atom->urls[k]) == 0;
            if (!url && free_slot < 0)
                free_slot = i;
        }
        if (!have && free_slot >= 0)
            set_pair_url(t, free_slot, atom->urls[k]);
    }
    if (atom->skipped)
        LOG_WARN(MOD, "cap: Atom feed with %zu CAP entries followed, %zu skipped (first: %s)",
                 atom->n, atom->skipped, atom->first_skip);
    else
        LOG_INFO(MOD, "cap: Atom feed with %zu CAP entries", atom->n);
}

/* Both files of the turn are here (the signature may be absent). */
static void offer(alerter *t, int which)
{
    pair *p = &t->pairs[which];
    half *d = &p->h[HALF_DOC], *s = &p->h[HALF_SIG];
    unsigned char dg[32];
    digest_of(d, s, which == PAIR_NATIVE ? 0 : 1, dg);
    if (which == PAIR_CAP) {
        alerter_atom atom;
        int r = alerter_atom_parse(d->buf, d->len, d->url, &atom);
        if (r == ALERT_NOMEM) {
            problem(t, which, false, "out of memory");
            return;
        }
        if (r == 1) {
            take_feed(t, p, &atom, dg);
            alerter_atom_clear(&atom);
            fine(t, which);
            settle(p);
            p->taken = true;
            return;
        }
        if (p->is_feed) {
            drop_entries(t);
            p->is_feed = false;
            p->have_digest = false;
        }
    }
    fine(t, which);
    if (p->have_digest && sodium_memcmp(dg, p->digest, 32) == 0) {
        /* Offered before and judged: nothing to say again. */
        settle(p);
        return;
    }
    alerts_source source = which == PAIR_NATIVE ? ALERTS_SOURCE_NATIVE
                           : d->trusted_tls     ? ALERTS_SOURCE_CAP_TLS
                                                : ALERTS_SOURCE_CAP;
    alerts_result res;
    const char *sig = s->ans == ANSWER_BODY ? (s->buf ? s->buf : "") : NULL;
    int rc =
        alerts_accept(t->alerts, d->buf ? d->buf : "", d->len, sig, sig ? s->len : 0, source, &res);
    if (res.outcome == ALERTS_FAILED) {
        /* Logged by alerts; offered again after a backoff. */
        p->failures++;
        unsettle(p);
        return;
    }
    p->have_digest = true;
    memcpy(p->digest, dg, 32);
    p->taken = rc == 0;
    if (rc == 0) {
        settle(p);
        LOG_DEBUG(MOD, "%s %s: %s", pair_name(which), d->url, alerts_outcome_name(res.outcome));
    } else {
        /* Refused (said once by alerts): fetch both files whole next time,
         * in case the signature and the document were caught between the
         * writes of a publication. The same bytes again are then settled
         * without a word. */
        unsettle(p);
    }
    if (res.changed)
        publish(t);
}

static void on_pair_done(alerter *t, int which)
{
    pair *p = &t->pairs[which];
    half *d = &p->h[HALF_DOC], *s = &p->h[HALF_SIG];
    if (d->ans == ANSWER_FAILED)
        problem(t, which, false, "%s", d->error);
    else if (d->ans == ANSWER_TOO_BIG)
        problem(t, which, true, "larger than %u bytes", ALERT_MAX_BYTES);
    else if (d->ans == ANSWER_NONE)
        nothing_there(t, which);
    else if (s->ans == ANSWER_FAILED)
        problem(t, which, false, "signature: %s", s->error);
    else if (s->ans == ANSWER_TOO_BIG)
        problem(t, which, true, "signature larger than %d bytes", TRUST_FILE_MAX);
    else if (d->ans == ANSWER_SAME &&
             (s->ans == ANSWER_SAME || (s->ans == ANSWER_NONE && p->sig_absent)))
        fine(t, which); /* nothing new */
    else if (d->ans == ANSWER_SAME || s->ans == ANSWER_SAME) {
        /* One file changed and the other did not: the bytes of the other
         * are not kept, so both are fetched whole, at once. */
        unsettle(p);
        p->due_ms = clock_monotonic_ms();
        return;
    } else
        offer(t, which);
    if (d->ans == ANSWER_TOO_BIG || s->ans == ANSWER_TOO_BIG)
        unsettle(p);
    schedule_next(t, which);
}

/* ---- transfers ---- */

/* Gathers a body, refusing it as soon as it passes the cap. */
static bool fetch_write(void *user, const net_response *head, const void *data, size_t len)
{
    (void)head;
    fetch *x = user;
    return net_body_append(&x->body, data, len);
}

static void fetch_free(fetch *x)
{
    if (!x)
        return;
    net_body_clear(&x->body);
    free(x);
}

static void fetch_unlink(alerter *t, fetch *x)
{
    for (fetch **p = &t->fetches; *p; p = &(*p)->next) {
        if (*p == x) {
            *p = x->next;
            return;
        }
    }
}

/* Files the transfer's outcome into its half. */
static void take_answer(alerter *t, half *h, fetch *x, const net_response *r)
{
    h->done = true;
    if (x->body.too_big) {
        h->ans = ANSWER_TOO_BIG;
    } else if (x->body.nomem) {
        h->ans = ANSWER_FAILED;
        snprintf(h->error, sizeof h->error, "out of memory");
    } else if (r->curl_code == CURLE_FILE_COULDNT_READ_FILE) {
        h->ans = ANSWER_NONE; /* file://: no such file */
    } else if (r->curl_code != 0) {
        h->ans = ANSWER_FAILED;
        snprintf(h->error, sizeof h->error, "%s", r->error);
    } else if (r->http_code == 304) {
        h->ans = x->conditional ? ANSWER_SAME : ANSWER_FAILED;
        snprintf(h->error, sizeof h->error, "HTTP 304 to a request without validators");
    } else if (r->http_code == 404 || r->http_code == 410) {
        h->ans = ANSWER_NONE;
    } else if (r->http_code != 0 && r->http_code != 200) {
        h->ans = ANSWER_FAILED;
        snprintf(h->error, sizeof h->error, "HTTP %ld", r->http_code);
    } else {
        h->ans = ANSWER_BODY;
        h->buf = x->body.buf;
        h->len = x->body.len;
        x->body.buf = NULL;
        snprintf(h->new_etag, sizeof h->new_etag, "%s", r->etag);
        snprintf(h->new_last_modified, sizeof h->new_last_modified, "%s", r->last_modified);
        h->trusted_tls =
            t->trusted && r->effective_url && alerter_url_trusted(t->trusted, r->effective_url);
    }
}

static void fetch_done(void *user, const net_response *r)
{
    fetch *x = user;
    alerter *t = x->owner;
    pair *p = &t->pairs[x->pair];
    fetch_unlink(t, x);
    /* An answer for a URL no longer polled is dropped unseen. */
    if (x->gen == p->gen && !atomic_load(&t->stop)) {
        take_answer(t, &p->h[x->half], x, r);
        if (--p->pending == 0)
            on_pair_done(t, x->pair);
    }
    fetch_free(x);
}

static long deadline_s(const alerter *t)
{
    long s = (long)(t->poll_ms / 1000) * 2;
    return s < DEADLINE_MIN_S ? DEADLINE_MIN_S : s > DEADLINE_MAX_S ? DEADLINE_MAX_S : s;
}

static bool start_half(alerter *t, int which, int hx)
{
    pair *p = &t->pairs[which];
    half *h = &p->h[hx];
    half_reset_answer(h);
    fetch *x = calloc(1, sizeof *x);
    if (!x)
        goto fail;
    /* Validators only while settled: a 304 must mean "what was offered". */
    bool conditional = p->settled && (h->etag[0] || h->last_modified[0]);
    *x = (fetch){.owner = t,
                 .pair = which,
                 .half = hx,
                 .gen = p->gen,
                 .conditional = conditional,
                 .body.max = hx == HALF_DOC ? ALERT_MAX_BYTES : TRUST_FILE_MAX};
    net_request rq = {.url = h->url,
                      .if_none_match = conditional ? h->etag : NULL,
                      .if_modified_since = conditional ? h->last_modified : NULL,
                      .deadline_s = deadline_s(t),
                      .write = fetch_write,
                      .done = fetch_done,
                      .user = x};
    if (net_get(t->net, &rq) != 0)
        goto fail;
    x->next = t->fetches;
    t->fetches = x;
    p->pending++;
    return true;
fail:
    fetch_free(x);
    h->done = true;
    h->ans = ANSWER_FAILED;
    snprintf(h->error, sizeof h->error, "the network client failed");
    return false;
}

static void start_pair(alerter *t, int which)
{
    pair *p = &t->pairs[which];
    p->due_ms = NEVER;
    p->pending = 1; /* held while both are queued: a transfer ends only in net_run */
    start_half(t, which, HALF_DOC);
    start_half(t, which, HALF_SIG);
    if (--p->pending == 0)
        on_pair_done(t, which);
}

/* Time: alerts whose time is up leave the snapshot. */
static void tick(alerter *t)
{
    bool changed = false;
    int r = alerts_tick(t->alerts, &changed);
    if (r != 0)
        LOG_DEBUG(MOD, "tick: %s", store_strerror(r));
    if (changed)
        publish(t);
    t->tick_due = clock_monotonic_ms() + t->poll_ms;
}

/* Sleeps until ms have passed, new URLs or a stop. */
static void wait_for(alerter *t, int64_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += (time_t)(ms / 1000);
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&t->lock);
    while (!atomic_load(&t->stop) && !t->want_changed) {
        if (pthread_cond_timedwait(&t->cond, &t->lock, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&t->lock);
}

static void *run(void *arg)
{
    alerter *t = arg;
    tick(t);
    while (!atomic_load(&t->stop)) {
        take_urls(t);
        int64_t now = clock_monotonic_ms();
        if (now >= t->tick_due)
            tick(t);
        int64_t next = t->tick_due;
        for (int i = 0; i < PAIRS; i++) {
            pair *p = &t->pairs[i];
            if (!p->h[HALF_DOC].url || p->pending)
                continue;
            if (p->due_ms <= now)
                start_pair(t, i);
            /* (start_pair may have finished at once and scheduled again) */
            if (!p->pending && p->due_ms < next)
                next = p->due_ms;
        }
        now = clock_monotonic_ms();
        int64_t wait = next > now ? next - now : 0;
        if (net_busy(t->net) > 0) {
            if (net_run(t->net, (int)(wait < TICK_MS ? (wait > 0 ? wait : 1) : TICK_MS)) < 0) {
                LOG_ERROR(MOD, "the network client failed; retrying in a second");
                wait_for(t, 1000);
            }
        } else if (wait > 0) {
            wait_for(t, wait);
        }
    }
    return NULL;
}

/* ---- lifetime ---- */

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void alerter_free(alerter *t)
{
    for (fetch *x = t->fetches, *next; x; x = next) {
        next = x->next;
        fetch_free(x);
    }
    /* After the fetches: net_destroy drops transfers without calling done. */
    net_destroy(t->net);
    for (int i = 0; i < PAIRS; i++) {
        for (int k = 0; k < 2; k++) {
            free(t->pairs[i].h[k].url);
            half_reset_answer(&t->pairs[i].h[k]);
        }
    }
    free(t->want[0]);
    free(t->want[1]);
    alerts_unload(t->alerts);
    store_close(t->store);
    trust_keyring_destroy(t->keys);
    free(t->data_dir);
    free(t->ca_file);
    free(t->channel);
    free(t->language);
    free(t->trusted);
    free(t->user_agent);
    free(t);
}

alerter *alerter_open(const alerter_config *cfg)
{
    if (!cfg || !cfg->hub || !cfg->data_dir) {
        LOG_ERROR(MOD, "cannot open the alerts: no hub or data folder");
        return NULL;
    }
    if (cfg->cap_trusted_tls && !alerter_url_trusted(cfg->cap_trusted_tls, cfg->cap_trusted_tls)) {
        LOG_ERROR(MOD, "cap_trusted_tls %s is not an https:// URL prefix", cfg->cap_trusted_tls);
        return NULL;
    }
    alerter *t = calloc(1, sizeof *t);
    if (!t) {
        LOG_ERROR(MOD, "cannot open the alerts: out of memory");
        return NULL;
    }
    t->data_dir = dup_or_null(cfg->data_dir);
    t->ca_file = dup_or_null(cfg->ca_file);
    t->channel = dup_or_null(cfg->channel);
    t->language = strdup(cfg->language ? cfg->language : "ja");
    t->trusted = dup_or_null(cfg->cap_trusted_tls);
    t->user_agent = strdup(cfg->user_agent ? cfg->user_agent : "hiroba");
    t->clock = cfg->clock;
    t->hub = cfg->hub;
    t->poll_ms = cfg->poll_ms ? cfg->poll_ms : ALERTER_POLL_MS;
    t->allow_drills = cfg->allow_drills;
    t->host = cfg->host;
    t->rng = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)t;
    for (int i = 0; i < PAIRS; i++)
        t->pairs[i].due_ms = NEVER;
    if (!t->data_dir || (cfg->ca_file && !t->ca_file) || (cfg->channel && !t->channel) ||
        !t->language || (cfg->cap_trusted_tls && !t->trusted) || !t->user_agent)
        goto fail;
    t->keys = trust_keyring_from_files(cfg->trust, cfg->n_trust, MOD);
    if (!t->keys)
        goto fail;
    if (trust_keyring_count(t->keys) == 0)
        LOG_WARN(MOD, "no usable public key: no signed alert can be shown%s",
                 t->trusted ? " (only the trusted CAP source's)" : "");
    /* On the caller's thread, as curl's global init wants (net.h). */
    net_config nc = {.ca_file = t->ca_file,
                     .user_agent = t->user_agent,
                     .connect_timeout_s = CONNECT_TIMEOUT_S,
                     .cancel = &t->stop};
    t->net = net_create(&nc);
    t->store = store_open(t->data_dir, t->clock);
    if (!t->net || !t->store)
        goto fail;
    alerts_config ac = {.store = t->store,
                        .keys = t->keys,
                        .clock = t->clock,
                        .channel = t->channel,
                        .policy = {.allow_drills = t->allow_drills, .language = t->language},
                        .cap_tls_trusted = t->trusted != NULL,
                        .host = t->host};
    t->alerts = alerts_load(&ac);
    if (!t->alerts)
        goto fail;
    pthread_mutex_init(&t->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cond, &ca);
    pthread_condattr_destroy(&ca);
    alerts_snapshot *s = alerts_current(t->alerts);
    LOG_INFO(MOD, "%zu alert(s) active at start; drills %s; %s", alerts_snapshot_count(s),
             t->allow_drills ? "shown" : "not shown",
             t->trusted ? "CAP trusted without a signature from https under the configured prefix"
                        : "every alert must be signed");
    alerts_snapshot_unref(s);
    return t;
fail:
    LOG_ERROR(MOD, "cannot open the alerts in %s: the kiosk runs without emergency alerts",
              cfg->data_dir);
    alerter_free(t);
    return NULL;
}

alerts_snapshot *alerter_current(alerter *al)
{
    return al ? alerts_current(al->alerts) : NULL;
}

int alerter_start(alerter *al)
{
    if (!al || al->started)
        return al ? 0 : -1;
    if (pthread_create(&al->thread, NULL, run, al) != 0) {
        LOG_ERROR(MOD, "cannot start the alerts thread: alerts stay as loaded");
        return -1;
    }
    al->started = true;
    return 0;
}

void alerter_set_urls(alerter *al, const model_feeds *urls)
{
    if (!al)
        return;
    const char *u[2] = {urls && urls->alerts && *urls->alerts ? urls->alerts : NULL,
                        urls && urls->cap && *urls->cap ? urls->cap : NULL};
    char *want[2] = {dup_or_null(u[0]), dup_or_null(u[1])};
    if ((u[0] && !want[0]) || (u[1] && !want[1])) {
        LOG_ERROR(MOD, "out of memory: alert URLs not changed");
        free(want[0]);
        free(want[1]);
        return;
    }
    pthread_mutex_lock(&al->lock);
    for (int i = 0; i < 2; i++) {
        free(al->want[i]);
        al->want[i] = want[i];
    }
    al->want_changed = true;
    pthread_cond_signal(&al->cond);
    pthread_mutex_unlock(&al->lock);
}

void alerter_stop(alerter *al)
{
    if (!al)
        return;
    if (al->started) {
        pthread_mutex_lock(&al->lock);
        atomic_store(&al->stop, 1);
        pthread_cond_signal(&al->cond);
        pthread_mutex_unlock(&al->lock);
        pthread_join(al->thread, NULL);
    }
    pthread_cond_destroy(&al->cond);
    pthread_mutex_destroy(&al->lock);
    alerter_free(al);
}
