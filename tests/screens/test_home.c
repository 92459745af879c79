/* test_home: the touch kiosk's home menu rendered headless (frozen clock,
 * the example feeds from schemas/examples, the real catalogs) in every
 * language and both orientations, compared with reference PNGs; taps on
 * its tiles; and the router's session handling:
 * screen_go requests, input stamps and the idle reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <SDL.h>

#include "app/screens/kit.h"
#include "app/screens/screen.h"
#include "app/screens/signage.h"
#include "tests/screens/screen_rig.h"

/* A headless kiosk on the centre's pack with the example feeds, fetched
 * at the frozen instant. */
static void home_open(screen_rig *r, struct fixture *f, model_lang lang, int w, int h)
{
    screen_rig_open(r, f, w, h, lang, f->pack, TUE_10);
    int64_t at = screen_rig_ms_at(TUE_10);
    screen_rig_example_feeds(r, at, at);
}

/* ---- goldens ---- */

static void check_golden(void **state, model_lang lang, int w, int h)
{
    char name[96];
    snprintf(name, sizeof name, "home-%s-%dx%d.png", model_lang_code(lang), w, h);
    screen_rig r;
    home_open(&r, *state, lang, w, h);
    screen_rig_show(&r, &home_screen_ops);
    screen_rig_draw(&r);
    assert_int_equal(screen_rig_golden(&r, name), 0);
    screen_rig_close(&r);
}

#define GOLDEN_PAIR(code, lang)                                                                    \
    static void test_golden_##code##_landscape(void **state)                                       \
    {                                                                                              \
        check_golden(state, lang, 1920, 1080);                                                     \
    }                                                                                              \
    static void test_golden_##code##_portrait(void **state)                                        \
    {                                                                                              \
        check_golden(state, lang, 1080, 1920);                                                     \
    }

GOLDEN_PAIR(ja, MODEL_LANG_JA)
GOLDEN_PAIR(en, MODEL_LANG_EN)
GOLDEN_PAIR(zh, MODEL_LANG_ZH)
GOLDEN_PAIR(ko, MODEL_LANG_KO)
GOLDEN_PAIR(ja_easy, MODEL_LANG_JA_EASY)

/* Large text in the language with the longest labels and readings: the
 * tiles' words reflow inside them. */
static void test_golden_large_text(void **state)
{
    struct fixture *f = *state;
    static const struct {
        model_lang lang;
        int w, h;
    } cases[] = {{MODEL_LANG_JA_EASY, 1920, 1080}, {MODEL_LANG_EN, 1080, 1920}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[96];
        snprintf(name, sizeof name, "home-%s-large-%dx%d.png", model_lang_code(cases[i].lang),
                 cases[i].w, cases[i].h);
        screen_rig r;
        home_open(&r, f, cases[i].lang, cases[i].w, cases[i].h);
        r.session.large_text = true;
        screen_rig_show(&r, &home_screen_ops);
        screen_rig_draw(&r);
        assert_int_equal(screen_rig_golden(&r, name), 0);
        screen_rig_close(&r);
    }
}

/* ---- taps ---- */

/* Pixels of the frame in the theme's pressed colour. */
static size_t count_pressed(screen_rig *r)
{
    SDL_Color p = kit_theme_get()->pressed;
    int w = r->ctx.width, h = r->ctx.height;
    Uint32 *px = malloc((size_t)w * (size_t)h * 4);
    assert_non_null(px);
    assert_int_equal(
        SDL_RenderReadPixels(r->ctx.renderer, NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4), 0);
    Uint32 want = (Uint32)p.r << 16 | (Uint32)p.g << 8 | p.b;
    size_t n = 0;
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        n += (px[i] & 0xFFFFFFu) == want;
    free(px);
    return n;
}

/* The tiles lie in the content area, two by two in landscape and one per
 * row in portrait; a finger on one shows it pressed, and lifting it there
 * asks for its screen. */
