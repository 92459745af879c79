/* childcare: the child-care screen's place, touch and video. The place is
 * the session's category and page ids, resolved against ctx->pack whenever
 * the pack or the session changes; the pointers kept here are only a cache
 * of that. Taps move between menu, category and page (counted with
 * screen_count); a page's clip plays muted in ctx->video and is stopped
 * whenever the page is left. Drawing is in childcare_menu.c and
 * childcare_page.c. Never reads a pack other than ctx->pack, and never keeps
 * a pointer into an old pack past the update after a swap. */
#include "app/screens/childcare_private.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

/* ---- shared helpers ---- */

model_lang cc_lang(const screen_ctx *ctx)
{
    if (ctx->session && ctx->session->lang >= 0 && ctx->session->lang < MODEL_LANG_COUNT)
        return ctx->session->lang;
    model_lang l = model_lang_from_code(ctx->lang);
    return l == MODEL_LANG_NONE ? MODEL_LANG_JA : l;
}

text_style cc_style(const screen_ctx *ctx, const model_text *t, int size_px, text_weight weight,
                    text_align align)
{
    model_lang want = cc_lang(ctx), got = model_text_lang(t, want);
    text_style st = kit_style(ctx, got, size_px, weight, align, 0);
    /* A page not yet written in easy Japanese falls back to Japanese: its
     * readers need the readings all the more. */
    if (want == MODEL_LANG_JA_EASY && got == MODEL_LANG_JA)
        st.ruby = true;
    return st;
}

model_lang cc_ui_lang(const screen_ctx *ctx, const char *key)
{
    return ctx->catalog ? catalog_lang(ctx->catalog, cc_lang(ctx), key) : MODEL_LANG_EN;
}

static void invalidate(screen_ctx *ctx)
{
    if (ctx->frame)
        ui_frame_invalidate(ctx->frame);
}

void cc_scroll_size(kit_scroll *sc, int content_h, int view_h)
{
    sc->content_h = content_h;
    sc->view_h = view_h;
    int top = content_h - view_h > 0 ? content_h - view_h : 0;
    if (sc->offset > top)
        sc->offset = top; /* the page got shorter (smaller text, another language) */
    if (sc->offset < 0)
        sc->offset = 0;
}

