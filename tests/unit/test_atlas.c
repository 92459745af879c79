/* test_atlas: the glyph atlas draws the same pixels whether a glyph was just
 * rasterised, cached, or evicted and rasterised again; a full atlas evicts
 * instead of failing; a glyph bigger than the atlas is skipped, not a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <SDL.h>

#include "ui/text/atlas.h"
#include "ui/text/layout.h"

struct fixture {
    text_fonts *fonts;
    text_engine *engine;
    SDL_Surface *surface;
    SDL_Renderer *renderer;
};

static int setup(void **state)
{
    static struct fixture fx;
    fx.fonts = text_fonts_load(text_fonts_default_ini());
    fx.engine = fx.fonts ? text_engine_create(fx.fonts) : NULL;
    fx.surface = SDL_CreateRGBSurfaceWithFormat(0, 400, 100, 32, SDL_PIXELFORMAT_ARGB8888);
    fx.renderer = fx.surface ? SDL_CreateSoftwareRenderer(fx.surface) : NULL;
    if (!fx.engine || !fx.renderer)
        return -1;
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    SDL_DestroyRenderer(fx->renderer);
    SDL_FreeSurface(fx->surface);
    text_engine_destroy(fx->engine);
    text_fonts_destroy(fx->fonts);
    return 0;
}

/* Draws text on white and returns a checksum of the pixels (and ink count). */
static uint64_t draw_sum(struct fixture *fx, text_atlas *a, const char *text, int size, size_t *ink)
{
    text_style st = text_style_default(size);
    text_layout *l = text_layout_create(fx->engine, text, strlen(text), &st, 400);
    SDL_SetRenderDrawColor(fx->renderer, 255, 255, 255, 255);
    SDL_RenderClear(fx->renderer);
    text_atlas_draw(a, l, 0, 0, (SDL_Color){0, 0, 0, 255});
    SDL_RenderPresent(fx->renderer);
    text_atlas_end_frame(a);
    text_layout_destroy(l);
    uint64_t sum = 1469598103934665603ull;
    *ink = 0;
    const uint32_t *px = fx->surface->pixels;
    for (int i = 0; i < fx->surface->w * fx->surface->h; i++) {
        sum = (sum ^ px[i]) * 1099511628211ull;
        if ((px[i] & 0xFF) < 128)
            (*ink)++;
    }
    return sum;
}

static void test_same_pixels_after_eviction(void **state)
{
    struct fixture *fx = *state;
    text_atlas *roomy = text_atlas_create(fx->renderer, fx->fonts, 2048);
    text_atlas *tiny = text_atlas_create(fx->renderer, fx->fonts, 96);
    assert_non_null(roomy);
    assert_non_null(tiny);
    const char *probe = "健診";
    size_t ink_ref, ink;
    uint64_t ref = draw_sum(fx, roomy, probe, 24, &ink_ref);
    assert_true(ink_ref > 50); /* something was drawn */
    assert_int_equal(draw_sum(fx, tiny, probe, 24, &ink), ref);
    /* Fill the tiny atlas many times over with other glyphs. */
    static const char *const filler[] = {
        "子育て支援センター相談予約受付", "一時保育図書館おはなし会",
        "窓口混雑状況施設空き体育館会議室", "乳幼児予防接種離乳食教室"};
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < 4; i++)
            draw_sum(fx, tiny, filler[i], 24, &ink);
    text_atlas_stats st;
    text_atlas_get_stats(tiny, &st);
    assert_true(st.evicted_shelves > 0);
    assert_int_equal(draw_sum(fx, tiny, probe, 24, &ink), ref);
    /* Drawing the same text again costs no rasterising at all. */
    text_atlas_get_stats(roomy, &st);
    size_t before = st.rasterised;
    assert_int_equal(draw_sum(fx, roomy, probe, 24, &ink), ref);
    text_atlas_get_stats(roomy, &st);
    assert_int_equal(st.rasterised, before);
    text_atlas_destroy(tiny);
    text_atlas_destroy(roomy);
}

static void test_glyph_bigger_than_atlas(void **state)
{
    struct fixture *fx = *state;
    text_atlas *tiny = text_atlas_create(fx->renderer, fx->fonts, 64);
    size_t ink;
    draw_sum(fx, tiny, "大", 90, &ink); /* skipped, no crash */
    assert_int_equal(ink, 0);
    draw_sum(fx, tiny, "小", 20, &ink); /* and the atlas still works */
    assert_true(ink > 10);
    text_atlas_destroy(tiny);
    text_atlas_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_pixels_after_eviction),
        cmocka_unit_test(test_glyph_bigger_than_atlas),
    };
    return cmocka_run_group_tests_name("atlas", tests, setup, teardown);
}
