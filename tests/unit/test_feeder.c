/* test_feeder: core/feeder on its real thread, net (file:// URLs), store and
 * hub: a good feed is accepted, cached and published; a malformed, wrongly
 * typed, huge or missing one is refused with its reason while the last good
 * snapshot and the cache stay; a changed URL is polled at once and never
 * shows the old URL's cache; feeder_load_cached reads the cache for main. */
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/core/clock.h"
#include "app/core/feeder.h"
#include "app/core/log.h"
#include "app/core/store.h"

#define WAIT_MS 8000 /* far more than a few 50 ms polls */

static const char queue_a[] =
    "{\"format\": 1, \"updated\": \"2026-11-24T10:03:00+09:00\", \"counters\": ["
    "{\"id\": \"shimin\", \"name\": \"市民課\", \"serving\": 12, \"waiting\": 3, \"open\": true},"
    "{\"id\": \"zeimu\", \"name\": \"税務課\", \"open\": false}]}";
static const char queue_b[] =
    "{\"format\": 1, \"updated\": \"2026-11-24T10:04:00+09:00\", \"counters\": ["
    "{\"id\": \"shimin\", \"name\": \"市民課\", \"serving\": 13, \"waiting\": 2, \"open\": true},"
    "{\"id\": \"zeimu\", \"name\": \"税務課\", \"serving\": 1, \"open\": true},"
    "{\"id\": \"kodomo\", \"name\": \"こども家庭課\", \"open\": true}]}";
static const char vacancy_a[] =
    "{\"format\": 1, \"updated\": \"2026-11-24T10:00:00+09:00\", \"facilities\": ["
    "{\"id\": \"gym\", \"name\": \"体育館\", \"days\": [{\"date\": \"2026-11-24\","
    " \"slots\": [{\"start\": \"09:00\", \"end\": \"11:00\", \"state\": \"free\"}]}]}]}";

