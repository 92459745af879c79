/* alert (screens): the overlay's state and behaviour: which alerts are
 * live, which one the full view shows, the language of its text, events
 * (the language picker, next / previous, the banner's tap, close), the
 * wake-ups that make an expired alert leave on time, and the one log line
 * per alert shown. alert_draw.c, alert_banner.c and alert_layout.c draw what this decides. */
#include "app/screens/alert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/core/log.h"
#include "app/screens/alert_private.h"
#include "ui/draw.h"

/* ---- palettes ---- */

/* Deep red with white for the most severe, black on amber for severe, and
 * black on pale yellow for the rest (banners' full views). The instruction
 * sits on white in every palette, so it stands out from the page as much
 * as the headline does; the drill band is black with signal yellow. */
#define RED       0x9E0000u
#define WHITE     0xFFFFFFu
#define SIGNAL    0xFFE066u
#define AMBER     0xFFB300u
#define AMBER_LBL 0x3D2B00u
#define PALE      0xFFF0B3u
#define PALE_LBL  0x5A4300u
#define NEAR_BLK  0x111111u
#define BROWN     0x6B3700u
#define BAND_INK  0xFFE000u

#define C(hex)                                                                                     \
    {                                                                                              \
        (Uint8)((hex) >> 16), (Uint8)((hex) >> 8 & 0xFF), (Uint8)((hex)&0xFF), 0xFF                \
    }

static const alert_palette palettes[] = {
    /* Extreme */
    {C(RED), C(WHITE), C(SIGNAL), C(WHITE), C(NEAR_BLK), C(RED), C(NEAR_BLK), C(NEAR_BLK),
     C(BAND_INK)},
    /* Severe */
    {C(AMBER), C(NEAR_BLK), C(AMBER_LBL), C(WHITE), C(NEAR_BLK), C(BROWN), C(NEAR_BLK), C(NEAR_BLK),
     C(BAND_INK)},
    /* Moderate, Minor, Unknown */
    {C(PALE), C(NEAR_BLK), C(PALE_LBL), C(WHITE), C(NEAR_BLK), C(BROWN), C(NEAR_BLK), C(NEAR_BLK),
     C(BAND_INK)},
};

const alert_palette *alert_palette_for(alert_severity s)
{
    switch (s) {
    case ALERT_SEVERITY_EXTREME:
        return &palettes[0];
    case ALERT_SEVERITY_SEVERE:
        return &palettes[1];
    default:
        return &palettes[2];
    }
}

double alert_overlay_min_contrast(bool aaa_only)
{
    double worst = 21.0;
    for (size_t i = 0; i < sizeof palettes / sizeof palettes[0]; i++) {
        const alert_palette *p = &palettes[i];
        /* Headline on the page, instruction in its panel (AAA); then labels,
         * the panel's label, the drill band, the QR tile's caption (ink on
         * the panel colour) and the kit's buttons (their own theme). */
        const SDL_Color pairs[][2] = {
            {p->ink, p->bg},        {p->panel_ink, p->panel},
            {p->label, p->bg},      {p->panel_label, p->panel},
            {p->band_ink, p->band}, {p->panel_ink, p->panel},
        };
        size_t n = aaa_only ? 2 : sizeof pairs / sizeof pairs[0];
        for (size_t k = 0; k < n; k++) {
            double c = ui_color_contrast(pairs[k][0], pairs[k][1]);
            worst = c < worst ? c : worst;
        }
    }
    if (!aaa_only) {
        double kit = kit_theme_min_contrast();
        worst = kit < worst ? kit : worst;
    }
    return worst;
}

/* ---- which block, which language ---- */

static bool same_primary(const char *tag, const char *want)
{
    size_t a = strcspn(tag, "-_"), b = strcspn(want, "-_");
    return a == b && a > 0 && strncasecmp(tag, want, a) == 0;
}

/* Whether a block in language tag is what a reader of lang asked for:
 * easy Japanese only by its own tag, the others by their primary subtag. */
static bool speaks(const char *tag, model_lang lang)
{
    if (lang == MODEL_LANG_JA_EASY)
        return strcasecmp(tag, "ja-easy") == 0;
    if (lang == MODEL_LANG_JA && strcasecmp(tag, "ja-easy") == 0)
        return false;
    return same_primary(tag, model_lang_code(lang));
}

