/* alerts_state: the active alerts in memory (a mirror of the store's active
 * rows, each verified and parsed once), time as the alerts see it, and the
 * snapshots the UI reads. Must never let an unsynchronised clock end an alert
 * early, and never hand out a snapshot that changes under its reader. */
#include "app/core/alerts_private.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/core/log.h"

#define MOD       ALERTS_MOD
#define BOOT_FILE "/proc/sys/kernel/random/boot_id"
/* An entry whose time limit moved by less than this is the same entry. */
#define UNTIL_SLACK_MS 2000

/* ---- Shared documents ----------------------------------------------------------------- */

alerts_doc *alerts_doc_new(alert *a)
{
    alerts_doc *d = malloc(sizeof *d);
    if (!d) {
        alert_destroy(a);
        return NULL;
    }
    atomic_init(&d->refs, 1);
    d->a = a;
    return d;
}

alerts_doc *alerts_doc_ref(alerts_doc *d)
{
    if (d)
        atomic_fetch_add(&d->refs, 1);
    return d;
}

void alerts_doc_unref(alerts_doc *d)
{
    if (d && atomic_fetch_sub(&d->refs, 1) == 1) {
        alert_destroy(d->a);
        free(d);
    }
}

/* ---- Time ----------------------------------------------------------------------------- */

static void real_boot_id(char *out, size_t size)
{
    out[0] = '\0';
    FILE *f = fopen(BOOT_FILE, "re");
    if (!f)
        return;
    /* A UUID: 36 characters and a newline. */
    if (fgets(out, (int)size, f))
        out[strcspn(out, "\r\n")] = '\0';
    else
        out[0] = '\0';
    fclose(f);
}

alerts_clock alerts_clock_now(const alerts *al)
{
    alerts_clock c;
    c.wall = clock_now(al->clock).sec;
    if (al->host) {
        c.synced = al->host->synchronised(al->host->user);
        c.mono = al->host->monotonic_ms(al->host->user);
    } else {
        c.synced = clock_is_synchronised(al->clock);
        c.mono = clock_monotonic_ms();
    }
    return c;
}

int64_t alerts_effective_now(const alerts *al, const alerts_item *it, const alerts_clock *now)
{
    if (now->synced)
        return now->wall;
    /* The receipt time: the clock's if it could be trusted then, else the
     * sender's word (the alert cannot have arrived before it was sent). */
    int64_t base = it->received_synced ? it->received_at_ms / 1000 : it->sent;
    int64_t elapsed;
    bool known = it->received_boot[0] && al->boot[0];
    if (known && strcmp(it->received_boot, al->boot) == 0)
        elapsed = now->mono - it->received_mono_ms;
    else if (known)
        elapsed = now->mono; /* another boot: at least this boot's time has passed */
    else
        elapsed = now->mono - it->received_mono_ms; /* not knowing: the smaller of both */
    if (elapsed < 0)
        elapsed = 0;
    return base + elapsed / 1000;
}

bool alerts_overall_expiry(const alert *a, int64_t *out)
{
    *out = 0;
    if (a->n_info == 0)
        return false;
    for (size_t i = 0; i < a->n_info; i++) {
        if (!a->info[i].has_expires)
            return false;
        if (a->info[i].expires > *out)
            *out = a->info[i].expires;
    }
    return true;
}

/* ---- Snapshots ------------------------------------------------------------------------ */

static alerts_snapshot *snapshot_new(void)
{
    alerts_snapshot *s = calloc(1, sizeof *s);
    if (s)
        atomic_init(&s->refs, 1);
    return s;
}

alerts_snapshot *alerts_snapshot_ref(alerts_snapshot *s)
{
    if (s)
        atomic_fetch_add(&s->refs, 1);
    return s;
}

void alerts_snapshot_unref(alerts_snapshot *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    for (size_t i = 0; i < s->count; i++)
        alerts_doc_unref(s->docs[i]);
    free(s);
}

size_t alerts_snapshot_count(const alerts_snapshot *s)
{
    return s ? s->count : 0;
}

const alerts_entry *alerts_snapshot_entry(const alerts_snapshot *s, size_t i)
{
    return s && i < s->count ? &s->entries[i] : NULL;
}

uint64_t alerts_snapshot_version(const alerts_snapshot *s)
{
    return s ? s->version : 0;
}

