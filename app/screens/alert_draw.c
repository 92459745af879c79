/* alert_draw: the full view of an alert (the takeover, or a banner's alert
 * opened by a tap): choosing its scale (plan_fit) and drawing it. It reads
 * top to bottom in the order a frightened reader needs it: what is
 * happening (the headline, the largest type, beside a warning mark), what
 * to do (on a white panel, the second largest type, never larger than 80%
 * of the headline), where (area, shelters), then what happened in detail,
 * when it was issued, by whom and until when, and a QR code to the city's
 * page. Drills carry a black and yellow 訓練 / DRILL band on top.
 *
 * Fitting (plan_fit): a tall screen takes everything up to 130%; otherwise
 * the details shrink (to 70%) before the headline and the instruction do,
 * then one shelter and two lines of description are enough before those
 * shrink too (to 70%); past that the description is cut with "…", shelters
 * are counted instead of listed, and the QR code goes. Each heading first
 * shrinks a step or two on one line, then wraps at the spaces between its
 * phrases when it can ("緊急安全確保" / "中央区の全域", never "中央" / "区"),
 * avoiding a lone last word. The headline and the instruction are never
 * cut. Sizes follow the shorter side: on a 43-inch 1080p panel (2.3 px/mm)
 * the headline is about 4 cm tall, the instruction 3 cm, the details about
 * 2 cm (1.1 cm at the very least): read from 5 m. The helpers that
 * measure and fit text blocks are in alert_layout.c, the drill band and the
 * banner in alert_banner.c. */

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/screens/alert_private.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

#define QR_TEXT_MAX 1024 /* kit_qr_texture's limit */
#define N_SCALES    6
#define NO_DETAILS  (-2)

/* Tall screens have room for larger type than the shorter side gives. */
static const int scales[N_SCALES] = {130, 115, 100, 90, 80, 70};

/* The word "language" in four scripts: the button a reader of any of them
 * must find, whatever language the screen is in now. */
static const char LANG_LABEL[] = "言語 · Language · 语言 · 언어";
static const char LANG_LABEL_2[] = "言語 · Language\n语言 · 언어"; /* a narrow button */

/* Light pages (amber, pale yellow) need an edge round white panels. */
static bool light(SDL_Color c)
{
    return c.r * 299 + c.g * 587 + c.b * 114 > 128 * 1000;
}

/* Whether hay contains needle, ASCII letters compared without case
 * ("Tsunami warning: ..." says "Tsunami Warning"). */
static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* ---- the plan of one full view ---- */

/* Percentages of the base sizes: what is happening and what to do (top),
 * and the details under them (det), which give way first. */
typedef struct scale {
    int top, det;
} scale;

static alert_sizes sizes_at(const screen_ctx *ctx, scale sc)
{
    int u = ctx->width < ctx->height ? ctx->width : ctx->height;
    double k = u * sc.top / 100.0, d = u * sc.det / 100.0;
    alert_sizes z;
    z.pad = (int)lround(u * 0.03);
    z.gap = (int)lround(u * 0.022 * sc.det / 100.0);
    z.head = (int)lround(k * 0.088);
    z.kicker = (int)lround(k * 0.05);
    z.instr = (int)lround(k * 0.064);
    z.instr_label = (int)lround(k * 0.034);
    z.label = (int)lround(d * 0.034);
    z.value = (int)lround(d * 0.042);
    z.small = (int)lround(d * 0.034);
    z.band = (int)lround(u * 0.07);
    z.band_text = (int)lround(u * 0.036);
    z.qr = (int)lround(d * 0.26);
    return z;
}

static int foot_height(screen_ctx *ctx, const alert_plan *p, size_t n)
{
    kit_metrics m = kit_metrics_get(ctx);
    if (ctx->touch)
        return m.target > p->z.value * 2 ? m.target : p->z.value * 2;
    return n > 1 ? (int)lround(p->z.label * 1.4) : 0;
}

static uint64_t url_hash(const char *url)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *s = url; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

/* Lays out the whole view at scale sc. Returns its height, or INT_MAX
 * when need_qr and the QR code found no room. */
