/* test_alert_screen: emergency alerts on screen (app/screens/alert.h) through
 * the router, from real signed documents: the fixtures in
 * tests/fixtures/alerts are signed with a key made by trust_keygen, accepted
 * by the real alert state (SQLite in a temporary folder, a monotonic clock
 * the test drives) and shown from its snapshot. Goldens of the takeover in
 * five languages and both orientations, a severe alert with two live, a
 * drill, a banner over the home menu and the view it opens; behaviour: the
 * takeover replaces the screen's picture and takes its events, interrupts a
 * touch session, holds the video (paused and muted) and lets it go after,
 * ends at its expiry with a wake-up and no busy redraw, is the very first
 * frame when it is active at start, logs once per alert, turns pages on
 * touch and on a timer on a plain display; the palettes' contrast. */
#define _GNU_SOURCE /* nftw, mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>

#include "app/core/alert.h"
#include "app/core/alerts.h"
#include "app/core/clock.h"
#include "app/core/pack_json.h"
#include "app/core/store.h"
#include "app/core/trust.h"
#include "app/screens/alert.h"
#include "app/screens/kit.h"
#include "app/screens/screen.h"
#include "tests/screens/screen_rig.h"
#include "ui/draw.h"
#include "ui/video.h"

#define CHANNEL "chuo"
#define MONO0   5000 /* the host's monotonic clock when the state loads */

#define EVACUATION "tests/fixtures/alerts/native-evacuation.json"
#define TSUNAMI    "tests/fixtures/alerts/ja-en-two-info.cap"
#define DRILL      "tests/fixtures/alerts/ja-drill.cap"

/* A heavy-rain advisory: Moderate, so a banner, not a takeover. */
static const char ADVISORY[] =
    "{\"format\": 1, \"id\": \"kobe-2026-0100\", \"sender\": \"bousai@city.kobe.example.jp\","
    " \"sent\": \"2026-11-24T10:00:00+09:00\", \"status\": \"Actual\", \"msgType\": \"Alert\","
    " \"event\": {\"ja\": \"大雨注意報\", \"en\": \"Heavy rain advisory\"},"
    " \"severity\": \"Moderate\", \"urgency\": \"Expected\","
    " \"expires\": \"2026-11-24T18:00:00+09:00\","
    " \"title\": {\"ja\": \"大雨注意報 がけの近くに近づかないでください\","
    " \"en\": \"Heavy rain advisory: keep away from slopes\"},"
    " \"body\": {\"ja\": \"夕方にかけて雨が強まる見込みです。\"},"
    " \"instruction\": {\"ja\": \"川や崖に近づかないでください。\","
    " \"en\": \"Stay away from rivers and slopes.\"},"
    " \"area\": {\"ja\": \"神戸市全域\", \"en\": \"All of Kobe\"}}";

/* A full-screen alert with more than a screen can hold: the description is
 * cut, the instruction never. */
#define LONG_ALERT                                                                                                                               \
    "{\"format\": 1, \"id\": \"kobe-2026-0200\", \"sender\": \"bousai@city.kobe.example.jp\","                                                   \
    " \"sent\": \"2026-11-24T10:00:00+09:00\", \"status\": \"Actual\", \"msgType\": \"Alert\","                                                  \
    " \"event\": {\"ja\": \"緊急安全確保\"}, \"severity\": \"Extreme\", \"urgency\": "                                                     \
    "\"Immediate\","                                                                                                                             \
    " \"expires\": \"2026-11-24T22:00:00+09:00\","                                                                                               \
    " \"title\": {\"ja\": \"【警戒レベル5】緊急安全確保 中央区・兵庫区・長田区・須磨区の全域\"},"                 \
    " \"body\": {\"ja\": \"%s\"},"                                                                                                               \
    " \"instruction\": {\"ja\": \"命の危険があります。直ちに身の安全を確保してください。"                             \
    "避難所へ向かうことがかえって危険な場合は、建物の上の階や崖から離れた部屋へ移動してください。" \
    "\"},"                                                                                                                                       \
    " \"area\": {\"ja\": \"神戸市中央区、兵庫区、長田区、須磨区\"},"                                                           \
    " \"shelters\": [%s],"                                                                                                                       \
    " \"url\": \"https://www.city.kobe.example.jp/bousai/\"}"

/* ---- the fixture: signage_rig's (fonts, catalogs, feeds), the centre's pack, a key ---- */