bool alerts_entry_live(const alerts_entry *e, int64_t mono_now)
{
    return e && mono_now < e->until_mono_ms;
}

const alerts_entry *alerts_snapshot_top(const alerts_snapshot *s, int64_t mono_now)
{
    for (size_t i = 0; s && i < s->count; i++)
        if (alerts_entry_live(&s->entries[i], mono_now))
            return &s->entries[i];
    return NULL;
}

int64_t alerts_snapshot_next_change(const alerts_snapshot *s)
{
    int64_t next = ALERTS_MONO_NEVER;
    for (size_t i = 0; s && i < s->count; i++)
        if (s->entries[i].until_mono_ms < next)
            next = s->entries[i].until_mono_ms;
    return next;
}

alerts_snapshot *alerts_current(alerts *al)
{
    if (!al)
        return NULL;
    pthread_mutex_lock(&al->mutex);
    alerts_snapshot *s = alerts_snapshot_ref(al->current);
    pthread_mutex_unlock(&al->mutex);
    return s;
}

uint64_t alerts_version(alerts *al)
{
    if (!al)
        return 0;
    pthread_mutex_lock(&al->mutex);
    uint64_t v = al->version;
    pthread_mutex_unlock(&al->mutex);
    return v;
}

/* ---- Deciding what is shown ----------------------------------------------------------- */

typedef struct candidate {
    const alerts_item *item;
    alert_decision d;
    int64_t eff;
} candidate;

/* Full screen before banner, real before drill, newest first, then the one
 * received last. */
static int candidate_cmp(const void *pa, const void *pb)
{
    const candidate *a = pa, *b = pb;
    int ra = (a->d.full_screen ? 0 : 2) + (a->d.action == ALERT_ACTION_DRILL ? 1 : 0);
    int rb = (b->d.full_screen ? 0 : 2) + (b->d.action == ALERT_ACTION_DRILL ? 1 : 0);
    if (ra != rb)
        return ra - rb;
    if (a->item->sent != b->item->sent)
        return a->item->sent > b->item->sent ? -1 : 1;
    return a->item->row > b->item->row ? -1 : a->item->row < b->item->row ? 1 : 0;
}

static int64_t until_of(const alerts_item *it, int64_t eff, const alerts_clock *now)
{
    if (!it->has_expires)
        return ALERTS_MONO_NEVER;
    int64_t left = it->expires - eff; /* > 0: expired items are gone by now */
    if (left > (ALERTS_MONO_NEVER - now->mono) / 1000 - 1)
        return ALERTS_MONO_NEVER;
    return now->mono + left * 1000;
}

static bool same_entry(const alerts_snapshot *s, size_t i, const alerts_doc *doc,
                       const alerts_entry *e)
{
    const alerts_entry *o = &s->entries[i];
    int64_t du = o->until_mono_ms - e->until_mono_ms;
    bool same_until =
        o->until_mono_ms == e->until_mono_ms ||
        (o->until_mono_ms != ALERTS_MONO_NEVER && e->until_mono_ms != ALERTS_MONO_NEVER &&
         du > -UNTIL_SLACK_MS && du < UNTIL_SLACK_MS);
    return s->docs[i] == doc && o->decision.action == e->decision.action &&
           o->decision.info == e->decision.info &&
           o->decision.full_screen == e->decision.full_screen && same_until;
}

static void remove_item(alerts *al, size_t i)
{
    alerts_doc_unref(al->items[i].doc);
    memmove(&al->items[i], &al->items[i + 1], (al->n_items - i - 1) * sizeof al->items[0]);
    al->n_items--;
}

