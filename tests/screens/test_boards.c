/* test_boards: the live boards. The queue and vacancy screens rendered
 * headless (frozen clock 2026-11-24T10:05:00+09:00, the example feeds of
 * schemas/examples, the real catalogs) in every language and both
 * orientations, compared with reference PNGs; the stale badge; a changed
 * number highlighted and then back (pixel probes, wake-ups declared, no
 * busy redraw); a closed counter in words; the vacancy cells told apart in
 * greyscale and by their glyphs; pages that turn by time and by swipe;
 * calm messages instead of blank boards; day tabs and row selection; and
 * board items in the signage loop. */
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

#include "app/core/feeds.h"
#include "app/core/pack_json.h"
#include "app/screens/boards.h"
#include "app/screens/boards_private.h"
#include "app/screens/kit.h"
#include "app/screens/screen.h"
#include "app/screens/signage.h"
#include "tests/screens/golden.h"
#include "tests/screens/screen_rig.h"
#include "ui/draw.h"

#define FROZEN "2026-11-24T10:05:00+09:00"

static const char PACK[] =
    "{\"format\": 1, \"timezone\": \"Asia/Tokyo\", \"facility\": {\"name\": {"
    "\"ja\": \"ひろば市 中央コミュニティセンター\","
    "\"en\": \"Hiroba City Central Community Centre\","
    "\"zh\": \"广场市中央社区中心\","
    "\"ko\": \"히로바시 중앙 커뮤니티 센터\","
    "\"ja-easy\": \"ひろば{市|し} {中央|ちゅうおう}コミュニティセンター\"}},"
    "\"items\": ["
    "{\"id\": \"queue-board\", \"type\": \"board\", \"board\": \"queue\", \"duration\": 20},"
    "{\"id\": \"vacancy-board\", \"type\": \"board\", \"board\": \"vacancy\", \"duration\": 20}],"
    "\"playlists\": [{\"id\": \"lobby\", \"items\": [\"queue-board\", \"vacancy-board\"]}],"
    "\"schedule\": [{\"playlist\": \"lobby\"}]}";

static feeds_queue *parse_queue(const char *text)
{
    feeds_queue *q = NULL;
    feeds_errors errs;
    if (feeds_queue_parse(text, strlen(text), NULL, &q, &errs) != 0) {
        char line[512];
        for (size_t i = 0; i < errs.count; i++) {
            feeds_error_line(&errs, i, line, sizeof line);
            print_error("%s\n", line);
        }
        fail_msg("a test queue feed does not parse");
    }
    return q;
}

static feeds_vacancy *parse_vacancy(const char *text)
{
    feeds_vacancy *v = NULL;
    feeds_errors errs;
    if (feeds_vacancy_parse(text, strlen(text), NULL, &v, &errs) != 0) {
        char line[512];
        for (size_t i = 0; i < errs.count; i++) {
            feeds_error_line(&errs, i, line, sizeof line);
            print_error("%s\n", line);
        }
        fail_msg("a test vacancy feed does not parse");
    }
    return v;
}

/* text with the first from replaced by to (caller frees). */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t head = (size_t)(at - text), n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    assert_non_null(out);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static int group_setup(void **state)
{
    if (rig_group_setup(state) != 0)
        return -1;
    struct fixture *f = *state;
    f->pack = rig_parse(PACK, PACK_JSON_SOURCE);
    return 0;
}

/* ---- the rig: a headless kiosk ---- */

static void boards_open(screen_rig *r, struct fixture *f, model_lang lang, int w, int h, bool touch)
{
    screen_rig_open(r, f, w, h, lang, f->pack, FROZEN);
    r->session.idle_ms = 0;
    r->ctx.touch = touch;
    r->ctx.now_ms = 1000000;
    /* The feeds answered a minute ago (the queue says 10:03, the vacancy
     * 10:00: both fresh at 10:05). */
    int64_t at = screen_rig_ms_at(FROZEN);
    screen_rig_example_feeds(r, at - 60 * 1000, at - 5 * 1000);
}

static Uint32 pixel(SDL_Surface *s, int x, int y)
{
    const Uint8 *p = (const Uint8 *)s->pixels + (size_t)y * s->pitch + (size_t)x * 3;
    return (Uint32)p[0] << 16 | (Uint32)p[1] << 8 | p[2];
}

