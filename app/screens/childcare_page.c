/* childcare_page: one child-care page. On a wide screen the text reads down
 * the left and the picture, the clip and the QR codes stand on the right; on
 * a tall one everything follows in one column (title, picture, text, clip,
 * codes). The whole page scrolls; nothing is ever cut or shrunk to fit, so
 * large text simply makes the page longer. Pictures and codes are made once
 * when the page opens, at the size they are drawn, so they stay sharp and
 * the codes keep whole-pixel modules. */
#include "app/screens/childcare_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

#define TITLE_PITCH 1.3f
#define BODY_PITCH  1.65f /* CJK: room between lines (furigana add their own) */
#define LATIN_PITCH 1.45f
#define QR_MIN_MM   32.0f /* scannable from arm's length */
#define VIDEO_BG    0x1B2B3Cu
#define VIDEO_INK   0xFFFFFFu

/* Where things go, from the screen's size alone (never from the text
 * size), so the media made for it stay right when the text grows. */
typedef struct page_geom {
    bool wide;
    int pad, top;
    int text_x, text_w; /* the text column */
    int side_x, side_w; /* pictures, clip and codes */
    int pic_w, pic_h;   /* the box the picture is fitted into */
    int video_w, video_h;
    int qr_max;
} page_geom;

static page_geom geometry(const screen_ctx *ctx, SDL_Rect view)
{
    kit_metrics m = kit_metrics_get(ctx);
    page_geom g = {.pad = m.gap * 2, .top = m.gap * 3 / 2};
    int inner = view.w - 2 * g.pad;
    inner = inner > 1 ? inner : 1;
    int u = ctx->width < ctx->height ? ctx->width : ctx->height;
    g.wide = view.w * 10 >= view.h * 12 && inner >= u;
    if (g.wide) {
        g.side_w = inner * 38 / 100;
        g.text_x = g.pad;
        g.text_w = inner - g.side_w - 2 * m.gap;
        g.side_x = g.text_x + g.text_w + 2 * m.gap;
        g.pic_w = g.side_w;
        /* Low enough that the codes below it are on the first screenful. */
        g.pic_h = g.side_w * 3 / 4 < view.h * 9 / 25 ? g.side_w * 3 / 4 : view.h * 9 / 25;
        g.video_w = g.side_w;
    } else {
        g.text_x = g.side_x = g.pad;
        g.text_w = g.side_w = inner;
        g.pic_w = inner;
        g.pic_h = inner * 3 / 4 < view.h * 2 / 5 ? inner * 3 / 4 : view.h * 2 / 5;
        g.video_w = inner;
        if (g.video_w * 9 / 16 > view.h * 2 / 5)
            g.video_w = view.h * 2 / 5 * 16 / 9;
    }
    g.video_h = g.video_w * 9 / 16;
    float ppm = ctx->px_per_mm > 0.0f ? ctx->px_per_mm : 2.3f;
    int qr = (int)ceilf(QR_MIN_MM * ppm);
    qr = qr > u * 17 / 100 ? qr : u * 17 / 100;
    int most = g.wide ? g.side_w : inner * 45 / 100;
    g.qr_max = qr < most ? qr : most;
    return g;
}

/* ---- media ---- */

void cc_page_media_clear(childcare *c)
{
    if (c->picture)
        SDL_DestroyTexture(c->picture);
    c->picture = NULL;
    c->pic_w = c->pic_h = 0;
    for (size_t i = 0; i < c->n_qr; i++)
        if (c->qr[i])
            SDL_DestroyTexture(c->qr[i]);
    memset(c->qr, 0, sizeof c->qr);
    memset(c->qr_side, 0, sizeof c->qr_side);
    c->n_qr = 0;
    c->media_w = c->media_h = 0;
}

