/* test_kit: the touch kiosk's shared kit. Pointer events from fingers and
 * mice (SDL's mouse copies of touches ignored), press and release, drags
 * that cancel the press and scroll, inertia that stops, the language
 * picker's modality, the theme's contrast, metrics (15 mm targets, large
 * text), fonts and furigana by language, QR codes (whole-pixel modules, a
 * white quiet zone of 4 modules, a finder pattern where it belongs) and when
 * a feed counts as stale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/screens/kit.h"
#include "app/screens/screen.h"
#include "tests/screens/screen_rig.h"
#include "ui/draw.h"
#include "ui/window.h"

/* A ctx for pointer work: sizes, a session, a frame; nothing drawn. */
typedef struct bare {
    screen_session session;
    ui_frame frame;
    screen_ctx ctx;
} bare;

static void bare_init(bare *b, int w, int h)
{
    memset(b, 0, sizeof *b);
    ui_frame_init(&b->frame);
    b->session.default_lang = MODEL_LANG_JA;
    screen_session_reset(&b->session);
    b->ctx = (screen_ctx){.width = w,
                          .height = h,
                          .frame = &b->frame,
                          .session = &b->session,
                          .touch = true,
                          .px_per_mm = 2.3f,
                          .lang = "ja",
                          .now_ms = 1000};
}

static SDL_Event finger(Uint32 type, const screen_ctx *ctx, int x, int y)
{
    SDL_Event ev = {0};
    ev.type = type;
    ev.tfinger.x = (float)x / (float)ctx->width;
    ev.tfinger.y = (float)y / (float)ctx->height;
    return ev;
}

static SDL_Event mouse_button(Uint32 type, Uint32 which, Uint8 button, int x, int y)
{
    SDL_Event ev = {0};
    ev.type = type;
    ev.button.which = which;
    ev.button.button = button;
    ev.button.x = x;
    ev.button.y = y;
    return ev;
}

static SDL_Event mouse_motion(Uint32 which, Uint32 state, int x, int y)
{
    SDL_Event ev = {0};
    ev.type = SDL_MOUSEMOTION;
    ev.motion.which = which;
    ev.motion.state = state;
    ev.motion.x = x;
    ev.motion.y = y;
    return ev;
}

/* ---- pointer ---- */

