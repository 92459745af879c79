/* test_hub: snapshots cross threads whole: the UI side gets the newest pack
 * and the newest feed snapshots exactly once, older untaken ones are freed
 * (ASan checks), a status-only publish never drops a snapshot, wakes arrive. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/core/feeds.h"
#include "app/core/hub.h"

static int wakes;
static pthread_mutex_t wakes_lock = PTHREAD_MUTEX_INITIALIZER;

static void count_wake(void *user)
{
    (void)user;
    pthread_mutex_lock(&wakes_lock);
    wakes++;
    pthread_mutex_unlock(&wakes_lock);
}

static void test_take_newest_once(void **state)
{
    (void)state;
    wakes = 0;
    hub *h = hub_create(count_wake, NULL);
    assert_null(hub_take_pack(h));
    model_pack *a = model_pack_new(), *b = model_pack_new();
    uint64_t v0 = hub_version(h);
    hub_publish_pack(h, a);
    hub_publish_pack(h, b); /* a was never taken: freed by the hub */
    assert_true(hub_version(h) > v0);
    assert_ptr_equal(hub_take_pack(h), b);
    assert_null(hub_take_pack(h));
    model_pack_destroy(b);
    assert_int_equal(wakes, 2);
    channel_result r = {.outcome = CHANNEL_REJECTED, .version = 3};
    strcpy(r.reason, "signature: bad");
    channel_result got;
    assert_false(hub_last_sync(h, &got, NULL));
    hub_publish_sync(h, &r, 1234);
    int64_t at;
    assert_true(hub_last_sync(h, &got, &at));
    assert_int_equal(got.outcome, CHANNEL_REJECTED);
    assert_string_equal(got.reason, "signature: bad");
    assert_int_equal(at, 1234);
    hub_publish_pack(h, model_pack_new()); /* left for destroy to free */
    hub_destroy(h);
    hub_destroy(NULL);
}

struct producer {
    hub *h;
    int n;
};

static void *produce(void *arg)
{
    struct producer *p = arg;
    for (int i = 0; i < p->n; i++)
        hub_publish_pack(p->h, model_pack_new());
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    hub *h = hub_create(NULL, NULL);
    struct producer p = {h, 2000};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
    int taken = 0;
    for (int i = 0; i < 100000 && taken < 50; i++) {
        model_pack *pk = hub_take_pack(h);
        if (pk) {
            taken++;
            model_pack_destroy(pk);
        }
    }
    pthread_join(t, NULL);
    model_pack_destroy(hub_take_pack(h));
    assert_null(hub_take_pack(h));
    assert_true(hub_version(h) >= 2000);
    hub_destroy(h);
}

/* ---- live feeds ---- */

static feeds_queue *queue_with(int counters)
{
    char doc[512];
    int n = snprintf(doc, sizeof doc,
                     "{\"format\": 1, \"updated\": \"2026-11-24T10:03:00+09:00\", \"counters\": [");
    for (int i = 0; i < counters; i++)
        n += snprintf(doc + n, sizeof doc - (size_t)n,
                      "%s{\"id\": \"c%d\", \"name\": \"窓口%d\", \"open\": true}", i ? "," : "", i,
                      i);
    snprintf(doc + n, sizeof doc - (size_t)n, "]}");
    feeds_queue *q = NULL;
    feeds_errors errs;
    assert_int_equal(feeds_queue_parse(doc, strlen(doc), NULL, &q, &errs), 0);
    return q;
}

static feeds_vacancy *vacancy_one(void)
{
    static const char doc[] =
        "{\"format\": 1, \"updated\": \"2026-11-24T10:00:00+09:00\", \"facilities\": ["
        "{\"id\": \"gym\", \"name\": \"体育館\", \"days\": [{\"date\": \"2026-11-24\","
        " \"slots\": [{\"start\": \"09:00\", \"end\": \"11:00\", \"state\": \"free\"}]}]}]}";
    feeds_vacancy *v = NULL;
    feeds_errors errs;
    assert_int_equal(feeds_vacancy_parse(doc, strlen(doc), NULL, &v, &errs), 0);
    return v;
}