struct fixture {
    char dir[64];
    char data[96];
    char url_queue[160], url_queue2[160], url_vacancy[160];
    hub *hub;
    feeder *feeder;
    feeds_queue *queue; /* the newest snapshot taken, as main keeps it */
    hub_feed_status queue_status;
    int queue_snapshots;
    feeds_vacancy *vacancy;
    hub_feed_status vacancy_status;
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void write_file(const struct fixture *f, const char *name, const char *data, size_t len)
{
    char path[128], tmp[140];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *fp = fopen(tmp, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    /* Whole or not at all: the poller never reads half a file. */
    assert_int_equal(rename(tmp, path), 0);
}

static void write_doc(const struct fixture *f, const char *name, const char *doc)
{
    write_file(f, name, doc, strlen(doc));
}

static void start(struct fixture *f, const char *queue_url, const char *vacancy_url)
{
    feeder_config cfg = {.data_dir = f->data, .hub = f->hub, .queue_ms = 50, .vacancy_ms = 50};
    f->feeder = feeder_start(&cfg);
    assert_non_null(f->feeder);
    model_feeds urls = {.queue = queue_url, .vacancy = vacancy_url};
    feeder_set_urls(f->feeder, &urls);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/hiroba-feeder-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->data, sizeof f->data, "%s/data", f->dir);
    snprintf(f->url_queue, sizeof f->url_queue, "file://%s/queue.json", f->dir);
    snprintf(f->url_queue2, sizeof f->url_queue2, "file://%s/queue2.json", f->dir);
    snprintf(f->url_vacancy, sizeof f->url_vacancy, "file://%s/vacancy.json", f->dir);
    f->hub = hub_create(NULL, NULL);
    if (!f->hub)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    feeder_stop(f->feeder);
    hub_destroy(f->hub);
    feeds_queue_destroy(f->queue);
    feeds_vacancy_destroy(f->vacancy);
    nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* What main's handle_feeds does: keep the newest snapshot, drop it (and one
 * taken with such a status) when the status says nothing is shown. */
static bool take(struct fixture *f)
{
    feeds_queue *q;
    feeds_vacancy *v;
    hub_feed_status st;
    bool moved = false;
    if (hub_take_queue(f->hub, &q, &st)) {
        moved = true;
        f->queue_status = st;
        bool nothing = !st.configured || st.fetched_at_ms == 0;
        if (nothing) {
            feeds_queue_destroy(q);
            q = NULL;
        }
        if (q || nothing) {
            feeds_queue_destroy(f->queue);
            f->queue = q;
            f->queue_snapshots += q != NULL;
        }
    }
    if (hub_take_vacancy(f->hub, &v, &st)) {
        moved = true;
        f->vacancy_status = st;
        bool nothing = !st.configured || st.fetched_at_ms == 0;
        if (nothing) {
            feeds_vacancy_destroy(v);
            v = NULL;
        }
        if (v || nothing) {
            feeds_vacancy_destroy(f->vacancy);
            f->vacancy = v;
        }
    }
    return moved;
}

typedef bool (*until_fn)(const struct fixture *f, const void *arg);

static void wait_until(struct fixture *f, until_fn fn, const void *arg, const char *what)
{
    for (int waited = 0; waited < WAIT_MS; waited += 10) {
        take(f);
        if (fn(f, arg))
            return;
        sleep_ms(10);
    }
    fail_msg("timed out waiting for %s (queue error \"%s\")", what, f->queue_status.error);
}

static bool queue_has_counters(const struct fixture *f, const void *arg)
{
    return f->queue && f->queue->n_counters == *(const size_t *)arg && !f->queue_status.failing;
}

static bool queue_shows(const struct fixture *f, const void *arg)
{
    return f->queue && f->queue->n_counters == *(const size_t *)arg;
}

static bool queue_error_has(const struct fixture *f, const void *arg)
{
    return f->queue_status.failing && strstr(f->queue_status.error, arg) != NULL;
}

static bool vacancy_loaded(const struct fixture *f, const void *arg)
{
    (void)arg;
    return f->vacancy != NULL;
}

static bool queue_configured_empty(const struct fixture *f, const void *arg)
{
    (void)arg;
    return f->queue_status.configured && f->queue_status.fetched_at_ms == 0 && !f->queue;
}

/* The cached body of the queue feed, or NULL. */
static char *cached(const struct fixture *f, const char *url)
{
    store *st = store_open(f->data, NULL);
    assert_non_null(st);
    store_feed row;
    char *body = NULL;
    if (store_feed_get(st, "queue", url, &row) == 0) {
        body = row.body;
        row.body = NULL;
    }
    store_feed_clear(&row);
    store_close(st);
    return body;
}

static void test_accept_and_cache(void **state)
{
    struct fixture *f = *state;
    write_doc(f, "queue.json", queue_a);
    write_doc(f, "vacancy.json", vacancy_a);
    int64_t before = clock_now(NULL).sec * 1000;
    start(f, f->url_queue, f->url_vacancy);
    size_t two = 2;
    wait_until(f, queue_has_counters, &two, "the first queue snapshot");
    wait_until(f, vacancy_loaded, NULL, "the vacancy snapshot");
    assert_string_equal(f->queue->counters[0].id, "shimin");
    assert_int_equal(f->queue->counters[0].serving, 12);
    assert_true(f->queue_status.configured);
    assert_true(f->queue_status.fetched_at_ms >= before);
    assert_true(f->queue_status.checked_at_ms >= f->queue_status.fetched_at_ms);
    assert_string_equal(f->queue_status.error, "");
    assert_int_equal(f->vacancy->n_facilities, 1);
    assert_true(f->vacancy_status.configured);

    char *body = cached(f, f->url_queue);
    assert_non_null(body);
    assert_string_equal(body, queue_a);
    free(body);

    /* The same bytes again are no new snapshot: only checked_at moves. */
    int snapshots = f->queue_snapshots;
    int64_t fetched = f->queue_status.fetched_at_ms, checked = f->queue_status.checked_at_ms;
    for (int i = 0; i < 50 && f->queue_status.checked_at_ms == checked; i++) {
        sleep_ms(20);
        take(f);
    }
    assert_true(f->queue_status.checked_at_ms > checked);
    assert_int_equal(f->queue_status.fetched_at_ms, fetched);
    assert_int_equal(f->queue_snapshots, snapshots);

    /* A new body is a new snapshot. */
    write_doc(f, "queue.json", queue_b);
    size_t three = 3;
    wait_until(f, queue_has_counters, &three, "the second queue snapshot");
    assert_int_equal(f->queue->counters[1].serving, 1);
    assert_true(f->queue_status.fetched_at_ms >= fetched);
}

typedef struct bad_feed {
    const char *what;
    const char *doc; /* NULL: a body of FEEDS_MAX_BYTES + 1 bytes */
    const char *reason;
} bad_feed;

static const bad_feed bad_feeds[] = {
    {"malformed", "{\"format\": 1, \"updated\": ", "queue.json:1:25: updated: invalid JSON"},
    {"missing field",
     "{\"format\": 1, \"updated\": \"2026-11-24T10:05:00+09:00\", \"counters\": ["
     "{\"id\": \"shimin\", \"open\": true}]}",
     "counters[0]: missing \"name\""},
    {"wrong type",
     "{\"format\": 1, \"updated\": \"2026-11-24T10:05:00+09:00\", \"counters\": ["
     "{\"id\": \"shimin\", \"name\": \"市民課\", \"waiting\": \"3\", \"open\": true}]}",
     "counters[0].waiting: expected a whole number"},
    {"empty", "", "queue.json:1:1: (root): invalid JSON"},
    {"huge", NULL, "larger than 262144 bytes"},
};

struct seen {
    size_t feeds;   /* rejections from "feeds" */
    unsigned found; /* bit i: bad_feeds[i]'s reason was among them */
};

static int count_feed_rejection(void *user, const store_rejection *r)
{
    struct seen *seen = user;
    if (strcmp(r->source, "feeds") != 0)
        return 0;
    seen->feeds++;
    if (r->count != 1)
        fail_msg("\"%s\" recorded %lld times in one streak", r->reason, (long long)r->count);
    if (strncmp(r->reason, "queue: ", 7) != 0)
        fail_msg("rejection without the feed's name: %s", r->reason);
    for (size_t i = 0; i < sizeof bad_feeds / sizeof bad_feeds[0]; i++)
        if (strstr(r->reason, bad_feeds[i].reason))
            seen->found |= 1u << i;
    return 0;
}

static void test_refused_keeps_last(void **state)
{
    struct fixture *f = *state;
    write_doc(f, "queue.json", queue_a);
    start(f, f->url_queue, NULL);
    size_t two = 2;
    wait_until(f, queue_has_counters, &two, "the good snapshot");
    assert_false(f->vacancy_status.configured);
    assert_null(f->vacancy);
    const feeds_queue *good = f->queue;
    int64_t fetched = f->queue_status.fetched_at_ms;

    for (size_t i = 0; i < sizeof bad_feeds / sizeof bad_feeds[0]; i++) {
        const bad_feed *c = &bad_feeds[i];
        if (c->doc) {
            write_doc(f, "queue.json", c->doc);
        } else {
            size_t n = FEEDS_MAX_BYTES + 1;
            char *big = malloc(n);
            assert_non_null(big);
            memset(big, ' ', n);
            memcpy(big, queue_a, strlen(queue_a));
            write_file(f, "queue.json", big, n);
            free(big);
        }
        wait_until(f, queue_error_has, c->reason, c->what);
        /* The last good snapshot, its time and the cache are untouched. */
        if (f->queue != good || f->queue_status.fetched_at_ms != fetched)
            fail_msg("%s: the last good snapshot was replaced", c->what);
        char *body = cached(f, f->url_queue);
        if (!body || strcmp(body, queue_a) != 0)
            fail_msg("%s: the cache changed", c->what);
        free(body);
        /* Back to good between cases, so every reason is a new one. */
        write_doc(f, "queue.json", queue_a);
        for (int t = 0; t < WAIT_MS / 10 && f->queue_status.failing; t++) {
            sleep_ms(10);
            take(f);
        }
        if (f->queue_status.failing)
            fail_msg("%s: the feed did not recover", c->what);
        assert_ptr_equal(f->queue, good); /* the same bytes: no new snapshot */
    }

    /* A file that is gone: a failure, not a refusal; still the last good value. */
    char path[128];
    snprintf(path, sizeof path, "%s/queue.json", f->dir);
    assert_int_equal(unlink(path), 0);
    wait_until(f, queue_error_has, "", "a failure for a missing file");
    assert_ptr_equal(f->queue, good);

    /* The reasons were recorded for the staff view, one entry per streak. */
    store *st = store_open(f->data, NULL);
    assert_non_null(st);
    struct seen seen = {0};
    assert_int_equal(store_rejections(st, 50, count_feed_rejection, &seen), 0);
    assert_int_equal(seen.feeds, sizeof bad_feeds / sizeof bad_feeds[0] + 1);
    for (size_t i = 0; i < sizeof bad_feeds / sizeof bad_feeds[0]; i++)
        if (!(seen.found & (1u << i)))
            fail_msg("no rejection recorded for %s", bad_feeds[i].what);
    store_close(st);
}

static void test_url_change(void **state)
{
    struct fixture *f = *state;
    write_doc(f, "queue.json", queue_a);
    write_doc(f, "queue2.json", queue_b);
    start(f, f->url_queue, NULL);
    size_t two = 2, three = 3;
    wait_until(f, queue_has_counters, &two, "the first URL's snapshot");

    /* A new URL: the old place's numbers go at once, the new ones follow. */
    model_feeds urls = {.queue = f->url_queue2};
    feeder_set_urls(f->feeder, &urls);
    wait_until(f, queue_has_counters, &three, "the second URL's snapshot");
    char *body = cached(f, f->url_queue2);
    assert_non_null(body);
    assert_string_equal(body, queue_b);
    free(body);
    assert_null(cached(f, f->url_queue));

    /* Back to the first URL, now unreachable: its old numbers are not in
     * the cache any more, and the second URL's must not stand in for them. */
    char path[128];
    snprintf(path, sizeof path, "%s/queue.json", f->dir);
    assert_int_equal(unlink(path), 0);
    urls.queue = f->url_queue;
    feeder_set_urls(f->feeder, &urls);
    wait_until(f, queue_configured_empty, NULL, "the first URL with nothing to show");
    wait_until(f, queue_error_has, "", "the failing first URL");
    assert_null(f->queue);

    /* No URL at all: the feed is off. */
    urls.queue = NULL;
    feeder_set_urls(f->feeder, &urls);
    for (int i = 0; i < WAIT_MS / 10 && f->queue_status.configured; i++) {
        sleep_ms(10);
        take(f);
    }
    assert_false(f->queue_status.configured);
    assert_null(f->queue);
}

/* The old URL's snapshot may still wait in the hub, untaken, when the URL
 * changes: taken together with the new URL's "nothing yet", it is dropped. */
static void test_url_change_before_take(void **state)
{
    struct fixture *f = *state;
    write_doc(f, "queue.json", queue_a);
    start(f, f->url_queue, NULL);
    char *body = NULL;
    for (int i = 0; i < WAIT_MS / 10 && !(body = cached(f, f->url_queue)); i++)
        sleep_ms(10); /* accepted, published, and not taken */
    assert_non_null(body);
    free(body);
    model_feeds urls = {.queue = f->url_queue2}; /* no such file */
    feeder_set_urls(f->feeder, &urls);
    sleep_ms(1000); /* the thread takes the new URL within a tick */
    assert_true(take(f));
    assert_null(f->queue);
    assert_true(f->queue_status.configured);
    assert_int_equal(f->queue_status.fetched_at_ms, 0);
}

static void test_load_cached(void **state)
{
    struct fixture *f = *state;
    write_doc(f, "queue.json", queue_a);
    write_doc(f, "vacancy.json", vacancy_a);
    start(f, f->url_queue, f->url_vacancy);
    size_t two = 2;
    wait_until(f, queue_has_counters, &two, "the queue snapshot");
    wait_until(f, vacancy_loaded, NULL, "the vacancy snapshot");
    int64_t fetched = f->queue_status.fetched_at_ms;
    feeder_stop(f->feeder);
    f->feeder = NULL;

    store *st = store_open(f->data, NULL);
    assert_non_null(st);
    feeds_queue *q;
    feeds_vacancy *v;
    hub_feed_status qs, vs;
    model_feeds urls = {.queue = f->url_queue, .vacancy = f->url_vacancy};
    feeder_load_cached(st, &urls, &q, &qs, &v, &vs);
    assert_non_null(q);
    assert_int_equal(q->n_counters, 2);
    assert_true(qs.configured);
    assert_int_equal(qs.fetched_at_ms, fetched);
    assert_false(qs.failing);
    assert_non_null(v);
    assert_int_equal(v->n_facilities, 1);
    assert_true(vs.configured);
    feeds_queue_destroy(q);
    feeds_vacancy_destroy(v);

    /* Another URL for the same feed, or none: nothing from the cache. */
    urls = (model_feeds){.queue = f->url_queue2};
    feeder_load_cached(st, &urls, &q, &qs, &v, &vs);
    assert_null(q);
    assert_true(qs.configured);
    assert_int_equal(qs.fetched_at_ms, 0);
    assert_null(v);
    assert_false(vs.configured);
    feeder_load_cached(st, NULL, &q, &qs, &v, &vs);
    assert_null(q);
    assert_false(qs.configured);
    store_close(st);

    /* A restart offline: the thread publishes the cache before any poll
     * succeeds. */
    char path[128];
    snprintf(path, sizeof path, "%s/queue.json", f->dir);
    assert_int_equal(unlink(path), 0);
    feeds_queue_destroy(f->queue);
    f->queue = NULL;
    start(f, f->url_queue, NULL);
    wait_until(f, queue_shows, &two, "the cached snapshot after a restart");
    assert_int_equal(f->queue_status.fetched_at_ms, fetched);
    wait_until(f, queue_error_has, "", "the failing poll after the restart");
    assert_non_null(f->queue); /* still shown */
}

static void test_stop_null_and_early(void **state)
{
    struct fixture *f = *state;
    feeder_stop(NULL);
    feeder_set_urls(NULL, NULL);
    assert_null(feeder_start(NULL));
    /* Stopped before any URL was set. */
    feeder_config cfg = {.data_dir = f->data, .hub = f->hub};
    feeder *fd = feeder_start(&cfg);
    assert_non_null(fd);
    feeder_stop(fd);
    cfg.hub = NULL;
    assert_null(feeder_start(&cfg));
}

int main(void)
{
    /* Refusals are logged as warnings; keep the test output readable. */
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accept_and_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_keeps_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_url_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_url_change_before_take, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_null_and_early, setup, teardown),
    };
    return cmocka_run_group_tests_name("feeder", tests, NULL, NULL);
}