static void test_pointer_from_events(void **state)
{
    (void)state;
    bare b;
    bare_init(&b, 1920, 1080);
    SDL_Event fd = {0};
    fd.type = SDL_FINGERDOWN;
    fd.tfinger.x = 0.5f;
    fd.tfinger.y = 0.25f;
    SDL_Event fm = fd, fu = fd;
    fm.type = SDL_FINGERMOTION;
    fu.type = SDL_FINGERUP;
    SDL_Event key = {.type = SDL_KEYDOWN};
    SDL_Event wheel = {.type = SDL_MOUSEWHEEL};
    const struct {
        SDL_Event ev;
        kit_pointer_kind kind;
        int x, y;
    } cases[] = {
        {fd, KIT_POINTER_DOWN, 960, 270},
        {fm, KIT_POINTER_MOVE, 960, 270},
        {fu, KIT_POINTER_UP, 960, 270},
        {mouse_button(SDL_MOUSEBUTTONDOWN, 0, SDL_BUTTON_LEFT, 10, 20), KIT_POINTER_DOWN, 10, 20},
        {mouse_button(SDL_MOUSEBUTTONUP, 0, SDL_BUTTON_LEFT, 11, 21), KIT_POINTER_UP, 11, 21},
        {mouse_motion(0, SDL_BUTTON_LMASK, 30, 40), KIT_POINTER_MOVE, 30, 40},
        /* SDL's mouse copies of touches: ignored, or every tap counts twice. */
        {mouse_button(SDL_MOUSEBUTTONDOWN, SDL_TOUCH_MOUSEID, SDL_BUTTON_LEFT, 10, 20),
         KIT_POINTER_NONE, 0, 0},
        {mouse_button(SDL_MOUSEBUTTONUP, SDL_TOUCH_MOUSEID, SDL_BUTTON_LEFT, 10, 20),
         KIT_POINTER_NONE, 0, 0},
        {mouse_motion(SDL_TOUCH_MOUSEID, SDL_BUTTON_LMASK, 30, 40), KIT_POINTER_NONE, 0, 0},
        /* Other buttons, hovering, keys, wheels: not a pointer. */
        {mouse_button(SDL_MOUSEBUTTONDOWN, 0, SDL_BUTTON_RIGHT, 10, 20), KIT_POINTER_NONE, 0, 0},
        {mouse_motion(0, 0, 30, 40), KIT_POINTER_NONE, 0, 0},
        {key, KIT_POINTER_NONE, 0, 0},
        {wheel, KIT_POINTER_NONE, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kit_pointer p = kit_pointer_from_event(&b.ctx, &cases[i].ev);
        if (p.kind != cases[i].kind)
            fail_msg("case %zu: kind %d, want %d", i, p.kind, cases[i].kind);
        if (p.kind != KIT_POINTER_NONE) {
            assert_int_equal(p.x, cases[i].x);
            assert_int_equal(p.y, cases[i].y);
        }
    }
}

static void test_press_release_activates(void **state)
{
    (void)state;
    bare b;
    bare_init(&b, 1920, 1080);
    kit_ui ui;
    kit_ui_init(&ui);
    kit_ui_begin(&ui);
    kit_ui_hit(&ui, (SDL_Rect){100, 100, 300, 200}, 5);
    kit_ui_hit(&ui, (SDL_Rect){500, 100, 300, 200}, 6);

    /* Finger: pressed shows while down; release on it activates. */
    SDL_Event ev = finger(SDL_FINGERDOWN, &b.ctx, 150, 150);
    ui_frame_take_dirty(&b.frame);
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), KIT_NONE);
    assert_true(kit_ui_pressed(&ui, 5));
    assert_false(kit_ui_pressed(&ui, 6));
    assert_true(ui_frame_take_dirty(&b.frame)); /* the pressed look needs a frame */
    ev = finger(SDL_FINGERUP, &b.ctx, 152, 151);
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), 5);
    assert_false(kit_ui_pressed(&ui, 5));

    /* Mouse: the same. Its copy of a touch does nothing. */
    ev = mouse_button(SDL_MOUSEBUTTONDOWN, 0, SDL_BUTTON_LEFT, 600, 150);
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), KIT_NONE);
    ev = mouse_button(SDL_MOUSEBUTTONUP, 0, SDL_BUTTON_LEFT, 600, 150);
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), 6);
    ev = mouse_button(SDL_MOUSEBUTTONDOWN, SDL_TOUCH_MOUSEID, SDL_BUTTON_LEFT, 600, 150);
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), KIT_NONE);
    ev = mouse_button(SDL_MOUSEBUTTONUP, SDL_TOUCH_MOUSEID, SDL_BUTTON_LEFT, 600, 150);
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), KIT_NONE);

    /* Released on another target, or on nothing: nothing. */
    ev = finger(SDL_FINGERDOWN, &b.ctx, 150, 150);
    kit_ui_event(&ui, &b.ctx, &ev);
    ev = finger(SDL_FINGERUP, &b.ctx, 600, 150); /* lifted over target 6 */
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), KIT_NONE);
    ev = finger(SDL_FINGERDOWN, &b.ctx, 50, 50);
    kit_ui_event(&ui, &b.ctx, &ev);
    assert_false(kit_ui_pressed(&ui, 5));
    ev = finger(SDL_FINGERUP, &b.ctx, 50, 50);
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), KIT_NONE);
    /* An up without a down (a finger that came from another screen). */
    ev = finger(SDL_FINGERUP, &b.ctx, 150, 150);
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), KIT_NONE);
}

