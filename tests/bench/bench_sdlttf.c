/* bench_sdlttf: SDL_ttf 2.20's wrapped renderer as the "what you get for
 * free" peer. It rasterises while it wraps, so its time includes pixels.
 * SDL_ttf 2.20 does not expose its line boundaries: sdlttf_split() below
 * re-implements the split of TTF_Render_Wrapped_Internal so its lines can be
 * judged, and every paragraph's reproduction is checked against the surface
 * the real function returns (line count from the height, then pixels). */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/bench/bench.h"
#include "ui/text/kinsoku.h"
#include "ui/text/utf8.h"

/* SDL_ttf's TTF_Render_Wrapped_Internal, the line-split loop, step by step
 * (2.20 has no TTF_Size_Wrapped_Internal yet; the loop was read in the
 * SDL_ttf source of the 2.0.18 -> 2.20 cycle, and judge_paragraph() proves it
 * against the installed library, pixel for pixel). A line starts where the previous one stopped;
 * TTF_MeasureUTF8 says how many glyphs fit in wrap px (strictly less than wrap; at least 1); code
 * points are then walked (U+FEFF not counted) until that many are seen,
 * remembering the position after the last delimiter (space, tab, CR, LF); a
 * CR or LF ends the line at once (and is overwritten with NUL, which the
 * later measurements see). If the walk stopped before the end of the text and
 * a delimiter was seen, the next line starts after that delimiter, else right
 * where the count ran out -- in the middle of a word, and, for Japanese, which
 * has no spaces, simply after max_count characters whatever they are.
 * starts gets each line's byte offset; *split gets the NUL-patched copy. */