struct alert_fixture {
    struct fixture base;
    char dir[64];
    trust_keyring *keys;
    trust_secret_key *key;
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int group_setup(void **state)
{
    static struct alert_fixture f;
    if (rig_fixture_init(&f.base) != 0)
        return -1;
    f.base.pack = rig_parse(screen_rig_centre_pack, PACK_JSON_SOURCE);
    /* The city's key: the kiosk trusts its public half. */
    snprintf(f.dir, sizeof f.dir, "/tmp/hiroba-alertui-XXXXXX");
    if (!mkdtemp(f.dir))
        return -1;
    char path[PATH_MAX], err[TRUST_MESSAGE_MAX];
    snprintf(path, sizeof path, "%s/city", f.dir);
    if (trust_keygen(path, NULL, NULL, err, sizeof err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/city.key", f.dir);
    f.key = trust_secret_key_load(path, NULL, err, sizeof err);
    f.keys = trust_keyring_create();
    snprintf(path, sizeof path, "%s/city.pub", f.dir);
    if (!f.key || !f.keys || trust_keyring_add_file(f.keys, path, err, sizeof err) != 0)
        return -1;
    *state = &f;
    return 0;
}

static int group_teardown(void **state)
{
    struct alert_fixture *f = *state;
    trust_keyring_destroy(f->keys);
    trust_secret_key_destroy(f->key);
    nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    rig_fixture_fini(&f->base);
    return 0;
}

/* ---- the alert state, as on a kiosk ---- */

struct host {
    int64_t mono;
};

static int64_t host_mono(void *u)
{
    return ((struct host *)u)->mono;
}

static bool host_synced(void *u)
{
    (void)u;
    return true;
}

static void host_boot(void *u, char *out, size_t size)
{
    (void)u;
    snprintf(out, size, "boot-1");
}

typedef struct arig {
    char dir[PATH_MAX];
    clock_source *clk;
    store *st;
    struct host host;
    alerts_host fns;
    alerts *al;
    alerts_snapshot *snap;
} arig;

static void arig_open(arig *a, struct alert_fixture *f, const char *now_iso)
{
    memset(a, 0, sizeof *a);
    snprintf(a->dir, sizeof a->dir, "%s/state-XXXXXX", f->dir);
    assert_non_null(mkdtemp(a->dir));
    a->clk = clock_create(now_iso);
    assert_non_null(a->clk);
    a->st = store_open(a->dir, a->clk);
    assert_non_null(a->st);
    a->host.mono = MONO0;
    a->fns = (alerts_host){host_mono, host_synced, host_boot, &a->host};
    alerts_config cfg = {
        .store = a->st,
        .keys = f->keys,
        .clock = a->clk,
        .channel = CHANNEL,
        .policy = {.allow_drills = true, .language = "ja"},
        .host = &a->fns,
    };
    a->al = alerts_load(&cfg);
    assert_non_null(a->al);
}

/* Signs doc as the city does (hiroba-pack alert publish / sign-cap) and
 * offers it; the state must show it. */
static void arig_offer_text(arig *a, struct alert_fixture *f, const char *doc, size_t len)
{
    alert *parsed = NULL;
    char err[ALERT_REASON_MAX];
    assert_int_equal(alert_parse(doc, len, &parsed, err, sizeof err), 0);
    bool native = parsed->source == ALERT_SOURCE_NATIVE;
    char comment[600];
    if (native)
        snprintf(comment, sizeof comment, ALERTS_COMMENT_NATIVE, CHANNEL, parsed->identifier);
    else
        snprintf(comment, sizeof comment, ALERTS_COMMENT_CAP, parsed->identifier);
    alert_destroy(parsed);
    char terr[TRUST_MESSAGE_MAX];
    char *sig = NULL;
    trust_sign_options o = {.trusted_comment = comment};
    assert_int_equal(trust_sign(f->key, doc, len, &o, &sig, terr, sizeof terr), 0);
    alerts_result res;
    int rc = alerts_accept(a->al, doc, len, sig, strlen(sig),
                           native ? ALERTS_SOURCE_NATIVE : ALERTS_SOURCE_CAP, &res);
    free(sig);
    if (rc != 0 || res.outcome != ALERTS_SHOWN)
        fail_msg("alert not accepted: %s", res.reason);
}

static void arig_offer(arig *a, struct alert_fixture *f, const char *rel)
{
    size_t len;
    char *doc = rig_read_source(rel, &len);
    assert_non_null(doc);
    arig_offer_text(a, f, doc, len);
    free(doc);
}

/* The newest snapshot (the old one released), as main hands it to the ctx. */
static const alerts_snapshot *arig_snap(arig *a)
{
    alerts_snapshot_unref(a->snap);
    a->snap = alerts_current(a->al);
    assert_non_null(a->snap);
    return a->snap;
}

static void arig_close(arig *a)
{
    alerts_snapshot_unref(a->snap);
    alerts_unload(a->al);
    store_close(a->st);
    clock_destroy(a->clk);
}

/* ---- a headless kiosk ---- */

/* The centre's home menu at 10:05 with the example feeds of 10:00, the
 * host's monotonic clock at MONO0, snap on the ctx. */
static void alert_open(screen_rig *r, struct alert_fixture *f, model_lang lang, int w, int h,
                       const alerts_snapshot *snap)
{
    screen_rig_open(r, &f->base, w, h, lang, f->base.pack, "2026-11-24T10:05:00+09:00");
    r->session.last_input_ms = MONO0;
    r->ctx.now_ms = MONO0;
    r->ctx.alerts = snap;
    int64_t at = screen_rig_ms_at(TUE_10);
    screen_rig_example_feeds(r, at, at);
}

static SDL_Color pixel(screen_rig *r, int x, int y)
{
    Uint32 px = 0;
    SDL_Rect one = {x, y, 1, 1};
    assert_int_equal(SDL_RenderReadPixels(r->ctx.renderer, &one, SDL_PIXELFORMAT_ARGB8888, &px, 4),
                     0);
    return (SDL_Color){(Uint8)(px >> 16), (Uint8)(px >> 8), (Uint8)px, 0xFF};
}

static bool same_rgb(SDL_Color a, uint32_t hex)
{
    SDL_Color b = ui_color_hex(hex);
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* Lines logged since mark that contain needle. */
static int logged_since(struct alert_fixture *f, long mark, const char *needle)
{
    fflush(f->base.log);
    long end = ftell(f->base.log);
    fseek(f->base.log, mark, SEEK_SET);
    char line[2048];
    int n = 0;
    while (ftell(f->base.log) < end && fgets(line, sizeof line, f->base.log))
        if (strstr(line, needle))
            n++;
    fseek(f->base.log, end, SEEK_SET);
    return n;
}

static long log_mark(struct alert_fixture *f)
{
    fflush(f->base.log);
    fseek(f->base.log, 0, SEEK_END);
    return ftell(f->base.log);
}

/* ---- a screen that counts what the router asks of it ---- */

static struct counts {
    int enters, events, updates, draws;
    bool play_in_update; /* asks the player to play every turn */
} counts;

static void *count_enter(screen_ctx *ctx)
{
    counts.enters++;
    if (ctx->video) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", rig_source_dir(), EVACUATION);
        ui_video_set_muted(ctx->video, false);
        if (ui_video_open(ctx->video, path) != 0 || ui_video_play(ctx->video) != 0)
            return NULL;
    }
    return &counts;
}

static bool count_event(void *self, screen_ctx *ctx, const SDL_Event *ev)
{
    (void)self, (void)ctx, (void)ev;
    counts.events++;
    return true;
}

static void count_update(void *self, screen_ctx *ctx)
{
    (void)self;
    counts.updates++;
    if (ctx->video) {
        ui_video_update(ctx->video);
        if (counts.play_in_update)
            ui_video_play(ctx->video);
    }
}

static void count_draw(void *self, screen_ctx *ctx)
{
    (void)self;
    counts.draws++;
    ui_draw_clear(ctx->renderer, ui_color_hex(0x00FF00));
}

static void count_leave(void *self, screen_ctx *ctx)
{
    (void)self;
    if (ctx->video)
        ui_video_stop(ctx->video);
}

static const screen_ops count_ops = {.name = "count-test",
                                     .enter = count_enter,
                                     .event = count_event,
                                     .update = count_update,
                                     .draw = count_draw,
                                     .leave = count_leave};

/* ---- goldens ---- */

static void shoot(screen_rig *r, const char *name)
{
    assert_int_equal(screen_rig_golden(r, name), 0);
}

/* The evacuation order over the home menu: the menu never shows. */
static void check_takeover(void **state, model_lang lang, int w, int h)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T10:05:00+09:00");
    arig_offer(&a, f, EVACUATION);
    screen_rig r;
    alert_open(&r, f, lang, w, h, arig_snap(&a));
    assert_int_equal(screen_router_switch(r.router, &home_screen_ops), 0);
    screen_rig_draw(&r);
    /* The page is the Extreme palette's deep red, edge to edge. */
    assert_true(same_rgb(pixel(&r, 2, h / 2), 0x9E0000));
    assert_true(same_rgb(pixel(&r, w - 3, 2), 0x9E0000));
    char name[96];
    snprintf(name, sizeof name, "alert-takeover-%s-%dx%d.png", model_lang_code(lang), w, h);
    shoot(&r, name);
    screen_rig_close(&r);
    arig_close(&a);
}

#define GOLDEN_PAIR(code, lang)                                                                    \
    static void test_takeover_##code##_landscape(void **state)                                     \
    {                                                                                              \
        check_takeover(state, lang, 1920, 1080);                                                   \
    }                                                                                              \
    static void test_takeover_##code##_portrait(void **state)                                      \
    {                                                                                              \
        check_takeover(state, lang, 1080, 1920);                                                   \
    }

GOLDEN_PAIR(ja, MODEL_LANG_JA)
GOLDEN_PAIR(en, MODEL_LANG_EN)
GOLDEN_PAIR(zh, MODEL_LANG_ZH)
GOLDEN_PAIR(ko, MODEL_LANG_KO)
GOLDEN_PAIR(ja_easy, MODEL_LANG_JA_EASY)

/* A severe tsunami warning and the evacuation order: the newer first, in
 * black on amber, "1 / 2" with next and previous; the English block. */
static void test_severe_two_alerts(void **state)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T12:05:00+09:00");
    arig_offer(&a, f, EVACUATION);
    arig_offer(&a, f, TSUNAMI);
    screen_rig r;
    alert_open(&r, f, MODEL_LANG_EN, 1920, 1080, arig_snap(&a));
    assert_int_equal(screen_router_switch(r.router, &home_screen_ops), 0);
    long mark = log_mark(f);
    screen_rig_draw(&r);
    assert_true(same_rgb(pixel(&r, 2, 540), 0xFFB300));
    shoot(&r, "alert-takeover-severe-en-1920x1080.png");
    assert_int_equal(logged_since(f, mark, "alert: showing takeover JP-KOBE-2026-0050"), 1);
    /* Next (the right-most button of the foot) shows the evacuation order. */
    kit_metrics m = kit_metrics_get(&r.ctx);
    int pad = (int)(1080 * 0.03 + 0.5);
    screen_rig_tap(&r, 1920 - pad - 40, 1080 - pad - m.target / 2);
    screen_rig_draw(&r);
    assert_true(same_rgb(pixel(&r, 2, 540), 0x9E0000));
    assert_int_equal(logged_since(f, mark, "alert: showing takeover kobe-2026-0042"), 1);
    /* Previous, from the first: round to the last, and back. */
    screen_rig_tap(&r, 1920 - pad - 40, 1080 - pad - m.target / 2);
    screen_rig_draw(&r);
    assert_true(same_rgb(pixel(&r, 2, 540), 0xFFB300));
    /* Each alert was logged once, however often drawn. */
    screen_rig_draw(&r);
    assert_int_equal(logged_since(f, mark, "alert: showing"), 2);
    screen_rig_close(&r);
    arig_close(&a);
}

/* A drill: 訓練 / DRILL in a black and yellow band on top. */
static void test_drill(void **state)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T10:05:00+09:00");
    arig_offer(&a, f, DRILL);
    static const struct {
        model_lang lang;
        int w, h;
    } cases[] = {{MODEL_LANG_JA, 1920, 1080}, {MODEL_LANG_EN, 1080, 1920}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        screen_rig r;
        alert_open(&r, f, cases[i].lang, cases[i].w, cases[i].h, arig_snap(&a));
        assert_int_equal(screen_router_switch(r.router, &home_screen_ops), 0);
        long mark = log_mark(f);
        screen_rig_draw(&r);
        assert_int_equal(logged_since(f, mark, "alert: showing drill JP-KOBE-2026-K001"), 1);
        /* The band's near-black at the very top, the red page below it. */
        assert_true(same_rgb(pixel(&r, cases[i].w / 2, 3), 0x111111));
        assert_true(same_rgb(pixel(&r, 2, cases[i].h / 2), 0x9E0000));
        char name[96];
        snprintf(name, sizeof name, "alert-drill-%s-%dx%d.png", model_lang_code(cases[i].lang),
                 cases[i].w, cases[i].h);
        shoot(&r, name);
        screen_rig_close(&r);
    }
    arig_close(&a);
}

