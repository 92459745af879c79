/* alerter_pairs: the alerter's judging of what a turn brought (see
 * alerter_private.h): a pair is a document and the signature fetched beside
 * it; nothing is offered to alerts_accept without both, an Atom feed's
 * entries become pairs of their own, and every outcome schedules the next
 * poll (backoff after problems, logged once per streak). */
#include "app/core/alerter_private.h"

static const char *pair_name(int which)
{
    return which == PAIR_NATIVE ? "alert" : which == PAIR_CAP ? "cap" : "cap entry";
}

void alerter_publish(alerter *t)
{
    hub_publish_alerts(t->hub, alerts_current(t->alerts));
}

/* ---- pairs ---- */

void alerter_half_reset_answer(half *h)
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
        alerter_half_reset_answer(&p->h[i]);
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
void alerter_take_urls(alerter *t)
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
        alerter_publish(t);
}

void alerter_on_pair_done(alerter *t, int which)
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
