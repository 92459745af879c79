/* test_touch_walk: one resident's walk through the whole touch kiosk, by
 * the router, as a touch screen reports it: SDL finger events with
 * normalised coordinates, the loop turning (update, draw) with now_ms
 * moving on as real time would (a press lasts ~90 ms, reading a page takes
 * seconds, the loop sleeps when nothing changes). Home, the child-care
 * tile, a category, a page, back, the language picker, English, home, the
 * counter queue, large text on and furigana off, then the resident leaves
 * and after the idle time the kiosk is back on home in Japanese, furigana
 * on, normal text. At every step: the screen's name, the session, and the
 * picture (tests/ref/walk-<n>-<step>.png on a 1080x1920 portrait panel).
 * The same walk in landscape (1920x1080, checked for the same states) and
 * with a mouse only (a desktop preview: the same states and the same
 * pictures as the references).
 *
 * Where to tap is found as a resident finds it, from what is drawn: the
 * home tiles lie in the content area two by two (landscape) or one per row
 * (portrait); the chrome's buttons and the child-care tiles are where a
 * second copy of the same immediate-mode drawing, made with the same ctx
 * and session, registers them. */
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

#include "app/screens/childcare.h"
#include "app/screens/kit.h"
#include "app/screens/screen.h"
#include "tests/screens/golden.h"
#include "tests/screens/kiosk_rig.h"
#include "tests/screens/signage_rig.h"

#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

#define FRAME_MS 16 /* the loop turns at 60 Hz while something moves */
#define PRESS_MS 96 /* a finger rests this long on a tap */

typedef enum walk_input { BY_FINGER, BY_MOUSE } walk_input;

typedef enum walk_do {
    DO_START,     /* the kiosk starts on home */
    DO_HOME_TILE, /* arg: 0 child-care, 1 counter queue */
    DO_CC_TILE,   /* arg: a child-care category, by index */
    DO_CC_PAGE,   /* arg: a page of the open category, by index */
    DO_CHROME,    /* arg: a KIT_ID_*, flags: the chrome's buttons on that screen */
    DO_IDLE,      /* the resident leaves */
} walk_do;

typedef struct walk_step {
    const char *name; /* walk-<n>-<name>.png */
    walk_do what;
    int arg;
    unsigned flags;
    int64_t read_ms; /* the resident looks this long before acting */
    /* The kiosk afterwards: */
    const char *screen;
    model_lang lang;
    bool furigana, large;
    const char *category, *page;
} walk_step;

#define BOTH (KIT_CHROME_BACK | KIT_CHROME_HOME)
#define JA   MODEL_LANG_JA
#define EN   MODEL_LANG_EN

static const walk_step walk[] = {
    {"home", DO_START, 0, 0, 0, "home", JA, true, false, "", ""},
    {"childcare", DO_HOME_TILE, 0, 0, 2500, "childcare", JA, true, false, "", ""},
    {"category", DO_CC_TILE, 0, 0, 3000, "childcare", JA, true, false, "kenshin", ""},
    {"page", DO_CC_PAGE, 0, 0, 2000, "childcare", JA, true, false, "kenshin", "kenshin-4m"},
    {"back", DO_CHROME, KIT_ID_BACK, BOTH, 15000, "childcare", JA, true, false, "kenshin", ""},
    {"picker", DO_CHROME, KIT_ID_LANG, BOTH, 2000, "childcare", JA, true, false, "kenshin", ""},
    {"english", DO_CHROME, KIT_ID_LANG_PICK + EN, BOTH, 1500, "childcare", EN, true, false,
     "kenshin", ""},
    {"home-en", DO_CHROME, KIT_ID_HOME, BOTH, 4000, "home", EN, true, false, "", ""},
    {"queue-en", DO_HOME_TILE, 1, 0, 2000, "queue", EN, true, false, "", ""},
    {"large", DO_CHROME, KIT_ID_LARGE, KIT_CHROME_HOME, 5000, "queue", EN, true, true, "", ""},
    {"furigana-off", DO_CHROME, KIT_ID_FURIGANA, KIT_CHROME_HOME, 1000, "queue", EN, false, true,
     "", ""},
    {"idle", DO_IDLE, 0, 0, 0, "home", JA, true, false, "", ""},
};
#define N_STEPS (sizeof walk / sizeof walk[0])

