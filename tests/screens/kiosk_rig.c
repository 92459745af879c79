/* kiosk_rig: the whole touch kiosk, driven as main drives it (see the
 * header). The loop turn below follows main.c's run() step by step; where
 * main waits for events, the tests push them or advance now_ms. */
#include "tests/screens/kiosk_rig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/core/pack_json.h"

#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

/* Media from the fixture folder. The demo pack's pictures are made from
 * SVG by scripts/demo-pack.sh and are not in the source tree: the poster
 * stands in for them, so its pages still decode a picture. Other files it
 * lacks (the demo's clip) stay missing, as an object a kiosk lost. */
static int media_path(void *user, const model_media *m, char *buf, size_t cap)
{
    const struct fixture *f = user;
    int n = snprintf(buf, cap, "%s/%s", f->dir, m->name);
    if (n > 0 && (size_t)n < cap && access(buf, R_OK) == 0)
        return 0;
    size_t len = strlen(m->name);
    if (len > 4 && strcmp(m->name + len - 4, ".png") == 0) {
        n = snprintf(buf, cap, "%s/poster.png", f->dir);
        return n > 0 && (size_t)n < cap ? 0 : -1;
    }
    return -1;
}

/* Like main's pixels_per_mm without a configured width or a display that
 * knows its size: a 24" 16:9 panel, 527 mm along its long side. */
static float pixels_per_mm(int w, int h)
{
    int long_side = w > h ? w : h;
    return (float)(long_side / 527.0);
}

char *kiosk_read_source(const char *rel, size_t *len)
{
    return rig_read_source(rel, len);
}

model_pack *kiosk_fixture_pack(struct fixture *f)
{
    return rig_parse(f->basic, PACK_JSON_SOURCE);
}

model_pack *kiosk_demo_pack(void)
{
    size_t len;
    char *text = kiosk_read_source("assets/demo-pack/pack.json", &len);
    assert_non_null(text);
    model_pack *p = rig_parse(text, PACK_JSON_SOURCE);
    free(text);
    return p;
}

void kiosk_open(kiosk *k, struct fixture *f, const kiosk_options *o)
{
    *k = (kiosk){.f = f};
    ui_window_options wo = {.width = o->width, .height = o->height, .headless = o->headless};
    if (!o->headless) {
        wo.video_driver = "offscreen";
        wo.software = true; /* the same pixels as headless, and no GL */
    }
    k->win = ui_window_create(&wo);
    assert_non_null(k->win);
    k->atlas = text_atlas_create(ui_window_renderer(k->win), f->fonts, 0);
    assert_non_null(k->atlas);
    k->clock = clock_create(o->clock_spec ? o->clock_spec : TUE_10);
    assert_non_null(k->clock);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/assets/i18n", rig_source_dir());
    k->cat = catalog_load(dir);
    assert_non_null(k->cat);
    if (o->video_ms > 0) {
        ui_video_config vc = {.backend = "null", .null_duration_ms = o->video_ms};
        k->video = ui_video_create(ui_window_renderer(k->win), &vc);
        assert_non_null(k->video);
    }
    ui_frame_init(&k->frame);
    k->feeds = (screen_feeds){.queue_stale_s = 120, .vacancy_stale_s = 1800};
    k->ctx = (screen_ctx){
        .renderer = ui_window_renderer(k->win),
        .engine = f->engine,
        .cache = f->cache,
        .atlas = k->atlas,
        .clock = k->clock,
        .lang = "ja",
        .tz = CLOCK_DEFAULT_TZ,
        .frame = &k->frame,
        .media_path = media_path,
        .media_user = f,
        .video = k->video,
        .catalog = k->cat,
        .feeds = &k->feeds,
        .touch = true,
        .now_ms = 1000,
    };
    ui_window_size(k->win, &k->ctx.width, &k->ctx.height);
    k->ctx.px_per_mm = pixels_per_mm(k->ctx.width, k->ctx.height);
    /* main's open_session on a touch kiosk with the default options. */
    k->session = (screen_session){
        .lang = MODEL_LANG_JA,
        .furigana = true,
        .last_input_ms = k->ctx.now_ms,
        .default_lang = MODEL_LANG_JA,
        .default_furigana = true,
        .idle_ms = KIOSK_IDLE_MS,
        .idle_screen = &home_screen_ops,
    };
    k->ctx.session = &k->session;
    k->router = screen_router_create(&k->ctx);
    assert_non_null(k->router);
    assert_int_equal(screen_router_switch(k->router, &home_screen_ops), 0);
}

static void retire(kiosk *k)
{
    model_pack_destroy(k->retired_pack);
    k->retired_pack = NULL;
    feeds_queue_destroy(k->retired_queue);
    k->retired_queue = NULL;
    feeds_vacancy_destroy(k->retired_vacancy);
    k->retired_vacancy = NULL;
    clock_destroy(k->retired_clock);
    k->retired_clock = NULL;
}

void kiosk_close(kiosk *k)
{
    screen_router_destroy(k->router);
    retire(k);
    feeds_queue_destroy(k->queue);
    feeds_vacancy_destroy(k->vacancy);
    ui_video_destroy(k->video);
    model_pack_destroy(k->pack);
    catalog_destroy(k->cat);
    text_atlas_destroy(k->atlas);
    ui_window_destroy(k->win);
    clock_destroy(k->clock);
    text_cache_trim(k->f->cache);
    *k = (kiosk){0};
}