static void test_drag_cancels_and_scrolls(void **state)
{
    (void)state;
    bare b;
    bare_init(&b, 1080, 1920);
    kit_ui ui;
    kit_ui_init(&ui);
    kit_scroll sc = {.content_h = 3000, .view_h = 1000};
    kit_ui_begin(&ui);
    kit_ui_set_scroll(&ui, &sc, (SDL_Rect){0, 200, 1080, 1000});
    kit_ui_hit_scrolled(&ui, (SDL_Rect){0, 0, 1080, 300}, 7);
    kit_ui_hit_scrolled(&ui, (SDL_Rect){0, 300, 1080, 300}, 8);

    /* A finger on row 7 that moves up past the slop: no press, a scroll. */
    SDL_Event ev = finger(SDL_FINGERDOWN, &b.ctx, 500, 400);
    kit_ui_event(&ui, &b.ctx, &ev);
    assert_true(kit_ui_pressed(&ui, 7));
    int y = 400;
    for (int i = 0; i < 10; i++) {
        b.ctx.now_ms += 16;
        y -= 30;
        ev = finger(SDL_FINGERMOTION, &b.ctx, 500, y);
        assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), KIT_NONE);
    }
    assert_false(kit_ui_pressed(&ui, 7));
    assert_true(ui.dragging);
    assert_int_equal(sc.offset, 300);
    b.ctx.now_ms += 16;
    ev = finger(SDL_FINGERUP, &b.ctx, 500, y);
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), KIT_NONE); /* never activates */

    /* Hits move with the scroll: at offset 300 row 8 is at the top. */
    sc.velocity = 0.0f;
    ev = finger(SDL_FINGERDOWN, &b.ctx, 500, 250);
    kit_ui_event(&ui, &b.ctx, &ev);
    ev = finger(SDL_FINGERUP, &b.ctx, 500, 250);
    assert_int_equal(kit_ui_event(&ui, &b.ctx, &ev), 8);

    /* Scrolling never leaves 0 .. content - view. */
    ev = finger(SDL_FINGERDOWN, &b.ctx, 500, 300);
    kit_ui_event(&ui, &b.ctx, &ev);
    ev = finger(SDL_FINGERMOTION, &b.ctx, 500, 1900);
    kit_ui_event(&ui, &b.ctx, &ev);
    assert_int_equal(sc.offset, 0);
    ev = finger(SDL_FINGERUP, &b.ctx, 500, 1900);
    kit_ui_event(&ui, &b.ctx, &ev);
    sc.velocity = 0.0f;
    ev = finger(SDL_FINGERDOWN, &b.ctx, 500, 1190);
    kit_ui_event(&ui, &b.ctx, &ev);
    for (int yy = 1190; yy > -6000; yy -= 500) {
        ev = finger(SDL_FINGERMOTION, &b.ctx, 500, yy);
        kit_ui_event(&ui, &b.ctx, &ev);
    }
    assert_int_equal(sc.offset, 2000);
    ev = finger(SDL_FINGERUP, &b.ctx, 500, -6000);
    kit_ui_event(&ui, &b.ctx, &ev);
}

/* A fling keeps the page moving after the finger lifts, slowing down, and
 * stops by itself; a finger on the moving page stops it at once. */