static Uint32 rgb(SDL_Color c)
{
    return (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
}

/* Pixels of exactly colour c in r; their bounding box in *box if not NULL. */
static size_t count_colour(SDL_Surface *s, SDL_Rect r, Uint32 c, SDL_Rect *box)
{
    size_t n = 0;
    int x0 = INT32_MAX, y0 = INT32_MAX, x1 = -1, y1 = -1;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            if (pixel(s, x, y) == c) {
                n++;
                x0 = x < x0 ? x : x0;
                y0 = y < y0 ? y : y0;
                x1 = x > x1 ? x : x1;
                y1 = y > y1 ? y : y1;
            }
    if (box)
        *box = n ? (SDL_Rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1} : (SDL_Rect){0, 0, 0, 0};
    return n;
}

static int grey(Uint32 c)
{
    return (int)((299 * (c >> 16 & 0xFF) + 587 * (c >> 8 & 0xFF) + 114 * (c & 0xFF)) / 1000);
}

/* Pixels in r darker than the paper by far: text and marks. */
static size_t count_dark(SDL_Surface *s, SDL_Rect r, int below)
{
    size_t n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            n += grey(pixel(s, x, y)) < below;
    return n;
}

static SDL_Rect whole(SDL_Surface *s)
{
    return (SDL_Rect){0, 0, s->w, s->h};
}

/* ---- goldens ---- */

/* Renders ops in lang at w x h to out/name and compares it with
 * tests/ref/name. Returns 0 on a match. */
static int shot_and_compare(struct fixture *f, const screen_ops *ops, const char *name,
                            model_lang lang, int w, int h, const screen_feeds *feeds)
{
    screen_rig r;
    boards_open(&r, f, lang, w, h, true);
    if (feeds)
        r.feeds = *feeds;
    screen_rig_show(&r, ops);
    screen_rig_turn(&r, true);
    int rc = screen_rig_golden(&r, name);
    screen_rig_close(&r);
    return rc;
}

static void test_goldens(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const screen_ops *ops;
        const char *name;
    } screens[] = {{&queue_screen_ops, "queue"}, {&vacancy_screen_ops, "vacancy"}};
    static const struct {
        int w, h;
    } sizes[] = {{1920, 1080}, {1080, 1920}};
    size_t failed = 0;
    for (size_t s = 0; s < 2; s++)
        for (int l = 0; l < MODEL_LANG_COUNT; l++)
            for (size_t z = 0; z < 2; z++) {
                char name[96];
                snprintf(name, sizeof name, "%s-%s-%dx%d.png", screens[s].name,
                         model_lang_code((model_lang)l), sizes[z].w, sizes[z].h);
                if (shot_and_compare(f, screens[s].ops, name, (model_lang)l, sizes[z].w, sizes[z].h,
                                     NULL) != 0)
                    failed++;
            }
    if (failed)
        fail_msg("%zu goldens differ", failed);
}

/* Data written an hour before now: the badge shows, on the warn colours. */
static void test_stale_badge(void **state)
{
    struct fixture *f = *state;
    char *text = replace(f->queue_text, "2026-11-24T10:03:00+09:00", "2026-11-24T09:03:00+09:00");
    feeds_queue *old = parse_queue(text);
    screen_rig r;
    boards_open(&r, f, MODEL_LANG_JA, 1920, 1080, true);
    r.feeds.queue = old;
    assert_true(kit_feed_stale(&r.ctx, old->updated, &r.feeds.queue_status, 120));
    assert_false(kit_feed_stale(&r.ctx, f->queue->updated, &r.feeds.queue_status, 120));
    screen_rig_show(&r, &queue_screen_ops);
    screen_rig_turn(&r, true);
    SDL_Surface *stale = screen_rig_grab(&r);
    r.feeds.queue = f->queue;
    r.feeds.serial++;
    screen_rig_turn(&r, true);
    SDL_Surface *fresh = screen_rig_grab(&r);
    Uint32 warn = rgb(kit_theme_get()->warn_bg);
    assert_true(count_colour(stale, whole(stale), warn, NULL) > 2000);
    assert_int_equal(count_colour(fresh, whole(fresh), warn, NULL), 0);
    SDL_FreeSurface(stale);
    SDL_FreeSurface(fresh);
    screen_rig_close(&r);

    screen_feeds feeds = r.feeds;
    feeds.queue = old;
    int rc = shot_and_compare(f, &queue_screen_ops, "queue-stale-ja-1920x1080.png", MODEL_LANG_JA,
                              1920, 1080, &feeds);
    feeds_queue_destroy(old);
    free(text);
    assert_int_equal(rc, 0);
}

/* A new number at 市民課 (123 -> 124): its card lights up at once with the
 * marker, the wake-up for the fade is declared (no redraw meanwhile), and
 * after BOARDS_HIGHLIGHT_MS the card is back to normal. */
