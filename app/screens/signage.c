/* signage: the loop itself. Decides what shows when: the items on now in
 * play order, each for its duration (a clip until it ends, at most its
 * duration), a crossfade between them, the schedule read again at every
 * item boundary; logs proof of play for each item shown; skips what cannot
 * be shown (logged) so the screen is never left black. Draws nothing itself
 * (signage_draw.c does) and asks for a frame only when something changed or
 * moves. Never reads a pack other than ctx->pack. */
#include "app/screens/signage_private.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/schedule.h"
#include "app/screens/kit.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

#define MEDIA_POLL_MS 20    /* while a picture decodes or a clip opens */
#define RETRY_MS      10000 /* nothing could be shown: look again after this */
/* A play longer than its item's duration by more than this is a clock jump. */
#define PLAY_SLACK_MS 60000

static const uint32_t text_pairs[][2] = {
    {SG_INK, SG_PAGE},          {SG_INK_SOFT, SG_PAGE},
    {SG_ON_BAND, SG_BAND},      {SG_ON_TICKER, SG_TICKER_BG},
    {SG_ON_LABEL, SG_LABEL_BG}, {SG_BULLET, SG_TICKER_BG},
};

double signage_min_contrast(void)
{
    double worst = 21.0;
    for (size_t i = 0; i < sizeof text_pairs / sizeof text_pairs[0]; i++) {
        double c =
            ui_color_contrast(ui_color_hex(text_pairs[i][0]), ui_color_hex(text_pairs[i][1]));
        worst = c < worst ? c : worst;
    }
    return worst;
}

static int64_t wall_ms(const screen_ctx *ctx)
{
    clock_time t = clock_now(ctx->clock);
    return t.sec * 1000 + t.ms;
}

/* ---- proof of play ---- */

static void log_play(signage *s, const screen_ctx *ctx, signage_slot *slot, int64_t now)
{
    if (!slot->item || slot->ended)
        return;
    slot->ended = true;
    int64_t shown = now - slot->start_ms;
    int64_t most = (int64_t)slot->item->duration_ms + PLAY_SLACK_MS;
    shown = shown < 0 ? 0 : shown > most ? most : shown;
    LOG_DEBUG("signage", "played %s for %lld ms%s", slot->id, (long long)shown,
              slot->covered ? " under an alert: not logged" : "");
    /* Proof of play says what residents could see: nothing under a
     * full-screen alert. */
    if (!s->plays || !ctx->store || slot->covered)
        return;
    int rc = store_log_play(ctx->store, s->channel, s->version, slot->id, slot->start_ms, shown);
    if (rc != 0)
        LOG_WARN("signage", "cannot log the play of %s: %s", slot->id, store_strerror(rc));
}

/* ---- the pack ---- */

static void stop_video(signage *s, screen_ctx *ctx)
{
    if (s->video_item && ctx->video)
        ui_video_stop(ctx->video);
    s->video_item = NULL;
}

static void refresh_minute(signage *s, screen_ctx *ctx);

/* Forgets every pointer into the old pack (without reading it: it may be
 * gone) and starts over with ctx->pack. */
