/* test_childcare: the child-care pages. Reference screenshots of the menu,
 * a category and a page (picture and QR codes) in every language and both
 * orientations, with large text and with furigana off; large text never
 * clips a text and scrolling reaches the end of a long page (by drag, by
 * fling, by the "more" button); a resident's walk by finger taps (tile,
 * page, back, back, home) with the session and the counts in a real store
 * at each step; the clip's play/pause and stop on leaving; a language
 * switch that keeps the place; pack swaps that drop a page, remove every
 * category or the pack itself, without a crash. The fixture pack
 * (tests/fixtures/pack-basic) and its pictures come from signage_rig. */
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

#include "app/core/catalog.h"
#include "app/core/clock.h"
#include "app/core/model.h"
#include "app/core/pack_json.h"
#include "app/core/store.h"
#include "app/screens/childcare.h"
#include "app/screens/kit.h"
#include "app/screens/screen.h"
#include "tests/screens/screen_rig.h"
#include "ui/text/atlas.h"
#include "ui/video.h"
#include "ui/window.h"

/* ---- the rig: the child-care screen on a headless window ---- */

struct cc {
    screen_rig s; /* its router stays empty: the screen is driven directly */
    store *store;
    childcare *c;
};

/* video_ms > 0: a null-backend player whose clips last that long. store_dir:
 * count openings in a real store there (NULL: none). */
static void cc_open(struct cc *r, struct fixture *f, int w, int h, const model_pack *pack,
                    int video_ms, const char *store_dir)
{
    *r = (struct cc){0};
    screen_rig_open(&r->s, f, w, h, MODEL_LANG_JA, pack, TUE_10);
    /* Furigana on, no idle reset, sizes from the window alone. */
    r->s.session = (screen_session){.lang = MODEL_LANG_JA,
                                    .furigana = true,
                                    .default_lang = MODEL_LANG_JA,
                                    .default_furigana = true};
    r->s.ctx.px_per_mm = 0;
    r->s.ctx.media_path = rig_media_path;
    r->s.ctx.media_user = f;
    if (video_ms > 0)
        screen_rig_null_video(&r->s, video_ms);
    if (store_dir) {
        r->store = store_open(store_dir, r->s.clock);
        assert_non_null(r->store);
        r->s.ctx.store = r->store;
    }
    r->c = childcare_screen_ops.enter(&r->s.ctx);
    assert_non_null(r->c);
}

static void cc_close(struct cc *r)
{
    childcare_screen_ops.leave(r->c, &r->s.ctx);
    store_close(r->store);
    screen_rig_close(&r->s);
}

/* One loop turn: update, then draw (always: the tests look at every frame). */
static void cc_turn(struct cc *r)
{
    ui_frame_begin_turn(&r->s.frame);
    childcare_screen_ops.update(r->c, &r->s.ctx);
    childcare_screen_ops.draw(r->c, &r->s.ctx);
    text_atlas_end_frame(r->s.atlas);
    ui_window_present(r->s.win);
    text_cache_trim(r->s.f->cache);
}

/* Draws a frame for a screenshot (screen_rig_shot, screen_rig_golden). */
static void cc_draw(struct cc *r)
{
    childcare_screen_ops.update(r->c, &r->s.ctx);
    childcare_screen_ops.draw(r->c, &r->s.ctx);
    text_atlas_end_frame(r->s.atlas);
}

static void finger(struct cc *r, Uint32 type, int x, int y)
{
    SDL_Event ev = {.type = type};
    ev.tfinger.touchId = 1;
    ev.tfinger.fingerId = 1;
    ev.tfinger.x = ((float)x + 0.5f) / (float)r->s.ctx.width;
    ev.tfinger.y = ((float)y + 0.5f) / (float)r->s.ctx.height;
    ev.tfinger.pressure = 1.0f;
    childcare_screen_ops.event(r->c, &r->s.ctx, &ev);
}