static int plan_at(alert_overlay *o, screen_ctx *ctx, const alert_text *t, size_t n, scale sc,
                   int desc_lines, size_t shelters, bool need_qr, alert_plan *p)
{
    memset(p, 0, sizeof *p);
    p->z = sizes_at(ctx, sc);
    const alert_sizes *z = &p->z;
    const alert_info *in = t->info;
    int w = ctx->width - 2 * z->pad;
    alert_plan_band(ctx, t, w, p);

    /* What is happening: the event above the headline unless the headline
     * says it already. */
    const char *head = in->headline[0] ? in->headline : in->event;
    const char *kick =
        in->headline[0] && in->event[0] && !contains_ci(in->headline, in->event) ? in->event : NULL;
    p->mark = (int)lround(z->head * 1.1);
    int hw = w - p->mark - z->gap;
    p->kicker =
        kick ? alert_fit_heading(ctx, kick, t->lang, z->kicker, 85, t->markup, 1.25f, hw, NULL)
             : NULL;
    int head_px = z->head;
    p->head = alert_fit_heading(ctx, head, t->lang, z->head, 75, t->markup, 1.25f, hw, &head_px);
    p->head_h = alert_lh(p->kicker) + alert_lh(p->head);
    if (p->head_h < p->mark)
        p->head_h = p->mark;

    /* What to do. */
    p->instr_pad = z->gap;
    if (in->instruction[0]) {
        int iw = w - 2 * p->instr_pad;
        p->instr_label =
            alert_ui_text(ctx, "alert.what_to_do", z->instr_label, TEXT_WEIGHT_BOLD, iw);
        /* Second only to the headline, whatever size the headline took. */
        int instr_px = z->instr < head_px * 8 / 10 ? z->instr : head_px * 8 / 10;
        p->instr = alert_fit_heading(ctx, in->instruction, t->lang, instr_px, 85, t->markup, 1.3f,
                                     iw, NULL);
        p->instr_h = 2 * p->instr_pad + alert_lh(p->instr_label) + alert_lh(p->instr);
    }

    /* Where, when, who; the QR code beside them. */
    p->foot_h = foot_height(ctx, p, n);
    if (t->other_lang)
        p->note = alert_fit_heading(ctx, kit_str(ctx, "alert.other_lang"),
                                    alert_key_lang(ctx, "alert.other_lang"), z->label, 85, true,
                                    1.3f, w, NULL);
    int top = z->pad + (p->band_h ? p->band_h + z->gap : 0) + p->head_h + z->gap +
              (p->instr_h ? p->instr_h + z->gap : 0);
    int bottom = z->pad + p->foot_h + (p->note ? alert_lh(p->note) + z->gap / 2 : 0) + z->gap;
    int budget = ctx->height - top - bottom;
    p->qr_side = 0;
    p->qr_below = ctx->height > ctx->width;
    bool want_qr = in->web[0] && strlen(in->web) <= QR_TEXT_MAX &&
                   !(o->qr_failed && o->qr_hash == url_hash(in->web));
    /* Below this a phone must come very close: larger type gives way first. */
    int min_side = (ctx->width < ctx->height ? ctx->width : ctx->height) * 18 / 100;
    int tile_pad = z->gap / 2;
    p->det_w = w;
    if (want_qr && !p->qr_below) {
        int cap_w = z->qr;
        p->qr_cap = kit_fit(ctx, kit_str(ctx, "alert.more_info"),
                            alert_key_lang(ctx, "alert.more_info"), z->label, TEXT_WEIGHT_BOLD,
                            TEXT_ALIGN_CENTER, cap_w, z->label * 3, z->label * 3 / 4);
        int side = budget - alert_lh(p->qr_cap) - 3 * tile_pad;
        side = side < z->qr ? side : z->qr;
        if (side >= min_side) {
            p->qr_side = side;
            p->det_w = w - side - z->gap * 2;
            /* The caption centred under the code, as wide as the tile. */
            p->qr_cap = kit_fit(ctx, kit_str(ctx, "alert.more_info"),
                                alert_key_lang(ctx, "alert.more_info"), z->label, TEXT_WEIGHT_BOLD,
                                TEXT_ALIGN_CENTER, side, z->label * 3, z->label * 3 / 4);
        }
    }
    alert_plan_label_column(ctx, p);
    if (desc_lines != NO_DETAILS)
        alert_plan_details(ctx, t, p, desc_lines, shelters);
    int det = p->det_h;
    if (want_qr && p->qr_below) {
        /* A tile across the width: the code, and beside it what it is and
         * the address for those who type it. */
        int side = budget - p->det_h - z->gap - 2 * tile_pad;
        side = side < z->qr ? side : z->qr;
        if (side >= min_side) {
            p->qr_side = side;
            int tw = w - 2 * tile_pad - side - z->gap;
            p->qr_cap = kit_fit(ctx, kit_str(ctx, "alert.more_info"),
                                alert_key_lang(ctx, "alert.more_info"), z->value, TEXT_WEIGHT_BOLD,
                                TEXT_ALIGN_LEFT, tw, side / 2, z->label * 3 / 4);
            const char *shown = in->web;
            if (strncmp(shown, "https://", 8) == 0)
                shown += 8;
            p->qr_url =
                alert_fit_token(ctx, shown, MODEL_LANG_EN, z->small, TEXT_WEIGHT_REGULAR, tw, NULL);
            if (alert_lh(p->qr_cap) + alert_lh(p->qr_url) > side)
                p->qr_url = NULL;
            det += z->gap + side + 2 * tile_pad;
        }
    } else if (p->qr_side) {
        int qr_h = p->qr_side + alert_lh(p->qr_cap) + 3 * tile_pad;
        det = det > qr_h ? det : qr_h;
    }
    p->total = top + det + bottom;
    if (need_qr && want_qr && !p->qr_side)
        return INT_MAX;
    return p->total;
}