/* A drill that is not full-screen: the banner carries the band too. */
static void test_drill_banner(void **state)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T10:05:00+09:00");
    arig_offer(&a, f, "tests/fixtures/alerts/native-drill.json");
    screen_rig r;
    alert_open(&r, f, MODEL_LANG_JA, 1920, 1080, arig_snap(&a));
    assert_int_equal(screen_router_switch(r.router, &home_screen_ops), 0);
    long mark = log_mark(f);
    screen_rig_draw(&r);
    assert_false(r.ctx.alert_covering);
    assert_int_equal(logged_since(f, mark, "alert: showing drill kobe-2026-k002"), 1);
    assert_true(same_rgb(pixel(&r, 4, 4), 0x111111)); /* the band's black, top left */
    shoot(&r, "alert-banner-drill-ja-1920x1080.png");
    screen_rig_close(&r);
    arig_close(&a);
}

/* A banner over the home menu: the menu's tiles and bar stay, the banner
 * covers its header; a tap on it opens the full view, close shuts it. */
static void test_banner(void **state)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T10:05:00+09:00");
    arig_offer_text(&a, f, ADVISORY, strlen(ADVISORY));
    static const struct {
        model_lang lang;
        int w, h;
        double tile_y; /* where the child-care tile is in the content area */
    } cases[] = {{MODEL_LANG_JA, 1920, 1080, 0.35}, {MODEL_LANG_EN, 1080, 1920, 0.2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int w = cases[i].w, h = cases[i].h;
        screen_rig r;
        alert_open(&r, f, cases[i].lang, w, h, arig_snap(&a));
        assert_int_equal(screen_router_switch(r.router, &home_screen_ops), 0);
        screen_rig_draw(&r);
        assert_false(r.ctx.alert_covering);
        kit_metrics m = kit_metrics_get(&r.ctx);
        /* The pale yellow banner on top; the bar's blue band at the bottom. */
        assert_true(same_rgb(pixel(&r, w / 2, 4), 0xFFF0B3));
        assert_true(same_rgb(pixel(&r, 2, h - m.bar_h / 2), 0x0F4C81));
        char name[96];
        snprintf(name, sizeof name, "alert-banner-%s-%dx%d.png", model_lang_code(cases[i].lang), w,
                 h);
        shoot(&r, name);
        /* A tap on a home tile below the banner still reaches the menu. */
        SDL_Rect c = kit_chrome_content(&r.ctx);
        screen_rig_tap(&r, c.x + c.w / 4, c.y + (int)(c.h * cases[i].tile_y));
        assert_ptr_equal(r.session.request, &childcare_screen_ops);
        r.session.request = NULL;
        /* A tap on the banner opens the full view over the menu. */
        screen_rig_tap(&r, w / 2, m.header_h / 2);
        screen_rig_draw(&r);
        assert_true(r.ctx.alert_covering);
        assert_null(r.session.request);
        assert_true(same_rgb(pixel(&r, 2, h / 2), 0xFFF0B3));
        if (i == 0)
            shoot(&r, "alert-banner-view-ja-1920x1080.png");
        /* Close: the right-most button of the foot. */
        int pad = (int)((w < h ? w : h) * 0.03 + 0.5);
        screen_rig_tap(&r, w - pad - 30, h - pad - m.target / 2);
        screen_rig_draw(&r);
        assert_false(r.ctx.alert_covering);
        assert_true(same_rgb(pixel(&r, w / 2, 4), 0xFFF0B3));
        screen_rig_close(&r);
    }
    arig_close(&a);
}

