/* alerter_private: what the alerter's two halves share: the transfers and
 * the thread (alerter.c) and the judging of what a turn brought, pair by
 * pair: signature beside document, Atom entries, offers to alerts_accept and
 * the schedule that follows (alerter_pairs.c). Not for other modules. */
#ifndef HIROBA_APP_CORE_ALERTER_PRIVATE_H
#define HIROBA_APP_CORE_ALERTER_PRIVATE_H

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

/* alerter_pairs.c */
void alerter_publish(alerter *t);
void alerter_half_reset_answer(half *h);
/* Takes the URLs main asked for (under the lock), resetting changed pairs. */
void alerter_take_urls(alerter *t);
/* Both halves of a pair have answered: judge them, offer, schedule. */
void alerter_on_pair_done(alerter *t, int which);

#endif