/* The description lines that fit in what plan p (laid out without one)
 * leaves of the screen. */
static int lines_left(const screen_ctx *ctx, const alert_plan *p)
{
    int left =
        ctx->height - p->total - p->z.gap / 2 - (p->stacked ? (int)lround(p->z.label * 1.35) : 0);
    int pitch = (int)lround(p->z.value * 1.35);
    return pitch > 0 && left > 0 ? left / pitch : 0;
}

/* At scale sc with less in it: the shelter list shortened (down to
 * min_shelters, the rest counted) until the description gets at least
 * min_lines lines, cut with "…" (0: it may go). Returns whether it fits. */
static bool plan_trimmed(alert_overlay *o, screen_ctx *ctx, const alert_text *t, size_t n, scale sc,
                         bool need_qr, int min_lines, size_t min_shelters, alert_plan *p)
{
    size_t all = t->info->n_shelters;
    bool desc = t->info->description[0] != '\0';
    for (size_t k = all + 1; k-- > min_shelters;) {
        if (plan_at(o, ctx, t, n, sc, desc ? 0 : -1, k, need_qr, p) > ctx->height)
            continue;
        if (!desc)
            return true;
        int lines = lines_left(ctx, p);
        if (plan_at(o, ctx, t, n, sc, -1, k, need_qr, p) <= ctx->height)
            return true;
        if (lines >= 1 && lines >= min_lines &&
            plan_at(o, ctx, t, n, sc, lines, k, need_qr, p) <= ctx->height)
            return true;
        if (min_lines == 0)
            return plan_at(o, ctx, t, n, sc, 0, k, need_qr, p) <= ctx->height;
    }
    return false;
}

/* Larger than 100% only with everything in it. Then the details shrink
 * (to 70%) before the headline and the instruction do, and from 100% down
 * one shelter (the rest counted, the QR code leads to all) and two lines
 * of description are enough before the type shrinks further; at the smallest scale the description,
 * then shelters, then the QR code give way. */
static void plan_fit(alert_overlay *o, screen_ctx *ctx, const alert_text *t, size_t n,
                     alert_plan *p)
{
    size_t all = t->info->n_shelters, few = all < 1 ? all : 1;
    for (int i = 0; i < N_SCALES && scales[i] > 100; i++)
        if (plan_at(o, ctx, t, n, (scale){scales[i], scales[i]}, -1, all, true, p) <= ctx->height)
            return;
    for (int i = 0; i < N_SCALES; i++) {
        if (scales[i] > 100)
            continue;
        for (int j = i; j < N_SCALES; j++) {
            scale sc = {scales[i], scales[j]};
            if (plan_at(o, ctx, t, n, sc, -1, all, true, p) <= ctx->height)
                return;
        }
        scale sc = {scales[i], scales[N_SCALES - 1]};
        if (plan_trimmed(o, ctx, t, n, sc, true, 2, few, p))
            return;
    }
    scale last = {scales[N_SCALES - 1], scales[N_SCALES - 1]};
    if (plan_trimmed(o, ctx, t, n, last, true, 1, 0, p) ||
        plan_trimmed(o, ctx, t, n, last, true, 0, 0, p) ||
        plan_trimmed(o, ctx, t, n, last, false, 0, 0, p))
        return;
    /* Still too tall: a headline or instruction of a length no city
     * writes. Those two alone, whole, at the smallest scale: the details
     * stay behind the QR code's page, and what runs past the screen's foot
     * is hidden by the language button, the only thing drawn over it. */
    plan_at(o, ctx, t, n, last, NO_DETAILS, 0, false, p);
}

/* ---- drawing ---- */

