/* test_signage_loop: what the signage loop does over time, with a frozen
 * clock moved step by step: the play order at given instants, items
 * advancing at their duration and the schedule read again at each boundary,
 * clips that end, clips and pictures that fail (skipped and logged, never a
 * blank screen), proof of play in a real SQLite store, and a pack replaced
 * while the loop runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/model.h"
#include "app/core/pack_json.h"
#include "app/core/store.h"
#include "app/screens/screen.h"
#include "app/screens/signage.h"
#include "tests/screens/golden.h"
#include "tests/screens/signage_rig.h"
#include "ui/video.h"
#include "ui/window.h"

#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

/* ---- the loop ---- */

/* Priority first, then playlist order, only what the schedule says is on. */
static void test_order(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *at;
        const char *want; /* ids in play order */
    } cases[] = {
        {"2026-11-24T10:00:00+09:00", "hours notice poster clip"},
        {"2026-11-24T18:30:00+09:00", "evening hours notice poster clip"},
        {"2026-11-28T10:00:00+09:00", "hours notice poster weekend clip"}, /* Saturday */
        {"2026-11-28T20:59:00+09:00", "evening hours notice poster weekend clip"},
        {"2026-11-24T21:00:00+09:00", "hours notice poster clip"}, /* evening ends at 21:00 */
        {"2026-11-24T07:59:00+09:00", ""},                         /* before the playlist */
        {"2026-11-24T23:00:00+09:00", ""},
    };
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    struct rig r;
    rig_open(&r, f, 320, 240, pack, TUE_10, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rig_set_clock(&r, cases[i].at);
        const model_item *items[16];
        size_t n = signage_items(r.s, &r.ctx, items, 16);
        char got[256] = "";
        for (size_t k = 0; k < n && k < 16; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "",
                     items[k]->id);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("at %s: \"%s\", want \"%s\"", cases[i].at, got, cases[i].want);
    }
    rig_close(&r);
    model_pack_destroy(pack);
}

/* Each item for its duration, then the next; the loop starts over; the
 * schedule is read again at each boundary (evening comes in at 17:00). */
static void test_advance(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *at;
        const char *want;
    } steps[] = {
        {"2026-11-24T10:00:00+09:00", "hours"},
        {"2026-11-24T10:00:05+09:00", "hours"},
        {"2026-11-24T10:00:06+09:00", "notice"},
        {"2026-11-24T10:00:15+09:00", "notice"},
        {"2026-11-24T10:00:16+09:00", "poster"},
        /* no video player here: the clip is skipped, the loop starts over */
        {"2026-11-24T10:00:24+09:00", "hours"},
        {"2026-11-24T10:00:30+09:00", "notice"},
        {"2026-11-24T16:59:59+09:00", "poster"},
        /* 17:00: the evening card is on now, and first */
        {"2026-11-24T17:00:10+09:00", "evening"},
        {"2026-11-24T17:00:16+09:00", "hours"},
    };
    model_pack *pack = rig_parse(f->basic, PACK_JSON_SOURCE);
    struct rig r;
    rig_open(&r, f, 640, 360, pack, steps[0].at, 0);
    signage_set_still(r.s, true);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        rig_set_clock(&r, steps[i].at);
        if (!rig_run_until(&r, steps[i].want, 3000))
            fail_msg("at %s: showing %s, want %s", steps[i].at, rig_current_id(&r), steps[i].want);
        rig_run(&r, 30); /* and it stays */
        if (strcmp(rig_current_id(&r), steps[i].want) != 0)
            fail_msg("at %s: moved on to %s", steps[i].at, rig_current_id(&r));
    }
    rig_close(&r);
    model_pack_destroy(pack);
}

/* The clip plays, and when it ends the loop moves on (well before its
 * 20 s duration: the frozen clock does not move at all). */
static void test_video_ends(void **state)
{
    struct fixture *f = *state;
    char *text =
        rig_two_item_pack("{\"id\": \"first\", \"type\": \"video\", \"file\": \"clip.mp4\","
                          " \"duration\": 20}");
    model_pack *pack = rig_parse(text, PACK_JSON_SOURCE);
    struct rig r;
    rig_open(&r, f, 640, 360, pack, TUE_10, 400);
    assert_true(rig_run_until(&r, "first", 2000));
    rig_run(&r, 150);
    assert_string_equal(rig_current_id(&r), "first");
    assert_true(ui_video_frames_shown(r.video) > 0);
    assert_true(rig_run_until(&r, "after", 3000));
    rig_close(&r);
    model_pack_destroy(pack);
    free(text);
}