/* The font chain for a block's language tag. */
static model_lang lang_of_tag(const char *tag)
{
    if (strcasecmp(tag, "ja-easy") == 0)
        return MODEL_LANG_JA_EASY;
    static const struct {
        const char *primary;
        model_lang lang;
    } table[] = {
        {"ja", MODEL_LANG_JA}, {"en", MODEL_LANG_EN}, {"zh", MODEL_LANG_ZH}, {"ko", MODEL_LANG_KO}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (same_primary(tag, table[i].primary))
            return table[i].lang;
    return MODEL_LANG_EN; /* Latin first; the chain falls back to CJK */
}

void alert_text_for(const alerts_entry *e, model_lang lang, alert_text *out)
{
    memset(out, 0, sizeof *out);
    out->e = e;
    /* The state decided at decided_at; deciding again at that same time
     * only picks another language's block, never another action. */
    alert_policy pol = {.allow_drills = true, .language = model_lang_code(lang)};
    alert_decide(e->alert, &pol, e->decided_at, &out->d);
    if (!out->d.info || !speaks(out->d.info->language, lang)) {
        alert_decision ja;
        pol.language = "ja";
        alert_decide(e->alert, &pol, e->decided_at, &ja);
        if (ja.info && same_primary(ja.info->language, "ja"))
            out->d = ja;
    }
    if (!out->d.info)
        out->d = e->decision;
    out->info = out->d.info;
    out->lang = out->info ? lang_of_tag(out->info->language) : MODEL_LANG_JA;
    out->other_lang = out->info && !speaks(out->info->language, lang);
    out->markup = e->alert->source == ALERT_SOURCE_NATIVE;
    out->drill =
        e->decision.action == ALERT_ACTION_DRILL || e->alert->status == ALERT_STATUS_EXERCISE;
}

size_t alert_live_entries(const screen_ctx *ctx, const alerts_entry **out, size_t cap)
{
    size_t n = 0, count = alerts_snapshot_count(ctx->alerts);
    for (size_t i = 0; i < count && n < cap; i++) {
        const alerts_entry *e = alerts_snapshot_entry(ctx->alerts, i);
        if (e && e->decision.info && alerts_entry_live(e, ctx->now_ms))
            out[n++] = e;
    }
    return n;
}

size_t alert_selected(const alert_overlay *o, const alerts_entry *const *live, size_t n)
{
    if (!o->sel_id[0])
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(live[i]->alert->identifier, o->sel_id) == 0 &&
            strcmp(live[i]->alert->sender, o->sel_sender) == 0)
            return i;
    return 0;
}

static void select_entry(alert_overlay *o, const alerts_entry *e)
{
    snprintf(o->sel_id, sizeof o->sel_id, "%s", e ? e->alert->identifier : "");
    snprintf(o->sel_sender, sizeof o->sel_sender, "%s", e ? e->alert->sender : "");
}

/* ---- logging ---- */

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return (h ^ 0xFF) * 0x100000001b3ull; /* a separator, so "ab"+"c" != "a"+"bc" */
}

void alert_note_shown(alert_overlay *o, const alert_text *t)
{
    const alerts_entry *e = t->e;
    uint64_t key = fnv(fnv(0xcbf29ce484222325ull, e->alert->sender), e->alert->identifier);
    size_t have = o->n_logged < ALERT_LOGGED_MAX ? o->n_logged : ALERT_LOGGED_MAX;
    for (size_t i = 0; i < have; i++)
        if (o->logged[i] == key)
            return;
    o->logged[o->n_logged++ % ALERT_LOGGED_MAX] = key;
    const alert_info *in = e->decision.info;
    const char *headline = in && in->headline[0] ? in->headline : in ? in->event : "";
    LOG_WARN("alert", "showing %s %s: %s", alert_action_name(e->decision.action),
             e->alert->identifier, headline);
}

/* ---- catalog formats and times ---- */

void alert_fill(char *buf, size_t cap, const char *fmt, const char *const *args, size_t n)
{
    size_t o = 0, used = 0;
    if (!cap)
        return;
    for (const char *p = fmt; *p && o + 1 < cap; p++) {
        if (p[0] == '%' && (p[1] == 's' || p[1] == 'd')) {
            const char *a = used < n ? args[used++] : "";
            size_t len = strlen(a);
            if (len > cap - 1 - o)
                len = cap - 1 - o;
            memcpy(buf + o, a, len);
            o += len;
            p++;
            continue;
        }
        buf[o++] = *p;
    }
    buf[o] = '\0';
}