void cc_page_media_load(childcare *c, screen_ctx *ctx)
{
    const model_page *pg = c->page;
    if (!pg)
        return;
    page_geom g = geometry(ctx, kit_chrome_content(ctx));
    c->media_w = ctx->width;
    c->media_h = ctx->height;
    if (pg->image) {
        c->picture = kit_media_texture(ctx, pg->image, g.pic_w, g.pic_h);
        if (!c->picture || SDL_QueryTexture(c->picture, NULL, NULL, &c->pic_w, &c->pic_h) != 0)
            LOG_WARN("childcare", "page %s: picture %s left out", pg->id, pg->image->name);
    }
    c->n_qr = pg->n_qr < CC_MAX_QR ? pg->n_qr : CC_MAX_QR;
    if (pg->n_qr > CC_MAX_QR)
        LOG_WARN("childcare", "page %s: only the first %d of %zu QR codes are shown", pg->id,
                 CC_MAX_QR, pg->n_qr);
    for (size_t i = 0; i < c->n_qr; i++) {
        c->qr[i] = kit_qr_texture(ctx->renderer, pg->qr[i].url, g.qr_max, &c->qr_side[i]);
        if (!c->qr[i])
            LOG_WARN("childcare", "page %s: QR code %zu left out", pg->id, i + 1);
    }
}

/* ---- paragraphs ---- */

void cc_paras_clear(childcare *c)
{
    for (size_t i = 0; i < c->n_paras; i++)
        free(c->glued[i]);
    memset(c->glued, 0, sizeof c->glued);
    free(c->para_buf);
    c->para_buf = NULL;
    c->para_src = NULL;
    c->n_paras = 0;
}

/* The body's paragraphs (its lines; blank ones are only space), each glued
 * where it must not break (childcare_glue) in Japanese and Korean. */