static void draw_details(screen_ctx *ctx, const alert_plan *p, const alert_palette *pal, int x,
                         int y)
{
    const alert_sizes *z = &p->z;
    for (size_t i = 0; i < p->n_rows; i++) {
        const alert_prow *r = &p->rows[i];
        alert_put(ctx, r->label, x, y, pal->label);
        bool under = p->stacked || r->stack;
        int vx = under ? x : x + p->label_w + z->gap;
        int vy = under ? y + alert_lh(r->label) : y;
        for (size_t k = 0; k < r->nv; k++) {
            alert_put(ctx, r->v[k], vx, vy, pal->ink);
            vy += alert_lh(r->v[k]);
        }
        if (r->v2) {
            alert_put(ctx, r->label2, vx + r->x2, y, pal->label);
            alert_put(ctx, r->v2, vx + r->x2 + alert_ladv(r->label2) + z->gap, y, pal->ink);
        }
        y += r->h + z->gap / 2;
    }
}

static void draw_qr(alert_overlay *o, screen_ctx *ctx, const alert_plan *p,
                    const alert_palette *pal, const char *url, int x, int y, int w)
{
    const alert_sizes *z = &p->z;
    uint64_t h = url_hash(url);
    if (h != o->qr_hash || p->qr_side != o->qr_max) {
        if (o->qr)
            SDL_DestroyTexture(o->qr);
        o->qr = kit_qr_texture(ctx->renderer, url, p->qr_side, &o->qr_side);
        o->qr_hash = h;
        o->qr_max = p->qr_side;
        o->qr_failed = !o->qr;
    }
    if (!o->qr)
        return;
    int pad = z->gap / 2, edge = z->gap / 6 > 2 ? z->gap / 6 : 2;
    SDL_Rect tile = p->qr_below ? (SDL_Rect){x, y, w, p->qr_side + 2 * pad}
                                : (SDL_Rect){x, y, p->qr_side + 2 * pad,
                                             p->qr_side + alert_lh(p->qr_cap) + 3 * pad};
    kit_draw_panel(ctx->renderer, tile, z->gap / 3, pal->panel, pal->panel_edge,
                   light(pal->bg) ? edge : 0);
    SDL_Rect dst = {x + pad + (p->qr_side - o->qr_side) / 2,
                    y + pad + (p->qr_side - o->qr_side) / 2, o->qr_side, o->qr_side};
    SDL_RenderCopy(ctx->renderer, o->qr, NULL, &dst);
    if (p->qr_below) {
        int tx = x + pad + p->qr_side + z->gap;
        int ty = y + pad + (p->qr_side - alert_lh(p->qr_cap) - alert_lh(p->qr_url)) / 2;
        alert_put(ctx, p->qr_cap, tx, ty, pal->panel_ink);
        alert_put(ctx, p->qr_url, tx, ty + alert_lh(p->qr_cap), pal->panel_ink);
    } else {
        alert_put(ctx, p->qr_cap, x + pad, y + 2 * pad + p->qr_side, pal->panel_ink);
    }
}