void alert_when(const screen_ctx *ctx, int64_t epoch_s, char *buf, size_t cap)
{
    struct tm tm;
    const char *tz = ctx->tz ? ctx->tz : ctx->pack ? ctx->pack->timezone : NULL;
    buf[0] = '\0';
    if (clock_to_local(epoch_s, tz, &tm) != 0)
        return;
    char mon[16], day[16], hm[32];
    snprintf(mon, sizeof mon, "%d", tm.tm_mon + 1);
    snprintf(day, sizeof day, "%d", tm.tm_mday);
    snprintf(hm, sizeof hm, "%d:%02d", tm.tm_hour, tm.tm_min);
    const char *args[] = {mon, day, hm};
    alert_fill(buf, cap, kit_str(ctx, "alert.when"), args, 3);
}

/* ---- the overlay ---- */

alert_overlay *alert_overlay_create(void)
{
    alert_overlay *o = calloc(1, sizeof *o);
    if (!o) {
        LOG_ERROR("alert", "out of memory");
        return NULL;
    }
    kit_ui_init(&o->ui);
    return o;
}

void alert_overlay_destroy(alert_overlay *o)
{
    if (!o)
        return;
    if (o->qr)
        SDL_DestroyTexture(o->qr);
    free(o);
}

void alert_overlay_reset(alert_overlay *o)
{
    kit_ui_init(&o->ui);
    o->view_open = false;
    o->captured = false;
    select_entry(o, NULL);
    o->rotate_at = 0;
}

bool alert_overlay_takeover(const screen_ctx *ctx)
{
    const alerts_entry *top = alerts_snapshot_top(ctx->alerts, ctx->now_ms);
    return top && top->decision.info && top->decision.full_screen;
}

bool alert_overlay_covers(const alert_overlay *o, const screen_ctx *ctx)
{
    if (alert_overlay_takeover(ctx))
        return true;
    return o && o->view_open && alerts_snapshot_top(ctx->alerts, ctx->now_ms);
}

static model_lang session_lang(const screen_ctx *ctx)
{
    if (ctx->session && ctx->session->lang >= 0 && ctx->session->lang < MODEL_LANG_COUNT)
        return ctx->session->lang;
    model_lang l = model_lang_from_code(ctx->lang);
    return l == MODEL_LANG_NONE ? MODEL_LANG_JA : l;
}

/* What the picture depends on, as one number: a change means a redraw. */
static uint64_t picture_key(const alert_overlay *o, const screen_ctx *ctx,
                            const alerts_entry *const *live, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h = fnv(fnv(h, live[i]->alert->sender), live[i]->alert->identifier);
        h = (h ^ (uint64_t)live[i]->decision.action) * 0x100000001b3ull;
    }
    h = (h ^ (uint64_t)n) * 0x100000001b3ull;
    h = (h ^ (uint64_t)alert_overlay_covers(o, ctx)) * 0x100000001b3ull;
    h = (h ^ (uint64_t)session_lang(ctx)) * 0x100000001b3ull;
    return n ? fnv(h, o->sel_id) : h;
}

void alert_overlay_update(alert_overlay *o, screen_ctx *ctx)
{
    const alerts_entry *live[ALERTS_SHOWN_MAX];
    size_t n = alert_live_entries(ctx, live, ALERTS_SHOWN_MAX);
    if (!n) {
        o->view_open = false;
        o->captured = false;
        o->ui.picker_open = false;
        o->rotate_at = 0;
    }
    /* A resident who walked away: the next one finds no open view or picker
     * (the router resets the session and the screen at the same time). */
    const screen_session *s = ctx->session;
    if (s && s->idle_ms && ctx->now_ms - s->last_input_ms >= (int64_t)s->idle_ms &&
        (o->view_open || o->ui.picker_open)) {
        o->view_open = false;
        o->ui.picker_open = false;
        select_entry(o, NULL);
    }
    /* A plain display cannot be asked for the next alert: it shows each in
     * turn. */
    bool covering = alert_overlay_covers(o, ctx);
    if (!ctx->touch && covering && n > 1) {
        if (!o->rotate_at)
            o->rotate_at = ctx->now_ms + ALERT_OVERLAY_ROTATE_MS;
        if (ctx->now_ms >= o->rotate_at) {
            size_t i = alert_selected(o, live, n);
            select_entry(o, live[(i + 1) % n]);
            o->rotate_at = ctx->now_ms + ALERT_OVERLAY_ROTATE_MS;
        }
        if (ctx->frame)
            ui_frame_wake_in(ctx->frame, (uint32_t)(o->rotate_at - ctx->now_ms));
    } else {
        o->rotate_at = 0;
    }
    uint64_t key = picture_key(o, ctx, live, n);
    if (key != o->seen) {
        o->seen = key;
        if (ctx->frame)
            ui_frame_invalidate(ctx->frame);
    }
    /* The next end of a live entry: the loop sleeps until then. Entries
     * already over are skipped (they stay in the snapshot until the state
     * publishes a new one, and must not keep the loop spinning). */
    int64_t next = ALERTS_MONO_NEVER;
    size_t count = alerts_snapshot_count(ctx->alerts);
    for (size_t i = 0; i < count; i++) {
        const alerts_entry *e = alerts_snapshot_entry(ctx->alerts, i);
        if (e && e->until_mono_ms > ctx->now_ms && e->until_mono_ms < next)
            next = e->until_mono_ms;
    }
    if (next != ALERTS_MONO_NEVER && ctx->frame) {
        int64_t ms = next - ctx->now_ms;
        ui_frame_wake_in(ctx->frame, (uint32_t)(ms < INT32_MAX ? ms : INT32_MAX));
    }
}

