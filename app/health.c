/* health: the metrics sample and the staff report from the running kiosk
 * (see health.h). Everything here is read from what main already holds;
 * the only I/O is the metrics file every 15 s and, while the staff page
 * shows, its report every few seconds. */
#include "app/health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/metrics.h"
#include "app/core/status.h"

struct health {
    health_config cfg;
    metrics *metrics;
    metrics_frames frames;
    int64_t start_ms;
    screen_staff staff;
    char kiosk_id[STATUS_TEXT_MAX];
};

static void staff_status(void *user, status_report *out)
{
    health_report(user, out);
}

static void staff_sync_now(void *user)
{
    health *h = user;
    if (h->cfg.updater)
        updater_poke(h->cfg.updater);
}

static void staff_restart(void *user)
{
    health *h = user;
    if (h->cfg.restart)
        h->cfg.restart(h->cfg.restart_user);
}

health *health_create(const health_config *cfg)
{
    health *h = calloc(1, sizeof *h);
    if (!h) {
        LOG_ERROR("health", "out of memory");
        return NULL;
    }
    h->cfg = *cfg;
    h->start_ms = clock_monotonic_ms();
    const char *dir = cfg->metrics_dir;
    h->metrics = metrics_create(dir && strcmp(dir, "off") == 0 ? "" : dir);
    status_kiosk_id(h->kiosk_id, sizeof h->kiosk_id, cfg->kiosk_id);
    h->staff = (screen_staff){.pin = cfg->staff_pin,
                              .status = staff_status,
                              .sync_now = staff_sync_now,
                              .restart = staff_restart,
                              .user = h};
    if (!staff_pin_valid(cfg->staff_pin))
        LOG_INFO("health", "no staff_pin in the config: the staff view is off");
    return h;
}

void health_destroy(health *h)
{
    if (!h)
        return;
    metrics_destroy(h->metrics);
    free(h);
}

screen_staff *health_staff(health *h)
{
    return &h->staff;
}

void health_frame(health *h, double seconds)
{
    if (h)
        metrics_frames_observe(&h->frames, seconds);
}

static int64_t now_sec(const health *h)
{
    const screen_ctx *ctx = h->cfg.ctx;
    return ctx->clock ? clock_now(ctx->clock).sec : 0;
}

static void feed_report(status_feed *out, const hub_feed_status *st)
{
    out->configured = st->configured;
    out->fetched_at_s = st->fetched_at_ms / 1000;
    out->failing = st->failing;
    snprintf(out->error, sizeof out->error, "%s", st->error);
}

/* The live alerts: how many, whether one covers the screen, the first's
 * headline. */
static void alerts_report(const screen_ctx *ctx, status_report *r, bool *banner)
{
    *banner = false;
    const alerts_snapshot *snap = ctx->alerts;
    size_t n = snap ? alerts_snapshot_count(snap) : 0;
    for (size_t i = 0; i < n; i++) {
        const alerts_entry *e = alerts_snapshot_entry(snap, i);
        if (!alerts_entry_live(e, ctx->now_ms))
            continue;
        if (r->alerts_live++ == 0) {
            const alert_info *info = e->decision.info;
            snprintf(r->alert_headline, sizeof r->alert_headline, "%s",
                     info && info->headline ? info->headline
                     : info && info->event  ? info->event
                                            : "");
        }
        r->alert_takeover = r->alert_takeover || e->decision.full_screen;
        *banner = *banner || !e->decision.full_screen;
    }
}

void health_report(health *h, status_report *r)
{
    const screen_ctx *ctx = h->cfg.ctx;
    memset(r, 0, sizeof *r);
    snprintf(r->kiosk_id, sizeof r->kiosk_id, "%s", h->kiosk_id);
    snprintf(r->version, sizeof r->version, "%s", h->cfg.version ? h->cfg.version : "?");
    snprintf(r->channel, sizeof r->channel, "%s", h->cfg.channel ? h->cfg.channel : "");
    if (ctx->pack && ctx->pack->manifest.present) {
        r->pack_version = ctx->pack->manifest.version;
        r->pack_issued_s = ctx->pack->manifest.issued;
    }
    channel_result last;
    int64_t at_ms;
    if (h->cfg.hub && hub_last_sync(h->cfg.hub, &last, &at_ms)) {
        r->have_sync = true;
        r->sync_ok = last.outcome == CHANNEL_UPDATED || last.outcome == CHANNEL_CURRENT;
        r->sync_at_s = at_ms / 1000;
        if (r->sync_ok)
            snprintf(r->sync_result, sizeof r->sync_result, "%s, version %lld",
                     channel_outcome_name(last.outcome), (long long)last.version);
        else
            snprintf(r->sync_result, sizeof r->sync_result, "%s: %.230s",
                     channel_outcome_name(last.outcome), last.reason);
    }
    if (ctx->feeds) {
        feed_report(&r->queue, &ctx->feeds->queue_status);
        feed_report(&r->vacancy, &ctx->feeds->vacancy_status);
    }
    bool banner;
    alerts_report(ctx, r, &banner);
    status_collect_system(r, h->cfg.data_dir, ctx->store);
}

static metrics_feed feed_sample(const hub_feed_status *st, int64_t now_s)
{
    metrics_feed f = {.configured = st->configured, .failing = st->failing};
    if (st->fetched_at_ms > 0) {
        f.have_age = true;
        f.age_s = (double)(now_s * 1000 - st->fetched_at_ms) / 1000.0;
        f.age_s = f.age_s > 0 ? f.age_s : 0;
    }
    return f;
}

void health_tick(health *h, int64_t now_ms)
{
    if (!h)
        return;
    const screen_ctx *ctx = h->cfg.ctx;
    int64_t next = metrics_next_ms(h->metrics);
    if (next > now_ms && ctx->frame) /* a static screen sleeps: not past the next write */
        ui_frame_wake_in(ctx->frame, (uint32_t)(next - now_ms));
    if (!metrics_due(h->metrics, now_ms))
        return;
    int64_t now_s = now_sec(h);
    metrics_sample s = {
        .version = h->cfg.version,
        .channel = h->cfg.channel,
        .frames_total = h->frames.count,
        .frames = &h->frames,
        .rss_bytes = metrics_rss_bytes(),
        .uptime_s = (double)(clock_monotonic_ms() - h->start_ms) / 1000.0,
        .log_suppressed = log_suppressed_total(),
        .have_alerts = true,
    };
    if (ctx->pack && ctx->pack->manifest.present) {
        s.have_pack = true;
        s.pack_version = ctx->pack->manifest.version;
        s.pack_age_s = (double)(now_s - ctx->pack->manifest.issued);
    }
    channel_result last;
    int64_t at_ms;
    if (h->cfg.hub && hub_last_sync(h->cfg.hub, &last, &at_ms)) {
        s.have_sync = true;
        s.sync_ok = last.outcome == CHANNEL_UPDATED || last.outcome == CHANNEL_CURRENT;
        s.sync_at_s = at_ms / 1000;
    }
    if (ctx->feeds) {
        s.queue = feed_sample(&ctx->feeds->queue_status, now_s);
        s.vacancy = feed_sample(&ctx->feeds->vacancy_status, now_s);
    }
    status_report r = {0};
    alerts_report(ctx, &r, &s.alert_banner);
    s.alert_takeover = r.alert_takeover;
    metrics_write(h->metrics, &s, now_ms);
    if (ctx->frame)
        ui_frame_wake_in(ctx->frame, METRICS_INTERVAL_MS);
}