/* What cannot be shown is skipped and logged, and the next item shows:
 * the screen is the next item's, not a blank one. */
static void check_skipped(struct fixture *f, const char *first, int video_ms, const char *logged)
{
    char *text = rig_two_item_pack(first);
    model_pack *pack = rig_parse(text, PACK_JSON_SOURCE);
    struct rig r;
    rig_log_rewind(f);
    rig_open(&r, f, 640, 360, pack, TUE_10, video_ms);
    signage_set_still(r.s, true);
    assert_true(rig_run_until(&r, "after", 2000));
    if (!rig_log_contains(f, logged))
        fail_msg("nothing logged about %s", logged);
    char shot[1024], want[1024];
    rig_out_path(shot, sizeof shot, "signage-skipped.png");
    rig_out_path(want, sizeof want, "signage-skipped-want.png");
    rig_shot(&r, shot);
    rig_force(&r, "after");
    rig_shot(&r, want);
    rig_close(&r);
    SDL_Surface *a = rig_load_rgb(shot), *b = rig_load_rgb(want);
    assert_true(rig_dark_in(a, (SDL_Rect){0, 60, 640, 200}) > 500);
    golden_result res;
    assert_int_equal(golden_compare(a, b, &res, NULL), 0);
    if (!res.match)
        fail_msg("after a skip: %zu pixels differ from the next item", res.differing);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    model_pack_destroy(pack);
    free(text);
}

static void test_video_missing(void **state)
{
    check_skipped(*state,
                  "{\"id\": \"first\", \"type\": \"video\", \"file\": \"gone.mp4\", "
                  "\"duration\": 20}",
                  400, "item first skipped");
}

static void test_image_broken(void **state)
{
    check_skipped(*state, "{\"id\": \"first\", \"type\": \"image\", \"file\": \"broken.png\"}", 0,
                  "item first skipped");
}

static void test_image_missing(void **state)
{
    check_skipped(*state, "{\"id\": \"first\", \"type\": \"image\", \"file\": \"nowhere.png\"}", 0,
                  "nowhere.png is missing");
}

/* A card whose picture fails still shows its text. */
static void test_card_picture_fails(void **state)
{
    struct fixture *f = *state;
    char *text = rig_two_item_pack("{\"id\": \"first\", \"type\": \"card\", \"title\": \"見出し\","
                                   " \"image\": \"broken.png\", \"duration\": 5}");
    model_pack *pack = rig_parse(text, PACK_JSON_SOURCE);
    struct rig r;
    rig_log_rewind(f);
    rig_open(&r, f, 640, 360, pack, TUE_10, 0);
    assert_true(rig_run_until(&r, "first", 2000));
    rig_run(&r, 50);
    assert_string_equal(rig_current_id(&r), "first");
    assert_true(rig_log_contains(f, "item first: picture left out"));
    rig_close(&r);
    model_pack_destroy(pack);
    free(text);
}

/* ---- proof of play ---- */

struct csv_row {
    char id[64];
    long long start, duration;
};

static size_t read_plays(store *st, struct csv_row *rows, size_t cap)
{
    assert_int_equal(store_flush_plays(st), 0);
    FILE *csv = tmpfile();
    assert_non_null(csv);
    assert_true(store_plays_export(st, csv, 0, INT64_MAX) >= 0);
    rewind(csv);
    char line[512];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, csv)); /* the header */
    while (n < cap && fgets(line, sizeof line, csv)) {
        /* started_at_ms,started_at_utc,channel,version,item_id,duration_ms */
        char utc[64], channel[64];
        long long version;
        if (sscanf(line, "%lld,%63[^,],%63[^,],%lld,%63[^,],%lld", &rows[n].start, utc, channel,
                   &version, rows[n].id, &rows[n].duration) != 6)
            fail_msg("bad CSV line: %s", line);
        assert_string_equal(channel, "chuo");
        assert_int_equal(version, 3);
        n++;
    }
    fclose(csv);
    return n;
}

/* Plays three items; with cover_notice, a full-screen alert covers the
 * screen while the second one shows, and proof of play leaves it out. */