static void test_highlight(void **state)
{
    struct fixture *f = *state;
    char *text = replace(f->queue_text, "\"serving\": 123", "\"serving\": 124");
    feeds_queue *next = parse_queue(text);
    Uint32 hi = rgb(kit_theme_get()->highlight);
    screen_rig r;
    boards_open(&r, f, MODEL_LANG_JA, 1920, 1080, true);
    screen_rig_show(&r, &queue_screen_ops);
    screen_rig_turn(&r, true);
    SDL_Surface *before = screen_rig_grab(&r);
    assert_int_equal(count_colour(before, whole(before), hi, NULL), 0);
    /* Nothing moves: the screen sleeps (frozen clock, one page). */
    assert_false(screen_rig_turn(&r, false));
    assert_int_equal(ui_frame_timeout_ms(&r.frame), -1);

    r.ctx.now_ms += 1000;
    r.feeds.queue = next;
    r.feeds.serial++;
    assert_true(screen_rig_turn(&r, false));
    SDL_Surface *lit = screen_rig_grab(&r);
    assert_int_equal(screen_rig_golden(&r, "queue-called-ja-1920x1080.png"), 0);
    SDL_Rect box;
    size_t n = count_colour(lit, whole(lit), hi, &box);
    assert_true(n > 20000);
    /* Only the first card (top left) lights up. */
    assert_true(box.x + box.w < 1920 / 2 && box.y + box.h < 1080 * 2 / 3);
    /* The marker ("お呼び出し中" on a dark chip) sits in the lit card. */
    assert_true(count_dark(lit, box, 60) > count_dark(before, box, 60) + 500);
    /* Held, not redrawn: the next frame is due when the fade starts. */
    assert_false(screen_rig_turn(&r, false));
    int wait = ui_frame_timeout_ms(&r.frame);
    assert_true(wait > 0 && wait <= BOARDS_HIGHLIGHT_MS - BOARDS_FADE_MS);
    /* Fading: frames come, paced. */
    r.ctx.now_ms += BOARDS_HIGHLIGHT_MS - BOARDS_FADE_MS + 100;
    assert_true(screen_rig_turn(&r, false));
    wait = ui_frame_timeout_ms(&r.frame);
    assert_true(wait >= 0 && wait <= 40);
    SDL_Surface *fading = screen_rig_grab(&r);
    assert_int_equal(count_colour(fading, whole(fading), hi, NULL), 0); /* mixed colours */
    /* Over: back to the card it was, with the new number. */
    r.ctx.now_ms += BOARDS_FADE_MS;
    assert_true(screen_rig_turn(&r, false));
    SDL_Surface *after = screen_rig_grab(&r);
    assert_int_equal(count_colour(after, whole(after), hi, NULL), 0);
    /* The card is its old colour again (only its digits changed). */
    size_t tile_after = count_colour(after, box, rgb(kit_theme_get()->tile), NULL);
    size_t tile_before = count_colour(before, box, rgb(kit_theme_get()->tile), NULL);
    assert_true(tile_after * 100 > tile_before * 99 && tile_after * 100 < tile_before * 101);
    assert_false(screen_rig_turn(&r, false));
    assert_int_equal(ui_frame_timeout_ms(&r.frame), -1);
    SDL_FreeSurface(before);
    SDL_FreeSurface(lit);
    SDL_FreeSurface(fading);
    SDL_FreeSurface(after);
    screen_rig_close(&r);
    feeds_queue_destroy(next);
    free(text);
}

/* The closed counter (夜間・休日窓口) is grey and says so in words: big
 * dark letters below its name, in Japanese and in English. */
static void test_closed_words(void **state)
{
    struct fixture *f = *state;
    for (int lang = MODEL_LANG_JA; lang <= MODEL_LANG_EN; lang++) {
        screen_rig r;
        boards_open(&r, f, (model_lang)lang, 1920, 1080, true);
        screen_rig_show(&r, &queue_screen_ops);
        screen_rig_turn(&r, true);
        SDL_Surface *s = screen_rig_grab(&r);
        SDL_Rect card;
        assert_true(count_colour(s, whole(s), rgb(kit_theme_get()->closed_bg), &card) > 20000);
        /* The word sits in the lower part of the card, away from the name. */
        SDL_Rect lower = {card.x, card.y + card.h / 3, card.w, card.h * 2 / 3};
        assert_true(count_dark(s, lower, 90) > 3000);
        SDL_FreeSurface(s);
        screen_rig_close(&r);
    }
}

