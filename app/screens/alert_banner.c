/* alert_banner: the drill band and the banner. The band is 訓練 DRILL in
 * large type between black and yellow stripes, with a sentence in the
 * reader's language beside it (or under it on a narrow screen), on top of a
 * drill's full view. The banner is a strip of one colour over the screen's
 * header band (never over its buttons): the warning mark, the headline
 * shrunk to fit (cut with "…" only here, a tap shows it whole), how many
 * more alerts there are, and on a touch kiosk a "touch for details" button. */

#include <stdio.h>

#include "app/screens/alert_private.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

static const char DRILL_MARK[] = "訓練 DRILL";

/* The drill band: 訓練 DRILL in large type and a sentence in the reader's
 * language beside it (or under it when the width is short). */
void alert_plan_band(screen_ctx *ctx, const alert_text *t, int w, alert_plan *p)
{
    p->band_h = 0;
    p->band_big = p->band_text = NULL;
    if (!t->drill)
        return;
    const alert_sizes *z = &p->z;
    text_style st = alert_style(ctx, MODEL_LANG_JA, z->band, TEXT_WEIGHT_BOLD, false, 1.25f, 0);
    p->band_big = kit_layout(ctx, DRILL_MARK, &st, w);
    int stripes = z->band * 2;
    int rest = w - 2 * stripes - alert_ladv(p->band_big) - 3 * z->gap;
    int inner_h = (int)lround(z->band * 1.3);
    if (rest > w / 4) {
        p->band_text = kit_fit(ctx, kit_str(ctx, "alert.drill"), alert_key_lang(ctx, "alert.drill"),
                               z->band_text, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, rest, inner_h,
                               z->band_text * 3 / 4);
        p->band_h = (alert_lh(p->band_big) > alert_lh(p->band_text) ? alert_lh(p->band_big)
                                                                    : alert_lh(p->band_text)) +
                    z->gap;
        p->band_side = true;
    } else {
        p->band_text =
            kit_fit(ctx, kit_str(ctx, "alert.drill"), alert_key_lang(ctx, "alert.drill"),
                    z->band_text, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT,
                    ctx->width - 2 * stripes - 2 * z->gap, inner_h * 2, z->band_text * 3 / 4);
        p->band_h = alert_lh(p->band_big) + alert_lh(p->band_text) + z->gap;
    }
}

static void stripes(SDL_Renderer *r, SDL_Rect box, SDL_Color a, SDL_Color b)
{
    ui_draw_fill_rect(r, box, a);
    SDL_RenderSetClipRect(r, &box);
    float step = (float)box.h * 0.7f, t = step / 2.0f;
    for (float x = (float)box.x - (float)box.h; x < (float)(box.x + box.w); x += step)
        kit_draw_line(r, x, (float)(box.y + box.h), x + (float)box.h, (float)box.y, t, b);
    SDL_RenderSetClipRect(r, NULL);
}

void alert_draw_band(screen_ctx *ctx, const alert_plan *p, const alert_palette *pal, int y)
{
    const alert_sizes *z = &p->z;
    SDL_Rect band = {0, y, ctx->width, p->band_h};
    ui_draw_fill_rect(ctx->renderer, band, pal->band);
    int sw = z->band * 2;
    stripes(ctx->renderer, (SDL_Rect){0, y, sw, p->band_h}, pal->band, pal->band_ink);
    stripes(ctx->renderer, (SDL_Rect){ctx->width - sw, y, sw, p->band_h}, pal->band, pal->band_ink);
    int inner = ctx->width - 2 * sw;
    int big_w = alert_ladv(p->band_big), text_w = alert_ladv(p->band_text);
    if (p->band_side) {
        int x = sw + (inner - big_w - z->gap - text_w) / 2;
        alert_put(ctx, p->band_big, x, y + (p->band_h - alert_lh(p->band_big)) / 2, pal->band_ink);
        alert_put(ctx, p->band_text, x + big_w + z->gap,
                  y + (p->band_h - alert_lh(p->band_text)) / 2, pal->band_ink);
    } else {
        int yy = y + z->gap / 2;
        alert_put(ctx, p->band_big, sw + (inner - big_w) / 2, yy, pal->band_ink);
        alert_put(ctx, p->band_text, sw + (inner - text_w) / 2, yy + alert_lh(p->band_big),
                  pal->band_ink);
    }
}

/* ---- the banner ---- */

