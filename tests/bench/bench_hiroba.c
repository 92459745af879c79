/* bench_hiroba: hiroba's ui/text engine under the benchmark. Cold layouts:
 * a fresh text_layout per paragraph, no text_cache; font loading and engine
 * creation are outside the timed region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/bench/bench.h"
#include "ui/text/fonts.h"
#include "ui/text/kinsoku.h"
#include "ui/text/layout.h"

static text_style bench_style(const bench_options *opt)
{
    text_style st = text_style_default(opt->size_px);
    /* The corpus is already stripped: parse nothing, as the peers parse nothing. */
    st.markup = false;
    st.ruby = false;
    st.max_lines = 0;
    st.align = TEXT_ALIGN_LEFT;
    return st;
}

/* Lines and kinsoku violations of one paragraph, judged on the layout's own
 * plain text, which must be the very bytes the peers were given. */
static int judge_layout(const text_layout *l, const bench_options *opt, size_t para,
                        const char *text, size_t len, bench_result *res)
{
    size_t plain_len = 0;
    const char *plain = text_layout_plain(l, &plain_len);
    if (plain_len != len || memcmp(plain, text, len) != 0) {
        snprintf(res->note, sizeof(res->note), "layout plain text differs from the input");
        return -1;
    }
    size_t n = text_layout_line_count(l);
    bench_starts starts = {0};
    for (size_t i = 0; i < n; i++) {
        text_line_info info;
        text_layout_get_line(l, i, &info);
        if (bench_starts_push(&starts, info.offset) < 0) {
            bench_starts_free(&starts);
            return -1;
        }
    }
    res->lines += n;
    res->violations += kinsoku_count_violations(plain, plain_len, starts.at, starts.n);
    bench_dump_lines(opt, "hiroba", para, plain, plain_len, &starts);
    bench_starts_free(&starts);
    return 0;
}

int bench_run_hiroba(const bench_corpus *c, const bench_options *opt, bench_result *res)
{
    double *round_us = calloc((size_t)opt->rounds, sizeof(*round_us));
    text_fonts *fonts = text_fonts_load(opt->fonts_ini);
    text_engine *engine = fonts ? text_engine_create(fonts) : NULL;
    text_style st = bench_style(opt);
    volatile size_t sink = 0;

    if (!round_us || !engine) {
        snprintf(res->note, sizeof(res->note), "cannot load fonts from %s", opt->fonts_ini);
        goto fail;
    }
    /* Warm-up, untimed: also where lines and violations are judged. */
    for (size_t p = 0; p < c->n; p++) {
        text_layout *l = text_layout_create(engine, c->text[p], c->len[p], &st, opt->width_px);
        if (!l) {
            snprintf(res->note, sizeof(res->note), "text_layout_create failed (paragraph %zu)", p);
            goto fail;
        }
        int rc = judge_layout(l, opt, p, c->text[p], c->len[p], res);
        text_layout_destroy(l);
        if (rc < 0) {
            goto fail;
        }
    }
    for (int r = 0; r < opt->rounds; r++) {
        double t0 = bench_now_us();
        for (size_t p = 0; p < c->n; p++) {
            text_layout *l = text_layout_create(engine, c->text[p], c->len[p], &st, opt->width_px);
            sink += text_layout_line_count(l);
            text_layout_destroy(l);
        }
        round_us[r] = bench_now_us() - t0;
    }
    (void)sink;
    bench_summarise(round_us, opt->rounds, c->n, res);
    snprintf(res->note, sizeof(res->note), "%zu font faces, cold layouts, no cache",
             text_fonts_face_count(fonts));
    res->ok = 1;
    text_engine_destroy(engine);
    text_fonts_destroy(fonts);
    free(round_us);
    return 0;
fail:
    text_engine_destroy(engine);
    text_fonts_destroy(fonts);
    free(round_us);
    return -1;
}