/* A tap on target id as last drawn, then a turn. */
static void tap(struct cc *r, int id)
{
    SDL_Rect t;
    if (!childcare_target_rect(r->c, id, &t))
        fail_msg("target %d is not on screen", id);
    int x = t.x + t.w / 2, y = t.y + t.h / 2;
    finger(r, SDL_FINGERDOWN, x, y);
    r->s.ctx.now_ms += 80;
    finger(r, SDL_FINGERUP, x, y);
    r->s.ctx.now_ms += 20;
    cc_turn(r);
}

/* A slow drag of the page up by dy px (no fling), then a turn. */
static void drag_up(struct cc *r, int x, int y, int dy)
{
    finger(r, SDL_FINGERDOWN, x, y);
    for (int k = 1; k <= 10; k++) {
        r->s.ctx.now_ms += 16;
        finger(r, SDL_FINGERMOTION, x, y - dy * k / 10);
    }
    r->s.ctx.now_ms += 300; /* the finger rests: not a fling */
    finger(r, SDL_FINGERUP, x, y - dy);
    cc_turn(r);
}

static void go_page(struct cc *r, const char *cat, const char *page)
{
    snprintf(r->s.session.category, sizeof r->s.session.category, "%s", cat);
    snprintf(r->s.session.page, sizeof r->s.session.page, "%s", page);
    cc_turn(r);
    assert_int_equal(childcare_current_view(r->c), page[0]  ? CHILDCARE_PAGE
                                                   : cat[0] ? CHILDCARE_CATEGORY
                                                            : CHILDCARE_MENU);
}

/* ---- reference screenshots ---- */

typedef struct shot_case {
    const char *view; /* menu, category, page */
    model_lang lang;
    int w, h;
    bool large, no_furigana;
} shot_case;

static void shot_name(const shot_case *k, char *buf, size_t cap)
{
    snprintf(buf, cap, "childcare-%s-%s%s%s-%dx%d.png", k->view, model_lang_code(k->lang),
             k->large ? "-large" : "", k->no_furigana ? "-nofuri" : "", k->w, k->h);
}

static void test_goldens(void **state)
{
    struct fixture *f = *state;
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    shot_case cases[64];
    size_t n = 0;
    static const int sizes[2][2] = {{1920, 1080}, {1080, 1920}};
    for (int s = 0; s < 2; s++) {
        for (int l = 0; l < MODEL_LANG_COUNT; l++) {
            cases[n++] = (shot_case){"menu", (model_lang)l, sizes[s][0], sizes[s][1], false, false};
            cases[n++] = (shot_case){"page", (model_lang)l, sizes[s][0], sizes[s][1], false, false};
        }
        cases[n++] = (shot_case){"category", MODEL_LANG_JA, sizes[s][0], sizes[s][1], false, false};
        cases[n++] = (shot_case){"menu", MODEL_LANG_JA, sizes[s][0], sizes[s][1], true, false};
        cases[n++] = (shot_case){"page", MODEL_LANG_JA, sizes[s][0], sizes[s][1], true, false};
        cases[n++] = (shot_case){"page", MODEL_LANG_JA, sizes[s][0], sizes[s][1], false, true};
    }
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        const shot_case *k = &cases[i];
        struct cc r;
        cc_open(&r, f, k->w, k->h, pack, 0, NULL);
        screen_set_lang(&r.s.ctx, k->lang);
        r.s.session.large_text = k->large;
        r.s.session.furigana = !k->no_furigana;
        if (strcmp(k->view, "page") == 0)
            go_page(&r, "kenshin", "kenshin-4m");
        else if (strcmp(k->view, "category") == 0)
            go_page(&r, "kenshin", "");
        char name[128];
        shot_name(k, name, sizeof name);
        cc_draw(&r);
        if (screen_rig_golden(&r.s, name) != 0) {
            fprintf(stderr, "golden %s differs\n", name);
            failed++;
        }
        cc_close(&r);
    }
    model_pack_destroy(pack);
    assert_int_equal(failed, 0);
}

/* ---- large text: nothing clipped, the end within reach ---- */

/* Every text of the page lies wholly inside the scrolled content, uncut,
 * no wider than its box, and the box inside the screen's width. Returns
 * the lowest text bottom. */