/* A view with more than a screen holds, in both orientations: shown (the
 * goldens are looked at: the instruction whole, the description cut). */
static void test_long_alert(void **state)
{
    struct alert_fixture *f = *state;
    char body[4096] = "", shelters[8192] = "";
    for (int i = 0; i < 12; i++)
        strcat(body, "河川が氾濫し、土砂災害が発生するおそれが非常に高くなっています。");
    for (int i = 0; i < 14; i++) {
        char one[256];
        snprintf(one, sizeof one,
                 "%s{\"name\": {\"ja\": \"第%d避難所 市立中央小学校 体育館\"}, \"address\": "
                 "{\"ja\": \"神戸市中央区中山手通%d丁目\"}}",
                 i ? "," : "", i + 1, i + 1);
        strcat(shelters, one);
    }
    static char doc[16384];
    snprintf(doc, sizeof doc, LONG_ALERT, body, shelters);
    arig a;
    arig_open(&a, f, "2026-11-24T10:05:00+09:00");
    arig_offer_text(&a, f, doc, strlen(doc));
    static const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t i = 0; i < 2; i++) {
        screen_rig r;
        alert_open(&r, f, MODEL_LANG_JA, sizes[i][0], sizes[i][1], arig_snap(&a));
        assert_int_equal(screen_router_switch(r.router, &home_screen_ops), 0);
        screen_rig_draw(&r);
        char name[96];
        snprintf(name, sizeof name, "alert-takeover-long-ja-%dx%d.png", sizes[i][0], sizes[i][1]);
        shoot(&r, name);
        screen_rig_close(&r);
    }
    arig_close(&a);
}