/* ---- the vacancy grid ---- */

static const char THREE_STATES[] =
    "{\"format\": 1, \"updated\": \"2026-11-24T10:00:00+09:00\", \"facilities\": ["
    "{\"id\": \"hall\", \"name\": \"ホール\", \"days\": [{\"date\": \"2026-11-24\", \"slots\": ["
    "{\"start\": \"09:00\", \"end\": \"12:00\", \"state\": \"free\"},"
    "{\"start\": \"12:00\", \"end\": \"15:00\", \"state\": \"booked\"},"
    "{\"start\": \"15:00\", \"end\": \"18:00\", \"state\": \"closed\"}]}]}]}";

/* Free, booked and closed cells drawn side by side, then read back in
 * greyscale, as someone who cannot tell the colours apart sees them: the
 * three still differ, and their marks and words differ. */
static void test_colour_blind(void **state)
{
    struct fixture *f = *state;
    feeds_vacancy *v = parse_vacancy(THREE_STATES);
    for (int lang = 0; lang < MODEL_LANG_COUNT; lang++) {
        screen_rig r;
        boards_open(&r, f, (model_lang)lang, 1920, 1080, true);
        ui_draw_clear(r.ctx.renderer, kit_theme_get()->paper);
        vacancy_layout g;
        int32_t day = v->facilities[0].days[0].day;
        assert_true(vacancy_grid_layout(&r.ctx, v, day, 1600, &g));
        assert_int_equal(g.t0, 9 * 60);
        assert_int_equal(g.t1, 18 * 60);
        SDL_Rect row = {100, 100, 1600, g.row_h};
        vacancy_grid_row(&r.ctx, &g, &v->facilities[0], day, false, row);
        SDL_Surface *s = screen_rig_grab(&r);
        /* The three cells, each a third of the bar, a little inside. */
        int third = g.bar_w / 3, inset = 12;
        SDL_Rect cell[3];
        for (int i = 0; i < 3; i++)
            cell[i] = (SDL_Rect){row.x + g.bar_x + i * third + inset, row.y + inset,
                                 third - 2 * inset, g.row_h - 2 * inset};
        /* Each cell is its state's colour underneath. */
        const kit_theme *t = kit_theme_get();
        Uint32 bg[3] = {rgb(t->free_bg), rgb(t->booked_bg), rgb(t->closed_bg)};
        for (int i = 0; i < 3; i++)
            assert_true(count_colour(s, cell[i], bg[i], NULL) >
                        (size_t)(cell[i].w * cell[i].h / 3));
        /* In greyscale: dark strokes (mark and word) differ cell to cell. */
        size_t dark[3];
        for (int i = 0; i < 3; i++) {
            dark[i] = count_dark(s, cell[i], 140);
            assert_true(dark[i] > 300); /* each has a mark and a word */
        }
        for (int i = 0; i < 3; i++) {
            int j = (i + 1) % 3;
            size_t differ = 0, mid = 0;
            for (int y = 0; y < cell[i].h; y++)
                for (int x = 0; x < cell[i].w; x++) {
                    int a = grey(pixel(s, cell[i].x + x, cell[i].y + y));
                    int b = grey(pixel(s, cell[j].x + x, cell[j].y + y));
                    differ += abs(a - b) > 60;
                    mid += (a < 140) != (b < 140);
                }
            print_message("%s: cells %d/%d: %zu grey pixels differ, %zu glyph pixels\n",
                          model_lang_code((model_lang)lang), i, j, differ, mid);
            assert_true(differ > 400);
            assert_true(mid > 400);
        }
        /* The closed cell is hatched: its mean grey is darker than the others. */
        long sum[3] = {0};
        for (int i = 0; i < 3; i++)
            for (int y = 0; y < cell[i].h; y++)
                for (int x = 0; x < cell[i].w; x++)
                    sum[i] += grey(pixel(s, cell[i].x + x, cell[i].y + y));
        assert_true(sum[2] / (cell[2].w * cell[2].h) < sum[0] / (cell[0].w * cell[0].h) - 3);
        SDL_FreeSurface(s);
        screen_rig_close(&r);
    }
    feeds_vacancy_destroy(v);
}

/* ---- pages ---- */

/* 20 open counters: more than a page; pages turn every BOARDS_PAGE_MS and
 * by a swipe, and the swipe lands on the same page the timer does. */