static int check_texts(struct cc *r, const char *what)
{
    childcare_text_box boxes[128];
    size_t n = childcare_page_texts(r->c, boxes, 128);
    int offset, content_h, view_h, lowest = 0;
    childcare_scroll_state(r->c, &offset, &content_h, &view_h);
    if (n < 2)
        fail_msg("%s: only %zu texts on the page", what, n);
    for (size_t i = 0; i < n && i < 128; i++) {
        const childcare_text_box *b = &boxes[i];
        if (b->truncated)
            fail_msg("%s: text %zu is cut with an ellipsis", what, i);
        if (b->advance > b->rect.w)
            fail_msg("%s: text %zu is %d px wide in a %d px box", what, i, b->advance, b->rect.w);
        if (b->rect.h <= 0 || b->rect.y < 0 || b->rect.y + b->rect.h > content_h)
            fail_msg("%s: text %zu (y %d h %d) is outside the content (%d px)", what, i, b->rect.y,
                     b->rect.h, content_h);
        if (b->rect.x < 0 || b->rect.x + b->rect.w > r->s.ctx.width)
            fail_msg("%s: text %zu runs off the screen", what, i);
        lowest = b->rect.y + b->rect.h > lowest ? b->rect.y + b->rect.h : lowest;
    }
    return lowest;
}

static void test_large_text_no_clip(void **state)
{
    struct fixture *f = *state;
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    static const struct {
        const char *cat, *page;
        model_lang lang;
        int w, h;
    } cases[] = {
        {"kenshin", "kenshin-long", MODEL_LANG_JA, 1920, 1080},
        {"kenshin", "kenshin-long", MODEL_LANG_JA, 1080, 1920},
        {"kenshin", "kenshin-long", MODEL_LANG_JA_EASY, 1280, 720},
        {"kenshin", "kenshin-4m", MODEL_LANG_EN, 1080, 1920},
        {"kenshin", "kenshin-4m", MODEL_LANG_KO, 1920, 1080},
        {"kenshin", "kenshin-4m", MODEL_LANG_ZH, 800, 1280},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char what[128];
        snprintf(what, sizeof what, "%s %s %dx%d", cases[i].page, model_lang_code(cases[i].lang),
                 cases[i].w, cases[i].h);
        struct cc r;
        cc_open(&r, f, cases[i].w, cases[i].h, pack, 0, NULL);
        screen_set_lang(&r.s.ctx, cases[i].lang);
        go_page(&r, cases[i].cat, cases[i].page);
        int off, normal_h, view_h;
        childcare_scroll_state(r.c, &off, &normal_h, &view_h);
        check_texts(&r, what);

        /* Large text (its switch in the bar): the page reflows longer,
         * nothing is cut. */
        tap(&r, KIT_ID_LARGE);
        assert_true(r.s.session.large_text);
        assert_int_equal(childcare_current_view(r.c), CHILDCARE_PAGE);
        int content_h;
        childcare_scroll_state(r.c, &off, &content_h, &view_h);
        if (content_h <= normal_h)
            fail_msg("%s: large text did not reflow (%d px, was %d)", what, content_h, normal_h);
        int lowest = check_texts(&r, what);
        assert_true(view_h > 0);

        /* Dragging goes all the way down and no further; the last text is
         * then on screen. */
        SDL_Rect back;
        assert_true(childcare_target_rect(r.c, KIT_ID_BACK, &back));
        int x = r.s.ctx.width / 3, y = back.y - view_h / 8; /* low in the content area */
        int last = -1;
        for (int k = 0; k < 100 && off != last; k++) {
            last = off;
            drag_up(&r, x, y, view_h / 2);
            childcare_scroll_state(r.c, &off, &content_h, &view_h);
        }
        int top = content_h - view_h > 0 ? content_h - view_h : 0;
        assert_int_equal(off, top);
        if (lowest - off > view_h)
            fail_msg("%s: the last text ends at %d, below the %d px view", what, lowest - off,
                     view_h);
        if (strcmp(cases[i].page, "kenshin-long") == 0 && top == 0)
            fail_msg("%s: a long page in large text should scroll", what);
        cc_close(&r);
    }
    model_pack_destroy(pack);
}