/* The largest alert the parser lets through (every text near its limit,
 * every shelter): drawn in both orientations without a fault, the headline
 * and instruction whole; prints how long the first frame took. */
static void test_pathological_alert(void **state)
{
    struct alert_fixture *f = *state;
    size_t cap = 600 * 1024;
    char *doc = malloc(cap), *p = doc;
    assert_non_null(doc);
    p += sprintf(p, "{\"format\": 1, \"id\": \"kobe-2026-0999\", \"sender\": "
                    "\"bousai@city.kobe.example.jp\", \"sent\": \"2026-11-24T10:00:00+09:00\","
                    " \"status\": \"Actual\", \"msgType\": \"Alert\", \"severity\": "
                    "\"Extreme\", \"urgency\": \"Immediate\", \"title\": {\"ja\": \"");
    for (int i = 0; i < 40; i++)
        p += sprintf(p, "避難指示 ");
    p += sprintf(p, "\"}, \"instruction\": {\"ja\": \"");
    for (int i = 0; i < 30; i++)
        p += sprintf(p, "直ちに避難してください。");
    p += sprintf(p, "\"}, \"body\": {\"ja\": \"");
    for (int i = 0; i < 5000; i++) /* 15 000 bytes */
        p += sprintf(p, "災");
    p += sprintf(p, "\"}, \"shelters\": [");
    for (int i = 0; i < ALERT_MAX_SHELTERS; i++) {
        p += sprintf(p, "%s{\"name\": {\"ja\": \"", i ? "," : "");
        for (int k = 0; k < 60; k++)
            p += sprintf(p, "所");
        p += sprintf(p, "\"}, \"address\": {\"ja\": \"神戸市中央区%d\"}}", i);
    }
    p += sprintf(p, "], \"url\": \"https://www.city.kobe.example.jp/bousai/\"}");
    assert_true((size_t)(p - doc) < cap);
    arig a;
    arig_open(&a, f, "2026-11-24T10:05:00+09:00");
    arig_offer_text(&a, f, doc, (size_t)(p - doc));
    free(doc);
    static const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (size_t i = 0; i < 2; i++) {
        screen_rig r;
        alert_open(&r, f, MODEL_LANG_JA, sizes[i][0], sizes[i][1], arig_snap(&a));
        memset(&counts, 0, sizeof counts);
        assert_int_equal(screen_router_switch(r.router, &count_ops), 0);
        long mark = log_mark(f);
        int64_t t0 = clock_monotonic_ms();
        screen_rig_draw(&r);
        int64_t ms = clock_monotonic_ms() - t0;
        printf("pathological alert %dx%d: first frame in %lld ms\n", sizes[i][0], sizes[i][1],
               (long long)ms);
        assert_int_equal(counts.draws, 0);
        assert_int_equal(logged_since(f, mark, "alert: showing takeover kobe-2026-0999"), 1);
        assert_true(same_rgb(pixel(&r, 2, sizes[i][1] / 2), 0x9E0000));
        char name[64];
        snprintf(name, sizeof name, "alert-pathological-%dx%d.png", sizes[i][0], sizes[i][1]);
        screen_rig_shot(&r, name, NULL, 0);
        screen_rig_close(&r);
    }
    arig_close(&a);
}