static void sync_pack(signage *s, screen_ctx *ctx)
{
    const model_pack *p = ctx->pack;
    if (p == s->pack && (!p || (p->items == s->pack_items && p->n_items == s->pack_n_items &&
                                p->manifest.version == s->pack_version)))
        return;
    log_play(s, ctx, &s->cur, wall_ms(ctx));
    stop_video(s, ctx);
    signage_media_clear(s->media);
    signage_glue_clear(s);
    s->cur = (signage_slot){0};
    s->out = (signage_slot){0};
    s->incoming = NULL;
    s->fading = false;
    s->n_list = 0;
    s->skips = 0;
    s->retry_mono = 0;
    s->ticker = (signage_ticker){0};
    s->shown_minute = INT64_MIN; /* the header and ticker are read again */
    s->pack = p;
    s->pack_items = p ? p->items : NULL;
    s->pack_n_items = p ? p->n_items : 0;
    s->pack_version = p ? p->manifest.version : 0;
    s->plays = p && p->manifest.present && p->manifest.channel && p->manifest.version > 0;
    snprintf(s->channel, sizeof s->channel, "%s", s->plays ? p->manifest.channel : "");
    s->version = s->plays ? p->manifest.version : 0;
    if (p)
        LOG_INFO("signage", "showing %s%s%lld", s->plays ? s->channel : "a pack source",
                 s->plays ? " version " : "", (long long)s->version);
    refresh_minute(s, ctx);
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

/* ---- the play order ---- */

static void evaluate(signage *s, const screen_ctx *ctx, int64_t epoch_s)
{
    size_t n = ctx->pack ? schedule_items_now(ctx->pack, epoch_s, s->list, s->cap_list) : 0;
    if (n > s->cap_list) {
        const model_item **grown = realloc(s->list, n * sizeof *grown);
        if (!grown) {
            LOG_ERROR("signage", "out of memory for %zu items", n);
            n = s->cap_list;
        } else {
            s->list = grown;
            s->cap_list = n;
            n = schedule_items_now(ctx->pack, epoch_s, s->list, s->cap_list);
        }
    }
    s->n_list = n < s->cap_list ? n : s->cap_list;
}

/* Where the loop goes after pos (with item there before the list was read
 * again): the next position, or 0 when that item is no longer on. */
static size_t next_pos(const signage *s, const model_item *item, size_t pos)
{
    if (!s->n_list)
        return 0;
    if (item && pos < s->n_list && s->list[pos] == item)
        return (pos + 1) % s->n_list;
    for (size_t i = 0; item && i < s->n_list; i++)
        if (s->list[i] == item)
            return (i + 1) % s->n_list;
    return 0;
}

/* Media to keep in memory: logo, outgoing, current, incoming, next. */
static void keep_media(signage *s, const screen_ctx *ctx)
{
    const model_media *keep[5] = {ctx->pack ? ctx->pack->facility.logo : NULL};
    size_t n = 1;
    if (s->fading && s->out.item)
        keep[n++] = s->out.item->media;
    if (s->cur.item)
        keep[n++] = s->cur.item->media;
    if (s->incoming)
        keep[n++] = s->incoming->media;
    if (s->cur.item && !s->incoming && s->n_list) {
        const model_item *next = s->list[next_pos(s, s->cur.item, s->cur.pos)];
        if (next->kind != MODEL_ITEM_VIDEO)
            keep[n++] = next->media;
    }
    signage_media_keep(s->media, keep, n);
}

static void want_picture(signage *s, screen_ctx *ctx, const model_media *m)
{
    if (m && m->kind == MODEL_MEDIA_IMAGE)
        signage_media_want(s->media, ctx, m, ctx->width, ctx->height);
}

/* The logo is drawn small: a small picture is enough. */
static enum signage_media_state want_logo(signage *s, screen_ctx *ctx)
{
    const model_media *logo = ctx->pack ? ctx->pack->facility.logo : NULL;
    if (!logo)
        return SG_MEDIA_NONE;
    enum signage_media_state st = signage_media_want(s->media, ctx, logo, 512, 512);
    if (st == SG_MEDIA_FAILED && !s->logo_warned) {
        LOG_WARN("signage", "logo left out: %s", signage_media_error(s->media, logo));
        s->logo_warned = true;
    }
    return st;
}

/* Chooses item as the next to show and starts loading what it needs. */
static void choose(signage *s, screen_ctx *ctx, const model_item *item, size_t pos)
{
    s->incoming = item;
    s->incoming_pos = pos;
    if (item->kind == MODEL_ITEM_VIDEO) {
        char path[PATH_MAX];
        if (!ctx->video)
            return;
        if (s->video_item)
            stop_video(s, ctx);
        s->video_item = item;
        if (!ctx->media_path || ctx->media_path(ctx->media_user, item->media, path, sizeof path)) {
            s->video_item = NULL; /* reported as a failure by readiness() */
            return;
        }
        ui_video_set_muted(ctx->video, true);
        if (ui_video_open(ctx->video, path) == 0)
            ui_video_play(ctx->video);
        return;
    }
    want_picture(s, ctx, item->media);
}

enum readiness { NOT_YET, READY, CANNOT };

/* Whether the incoming item can be shown; why says why not. */
static enum readiness readiness(signage *s, screen_ctx *ctx, char *why, size_t cap)
{
    const model_item *it = s->incoming;
    switch (it->kind) {
    case MODEL_ITEM_CARD:
        if (it->media && signage_media_want(s->media, ctx, it->media, ctx->width, ctx->height) ==
                             SG_MEDIA_LOADING)
            return NOT_YET;
        return READY; /* a picture that failed leaves the text */
    case MODEL_ITEM_IMAGE:
        switch (signage_media_want(s->media, ctx, it->media, ctx->width, ctx->height)) {
        case SG_MEDIA_READY:
            return READY;
        case SG_MEDIA_FAILED:
            snprintf(why, cap, "%s", signage_media_error(s->media, it->media));
            return CANNOT;
        default:
            return NOT_YET;
        }
    case MODEL_ITEM_VIDEO:
        if (!ctx->video) {
            snprintf(why, cap, "this kiosk plays no video");
            return CANNOT;
        }
        if (s->video_item != it) {
            snprintf(why, cap, "%s is missing", it->media->name);
            return CANNOT;
        }
        switch (ui_video_state(ctx->video)) {
        case UI_VIDEO_PLAYING:
        case UI_VIDEO_ENDED:
            return ui_video_texture(ctx->video, NULL, NULL) ? READY : NOT_YET;
        case UI_VIDEO_OPENING:
            return NOT_YET;
        case UI_VIDEO_ERROR:
            snprintf(why, cap, "%s", ui_video_error(ctx->video));
            return CANNOT;
        default:
            snprintf(why, cap, "%s is missing", it->media->name);
            return CANNOT;
        }
    case MODEL_ITEM_BOARD:
        return READY; /* drawn from the feeds: nothing to load */
    }
    return CANNOT;
}

/* The incoming item becomes the current one: the old one fades out. */
static void start_incoming(signage *s, screen_ctx *ctx, int64_t now)
{
    log_play(s, ctx, &s->cur, now);
    if (s->out.item == s->video_item && s->out.item && s->out.item != s->incoming)
        stop_video(s, ctx);
    s->out = s->cur;
    s->cur = (signage_slot){.item = s->incoming, .pos = s->incoming_pos, .start_ms = now};
    snprintf(s->cur.id, sizeof s->cur.id, "%s", s->incoming->id);
    const model_item *it = s->incoming;
    signage_board_start(s, it);
    if (it->kind == MODEL_ITEM_CARD && it->media &&
        signage_media_want(s->media, ctx, it->media, ctx->width, ctx->height) == SG_MEDIA_FAILED) {
        s->cur.image_failed = true;
        LOG_WARN("signage", "item %s: picture left out: %s", it->id,
                 signage_media_error(s->media, it->media));
    }
    s->incoming = NULL;
    s->skips = 0;
    /* An item that follows itself (a one-item loop) just goes on: fading a
     * picture into the same picture costs a lot of drawing for nothing. */
    bool same = s->out.item == s->cur.item && s->cur.item->kind != MODEL_ITEM_VIDEO;
    s->fading = !s->still && s->out.item && !same;
    s->fade_start_mono = clock_monotonic_ms();
    if (!s->fading)
        s->out = (signage_slot){0};
    keep_media(s, ctx);
    /* Preload the next one while this one shows. */
    if (s->n_list) {
        const model_item *next = s->list[next_pos(s, it, s->cur.pos)];
        if (next->kind != MODEL_ITEM_VIDEO)
            want_picture(s, ctx, next->media);
    }
    if (ctx->frame && !same)
        ui_frame_invalidate(ctx->frame);
}

/* Picks what comes after the current (or skipped) item, in the order read
 * again now. */
static void choose_next(signage *s, screen_ctx *ctx, int64_t now)
{
    const model_item *after = s->incoming ? s->incoming : s->cur.item;
    size_t after_pos = s->incoming ? s->incoming_pos : s->cur.pos;
    s->incoming = NULL;
    evaluate(s, ctx, now / 1000);
    if (!s->n_list || s->skips >= s->n_list) {
        if (s->skips && s->n_list)
            LOG_WARN("signage", "none of the %zu items on now can be shown; trying again in %d s",
                     s->n_list, RETRY_MS / 1000);
        s->skips = 0;
        s->retry_mono = clock_monotonic_ms() + RETRY_MS;
        if (!s->n_list && s->cur.item) {
            /* Nothing is on any more: back to the idle screen. */
            stop_video(s, ctx);
            s->cur = (signage_slot){0};
            s->out = (signage_slot){0};
            s->fading = false;
            keep_media(s, ctx);
            if (ctx->frame)
                ui_frame_invalidate(ctx->frame);
        }
        return;
    }
    size_t pos = after ? next_pos(s, after, after_pos) : 0;
    choose(s, ctx, s->list[pos], pos);
}

/* Moves the loop on: ends the current item when its time is up, shows the
 * incoming one when it is ready, skips what cannot be shown. */
static void advance(signage *s, screen_ctx *ctx, int64_t now)
{
    signage_slot *c = &s->cur;
    if (c->item && !c->ended) {
        if (now < c->start_ms)
            c->start_ms = now; /* the clock went back: start the item's time again */
        bool over = now - c->start_ms >= (int64_t)c->item->duration_ms;
        if (c->item->kind == MODEL_ITEM_VIDEO && ctx->video && s->video_item == c->item) {
            enum ui_video_state st = ui_video_state(ctx->video);
            if (st == UI_VIDEO_ERROR)
                LOG_WARN("signage", "item %s: %s", c->id, ui_video_error(ctx->video));
            over = over || st == UI_VIDEO_ENDED || st == UI_VIDEO_ERROR || st == UI_VIDEO_IDLE;
        }
        if (over) {
            log_play(s, ctx, c, now);
            choose_next(s, ctx, now);
        }
    }
    if (!s->incoming && (!c->item || c->ended) && clock_monotonic_ms() >= s->retry_mono)
        choose_next(s, ctx, now);
    /* Bounded: every pass either shows, waits, or skips one more item. */
    while (s->incoming) {
        char why[200] = "";
        enum readiness r = readiness(s, ctx, why, sizeof why);
        if (r == NOT_YET)
            break;
        if (r == READY) {
            start_incoming(s, ctx, now);
            break;
        }
        LOG_WARN("signage", "item %s skipped: %s", s->incoming->id, why);
        if (s->incoming == s->video_item)
            stop_video(s, ctx);
        s->skips++;
        choose_next(s, ctx, now);
    }
}

/* ---- the header's minute ---- */

static void refresh_minute(signage *s, screen_ctx *ctx)
{
    clock_time now = clock_now(ctx->clock);
    int64_t minute = now.sec >= 0 ? now.sec / 60 : (now.sec - 59) / 60;
    model_lang lang = signage_lang(ctx);
    if (minute == s->shown_minute && lang == s->lang)
        return;
    s->shown_minute = minute;
    s->lang = lang;
    struct tm tm;
    int rc = ctx->pack ? tz_zone_local(ctx->pack->zone, now.sec, &tm)
                       : clock_local(ctx->clock, ctx->tz, &tm);
    if (rc != 0 || (lang == MODEL_LANG_EN ? clock_format_en(&tm, s->when, sizeof s->when)
                                          : clock_format_ja(&tm, s->when, sizeof s->when)) < 0)
        snprintf(s->when, sizeof s->when, "--:--");
    signage_ticker_refresh(s, ctx, now.sec);
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

/* ---- screen ops ---- */

static void *signage_enter(screen_ctx *ctx)
{
    signage *s = calloc(1, sizeof *s);
    if (!s) {
        LOG_ERROR("signage", "out of memory");
        return NULL;
    }
    s->media = signage_media_create();
    if (!s->media) {
        free(s);
        return NULL;
    }
    s->shown_minute = INT64_MIN;
    s->lang = signage_lang(ctx);
    sync_pack(s, ctx);
    refresh_minute(s, ctx);
    /* Nothing is on screen yet: a short wait for the first item's picture
     * keeps the very first frame from showing an empty main area. */
    if (ctx->pack) {
        want_logo(s, ctx);
        advance(s, ctx, wall_ms(ctx));
        signage_settle(s, ctx, 300, NULL, 0);
    }
    return s;
}

static void signage_leave(void *self, screen_ctx *ctx)
{
    signage *s = self;
    if (!s)
        return;
    log_play(s, ctx, &s->cur, wall_ms(ctx));
    stop_video(s, ctx);
    signage_media_destroy(s->media);
    signage_glue_clear(s);
    signage_board_clear(s);
    free(s->list);
    free(s);
}

/* While something moves: a frame now if one is due, and a wake-up for the
 * next one (on a vsync display, present paces the loop anyway). */
static void pace(signage *s, screen_ctx *ctx)
{
    int64_t mono = clock_monotonic_ms(), since = mono - s->last_frame_mono;
    if (since >= SIGNAGE_FRAME_MS || since < 0) {
        ui_frame_invalidate(ctx->frame);
        s->last_frame_mono = mono;
        since = 0;
    }
    ui_frame_wake_in(ctx->frame, (uint32_t)(SIGNAGE_FRAME_MS - since));
}

static void signage_update(void *self, screen_ctx *ctx)
{
    signage *s = self;
    sync_pack(s, ctx);
    refresh_minute(s, ctx);
    want_logo(s, ctx);
    if (ctx->alert_covering && s->cur.item)
        s->cur.covered = true;
    bool changed = signage_media_poll(s->media, ctx->renderer);
    if (ctx->video && s->video_item)
        changed = ui_video_update(ctx->video) || changed;
    if (changed && ctx->frame)
        ui_frame_invalidate(ctx->frame);
    int64_t now = wall_ms(ctx);
    if (s->fading && (s->still || clock_monotonic_ms() - s->fade_start_mono >= SIGNAGE_FADE_MS)) {
        s->fading = false;
        if (s->out.item && s->out.item == s->video_item && s->cur.item != s->video_item)
            stop_video(s, ctx);
        s->out = (signage_slot){0};
        keep_media(s, ctx);
        if (ctx->frame)
            ui_frame_invalidate(ctx->frame);
    }
    if (ctx->pack)
        advance(s, ctx, now);
    if (s->cur.item && s->cur.item->kind == MODEL_ITEM_BOARD)
        signage_board_update(s, ctx);
    if (!ctx->frame)
        return;

    signage_geom g;
    signage_geometry(s, ctx, &g);
    signage_ticker_measure(s, ctx, &g);
    if (s->fading || (s->ticker.moving && !s->still))
        pace(s, ctx);
    if (s->incoming || signage_media_busy(s->media))
        ui_frame_wake_in(ctx->frame, MEDIA_POLL_MS);
    if (ctx->video && s->video_item) {
        int ms = ui_video_wake_in_ms(ctx->video);
        if (ms >= 0)
            ui_frame_wake_in(ctx->frame, (uint32_t)ms);
    }
    if (!s->incoming && (!s->cur.item || s->cur.ended) && ctx->pack && s->retry_mono > 0) {
        int64_t left = s->retry_mono - clock_monotonic_ms();
        ui_frame_wake_in(ctx->frame, (uint32_t)(left > 0 ? left : 0));
    }
    if (!clock_is_frozen(ctx->clock)) {
        clock_time t = clock_now(ctx->clock);
        int64_t into = (t.sec % 60 + 60) % 60 * 1000 + t.ms;
        ui_frame_wake_in(ctx->frame, (uint32_t)(60000 - into));
        if (s->cur.item && !s->cur.ended) {
            int64_t left = s->cur.start_ms + (int64_t)s->cur.item->duration_ms - now;
            ui_frame_wake_in(ctx->frame, (uint32_t)(left > 0 ? left : 0));
        }
    }
}

/* On a touch kiosk the loop is what a resident first sees: a small pill
 * above the footer invites a touch (a tap ring and the words, on the band's
 * colours). */
static void draw_touch_hint(signage *s, screen_ctx *ctx)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    signage_geom g;
    signage_geometry(s, ctx, &g);
    const char *key = "chrome.touch_hint";
    model_lang lang =
        ctx->catalog ? catalog_lang(ctx->catalog, signage_lang(ctx), key) : MODEL_LANG_EN;
    const char *text = ctx->catalog ? catalog_get(ctx->catalog, signage_lang(ctx), key) : key;
    text_style st = kit_style(ctx, lang, m.small_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 0);
    st.line_height = 1.3f;
    const text_layout *l = kit_layout(ctx, text, &st, ctx->width / 2);
    if (!l)
        return;
    int pad = m.gap / 2, ring = m.small_px, th = text_layout_height(l);
    int h = (th > ring ? th : ring) + pad;
    int w = pad + ring + pad + text_layout_max_advance(l) + pad * 2;
    int bottom = g.strip.h > 0 ? g.strip.y : ctx->height;
    SDL_Rect pill = {ctx->width - w - m.gap, bottom - h - m.gap / 2, w, h};
    ui_draw_rounded_rect(ctx->renderer, pill, h / 2, t->band);
    float cx = (float)(pill.x + pad + ring / 2), cy = (float)(pill.y + h / 2);
    kit_draw_ring(ctx->renderer, cx, cy, (float)ring / 2.0f, (float)ring / 8.0f, t->band_ink);
    kit_draw_disc(ctx->renderer, cx, cy, (float)ring / 5.0f, t->band_ink);
    text_atlas_draw(ctx->atlas, l, pill.x + pad + ring + pad, pill.y + (h - th) / 2, t->band_ink);
}

static void signage_draw(void *self, screen_ctx *ctx)
{
    signage *s = self;
    sync_pack(s, ctx);
    signage_draw_frame(s, ctx);
    if (ctx->touch && ctx->session)
        draw_touch_hint(s, ctx);
}

/* On a touch kiosk a tap anywhere opens the home menu. */
static bool signage_event(void *self, screen_ctx *ctx, const SDL_Event *ev)
{
    (void)self;
    if (!ctx->touch || !ctx->session)
        return false;
    kit_pointer p = kit_pointer_from_event(ctx, ev);
    if (p.kind == KIT_POINTER_UP)
        screen_go(ctx, &home_screen_ops);
    return p.kind != KIT_POINTER_NONE;
}

const screen_ops signage_screen_ops = {
    .name = "signage",
    .enter = signage_enter,
    .event = signage_event,
    .update = signage_update,
    .draw = signage_draw,
    .leave = signage_leave,
};

/* ---- for previews and tests ---- */

size_t signage_items(const signage *s, const screen_ctx *ctx, const model_item **out, size_t cap)
{
    (void)s;
    if (!ctx->pack)
        return 0;
    return schedule_items_now(ctx->pack, clock_now(ctx->clock).sec, out, cap);
}

int signage_force_item(signage *s, screen_ctx *ctx, const model_item *item)
{
    sync_pack(s, ctx);
    const model_pack *p = ctx->pack;
    if (!p || !item || item < p->items || item >= p->items + p->n_items)
        return -1;
    int64_t now = wall_ms(ctx);
    log_play(s, ctx, &s->cur, now);
    evaluate(s, ctx, now / 1000);
    size_t pos = 0;
    while (pos < s->n_list && s->list[pos] != item)
        pos++;
    s->fading = false;
    s->out = (signage_slot){0};
    if (s->video_item)
        stop_video(s, ctx);
    s->cur = (signage_slot){0};
    choose(s, ctx, item, pos);
    keep_media(s, ctx);
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
    return 0;
}

const model_item *signage_current(const signage *s)
{
    return s->cur.item ? s->cur.item : s->incoming;
}

void signage_set_still(signage *s, bool still)
{
    s->still = still;
}

int signage_settle(signage *s, screen_ctx *ctx, int timeout_ms, char *why, size_t why_cap)
{
    int64_t until = clock_monotonic_ms() + timeout_ms;
    const model_item *want = s->incoming ? s->incoming : s->cur.item;
    if (why && why_cap)
        why[0] = '\0';
    for (;;) {
        sync_pack(s, ctx);
        signage_media_poll(s->media, ctx->renderer);
        if (ctx->video && s->video_item)
            ui_video_update(ctx->video);
        if (s->incoming) {
            char reason[200] = "";
            enum readiness r = readiness(s, ctx, reason, sizeof reason);
            if (r == CANNOT) {
                if (why && why_cap)
                    snprintf(why, why_cap, "%s", reason);
                return -1;
            }
            if (r == READY)
                start_incoming(s, ctx, wall_ms(ctx));
        }
        if (!s->incoming && s->cur.item == want && want_logo(s, ctx) != SG_MEDIA_LOADING) {
            s->fading = s->still ? false : s->fading;
            if (!s->cur.image_failed)
                return 0;
            if (why && why_cap)
                snprintf(why, why_cap, "picture left out: %s",
                         signage_media_error(s->media, want->media));
            return 1;
        }
        if (!want)
            return -1;
        if (clock_monotonic_ms() >= until) {
            if (why && why_cap)
                snprintf(why, why_cap, "not ready within %d ms", timeout_ms);
            return -2;
        }
        SDL_Delay(5);
    }
}