/* A fling goes on after the finger lifts and slows to a stop; the "more"
 * button scrolls too and goes away at the end. */
static void test_fling_and_more(void **state)
{
    struct fixture *f = *state;
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    struct cc r;
    cc_open(&r, f, 1080, 1920, pack, 0, NULL);
    r.s.session.large_text = true;
    go_page(&r, "kenshin", "kenshin-long");
    int off, content_h, view_h;
    childcare_scroll_state(r.c, &off, &content_h, &view_h);
    assert_true(content_h > view_h * 3 / 2);

    /* The more button moves the page down by most of a screen. */
    assert_int_equal(off, 0);
    tap(&r, CHILDCARE_ID_MORE);
    childcare_scroll_state(r.c, &off, &content_h, &view_h);
    assert_true(off >= view_h / 2);
    int after_more = off;

    /* A quick flick back towards the top. */
    int x = 300, y = view_h;
    finger(&r, SDL_FINGERDOWN, x, y);
    for (int k = 1; k <= 6; k++) {
        r.s.ctx.now_ms += 10;
        finger(&r, SDL_FINGERMOTION, x, y + 60 * k); /* downwards: towards the top */
    }
    finger(&r, SDL_FINGERUP, x, y + 360);
    int released;
    childcare_scroll_state(r.c, &released, &content_h, &view_h);
    assert_true(released < after_more);
    for (int k = 0; k < 200; k++) {
        r.s.ctx.now_ms += 16;
        cc_turn(&r);
    }
    childcare_scroll_state(r.c, &off, &content_h, &view_h);
    assert_true(off < released); /* it went on by itself */
    assert_int_equal(off, 0);    /* and stopped at the top */

    /* The mouse wheel (desktop previews) scrolls too. */
    SDL_Event wheel = {.type = SDL_MOUSEWHEEL};
    wheel.wheel.y = -2; /* towards the user: down the page */
    wheel.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    assert_true(childcare_screen_ops.event(r.c, &r.s.ctx, &wheel));
    cc_turn(&r);
    childcare_scroll_state(r.c, &off, &content_h, &view_h);
    assert_true(off > 0);

    /* At the end there is no more button. */
    SDL_Rect more;
    assert_true(childcare_target_rect(r.c, CHILDCARE_ID_MORE, &more));
    for (int k = 0; k < 20 && childcare_target_rect(r.c, CHILDCARE_ID_MORE, &more); k++)
        tap(&r, CHILDCARE_ID_MORE);
    childcare_scroll_state(r.c, &off, &content_h, &view_h);
    assert_int_equal(off, content_h - view_h);
    assert_false(childcare_target_rect(r.c, CHILDCARE_ID_MORE, &more));
    cc_close(&r);
    model_pack_destroy(pack);
}

/* ---- a resident's walk ---- */

static bool csv_has(const char *csv, const char *row)
{
    return strstr(csv, row) != NULL;
}

