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
#include <SDL_image.h>

#include "app/core/catalog.h"
#include "app/core/clock.h"
#include "app/core/feeds.h"
#include "app/core/log.h"
#include "app/core/pack_json.h"
#include "app/screens/kit.h"
#include "app/screens/screen.h"
#include "app/screens/signage.h"
#include "tests/screens/golden.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"
#include "ui/text/fonts.h"
#include "ui/ui_log.h"
#include "ui/window.h"

#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

#define FROZEN    "2026-11-24T10:00:00+09:00"
#define PX_PER_MM 2.3f /* a 43-inch 1080p panel */

static const char PACK[] =
    "{\"format\": 1, \"timezone\": \"Asia/Tokyo\", \"facility\": {\"name\": {"
    "\"ja\": \"ひろば市 中央コミュニティセンター\","
    "\"en\": \"Hiroba City Central Community Centre\","
    "\"zh\": \"广场市中央社区中心\","
    "\"ko\": \"히로바시 중앙 커뮤니티 센터\","
    "\"ja-easy\": \"ひろば{市|し} {中央|ちゅうおう}コミュニティセンター\"}},"
    "\"items\": [], \"playlists\": [], \"schedule\": []}";

struct fixture {
    text_fonts *fonts;
    text_engine *engine;
    text_cache *cache;
    catalog *cat;
    model_pack *pack;
    feeds_queue *queue;
    feeds_vacancy *vacancy;
    screen_feeds feeds;
    FILE *log;
};

static const char *source_dir(void)
{
    const char *s = getenv("HIROBA_SOURCE_DIR");
#ifdef HIROBA_SOURCE_DIR
    if (!s)
        s = HIROBA_SOURCE_DIR;
#endif
    return s ? s : ".";
}

static char *read_file(const char *rel, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", source_dir(), rel);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = malloc(FEEDS_MAX_BYTES + 1);
    *len = buf ? fread(buf, 1, FEEDS_MAX_BYTES, fp) : 0;
    fclose(fp);
    return buf;
}

static int group_setup(void **state)
{
    static struct fixture f;
    ui_log_set_handler(log_ui_sink, NULL);
    f.log = tmpfile();
    if (!f.log)
        return -1;
    log_set_stream(f.log);
    f.fonts = text_fonts_load(text_fonts_default_ini());
    f.engine = f.fonts ? text_engine_create(f.fonts) : NULL;
    f.cache = f.engine ? text_cache_create(f.engine, 0) : NULL;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/assets/i18n", source_dir());
    f.cat = catalog_load(dir);
    pack_json_errors errs;
    if (!f.cache || !f.cat ||
        pack_json_parse(PACK, strlen(PACK), "pack.json", PACK_JSON_SOURCE, &f.pack, &errs) != 0)
        return -1;
    size_t len;
    feeds_errors ferr;
    char *q = read_file("schemas/examples/queue.json", &len);
    int rc = q ? feeds_queue_parse(q, len, NULL, &f.queue, &ferr) : -1;
    free(q);
    char *v = read_file("schemas/examples/vacancy.json", &len);
    rc |= v ? feeds_vacancy_parse(v, len, NULL, &f.vacancy, &ferr) : -1;
    free(v);
    if (rc != 0)
        return -1;
    clock_time t;
    clock_parse_iso8601(FROZEN, &t);
    hub_feed_status fine = {
        .configured = true, .fetched_at_ms = t.sec * 1000, .checked_at_ms = t.sec * 1000};
    f.feeds = (screen_feeds){.queue = f.queue,
                             .queue_status = fine,
                             .vacancy = f.vacancy,
                             .vacancy_status = fine,
                             .queue_stale_s = 120,
                             .vacancy_stale_s = 1800,
                             .serial = 1};
    *state = &f;
    return 0;
}

static int group_teardown(void **state)
{
    struct fixture *f = *state;
    feeds_queue_destroy(f->queue);
    feeds_vacancy_destroy(f->vacancy);
    model_pack_destroy(f->pack);
    catalog_destroy(f->cat);
    text_cache_destroy(f->cache);
    text_engine_destroy(f->engine);
    text_fonts_destroy(f->fonts);
    log_set_stream(NULL);
    fclose(f->log);
    IMG_Quit();
    SDL_Quit();
    return 0;
}

/* A headless kiosk: window, atlas, clock, session and router. */
typedef struct rig {
    ui_window *win;
    text_atlas *atlas;
    clock_source *clk;
    ui_frame frame;
    screen_session session;
    screen_ctx ctx;
    screen_router *router;
} rig;

static void rig_open(rig *r, struct fixture *f, model_lang lang, int w, int h)
{
    memset(r, 0, sizeof *r);
    ui_window_options wo = {.width = w, .height = h, .headless = true};
    r->win = ui_window_create(&wo);
    assert_non_null(r->win);
    r->atlas = text_atlas_create(ui_window_renderer(r->win), f->fonts, 0);
    assert_non_null(r->atlas);
    r->clk = clock_create(FROZEN);
    assert_non_null(r->clk);
    ui_frame_init(&r->frame);
    r->session = (screen_session){
        .default_lang = MODEL_LANG_JA, .idle_ms = 60000, .idle_screen = &home_screen_ops};
    screen_session_reset(&r->session);
    r->session.lang = lang;
    r->ctx = (screen_ctx){
        .renderer = ui_window_renderer(r->win),
        .width = w,
        .height = h,
        .engine = f->engine,
        .cache = f->cache,
        .atlas = r->atlas,
        .clock = r->clk,
        .lang = model_lang_code(lang),
        .tz = CLOCK_DEFAULT_TZ,
        .frame = &r->frame,
        .pack = f->pack,
        .session = &r->session,
        .catalog = f->cat,
        .feeds = &f->feeds,
        .touch = true,
        .px_per_mm = PX_PER_MM,
        .now_ms = 1000,
    };
    r->router = screen_router_create(&r->ctx);
    assert_non_null(r->router);
}