/* ---- where to tap ---- */

static SDL_Point centre(SDL_Rect r)
{
    return (SDL_Point){r.x + r.w / 2, r.y + r.h / 2};
}

/* A home tile: in the content area, two by two in landscape (child-care
 * top left, queue top right), one per row in portrait. */
static SDL_Point home_tile(const kiosk *k, int tile)
{
    SDL_Rect c = kit_chrome_content(&k->ctx);
    bool wide = k->ctx.width > k->ctx.height;
    double fx = wide ? (tile == 0 ? 0.25 : 0.75) : 0.5;
    double fy = wide ? 0.35 : (tile == 0 ? 0.2 : 0.45);
    return (SDL_Point){c.x + (int)(c.w * fx), c.y + (int)(c.h * fy)};
}

/* A chrome button as kit_chrome lays it out on a screen with these flags
 * (the picker's buttons while it is open). Draws into the frame, so the
 * router's picture is drawn afresh afterwards. */
static SDL_Point chrome_target(kiosk *k, unsigned flags, int id)
{
    kit_ui ui;
    kit_ui_init(&ui);
    ui.picker_open = id >= KIT_ID_LANG_PICK && id <= KIT_ID_LANG_PICK_LAST;
    kit_ui_begin(&ui);
    kit_chrome(&k->ctx, &ui, "", MODEL_LANG_JA, flags);
    SDL_RenderSetClipRect(k->ctx.renderer, NULL);
    ui_frame_invalidate(&k->frame);
    for (size_t i = ui.n_hits; i-- > 0;)
        if (ui.hits[i].id == id)
            return centre(ui.hits[i].rect);
    fail_msg("the chrome (flags %u) has no target %d", flags, id);
    return (SDL_Point){0, 0};
}

/* A child-care target as the router's copy of the screen has it. */
static SDL_Point childcare_target(kiosk *k, int id)
{
    childcare *c = childcare_screen_ops.enter(&k->ctx);
    assert_non_null(c);
    childcare_screen_ops.draw(c, &k->ctx);
    SDL_Rect r;
    bool ok = childcare_target_rect(c, id, &r);
    childcare_screen_ops.leave(c, &k->ctx);
    SDL_RenderSetClipRect(k->ctx.renderer, NULL);
    ui_frame_invalidate(&k->frame);
    if (!ok)
        fail_msg("child-care target %d is not on screen", id);
    return centre(r);
}

/* ---- input ---- */

static void send(kiosk *k, const SDL_Event *ev)
{
    screen_router_event(k->router, ev);
}

static void finger(kiosk *k, Uint32 type, SDL_Point p)
{
    SDL_Event ev = {.type = type};
    ev.tfinger.timestamp = (Uint32)k->ctx.now_ms;
    ev.tfinger.touchId = 1;
    ev.tfinger.fingerId = 7;
    ev.tfinger.x = ((float)p.x + 0.5f) / (float)k->ctx.width;
    ev.tfinger.y = ((float)p.y + 0.5f) / (float)k->ctx.height;
    ev.tfinger.pressure = 1.0f;
    send(k, &ev);
}

static void mouse_button(kiosk *k, Uint32 type, SDL_Point p)
{
    SDL_Event ev = {.type = type};
    ev.button.timestamp = (Uint32)k->ctx.now_ms;
    ev.button.which = 0;
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    ev.button.clicks = 1;
    ev.button.x = p.x;
    ev.button.y = p.y;
    send(k, &ev);
}