void kiosk_set_pack(kiosk *k, model_pack *p)
{
    model_pack_destroy(k->retired_pack);
    k->retired_pack = k->pack;
    k->pack = p;
    k->ctx.pack = p;
    ui_frame_invalidate(&k->frame);
}

void kiosk_set_queue(kiosk *k, feeds_queue *q, const hub_feed_status *st)
{
    bool nothing = !st->configured || st->fetched_at_ms == 0;
    if (nothing) {
        feeds_queue_destroy(q);
        q = NULL;
    }
    if (q || nothing) {
        feeds_queue_destroy(k->retired_queue);
        k->retired_queue = k->queue;
        k->queue = q;
        k->feeds.queue = q;
    }
    k->feeds.queue_status = *st;
    k->feeds.serial++;
    ui_frame_invalidate(&k->frame);
}

void kiosk_set_vacancy(kiosk *k, feeds_vacancy *v, const hub_feed_status *st)
{
    bool nothing = !st->configured || st->fetched_at_ms == 0;
    if (nothing) {
        feeds_vacancy_destroy(v);
        v = NULL;
    }
    if (v || nothing) {
        feeds_vacancy_destroy(k->retired_vacancy);
        k->retired_vacancy = k->vacancy;
        k->vacancy = v;
        k->feeds.vacancy = v;
    }
    k->feeds.vacancy_status = *st;
    k->feeds.serial++;
    ui_frame_invalidate(&k->frame);
}

void kiosk_set_clock(kiosk *k, const char *spec)
{
    clock_source *c = clock_create(spec);
    assert_non_null(c);
    clock_destroy(k->retired_clock);
    k->retired_clock = k->clock;
    k->clock = c;
    k->ctx.clock = c;
    ui_frame_invalidate(&k->frame);
}

hub_feed_status kiosk_fresh_status(const kiosk *k)
{
    clock_time t = clock_now(k->clock);
    int64_t ms = t.sec * 1000 + t.ms;
    return (hub_feed_status){.configured = true, .fetched_at_ms = ms, .checked_at_ms = ms};
}

void kiosk_example_feeds(kiosk *k)
{
    size_t len;
    feeds_errors errs;
    feeds_queue *q = NULL;
    feeds_vacancy *v = NULL;
    char *text = kiosk_read_source("schemas/examples/queue.json", &len);
    assert_non_null(text);
    assert_int_equal(feeds_queue_parse(text, len, NULL, &q, &errs), 0);
    free(text);
    text = kiosk_read_source("schemas/examples/vacancy.json", &len);
    assert_non_null(text);
    assert_int_equal(feeds_vacancy_parse(text, len, NULL, &v, &errs), 0);
    free(text);
    hub_feed_status st = kiosk_fresh_status(k);
    kiosk_set_queue(k, q, &st);
    kiosk_set_vacancy(k, v, &st);
}

bool kiosk_turn(kiosk *k, bool force)
{
    ui_frame_begin_turn(&k->frame);
    /* handle_window_changes */
    unsigned changes = ui_window_take_changes(k->win);
    if (changes & UI_WINDOW_DEVICE_RESET) {
        /* The atlas texture is gone; a fresh atlas re-rasterises on demand. */
        text_atlas_destroy(k->atlas);
        k->atlas = text_atlas_create(ui_window_renderer(k->win), k->f->fonts, 0);
        assert_non_null(k->atlas);
        k->ctx.atlas = k->atlas;
    }
    if (changes & UI_WINDOW_RESIZED) {
        ui_window_size(k->win, &k->ctx.width, &k->ctx.height);
        k->ctx.px_per_mm = pixels_per_mm(k->ctx.width, k->ctx.height);
    }
    if (changes)
        ui_frame_invalidate(&k->frame);
    screen_router_update(k->router);
    retire(k); /* handle_retired: after the update, never before */
    /* handle_draw */
    if (!ui_frame_take_dirty(&k->frame) && !force)
        return false;
    screen_router_draw(k->router);
    text_atlas_end_frame(k->atlas);
    ui_window_present(k->win);
    text_cache_trim(k->f->cache);
    return true;
}

int kiosk_pump(kiosk *k)
{
    SDL_Event ev;
    int n = 0;
    while (ui_window_wait_event(k->win, &ev, 0)) {
        n++;
        if (ev.type != SDL_QUIT) /* main would stop; the tests go on */
            screen_router_event(k->router, &ev);
    }
    return n;
}

int kiosk_wait(kiosk *k, int64_t ms)
{
    int64_t end = k->ctx.now_ms + ms;
    int frames = 0;
    for (;;) {
        frames += kiosk_turn(k, false);
        int64_t left = end - k->ctx.now_ms;
        if (left <= 0)
            return frames;
        int timeout = ui_frame_timeout_ms(&k->frame);
        int64_t step = timeout < 0 || timeout > left ? left : timeout > 0 ? timeout : 1;
        k->ctx.now_ms += step;
    }
}

void kiosk_shot(kiosk *k, const char *name, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", HIROBA_TEST_OUT_DIR, name);
    screen_router_draw(k->router);
    text_atlas_end_frame(k->atlas);
    assert_int_equal(ui_window_screenshot(k->win, path), 0);
    ui_window_present(k->win);
    text_cache_trim(k->f->cache);
}