static void draw_foot(alert_overlay *o, screen_ctx *ctx, const alert_plan *p,
                      const alert_palette *pal, size_t n, size_t i, bool closable)
{
    const alert_sizes *z = &p->z;
    int y = ctx->height - z->pad - p->foot_h;
    int w = ctx->width - 2 * z->pad, x = z->pad;
    char count[96], a[24], b[24];
    snprintf(a, sizeof a, "%zu", i + 1);
    snprintf(b, sizeof b, "%zu", n);
    const char *args[] = {a, b};
    alert_fill(count, sizeof count, kit_str(ctx, "alert.count"), args, 2);
    text_style cst = alert_style(ctx, alert_key_lang(ctx, "alert.count"), z->value,
                                 TEXT_WEIGHT_BOLD, false, 1.3f, 0);
    const text_layout *cl = n > 1 ? kit_layout(ctx, count, &cst, w) : NULL;
    if (!ctx->touch) {
        alert_put(ctx, cl, x + w - alert_ladv(cl), y, pal->ink);
        return;
    }
    /* Language on the left, as wide as the right side leaves it (up to 45%);
     * previous, the count, next and close on the right. */
    int bh = p->foot_h, unit = w / 6;
    int right =
        (closable ? unit + z->gap : 0) + (n > 1 ? 2 * unit + alert_ladv(cl) + 2 * z->gap : 0);
    int lw = w - right - z->gap;
    lw = lw < w * 45 / 100 ? lw : w * 45 / 100;
    kit_metrics m = kit_metrics_get(ctx);
    text_style probe = alert_style(ctx, MODEL_LANG_JA, m.text_px, TEXT_WEIGHT_BOLD, false, 1.3f, 0);
    bool one_line = alert_ladv(kit_layout(ctx, LANG_LABEL, &probe, w)) <= lw - 2 * m.gap;
    kit_button(ctx, &o->ui, KIT_ID_LANG, (SDL_Rect){x, y, lw, bh},
               one_line ? LANG_LABEL : LANG_LABEL_2, MODEL_LANG_JA, KIT_BUTTON, NULL);
    int rx = x + w;
    if (closable) {
        int cw = unit;
        rx -= cw;
        kit_button(ctx, &o->ui, ALERT_ID_CLOSE, (SDL_Rect){rx, y, cw, bh},
                   kit_str(ctx, "alert.close"), alert_key_lang(ctx, "alert.close"), KIT_BUTTON,
                   NULL);
        rx -= z->gap;
    }
    if (n > 1) {
        int bw = unit;
        rx -= bw;
        kit_button(ctx, &o->ui, ALERT_ID_NEXT, (SDL_Rect){rx, y, bw, bh},
                   kit_str(ctx, "alert.next"), alert_key_lang(ctx, "alert.next"), KIT_BUTTON, NULL);
        int cw = alert_ladv(cl) + z->gap;
        rx -= cw;
        alert_put(ctx, cl, rx + (cw - alert_ladv(cl)) / 2, y + (bh - alert_lh(cl)) / 2, pal->ink);
        rx -= bw;
        kit_button(ctx, &o->ui, ALERT_ID_PREV, (SDL_Rect){rx, y, bw, bh},
                   kit_str(ctx, "alert.prev"), alert_key_lang(ctx, "alert.prev"), KIT_BUTTON, NULL);
    }
}

void alert_draw_full(alert_overlay *o, screen_ctx *ctx, const alerts_entry *const *live, size_t n,
                     size_t i, bool closable)
{
    alert_text t;
    alert_text_for(live[i], alert_ui_lang(ctx), &t);
    if (!t.info)
        return;
    alert_note_shown(o, &t);
    const alert_palette *pal = alert_palette_for(live[i]->decision.info->severity);
    alert_plan p;
    plan_fit(o, ctx, &t, n, &p);
    const alert_sizes *z = &p.z;
    SDL_Renderer *r = ctx->renderer;
    ui_draw_clear(r, pal->bg);
    int x = z->pad, w = ctx->width - 2 * z->pad, y = z->pad;
    if (p.band_h) {
        /* The band runs edge to edge, from the very top. */
        alert_draw_band(ctx, &p, pal, 0);
        y = p.band_h + z->gap;
    }
    kit_draw_mark(r, KIT_MARK_WARN, (SDL_Rect){x, y, p.mark, p.mark}, pal->ink, pal->bg);
    int hx = x + p.mark + z->gap;
    alert_put(ctx, p.kicker, hx, y, pal->ink);
    alert_put(ctx, p.head, hx, y + alert_lh(p.kicker), pal->ink);
    y += p.head_h + z->gap;
    if (p.instr_h) {
        SDL_Rect panel = {x, y, w, p.instr_h};
        int edge = light(pal->bg) ? (z->gap / 4 > 3 ? z->gap / 4 : 3) : 0;
        kit_draw_panel(r, panel, z->gap / 2, pal->panel, pal->panel_edge, edge);
        alert_put(ctx, p.instr_label, x + p.instr_pad, y + p.instr_pad, pal->panel_label);
        alert_put(ctx, p.instr, x + p.instr_pad, y + p.instr_pad + alert_lh(p.instr_label),
                  pal->panel_ink);
        y += p.instr_h + z->gap;
    }
    draw_details(ctx, &p, pal, x, y);
    if (p.qr_side && p.qr_below)
        draw_qr(o, ctx, &p, pal, t.info->web, x, y + p.det_h + z->gap, w);
    else if (p.qr_side)
        draw_qr(o, ctx, &p, pal, t.info->web, x + w - p.qr_side - z->gap, y, 0);
    if (p.note)
        alert_put(ctx, p.note, x, ctx->height - z->pad - p.foot_h - z->gap / 2 - alert_lh(p.note),
                  pal->ink);
    draw_foot(o, ctx, &p, pal, n, i, closable);
    if (o->ui.picker_open) {
        SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(r, 0, 0, 0, 150);
        SDL_RenderFillRect(r, NULL);
        kit_chrome_overlay(ctx, &o->ui);
    }
}
