/* layout_place: turns broken lines into positioned glyphs: line boxes on the
 * ideographic em box, alignment, furigana above their bases, the ellipsis.
 * Must never move a glyph outside its line's box horizontally. */
#include "ui/text/layout_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void put(text_glyph *out, size_t *n, const shaped_glyph *g, int size_px, int64_t x26,
                int64_t y26)
{
    text_glyph *t = &out[(*n)++];
    t->glyph = g->glyph;
    t->face = g->face;
    t->size_px = (uint16_t)size_px;
    t->x26 = (int32_t)x26;
    t->y26 = (int32_t)y26;
}

static int64_t align_offset(text_align align, int64_t box26, int64_t adv26)
{
    if (adv26 >= box26)
        return 0;
    switch (align) {
    case TEXT_ALIGN_CENTER:
        return (box26 - adv26) / 2;
    case TEXT_ALIGN_RIGHT:
        return box26 - adv26;
    default:
        return 0;
    }
}

/* Places a group's reading over its base: spread 1:2:1 over a wider base,
 * centred over a base that was widened to the reading. */
static void place_ruby(const struct text_engine *e, const struct ruby_group *gr, int ruby_px,
                       int64_t x0_26, int64_t line_g0, int64_t baseline26, text_glyph *out,
                       size_t *n)
{
    uint32_t gs = e->gstart[gr->base_start], ge = e->gstart[gr->base_end];
    if (ge <= gs)
        return;
    int64_t gx = x0_26 + e->pre[gs] - e->pre[line_g0];
    int64_t gw = e->pre[ge] - e->pre[gs] - e->gap[ge - 1];
    size_t nr = gr->rg_end - gr->rg_start;
    if (nr == 0)
        return;
    int64_t extra = gw - gr->ruby_w26, pen = 0;
    for (size_t k = 0; k < nr; k++) {
        const shaped_glyph *g = &e->ruby_glyphs.v[gr->rg_start + k];
        int64_t lead = extra > 0 ? extra * (int64_t)(2 * k + 1) / (int64_t)(2 * nr) : extra / 2;
        put(out, n, g, ruby_px, gx + lead + pen + g->xoff26, baseline26 - g->yoff26);
        pen += g->adv26;
    }
}

int layout_place(struct text_engine *e, const struct layout_work *w, text_layout *l)
{
    const text_style *st = w->st;
    int32_t asc26, desc26, rasc26, rdesc26;
    text_fonts_metrics(e->fonts, w->chain[0], st->size_px, &asc26, &desc26);
    text_fonts_metrics(e->fonts, w->chain[0], w->ruby_px, &rasc26, &rdesc26);
    int64_t em26 = (int64_t)st->size_px * 64;
    int64_t lh26 = llround((double)st->size_px * st->line_height * 64.0);
    int64_t half_lead = (lh26 - em26) / 2;
    int64_t ruby_gap = em26 / 20;
    int64_t ruby_room = 0;
    if (w->any_ruby) {
        ruby_room = (int64_t)w->ruby_px * 64 + ruby_gap - half_lead;
        if (ruby_room < 0)
            ruby_room = 0;
    }
    l->pitch26 = (int32_t)(lh26 + ruby_room);

    glyph_vec ell = {0};
    size_t count = e->ruby_glyphs.n;
    for (size_t i = 0; i < e->n_lines; i++) {
        const struct lline *ln = &e->lines[i];
        count += e->gstart[ln->end] - e->gstart[ln->start];
        if (ln->ellipsis && ell.n == 0 &&
            text_shaper_shape(e->shaper, "\xE2\x80\xA6", 3, w->chain, w->n_chain, st->size_px,
                              st->lang, &ell) != 0)
            goto fail;
    }
    count += ell.n;
    l->lines = malloc(e->n_lines * sizeof *l->lines);
    l->glyphs = malloc((count ? count : 1) * sizeof *l->glyphs);
    if (!l->lines || !l->glyphs)
        goto fail;

    size_t n = 0, gi = 0;
    for (size_t i = 0; i < e->n_lines; i++) {
        struct lline *ln = &l->lines[i];
        *ln = e->lines[i];
        ln->top26 = (int32_t)((int64_t)i * l->pitch26);
        int64_t embox_top = ln->top26 + ruby_room + half_lead;
        ln->baseline26 = (int32_t)(embox_top + asc26);
        ln->x26 = (int32_t)align_offset(st->align, w->max26, ln->adv26);
        uint32_t g0 = e->gstart[ln->start], g1 = e->gstart[ln->end];
        for (uint32_t g = g0; g < g1; g++) {
            const shaped_glyph *sg = &e->glyphs.v[g];
            put(l->glyphs, &n, sg, st->size_px, ln->x26 + e->pre[g] - e->pre[g0] + sg->xoff26,
                ln->baseline26 - sg->yoff26);
        }
        if (ln->ellipsis) {
            int64_t pen = ln->x26 + (g1 > g0 ? e->pre[g1] - e->pre[g0] - e->gap[g1 - 1] : 0);
            for (size_t k = 0; k < ell.n; k++) {
                put(l->glyphs, &n, &ell.v[k], st->size_px, pen + ell.v[k].xoff26,
                    ln->baseline26 - ell.v[k].yoff26);
                pen += ell.v[k].adv26;
            }
        }
        /* Groups are in text order, like lines: walk both together. */
        int64_t ruby_baseline = embox_top - ruby_gap + rdesc26;
        while (gi < w->n_groups && w->groups[gi].base_start < ln->start)
            gi++;
        for (; gi < w->n_groups && w->groups[gi].base_end <= ln->end; gi++)
            if (w->groups[gi].visible)
                place_ruby(e, &w->groups[gi], w->ruby_px, ln->x26, g0, ruby_baseline, l->glyphs,
                           &n);
    }
    l->n_glyphs = n;
    l->n_lines = e->n_lines;
    l->height = (int)(((int64_t)l->n_lines * l->pitch26 + 63) >> 6);
    l->memory =
        sizeof *l + l->plain_len + 1 + l->n_lines * sizeof *l->lines + count * sizeof *l->glyphs;
    glyph_vec_free(&ell);
    return 0;
fail:
    glyph_vec_free(&ell);
    return -1;
}