void cc_draw_scroll_marks(childcare *c, screen_ctx *ctx, const kit_scroll *sc, SDL_Rect view)
{
    int top = sc->content_h - sc->view_h;
    if (top <= 0 || view.h <= 0)
        return;
    const kit_theme *th = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    /* The bar: where this screenful is in the whole, on a faint track. */
    int bar_w = m.gap / 3 > 6 ? m.gap / 3 : 6;
    SDL_Rect track = {view.x + view.w - bar_w - bar_w / 2, view.y + bar_w, bar_w,
                      view.h - 2 * bar_w};
    int thumb_h = (int)((int64_t)track.h * sc->view_h / sc->content_h);
    if (thumb_h < m.target / 2)
        thumb_h = m.target / 2;
    int thumb_y = track.y + (int)((int64_t)(track.h - thumb_h) * sc->offset / top);
    ui_draw_rounded_rect(ctx->renderer, track, bar_w / 2, ui_color_hex(0xE0E3E8));
    ui_draw_rounded_rect(ctx->renderer, (SDL_Rect){track.x, thumb_y, bar_w, thumb_h}, bar_w / 2,
                         th->muted);
    if (sc->offset >= top)
        return;
    /* More below: the text fades out towards the edge, and a button says
     * so (and scrolls, for those who do not think of swiping). */
    int fade = m.gap * 2;
    for (int i = 0; i < fade; i++) {
        SDL_Color p = th->paper;
        p.a = (Uint8)(255 * (i + 1) / (fade + 1));
        ui_draw_fill_rect(ctx->renderer,
                          (SDL_Rect){view.x, view.y + view.h - fade + i, view.w - 2 * bar_w, 1}, p);
    }
    const char *key = "childcare.more";
    model_lang lang = cc_ui_lang(ctx, key);
    const char *label = kit_str(ctx, key);
    text_style st = kit_style(ctx, lang, m.small_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 1);
    const text_layout *l = kit_layout(ctx, label, &st, view.w);
    int label_w = l ? text_layout_max_advance(l) : m.target * 2;
    int mark = m.small_px;
    int w = label_w + mark + 3 * m.gap,
        h = m.target * 3 / 4 > m.small_px * 2 ? m.target * 3 / 4 : m.small_px * 2;
    if (w > view.w - 4 * bar_w)
        w = view.w - 4 * bar_w;
    SDL_Rect r = {view.x + (view.w - w) / 2, view.y + view.h - h - m.gap / 2, w, h};
    bool pressed = kit_ui_pressed(&c->ui, CHILDCARE_ID_MORE);
    SDL_Color bg = pressed ? th->pressed : th->on, ink = pressed ? th->pressed_ink : th->on_ink;
    ui_draw_rounded_rect(ctx->renderer, r, h / 2, bg);
    int x = r.x + (r.w - label_w - mark - m.gap / 2) / 2;
    float cy = (float)(r.y + r.h / 2);
    kit_draw_triangle(ctx->renderer, (SDL_FPoint){(float)x, cy - mark * 0.3f},
                      (SDL_FPoint){(float)(x + mark), cy - mark * 0.3f},
                      (SDL_FPoint){(float)x + mark * 0.5f, cy + mark * 0.4f}, ink);
    if (l && ctx->atlas)
        text_atlas_draw(ctx->atlas, l, x + mark + m.gap / 2,
                        r.y + (r.h - text_layout_height(l)) / 2, ink);
    /* A target at least KIT_MIN_TARGET_MM tall, even if the pill is drawn
     * smaller to leave the text readable. */
    SDL_Rect hit = r;
    if (hit.h < m.target) {
        hit.y -= (m.target - hit.h) / 2;
        hit.h = m.target;
    }
    kit_ui_hit(&c->ui, hit, CHILDCARE_ID_MORE);
}

/* ---- the video ---- */

static void stop_video(childcare *c, screen_ctx *ctx)
{
    if (c->video_open && ctx->video)
        ui_video_stop(ctx->video);
    c->video_open = false;
    c->video_want = false;
}

/* Opens and plays the page's clip, muted: a resident can start and stop it,
 * and the waiting room is not filled with sound. */
static void start_video(childcare *c, screen_ctx *ctx)
{
    const model_page *pg = c->page;
    if (!pg || !pg->video || !ctx->video)
        return;
    char path[PATH_MAX];
    if (!ctx->media_path || ctx->media_path(ctx->media_user, pg->video, path, sizeof path) != 0) {
        LOG_WARN("childcare", "page %s: video %s is not available", pg->id, pg->video->name);
        return; /* the box says it cannot be played */
    }
    ui_video_set_muted(ctx->video, true);
    c->video_open = true;
    if (ui_video_open(ctx->video, path) != 0 || ui_video_play(ctx->video) != 0)
        LOG_WARN("childcare", "page %s: cannot play %s: %s", pg->id, pg->video->name,
                 ui_video_error(ctx->video));
}

static void toggle_video(childcare *c, screen_ctx *ctx)
{
    if (!c->video_open || !ctx->video)
        return;
    switch (ui_video_state(ctx->video)) {
    case UI_VIDEO_PLAYING:
    case UI_VIDEO_OPENING:
        ui_video_pause(ctx->video);
        break;
    case UI_VIDEO_ERROR:
        break;
    default:
        ui_video_play(ctx->video);
        break;
    }
    invalidate(ctx);
}

/* ---- the place ---- */

static void close_page(childcare *c, screen_ctx *ctx)
{
    stop_video(c, ctx);
    cc_page_media_clear(c);
    cc_paras_clear(c);
    c->plan.n = 0;
    c->page = NULL;
}

static void set_id(char *buf, size_t cap, const char *id)
{
    if (id && strlen(id) >= cap)
        LOG_WARN("childcare", "id %s is longer than %zu bytes: the place may be lost", id, cap - 1);
    snprintf(buf, cap, "%s", id ? id : "");
}