/* ---- behaviour ---- */

/* The takeover replaces the screen's draw and takes its events; the
 * screen's update still runs. Without alerts the screen has both back. */
static void test_takeover_replaces_screen(void **state)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T10:05:00+09:00");
    arig_offer(&a, f, EVACUATION);
    screen_rig r;
    alert_open(&r, f, MODEL_LANG_JA, 1280, 720, NULL);
    r.session.idle_screen = &count_ops; /* the takeover enters it afresh behind the alert */
    memset(&counts, 0, sizeof counts);
    assert_int_equal(screen_router_switch(r.router, &count_ops), 0);
    screen_rig_draw(&r);
    screen_rig_tap(&r, 600, 400);
    assert_int_equal(counts.draws, 1);
    assert_int_equal(counts.events, 2);

    r.ctx.alerts = arig_snap(&a);
    for (int i = 0; i < 3; i++) {
        screen_rig_draw(&r);
        screen_rig_tap(&r, 600, 400);
        screen_rig_tap(&r, 10, 10);
        SDL_Event key = {.type = SDL_KEYDOWN};
        assert_false(screen_router_event(r.router, &key)); /* not used: Esc still quits */
    }
    assert_int_equal(counts.draws, 1);
    assert_int_equal(counts.events, 2);
    assert_int_equal(counts.enters, 2);
    assert_true(counts.updates >= 4);
    assert_true(r.ctx.alert_covering);
    assert_true(same_rgb(pixel(&r, 640, 2), 0x9E0000));

    r.ctx.alerts = NULL;
    screen_rig_draw(&r);
    screen_rig_tap(&r, 600, 400);
    assert_int_equal(counts.draws, 2);
    assert_int_equal(counts.events, 4);
    assert_false(r.ctx.alert_covering);
    assert_true(same_rgb(pixel(&r, 640, 2), 0x00FF00));
    screen_rig_close(&r);
    arig_close(&a);
}

/* A takeover interrupts the resident's session: the defaults and the idle
 * screen behind the alert, the language they were reading kept for it. */
static void test_takeover_interrupts_session(void **state)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T10:05:00+09:00");
    arig_offer(&a, f, EVACUATION);
    screen_rig r;
    alert_open(&r, f, MODEL_LANG_EN, 1920, 1080, NULL);
    memset(&counts, 0, sizeof counts);
    assert_int_equal(screen_router_switch(r.router, &count_ops), 0);
    screen_rig_draw(&r);
    r.session.large_text = true;
    r.session.vacancy_day = 3;
    strcpy(r.session.category, "kenshin");
    strcpy(r.session.page, "p1");
    r.ctx.alerts = arig_snap(&a);
    long mark = log_mark(f);
    screen_rig_draw(&r);
    assert_string_equal(screen_router_current(r.router), "home");
    assert_false(r.session.large_text);
    assert_int_equal(r.session.vacancy_day, 0);
    assert_string_equal(r.session.category, "");
    assert_string_equal(r.session.page, "");
    assert_int_equal(r.session.lang, MODEL_LANG_EN);
    assert_int_equal(logged_since(f, mark, "alert: showing takeover kobe-2026-0042"), 1);
    /* The language button (bottom left) opens the picker over the alert;
     * 日本語 in it switches the alert to Japanese. */
    kit_metrics m = kit_metrics_get(&r.ctx);
    int pad = (int)(1080 * 0.03 + 0.5);
    screen_rig_tap(&r, pad + 40, 1080 - pad - m.target / 2);
    screen_rig_draw(&r);
    assert_true(same_rgb(pixel(&r, 960, 540), 0xFBFAF6) ||
                same_rgb(pixel(&r, 960, 540), 0xEAF1F8) || same_rgb(pixel(&r, 960, 540), 0x0F4C81));
    assert_int_equal(r.session.lang, MODEL_LANG_EN);
    screen_rig_close(&r);
    arig_close(&a);
}

