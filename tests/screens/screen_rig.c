/* screen_rig: a touch kiosk's screen_ctx and router on a headless window
 * (see the header). The defaults are those most screen tests share; a test
 * that differs says so by changing r->session or r->ctx after opening. */
#include "tests/screens/screen_rig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/core/clock.h"
#include "tests/screens/golden.h"

#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

const char screen_rig_centre_pack[] =
    "{\"format\": 1, \"timezone\": \"Asia/Tokyo\", \"facility\": {\"name\": {"
    "\"ja\": \"ひろば市 中央コミュニティセンター\","
    "\"en\": \"Hiroba City Central Community Centre\","
    "\"zh\": \"广场市中央社区中心\","
    "\"ko\": \"히로바시 중앙 커뮤니티 센터\","
    "\"ja-easy\": \"ひろば{市|し} {中央|ちゅうおう}コミュニティセンター\"}},"
    "\"items\": [], \"playlists\": [], \"schedule\": []}";

int screen_rig_group_setup(void **state)
{
    if (rig_group_setup(state) != 0)
        return -1;
    struct fixture *f = *state;
    f->pack = rig_parse(screen_rig_centre_pack, PACK_JSON_SOURCE);
    return 0;
}

void screen_rig_open(screen_rig *r, struct fixture *f, int w, int h, model_lang lang,
                     const model_pack *pack, const char *clock_spec)
{
    *r = (screen_rig){.f = f};
    ui_window_options wo = {.width = w, .height = h, .headless = true};
    r->win = ui_window_create(&wo);
    assert_non_null(r->win);
    r->atlas = text_atlas_create(ui_window_renderer(r->win), f->fonts, 0);
    assert_non_null(r->atlas);
    r->clock = clock_create(clock_spec ? clock_spec : TUE_10);
    assert_non_null(r->clock);
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
        .clock = r->clock,
        .lang = model_lang_code(lang),
        .tz = CLOCK_DEFAULT_TZ,
        .frame = &r->frame,
        .pack = pack,
        .session = &r->session,
        .catalog = f->cat,
        .touch = true,
        .px_per_mm = SCREEN_RIG_PX_PER_MM,
        .now_ms = 1000,
    };
    r->router = screen_router_create(&r->ctx);
    assert_non_null(r->router);
}

void screen_rig_close(screen_rig *r)
{
    screen_router_destroy(r->router);
    ui_video_destroy(r->video);
    text_cache_trim(r->f->cache);
    clock_destroy(r->clock);
    text_atlas_destroy(r->atlas);
    ui_window_destroy(r->win);
}

void screen_rig_null_video(screen_rig *r, int ms)
{
    ui_video_config vc = {.backend = "null", .null_duration_ms = ms};
    r->video = ui_video_create(r->ctx.renderer, &vc);
    assert_non_null(r->video);
    r->ctx.video = r->video;
}

void screen_rig_show(screen_rig *r, const screen_ops *ops)
{
    assert_int_equal(screen_router_switch(r->router, ops), 0);
}

int64_t screen_rig_ms_at(const char *iso)
{
    clock_time t;
    assert_int_equal(clock_parse_iso8601(iso, &t), 0);
    return t.sec * 1000;
}

void screen_rig_example_feeds(screen_rig *r, int64_t fetched_ms, int64_t checked_ms)
{
    hub_feed_status fine = {
        .configured = true, .fetched_at_ms = fetched_ms, .checked_at_ms = checked_ms};
    r->feeds = (screen_feeds){.queue = r->f->queue,
                              .queue_status = fine,
                              .vacancy = r->f->vacancy,
                              .vacancy_status = fine,
                              .queue_stale_s = 120,
                              .vacancy_stale_s = 1800,
                              .serial = 1};
    r->ctx.feeds = &r->feeds;
}

void screen_rig_finger(screen_rig *r, Uint32 type, int x, int y)
{
    SDL_Event ev = {0};
    ev.type = type;
    ev.tfinger.x = (float)x / (float)r->ctx.width;
    ev.tfinger.y = (float)y / (float)r->ctx.height;
    screen_router_event(r->router, &ev);
}

void screen_rig_tap(screen_rig *r, int x, int y)
{
    screen_rig_finger(r, SDL_FINGERDOWN, x, y);
    r->ctx.now_ms += 80;
    screen_rig_finger(r, SDL_FINGERUP, x, y);
}

void screen_rig_draw(screen_rig *r)
{
    screen_router_update(r->router);
    screen_router_draw(r->router);
    text_atlas_end_frame(r->atlas);
}

bool screen_rig_turn(screen_rig *r, bool force)
{
    ui_frame_begin_turn(&r->frame);
    screen_router_update(r->router);
    if (!ui_frame_take_dirty(&r->frame) && !force)
        return false;
    screen_router_draw(r->router);
    text_atlas_end_frame(r->atlas);
    return true;
}

void screen_rig_shot(screen_rig *r, const char *name, char *path, size_t cap)
{
    char own[4096];
    if (!path) {
        path = own;
        cap = sizeof own;
    }
    rig_out_path(path, cap, name);
    assert_int_equal(ui_window_screenshot(r->win, path), 0);
}

int screen_rig_golden(screen_rig *r, const char *name)
{
    char actual[4096], ref[4096];
    screen_rig_shot(r, name, actual, sizeof actual);
    snprintf(ref, sizeof ref, "%s/tests/ref/%s", rig_source_dir(), name);
    return golden_check(actual, ref, HIROBA_TEST_OUT_DIR);
}

SDL_Surface *screen_rig_grab(screen_rig *r)
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, r->ctx.width, r->ctx.height, 24, SDL_PIXELFORMAT_RGB24);
    assert_non_null(s);
    assert_int_equal(
        SDL_RenderReadPixels(r->ctx.renderer, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch), 0);
    return s;
}