static void proof_of_play_run(struct fixture *f, bool cover_notice)
{
    /* The fixture as a published manifest (the kiosk logs plays for those). */
    const char *end = strrchr(f->basic, '}');
    assert_non_null(end);
    char *text = malloc(f->basic_len + 1024);
    assert_non_null(text);
    static const char sha[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    int head = (int)(end - f->basic);
    snprintf(text, f->basic_len + 1024,
             "%.*s, \"channel\": \"chuo\", \"version\": 3,"
             " \"issued\": \"2026-11-20T10:00:00+09:00\", \"expires\": \"2026-12-24T10:00:00Z\","
             " \"objects\": {\"logo.png\": {\"sha256\": \"%s\", \"size\": 1},"
             " \"wide.png\": {\"sha256\": \"%s\", \"size\": 1},"
             " \"poster.png\": {\"sha256\": \"%s\", \"size\": 1},"
             " \"clip.mp4\": {\"sha256\": \"%s\", \"size\": 1}}}",
             head, f->basic, sha, sha, sha, sha);
    model_pack *pack = rig_parse(text, PACK_JSON_MANIFEST);
    char data[] = "/tmp/hiroba-plays-XXXXXX";
    assert_non_null(mkdtemp(data));
    store *st = store_open(data, NULL);
    assert_non_null(st);

    struct rig r;
    rig_open(&r, f, 640, 360, pack, "2026-11-24T10:00:00+09:00", 0);
    r.ctx.store = st;
    signage_set_still(r.s, true);
    static const struct {
        const char *at, *want;
    } steps[] = {
        {"2026-11-24T10:00:00+09:00", "hours"},
        {"2026-11-24T10:00:06.250+09:00", "notice"}, /* 250 ms late: the frame came late */
        {"2026-11-24T10:00:16.250+09:00", "poster"},
        {"2026-11-24T10:00:20+09:00", "poster"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        rig_set_clock(&r, steps[i].at);
        assert_true(rig_run_until(&r, steps[i].want, 3000));
        /* The router sets this while a takeover covers the screen. */
        r.ctx.alert_covering = cover_notice && strcmp(steps[i].want, "notice") == 0;
    }
    rig_close(&r); /* leaving ends the poster's play */

    struct csv_row rows[8];
    size_t n = read_plays(st, rows, 8);
    static const struct csv_row all[] = {
        {"hours", 1795482000000LL, 6250},
        {"notice", 1795482006250LL, 10000},
        {"poster", 1795482016250LL, 3750},
    };
    struct csv_row want[3];
    size_t n_want = 0;
    for (size_t i = 0; i < 3; i++)
        if (!(cover_notice && strcmp(all[i].id, "notice") == 0))
            want[n_want++] = all[i];
    assert_int_equal(n, n_want);
    for (size_t i = 0; i < n_want; i++) {
        assert_string_equal(rows[i].id, want[i].id);
        assert_int_equal(rows[i].start, want[i].start);
        assert_int_equal(rows[i].duration, want[i].duration);
    }
    store_close(st);
    char db[256];
    static const char *const files[] = {"hiroba.db", "hiroba.db-wal", "hiroba.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(db, sizeof db, "%s/%s", data, files[i]);
        unlink(db);
    }
    rmdir(data);
    model_pack_destroy(pack);
    free(text);
}

static void test_proof_of_play(void **state)
{
    proof_of_play_run(*state, false);
}

static void test_proof_of_play_under_alert(void **state)
{
    proof_of_play_run(*state, true);
}

/* A new pack replaces the old one while the loop runs: the screen lets go
 * of the old one at its next update (ASan checks that it is not read after
 * it is freed) and starts over with the new one. */
static void test_pack_replaced(void **state)
{
    struct fixture *f = *state;
    model_pack *a = rig_parse(f->basic, PACK_JSON_SOURCE);
    char *text = rig_two_item_pack("{\"id\": \"first\", \"type\": \"card\", \"title\": \"新しい\","
                                   " \"duration\": 5}");
    model_pack *b = rig_parse(text, PACK_JSON_SOURCE);
    struct rig r;
    rig_open(&r, f, 640, 360, a, TUE_10, 0);
    assert_true(rig_run_until(&r, "hours", 2000));
    r.ctx.pack = b;
    rig_turn(&r);
    model_pack_destroy(a);
    assert_true(rig_run_until(&r, "first", 2000));
    rig_close(&r);
    model_pack_destroy(b);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_advance),
        cmocka_unit_test(test_video_ends),
        cmocka_unit_test(test_video_missing),
        cmocka_unit_test(test_image_broken),
        cmocka_unit_test(test_image_missing),
        cmocka_unit_test(test_card_picture_fails),
        cmocka_unit_test(test_proof_of_play),
        cmocka_unit_test(test_proof_of_play_under_alert),
        cmocka_unit_test(test_pack_replaced),
    };
    return cmocka_run_group_tests(tests, rig_group_setup, rig_group_teardown);
}