static void test_inertia_stops(void **state)
{
    (void)state;
    bare b;
    bare_init(&b, 1080, 1920);
    kit_ui ui;
    kit_ui_init(&ui);
    kit_scroll sc = {.content_h = 20000, .view_h = 1000};
    kit_ui_begin(&ui);
    kit_ui_set_scroll(&ui, &sc, (SDL_Rect){0, 200, 1080, 1000});
    SDL_Event ev = finger(SDL_FINGERDOWN, &b.ctx, 500, 1100);
    kit_ui_event(&ui, &b.ctx, &ev);
    for (int y = 1100; y >= 500; y -= 60) {
        b.ctx.now_ms += 16;
        ev = finger(SDL_FINGERMOTION, &b.ctx, 500, y);
        kit_ui_event(&ui, &b.ctx, &ev);
    }
    b.ctx.now_ms += 10;
    ev = finger(SDL_FINGERUP, &b.ctx, 500, 500);
    kit_ui_event(&ui, &b.ctx, &ev);
    assert_true(sc.velocity > 1.0f); /* ~3.75 px/ms */
    int released_at = sc.offset, last = sc.offset, turns = 0;
    while (sc.velocity != 0.0f && turns < 1000) {
        b.ctx.now_ms += 16;
        ui_frame_begin_turn(&b.frame);
        kit_ui_update(&ui, &b.ctx);
        assert_true(sc.offset >= last); /* onwards, never back */
        last = sc.offset;
        if (sc.velocity != 0.0f)
            assert_true(ui_frame_timeout_ms(&b.frame) >= 0); /* asks for the next frame */
        turns++;
    }
    assert_true(turns < 1000);
    assert_true(sc.offset > released_at + 200);
    /* Stopped: no more frames asked for. */
    ui_frame_begin_turn(&b.frame);
    ui_frame_take_dirty(&b.frame);
    kit_ui_update(&ui, &b.ctx);
    assert_int_equal(ui_frame_timeout_ms(&b.frame), -1);

    /* A slow drag that rests before lifting is not a fling. */
    ev = finger(SDL_FINGERDOWN, &b.ctx, 500, 1100);
    kit_ui_event(&ui, &b.ctx, &ev);
    ev = finger(SDL_FINGERMOTION, &b.ctx, 500, 900);
    b.ctx.now_ms += 16;
    kit_ui_event(&ui, &b.ctx, &ev);
    b.ctx.now_ms += 500;
    ev = finger(SDL_FINGERUP, &b.ctx, 500, 900);
    kit_ui_event(&ui, &b.ctx, &ev);
    assert_true(sc.velocity == 0.0f);

    /* A touch on a flinging page stops it. */
    sc.velocity = 3.0f;
    ev = finger(SDL_FINGERDOWN, &b.ctx, 500, 700);
    kit_ui_event(&ui, &b.ctx, &ev);
    assert_true(sc.velocity == 0.0f);
    int held = sc.offset;
    b.ctx.now_ms += 100;
    kit_ui_update(&ui, &b.ctx);
    assert_int_equal(sc.offset, held);
}

/* ---- chrome: the language picker is modal ---- */

static const kit_hit *find_hit(const kit_ui *ui, int id)
{
    for (size_t i = 0; i < ui->n_hits; i++)
        if (ui->hits[i].id == id)
            return &ui->hits[i];
    return NULL;
}

static int tap_rect(kit_ui *ui, screen_ctx *ctx, SDL_Rect r)
{
    SDL_Event ev = finger(SDL_FINGERDOWN, ctx, r.x + r.w / 2, r.y + r.h / 2);
    kit_ui_event(ui, ctx, &ev);
    ev = finger(SDL_FINGERUP, ctx, r.x + r.w / 2, r.y + r.h / 2);
    return kit_ui_event(ui, ctx, &ev);
}

static void draw_frame(screen_rig *d, kit_ui *ui, unsigned flags, SDL_Rect *content)
{
    kit_ui_begin(ui);
    SDL_RenderSetClipRect(d->ctx.renderer, NULL);
    SDL_Rect c = kit_chrome(&d->ctx, ui, "テスト", MODEL_LANG_JA, flags);
    kit_ui_hit(ui, c, 1); /* the screen's own target over its whole content */
    kit_chrome_overlay(&d->ctx, ui);
    if (content)
        *content = c;
}