static void rig_close(rig *r, struct fixture *f)
{
    screen_router_destroy(r->router);
    text_cache_trim(f->cache);
    clock_destroy(r->clk);
    text_atlas_destroy(r->atlas);
    ui_window_destroy(r->win);
}

static void rig_draw(rig *r)
{
    screen_router_update(r->router);
    screen_router_draw(r->router);
    text_atlas_end_frame(r->atlas);
}

static void tap(rig *r, int x, int y)
{
    SDL_Event ev = {0};
    ev.type = SDL_FINGERDOWN;
    ev.tfinger.x = (float)x / (float)r->ctx.width;
    ev.tfinger.y = (float)y / (float)r->ctx.height;
    screen_router_event(r->router, &ev);
    r->ctx.now_ms += 80;
    ev.type = SDL_FINGERUP;
    screen_router_event(r->router, &ev);
}

/* ---- goldens ---- */

static void check_golden(void **state, model_lang lang, int w, int h)
{
    struct fixture *f = *state;
    char name[96], actual[4096], ref[4096];
    snprintf(name, sizeof name, "home-%s-%dx%d.png", model_lang_code(lang), w, h);
    snprintf(actual, sizeof actual, "%s/%s", HIROBA_TEST_OUT_DIR, name);
    snprintf(ref, sizeof ref, "%s/tests/ref/%s", source_dir(), name);
    rig r;
    rig_open(&r, f, lang, w, h);
    assert_int_equal(screen_router_switch(r.router, &home_screen_ops), 0);
    rig_draw(&r);
    assert_int_equal(ui_window_screenshot(r.win, actual), 0);
    rig_close(&r, f);
    assert_int_equal(golden_check(actual, ref, HIROBA_TEST_OUT_DIR), 0);
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
        char name[96], actual[4096], ref[4096];
        snprintf(name, sizeof name, "home-%s-large-%dx%d.png", model_lang_code(cases[i].lang),
                 cases[i].w, cases[i].h);
        snprintf(actual, sizeof actual, "%s/%s", HIROBA_TEST_OUT_DIR, name);
        snprintf(ref, sizeof ref, "%s/tests/ref/%s", source_dir(), name);
        rig r;
        rig_open(&r, f, cases[i].lang, cases[i].w, cases[i].h);
        r.session.large_text = true;
        assert_int_equal(screen_router_switch(r.router, &home_screen_ops), 0);
        rig_draw(&r);
        assert_int_equal(ui_window_screenshot(r.win, actual), 0);
        rig_close(&r, f);
        assert_int_equal(golden_check(actual, ref, HIROBA_TEST_OUT_DIR), 0);
    }
}

/* ---- taps ---- */

/* Pixels of the frame in the theme's pressed colour. */
static size_t count_pressed(rig *r)
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
        rig r;
        rig_open(&r, f, MODEL_LANG_JA, cases[i].w, cases[i].h);
        assert_int_equal(screen_router_switch(r.router, &home_screen_ops), 0);
        rig_draw(&r);
        SDL_Rect c = kit_chrome_content(&r.ctx);
        int x = c.x + (int)(c.w * cases[i].fx), y = c.y + (int)(c.h * cases[i].fy);
        /* While the finger is down the tile shows pressed (a large area in
         * the pressed colour, none before). */
        size_t before = count_pressed(&r);
        SDL_Event ev = {0};
        ev.type = SDL_FINGERDOWN;
        ev.tfinger.x = (float)x / (float)r.ctx.width;
        ev.tfinger.y = (float)y / (float)r.ctx.height;
        screen_router_event(r.router, &ev);
        rig_draw(&r);
        assert_int_equal(before, 0);
        assert_true(count_pressed(&r) > 20000);
        assert_null(r.session.request); /* a press alone goes nowhere */
        ev.type = SDL_FINGERUP;
        screen_router_event(r.router, &ev);
        if (r.session.request != cases[i].want)
            fail_msg("case %zu: tap asked for %s, want %s", i,
                     r.session.request ? r.session.request->name : "nothing", cases[i].want->name);
        r.session.request = NULL; /* not entering the boards here */
        rig_close(&r, f);
    }
}

/* On a touch kiosk the notices loop invites a touch, and a tap anywhere
 * asks for the home menu; a plain display ignores touches. */
static void test_signage_tap_goes_home(void **state)
{
    struct fixture *f = *state;
    for (int touch = 0; touch < 2; touch++) {
        rig r;
        rig_open(&r, f, MODEL_LANG_JA, 1920, 1080);
        r.ctx.touch = touch;
        assert_int_equal(screen_router_switch(r.router, &signage_screen_ops), 0);
        rig_draw(&r);
        char path[4096];
        snprintf(path, sizeof path, "%s/signage-touch-%d.png", HIROBA_TEST_OUT_DIR, touch);
        assert_int_equal(ui_window_screenshot(r.win, path), 0);
        tap(&r, 300, 500);
        assert_ptr_equal(r.session.request, touch ? &home_screen_ops : NULL);
        screen_router_update(r.router);
        assert_string_equal(screen_router_current(r.router), touch ? "home" : "signage");
        rig_close(&r, f);
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
    rig r;
    rig_open(&r, f, MODEL_LANG_JA, 1280, 720);
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
    rig_close(&r, f);
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
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