/* Video: paused and muted while the takeover shows (even when the screen
 * asks it to play), playing and unmuted again after. */
static void test_video_held(void **state)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T21:59:30+09:00"); /* 30 s before the order expires */
    arig_offer(&a, f, EVACUATION);
    screen_rig r;
    alert_open(&r, f, MODEL_LANG_JA, 1280, 720, NULL);
    r.ctx.touch = false; /* a plain display: nothing is interrupted, only held */
    ui_video_config vc = {.backend = "null", .null_duration_ms = 600000};
    r.video = ui_video_create(r.ctx.renderer, &vc);
    assert_non_null(r.video);
    r.ctx.video = r.video;
    memset(&counts, 0, sizeof counts);
    assert_int_equal(screen_router_switch(r.router, &count_ops), 0);
    screen_rig_draw(&r);
    enum ui_video_state st = ui_video_state(r.video);
    assert_true(st == UI_VIDEO_OPENING || st == UI_VIDEO_PLAYING);
    assert_false(ui_video_is_muted(r.video));

    r.ctx.alerts = arig_snap(&a);
    counts.play_in_update = true;
    for (int i = 0; i < 5; i++) {
        r.ctx.now_ms += 1000;
        screen_rig_draw(&r);
        assert_int_equal(ui_video_state(r.video), UI_VIDEO_PAUSED);
        assert_true(ui_video_is_muted(r.video));
    }
    assert_int_equal(counts.draws, 1);
    counts.play_in_update = false;

    /* The order expires 30 s after the state loaded: the clip plays on. */
    r.ctx.now_ms = MONO0 + 30000;
    screen_rig_draw(&r);
    assert_false(r.ctx.alert_covering);
    st = ui_video_state(r.video);
    assert_true(st == UI_VIDEO_OPENING || st == UI_VIDEO_PLAYING);
    assert_false(ui_video_is_muted(r.video));
    assert_int_equal(counts.draws, 2);
    screen_rig_close(&r);
    arig_close(&a);
}

/* An alert leaves at its expiry, measured on the monotonic clock, without
 * a new snapshot: the loop is woken for it and draws nothing in between. */
static void test_expiry(void **state)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T21:59:30+09:00");
    arig_offer(&a, f, EVACUATION);
    screen_rig r;
    alert_open(&r, f, MODEL_LANG_JA, 1280, 720, arig_snap(&a));
    r.session.idle_ms = 0; /* no idle wake-up in the way */
    memset(&counts, 0, sizeof counts);
    assert_int_equal(screen_router_switch(r.router, &count_ops), 0);
    ui_frame_begin_turn(&r.frame);
    screen_rig_draw(&r);
    (void)ui_frame_take_dirty(&r.frame);
    /* Nothing changes: no redraw, and a wake-up exactly at the expiry. */
    for (int64_t t = 0; t < 30000; t += 7499) {
        r.ctx.now_ms = MONO0 + t;
        ui_frame_begin_turn(&r.frame);
        screen_router_update(r.router);
        assert_false(ui_frame_take_dirty(&r.frame));
        int timeout = ui_frame_timeout_ms(&r.frame);
        assert_true(timeout > 30000 - t - 50 && timeout <= 30000 - t);
    }
    r.ctx.now_ms = MONO0 + 29999;
    ui_frame_begin_turn(&r.frame);
    screen_router_update(r.router);
    assert_true(alert_overlay_takeover(&r.ctx));
    r.ctx.now_ms = MONO0 + 30000;
    ui_frame_begin_turn(&r.frame);
    screen_router_update(r.router);
    assert_false(alert_overlay_takeover(&r.ctx));
    assert_true(ui_frame_take_dirty(&r.frame));
    screen_router_draw(r.router);
    assert_int_equal(counts.draws, 1);
    assert_true(same_rgb(pixel(&r, 640, 2), 0x00FF00));
    /* Past it, the spent entry (still in the snapshot) wakes nobody. */
    ui_frame_begin_turn(&r.frame);
    screen_router_update(r.router);
    assert_false(ui_frame_take_dirty(&r.frame));
    assert_int_equal(ui_frame_timeout_ms(&r.frame), -1);
    screen_rig_close(&r);
    arig_close(&a);
}

/* An alert active when the kiosk starts is the very first frame: drawn
 * before any update, never the screen first. */