static void test_tiles_go_to_their_screens(void **state)
{
    struct fixture *f = *state;
    static const struct {
        int w, h;
        double fx, fy; /* where in the content area */
        const screen_ops *want;
    } cases[] = {
        {1920, 1080, 0.25, 0.35, &childcare_screen_ops},
        {1920, 1080, 0.75, 0.35, &queue_screen_ops},
        {1920, 1080, 0.25, 0.8, &vacancy_screen_ops},
        {1920, 1080, 0.75, 0.8, &signage_screen_ops},
        {1080, 1920, 0.5, 0.2, &childcare_screen_ops},
        {1080, 1920, 0.5, 0.45, &queue_screen_ops},
        {1080, 1920, 0.5, 0.68, &vacancy_screen_ops},
        {1080, 1920, 0.5, 0.9, &signage_screen_ops},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        screen_rig r;
        home_open(&r, f, MODEL_LANG_JA, cases[i].w, cases[i].h);
        screen_rig_show(&r, &home_screen_ops);
        screen_rig_draw(&r);
        SDL_Rect c = kit_chrome_content(&r.ctx);
        int x = c.x + (int)(c.w * cases[i].fx), y = c.y + (int)(c.h * cases[i].fy);
        /* While the finger is down the tile shows pressed (a large area in
         * the pressed colour, none before). */
        size_t before = count_pressed(&r);
        screen_rig_finger(&r, SDL_FINGERDOWN, x, y);
        screen_rig_draw(&r);
        assert_int_equal(before, 0);
        assert_true(count_pressed(&r) > 20000);
        assert_null(r.session.request); /* a press alone goes nowhere */
        screen_rig_finger(&r, SDL_FINGERUP, x, y);
        if (r.session.request != cases[i].want)
            fail_msg("case %zu: tap asked for %s, want %s", i,
                     r.session.request ? r.session.request->name : "nothing", cases[i].want->name);
        r.session.request = NULL; /* not entering the boards here */
        screen_rig_close(&r);
    }
}

/* On a touch kiosk the notices loop invites a touch, and a tap anywhere
 * asks for the home menu; a plain display ignores touches. */
static void test_signage_tap_goes_home(void **state)
{
    struct fixture *f = *state;
    for (int touch = 0; touch < 2; touch++) {
        screen_rig r;
        home_open(&r, f, MODEL_LANG_JA, 1920, 1080);
        r.ctx.touch = touch;
        screen_rig_show(&r, &signage_screen_ops);
        screen_rig_draw(&r);
        char name[64];
        snprintf(name, sizeof name, "signage-touch-%d.png", touch);
        screen_rig_shot(&r, name, NULL, 0);
        screen_rig_tap(&r, 300, 500);
        assert_ptr_equal(r.session.request, touch ? &home_screen_ops : NULL);
        screen_router_update(r.router);
        assert_string_equal(screen_router_current(r.router), touch ? "home" : "signage");
        screen_rig_close(&r);
    }
}

/* ---- the router's session ---- */

static int test_enters;

static void *counting_enter(screen_ctx *ctx)
{
    (void)ctx;
    test_enters++;
    return &test_enters;
}

static const screen_ops idle_ops = {.name = "idle-test", .enter = counting_enter};
static const screen_ops other_ops = {.name = "other-test", .enter = counting_enter};