static int sdlttf_split(TTF_Font *font, const char *text, size_t len, int wrap,
                        bench_starts *starts, char **split)
{
    char *copy = malloc(len + 1);
    if (!copy) {
        return -1;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    char *t = copy;
    size_t textlen = strlen(copy);
    if (*t) {
        do {
            int extent = 0, max_count = 0, char_count = 0;
            size_t save_textlen = (size_t)-1;
            char *save_text = NULL;

            if (bench_starts_push(starts, (size_t)(t - copy)) < 0) {
                goto fail;
            }
            if (TTF_MeasureUTF8(font, t, wrap, &extent, &max_count) < 0) {
                goto fail;
            }
            if (wrap != 0 && max_count == 0) {
                max_count = 1;
            }
            while (textlen > 0) {
                size_t inc = 0;
                /* Same code point as SDL's UTF8_getch for valid UTF-8 (the
                 * corpus is sanitised by text_markup_strip). */
                uint32_t c = utf8_decode(t, textlen, &inc);
                t += inc;
                textlen -= inc;
                if (c == 0xFEFF) { /* U+FFFE already became U+FFFD in SDL */
                    continue;
                }
                char_count += 1;
                bool delim =
                    wrap > 0 ? (c == ' ' || c == '\t' || c == '\r' || c == '\n') : c == '\n';
                if (delim) {
                    save_textlen = textlen;
                    save_text = t;
                    if (c == '\n' || c == '\r') {
                        *(t - 1) = '\0';
                        break;
                    }
                }
                if (char_count == max_count) {
                    break;
                }
            }
            if (save_text && textlen) {
                t = save_text;
                textlen = save_textlen;
            }
        } while (textlen > 0);
    }
    *split = copy;
    return 0;
fail:
    free(copy);
    return -1;
}

/* Alpha of an ARGB8888 surface at (x, y). */
static uint8_t surface_alpha(const SDL_Surface *s, int x, int y)
{
    const uint8_t *row = (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
    uint32_t px;
    memcpy(&px, row + (size_t)x * 4, 4);
    return (uint8_t)(px >> 24);
}

/* Renders each reproduced line alone and ORs its coverage in at
 * i * lineskip, as the wrapped renderer does (left-aligned, each line at its
 * own xstart); returns how many pixels differ from the real surface. */
static long sdlttf_pixel_diff(TTF_Font *font, const SDL_Surface *real, const char *split,
                              size_t len, const bench_starts *st)
{
    if (real->format->format != SDL_PIXELFORMAT_ARGB8888) {
        return -1;
    }
    uint8_t *want = calloc((size_t)real->w * (size_t)real->h, 1);
    if (!want) {
        return -1;
    }
    int lineskip = TTF_FontLineSkip(font);
    SDL_Color white = {255, 255, 255, 255};
    for (size_t i = 0; i < st->n; i++) {
        size_t end = i + 1 < st->n ? st->at[i + 1] : len;
        char *line = strndup(split + st->at[i], end - st->at[i]);
        SDL_Surface *s = line && *line ? TTF_RenderUTF8_Blended(font, line, white) : NULL;
        free(line);
        if (!s) {
            continue; /* empty or all-blank line: no ink */
        }
        for (int y = 0; y < s->h; y++) {
            int ry = y + (int)i * lineskip;
            if (ry < 0 || ry >= real->h) {
                continue;
            }
            for (int x = 0; x < s->w && x < real->w; x++) {
                want[(size_t)ry * (size_t)real->w + (size_t)x] |= surface_alpha(s, x, y);
            }
        }
        SDL_FreeSurface(s);
    }
    long diff = 0;
    for (int y = 0; y < real->h; y++) {
        for (int x = 0; x < real->w; x++) {
            diff += want[(size_t)y * (size_t)real->w + (size_t)x] != surface_alpha(real, x, y);
        }
    }
    free(want);
    return diff;
}

/* Splits one paragraph, judges it, and checks the split against the real
 * wrapped surface. Untimed. */
static int judge_paragraph(TTF_Font *font, const bench_options *opt, const char *text, size_t len,
                           size_t index, bench_result *res)
{
    bench_starts st = {0};
    char *split = NULL;
    SDL_Color white = {255, 255, 255, 255};
    int rc = -1;

    if (sdlttf_split(font, text, len, opt->width_px, &st, &split) < 0) {
        snprintf(res->note, sizeof(res->note), "TTF_MeasureUTF8 failed: %s", TTF_GetError());
        goto out;
    }
    res->lines += st.n;
    res->violations += kinsoku_count_violations(text, len, st.at, st.n);
    bench_dump_lines(opt, "sdl_ttf", index, text, len, &st);

    SDL_Surface *real = TTF_RenderUTF8_Blended_Wrapped(font, text, white, (Uint32)opt->width_px);
    int full_w = 0, full_h = 0;
    if (!real || TTF_SizeUTF8(font, text, &full_w, &full_h) < 0) {
        snprintf(res->note, sizeof(res->note), "TTF_RenderUTF8_Blended_Wrapped failed: %s",
                 TTF_GetError());
        SDL_FreeSurface(real);
        goto out;
    }
    /* height = max(text height, lineskip) + lineskip * (lines - 1) */
    int skip = TTF_FontLineSkip(font);
    int row = full_h > skip ? full_h : skip;
    int real_lines = (real->h - row) / skip + 1;
    bool exact = (real->h - row) % skip == 0;
    long diff = sdlttf_pixel_diff(font, real, split, len, &st);
    if (!exact || real_lines != (int)st.n || diff != 0) {
        res->mismatches++;
        fprintf(stderr,
                "bench: WARNING sdl_ttf paragraph %zu: reproduced %zu lines, surface %dx%d says "
                "%d%s (lineskip %d), %ld pixels differ\n",
                index, st.n, real->w, real->h, real_lines, exact ? "" : " (not a whole number)",
                skip, diff);
    } else if (opt->verbose) {
        fprintf(stderr, "bench: sdl_ttf paragraph %zu: %zu lines, pixels match\n", index, st.n);
    }
    SDL_FreeSurface(real);
    rc = 0;
out:
    free(split);
    bench_starts_free(&st);
    return rc;
}

int bench_run_sdlttf(const bench_corpus *c, const bench_options *opt, bench_result *res)
{
    TTF_Font *font = NULL;
    double *round_us = calloc((size_t)opt->rounds, sizeof(*round_us));
    SDL_Color white = {255, 255, 255, 255};
    const SDL_version *v = TTF_Linked_Version();

    if (!round_us || TTF_Init() < 0) {
        snprintf(res->note, sizeof(res->note), "TTF_Init failed");
        goto fail;
    }
    /* SDL_ttf sizes in points at 72 dpi: points == pixels. */
    font = TTF_OpenFont(opt->ttf_path, opt->size_px);
    if (!font) {
        snprintf(res->note, sizeof(res->note), "TTF_OpenFont %s: %s", opt->ttf_path,
                 TTF_GetError());
        goto fail;
    }
    for (size_t p = 0; p < c->n; p++) {
        if (judge_paragraph(font, opt, c->text[p], c->len[p], p, res) < 0) {
            goto fail;
        }
    }
    for (int r = 0; r < opt->rounds; r++) {
        double t0 = bench_now_us();
        for (size_t p = 0; p < c->n; p++) {
            SDL_Surface *s =
                TTF_RenderUTF8_Blended_Wrapped(font, c->text[p], white, (Uint32)opt->width_px);
            SDL_FreeSurface(s);
        }
        round_us[r] = bench_now_us() - t0;
    }
    bench_summarise(round_us, opt->rounds, c->n, res);
    snprintf(res->note, sizeof(res->note),
             "SDL_ttf %d.%d.%d; time includes rasterising; lines reproduced from its "
             "algorithm, %zu/%zu paragraphs disagree with its surface",
             v->major, v->minor, v->patch, res->mismatches, c->n);
    res->ok = 1;
    TTF_CloseFont(font);
    TTF_Quit();
    free(round_us);
    return 0;
fail:
    TTF_CloseFont(font);
    if (TTF_WasInit()) {
        TTF_Quit();
    }
    free(round_us);
    return -1;
}