static void test_chrome_targets_and_picker(void **state)
{
    static const struct {
        int w, h;
    } sizes[] = {{1920, 1080}, {1080, 1920}};
    for (size_t s = 0; s < 2; s++) {
        screen_rig d;
        screen_rig_open(&d, *state, sizes[s].w, sizes[s].h, MODEL_LANG_JA, NULL, TUE_10);
        screen_ctx *ctx = &d.ctx;
        kit_ui ui;
        kit_ui_init(&ui);
        SDL_Rect content;
        draw_frame(&d, &ui, KIT_CHROME_BACK | KIT_CHROME_HOME, &content);
        kit_metrics m = kit_metrics_get(ctx);
        /* Every chrome target is there and at least 15 mm on each side. */
        static const int ids[] = {KIT_ID_BACK, KIT_ID_HOME, KIT_ID_LANG, KIT_ID_FURIGANA,
                                  KIT_ID_LARGE};
        for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
            const kit_hit *h = find_hit(&ui, ids[i]);
            assert_non_null(h);
            assert_true(h->rect.w >= 15.0f * ctx->px_per_mm && h->rect.h >= m.target);
            assert_true(h->rect.y >= content.y + content.h); /* in the bar, below content */
            assert_true(h->rect.x >= 0 && h->rect.x + h->rect.w <= ctx->width);
        }
        /* Back is the screen's; home asks for the home menu. */
        assert_int_equal(tap_rect(&ui, ctx, find_hit(&ui, KIT_ID_BACK)->rect), KIT_ID_BACK);
        assert_false(kit_chrome_handle(ctx, &ui, KIT_ID_BACK));
        assert_true(
            kit_chrome_handle(ctx, &ui, tap_rect(&ui, ctx, find_hit(&ui, KIT_ID_HOME)->rect)));
        assert_ptr_equal(d.session.request, &home_screen_ops);

        /* The switches toggle the session. */
        int id = tap_rect(&ui, ctx, find_hit(&ui, KIT_ID_LARGE)->rect);
        assert_true(kit_chrome_handle(ctx, &ui, id));
        assert_true(d.session.large_text);
        draw_frame(&d, &ui, 0, &content);
        assert_null(find_hit(&ui, KIT_ID_BACK)); /* flags decide */
        id = tap_rect(&ui, ctx, find_hit(&ui, KIT_ID_FURIGANA)->rect);
        assert_true(kit_chrome_handle(ctx, &ui, id));
        assert_true(d.session.furigana);

        /* The language button opens the picker; while it is open the
         * screen's targets and the bar are dead. */
        id = tap_rect(&ui, ctx, find_hit(&ui, KIT_ID_LANG)->rect);
        assert_int_equal(id, KIT_ID_LANG);
        assert_true(kit_chrome_handle(ctx, &ui, id));
        assert_true(ui.picker_open);
        draw_frame(&d, &ui, KIT_CHROME_HOME, &content);
        char name[64];
        snprintf(name, sizeof name, "kit-picker-%dx%d.png", sizes[s].w, sizes[s].h);
        screen_rig_shot(&d, name, NULL, 0);
        SDL_Rect corner = {content.x, content.y, 40, 40};
        assert_int_equal(tap_rect(&ui, ctx, corner), KIT_NONE);
        assert_int_equal(tap_rect(&ui, ctx, find_hit(&ui, KIT_ID_HOME)->rect), KIT_NONE);
        for (int l = 0; l < MODEL_LANG_COUNT; l++) {
            const kit_hit *h = find_hit(&ui, KIT_ID_LANG_PICK + l);
            assert_non_null(h);
            assert_true(h->rect.h >= m.target);
        }
        assert_non_null(find_hit(&ui, KIT_ID_PICKER_CLOSE));
        /* Picking Korean: the session, ctx->lang, and the picker closes. */
        id = tap_rect(&ui, ctx, find_hit(&ui, KIT_ID_LANG_PICK + MODEL_LANG_KO)->rect);
        assert_int_equal(id, KIT_ID_LANG_PICK + MODEL_LANG_KO);
        assert_true(kit_chrome_handle(ctx, &ui, id));
        assert_int_equal(d.session.lang, MODEL_LANG_KO);
        assert_string_equal(ctx->lang, "ko");
        assert_false(ui.picker_open);
        draw_frame(&d, &ui, 0, &content);
        assert_int_equal(tap_rect(&ui, ctx, corner), 1); /* the screen is live again */
        /* Close shuts it without a change. */
        kit_chrome_handle(ctx, &ui, KIT_ID_LANG);
        draw_frame(&d, &ui, 0, &content);
        id = tap_rect(&ui, ctx, find_hit(&ui, KIT_ID_PICKER_CLOSE)->rect);
        assert_int_equal(id, KIT_ID_PICKER_CLOSE);
        kit_chrome_handle(ctx, &ui, id);
        assert_false(ui.picker_open);
        assert_int_equal(d.session.lang, MODEL_LANG_KO);
        screen_rig_close(&d);
    }
}