/* The pointer comes over from where it was, with no button down. */
static void mouse_hover(kiosk *k, SDL_Point from, SDL_Point to)
{
    for (int i = 1; i <= 4; i++) {
        SDL_Event ev = {.type = SDL_MOUSEMOTION};
        ev.motion.timestamp = (Uint32)k->ctx.now_ms;
        ev.motion.x = from.x + (to.x - from.x) * i / 4;
        ev.motion.y = from.y + (to.y - from.y) * i / 4;
        ev.motion.xrel = (to.x - from.x) / 4;
        ev.motion.yrel = (to.y - from.y) / 4;
        send(k, &ev);
        k->ctx.now_ms += FRAME_MS;
        kiosk_turn(k, false);
    }
}

/* Turns of the loop for ms (the loop turns at 60 Hz while a finger is
 * down: something may be pressed). */
static void frames(kiosk *k, int ms)
{
    for (int t = 0; t < ms; t += FRAME_MS) {
        k->ctx.now_ms += FRAME_MS;
        kiosk_turn(k, false);
    }
}

static void tap(kiosk *k, walk_input in, SDL_Point p, SDL_Point *pointer)
{
    if (in == BY_FINGER) {
        finger(k, SDL_FINGERDOWN, p);
        frames(k, PRESS_MS);
        finger(k, SDL_FINGERUP, p);
    } else {
        mouse_hover(k, *pointer, p);
        mouse_button(k, SDL_MOUSEBUTTONDOWN, p);
        frames(k, PRESS_MS);
        mouse_button(k, SDL_MOUSEBUTTONUP, p);
    }
    *pointer = p;
    frames(k, 2 * FRAME_MS); /* the switch, if any, and its first frame */
}

/* ---- checks ---- */

static void check_state(kiosk *k, const walk_step *s, const char *run)
{
    const screen_session *ss = &k->session;
    const char *now = screen_router_current(k->router);
    if (!now || strcmp(now, s->screen) != 0)
        fail_msg("%s, after %s: on %s, want %s", run, s->name, now ? now : "(none)", s->screen);
    if (ss->lang != s->lang || strcmp(k->ctx.lang, model_lang_code(s->lang)) != 0)
        fail_msg("%s, after %s: language %s (ctx %s), want %s", run, s->name,
                 model_lang_code(ss->lang), k->ctx.lang, model_lang_code(s->lang));
    if (ss->furigana != s->furigana || ss->large_text != s->large)
        fail_msg("%s, after %s: furigana %d large %d, want %d %d", run, s->name, ss->furigana,
                 ss->large_text, s->furigana, s->large);
    if (strcmp(ss->category, s->category) != 0 || strcmp(ss->page, s->page) != 0)
        fail_msg("%s, after %s: at '%s'/'%s', want '%s'/'%s'", run, s->name, ss->category, ss->page,
                 s->category, s->page);
    assert_int_equal(ss->vacancy_day, 0);
    assert_null(ss->request);
}

static SDL_Surface *load(const char *path)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s)
        fail_msg("cannot read %s: %s", path, IMG_GetError());
    return s;
}

/* Pixels beyond the golden tolerance between two PNGs of one size. */
static size_t differing(const char *a_png, const char *b_png)
{
    SDL_Surface *a = load(a_png), *b = load(b_png);
    golden_result res;
    assert_int_equal(golden_compare(a, b, &res, NULL), 0);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    assert_true(res.same_size);
    return res.differing;
}

static bool same_picture(const char *a_png, const char *b_png)
{
    SDL_Surface *a = load(a_png), *b = load(b_png);
    golden_result res;
    assert_int_equal(golden_compare(a, b, &res, NULL), 0);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return res.match;
}

/* ---- the walk ---- */

typedef enum walk_refs {
    REFS_NONE,    /* landscape: no references, only the states */
    REFS_CHECK,   /* golden_check (HIROBA_UPDATE_GOLDEN=1 rewrites them) */
    REFS_COMPARE, /* must look like the references (never rewrites them) */
} walk_refs;