void alert_draw_banner(alert_overlay *o, screen_ctx *ctx, const alerts_entry *const *live, size_t n)
{
    alert_text t;
    alert_text_for(live[0], alert_ui_lang(ctx), &t);
    if (!t.info)
        return;
    alert_note_shown(o, &t);
    const alert_palette *pal = alert_palette_for(live[0]->decision.info->severity);
    kit_metrics m = kit_metrics_get(ctx);
    SDL_Renderer *r = ctx->renderer;
    /* Over the screen's header band (title and clock), never over the bar
     * of buttons at the bottom; tall enough to be a touch target. */
    int bh = m.header_h > m.target ? m.header_h : m.target;
    SDL_Rect band = {0, 0, ctx->width, bh};
    ui_draw_fill_rect(r, band, pal->bg);
    int edge = m.gap / 5 > 3 ? m.gap / 5 : 3;
    ui_draw_fill_rect(r, (SDL_Rect){0, bh - edge, ctx->width, edge}, pal->band);
    int x = m.gap, inner_h = bh - edge - m.gap;
    if (t.drill) {
        const text_layout *dl =
            kit_fit(ctx, DRILL_MARK, MODEL_LANG_JA, m.title_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT,
                    ctx->width / 4, inner_h, m.small_px);
        int dw = alert_ladv(dl) + m.gap;
        ui_draw_fill_rect(r, (SDL_Rect){0, 0, x + dw, bh - edge}, pal->band);
        alert_put(ctx, dl, x / 2 + m.gap / 2, (bh - edge - alert_lh(dl)) / 2, pal->band_ink);
        x += dw + m.gap / 2;
    }
    int mark = inner_h * 7 / 10;
    kit_draw_mark(r, KIT_MARK_WARN, (SDL_Rect){x, (bh - edge - mark) / 2, mark, mark}, pal->ink,
                  pal->bg);
    x += mark + m.gap / 2;
    /* On the right: on a touch kiosk a button-like "touch for details"
     * (a tap anywhere on the banner opens it), and how many more alerts. */
    int rx = ctx->width - m.gap, right_w = ctx->width / 4;
    if (ctx->touch) {
        int pad = m.gap * 3 / 4;
        const text_layout *hl =
            kit_fit(ctx, kit_str(ctx, "alert.tap_hint"), alert_key_lang(ctx, "alert.tap_hint"),
                    m.small_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, right_w - 2 * pad, inner_h - pad,
                    m.small_px * 3 / 4);
        int bw = alert_ladv(hl) + 2 * pad, bhh = inner_h;
        SDL_Rect b = {rx - bw, (bh - edge - bhh) / 2, bw, bhh};
        int be = m.gap / 8 > 2 ? m.gap / 8 : 2;
        kit_draw_panel(r, b, m.radius, pal->panel, pal->panel_edge, be);
        alert_put(ctx, hl, b.x + pad + (bw - 2 * pad - alert_ladv(hl)) / 2,
                  b.y + (bhh - alert_lh(hl)) / 2, pal->panel_ink);
        rx = b.x - m.gap;
    }
    if (n > 1) {
        char more[128], num[24];
        snprintf(num, sizeof num, "%zu", n - 1);
        const char *args[] = {num};
        alert_fill(more, sizeof more, kit_str(ctx, "alert.more_alerts"), args, 1);
        const text_layout *ml =
            kit_fit(ctx, more, alert_key_lang(ctx, "alert.more_alerts"), m.small_px,
                    TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, right_w / 2, inner_h, m.small_px * 3 / 4);
        rx -= alert_ladv(ml);
        alert_put(ctx, ml, rx, (bh - edge - alert_lh(ml)) / 2, pal->ink);
        rx -= m.gap;
    }
    const alert_info *in = t.info;
    const char *head = in->headline[0] ? in->headline : in->event;
    int tw = rx - x;
    /* Shrinks to fit the band; a headline no band can hold is cut with "…"
     * here only: a tap shows it whole. */
    const text_layout *tl = NULL, *fallback = NULL;
    for (int px = m.title_px;; px = px * 9 / 10) {
        text_style st = alert_style(ctx, t.lang, px, TEXT_WEIGHT_BOLD, t.markup, 1.2f, 0);
        tl = kit_layout(ctx, head, &st, tw);
        if (tl && text_layout_line_count(tl) > 1) {
            const text_layout *ph = alert_wrap_phrases(ctx, head, &st, tw);
            tl = ph && !alert_orphaned(ph, tw) ? ph : tl;
        }
        bool fits = tl && alert_lh(tl) <= inner_h;
        if (fits && !alert_orphaned(tl, tw))
            break;
        if (fits && !fallback)
            fallback = tl;
        if (!tl || px <= m.small_px * 3 / 4) {
            tl = fallback ? fallback : tl;
            break;
        }
    }
    if (tl && alert_lh(tl) > inner_h) {
        text_style st =
            alert_style(ctx, t.lang, m.small_px * 3 / 4, TEXT_WEIGHT_BOLD, t.markup, 1.25f, 2);
        tl = kit_layout(ctx, head, &st, tw);
    }
    alert_put(ctx, tl, x, (bh - edge - alert_lh(tl)) / 2, pal->ink);
    if (ctx->touch) {
        kit_ui_hit(&o->ui, band, ALERT_ID_BANNER);
        o->banner = band;
    }
}