static void test_paginate(void **state)
{
    struct fixture *f = *state;
    char *text = malloc(64 * 1024);
    assert_non_null(text);
    int k = snprintf(text, 64 * 1024,
                     "{\"format\": 1, \"updated\": \"2026-11-24T10:03:00+09:00\", "
                     "\"counters\": [");
    for (int i = 0; i < 20; i++)
        k += snprintf(text + k, (size_t)(64 * 1024 - k),
                      "%s{\"id\": \"c%d\", \"name\": \"%d番窓口\", \"serving\": %d, "
                      "\"waiting\": %d, \"wait_minutes\": %d, \"open\": true}",
                      i ? "," : "", i, i + 1, 100 + i, i, i * 5);
    snprintf(text + k, (size_t)(64 * 1024 - k), "]}");
    feeds_queue *many = parse_queue(text);
    /* How the first page looks, with its page dots. */
    screen_rig look;
    boards_open(&look, f, MODEL_LANG_JA, 1920, 1080, true);
    screen_feeds feeds = look.feeds;
    feeds.queue = many;
    screen_rig_close(&look);
    assert_int_equal(shot_and_compare(f, &queue_screen_ops, "queue-many-ja-1920x1080.png",
                                      MODEL_LANG_JA, 1920, 1080, &feeds),
                     0);
    for (int z = 0; z < 2; z++) {
        int w = z ? 1080 : 1920, h = z ? 1920 : 1080;
        screen_rig r;
        boards_open(&r, f, MODEL_LANG_JA, w, h, true);
        r.feeds.queue = many;
        /* The board alone, to read its pages. */
        boards_queue *b = boards_queue_create(false);
        assert_non_null(b);
        SDL_Rect content = kit_chrome_content(&r.ctx);
        boards_queue_update(b, &r.ctx);
        boards_queue_draw(b, &r.ctx, NULL, content);
        int pages;
        assert_int_equal(boards_queue_page(b, &pages), 0);
        print_message("%dx%d: 20 counters on %d pages\n", w, h, pages);
        assert_true(pages >= 2 && pages <= 5);
        ui_frame_take_dirty(&r.frame);
        ui_frame_begin_turn(&r.frame);
        boards_queue_update(b, &r.ctx);
        int wait = ui_frame_timeout_ms(&r.frame);
        assert_true(wait > BOARDS_PAGE_MS - 1000 && wait <= BOARDS_PAGE_MS);
        r.ctx.now_ms += BOARDS_PAGE_MS;
        boards_queue_update(b, &r.ctx);
        assert_int_equal(boards_queue_page(b, NULL), 1);
        boards_queue_turn(b, &r.ctx, -1);
        assert_int_equal(boards_queue_page(b, NULL), 0);
        boards_queue_turn(b, &r.ctx, -1);
        assert_int_equal(boards_queue_page(b, NULL), pages - 1);
        boards_queue_destroy(b);

        /* The screen: page 2 by time, then page 2 by a swipe from page 1. */
        screen_rig_show(&r, &queue_screen_ops);
        screen_rig_turn(&r, true);
        SDL_Surface *first = screen_rig_grab(&r);
        r.ctx.now_ms += BOARDS_PAGE_MS;
        assert_true(screen_rig_turn(&r, false));
        SDL_Surface *second = screen_rig_grab(&r);
        golden_result gr;
        assert_int_equal(golden_compare(first, second, &gr, NULL), 0);
        assert_false(gr.match);
        screen_rig_show(&r, &queue_screen_ops); /* a fresh screen: page 1 */
        screen_rig_turn(&r, true);
        int y = content.y + content.h / 2;
        screen_rig_finger(&r, SDL_FINGERDOWN, w * 3 / 4, y);
        r.ctx.now_ms += 50;
        screen_rig_finger(&r, SDL_FINGERMOTION, w / 2, y + 10);
        r.ctx.now_ms += 50;
        screen_rig_finger(&r, SDL_FINGERUP, w / 5, y + 20);
        assert_true(screen_rig_turn(&r, false));
        SDL_Surface *swiped = screen_rig_grab(&r);
        assert_int_equal(golden_compare(swiped, second, &gr, NULL), 0);
        assert_true(gr.match);
        SDL_FreeSurface(first);
        SDL_FreeSurface(second);
        SDL_FreeSurface(swiped);
        screen_rig_close(&r);
    }
    feeds_queue_destroy(many);
    free(text);
}

/* ---- never blank ---- */

/* No data yet (not configured, on its way, failing), no counters, a day the
 * feed does not cover: each says so in words in the content area. */