/* ---- theme, metrics, text ---- */

static void test_theme_contrast(void **state)
{
    (void)state;
    assert_true(kit_theme_min_contrast() >= 4.5);
    const kit_theme *t = kit_theme_get();
    /* Free, booked and closed differ in lightness too, not only in hue. */
    assert_true(ui_color_contrast(t->free_ink, t->booked_ink) > 1.0);
    assert_true(ui_color_contrast(t->pressed, t->tile) > 1.2); /* pressed shows */
}

static void test_metrics(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        float ppm;
    } cases[] = {
        {1920, 1080, 2.3f}, {1080, 1920, 2.3f}, {1920, 1080, 12.0f},
        {800, 480, 6.0f},   {3840, 2160, 4.6f}, {1280, 800, 0.0f},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bare b;
        bare_init(&b, cases[i].w, cases[i].h);
        b.ctx.px_per_mm = cases[i].ppm;
        kit_metrics m = kit_metrics_get(&b.ctx);
        if (cases[i].ppm > 0)
            assert_true(m.target >= 15.0f * cases[i].ppm);
        int u = cases[i].w < cases[i].h ? cases[i].w : cases[i].h;
        assert_true(m.small_px >= 24 * u / 1080);
        assert_true(m.small_px < m.text_px && m.text_px < m.title_px);
        assert_true(m.bar_h > m.target && m.header_h > m.title_px);
        b.session.large_text = true;
        kit_metrics big = kit_metrics_get(&b.ctx);
        assert_true(big.text_px >= (int)(m.text_px * 1.3f));
        assert_true(big.title_px > m.title_px);
        assert_int_equal(big.target, m.target);
    }
    /* Same metrics in both orientations of a screen. */
    bare l, p;
    bare_init(&l, 1920, 1080);
    bare_init(&p, 1080, 1920);
    assert_int_equal(kit_metrics_get(&l.ctx).text_px, kit_metrics_get(&p.ctx).text_px);
}

static void test_text_lang_and_ruby(void **state)
{
    (void)state;
    static const struct {
        model_lang lang;
        text_lang font;
        bool ruby_off, ruby_on; /* with the session's furigana off / on */
    } cases[] = {
        {MODEL_LANG_JA, TEXT_LANG_JA, false, true},  {MODEL_LANG_JA_EASY, TEXT_LANG_JA, true, true},
        {MODEL_LANG_EN, TEXT_LANG_EN, false, false}, {MODEL_LANG_ZH, TEXT_LANG_ZH, false, false},
        {MODEL_LANG_KO, TEXT_LANG_KO, false, false},
    };
    bare b;
    bare_init(&b, 1920, 1080);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(kit_text_lang(cases[i].lang), cases[i].font);
        b.session.furigana = false;
        text_style st =
            kit_style(&b.ctx, cases[i].lang, 40, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER, 2);
        assert_int_equal(st.lang, cases[i].font);
        assert_int_equal(st.ruby, cases[i].ruby_off);
        assert_true(st.markup);
        assert_int_equal(st.size_px, 40);
        assert_int_equal(st.max_lines, 2);
        b.session.furigana = true;
        st = kit_style(&b.ctx, cases[i].lang, 40, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER, 0);
        assert_int_equal(st.ruby, cases[i].ruby_on);
    }
    /* No catalog: keys show as themselves. */
    assert_string_equal(kit_str(&b.ctx, "chrome.back"), "chrome.back");
}

/* ---- QR ---- */

