/* test_alerter: core/alerter, the alerts' poller thread, against file://
 * URLs, a real store (SQLite in a temporary folder), real signatures (keys
 * made by trust_keygen) and a real hub: a signed native alert reaches the
 * hub; unsigned, wrong-key and too-large documents never do and are each
 * recorded once however many polls see them; a cancel ends the alert and a
 * replay of the old file after it is refused; a vanished file changes
 * nothing; an Atom feed with two CAP entries (a relative and an absolute
 * link) shows both; the state survives a reopen (the first frame's
 * snapshot). Table tests of the Atom reader (broken, hostile and odd feeds)
 * and of the trusted-prefix check. */
#define _GNU_SOURCE /* nftw */
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
#include <time.h>
#include <unistd.h>

#include "app/core/alerter.h"
#include "app/core/alerts.h"
#include "app/core/clock.h"
#include "app/core/hub.h"
#include "app/core/log.h"
#include "app/core/store.h"
#include "app/core/trust.h"

#define CHANNEL "chuo"
#define SENDER  "bousai@city.kobe.example.jp"
#define NOW     "2026-11-24T13:00:00+09:00"
#define POLL_MS 60
#define WAIT_MS 8000 /* far more than a few polls, even on a loaded machine */

struct fixture {
    char dir[64];
    char data[96], www[96], pub[96];
    char alerts_url[256], cap_url[256];
    clock_source *clock;
    trust_secret_key *a, *b;
    hub *hub;
    alerter *al;
    alerts_snapshot *shown; /* the newest snapshot taken from the hub */
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void open_alerter(struct fixture *f, bool start)
{
    alerter_config cfg = {.data_dir = f->data,
                          .channel = CHANNEL,
                          .trust = {f->pub},
                          .n_trust = 1,
                          .clock = f->clock,
                          .hub = f->hub,
                          .poll_ms = POLL_MS,
                          .language = "ja"};
    f->al = alerter_open(&cfg);
    assert_non_null(f->al);
    alerts_snapshot_unref(f->shown);
    f->shown = alerter_current(f->al); /* what main's first frame shows */
    assert_non_null(f->shown);
    if (start) {
        assert_int_equal(alerter_start(f->al), 0);
        model_feeds urls = {.alerts = f->alerts_url, .cap = f->cap_url};
        alerter_set_urls(f->al, &urls);
    }
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    char path[PATH_MAX], err[TRUST_MESSAGE_MAX];
    snprintf(f->dir, sizeof f->dir, "/tmp/hiroba-alerter-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->data, sizeof f->data, "%s/data", f->dir);
    snprintf(f->www, sizeof f->www, "%s/www", f->dir);
    snprintf(path, sizeof path, "%s/alerts", f->www);
    if (mkdir(f->www, 0700) != 0 || mkdir(path, 0700) != 0)
        return -1;
    snprintf(f->alerts_url, sizeof f->alerts_url, "file://%s/alerts/" CHANNEL ".json", f->www);
    snprintf(f->cap_url, sizeof f->cap_url, "file://%s/cap/feed.xml", f->www);
    f->clock = clock_create(NOW);
    snprintf(path, sizeof path, "%s/a", f->dir);
    if (!f->clock || trust_keygen(path, NULL, NULL, err, sizeof err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/a.key", f->dir);
    f->a = trust_secret_key_load(path, NULL, err, sizeof err);
    snprintf(f->pub, sizeof f->pub, "%s/a.pub", f->dir);
    snprintf(path, sizeof path, "%s/b", f->dir);
    if (!f->a || trust_keygen(path, NULL, NULL, err, sizeof err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/b.key", f->dir);
    f->b = trust_secret_key_load(path, NULL, err, sizeof err);
    f->hub = hub_create(NULL, NULL);
    if (!f->b || !f->hub)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    alerter_stop(f->al);
    alerts_snapshot_unref(f->shown);
    hub_destroy(f->hub);
    trust_secret_key_destroy(f->a);
    trust_secret_key_destroy(f->b);
    clock_destroy(f->clock);
    nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---- files on the "server" ---- */

static void write_bytes(const char *path, const void *data, size_t len)
{
    char tmp[PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *fp = fopen(tmp, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(rename(tmp, path), 0);
}

static char *read_fixture(const char *name, size_t *len)
{
    const char *src = getenv("HIROBA_SOURCE_DIR");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/fixtures/alerts/%s", src && *src ? src : ".", name);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s", path);
    char *buf = malloc(ALERT_MAX_BYTES);
    assert_non_null(buf);
    *len = fread(buf, 1, ALERT_MAX_BYTES, fp);
    fclose(fp);
    return buf;
}

static char *sign(const trust_secret_key *key, const char *doc, size_t len, const char *comment)
{
    char err[TRUST_MESSAGE_MAX];
    char *text = NULL;
    trust_sign_options o = {.trusted_comment = comment};
    if (trust_sign(key, doc, len, &o, &text, err, sizeof err) != 0)
        fail_msg("trust_sign: %s", err);
    return text;
}

/* A native alert sent at sent ("HH:MM" today); refs: NULL or a JSON list's contents. */
static char *native(const char *id, const char *sent, const char *type, const char *refs)
{
    char *out = malloc(1024);
    assert_non_null(out);
    if (strcmp(type, "Cancel") == 0)
        snprintf(out, 1024,
                 "{\"format\": 1, \"id\": \"%s\", \"sender\": \"" SENDER "\", \"sent\": "
                 "\"2026-11-24T%s:00+09:00\", \"status\": \"Actual\", \"msgType\": \"Cancel\", "
                 "\"references\": [%s]}\n",
                 id, sent, refs);
    else
        snprintf(out, 1024,
                 "{\"format\": 1, \"id\": \"%s\", \"sender\": \"" SENDER "\", \"sent\": "
                 "\"2026-11-24T%s:00+09:00\", \"status\": \"Actual\", \"msgType\": \"Alert\", "
                 "\"severity\": \"Extreme\", \"urgency\": \"Immediate\", \"expires\": "
                 "\"2026-11-24T22:00:00+09:00\", \"title\": {\"ja\": \"避難指示 %s\", \"en\": "
                 "\"Evacuate %s\"}}\n",
                 id, sent, id, id);
    return out;
}

enum how { SIGNED, UNSIGNED, WRONG_KEY };

/* Puts doc at the native alert's URL with its signature beside it (the
 * signature first, as hiroba-pack alert publish writes them). */
static void put_native(struct fixture *f, const char *doc, const char *id, enum how how)
{
    char path[PATH_MAX + 32], sig_path[PATH_MAX + 48], comment[300];
    snprintf(path, sizeof path, "%s/alerts/" CHANNEL ".json", f->www);
    snprintf(sig_path, sizeof sig_path, "%s" ALERTER_SIG_SUFFIX, path);
    snprintf(comment, sizeof comment, ALERTS_COMMENT_NATIVE, CHANNEL, id);
    if (how == UNSIGNED) {
        unlink(sig_path);
    } else {
        char *sig = sign(how == SIGNED ? f->a : f->b, doc, strlen(doc), comment);
        write_bytes(sig_path, sig, strlen(sig));
        free(sig);
    }
    write_bytes(path, doc, strlen(doc));
}

/* ---- watching the alerter ---- */

/* Takes what the hub has; true when the shown snapshot changed. */
static bool take(struct fixture *f)
{
    alerts_snapshot *s = hub_take_alerts(f->hub);
    if (!s)
        return false;
    alerts_snapshot_unref(f->shown);
    f->shown = s;
    return true;
}

/* Whether the shown snapshot holds exactly the identifiers in ids ("" for none). */
static bool shows(const struct fixture *f, const char *const *ids, size_t n)
{
    if (alerts_snapshot_count(f->shown) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < n && !found; k++)
            found = strcmp(alerts_snapshot_entry(f->shown, k)->alert->identifier, ids[i]) == 0;
        if (!found)
            return false;
    }
    return true;
}

static void wait_shows(struct fixture *f, const char *const *ids, size_t n)
{
    for (int waited = 0; waited < WAIT_MS; waited += 10) {
        take(f);
        if (shows(f, ids, n))
            return;
        sleep_ms(10);
    }
    fail_msg("the hub did not publish the expected %zu alert(s) (it shows %zu)", n,
             alerts_snapshot_count(f->shown));
}

struct count {
    const char *needle;
    int n;
};

static int count_one(void *user, const store_rejection *r)
{
    struct count *c = user;
    if (strcmp(r->source, "alerts") == 0 && strstr(r->reason, c->needle))
        c->n += (int)r->count; /* a reason repeated in a row is counted, not added */
    return 0;
}

/* Rejections recorded so far whose reason contains needle (read through a
 * store handle of this thread, as the staff view would). */
static int rejections(const struct fixture *f, const char *needle)
{
    store *st = store_open(f->data, f->clock);
    assert_non_null(st);
    struct count c = {needle, 0};
    assert_int_equal(store_rejections(st, STORE_REJECTIONS_KEPT, count_one, &c), 0);
    store_close(st);
    return c.n;
}

/* Waits for the refusal, then for many more polls: it is not recorded
 * again however often the same bytes are fetched. (A poll that falls between
 * the writes of the two files may see the new signature beside the old
 * document and record that pair too: at most two.) */
static void wait_refused_once(struct fixture *f, const char *needle)
{
    int waited = 0;
    while (rejections(f, needle) == 0) {
        if ((waited += 20) > WAIT_MS)
            fail_msg("no refusal \"%s\" recorded", needle);
        sleep_ms(20);
    }
    sleep_ms(POLL_MS * 3);
    int n = rejections(f, needle);
    sleep_ms(POLL_MS * 10);
    assert_int_equal(rejections(f, needle), n);
    assert_in_range(n, 1, 2);
}

/* ---- scenarios ---- */

static void test_native_accept_cancel_replay(void **state)
{
    struct fixture *f = *state;
    open_alerter(f, true);
    assert_int_equal(alerts_snapshot_count(f->shown), 0);

    char *a1 = native("a1", "12:00", "Alert", NULL);
    put_native(f, a1, "a1", SIGNED);
    wait_shows(f, (const char *const[]){"a1"}, 1);
    const alerts_entry *e = alerts_snapshot_entry(f->shown, 0);
    assert_int_equal(e->decision.action, ALERT_ACTION_TAKEOVER);
    assert_true(e->signed_by_key);
    assert_string_equal(e->decision.info->headline, "避難指示 a1");

    /* The server loses the file: nothing changes on screen. */
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/alerts/" CHANNEL ".json", f->www);
    unlink(path);
    sleep_ms(POLL_MS * 8);
    take(f);
    assert_true(shows(f, (const char *const[]){"a1"}, 1));

    /* A cancel ends it. */
    char *c1 = native("c1", "12:30", "Cancel", "\"a1\"");
    put_native(f, c1, "c1", SIGNED);
    wait_shows(f, NULL, 0);

    /* The old file and its good signature put back: a replay, refused once. */
    put_native(f, a1, "a1", SIGNED);
    wait_refused_once(f, "replay");
    take(f);
    assert_int_equal(alerts_snapshot_count(f->shown), 0);
    free(a1);
    free(c1);
}

static void test_native_spoofs(void **state)
{
    struct fixture *f = *state;
    open_alerter(f, true);
    char *u1 = native("u1", "12:00", "Alert", NULL);
    put_native(f, u1, "u1", UNSIGNED);
    wait_refused_once(f, "unsigned");

    char *w1 = native("w1", "12:05", "Alert", NULL);
    put_native(f, w1, "w1", WRONG_KEY);
    wait_refused_once(f, "wrong key");

    /* A good signature of another document beside this one. */
    char *g1 = native("g1", "12:10", "Alert", NULL);
    char *other = native("g2", "12:10", "Alert", NULL);
    char comment[300], path[PATH_MAX + 32], sig_path[PATH_MAX + 48];
    snprintf(comment, sizeof comment, ALERTS_COMMENT_NATIVE, CHANNEL, "g1");
    char *sig = sign(f->a, other, strlen(other), comment);
    snprintf(path, sizeof path, "%s/alerts/" CHANNEL ".json", f->www);
    snprintf(sig_path, sizeof sig_path, "%s" ALERTER_SIG_SUFFIX, path);
    write_bytes(sig_path, sig, strlen(sig));
    write_bytes(path, g1, strlen(g1));
    wait_refused_once(f, "bad signature");

    /* Larger than ALERT_MAX_BYTES: cut off while it streams, said once. */
    size_t big = ALERT_MAX_BYTES + 10;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    huge[0] = '{';
    write_bytes(path, huge, big);
    wait_refused_once(f, "larger than");

    take(f);
    assert_int_equal(alerts_snapshot_count(f->shown), 0);
    /* Nothing refused ever reached the store's alerts either: reopened, the
     * state is still empty. */
    alerter_stop(f->al);
    f->al = NULL;
    open_alerter(f, false);
    assert_int_equal(alerts_snapshot_count(f->shown), 0);
    free(huge);
    free(sig);
    free(other);
    free(g1);
    free(w1);
    free(u1);
}

/* Restarted, the alerter's first snapshot (main's first frame) already has
 * the alert, before any poll. */
static void test_first_snapshot_after_restart(void **state)
{
    struct fixture *f = *state;
    open_alerter(f, true);
    char *a1 = native("r1", "12:00", "Alert", NULL);
    put_native(f, a1, "r1", SIGNED);
    wait_shows(f, (const char *const[]){"r1"}, 1);
    alerter_stop(f->al);
    f->al = NULL;
    /* The server is gone. */
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/alerts/" CHANNEL ".json", f->www);
    unlink(path);
    open_alerter(f, false);
    assert_true(shows(f, (const char *const[]){"r1"}, 1));
    free(a1);
}

static void put_cap(struct fixture *f, const char *fixture, const char *name, const char *id)
{
    size_t len;
    char *doc = read_fixture(fixture, &len);
    char comment[300], path[PATH_MAX + 64];
    snprintf(comment, sizeof comment, ALERTS_COMMENT_CAP, id);
    char *sig = sign(f->a, doc, len, comment);
    snprintf(path, sizeof path, "%s/%s" ALERTER_SIG_SUFFIX, f->www, name);
    write_bytes(path, sig, strlen(sig));
    snprintf(path, sizeof path, "%s/%s", f->www, name);
    write_bytes(path, doc, len);
    free(sig);
    free(doc);
}

static void test_atom_two_entries(void **state)
{
    struct fixture *f = *state;
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/cap", f->www);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/relay", f->www);
    assert_int_equal(mkdir(path, 0700), 0);
    put_cap(f, "ja-evacuation.cap", "cap/0042.cap", "JP-KOBE-2026-0042");
    put_cap(f, "ja-en-two-info.cap", "relay/0050.cap", "JP-KOBE-2026-0050");
    char feed[4096];
    snprintf(feed, sizeof feed,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
             "  <title>Kobe alerts</title><id>urn:kobe:alerts</id>\n"
             "  <updated>2026-11-24T12:00:00+09:00</updated>\n"
             "  <entry><id>urn:kobe:0050</id><title>Evacuation advisory</title>\n"
             "    <link rel=\"alternate\" type=\"text/html\" href=\"https://city.example/0050\"/>\n"
             "    <link type=\"application/cap+xml\" href=\"file://%s/relay/0050.cap\"/></entry>\n"
             "  <entry><id>urn:kobe:0042</id><title>避難指示</title>\n"
             "    <link href=\"0042.cap\"/></entry>\n"
             "</feed>\n",
             f->www);
    snprintf(path, sizeof path, "%s/cap/feed.xml", f->www);
    write_bytes(path, feed, strlen(feed));
    open_alerter(f, true);
    wait_shows(f, (const char *const[]){"JP-KOBE-2026-0042", "JP-KOBE-2026-0050"}, 2);
    /* The feed is an index: no signature needed for it, and nothing was
     * refused. */
    assert_int_equal(rejections(f, ""), 0);
}

/* ---- the Atom reader ---- */

#define BASE   "https://relay.example.jp/cap/feed.xml"
#define ATOM_O "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
#define ENTRY  "<entry><link type=\"application/cap+xml\" href=\"%s\"/></entry>"

typedef struct atom_case {
    const char *name;
    const char *doc; /* may contain one %s: replaced by 16 entries (the bound) */
    int rc;
    size_t n;
    const char *first; /* the first URL, or NULL */
    size_t skipped;
    const char *skip_why; /* substring of first_skip */
} atom_case;

static const atom_case atom_cases[] = {
    {"relative link", ATOM_O "<entry><link href=\"0042.cap\"/></entry></feed>", 1, 1,
     "https://relay.example.jp/cap/0042.cap", 0, NULL},
    {"absolute path", ATOM_O "<entry><link href=\"/a/1.cap\"/></entry></feed>", 1, 1,
     "https://relay.example.jp/a/1.cap", 0, NULL},
    {"scheme-relative", ATOM_O "<entry><link href=\"//other.example/1.cap\"/></entry></feed>", 1, 1,
     "https://other.example/1.cap", 0, NULL},
    {"CAP type wins over alternate",
     ATOM_O "<entry><link href=\"page.html\"/><link type=\"application/cap+xml\" "
            "href=\"x.cap\"/></entry></feed>",
     1, 1, "https://relay.example.jp/cap/x.cap", 0, NULL},
    {"rel other than alternate ignored",
     ATOM_O "<entry><link rel=\"self\" href=\"self.xml\"/></entry></feed>", 1, 0, NULL, 1,
     "no CAP link"},
    {"plain http elsewhere refused",
     ATOM_O "<entry><link href=\"http://evil.example/1.cap\"/></entry></feed>", 1, 0, NULL, 1,
     "neither https nor the feed's own origin"},
    {"ftp refused", ATOM_O "<entry><link href=\"ftp://relay.example.jp/1.cap\"/></entry></feed>", 1,
     0, NULL, 1, "not an http, https or file link"},
    {"javascript refused", ATOM_O "<entry><link href=\"javascript:alert(1)\"/></entry></feed>", 1,
     0, NULL, 1, "not an http, https or file link"},
    {"dot-dot refused", ATOM_O "<entry><link href=\"../secret.cap\"/></entry></feed>", 1, 0, NULL,
     1, "segment"},
    {"encoded dot-dot refused", ATOM_O "<entry><link href=\"a/%2e%2E/b.cap\"/></entry></feed>", 1,
     0, NULL, 1, "segment"},
    {"space refused", ATOM_O "<entry><link href=\"a b.cap\"/></entry></feed>", 1, 0, NULL, 1,
     "white space"},
    {"fragment refused", ATOM_O "<entry><link href=\"#top\"/></entry></feed>", 1, 0, NULL, 1,
     "fragment"},
    {"duplicates fetched once",
     ATOM_O "<entry><link href=\"a.cap\"/></entry><entry><link href=\"a.cap\"/></entry></feed>", 1,
     1, "https://relay.example.jp/cap/a.cap", 0, NULL},
    {"bounded", ATOM_O "%s<entry><link href=\"one-too-many.cap\"/></entry></feed>", 1,
     ALERTER_ATOM_MAX, "https://relay.example.jp/cap/e0.cap", 1, "more than 16"},
    {"links outside the Atom namespace",
     ATOM_O "<entry><x:link xmlns:x=\"urn:x\" href=\"a.cap\"/></entry></feed>", 1, 0, NULL, 1,
     "no CAP link"},
    {"no entries", ATOM_O "<title>quiet</title></feed>", 1, 0, NULL, 0, NULL},
    {"a CAP alert is not a feed",
     "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>x</identifier></alert>", 0,
     0, NULL, 0, NULL},
    {"feed in no namespace", "<feed><entry><link href=\"a.cap\"/></entry></feed>", 0, 0, NULL, 0,
     NULL},
    {"RSS", "<rss version=\"2.0\"><channel/></rss>", 0, 0, NULL, 0, NULL},
    {"malformed", ATOM_O "<entry><link href=\"a.cap\"></entry>", 0, 0, NULL, 0, NULL},
    {"truncated", ATOM_O "<entry><link hr", 0, 0, NULL, 0, NULL},
    {"empty", "", 0, 0, NULL, 0, NULL},
    {"external entity",
     "<?xml version=\"1.0\"?><!DOCTYPE feed [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" ATOM_O
     "<entry><link href=\"&x;\"/></entry></feed>",
     0, 0, NULL, 0, NULL},
    {"billion laughs",
     "<?xml version=\"1.0\"?><!DOCTYPE feed [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
     "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>" ATOM_O
     "<entry><link href=\"&c;\"/></entry></feed>",
     0, 0, NULL, 0, NULL},
    {"binary", "\x01\x02\xff\xfe<feed", 0, 0, NULL, 0, NULL},
};

static void test_atom_table(void **state)
{
    (void)state;
    char entries[ALERTER_ATOM_MAX * 80 + 1] = "";
    size_t used = 0;
    for (int i = 0; i < ALERTER_ATOM_MAX; i++) {
        char name[16];
        snprintf(name, sizeof name, "e%d.cap", i);
        used += (size_t)snprintf(entries + used, sizeof entries - used, ENTRY, name);
    }
    for (size_t i = 0; i < sizeof atom_cases / sizeof atom_cases[0]; i++) {
        const atom_case *tc = &atom_cases[i];
        print_message("atom: %s\n", tc->name);
        char doc[8192];
        const char *hole = strstr(tc->doc, "%s");
        if (hole)
            snprintf(doc, sizeof doc, "%.*s%s%s", (int)(hole - tc->doc), tc->doc, entries,
                     hole + 2);
        else
            snprintf(doc, sizeof doc, "%s", tc->doc);
        alerter_atom out;
        int rc = alerter_atom_parse(doc, strlen(doc), BASE, &out);
        assert_int_equal(rc, tc->rc);
        assert_int_equal(out.n, tc->n);
        assert_int_equal(out.skipped, tc->skipped);
        if (tc->first)
            assert_string_equal(out.urls[0], tc->first);
        if (tc->skip_why && !strstr(out.first_skip, tc->skip_why))
            fail_msg("%s: skip reason \"%s\" lacks \"%s\"", tc->name, out.first_skip, tc->skip_why);
        alerter_atom_clear(&out);
        assert_int_equal(out.n, 0);
    }
    /* Same origin for a plain-http feed; a file:// feed only reaches file:// or https. */
    const char *doc = ATOM_O "<entry><link href=\"http://a.example:8080/x.cap\"/></entry>"
                             "<entry><link href=\"http://a.example/y.cap\"/></entry></feed>";
    alerter_atom out;
    assert_int_equal(alerter_atom_parse(doc, strlen(doc), "http://a.example:8080/f.xml", &out), 1);
    assert_int_equal(out.n, 1);
    assert_string_equal(out.urls[0], "http://a.example:8080/x.cap");
    assert_int_equal(out.skipped, 1);
    alerter_atom_clear(&out);
    /* Oversized input is not even parsed. */
    assert_int_equal(alerter_atom_parse(doc, ALERT_MAX_BYTES + 1, BASE, &out), 0);
    alerter_atom_clear(NULL);
}

typedef struct trust_case {
    const char *prefix, *url;
    bool trusted;
} trust_case;

static const trust_case trust_cases[] = {
    {"https://bousai.example.jp/cap/", "https://bousai.example.jp/cap/0042.xml", true},
    {"https://bousai.example.jp/cap", "https://bousai.example.jp/cap/0042.xml", true},
    {"https://bousai.example.jp/cap", "https://bousai.example.jp/cap", true},
    {"https://bousai.example.jp/cap", "https://bousai.example.jp/cap?id=1", true},
    {"https://bousai.example.jp", "https://bousai.example.jp/x.xml", true},
    {"https://bousai.example.jp/cap", "https://bousai.example.jp/capture/x.xml", false},
    {"https://bousai.example.jp", "https://bousai.example.jp.evil.net/x.xml", false},
    {"https://bousai.example.jp", "https://bousai.example.jp@evil.net/x.xml", false},
    {"https://bousai.example.jp", "https://bousai.example.jp:8443/x.xml", false},
    {"https://bousai.example.jp/cap/", "http://bousai.example.jp/cap/0042.xml", false},
    {"https://bousai.example.jp/cap/", "https://bousai.example.jp/cap/../admin/x.xml", false},
    {"https://bousai.example.jp/cap/", "https://bousai.example.jp/cap/%2e%2e/x.xml", false},
    {"https://bousai.example.jp/cap/", "https://bousai.example.jp/cap/./x.xml", false},
    {"https://bousai.example.jp/cap/", "https://bousai.example.jp/cap/a b.xml", false},
    {"https://bousai.example.jp/cap/", "https://bousai.example.jp/other/x.xml", false},
    {"http://bousai.example.jp/cap/", "http://bousai.example.jp/cap/x.xml", false},
    {"https://", "https://anything.example/", false},
    {"", "https://bousai.example.jp/", false},
};

static void test_trusted_prefix(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof trust_cases / sizeof trust_cases[0]; i++) {
        const trust_case *tc = &trust_cases[i];
        if (alerter_url_trusted(tc->prefix, tc->url) != tc->trusted)
            fail_msg("alerter_url_trusted(\"%s\", \"%s\") should be %s", tc->prefix, tc->url,
                     tc->trusted ? "true" : "false");
    }
    assert_false(alerter_url_trusted(NULL, "https://a.example/"));
    assert_false(alerter_url_trusted("https://a.example/", NULL));
}

static void test_bad_arguments(void **state)
{
    struct fixture *f = *state;
    assert_null(alerter_open(NULL));
    alerter_config cfg = {.data_dir = f->data, .hub = f->hub, .cap_trusted_tls = "http://x/"};
    assert_null(alerter_open(&cfg));
    cfg.cap_trusted_tls = NULL;
    cfg.hub = NULL;
    assert_null(alerter_open(&cfg));
    assert_null(alerter_current(NULL));
    assert_int_equal(alerter_start(NULL), -1);
    alerter_set_urls(NULL, NULL);
    alerter_stop(NULL);
    /* Opened and never started: still answers, still freed by stop. */
    open_alerter(f, false);
    alerter_set_urls(f->al, NULL);
    assert_int_equal(alerts_snapshot_count(f->shown), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_native_accept_cancel_replay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_native_spoofs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_snapshot_after_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_atom_two_entries, setup, teardown),
        cmocka_unit_test(test_atom_table),
        cmocka_unit_test(test_trusted_prefix),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
    };
    log_set_level(LOG_LEVEL_ERROR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