static void split_paras(childcare *c, const char *body, model_lang lang)
{
    if (body == c->para_src)
        return;
    cc_paras_clear(c);
    c->para_src = body;
    size_t len = strlen(body);
    c->para_buf = malloc(len + 1);
    if (!c->para_buf) {
        LOG_ERROR("childcare", "out of memory for a page's text");
        c->paras[c->n_paras++] = body; /* one block: still all there */
        return;
    }
    memcpy(c->para_buf, body, len + 1);
    char *p = c->para_buf;
    while (*p && c->n_paras < CC_MAX_PARAS) {
        /* The last slot keeps the rest, newlines and all. */
        char *nl = c->n_paras + 1 < CC_MAX_PARAS ? strchr(p, '\n') : NULL;
        if (nl)
            *nl = '\0';
        size_t n = strlen(p);
        if (n && p[n - 1] == '\r')
            p[n - 1] = '\0';
        if (*p) {
            c->glued[c->n_paras] = childcare_glue(p, lang);
            c->paras[c->n_paras] = c->glued[c->n_paras] ? c->glued[c->n_paras] : p;
            c->n_paras++;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* ---- layout ---- */

static cc_el *add(cc_plan *pl, cc_el_kind kind, SDL_Rect r, int index)
{
    if (pl->n >= CC_MAX_ELS)
        return NULL;
    cc_el *e = &pl->els[pl->n++];
    *e = (cc_el){.kind = kind, .rect = r, .index = index};
    return e;
}

/* Lays out a text at (x, y) w wide (a little narrower when that breaks
 * Japanese better); returns its height. */
static int add_text(cc_plan *pl, screen_ctx *ctx, cc_el_kind kind, int index, const char *utf8,
                    const text_style *st, int x, int y, int w)
{
    /* A paragraph keeps its measure; a title or label may be set much
     * narrower to break between words. */
    const text_layout *l = cc_layout_mended(ctx, utf8, st, w, kind == CC_EL_PARA ? 82 : 55);
    int h = l ? text_layout_height(l) : 0;
    cc_el *e = add(pl, kind, (SDL_Rect){x, y, w, h}, index);
    if (e) {
        e->layout = l;
        e->advance = l ? text_layout_max_advance(l) : 0;
        e->truncated = l && text_layout_truncated(l);
    }
    return h;
}

static float pitch_for(const text_style *st)
{
    return st->lang == TEXT_LANG_EN ? LATIN_PITCH : BODY_PITCH;
}

/* The picture, at the column's left edge (centred when centred is true).
 * Returns the height used. */
static int add_picture(childcare *c, cc_plan *pl, int x, int w, int y, bool centred)
{
    if (!c->picture)
        return 0;
    int dx = centred ? (w - c->pic_w) / 2 : 0;
    add(pl, CC_EL_PICTURE, (SDL_Rect){x + dx, y, c->pic_w, c->pic_h}, 0);
    return c->pic_h;
}

/* The clip's box and its play/pause button. */
static int add_video(childcare *c, screen_ctx *ctx, cc_plan *pl, const page_geom *g, int x, int y)
{
    kit_metrics m = kit_metrics_get(ctx);
    if (!c->page->video || !ctx->video)
        return 0; /* this kiosk plays no video */
    add(pl, CC_EL_VIDEO, (SDL_Rect){x, y, g->video_w, g->video_h}, 0);
    int btn_w = g->video_w < m.target * 5 ? g->video_w : m.target * 5;
    int btn_h = m.target > m.text_px * 2 ? m.target : m.text_px * 2;
    add(pl, CC_EL_PLAY, (SDL_Rect){x, y + g->video_h + m.gap / 2, btn_w, btn_h}, 0);
    return g->video_h + m.gap / 2 + btn_h;
}

/* The QR codes, each with its label beside it (under it when the column is
 * too narrow for a readable label), after a line saying what they are for. */
static int add_codes(childcare *c, screen_ctx *ctx, cc_plan *pl, int x, int w, int y)
{
    const model_page *pg = c->page;
    kit_metrics m = kit_metrics_get(ctx);
    model_lang lang = cc_lang(ctx);
    int y0 = y;
    bool any = false;
    for (size_t i = 0; i < c->n_qr; i++)
        any = any || c->qr[i];
    if (!any)
        return 0;
    const char *key = "childcare.qr_hint";
    text_style hs =
        kit_style(ctx, cc_ui_lang(ctx, key), m.small_px, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, 0);
    y += add_text(pl, ctx, CC_EL_QR_HINT, 0, kit_str(ctx, key), &hs, x, y, w) + m.gap / 2;
    for (size_t i = 0; i < c->n_qr; i++) {
        if (!c->qr[i])
            continue;
        int side = c->qr_side[i];
        add(pl, CC_EL_QR, (SDL_Rect){x, y, side, side}, (int)i);
        const model_text *t = &pg->qr[i].label;
        if (model_text_empty(t)) {
            y += side + m.gap;
            continue;
        }
        text_style st = cc_style(ctx, t, m.text_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT);
        st.line_height = pitch_for(&st);
        int beside = w - side - m.gap;
        const char *label = cc_glued(c, model_text_get(t, lang), model_text_lang(t, lang));
        if (beside >= m.text_px * 7) {
            const text_layout *l = cc_layout_mended(ctx, label, &st, beside, 55);
            int lh = l ? text_layout_height(l) : 0;
            int ly = y + (lh < side ? (side - lh) / 2 : 0);
            add_text(pl, ctx, CC_EL_QR_LABEL, (int)i, label, &st, x + side + m.gap, ly, beside);
            y += (lh > side ? lh : side) + m.gap;
        } else {
            y += side + m.gap / 2;
            y += add_text(pl, ctx, CC_EL_QR_LABEL, (int)i, label, &st, x, y, w) + m.gap;
        }
    }
    return y - y0;
}

void cc_page_plan(childcare *c, screen_ctx *ctx, SDL_Rect view)
{
    const model_page *pg = c->page;
    cc_plan *pl = &c->plan;
    kit_metrics m = kit_metrics_get(ctx);
    page_geom g = geometry(ctx, view);
    model_lang lang = cc_lang(ctx);
    pl->n = 0;
    pl->view = view;
    pl->wide = g.wide;

    /* The text column: title, a rule, (the picture on a tall screen), the
     * paragraphs. */
    int y = g.top;
    text_style ts = cc_style(ctx, &pg->title, m.title_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT);
    ts.line_height = TITLE_PITCH;
    const char *title =
        cc_glued(c, model_text_get(&pg->title, lang), model_text_lang(&pg->title, lang));
    y += add_text(pl, ctx, CC_EL_TITLE, 0, title, &ts, g.text_x, y, g.text_w);
    y += m.gap / 2;
    int rule = m.title_px / 12 > 3 ? m.title_px / 12 : 3;
    add(pl, CC_EL_RULE, (SDL_Rect){g.text_x, y, g.text_w, rule}, 0);
    y += rule + m.gap;
    if (!g.wide && c->picture)
        y += add_picture(c, pl, g.text_x, g.text_w, y, true) + m.gap * 3 / 2;
    if (!model_text_empty(&pg->body)) {
        split_paras(c, model_text_get(&pg->body, lang), model_text_lang(&pg->body, lang));
        text_style bs = cc_style(ctx, &pg->body, m.text_px, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT);
        bs.line_height = pitch_for(&bs);
        for (size_t i = 0; i < c->n_paras; i++)
            y += add_text(pl, ctx, CC_EL_PARA, (int)i, c->paras[i], &bs, g.text_x, y, g.text_w) +
                 m.text_px * 3 / 5;
    }

    /* The side column (or the rest of the one column). */
    y = g.wide ? g.top : y + m.gap;
    if (g.wide && c->picture)
        y += add_picture(c, pl, g.side_x, g.side_w, y, false) + m.gap * 3 / 2;
    int v = add_video(c, ctx, pl, &g, g.side_x, y);
    y += v ? v + m.gap * 3 / 2 : 0;
    y += add_codes(c, ctx, pl, g.side_x, g.side_w, y);

    /* The lowest thing on the page, and a margin under it. */
    int bottom = 0;
    for (size_t i = 0; i < pl->n; i++) {
        int b = pl->els[i].rect.y + pl->els[i].rect.h;
        bottom = b > bottom ? b : bottom;
    }
    pl->content_h = bottom + m.gap;
}

/* ---- drawing ---- */

static void draw_video(childcare *c, screen_ctx *ctx, SDL_Rect r)
{
    const kit_theme *th = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    ui_draw_fill_rect(ctx->renderer, r, ui_color_hex(VIDEO_BG));
    enum ui_video_state st = c->video_open   ? ui_video_state(ctx->video)
                             : c->video_want ? UI_VIDEO_OPENING
                                             : UI_VIDEO_ERROR;
    bool drawn = c->video_open && ui_video_draw(ctx->video, ctx->renderer, &r);
    const char *key = NULL;
    if (st == UI_VIDEO_ERROR)
        key = "childcare.video_error";
    else if (!drawn)
        key = "childcare.video_loading";
    if (key) {
        text_style s =
            kit_style(ctx, cc_ui_lang(ctx, key), m.text_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER, 0);
        const text_layout *l = kit_layout(ctx, kit_str(ctx, key), &s, r.w - 2 * m.gap);
        if (l && ctx->atlas)
            text_atlas_draw(ctx->atlas, l, r.x + m.gap, r.y + (r.h - text_layout_height(l)) / 2,
                            ui_color_hex(VIDEO_INK));
        return;
    }
    if (st == UI_VIDEO_PLAYING || st == UI_VIDEO_OPENING)
        return;
    /* Paused or ended: a big play mark says what a tap does. */
    float cx = (float)r.x + r.w / 2.0f, cy = (float)r.y + r.h / 2.0f;
    float rad = (float)(r.h / 5 > m.target / 2 ? r.h / 5 : m.target / 2);
    kit_draw_disc(ctx->renderer, cx, cy, rad, ui_color_alpha(th->ink, 200));
    kit_draw_triangle(ctx->renderer, (SDL_FPoint){cx - rad * 0.35f, cy - rad * 0.5f},
                      (SDL_FPoint){cx - rad * 0.35f, cy + rad * 0.5f},
                      (SDL_FPoint){cx + rad * 0.55f, cy}, ui_color_hex(VIDEO_INK));
}

static void draw_play_button(childcare *c, screen_ctx *ctx, SDL_Rect r)
{
    enum ui_video_state st = c->video_open   ? ui_video_state(ctx->video)
                             : c->video_want ? UI_VIDEO_OPENING
                                             : UI_VIDEO_ERROR;
    if (st == UI_VIDEO_ERROR)
        return;
    bool playing = st == UI_VIDEO_PLAYING || st == UI_VIDEO_OPENING;
    const char *key = playing ? "childcare.pause" : "childcare.play";
    kit_button(ctx, &c->ui, CHILDCARE_ID_PLAY, r, kit_str(ctx, key), cc_ui_lang(ctx, key),
               KIT_BUTTON, NULL);
    /* The sign everyone knows (▶ or ❚❚) before the word, where the centred
     * label leaves room for it. */
    const kit_theme *th = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    int side = m.text_px;
    const text_layout *l =
        kit_fit(ctx, kit_str(ctx, key), cc_ui_lang(ctx, key), m.text_px, TEXT_WEIGHT_BOLD,
                TEXT_ALIGN_CENTER, r.w - m.gap, r.h - m.gap, m.small_px * 3 / 4);
    int label_w = l ? text_layout_max_advance(l) : r.w;
    if ((r.w - label_w) / 2 < side + 2 * m.gap)
        return;
    SDL_Color ink = kit_ui_pressed(&c->ui, CHILDCARE_ID_PLAY) ? th->pressed_ink : th->tile_ink;
    float x = (float)(r.x + (r.w - label_w) / 2 - side - m.gap / 2),
          y = (float)(r.y + (r.h - side) / 2), sz = (float)side;
    if (playing) {
        ui_draw_fill_rect(ctx->renderer, (SDL_Rect){(int)x + side / 6, (int)y, side / 4, side},
                          ink);
        ui_draw_fill_rect(ctx->renderer,
                          (SDL_Rect){(int)x + side - side / 6 - side / 4, (int)y, side / 4, side},
                          ink);
    } else {
        kit_draw_triangle(ctx->renderer, (SDL_FPoint){x + sz * 0.1f, y},
                          (SDL_FPoint){x + sz * 0.1f, y + sz},
                          (SDL_FPoint){x + sz * 0.95f, y + sz / 2}, ink);
    }
}

void cc_draw_page(childcare *c, screen_ctx *ctx, SDL_Rect view)
{
    const kit_theme *th = kit_theme_get();
    cc_page_plan(c, ctx, view);
    cc_plan *pl = &c->plan;
    kit_scroll *sc = &c->page_scroll;
    cc_scroll_size(sc, pl->content_h, view.h);
    kit_ui_set_scroll(&c->ui, sc, view);
    SDL_RenderSetClipRect(ctx->renderer, &view);
    for (size_t i = 0; i < pl->n; i++) {
        const cc_el *e = &pl->els[i];
        SDL_Rect r = {view.x + e->rect.x, view.y + e->rect.y - sc->offset, e->rect.w, e->rect.h};
        if (r.y + r.h <= view.y || r.y >= view.y + view.h)
            continue;
        switch (e->kind) {
        case CC_EL_TITLE:
        case CC_EL_PARA:
        case CC_EL_QR_HINT:
        case CC_EL_QR_LABEL:
            if (e->layout && ctx->atlas)
                text_atlas_draw(ctx->atlas, e->layout, r.x, r.y, th->ink);
            break;
        case CC_EL_RULE:
            ui_draw_fill_rect(ctx->renderer, r, th->band);
            break;
        case CC_EL_PICTURE:
            SDL_RenderCopy(ctx->renderer, c->picture, NULL, &r);
            break;
        case CC_EL_VIDEO:
            draw_video(c, ctx, r);
            kit_ui_hit_scrolled(&c->ui, e->rect, CHILDCARE_ID_PLAY);
            break;
        case CC_EL_PLAY:
            draw_play_button(c, ctx, r);
            break;
        case CC_EL_QR:
            if (c->qr[e->index])
                SDL_RenderCopy(ctx->renderer, c->qr[e->index], NULL, &r);
            break;
        }
    }
    cc_draw_scroll_marks(c, ctx, sc, view);
    SDL_RenderSetClipRect(ctx->renderer, NULL);
}