static void test_empty_feeds(void **state)
{
    struct fixture *f = *state;
    feeds_queue *none = parse_queue("{\"format\": 1, \"updated\": "
                                    "\"2026-11-24T10:03:00+09:00\", \"counters\": []}");
    feeds_vacancy *today_only = parse_vacancy(THREE_STATES);
    enum { UNCONFIGURED, LOADING, FAILING, EMPTY, N_CASES };
    size_t dark_seen[2][N_CASES];
    for (int s = 0; s < 2; s++) {
        for (int c = 0; c < N_CASES; c++) {
            screen_rig r;
            boards_open(&r, f, MODEL_LANG_JA, 1920, 1080, true);
            r.feeds.queue = c == EMPTY ? none : NULL;
            r.feeds.vacancy = c == EMPTY ? today_only : NULL;
            r.session.vacancy_day = 1; /* the feed has only today */
            hub_feed_status st = {.configured = c != UNCONFIGURED, .failing = c == FAILING};
            r.feeds.queue_status = r.feeds.vacancy_status = st;
            screen_rig_show(&r, s ? &vacancy_screen_ops : &queue_screen_ops);
            screen_rig_turn(&r, true);
            SDL_Surface *img = screen_rig_grab(&r);
            SDL_Rect content = kit_chrome_content(&r.ctx);
            dark_seen[s][c] = count_dark(img, content, 100);
            print_message("%s case %d: %zu dark pixels\n", s ? "vacancy" : "queue", c,
                          dark_seen[s][c]);
            assert_true(dark_seen[s][c] > 2000);
            if (s == 1 && c == EMPTY) {
                /* Tabs, stamp and legend, but no cells: the message instead. */
                SDL_Rect below = {content.x, content.y + content.h / 3, content.w * 2 / 3,
                                  content.h * 2 / 3};
                assert_int_equal(count_colour(img, below, rgb(kit_theme_get()->free_bg), NULL), 0);
                assert_true(count_dark(img, below, 100) > 1000);
            }
            SDL_FreeSurface(img);
            screen_rig_close(&r);
        }
        /* Each case its own words. */
        assert_true(dark_seen[s][UNCONFIGURED] != dark_seen[s][LOADING]);
        assert_true(dark_seen[s][FAILING] != dark_seen[s][LOADING]);
    }
    feeds_queue_destroy(none);
    feeds_vacancy_destroy(today_only);
}

/* ---- the vacancy board's touch ---- */

/* A tap on the third tab shows 11/26; a row chosen shows its own QR code. */
static void test_vacancy_touch(void **state)
{
    struct fixture *f = *state;
    screen_rig r;
    boards_open(&r, f, MODEL_LANG_JA, 1920, 1080, true);
    screen_rig_show(&r, &vacancy_screen_ops);
    screen_rig_turn(&r, true);
    SDL_Surface *today = screen_rig_grab(&r);
    kit_metrics m = kit_metrics_get(&r.ctx);
    SDL_Rect content = kit_chrome_content(&r.ctx);
    int inner_w = content.w - 2 * m.gap, tab_gap = m.gap / 3;
    int tab_w = (inner_w - 7 * tab_gap) / 8;
    screen_rig_tap(&r, content.x + m.gap + 2 * (tab_w + tab_gap) + tab_w / 2,
                   content.y + m.gap / 2 + m.target / 3);
    assert_int_equal(r.session.vacancy_day, 2);
    assert_true(screen_rig_turn(&r, false));
    SDL_Surface *thursday = screen_rig_grab(&r);
    golden_result gr;
    golden_compare(today, thursday, &gr, NULL);
    assert_false(gr.match);

    /* The board alone: the default is the first room with a URL; a row
     * chosen replaces it, and the code drawn changes with it. */
    boards_vacancy *b = boards_vacancy_create(false);
    assert_non_null(b);
    assert_int_equal(boards_vacancy_selected(b, &r.ctx), 0);
    ui_draw_clear(r.ctx.renderer, kit_theme_get()->paper);
    boards_vacancy_draw(b, &r.ctx, NULL, content);
    SDL_Surface *gym = screen_rig_grab(&r);
    assert_true(boards_vacancy_handle(b, &r.ctx, BOARDS_ID_ROW + 2));
    assert_int_equal(boards_vacancy_selected(b, &r.ctx), 2);
    assert_false(boards_vacancy_handle(b, &r.ctx, BOARDS_ID_ROW + 99));
    ui_draw_clear(r.ctx.renderer, kit_theme_get()->paper);
    boards_vacancy_draw(b, &r.ctx, NULL, content);
    SDL_Surface *washitsu = screen_rig_grab(&r);
    /* The QR panel is at the right: its black modules moved. */
    SDL_Rect right = {content.x + content.w * 3 / 4, content.y, content.w / 4, content.h};
    size_t differ = 0;
    for (int y = right.y; y < right.y + right.h; y++)
        for (int x = right.x; x < right.x + right.w; x++)
            differ += (pixel(gym, x, y) == 0) != (pixel(washitsu, x, y) == 0);
    assert_true(differ > 5000);
    /* A room without a URL (第2会議室) says so instead of a code. */
    assert_true(boards_vacancy_handle(b, &r.ctx, BOARDS_ID_ROW + 3));
    ui_draw_clear(r.ctx.renderer, kit_theme_get()->paper);
    boards_vacancy_draw(b, &r.ctx, NULL, content);
    SDL_Surface *no_url = screen_rig_grab(&r);
    assert_int_equal(count_colour(no_url, right, 0x000000, NULL), 0);
    boards_vacancy_destroy(b);
    SDL_FreeSurface(today);
    SDL_FreeSurface(thursday);
    SDL_FreeSurface(gym);
    SDL_FreeSurface(washitsu);
    SDL_FreeSurface(no_url);
    screen_rig_close(&r);
}