static bool is_pointer(const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEMOTION:
    case SDL_MOUSEWHEEL:
        return true;
    default:
        return false;
    }
}

static void step(alert_overlay *o, screen_ctx *ctx, int dir)
{
    const alerts_entry *live[ALERTS_SHOWN_MAX];
    size_t n = alert_live_entries(ctx, live, ALERTS_SHOWN_MAX);
    if (n < 2)
        return;
    size_t i = alert_selected(o, live, n);
    select_entry(o, live[(i + n + (size_t)(dir > 0 ? 1 : n - 1)) % n]);
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

static void act(alert_overlay *o, screen_ctx *ctx, int id)
{
    switch (id) {
    case ALERT_ID_PREV:
        step(o, ctx, -1);
        return;
    case ALERT_ID_NEXT:
        step(o, ctx, +1);
        return;
    case ALERT_ID_CLOSE:
        o->view_open = false;
        o->ui.picker_open = false;
        select_entry(o, NULL);
        break;
    case ALERT_ID_BANNER:
        o->view_open = true;
        select_entry(o, NULL);
        screen_count(ctx, "alert", "open");
        break;
    case KIT_ID_LANG:
    case KIT_ID_PICKER_CLOSE:
        kit_chrome_handle(ctx, &o->ui, id);
        return;
    default:
        if (id >= KIT_ID_LANG_PICK && id <= KIT_ID_LANG_PICK_LAST)
            kit_chrome_handle(ctx, &o->ui, id);
        return;
    }
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

static bool banner_event(alert_overlay *o, screen_ctx *ctx, const SDL_Event *ev)
{
    kit_pointer p = kit_pointer_from_event(ctx, ev);
    if (p.kind == KIT_POINTER_NONE)
        return false;
    if (p.kind == KIT_POINTER_DOWN) {
        SDL_Point at = {p.x, p.y};
        o->captured = o->banner.w > 0 && SDL_PointInRect(&at, &o->banner);
        if (!o->captured)
            return false;
    } else if (!o->captured) {
        return false;
    }
    int id = kit_ui_event(&o->ui, ctx, ev);
    if (p.kind == KIT_POINTER_UP)
        o->captured = false;
    if (id != KIT_NONE)
        act(o, ctx, id);
    return true;
}

bool alert_overlay_event(alert_overlay *o, screen_ctx *ctx, const SDL_Event *ev)
{
    if (!alert_overlay_covers(o, ctx)) {
        if (!ctx->touch || !alerts_snapshot_top(ctx->alerts, ctx->now_ms))
            return false;
        return banner_event(o, ctx, ev);
    }
    if (!is_pointer(ev))
        return false;
    if (!ctx->touch)
        return true; /* a plain display: nothing to press, and nothing reaches the screen */
    int id = kit_ui_event(&o->ui, ctx, ev);
    if (id != KIT_NONE)
        act(o, ctx, id);
    return true;
}

void alert_overlay_draw(alert_overlay *o, screen_ctx *ctx)
{
    const alerts_entry *live[ALERTS_SHOWN_MAX];
    size_t n = alert_live_entries(ctx, live, ALERTS_SHOWN_MAX);
    o->banner = (SDL_Rect){0, 0, 0, 0};
    if (!n)
        return;
    kit_ui_begin(&o->ui);
    if (alert_overlay_covers(o, ctx)) {
        bool takeover = alert_overlay_takeover(ctx);
        alert_draw_full(o, ctx, live, n, alert_selected(o, live, n), !takeover);
        return;
    }
    alert_draw_banner(o, ctx, live, n);
}