static void test_touch_walk(void **state)
{
    struct fixture *f = *state;
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    char dir[] = "/tmp/hiroba-childcare-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct cc r;
    cc_open(&r, f, 1920, 1080, pack, 0, dir);
    cc_turn(&r);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_MENU);

    /* The first tile: its category's pages. */
    tap(&r, CHILDCARE_ID_TILE + 0);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_CATEGORY);
    assert_string_equal(r.s.session.category, "kenshin");
    assert_string_equal(r.s.session.page, "");

    /* The first page. */
    tap(&r, CHILDCARE_ID_PAGE + 0);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_PAGE);
    assert_string_equal(r.s.session.category, "kenshin");
    assert_string_equal(r.s.session.page, "kenshin-4m");

    /* Back, back: the list, then the menu. */
    tap(&r, KIT_ID_BACK);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_CATEGORY);
    assert_string_equal(r.s.session.category, "kenshin");
    assert_string_equal(r.s.session.page, "");
    tap(&r, KIT_ID_BACK);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_MENU);
    assert_string_equal(r.s.session.category, "");
    assert_null(r.s.session.request);

    /* Back on the menu asks for the home screen. */
    tap(&r, KIT_ID_BACK);
    assert_ptr_equal(r.s.session.request, screen_ops_by_name("home"));
    r.s.session.request = NULL;

    /* Home from a page forgets the place for the next visit. */
    tap(&r, CHILDCARE_ID_TILE + 2);
    assert_string_equal(r.s.session.category, "asobi");
    tap(&r, CHILDCARE_ID_PAGE + 1);
    assert_string_equal(r.s.session.page, "asobi-ehon");
    tap(&r, KIT_ID_HOME);
    assert_ptr_equal(r.s.session.request, screen_ops_by_name("home"));
    assert_string_equal(r.s.session.category, "");
    assert_string_equal(r.s.session.page, "");

    /* A finger that moves while on a tile scrolls instead of opening it. */
    r.s.session.request = NULL;
    cc_turn(&r);
    SDL_Rect t;
    assert_true(childcare_target_rect(r.c, CHILDCARE_ID_TILE + 1, &t));
    finger(&r, SDL_FINGERDOWN, t.x + t.w / 2, t.y + t.h / 2);
    r.s.ctx.now_ms += 16;
    finger(&r, SDL_FINGERMOTION, t.x + t.w / 2, t.y + t.h / 2 - t.h / 2);
    r.s.ctx.now_ms += 16;
    finger(&r, SDL_FINGERUP, t.x + t.w / 2, t.y + t.h / 2 - t.h / 2);
    cc_turn(&r);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_MENU);

    /* A mouse click works like a tap (desktop previews). */
    assert_true(childcare_target_rect(r.c, CHILDCARE_ID_TILE + 1, &t));
    SDL_Event click = {.type = SDL_MOUSEBUTTONDOWN};
    click.button.button = SDL_BUTTON_LEFT;
    click.button.x = t.x + t.w / 2;
    click.button.y = t.y + t.h / 2;
    childcare_screen_ops.event(r.c, &r.s.ctx, &click);
    click.type = SDL_MOUSEBUTTONUP;
    childcare_screen_ops.event(r.c, &r.s.ctx, &click);
    cc_turn(&r);
    assert_string_equal(r.s.session.category, "ichiji");
    tap(&r, KIT_ID_BACK);

    /* Every opening was counted: categories and pages by id. */
    store_close(r.store);
    r.store = NULL;
    r.s.ctx.store = NULL;
    store *st = store_open(dir, r.s.clock);
    assert_non_null(st);
    char *csv = NULL;
    size_t csv_len = 0;
    FILE *out = open_memstream(&csv, &csv_len);
    assert_non_null(out);
    assert_true(store_usage_export(st, out, "Asia/Tokyo") >= 4);
    fclose(out);
    store_close(st);
    assert_true(csv_has(csv, "childcare,kenshin,ja,1"));
    assert_true(csv_has(csv, "childcare,kenshin-4m,ja,1"));
    assert_true(csv_has(csv, "childcare,asobi,ja,1"));
    assert_true(csv_has(csv, "childcare,asobi-ehon,ja,1"));
    assert_true(csv_has(csv, "childcare,ichiji,ja,1"));
    assert_false(csv_has(csv, "childcare,ichiji-"));
    free(csv);
    cc_close(&r);
    char path[512];
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
    model_pack_destroy(pack);
}

/* The language switch keeps the page; the texts are the new language's. */
static void test_language_keeps_place(void **state)
{
    struct fixture *f = *state;
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    struct cc r;
    cc_open(&r, f, 1920, 1080, pack, 0, NULL);
    go_page(&r, "kenshin", "kenshin-4m");
    childcare_text_box ja[64], en[64];
    size_t n_ja = childcare_page_texts(r.c, ja, 64);
    for (int l = 0; l < MODEL_LANG_COUNT; l++) {
        screen_set_lang(&r.s.ctx, (model_lang)l);
        cc_turn(&r);
        assert_int_equal(childcare_current_view(r.c), CHILDCARE_PAGE);
        assert_string_equal(r.s.session.page, "kenshin-4m");
        check_texts(&r, model_lang_code((model_lang)l));
    }
    /* By touch: the language button, then English in the picker. */
    screen_set_lang(&r.s.ctx, MODEL_LANG_JA);
    cc_turn(&r);
    tap(&r, KIT_ID_LANG);
    tap(&r, KIT_ID_LANG_PICK + MODEL_LANG_EN);
    assert_int_equal(r.s.session.lang, MODEL_LANG_EN);
    assert_string_equal(r.s.ctx.lang, "en");
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_PAGE);
    assert_string_equal(r.s.session.page, "kenshin-4m");
    cc_turn(&r);
    size_t n_en = childcare_page_texts(r.c, en, 64);
    /* The same parts (title, three paragraphs, hint, two labels), set anew. */
    assert_int_equal(n_en, n_ja);
    assert_int_equal(n_ja, 7);
    cc_close(&r);
    model_pack_destroy(pack);
}