/* Goes to cat (NULL: the menu) and page (NULL: the category's list). */
static void go(childcare *c, screen_ctx *ctx, const model_category *cat, const model_page *page)
{
    if (page != c->page)
        close_page(c, ctx);
    if (cat != c->cat)
        c->list_scroll = (kit_scroll){0};
    c->cat = cat;
    set_id(ctx->session->category, sizeof ctx->session->category, cat ? cat->id : NULL);
    set_id(ctx->session->page, sizeof ctx->session->page, page ? page->id : NULL);
    if (page && page != c->page) {
        c->page = page;
        c->page_scroll = (kit_scroll){0};
        cc_page_media_load(c, ctx);
        /* The clip opens at the next update: when this screen is being
         * entered, the screen it replaces still holds the player and stops
         * it as it leaves. */
        c->video_want = page->video && ctx->video;
    }
    invalidate(ctx);
}

/* True when the session's id buf still names id (ids longer than the
 * session keeps are compared as far as it keeps them). */
static bool same_id(const char *buf, size_t cap, const char *id)
{
    if (!id)
        return buf[0] == '\0';
    return strncmp(buf, id, cap - 1) == 0;
}

/* Finds the session's place in ctx->pack; an id the pack does not have
 * (any more) sends the resident back to the menu. */
static void resolve(childcare *c, screen_ctx *ctx)
{
    screen_session *s = ctx->session;
    const model_pack *p = ctx->pack;
    const model_category *cat = NULL;
    const model_page *page = NULL;
    if (p && s->page[0]) {
        page = model_pack_find_page(p, s->page);
        cat = page ? page->category : NULL;
    } else if (p && s->category[0]) {
        cat = model_pack_find_category(p, s->category);
    }
    if ((s->page[0] && !page) || (s->category[0] && !cat)) {
        LOG_INFO("childcare", "%s%s%s is not in the %s: back to the menu", s->category,
                 s->page[0] ? "/" : "", s->page, p ? "pack any more" : "kiosk yet");
        cat = NULL;
        page = NULL;
    }
    go(c, ctx, cat, page);
}

/* Forgets every pointer into the old pack (without reading it: it may be
 * gone) and finds the place again in ctx->pack. Also follows a session
 * changed behind the screen's back (an idle reset). */
static void sync(childcare *c, screen_ctx *ctx)
{
    const model_pack *p = ctx->pack;
    bool swapped =
        p != c->pack || (p && (p->categories != c->pack_cats || p->n_categories != c->pack_n_cats ||
                               p->manifest.version != c->pack_version));
    if (swapped) {
        stop_video(c, ctx);
        cc_page_media_clear(c);
        cc_paras_clear(c);
        cc_icons_clear(c);
        cc_glue_clear(c);
        c->plan.n = 0;
        c->cat = NULL;
        c->page = NULL;
        c->menu_scroll = (kit_scroll){0};
        c->pack = p;
        c->pack_cats = p ? p->categories : NULL;
        c->pack_n_cats = p ? p->n_categories : 0;
        c->pack_version = p ? p->manifest.version : 0;
        resolve(c, ctx);
        return;
    }
    const screen_session *s = ctx->session;
    if (!same_id(s->category, sizeof s->category, c->cat ? c->cat->id : NULL) ||
        !same_id(s->page, sizeof s->page, c->page ? c->page->id : NULL))
        resolve(c, ctx);
    /* Media made for another window size would be drawn blurred. */
    if (c->page && (c->media_w != ctx->width || c->media_h != ctx->height)) {
        cc_page_media_clear(c);
        cc_page_media_load(c, ctx);
    }
}

static void back(childcare *c, screen_ctx *ctx)
{
    if (c->page) {
        go(c, ctx, c->cat, NULL);
    } else if (c->cat) {
        go(c, ctx, NULL, NULL);
    } else {
        const screen_ops *home = screen_ops_by_name("home");
        if (home)
            screen_go(ctx, home);
    }
}

/* The current view's scroll. */
static kit_scroll *current_scroll(childcare *c)
{
    return c->page ? &c->page_scroll : c->cat ? &c->list_scroll : &c->menu_scroll;
}