static void test_first_frame(void **state)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T10:05:00+09:00");
    arig_offer(&a, f, EVACUATION);
    /* As after a restart: the state reopened from the store. */
    alerts_unload(a.al);
    alerts_config cfg = {.store = a.st,
                         .keys = f->keys,
                         .clock = a.clk,
                         .channel = CHANNEL,
                         .policy = {.allow_drills = true, .language = "ja"},
                         .host = &a.fns};
    a.al = alerts_load(&cfg);
    assert_non_null(a.al);
    screen_rig r;
    alert_open(&r, f, MODEL_LANG_JA, 1280, 720, arig_snap(&a));
    memset(&counts, 0, sizeof counts);
    long mark = log_mark(f);
    assert_int_equal(screen_router_switch(r.router, &count_ops), 0);
    screen_router_draw(r.router);
    assert_int_equal(counts.draws, 0);
    assert_true(same_rgb(pixel(&r, 2, 360), 0x9E0000));
    assert_int_equal(logged_since(f, mark, "alert: showing takeover kobe-2026-0042"), 1);
    /* The first update interrupts nothing (nobody was using the kiosk). */
    screen_rig_draw(&r);
    assert_string_equal(screen_router_current(r.router), "count-test");
    assert_int_equal(counts.enters, 1);
    screen_rig_close(&r);
    arig_close(&a);
}

/* A plain display turns to the next alert on its own, and touches on it
 * reach nothing. */
static void test_plain_display_rotates(void **state)
{
    struct alert_fixture *f = *state;
    arig a;
    arig_open(&a, f, "2026-11-24T12:05:00+09:00");
    arig_offer(&a, f, EVACUATION);
    arig_offer(&a, f, TSUNAMI);
    screen_rig r;
    alert_open(&r, f, MODEL_LANG_JA, 1280, 720, arig_snap(&a));
    r.ctx.touch = false;
    memset(&counts, 0, sizeof counts);
    assert_int_equal(screen_router_switch(r.router, &count_ops), 0);
    ui_frame_begin_turn(&r.frame);
    screen_rig_draw(&r);
    assert_true(same_rgb(pixel(&r, 2, 360), 0xFFB300));
    assert_int_equal(ui_frame_timeout_ms(&r.frame), 0); /* dirty: first frame */
    (void)ui_frame_take_dirty(&r.frame);
    ui_frame_begin_turn(&r.frame);
    screen_router_update(r.router);
    int timeout = ui_frame_timeout_ms(&r.frame);
    assert_true(timeout > ALERT_OVERLAY_ROTATE_MS - 50 && timeout <= ALERT_OVERLAY_ROTATE_MS);
    screen_rig_tap(&r, 640, 360);
    assert_int_equal(counts.events, 0);
    r.ctx.now_ms += ALERT_OVERLAY_ROTATE_MS;
    screen_rig_draw(&r);
    assert_true(same_rgb(pixel(&r, 2, 360), 0x9E0000));
    r.ctx.now_ms += ALERT_OVERLAY_ROTATE_MS;
    screen_rig_draw(&r);
    assert_true(same_rgb(pixel(&r, 2, 360), 0xFFB300));
    screen_rig_close(&r);
    arig_close(&a);
}

/* Every text colour of every palette: >= 4.5:1, the headline and the
 * instruction >= 7:1 (WCAG AAA). */
static void test_contrast(void **state)
{
    (void)state;
    assert_true(alert_overlay_min_contrast(false) >= 4.5);
    assert_true(alert_overlay_min_contrast(true) >= 7.0);
}

/* Every [alert] text exists in every language (a forgotten one would show
 * the Japanese). */
static void test_catalog_strings(void **state)
{
    struct alert_fixture *f = *state;
    static const char *const keys[] = {
        "alert.drill",     "alert.what_to_do", "alert.area",          "alert.shelters",
        "alert.situation", "alert.issued",     "alert.sender",        "alert.expires",
        "alert.more_info", "alert.close",      "alert.next",          "alert.prev",
        "alert.count",     "alert.when",       "alert.more_shelters", "alert.more_alerts",
        "alert.tap_hint",  "alert.other_lang",
    };
    for (int l = 0; l < MODEL_LANG_COUNT; l++)
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (!catalog_has(f->base.cat, (model_lang)l, keys[i]))
                fail_msg("%s missing in %s", keys[i], model_lang_code((model_lang)l));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_takeover_ja_landscape),
        cmocka_unit_test(test_takeover_ja_portrait),
        cmocka_unit_test(test_takeover_en_landscape),
        cmocka_unit_test(test_takeover_en_portrait),
        cmocka_unit_test(test_takeover_zh_landscape),
        cmocka_unit_test(test_takeover_zh_portrait),
        cmocka_unit_test(test_takeover_ko_landscape),
        cmocka_unit_test(test_takeover_ko_portrait),
        cmocka_unit_test(test_takeover_ja_easy_landscape),
        cmocka_unit_test(test_takeover_ja_easy_portrait),
        cmocka_unit_test(test_severe_two_alerts),
        cmocka_unit_test(test_drill),
        cmocka_unit_test(test_drill_banner),
        cmocka_unit_test(test_banner),
        cmocka_unit_test(test_long_alert),
        cmocka_unit_test(test_pathological_alert),
        cmocka_unit_test(test_takeover_replaces_screen),
        cmocka_unit_test(test_takeover_interrupts_session),
        cmocka_unit_test(test_video_held),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_first_frame),
        cmocka_unit_test(test_plain_display_rotates),
        cmocka_unit_test(test_contrast),
        cmocka_unit_test(test_catalog_strings),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