/* In the signage loop, rooms that do not fit turn as pages, and the QR
 * code follows the page (a room with a URL on the page showing). */
static void test_vacancy_pages(void **state)
{
    struct fixture *f = *state;
    char *text = malloc(64 * 1024);
    assert_non_null(text);
    int k = snprintf(text, 64 * 1024,
                     "{\"format\": 1, \"updated\": \"2026-11-24T10:00:00+09:00\", "
                     "\"facilities\": [");
    for (int i = 0; i < 14; i++)
        k += snprintf(text + k, (size_t)(64 * 1024 - k),
                      "%s{\"id\": \"room%d\", \"name\": \"%d号室\", "
                      "\"reserve_url\": \"https://yoyaku.example/room%d\", \"days\": "
                      "[{\"date\": \"2026-11-24\", \"slots\": ["
                      "{\"start\": \"09:00\", \"end\": \"12:00\", \"state\": \"%s\"}]}]}",
                      i ? "," : "", i, i + 1, i, i % 2 ? "free" : "booked");
    snprintf(text + k, (size_t)(64 * 1024 - k), "]}");
    feeds_vacancy *many = parse_vacancy(text);
    screen_rig r;
    boards_open(&r, f, MODEL_LANG_JA, 1920, 1080, false);
    r.feeds.vacancy = many;
    boards_vacancy *b = boards_vacancy_create(true);
    assert_non_null(b);
    SDL_Rect area = {0, 100, 1920, 900};
    boards_vacancy_update(b, &r.ctx);
    boards_vacancy_draw(b, &r.ctx, NULL, area);
    SDL_Surface *one = screen_rig_grab(&r);
    int pages;
    assert_int_equal(boards_vacancy_page(b, &pages), 0);
    print_message("14 rooms on %d pages\n", pages);
    assert_true(pages >= 2);
    r.ctx.now_ms += BOARDS_PAGE_MS;
    boards_vacancy_update(b, &r.ctx);
    assert_int_equal(boards_vacancy_page(b, NULL), 1);
    ui_draw_clear(r.ctx.renderer, kit_theme_get()->paper);
    boards_vacancy_draw(b, &r.ctx, NULL, area);
    SDL_Surface *two = screen_rig_grab(&r);
    /* Another page: other rooms, and another code. */
    golden_result gr;
    golden_compare(one, two, &gr, NULL);
    assert_false(gr.match);
    SDL_Rect right = {1920 * 3 / 4, area.y, 1920 / 4, area.h};
    size_t moved = 0;
    for (int y = right.y; y < right.y + right.h; y++)
        for (int x = right.x; x < right.x + right.w; x++)
            moved += (pixel(one, x, y) == 0) != (pixel(two, x, y) == 0);
    assert_true(moved > 2000);
    SDL_FreeSurface(one);
    SDL_FreeSurface(two);
    boards_vacancy_destroy(b);
    screen_rig_close(&r);
    feeds_vacancy_destroy(many);
    free(text);
}

/* ---- the text helpers (boards_glue: tests/unit/test_glue.c) ---- */

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0)
            return false;
        for (int i = 1; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n + 1;
    }
    return true;
}

/* Catalog texts get their values without printf: a missing value is empty,
 * an extra one dropped, and a small buffer never ends in half a character. */