int alerts_rebuild(alerts *al, const alerts_clock *now, bool *changed)
{
    if (changed)
        *changed = false;
    int r = 0;
    for (size_t i = 0; i < al->n_items;) {
        alerts_item *it = &al->items[i];
        int64_t eff = alerts_effective_now(al, it, now);
        if (!it->has_expires || it->expires > eff) {
            i++;
            continue;
        }
        int e = store_alert_expire(al->store, it->sender, it->identifier);
        if (e != 0 && e != STORE_ERR_NOT_FOUND)
            r = e; /* not shown either way; the store catches up at the next turn */
        LOG_INFO(MOD, "alert %s expired%s", it->identifier,
                 now->synced ? "" : " (measured from its receipt: clock not synchronised)");
        remove_item(al, i);
    }

    candidate *cands = al->n_items ? calloc(al->n_items, sizeof *cands) : NULL;
    if (al->n_items && !cands)
        return STORE_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < al->n_items; i++) {
        candidate *c = &cands[n];
        c->item = &al->items[i];
        c->eff = alerts_effective_now(al, c->item, now);
        alert_decide(c->item->doc->a, &al->policy, c->eff, &c->d);
        if (c->d.action == ALERT_ACTION_TAKEOVER || c->d.action == ALERT_ACTION_BANNER ||
            c->d.action == ALERT_ACTION_DRILL)
            n++;
    }
    if (n > 1)
        qsort(cands, n, sizeof *cands, candidate_cmp);
    if (n > ALERTS_SHOWN_MAX)
        n = ALERTS_SHOWN_MAX;

    alerts_snapshot *s = snapshot_new();
    if (!s) {
        free(cands);
        return STORE_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const alerts_item *it = cands[i].item;
        s->docs[i] = alerts_doc_ref(it->doc);
        s->entries[i] = (alerts_entry){
            .alert = it->doc->a,
            .decision = cands[i].d,
            .decided_at = cands[i].eff,
            .received_at_ms = it->received_at_ms,
            .until_mono_ms = until_of(it, cands[i].eff, now),
            .signed_by_key = it->signed_by_key,
        };
    }
    s->count = n;
    free(cands);

    pthread_mutex_lock(&al->mutex);
    bool same = al->current && al->current->count == s->count;
    for (size_t i = 0; same && i < s->count; i++)
        same = same_entry(al->current, i, s->docs[i], &s->entries[i]);
    alerts_snapshot *old = NULL;
    if (!same) {
        s->version = ++al->version;
        old = al->current;
        al->current = s;
        s = NULL;
    }
    pthread_mutex_unlock(&al->mutex);
    alerts_snapshot_unref(old);
    alerts_snapshot_unref(s);
    if (changed)
        *changed = !same;
    return r;
}

/* ---- Reading the store back ----------------------------------------------------------- */

typedef struct reload_ctx {
    alerts *al;
    alerts_item *items;
    size_t n, cap;
} reload_ctx;

static bool source_of(const char *column, alerts_source *out)
{
    if (strcmp(column, "native") == 0)
        *out = ALERTS_SOURCE_NATIVE;
    else if (strcmp(column, "cap") == 0)
        *out = ALERTS_SOURCE_CAP;
    else if (strcmp(column, "cap-tls") == 0)
        *out = ALERTS_SOURCE_CAP_TLS;
    else
        return false;
    return true;
}

static int reload_row(void *user, const store_alert *row)
{
    reload_ctx *c = user;
    alerts *al = c->al;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        alerts_item *grown = realloc(c->items, cap * sizeof *grown);
        if (!grown)
            return STORE_ERR_NOMEM;
        c->items = grown;
        c->cap = cap;
    }
    alerts_item *it = &c->items[c->n];
    memset(it, 0, sizeof *it);
    /* Already in memory: verified and parsed when it came. */
    for (size_t i = 0; i < al->n_items; i++) {
        if (al->items[i].row == row->row && al->items[i].doc) {
            *it = al->items[i];
            al->items[i].doc = NULL;
            c->n++;
            return 0;
        }
    }
    alerts_source source;
    char why[ALERTS_REASON_MAX];
    alert *a = NULL;
    bool signed_by_key = false, nomem = false;
    alerts_code code = ALERTS_ERR_INVALID;
    if (!source_of(row->source, &source))
        snprintf(why, sizeof why, "unknown source '%s'", row->source);
    else
        code = alerts_check(al, row->document, row->document_len, row->signature,
                            row->signature ? strlen(row->signature) : 0, source, &a, &signed_by_key,
                            &nomem, NULL, 0, why, sizeof why);
    if (nomem)
        return STORE_ERR_NOMEM;
    if (code == ALERTS_OK &&
        (strcmp(a->sender, row->sender) != 0 || strcmp(a->identifier, row->identifier) != 0)) {
        code = ALERTS_ERR_INVALID;
        snprintf(why, sizeof why, "the document is alert %.80s, not the row's", a->identifier);
        alert_destroy(a);
    }
    if (code != ALERTS_OK) {
        /* Left active in the store (a key may come back in the config), never shown. */
        LOG_WARN(MOD, "stored alert %s: %s: not shown", row->identifier, why);
        return 0;
    }
    it->doc = alerts_doc_new(a);
    if (!it->doc)
        return STORE_ERR_NOMEM;
    it->row = row->row;
    snprintf(it->sender, sizeof it->sender, "%s", row->sender);
    snprintf(it->identifier, sizeof it->identifier, "%s", row->identifier);
    it->sent = row->sent;
    it->has_expires = row->has_expires;
    it->expires = row->expires;
    it->received_at_ms = row->received_at_ms;
    it->received_synced = row->received_synced;
    snprintf(it->received_boot, sizeof it->received_boot, "%s", row->received_boot);
    it->received_mono_ms = row->received_mono_ms;
    it->signed_by_key = signed_by_key;
    c->n++;
    return 0;
}