/* ---- the clip ---- */

static void run_until_state(struct cc *r, enum ui_video_state want, int ms)
{
    int64_t until = clock_monotonic_ms() + ms;
    while (ui_video_state(r->s.video) != want && clock_monotonic_ms() < until) {
        cc_turn(r);
        SDL_Delay(5);
    }
    assert_string_equal(ui_video_state_name(ui_video_state(r->s.video)), ui_video_state_name(want));
}

static void test_video(void **state)
{
    struct fixture *f = *state;
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    struct cc r;
    cc_open(&r, f, 1920, 1080, pack, 60000, NULL);
    go_page(&r, "asobi", "asobi-tearai");
    run_until_state(&r, UI_VIDEO_PLAYING, 3000);
    assert_true(ui_video_is_muted(r.s.video));
    cc_turn(&r);
    tap(&r, CHILDCARE_ID_PLAY);
    assert_int_equal(ui_video_state(r.s.video), UI_VIDEO_PAUSED);
    tap(&r, CHILDCARE_ID_PLAY);
    run_until_state(&r, UI_VIDEO_PLAYING, 3000);
    cc_draw(&r);
    screen_rig_shot(&r.s, "childcare-video.png", NULL, 0);
    /* Leaving the page stops the clip. */
    tap(&r, KIT_ID_BACK);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_CATEGORY);
    assert_int_equal(ui_video_state(r.s.video), UI_VIDEO_IDLE);
    /* And so does leaving the screen. */
    tap(&r, CHILDCARE_ID_PAGE + 0);
    run_until_state(&r, UI_VIDEO_PLAYING, 3000);
    childcare_screen_ops.leave(r.c, &r.s.ctx);
    assert_int_equal(ui_video_state(r.s.video), UI_VIDEO_IDLE);
    r.c = childcare_screen_ops.enter(&r.s.ctx);
    assert_non_null(r.c);
    cc_close(&r);
    model_pack_destroy(pack);
}

/* ---- pack swaps ---- */

static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return out;
}

static size_t dark_in_content(struct cc *r, const char *name)
{
    char path[1024];
    cc_draw(r);
    screen_rig_shot(&r->s, name, path, sizeof path);
    SDL_Surface *s = rig_load_rgb(path);
    SDL_Rect area = kit_chrome_content(&r->s.ctx);
    size_t n = rig_dark_in(s, area);
    SDL_FreeSurface(s);
    return n;
}

