/* test_hub: snapshots cross threads whole: the UI side gets the newest pack
 * exactly once, older untaken ones are freed (ASan checks), wakes arrive. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_newest_once),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests_name("hub", tests, NULL, NULL);
}