static Uint32 pixel(SDL_Surface *s, int x, int y)
{
    const Uint8 *p = (const Uint8 *)s->pixels + (size_t)y * s->pitch + (size_t)x * 4;
    Uint32 v;
    memcpy(&v, p, 4);
    Uint8 r, g, b;
    SDL_GetRGB(v, s->format, &r, &g, &b);
    return (Uint32)r << 16 | (Uint32)g << 8 | b;
}

static void test_qr_modules_and_quiet_zone(void **state)
{
    (void)state;
    SDL_Surface *target = SDL_CreateRGBSurfaceWithFormat(0, 800, 800, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(target);
    assert_non_null(r);
    static const struct {
        const char *url;
        int max_side;
    } cases[] = {
        {"https://www.city.example.jp/yoyaku/room-a", 400},
        {"https://www.city.example.jp/yoyaku?facility=gym&day=2026-11-24&lang=ja-easy", 333},
        {"http://127.0.0.1:8080/r", 100},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int side = 0;
        SDL_Texture *tex = kit_qr_texture(r, cases[i].url, cases[i].max_side, &side);
        assert_non_null(tex);
        assert_true(side > 0 && side <= cases[i].max_side);
        SDL_SetRenderDrawColor(r, 0x80, 0x80, 0x80, 0xFF);
        SDL_RenderClear(r);
        SDL_RenderCopy(r, tex, NULL, &(SDL_Rect){0, 0, side, side});
        SDL_RenderPresent(r);
        SDL_DestroyTexture(tex);
        /* The first dark pixel on the diagonal is the finder's corner, 4
         * modules in; the finder's top edge is 7 modules of black. */
        int q = 0;
        while (q < side && pixel(target, q, q) == 0xFFFFFF)
            q++;
        assert_int_equal(pixel(target, q, q), 0x000000);
        assert_int_equal(q % 4, 0);
        int px = q / 4, run = 0;
        while (q + run < side && pixel(target, q + run, q) == 0x000000)
            run++;
        assert_int_equal(run, 7 * px); /* modules are whole pixels */
        assert_int_equal(side % px, 0);
        int modules = side / px;
        assert_int_equal((modules - 8 - 21) % 4, 0);    /* 21 + 4k modules + the quiet zone */
        assert_true(px == cases[i].max_side / modules); /* the largest whole size */
        /* Quiet zone: every pixel of the 4-module border is white. */
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
                if (x < q || y < q || x >= side - q || y >= side - q)
                    if (pixel(target, x, y) != 0xFFFFFF)
                        fail_msg("case %zu: quiet zone pixel %d,%d not white", i, x, y);
    }
    /* Too small for one pixel per module, empty or missing text: NULL. */
    int side = 99;
    assert_null(kit_qr_texture(r, cases[0].url, 20, &side));
    assert_int_equal(side, 0);
    assert_null(kit_qr_texture(r, "", 400, &side));
    assert_null(kit_qr_texture(r, NULL, 400, &side));
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(target);
}

/* ---- pictures ---- */

static int media_in_tmp(void *user, const model_media *m, char *buf, size_t cap)
{
    const char *dir = user;
    if (strcmp(m->name, "missing.png") == 0)
        return -1;
    snprintf(buf, cap, "%s/%s", dir, m->name);
    return 0;
}

/* A picture fits the box with its aspect, is never enlarged, and a missing
 * or broken file gives NULL (logged), never a crash. */
static void test_media_texture(void **state)
{
    (void)state;
    char dir[] = "/tmp/hiroba-kit-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    SDL_Surface *pic = SDL_CreateRGBSurfaceWithFormat(0, 400, 200, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_FillRect(pic, NULL, SDL_MapRGB(pic->format, 0x20, 0x80, 0xC0));
    snprintf(path, sizeof path, "%s/wide.png", dir);
    assert_int_equal(IMG_SavePNG(pic, path), 0);
    SDL_FreeSurface(pic);
    snprintf(path, sizeof path, "%s/broken.png", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("\x89PNG not really", fp);
    fclose(fp);

    SDL_Surface *target = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
    bare b;
    bare_init(&b, 1920, 1080);
    b.ctx.renderer = SDL_CreateSoftwareRenderer(target);
    b.ctx.media_path = media_in_tmp;
    b.ctx.media_user = dir;
    static const struct {
        const char *name;
        int max_w, max_h;
        int want_w, want_h; /* 0: NULL */
    } cases[] = {
        {"wide.png", 100, 100, 100, 50},    {"wide.png", 1000, 80, 160, 80},
        {"wide.png", 4000, 4000, 400, 200}, {"broken.png", 100, 100, 0, 0},
        {"missing.png", 100, 100, 0, 0},    {"absent.png", 100, 100, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        model_media m = {.name = cases[i].name};
        SDL_Texture *tex = kit_media_texture(&b.ctx, &m, cases[i].max_w, cases[i].max_h);
        if (!cases[i].want_w) {
            assert_null(tex);
            continue;
        }
        assert_non_null(tex);
        int w, h;
        SDL_QueryTexture(tex, NULL, NULL, &w, &h);
        if (w != cases[i].want_w || h != cases[i].want_h)
            fail_msg("case %zu: %dx%d, want %dx%d", i, w, h, cases[i].want_w, cases[i].want_h);
        SDL_DestroyTexture(tex);
    }
    b.ctx.media_path = NULL;
    model_media m = {.name = "wide.png"};
    assert_null(kit_media_texture(&b.ctx, &m, 100, 100));
    SDL_DestroyRenderer(b.ctx.renderer);
    SDL_FreeSurface(target);
    snprintf(path, sizeof path, "%s/wide.png", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/broken.png", dir);
    remove(path);
    rmdir(dir);
}

/* ---- feed staleness ---- */

static void test_feed_stale(void **state)
{
    (void)state;
    clock_source *clk = clock_create(TUE_10);
    assert_non_null(clk);
    int64_t now = clock_now(clk).sec;
    bare b;
    bare_init(&b, 1920, 1080);
    b.ctx.clock = clk;
    const struct {
        int64_t updated; /* relative to now; INT64_MIN: 0 (never said) */
        bool failing;
        int64_t checked; /* relative to now, s */
        uint32_t stale_s;
        bool want;
    } cases[] = {
        {-60, false, 0, 120, false},     /* fresh */
        {-120, false, 0, 120, false},    /* exactly at the threshold */
        {-121, false, 0, 120, true},     /* the source stopped writing */
        {-3600, false, 0, 0, false},     /* no threshold */
        {+180, false, 0, 120, false},    /* the source's clock runs ahead */
        {-60, true, -30, 120, false},    /* failing, but confirmed recently */
        {-60, true, -600, 120, true},    /* failing for longer than the threshold */
        {-600, true, -10, 120, true},    /* old either way */
        {-1000, false, -5, 1800, false}, /* vacancy's longer threshold */
        {INT64_MIN, false, 0, 120, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t updated = cases[i].updated == INT64_MIN ? 0 : now + cases[i].updated;
        hub_feed_status st = {.configured = true,
                              .failing = cases[i].failing,
                              .fetched_at_ms = (now + cases[i].checked) * 1000,
                              .checked_at_ms = (now + cases[i].checked) * 1000};
        bool got = kit_feed_stale(&b.ctx, updated, &st, cases[i].stale_s);
        if (got != cases[i].want)
            fail_msg("case %zu: stale %d, want %d", i, got, cases[i].want);
    }
    clock_destroy(clk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pointer_from_events),
        cmocka_unit_test(test_press_release_activates),
        cmocka_unit_test(test_drag_cancels_and_scrolls),
        cmocka_unit_test(test_inertia_stops),
        cmocka_unit_test(test_chrome_targets_and_picker),
        cmocka_unit_test(test_theme_contrast),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_text_lang_and_ruby),
        cmocka_unit_test(test_qr_modules_and_quiet_zone),
        cmocka_unit_test(test_media_texture),
        cmocka_unit_test(test_feed_stale),
    };
    return cmocka_run_group_tests(tests, rig_group_setup, rig_group_teardown);
}
