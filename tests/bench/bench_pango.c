/* bench_pango: Pango (pangocairo) as the reference peer. Same text, same
 * width and pixel size, language "ja", PANGO_WRAP_WORD_CHAR, a fresh
 * PangoLayout per paragraph; the font map and context are built untimed. */
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/bench/bench.h"
#include "ui/text/kinsoku.h"

typedef struct pango_bench {
    PangoFontMap *map;
    PangoContext *ctx;
    PangoFontDescription *desc;
    PangoAttrList *attrs;
} pango_bench;

static void pango_bench_destroy(pango_bench *b)
{
    if (b->attrs) {
        pango_attr_list_unref(b->attrs);
    }
    if (b->desc) {
        pango_font_description_free(b->desc);
    }
    if (b->ctx) {
        g_object_unref(b->ctx);
    }
    if (b->map) {
        g_object_unref(b->map);
    }
    memset(b, 0, sizeof(*b));
}

static int pango_bench_create(pango_bench *b, const bench_options *opt)
{
    PangoLanguage *ja = pango_language_from_string("ja");
    memset(b, 0, sizeof(*b));
    b->map = pango_cairo_font_map_new();
    if (!b->map) {
        return -1;
    }
    b->ctx = pango_font_map_create_context(b->map);
    b->desc = pango_font_description_new();
    b->attrs = pango_attr_list_new();
    if (!b->ctx || !b->desc || !b->attrs) {
        pango_bench_destroy(b);
        return -1;
    }
    pango_context_set_language(b->ctx, ja);
    pango_font_description_set_family(b->desc, opt->family);
    pango_font_description_set_absolute_size(b->desc, (double)opt->size_px * PANGO_SCALE);
    pango_context_set_font_description(b->ctx, b->desc);
    pango_attr_list_insert(b->attrs, pango_attr_language_new(ja));
    return 0;
}

static PangoLayout *pango_bench_layout(pango_bench *b, const bench_options *opt, const char *text,
                                       size_t len)
{
    PangoLayout *l = pango_layout_new(b->ctx);
    pango_layout_set_font_description(l, b->desc);
    pango_layout_set_attributes(l, b->attrs);
    pango_layout_set_width(l, opt->width_px * PANGO_SCALE);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l, text, (int)len);
    return l;
}

/* The family fontconfig really gave us, so a silent substitution shows. */
static void pango_bench_describe(pango_bench *b, bench_result *res)
{
    PangoFont *font = pango_context_load_font(b->ctx, b->desc);
    if (!font) {
        snprintf(res->note, sizeof(res->note), "no font for the description");
        return;
    }
    PangoFontDescription *d = pango_font_describe_with_absolute_size(font);
    snprintf(res->note, sizeof(res->note), "font %s %.0fpx via fontconfig, pango %s",
             pango_font_description_get_family(d),
             (double)pango_font_description_get_size(d) / PANGO_SCALE, pango_version_string());
    pango_font_description_free(d);
    g_object_unref(font);
}

static int judge_layout(PangoLayout *l, const bench_options *opt, size_t para, const char *text,
                        size_t len, bench_result *res)
{
    if (strlen(pango_layout_get_text(l)) != len || memcmp(pango_layout_get_text(l), text, len)) {
        snprintf(res->note, sizeof(res->note), "pango holds different text bytes");
        return -1;
    }
    bench_starts starts = {0};
    for (GSList *it = pango_layout_get_lines_readonly(l); it; it = it->next) {
        const PangoLayoutLine *line = it->data;
        if (bench_starts_push(&starts, (size_t)line->start_index) < 0) {
            bench_starts_free(&starts);
            return -1;
        }
    }
    res->lines += starts.n;
    res->violations += kinsoku_count_violations(text, len, starts.at, starts.n);
    bench_dump_lines(opt, "pango", para, text, len, &starts);
    bench_starts_free(&starts);
    return 0;
}

int bench_run_pango(const bench_corpus *c, const bench_options *opt, bench_result *res)
{
    pango_bench b;
    double *round_us = calloc((size_t)opt->rounds, sizeof(*round_us));
    volatile int sink = 0;

    if (!round_us || pango_bench_create(&b, opt) < 0) {
        snprintf(res->note, sizeof(res->note), "cannot create a pango context");
        free(round_us);
        return -1;
    }
    pango_bench_describe(&b, res);
    for (size_t p = 0; p < c->n; p++) {
        PangoLayout *l = pango_bench_layout(&b, opt, c->text[p], c->len[p]);
        int rc = judge_layout(l, opt, p, c->text[p], c->len[p], res);
        g_object_unref(l);
        if (rc < 0) {
            goto fail;
        }
    }
    for (int r = 0; r < opt->rounds; r++) {
        double t0 = bench_now_us();
        for (size_t p = 0; p < c->n; p++) {
            PangoLayout *l = pango_bench_layout(&b, opt, c->text[p], c->len[p]);
            sink += pango_layout_get_line_count(l); /* forces the layout */
            g_object_unref(l);
        }
        round_us[r] = bench_now_us() - t0;
    }
    (void)sink;
    bench_summarise(round_us, opt->rounds, c->n, res);
    res->ok = 1;
    pango_bench_destroy(&b);
    free(round_us);
    return 0;
fail:
    pango_bench_destroy(&b);
    free(round_us);
    return -1;
}