static void scroll_by(kit_scroll *sc, int delta, screen_ctx *ctx)
{
    int top = sc->content_h - sc->view_h > 0 ? sc->content_h - sc->view_h : 0;
    int to = sc->offset + delta;
    to = to < 0 ? 0 : to > top ? top : to;
    sc->velocity = 0.0f;
    if (to != sc->offset) {
        sc->offset = to;
        invalidate(ctx);
    }
}

/* ---- screen ops ---- */

static void *childcare_enter(screen_ctx *ctx)
{
    if (!ctx->session) {
        LOG_ERROR("childcare", "no session to keep the place in");
        return NULL;
    }
    childcare *c = calloc(1, sizeof *c);
    if (!c) {
        LOG_ERROR("childcare", "out of memory");
        return NULL;
    }
    kit_ui_init(&c->ui);
    c->shown_minute = INT64_MIN;
    /* An impossible pack identity, so that sync resolves the place. */
    c->pack = (const model_pack *)c;
    sync(c, ctx);
    return c;
}

static void childcare_leave(void *self, screen_ctx *ctx)
{
    childcare *c = self;
    if (!c)
        return;
    close_page(c, ctx);
    cc_icons_clear(c);
    cc_glue_clear(c);
    free(c);
}

static bool childcare_event(void *self, screen_ctx *ctx, const SDL_Event *ev)
{
    childcare *c = self;
    sync(c, ctx);
    if (ev->type == SDL_KEYDOWN &&
        (ev->key.keysym.sym == SDLK_BACKSPACE || ev->key.keysym.sym == SDLK_AC_BACK)) {
        back(c, ctx);
        return true;
    }
    if (ev->type == SDL_MOUSEWHEEL && ev->wheel.which != SDL_TOUCH_MOUSEID) {
        /* Desktop previews: the wheel scrolls three lines a notch. */
        int dy = ev->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -ev->wheel.y : ev->wheel.y;
        scroll_by(current_scroll(c), -dy * kit_metrics_get(ctx).text_px * 3, ctx);
        return true;
    }
    bool pointer = kit_pointer_from_event(ctx, ev).kind != KIT_POINTER_NONE;
    int id = kit_ui_event(&c->ui, ctx, ev);
    if (id == KIT_NONE)
        return pointer;
    if (id == KIT_ID_BACK) {
        back(c, ctx);
        return true;
    }
    if (id == KIT_ID_HOME)
        go(c, ctx, NULL, NULL); /* the next visit starts at the menu */
    if (kit_chrome_handle(ctx, &c->ui, id))
        return true;
    const model_pack *p = ctx->pack;
    if (id == CHILDCARE_ID_MORE) {
        scroll_by(current_scroll(c), current_scroll(c)->view_h * 3 / 4, ctx);
    } else if (id == CHILDCARE_ID_PLAY) {
        toggle_video(c, ctx);
    } else if (id >= CHILDCARE_ID_PAGE && id < CHILDCARE_ID_PLAY && c->cat && !c->page) {
        size_t i = (size_t)(id - CHILDCARE_ID_PAGE);
        if (i < c->cat->n_pages) {
            go(c, ctx, c->cat, &c->cat->pages[i]);
            screen_count(ctx, "childcare", c->page->id);
        }
    } else if (id >= CHILDCARE_ID_TILE && id < CHILDCARE_ID_PAGE && !c->cat && p) {
        size_t i = (size_t)(id - CHILDCARE_ID_TILE);
        if (i < p->n_categories) {
            go(c, ctx, &p->categories[i], NULL);
            screen_count(ctx, "childcare", c->cat->id);
        }
    }
    return true;
}