static void test_pack_swap(void **state)
{
    struct fixture *f = *state;
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    struct cc r;
    cc_open(&r, f, 1920, 1080, pack, 60000, NULL);
    go_page(&r, "kenshin", "kenshin-4m");

    /* The same page in a new pack: still there, the old pack freed at once
     * after the update. */
    model_pack *same = rig_parse(f->basic, PACK_JSON_SOURCE);
    r.s.ctx.pack = same;
    childcare_screen_ops.update(r.c, &r.s.ctx);
    model_pack_destroy(pack);
    cc_turn(&r);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_PAGE);
    assert_string_equal(r.s.session.page, "kenshin-4m");

    /* The page renamed: back to the menu. */
    char *text = replace(f->basic, "\"kenshin-4m\"", "\"kenshin-4m-2027\"");
    model_pack *renamed = rig_parse(text, PACK_JSON_SOURCE);
    free(text);
    r.s.ctx.pack = renamed;
    childcare_screen_ops.update(r.c, &r.s.ctx);
    model_pack_destroy(same);
    cc_turn(&r);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_MENU);
    assert_string_equal(r.s.session.category, "");
    assert_string_equal(r.s.session.page, "");

    /* On the clip's page, the category gone: menu, clip stopped. */
    go_page(&r, "asobi", "asobi-tearai");
    run_until_state(&r, UI_VIDEO_PLAYING, 3000);
    text = replace(f->basic, "\"asobi-tearai\"", "\"asobi-tearai-2\"");
    model_pack *other = rig_parse(text, PACK_JSON_SOURCE);
    free(text);
    r.s.ctx.pack = other;
    childcare_screen_ops.update(r.c, &r.s.ctx);
    model_pack_destroy(renamed);
    assert_int_equal(ui_video_state(r.s.video), UI_VIDEO_IDLE);
    cc_turn(&r);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_MENU);

    /* A pack without child-care pages, and no pack at all: a message,
     * never a blank screen. */
    go_page(&r, "kenshin", "kenshin-4m");
    text = rig_two_item_pack("{\"id\": \"first\", \"type\": \"card\", \"title\": \"t\", "
                             "\"duration\": 5}");
    model_pack *bare = rig_parse(text, PACK_JSON_SOURCE);
    free(text);
    r.s.ctx.pack = bare;
    childcare_screen_ops.update(r.c, &r.s.ctx);
    model_pack_destroy(other);
    assert_true(dark_in_content(&r, "childcare-empty.png") > 1000);
    assert_int_equal(childcare_current_view(r.c), CHILDCARE_MENU);
    r.s.ctx.pack = NULL;
    childcare_screen_ops.update(r.c, &r.s.ctx);
    model_pack_destroy(bare);
    assert_true(dark_in_content(&r, "childcare-preparing.png") > 1000);
    /* Taps on nothing do nothing. */
    finger(&r, SDL_FINGERDOWN, 500, 500);
    finger(&r, SDL_FINGERUP, 500, 500);
    cc_turn(&r);
    cc_close(&r);
}

/* ---- where lines may break ---- */

/* Where joiners go is tests/unit/test_glue.c's (childcare_glue). */

static void test_break_flaws(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *text;
        int ems; /* box width in em */
        bool flawed;
    } cases[] = {
        {"お話をうかがいます。予約なしでも大丈夫です。", 8, true}, /* ま|す。 */
        {"お話をうかがいます。予約なしでも大丈夫です。", 30, false},
        {"市のホームページへどうぞ", 5, true},   /* ホーム|ページ or a short tail */
        {"用意をしてお越しください。", 6, true}, /* お|越し or 越|し */
        {"今日はいい天気です。明日も晴れます。", 10, false}, /* at the full stop */
        {"医療機関へ", 3, true},                             /* 医療機|関へ */
        {"ことばの相談は、いつでもどうぞ。", 8, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        text_style st = text_style_default(40);
        const text_layout *l =
            text_cache_get(f->cache, cases[i].text, strlen(cases[i].text), &st, cases[i].ems * 40);
        assert_non_null(l);
        int flaws = childcare_break_flaws(l);
        if ((flaws > 0) != cases[i].flawed) {
            fprintf(stderr, "case %zu lines:", i);
            for (size_t k = 0; k < text_layout_line_count(l); k++) {
                text_line_info li;
                text_layout_get_line(l, k, &li);
                fprintf(stderr, " [%.*s]", (int)li.len, li.text);
            }
            fail_msg("case %zu: %d flaws", i, flaws);
        }
    }
    text_cache_trim(f->cache);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_touch_walk),
        cmocka_unit_test(test_language_keeps_place),
        cmocka_unit_test(test_large_text_no_clip),
        cmocka_unit_test(test_fling_and_more),
        cmocka_unit_test(test_video),
        cmocka_unit_test(test_pack_swap),
        cmocka_unit_test(test_goldens),
        cmocka_unit_test(test_break_flaws),
    };
    return cmocka_run_group_tests(tests, rig_group_setup, rig_group_teardown);
}