static void test_feed_take_newest_once(void **state)
{
    (void)state;
    wakes = 0;
    hub *h = hub_create(count_wake, NULL);
    feeds_queue *q = (feeds_queue *)1;
    hub_feed_status st = {.fetched_at_ms = -1};
    assert_false(hub_take_queue(h, &q, &st));
    assert_null(q);
    assert_int_equal(st.fetched_at_ms, -1); /* untouched when nothing moved */

    uint64_t v0 = hub_version(h);
    feeds_queue *a = queue_with(1), *b = queue_with(2);
    hub_feed_status sa = {.configured = true, .fetched_at_ms = 10, .checked_at_ms = 10};
    hub_feed_status sb = {.configured = true, .fetched_at_ms = 20, .checked_at_ms = 20};
    hub_publish_queue(h, a, &sa);
    hub_publish_queue(h, b, &sb); /* a was never taken: freed by the hub */
    assert_true(hub_version(h) >= v0 + 2);
    assert_int_equal(wakes, 2);
    assert_true(hub_take_queue(h, &q, &st));
    assert_ptr_equal(q, b);
    assert_int_equal(q->n_counters, 2);
    assert_int_equal(st.fetched_at_ms, 20);
    assert_false(hub_take_queue(h, &q, &st));
    assert_null(q);
    feeds_queue_destroy(b);

    /* The two feeds do not see each other's publishes. */
    feeds_vacancy *v = (feeds_vacancy *)1;
    assert_false(hub_take_vacancy(h, &v, &st));
    assert_null(v);
    feeds_vacancy *va = vacancy_one();
    hub_feed_status sv = {.configured = true, .fetched_at_ms = 30};
    hub_publish_vacancy(h, va, &sv);
    assert_false(hub_take_queue(h, &q, &st));
    assert_true(hub_take_vacancy(h, &v, &st));
    assert_ptr_equal(v, va);
    assert_int_equal(v->n_facilities, 1);
    assert_int_equal(st.fetched_at_ms, 30);
    feeds_vacancy_destroy(v);

    /* Leftovers of both kinds are freed by destroy (ASan checks). */
    hub_publish_queue(h, queue_with(3), &sa);
    hub_publish_vacancy(h, vacancy_one(), &sv);
    hub_destroy(h);
}

/* A failing poll publishes only a status: the UI keeps its snapshot, and a
 * snapshot not yet taken is not lost to a later status. */
static void test_feed_status_only(void **state)
{
    (void)state;
    hub *h = hub_create(NULL, NULL);
    feeds_queue *q;
    hub_feed_status st;
    hub_feed_status failing = {.configured = true, .fetched_at_ms = 10, .failing = true};
    strcpy(failing.error, "HTTP 503");
    hub_publish_queue(h, NULL, &failing);
    assert_true(hub_take_queue(h, &q, &st));
    assert_null(q);
    assert_true(st.failing);
    assert_string_equal(st.error, "HTTP 503");

    feeds_queue *good = queue_with(1);
    hub_feed_status ok = {.configured = true, .fetched_at_ms = 40, .checked_at_ms = 40};
    hub_publish_queue(h, good, &ok);
    failing.fetched_at_ms = 40;
    strcpy(failing.error, "queue.json:1:1: (root): bad");
    hub_publish_queue(h, NULL, &failing);
    assert_true(hub_take_queue(h, &q, &st));
    assert_ptr_equal(q, good); /* still handed over */
    assert_true(st.failing);   /* with the newest status */
    assert_string_equal(st.error, "queue.json:1:1: (root): bad");
    assert_false(hub_take_queue(h, &q, &st));
    feeds_queue_destroy(good);
    hub_destroy(h);
}

struct feed_producer {
    hub *h;
    int n;
};

static void *produce_feeds(void *arg)
{
    struct feed_producer *p = arg;
    for (int i = 0; i < p->n; i++) {
        hub_feed_status st = {.configured = true, .fetched_at_ms = i + 1};
        hub_publish_queue(p->h, i % 3 ? queue_with(1 + i % 4) : NULL, &st);
    }
    return NULL;
}

static void test_feed_threads(void **state)
{
    (void)state;
    hub *h = hub_create(NULL, NULL);
    struct feed_producer p = {h, 600};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, produce_feeds, &p), 0);
    int64_t last = 0;
    for (int i = 0; i < 200000 && last < p.n; i++) {
        feeds_queue *q;
        hub_feed_status st;
        if (hub_take_queue(h, &q, &st)) {
            assert_true(st.fetched_at_ms >= last); /* never an older status */
            last = st.fetched_at_ms;
            feeds_queue_destroy(q);
        }
    }
    pthread_join(t, NULL);
    feeds_queue *q;
    hub_feed_status st;
    if (hub_take_queue(h, &q, &st))
        feeds_queue_destroy(q);
    assert_false(hub_take_queue(h, &q, &st));
    hub_destroy(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_newest_once),      cmocka_unit_test(test_threads),
        cmocka_unit_test(test_feed_take_newest_once), cmocka_unit_test(test_feed_status_only),
        cmocka_unit_test(test_feed_threads),
    };
    return cmocka_run_group_tests_name("hub", tests, NULL, NULL);
}