static void childcare_update(void *self, screen_ctx *ctx)
{
    childcare *c = self;
    sync(c, ctx);
    kit_ui_update(&c->ui, ctx);
    if (c->video_want) {
        c->video_want = false;
        start_video(c, ctx);
        invalidate(ctx);
    }
    if (c->video_open && ctx->video) {
        enum ui_video_state before = ui_video_state(ctx->video);
        if (ui_video_update(ctx->video) || ui_video_state(ctx->video) != before)
            invalidate(ctx);
        int ms = ui_video_wake_in_ms(ctx->video);
        if (ms >= 0 && ctx->frame)
            ui_frame_wake_in(ctx->frame, (uint32_t)ms);
    }
    /* The header's clock. */
    if (ctx->clock && !clock_is_frozen(ctx->clock)) {
        clock_time t = clock_now(ctx->clock);
        int64_t minute = t.sec >= 0 ? t.sec / 60 : (t.sec - 59) / 60;
        if (minute != c->shown_minute) {
            c->shown_minute = minute;
            invalidate(ctx);
        }
        if (ctx->frame) {
            int64_t into = (t.sec % 60 + 60) % 60 * 1000 + t.ms;
            ui_frame_wake_in(ctx->frame, (uint32_t)(60000 - into));
        }
    }
}

static void childcare_draw(void *self, screen_ctx *ctx)
{
    childcare *c = self;
    sync(c, ctx);
    const kit_theme *th = kit_theme_get();
    kit_ui_begin(&c->ui);
    ui_draw_clear(ctx->renderer, th->paper);
    SDL_Rect area = kit_chrome_content(ctx);
    const char *title = kit_str(ctx, "childcare.title");
    model_lang title_lang = cc_ui_lang(ctx, "childcare.title");
    if (!ctx->pack) {
        cc_draw_message(ctx, area, "childcare.preparing");
    } else if (!ctx->pack->n_categories) {
        cc_draw_message(ctx, area, "childcare.empty");
    } else if (c->page) {
        cc_draw_page(c, ctx, area);
    } else if (c->cat) {
        cc_draw_category(c, ctx, area);
    } else {
        cc_draw_menu(c, ctx, area);
    }
    if (c->cat) {
        title = model_text_get(&c->cat->title, cc_lang(ctx));
        title_lang = model_text_lang(&c->cat->title, cc_lang(ctx));
    }
    kit_chrome(ctx, &c->ui, title, title_lang, KIT_CHROME_BACK | KIT_CHROME_HOME);
}

const screen_ops childcare_screen_ops = {
    .name = "childcare",
    .enter = childcare_enter,
    .event = childcare_event,
    .update = childcare_update,
    .draw = childcare_draw,
    .leave = childcare_leave,
};

/* ---- for tests and previews ---- */

childcare_view childcare_current_view(const childcare *c)
{
    return c->page ? CHILDCARE_PAGE : c->cat ? CHILDCARE_CATEGORY : CHILDCARE_MENU;
}

bool childcare_target_rect(const childcare *c, int id, SDL_Rect *out)
{
    const kit_ui *ui = &c->ui;
    for (size_t i = ui->n_hits; i-- > 0;) {
        const kit_hit *h = &ui->hits[i];
        if (h->id != id)
            continue;
        SDL_Rect r = h->rect;
        if (h->in_scroll) {
            if (!ui->scroll)
                return false;
            r.x += ui->scroll_rect.x;
            r.y += ui->scroll_rect.y - ui->scroll->offset;
            SDL_Rect seen;
            if (!SDL_IntersectRect(&r, &ui->scroll_rect, &seen))
                return false;
            r = seen;
        }
        *out = r;
        return true;
    }
    return false;
}

void childcare_scroll_state(const childcare *c, int *offset, int *content_h, int *view_h)
{
    const kit_scroll *sc = c->page ? &c->page_scroll : c->cat ? &c->list_scroll : &c->menu_scroll;
    *offset = sc->offset;
    *content_h = sc->content_h;
    *view_h = sc->view_h;
}

size_t childcare_page_texts(const childcare *c, childcare_text_box *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; c->page && i < c->plan.n; i++) {
        const cc_el *e = &c->plan.els[i];
        if (e->kind != CC_EL_TITLE && e->kind != CC_EL_PARA && e->kind != CC_EL_QR_LABEL &&
            e->kind != CC_EL_QR_HINT)
            continue;
        if (n < cap)
            out[n] = (childcare_text_box){e->rect, e->advance, e->truncated};
        n++;
    }
    return n;
}