static void free_items(alerts_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        alerts_doc_unref(items[i].doc);
    free(items);
}

int alerts_reload(alerts *al, bool *changed)
{
    if (changed)
        *changed = false;
    reload_ctx c = {.al = al};
    int r = store_alerts_active(al->store, reload_row, &c);
    if (r != 0) {
        free_items(c.items, c.n);
        return r;
    }
    free_items(al->items, al->n_items);
    al->items = c.items;
    al->n_items = c.n;
    al->cap_items = c.cap;
    alerts_clock now = alerts_clock_now(al);
    return alerts_rebuild(al, &now, changed);
}

/* ---- Life cycle ----------------------------------------------------------------------- */

alerts *alerts_load(const alerts_config *cfg)
{
    if (!cfg || !cfg->store || !cfg->keys ||
        (cfg->channel && (!cfg->channel[0] || strlen(cfg->channel) > STORE_CHANNEL_MAX)) ||
        (cfg->host &&
         (!cfg->host->monotonic_ms || !cfg->host->synchronised || !cfg->host->boot_id))) {
        LOG_ERROR(MOD, "alerts_load: invalid configuration");
        return NULL;
    }
    const char *lang = cfg->policy.language ? cfg->policy.language : "ja";
    alerts *al = calloc(1, sizeof *al);
    if (!al || sodium_init() < 0) {
        LOG_ERROR(MOD, "out of memory");
        free(al);
        return NULL;
    }
    alert_init();
    al->store = cfg->store;
    al->keys = cfg->keys;
    al->clock = cfg->clock;
    al->host = cfg->host;
    if (cfg->channel) {
        snprintf(al->channel, sizeof al->channel, "%s", cfg->channel);
        al->check_channel = true;
    }
    snprintf(al->language, sizeof al->language, "%s", lang);
    al->policy = cfg->policy;
    al->policy.language = al->language;
    al->cap_tls_trusted = cfg->cap_tls_trusted;
    if (al->host)
        al->host->boot_id(al->host->user, al->boot, sizeof al->boot);
    else
        real_boot_id(al->boot, sizeof al->boot);
    al->boot[sizeof al->boot - 1] = '\0';
    pthread_mutex_init(&al->mutex, NULL);
    al->current = snapshot_new();
    if (!al->current) {
        LOG_ERROR(MOD, "out of memory");
        alerts_unload(al);
        return NULL;
    }
    int r = alerts_reload(al, NULL);
    if (r != 0) {
        LOG_ERROR(MOD, "cannot read the stored alerts: %s", store_strerror(r));
        alerts_unload(al);
        return NULL;
    }
    if (al->n_items)
        LOG_INFO(MOD, "%zu active alert(s) read back, %zu shown", al->n_items, al->current->count);
    return al;
}

void alerts_unload(alerts *al)
{
    if (!al)
        return;
    free_items(al->items, al->n_items);
    alerts_snapshot_unref(al->current);
    pthread_mutex_destroy(&al->mutex);
    free(al);
}

int alerts_tick(alerts *al, bool *changed)
{
    if (changed)
        *changed = false;
    if (!al)
        return STORE_ERR_INVALID;
    alerts_clock now = alerts_clock_now(al);
    return alerts_rebuild(al, &now, changed);
}