static void run_walk(struct fixture *f, int w, int h, walk_input in, walk_refs refs)
{
    char run[64];
    snprintf(run, sizeof run, "%dx%d %s", w, h, in == BY_FINGER ? "touch" : "mouse");
    kiosk k;
    kiosk_open(&k, f, &(kiosk_options){.width = w, .height = h, .headless = true});
    kiosk_set_pack(&k, kiosk_fixture_pack(f));
    kiosk_example_feeds(&k);
    SDL_Point pointer = {w / 2, h / 2};
    char shots[N_STEPS][1024];
    int failed = 0;
    for (size_t i = 0; i < N_STEPS; i++) {
        const walk_step *s = &walk[i];
        kiosk_wait(&k, s->read_ms);
        switch (s->what) {
        case DO_START:
            kiosk_turn(&k, true);
            break;
        case DO_HOME_TILE:
            tap(&k, in, home_tile(&k, s->arg), &pointer);
            break;
        case DO_CC_TILE:
            tap(&k, in, childcare_target(&k, CHILDCARE_ID_TILE + s->arg), &pointer);
            break;
        case DO_CC_PAGE:
            tap(&k, in, childcare_target(&k, CHILDCARE_ID_PAGE + s->arg), &pointer);
            break;
        case DO_CHROME:
            tap(&k, in, chrome_target(&k, s->flags, s->arg), &pointer);
            break;
        case DO_IDLE: {
            /* Nobody: a millisecond short of the idle time nothing has
             * changed; at the idle time the kiosk is reset. */
            const walk_step *before = &walk[i - 1];
            int64_t quiet = k.ctx.now_ms - k.session.last_input_ms;
            kiosk_wait(&k, KIOSK_IDLE_MS - 1 - quiet);
            check_state(&k, before, run);
            kiosk_wait(&k, 1);
            break;
        }
        }
        /* The loop settles (nothing more is due), then the picture. */
        kiosk_wait(&k, 500);
        check_state(&k, s, run);
        char name[128];
        snprintf(name, sizeof name, "walk-%dx%d-%s-%zu-%s.png", w, h,
                 in == BY_FINGER ? "touch" : "mouse", i + 1, s->name);
        kiosk_shot(&k, name, shots[i], sizeof shots[i]);
        if (refs == REFS_NONE)
            continue;
        char ref[1024];
        snprintf(ref, sizeof ref, "%s/tests/ref/walk-%zu-%s.png", rig_source_dir(), i + 1, s->name);
        if (refs == REFS_CHECK ? golden_check(shots[i], ref, HIROBA_TEST_OUT_DIR) != 0
                               : !same_picture(shots[i], ref)) {
            fprintf(stderr, "%s: step %zu (%s) does not look like %s\n", run, i + 1, s->name, ref);
            failed++;
        }
    }
    /* In every run: English replaced the Japanese on the same view (a
     * large part of the picture changed), and the idle kiosk looks as the
     * first resident found it. */
    size_t i_back = 4, i_en = 6, i_idle = N_STEPS - 1;
    assert_string_equal(walk[i_back].name, "back");
    assert_string_equal(walk[i_en].name, "english");
    size_t changed = differing(shots[i_back], shots[i_en]);
    if (changed < (size_t)w * (size_t)h / 200)
        fail_msg("%s: English changed only %zu pixels", run, changed);
    if (!same_picture(shots[0], shots[i_idle]))
        fail_msg("%s: the idle kiosk does not look like the first home screen", run);
    kiosk_close(&k);
    assert_int_equal(failed, 0);
}

static void test_walk_portrait_touch(void **state)
{
    run_walk(*state, 1080, 1920, BY_FINGER, REFS_CHECK);
}

static void test_walk_landscape_touch(void **state)
{
    run_walk(*state, 1920, 1080, BY_FINGER, REFS_NONE);
}

static void test_walk_portrait_mouse(void **state)
{
    run_walk(*state, 1080, 1920, BY_MOUSE, REFS_COMPARE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_portrait_touch),
        cmocka_unit_test(test_walk_landscape_touch),
        cmocka_unit_test(test_walk_portrait_mouse),
    };
    return cmocka_run_group_tests(tests, rig_group_setup, rig_group_teardown);
}