static void test_catalog_values(void **state)
{
    struct fixture *f = *state;
    screen_rig r;
    boards_open(&r, f, MODEL_LANG_JA, 640, 480, true);
    char buf[BOARDS_TEXT_MAX];
    const char *eight[] = {"8", "extra"};
    assert_int_equal(boards_str(&r.ctx, "queue.waiting", eight, 1, buf, sizeof buf), MODEL_LANG_JA);
    assert_string_equal(buf, "待ち 8人");
    boards_str(&r.ctx, "queue.waiting", eight, 2, buf, sizeof buf);
    assert_string_equal(buf, "待ち 8人");
    boards_str(&r.ctx, "queue.waiting", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "待ち 人");
    for (size_t cap = 1; cap < 16; cap++) {
        char small[16];
        boards_str(&r.ctx, "queue.closed", NULL, 0, small, cap);
        assert_true(strlen(small) < cap && valid_utf8(small));
    }
    r.session.lang = MODEL_LANG_KO;
    assert_int_equal(boards_str(&r.ctx, "queue.waiting", eight, 1, buf, sizeof buf), MODEL_LANG_KO);
    assert_string_equal(buf, "대기 8명");
    /* A key no catalog has comes back as itself, never blank. */
    boards_str(&r.ctx, "queue.no_such_key", NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "queue.no_such_key");
    screen_rig_close(&r);
}

/* ---- boards in the signage loop ---- */

static void signage_board_shot(void **state, const char *item_id, const char *name, int w, int h,
                               bool with_feeds, SDL_Surface **out)
{
    struct fixture *f = *state;
    screen_rig r;
    boards_open(&r, f, MODEL_LANG_JA, w, h, false);
    if (!with_feeds) {
        r.feeds.queue = NULL;
        r.feeds.vacancy = NULL;
    }
    signage *s = signage_screen_ops.enter(&r.ctx);
    assert_non_null(s);
    signage_set_still(s, true);
    const model_item *it = model_pack_find_item(f->pack, item_id);
    assert_non_null(it);
    assert_int_equal(signage_force_item(s, &r.ctx, it), 0);
    assert_int_equal(signage_settle(s, &r.ctx, 1000, NULL, 0), 0);
    assert_ptr_equal(signage_current(s), it);
    signage_screen_ops.update(s, &r.ctx);
    signage_screen_ops.draw(s, &r.ctx);
    text_atlas_end_frame(r.atlas);
    if (name)
        assert_int_equal(screen_rig_golden(&r, name), 0);
    if (out)
        *out = screen_rig_grab(&r);
    signage_screen_ops.leave(s, &r.ctx);
    screen_rig_close(&r);
}

/* A board item plays at once (nothing to load) and draws its board in the
 * loop's main area: the numbers when there are some, the message when not. */
static void test_signage_board(void **state)
{
    SDL_Surface *with = NULL, *without = NULL;
    signage_board_shot(state, "queue-board", "signage-queue-ja-1920x1080.png", 1920, 1080, true,
                       &with);
    signage_board_shot(state, "queue-board", NULL, 1920, 1080, false, &without);
    golden_result gr;
    golden_compare(with, without, &gr, NULL);
    assert_false(gr.match);
    /* The big numbers: more ink with data than with the message. */
    SDL_Rect main_area = {0, with->h / 8, with->w, with->h * 7 / 8}; /* below the band */
    size_t ink_with = count_dark(with, main_area, 80);
    size_t ink_without = count_dark(without, main_area, 80);
    print_message("signage queue board: %zu dark pixels with data, %zu without\n", ink_with,
                  ink_without);
    assert_true(ink_with > ink_without * 3 / 2);
    SDL_FreeSurface(with);
    SDL_FreeSurface(without);
    signage_board_shot(state, "vacancy-board", "signage-vacancy-ja-1920x1080.png", 1920, 1080, true,
                       NULL);
    signage_board_shot(state, "vacancy-board", "signage-vacancy-ja-1080x1920.png", 1080, 1920, true,
                       NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_goldens),        cmocka_unit_test(test_stale_badge),
        cmocka_unit_test(test_highlight),      cmocka_unit_test(test_closed_words),
        cmocka_unit_test(test_colour_blind),   cmocka_unit_test(test_paginate),
        cmocka_unit_test(test_empty_feeds),    cmocka_unit_test(test_vacancy_touch),
        cmocka_unit_test(test_signage_board),  cmocka_unit_test(test_vacancy_pages),
        cmocka_unit_test(test_catalog_values),
    };
    return cmocka_run_group_tests(tests, group_setup, rig_group_teardown);
}
