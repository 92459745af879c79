/* monkey_feeds: the monkey's dice and random feed documents (see the
 * header). jansson edits a copy of the example; nothing here parses a feed. */
#include "tests/screens/monkey_feeds.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/core/feeds.h"

uint64_t monkey_next(monkey_rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int monkey_rnd(monkey_rng *r, int n)
{
    return n > 0 ? (int)(monkey_next(r) % (uint64_t)n) : 0;
}

bool monkey_chance(monkey_rng *r, int percent)
{
    return monkey_rnd(r, 100) < percent;
}

/* ISO 8601 in Japan's zone for epoch seconds. */
static void iso_jst(int64_t sec, char *buf, size_t cap)
{
    time_t t = (time_t)(sec + 9 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

/* The longest name the limits allow: 84 kana, 252 bytes. */
static void set_longest_name(json_t *obj)
{
    char ja[FEEDS_MAX_STRING];
    size_t n = 0;
    while (n + 3 < FEEDS_MAX_STRING - 4) {
        memcpy(ja + n, "ま", 3);
        n += 3;
    }
    ja[n] = '\0';
    json_object_set_new(obj, "name", json_string(ja));
}

/* A name: the example's, one language only, or long (up to the limit). */
static void mutate_name(monkey_rng *r, json_t *obj)
{
    int which = monkey_rnd(r, 10);
    if (which == 0) {
        set_longest_name(obj);
    } else if (which == 1) {
        json_object_set_new(obj, "name",
                            json_pack("{s:s}", "ja",
                                      "とても長い窓口の名前で始まり、"
                                      "読めるところで折り返される名前です"));
    } else if (which == 2) {
        json_object_set_new(obj, "name",
                            json_pack("{s:s,s:s}", "ja", "窓口", "en",
                                      "A Division With A Rather Long English Name Indeed"));
    }
}

static json_t *int_or_gone(monkey_rng *r, int max, int keep_percent)
{
    return monkey_chance(r, keep_percent) ? json_integer(monkey_rnd(r, max + 1)) : NULL;
}

static void set_or_del(json_t *obj, const char *key, json_t *v)
{
    if (v)
        json_object_set_new(obj, key, v);
    else
        json_object_del(obj, key);
}

char *monkey_queue_text(monkey_rng *r, const json_t *example, int64_t updated)
{
    json_t *doc = json_deep_copy(example);
    json_t *counters = json_object_get(doc, "counters");
    size_t n = json_array_size(counters);
    int shape = monkey_rnd(r, 10);
    if (shape == 0) {
        json_array_clear(counters);
    } else if (shape == 1) { /* many counters: more than a page */
        size_t want = 6 + (size_t)monkey_rnd(r, FEEDS_MAX_COUNTERS - 5);
        for (size_t i = n; i < want; i++) {
            json_t *c = json_deep_copy(json_array_get(counters, i % n));
            char id[32];
            snprintf(id, sizeof id, "extra-%zu", i);
            json_object_set_new(c, "id", json_string(id));
            json_array_append_new(counters, c);
        }
    } else if (shape == 2 && n > 1) {
        json_array_remove(counters, (size_t)monkey_rnd(r, (int)n));
    }
    size_t i;
    json_t *c;
    json_array_foreach(counters, i, c)
    {
        if (monkey_chance(r, 60))
            set_or_del(c, "serving",
                       monkey_chance(r, 70)
                           ? json_integer(json_integer_value(json_object_get(c, "serving")) + 1)
                           : int_or_gone(r, FEEDS_MAX_SERVING, 90));
        if (monkey_chance(r, 50))
            set_or_del(c, "waiting",
                       int_or_gone(r, monkey_chance(r, 80) ? 30 : FEEDS_MAX_WAITING, 85));
        if (monkey_chance(r, 40))
            set_or_del(c, "wait_minutes",
                       int_or_gone(r, monkey_chance(r, 80) ? 90 : FEEDS_MAX_WAIT_MIN, 80));
        if (monkey_chance(r, 10))
            json_object_set_new(c, "open", json_boolean(monkey_chance(r, 70)));
        if (monkey_chance(r, 5))
            mutate_name(r, c);
    }
    char when[40];
    iso_jst(updated, when, sizeof when);
    json_object_set_new(doc, "updated", json_string(when));
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

static const char *const slot_states[] = {"free", "booked", "closed"};

char *monkey_vacancy_text(monkey_rng *r, const json_t *example, int64_t updated)
{
    json_t *doc = json_deep_copy(example);
    json_t *facs = json_object_get(doc, "facilities");
    size_t n = json_array_size(facs);
    int shape = monkey_rnd(r, 10);
    if (shape == 0) {
        json_array_clear(facs);
    } else if (shape == 1) { /* many rooms: rows to scroll */
        size_t want = n + 1 + (size_t)monkey_rnd(r, 30);
        for (size_t i = n; i < want; i++) {
            json_t *f = json_deep_copy(json_array_get(facs, i % n));
            char id[32];
            snprintf(id, sizeof id, "room-%zu", i);
            json_object_set_new(f, "id", json_string(id));
            json_array_append_new(facs, f);
        }
    } else if (shape == 2 && n > 1) {
        json_array_remove(facs, (size_t)monkey_rnd(r, (int)n));
    }
    size_t i;
    json_t *f;
    json_array_foreach(facs, i, f)
    {
        json_t *days = json_object_get(f, "days");
        if (monkey_chance(r, 20) && json_array_size(days) > 1) /* drop the first days */
            for (int k = monkey_rnd(r, (int)json_array_size(days) - 1) + 1; k > 0; k--)
                json_array_remove(days, 0);
        size_t d;
        json_t *day;
        json_array_foreach(days, d, day)
        {
            json_t *slots = json_object_get(day, "slots");
            size_t s;
            json_t *slot;
            json_array_foreach(slots, s, slot)
            {
                if (monkey_chance(r, 30))
                    json_object_set_new(slot, "state", json_string(slot_states[monkey_rnd(r, 3)]));
            }
            if (monkey_chance(r, 10) && json_array_size(slots) > 1)
                json_array_remove(slots, json_array_size(slots) - 1);
        }
        if (monkey_chance(r, 10))
            json_object_del(f, "reserve_url");
        else if (monkey_chance(r, 10))
            json_object_set_new(f, "reserve_url",
                                json_string("https://yoyaku.city.hiroba.example/facilities/"
                                            "a-much-longer-path/that-makes-a-denser-code?"
                                            "room=42&lang=ja&from=kiosk"));
        if (monkey_chance(r, 5))
            mutate_name(r, f);
    }
    char when[40];
    iso_jst(updated, when, sizeof when);
    json_object_set_new(doc, "updated", json_string(when));
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

/* Copies of the example's entries (ids made unique) until there are n,
 * every third with the longest name. */
static void fill_heavy(json_t *list, size_t n, const char *prefix)
{
    size_t have = json_array_size(list);
    for (size_t i = have; i < n && have > 0; i++) {
        json_t *e = json_deep_copy(json_array_get(list, i % have));
        char id[32];
        snprintf(id, sizeof id, "%s-%zu", prefix, i);
        json_object_set_new(e, "id", json_string(id));
        if (i % 3 == 0)
            set_longest_name(e);
        json_array_append_new(list, e);
    }
}

char *monkey_queue_heaviest(const json_t *example, int base, int64_t updated)
{
    json_t *doc = json_deep_copy(example);
    json_t *counters = json_object_get(doc, "counters");
    fill_heavy(counters, FEEDS_MAX_COUNTERS, "heavy");
    size_t i;
    json_t *c;
    json_array_foreach(counters, i, c)
    {
        json_object_set_new(c, "open", json_true());
        json_object_set_new(c, "serving", json_integer(base + (json_int_t)i));
        json_object_set_new(c, "waiting", json_integer((json_int_t)(i % 40)));
        json_object_set_new(c, "wait_minutes", json_integer((json_int_t)(i % 90)));
    }
    char when[40];
    iso_jst(updated, when, sizeof when);
    json_object_set_new(doc, "updated", json_string(when));
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

char *monkey_vacancy_heaviest(const json_t *example, int64_t updated)
{
    json_t *doc = json_deep_copy(example);
    json_t *facs = json_object_get(doc, "facilities");
    size_t i;
    json_t *f;
    json_array_foreach(facs, i, f)
    {
        json_t *days = json_object_get(f, "days");
        while (json_array_size(days) > 1)
            json_array_remove(days, json_array_size(days) - 1);
        json_t *slots = json_array();
        for (int s = 0; s < FEEDS_MAX_SLOTS; s++) {
            char from[8], to[8];
            snprintf(from, sizeof from, "%02d:%02d", s / 2, s % 2 * 30);
            snprintf(to, sizeof to, "%02d:%02d", (s + 1) / 2, (s + 1) % 2 * 30);
            json_array_append_new(slots, json_pack("{s:s,s:s,s:s}", "start", from, "end", to,
                                                   "state", slot_states[s % 3]));
        }
        json_object_set_new(json_array_get(days, 0), "slots", slots);
    }
    fill_heavy(facs, FEEDS_MAX_FACILITIES, "heavy");
    char when[40];
    iso_jst(updated, when, sizeof when);
    json_object_set_new(doc, "updated", json_string(when));
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}