static void test_router_requests_and_idle_reset(void **state)
{
    struct fixture *f = *state;
    screen_rig r;
    home_open(&r, f, MODEL_LANG_JA, 1280, 720);
    r.session.idle_screen = &idle_ops;
    r.session.last_input_ms = r.ctx.now_ms;
    test_enters = 0;
    assert_int_equal(screen_router_switch(r.router, &idle_ops), 0);
    assert_int_equal(test_enters, 1);

    /* A request switches at the next update, once. */
    screen_go(&r.ctx, &other_ops);
    assert_string_equal(screen_router_current(r.router), "idle-test");
    screen_router_update(r.router);
    assert_string_equal(screen_router_current(r.router), "other-test");
    assert_null(r.session.request);
    assert_int_equal(test_enters, 2);

    /* The resident changes things; every input stamps the time. */
    screen_set_lang(&r.ctx, MODEL_LANG_KO);
    assert_string_equal(r.ctx.lang, "ko");
    r.session.large_text = true;
    r.session.vacancy_day = 3;
    strcpy(r.session.category, "kenshin");
    static const Uint32 inputs[] = {SDL_FINGERDOWN, SDL_MOUSEBUTTONDOWN, SDL_KEYDOWN};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        r.ctx.now_ms += 1000;
        SDL_Event ev = {.type = inputs[i]};
        screen_router_event(r.router, &ev);
        assert_int_equal(r.session.last_input_ms, r.ctx.now_ms);
    }
    /* A mouse merely passing over is nobody. */
    int64_t stamped = r.session.last_input_ms;
    r.ctx.now_ms += 1000;
    SDL_Event hover = {.type = SDL_MOUSEMOTION};
    screen_router_event(r.router, &hover);
    assert_int_equal(r.session.last_input_ms, stamped);

    /* One ms short of the idle time nothing happens, and the loop is asked
     * to wake when it is up. */
    r.ctx.now_ms = stamped + 60000 - 1;
    ui_frame_begin_turn(&r.frame);
    screen_router_update(r.router);
    assert_string_equal(screen_router_current(r.router), "other-test");
    assert_int_equal(r.session.lang, MODEL_LANG_KO);
    assert_true(ui_frame_timeout_ms(&r.frame) >= 0);

    /* At the idle time: defaults back, the idle screen, ctx->lang in step. */
    r.ctx.now_ms = stamped + 60000;
    screen_router_update(r.router);
    assert_string_equal(screen_router_current(r.router), "idle-test");
    assert_int_equal(r.session.lang, MODEL_LANG_JA);
    assert_string_equal(r.ctx.lang, "ja");
    assert_false(r.session.large_text);
    assert_int_equal(r.session.vacancy_day, 0);
    assert_string_equal(r.session.category, "");
    assert_int_equal(test_enters, 3);

    /* Already there in the default state: not entered again, however long. */
    for (int i = 0; i < 5; i++) {
        r.ctx.now_ms += 120000;
        screen_router_update(r.router);
    }
    assert_int_equal(test_enters, 3);

    /* On the idle screen but with a changed language: reset, entered afresh. */
    screen_set_lang(&r.ctx, MODEL_LANG_EN);
    r.session.last_input_ms = r.ctx.now_ms;
    r.ctx.now_ms += 60000;
    screen_router_update(r.router);
    assert_int_equal(r.session.lang, MODEL_LANG_JA);
    assert_int_equal(test_enters, 4);

    /* idle_ms 0: never reset. */
    r.session.idle_ms = 0;
    screen_set_lang(&r.ctx, MODEL_LANG_ZH);
    r.ctx.now_ms += 10 * 60000;
    screen_router_update(r.router);
    assert_int_equal(r.session.lang, MODEL_LANG_ZH);
    screen_rig_close(&r);
}

static void test_ops_by_name(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const screen_ops *ops;
    } cases[] = {
        {"home", &home_screen_ops},
        {"signage", &signage_screen_ops},
        {"queue", &queue_screen_ops},
        {"vacancy", &vacancy_screen_ops},
        {"childcare", &childcare_screen_ops},
        {"specimen", &specimen_screen_ops},
        {"Home", NULL},
        {"", NULL},
        {NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_ptr_equal(screen_ops_by_name(cases[i].name), cases[i].ops);
        if (cases[i].ops)
            assert_string_equal(cases[i].ops->name, cases[i].name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_ja_landscape),
        cmocka_unit_test(test_golden_ja_portrait),
        cmocka_unit_test(test_golden_en_landscape),
        cmocka_unit_test(test_golden_en_portrait),
        cmocka_unit_test(test_golden_zh_landscape),
        cmocka_unit_test(test_golden_zh_portrait),
        cmocka_unit_test(test_golden_ko_landscape),
        cmocka_unit_test(test_golden_ko_portrait),
        cmocka_unit_test(test_golden_ja_easy_landscape),
        cmocka_unit_test(test_golden_ja_easy_portrait),
        cmocka_unit_test(test_golden_large_text),
        cmocka_unit_test(test_tiles_go_to_their_screens),
        cmocka_unit_test(test_signage_tap_goes_home),
        cmocka_unit_test(test_router_requests_and_idle_reset),
        cmocka_unit_test(test_ops_by_name),
    };
    return cmocka_run_group_tests(tests, screen_rig_group_setup, rig_group_teardown);
}
