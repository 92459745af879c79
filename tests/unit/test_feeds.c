/* test_feeds: core/feeds. The example feeds in schemas/examples parse into
 * the snapshot they describe; each broken feed in the table is refused with
 * exactly the first error line a city's integrator would see
 * ("queue.json:LINE:COL: PATH: MESSAGE") and the expected number of
 * problems; limits (size, depth, counts, string length) hold.
 *
 * To add a case: write the JSON, run with FEEDS_TEST_SHOW=1 to see every
 * first error line with a caret under its place, check the caret sits where
 * a person would look, then copy the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/core/feeds.h"
#include "app/core/model.h"

/* The JSON here is written with ' for " (dq() swaps them back). */
enum wrap {
    Q_WHOLE,      /* the whole queue document */
    Q_COUNTERS,   /* entries of "counters" */
    V_WHOLE,      /* the whole vacancy document */
    V_FACILITIES, /* entries of "facilities" */
    V_DAYS,       /* entries of the first facility's "days" */
    V_SLOTS,      /* entries of the first day's "slots" */
};

static const char *const heads[] = {
    [Q_WHOLE] = "",
    [Q_COUNTERS] = "{\n"
                   "  'format': 1,\n"
                   "  'updated': '2026-11-24T10:03:00+09:00',\n"
                   "  'counters': [\n",
    [V_WHOLE] = "",
    [V_FACILITIES] = "{\n"
                     "  'format': 1,\n"
                     "  'updated': '2026-11-24T10:00:00+09:00',\n"
                     "  'facilities': [\n",
    [V_DAYS] = "{\n"
               "  'format': 1,\n"
               "  'updated': '2026-11-24T10:00:00+09:00',\n"
               "  'facilities': [{'id': 'gym-a', 'name': '体育館', 'days': [\n",
    [V_SLOTS] = "{\n"
                "  'format': 1,\n"
                "  'updated': '2026-11-24T10:00:00+09:00',\n"
                "  'facilities': [{'id': 'gym-a', 'name': '体育館', 'days': [\n"
                "    {'date': '2026-11-24', 'slots': [\n",
};
static const char *const tails[] = {
    [Q_WHOLE] = "",
    [Q_COUNTERS] = "\n  ]\n}\n",
    [V_WHOLE] = "",
    [V_FACILITIES] = "\n  ]\n}\n",
    [V_DAYS] = "\n  ]}]\n}\n",
    [V_SLOTS] = "\n    ]}\n  ]}]\n}\n",
};

typedef struct bad_case {
    const char *name;
    enum wrap wrap;
    const char *json;
    const char *first; /* the first error line, exactly */
    size_t total;      /* how many problems in all */
} bad_case;

static const bad_case bad_cases[] = {
    /* ---- the queue ---- */
    {"syntax_missing_comma", Q_WHOLE,
     "{\n  'format': 1\n  'updated': '2026-11-24T10:03:00+09:00',\n  'counters': []\n}\n",
     "queue.json:3:11: (root): invalid JSON: '}' expected near '\"updated\"'", 1},
    {"syntax_not_utf8", Q_COUNTERS, "    {'id': 'a', 'name': '\xff', 'open': true}",
     "queue.json:5:25: counters[0].name: invalid JSON: unable to decode byte 0xff near '\"'", 1},
    {"syntax_nul_escape", Q_COUNTERS, "    {'id': 'a', 'name': 'a\\u0000b', 'open': true}",
     "queue.json:5:34: counters[0].name: invalid JSON: \\u0000 is not allowed without "
     "JSON_ALLOW_NUL near '\"a\\u0000b\"'",
     1},
    {"syntax_duplicate_key", Q_COUNTERS, "    {'id': 'a', 'name': 'x', 'open': true, 'id': 'b'}",
     "queue.json:5:47: counters[0].id: invalid JSON: duplicate object key near '\"id\"'", 1},
    {"root_not_object", Q_WHOLE, "[]\n",
     "queue.json:1:1: (root): expected an object {…} (a queue feed)", 1},
    {"format_missing", Q_WHOLE, "{'updated': '2026-11-24T10:03:00+09:00', 'counters': []}\n",
     "queue.json:1:1: (root): missing \"format\"", 1},
    {"format_2", Q_WHOLE, "{'format': 2, 'updated': '2026-11-24T10:03:00+09:00', 'counters': []}\n",
     "queue.json:1:12: format: unsupported format 2 (this hiroba reads format 1)", 1},
    {"updated_no_offset", Q_WHOLE,
     "{'format': 1, 'updated': '2026-11-24T10:03:00', 'counters': []}\n",
     "queue.json:1:26: updated: expected a time with its offset, like "
     "\"2026-11-24T10:03:00+09:00\"",
     1},
    {"updated_number", Q_WHOLE, "{'format': 1, 'updated': 1795482180, 'counters': []}\n",
     "queue.json:1:26: updated: expected a time (a string)", 1},
    {"updated_not_a_day", Q_WHOLE,
     "{'format': 1, 'updated': '2026-02-30T10:03:00+09:00', 'counters': []}\n",
     "queue.json:1:26: updated: expected a time with its offset, like "
     "\"2026-11-24T10:03:00+09:00\"",
     1},
    {"counters_missing", Q_WHOLE, "{'format': 1, 'updated': '2026-11-24T10:03:00Z'}\n",
     "queue.json:1:1: (root): missing \"counters\"", 1},
    {"counters_object", Q_WHOLE,
     "{'format': 1, 'updated': '2026-11-24T10:03:00Z', 'counters': {'shimin': {}}}\n",
     "queue.json:1:62: counters: expected a list of counters", 1},
    {"counter_not_object", Q_COUNTERS, "    'shimin'",
     "queue.json:5:5: counters[0]: expected a counter {\"id\": …, \"name\": …, \"open\": …}", 1},
    {"counter_missing_name", Q_COUNTERS, "    {'id': 'shimin', 'open': true}",
     "queue.json:5:5: counters[0]: missing \"name\"", 1},
    {"counter_missing_open", Q_COUNTERS, "    {'id': 'shimin', 'name': '市民課'}",
     "queue.json:5:5: counters[0]: missing \"open\"", 1},
    {"name_without_ja", Q_COUNTERS,
     "    {'id': 'shimin', 'name': {'en': 'Citizens Division'}, 'open': true}",
     "queue.json:5:30: counters[0].name: missing \"ja\": every name needs Japanese (other "
     "languages fall back to it)",
     1},
    {"name_number", Q_COUNTERS, "    {'id': 'shimin', 'name': 42, 'open': true}",
     "queue.json:5:30: counters[0].name: expected a name: a string, or an object like {\"ja\": "
     "\"…\", \"en\": \"…\"}",
     1},
    {"name_empty", Q_COUNTERS, "    {'id': 'shimin', 'name': {'ja': ''}, 'open': true}",
     "queue.json:5:37: counters[0].name.ja: empty string", 1},
    {"name_control_char", Q_COUNTERS, "    {'id': 'shimin', 'name': '市民課\\n2階', 'open': true}",
     "queue.json:5:30: counters[0].name: control character in a string", 1},
    {"id_uppercase", Q_COUNTERS, "    {'id': 'Shimin', 'name': '市民課', 'open': true}",
     "queue.json:5:12: counters[0].id: not an id: \"Shimin\" (1 to 64 of a-z 0-9 _ -, starting "
     "with a letter or digit)",
     1},
    {"id_twice", Q_COUNTERS,
     "    {'id': 'shimin', 'name': '市民課', 'open': true},\n"
     "    {'id': 'shimin', 'name': '市民課 2', 'open': true}",
     "queue.json:6:12: counters[1].id: id \"shimin\" used twice (first at [0])", 1},
    {"open_string", Q_COUNTERS, "    {'id': 'shimin', 'name': '市民課', 'open': 'yes'}",
     "queue.json:5:45: counters[0].open: expected true or false", 1},
    {"waiting_negative", Q_COUNTERS,
     "    {'id': 'shimin', 'name': '市民課', 'open': true, 'waiting': -3}",
     "queue.json:5:62: counters[0].waiting: must be from 0 to 9999 (got -3)", 1},
    {"serving_string", Q_COUNTERS,
     "    {'id': 'shimin', 'name': '市民課', 'open': true, 'serving': '123'}",
     "queue.json:5:62: counters[0].serving: expected a whole number from 0 to 999999", 1},
    {"wait_minutes_float", Q_COUNTERS,
     "    {'id': 'shimin', 'name': '市民課', 'open': true, 'wait_minutes': 2.5}",
     "queue.json:5:67: counters[0].wait_minutes: expected a whole number from 0 to 1440", 1},
    {"wait_minutes_huge", Q_COUNTERS,
     "    {'id': 'shimin', 'name': '市民課', 'open': true, 'wait_minutes': 100000}",
     "queue.json:5:67: counters[0].wait_minutes: must be from 0 to 1440 (got 100000)", 1},
    {"every_problem_counted", Q_COUNTERS,
     "    {'id': 'A', 'name': 1, 'open': 0, 'serving': -1, 'waiting': 'x', 'wait_minutes': []}",
     "queue.json:5:12: counters[0].id: not an id: \"A\" (1 to 64 of a-z 0-9 _ -, starting with a "
     "letter or digit)",
     6},
    /* ---- vacancy ---- */
    {"facilities_missing", V_WHOLE, "{'format': 1, 'updated': '2026-11-24T10:00:00+09:00'}\n",
     "vacancy.json:1:1: (root): missing \"facilities\"", 1},
    {"facility_missing_days", V_FACILITIES, "    {'id': 'gym-a', 'name': '体育館'}",
     "vacancy.json:5:5: facilities[0]: missing \"days\"", 1},
    {"days_empty", V_FACILITIES, "    {'id': 'gym-a', 'name': '体育館', 'days': []}",
     "vacancy.json:5:44: facilities[0].days: no days: give at least today", 1},
    {"url_http", V_FACILITIES,
     "    {'id': 'gym-a', 'name': '体育館', 'reserve_url': 'http://yoyaku.example.jp/a',\n"
     "     'days': [{'date': '2026-11-24', 'slots': []}]}",
     "vacancy.json:5:51: facilities[0].reserve_url: expected an https:// URL (http:// only for "
     "127.0.0.1 and localhost)",
     1},
    {"url_ftp", V_FACILITIES,
     "    {'id': 'gym-a', 'name': '体育館', 'reserve_url': 'ftp://yoyaku.example.jp/a',\n"
     "     'days': [{'date': '2026-11-24', 'slots': []}]}",
     "vacancy.json:5:51: facilities[0].reserve_url: expected an https:// URL", 1},
    {"url_space", V_FACILITIES,
     "    {'id': 'gym-a', 'name': '体育館', 'reserve_url': 'https://yoyaku.example.jp/a b',\n"
     "     'days': [{'date': '2026-11-24', 'slots': []}]}",
     "vacancy.json:5:51: facilities[0].reserve_url: not a valid URL: percent-encode spaces, quotes "
     "and non-ASCII characters",
     1},
    {"date_not_a_day", V_DAYS, "    {'date': '2026-02-30', 'slots': []}",
     "vacancy.json:5:14: facilities[0].days[0].date: not a calendar date: \"2026-02-30\"", 1},
    {"date_slashes", V_DAYS, "    {'date': '2026/11/24', 'slots': []}",
     "vacancy.json:5:14: facilities[0].days[0].date: expected a date \"YYYY-MM-DD\", like "
     "\"2026-11-24\"",
     1},
    {"days_out_of_order", V_DAYS,
     "    {'date': '2026-11-25', 'slots': []},\n    {'date': '2026-11-24', 'slots': []}",
     "vacancy.json:6:14: facilities[0].days[1].date: not after the day before (days in order, each "
     "once)",
     1},
    {"day_missing_slots", V_DAYS, "    {'date': '2026-11-24'}",
     "vacancy.json:5:5: facilities[0].days[0]: missing \"slots\"", 1},
    {"slot_end_before_start", V_SLOTS, "      {'start': '11:00', 'end': '09:00', 'state': 'free'}",
     "vacancy.json:6:33: facilities[0].days[0].slots[0].end: not after \"start\"", 1},
    {"slot_end_equals_start", V_SLOTS, "      {'start': '11:00', 'end': '11:00', 'state': 'free'}",
     "vacancy.json:6:33: facilities[0].days[0].slots[0].end: not after \"start\"", 1},
    {"slot_unknown_state", V_SLOTS, "      {'start': '09:00', 'end': '11:00', 'state': 'vacant'}",
     "vacancy.json:6:51: facilities[0].days[0].slots[0].state: unknown state \"vacant\" (use "
     "\"free\", \"booked\" or \"closed\")",
     1},
    {"slot_state_bool", V_SLOTS, "      {'start': '09:00', 'end': '11:00', 'state': true}",
     "vacancy.json:6:51: facilities[0].days[0].slots[0].state: expected \"free\", \"booked\" or "
     "\"closed\"",
     1},
    {"slot_25_oclock", V_SLOTS, "      {'start': '25:00', 'end': '26:00', 'state': 'free'}",
     "vacancy.json:6:17: facilities[0].days[0].slots[0].start: not a time of day: \"25:00\" (00:00 "
     "to 23:59; an end may be 24:00)",
     2},
    {"slot_starts_at_24", V_SLOTS, "      {'start': '24:00', 'end': '24:00', 'state': 'free'}",
     "vacancy.json:6:17: facilities[0].days[0].slots[0].start: not a time of day: \"24:00\" (00:00 "
     "to 23:59; an end may be 24:00)",
     1},
    {"slots_overlap", V_SLOTS,
     "      {'start': '09:00', 'end': '11:00', 'state': 'free'},\n"
     "      {'start': '10:30', 'end': '12:00', 'state': 'booked'}",
     "vacancy.json:7:17: facilities[0].days[0].slots[1].start: starts before the slot before it "
     "ends (slots in order, not overlapping)",
     1},
    {"slot_missing_state", V_SLOTS, "      {'start': '09:00', 'end': '11:00'}",
     "vacancy.json:6:7: facilities[0].days[0].slots[0]: missing \"state\"", 1},
};

/* ' -> ", into a new string. */
static char *dq(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    for (char *p = d; *p; p++)
        if (*p == '\'')
            *p = '"';
    return d;
}

static char *build(const bad_case *c, size_t *len)
{
    size_t n = strlen(heads[c->wrap]) + strlen(c->json) + strlen(tails[c->wrap]);
    char *raw = malloc(n + 1);
    assert_non_null(raw);
    snprintf(raw, n + 1, "%s%s%s", heads[c->wrap], c->json, tails[c->wrap]);
    char *text = dq(raw);
    free(raw);
    *len = n;
    return text;
}

static bool is_queue(enum wrap w)
{
    return w == Q_WHOLE || w == Q_COUNTERS;
}

/* Parses as the wrap's kind; returns the result and frees any snapshot. */
static int parse(bool queue, const char *text, size_t len, feeds_errors *errs)
{
    if (queue) {
        feeds_queue *q = (feeds_queue *)errs; /* must be reset to NULL */
        int r = feeds_queue_parse(text, len, NULL, &q, errs);
        assert_true(r == 0 ? q != NULL : q == NULL);
        feeds_queue_destroy(q);
        return r;
    }
    feeds_vacancy *v = (feeds_vacancy *)errs;
    int r = feeds_vacancy_parse(text, len, NULL, &v, errs);
    assert_true(r == 0 ? v != NULL : v == NULL);
    feeds_vacancy_destroy(v);
    return r;
}

static void first_line(const feeds_errors *e, char *buf, size_t size)
{
    snprintf(buf, size, "(no error)");
    if (e->count)
        feeds_error_line(e, 0, buf, size);
}

static void show(const char *name, const char *text, size_t len, const feeds_errors *e)
{
    char line[512];
    first_line(e, line, sizeof line);
    print_message("=== %s\n%s\n", name, line);
    if (!e->count)
        return;
    const char *p = text, *end = text + len;
    for (uint32_t l = 1; l < e->list[0].line && p < end; p++)
        if (*p == '\n')
            l++;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    print_message("  |%.*s\n  |%*s^\n", (int)((eol ? eol : end) - p), p, (int)e->list[0].column - 1,
                  "");
}

static void assert_well_formed(const feeds_errors *e, size_t len)
{
    assert_true(e->count >= 1 && e->count <= FEEDS_MAX_ERRORS && e->count <= e->total);
    for (size_t i = 0; i < e->count; i++) {
        assert_true(e->list[i].line >= 1 && e->list[i].column >= 1);
        assert_true(e->list[i].offset <= len);
        if (i > 0)
            assert_true(e->list[i - 1].offset <= e->list[i].offset);
    }
}

static void test_broken_feeds(void **state)
{
    (void)state;
    static feeds_errors errs;
    bool show_all = getenv("FEEDS_TEST_SHOW") != NULL;
    size_t failed = 0, n = sizeof bad_cases / sizeof bad_cases[0];
    for (size_t i = 0; i < n; i++) {
        const bad_case *c = &bad_cases[i];
        size_t len;
        char *text = build(c, &len);
        int r = parse(is_queue(c->wrap), text, len, &errs);
        char got[512];
        first_line(&errs, got, sizeof got);
        if (show_all)
            show(c->name, text, len, &errs);
        if (r != FEEDS_INVALID || strcmp(got, c->first) != 0 || errs.total != c->total) {
            print_error("%s: returned %d, %zu problems (want %zu)\n  got:  %s\n  want: %s\n",
                        c->name, r, errs.total, c->total, got, c->first);
            failed++;
        }
        assert_well_formed(&errs, len);
        free(text);
    }
    if (failed)
        fail_msg("%zu of %zu cases failed", failed, n);
}

static char *read_example(const char *name, size_t *len)
{
    const char *dir = getenv("HIROBA_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/schemas/examples/%s", dir ? dir : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (set HIROBA_SOURCE_DIR to the source tree)", path);
    char *buf = malloc(FEEDS_MAX_BYTES + 1);
    assert_non_null(buf);
    *len = fread(buf, 1, FEEDS_MAX_BYTES + 1, f);
    fclose(f);
    return buf;
}

static void test_example_queue(void **state)
{
    (void)state;
    static feeds_errors errs;
    size_t len;
    char *text = read_example("queue.json", &len);
    feeds_queue *q = NULL;
    if (feeds_queue_parse(text, len, "queue.json", &q, &errs) != 0) {
        show("example queue", text, len, &errs);
        fail_msg("schemas/examples/queue.json does not parse");
    }
    /* 2026-11-24T10:03:00+09:00 */
    assert_int_equal(q->updated, 1795482180);
    assert_int_equal(q->updated_offset, 9 * 3600);
    assert_int_equal(q->n_counters, 5);
    const feeds_counter *c = &q->counters[0];
    assert_string_equal(c->id, "shimin");
    assert_string_equal(model_text_get(&c->name, MODEL_LANG_JA), "市民課（住民票・戸籍）");
    assert_string_equal(model_text_get(&c->name, MODEL_LANG_EN),
                        "Citizens Division (residence, family register)");
    assert_int_equal(c->serving, 123);
    assert_int_equal(c->waiting, 8);
    assert_int_equal(c->wait_minutes, 25);
    assert_true(c->open);
    /* Leaving numbers out: unknown, and the name falls back to Japanese. */
    const feeds_counter *zeimu = &q->counters[3];
    assert_int_equal(zeimu->serving, FEEDS_UNKNOWN);
    assert_int_equal(zeimu->waiting, 12);
    assert_int_equal(zeimu->wait_minutes, FEEDS_UNKNOWN);
    assert_int_equal(model_text_lang(&zeimu->name, MODEL_LANG_KO), MODEL_LANG_JA);
    const feeds_counter *yakan = &q->counters[4];
    assert_false(yakan->open);
    assert_string_equal(model_text_get(&yakan->name, MODEL_LANG_EN), "夜間・休日窓口");
    assert_int_equal(yakan->waiting, FEEDS_UNKNOWN);
    feeds_queue_destroy(q);
    free(text);
}

static void test_example_vacancy(void **state)
{
    (void)state;
    static feeds_errors errs;
    size_t len;
    char *text = read_example("vacancy.json", &len);
    feeds_vacancy *v = NULL;
    if (feeds_vacancy_parse(text, len, "vacancy.json", &v, &errs) != 0) {
        show("example vacancy", text, len, &errs);
        fail_msg("schemas/examples/vacancy.json does not parse");
    }
    assert_int_equal(v->updated, 1795482000);
    assert_int_equal(v->n_facilities, 5);
    const feeds_facility *gym = &v->facilities[0];
    assert_string_equal(gym->id, "gym-a");
    assert_string_equal(model_text_get(&gym->name, MODEL_LANG_JA_EASY), "たいいくかん Aコート");
    assert_string_equal(gym->reserve_url, "https://yoyaku.city.hiroba.example/facilities/gym-a");
    assert_null(v->facilities[3].reserve_url);
    for (size_t i = 0; i < v->n_facilities; i++) {
        const feeds_facility *f = &v->facilities[i];
        assert_int_equal(f->n_days, 8); /* today and the next 7 days */
        for (size_t d = 0; d < f->n_days; d++) {
            /* 2026-11-24 is day 20781; 2026-11-30, a Monday, is closed. */
            assert_int_equal(f->days[d].day, 20781 + (int32_t)d);
            for (size_t s = 0; s < f->days[d].n_slots; s++) {
                const feeds_slot *sl = &f->days[d].slots[s];
                assert_true(sl->start_min < sl->end_min);
                assert_true(s == 0 || f->days[d].slots[s - 1].end_min <= sl->start_min);
                if (d == 6)
                    assert_int_equal(sl->state, FEEDS_SLOT_CLOSED);
            }
        }
    }
    assert_int_equal(gym->days[0].n_slots, 6);
    assert_int_equal(gym->days[0].slots[2].start_min, 13 * 60);
    assert_int_equal(gym->days[0].slots[2].end_min, 15 * 60);
    assert_int_equal(gym->days[0].slots[2].state, FEEDS_SLOT_FREE);
    assert_int_equal(gym->days[0].slots[0].state, FEEDS_SLOT_BOOKED);
    assert_string_equal(feeds_slot_state_name(gym->days[0].slots[0].state), "booked");
    feeds_vacancy_destroy(v);
    free(text);
}

/* What a feed from a newer or simpler system may do and still be read. */
static void test_tolerated(void **state)
{
    (void)state;
    static feeds_errors errs;
    char *text = dq("\xEF\xBB\xBF{'format': 1, 'updated': '2026-11-24T01:03:00.250Z',\n"
                    " 'source': 'queue-adapter 2.1', 'counters': [\n"
                    "  {'id': 'a', 'name': {'ja': '窓口', 'vi': 'Quầy'}, 'open': true,\n"
                    "   'serving': null, 'waiting': 0, 'floor': 2}]}\n");
    feeds_queue *q = NULL;
    assert_int_equal(feeds_queue_parse(text, strlen(text), "q.json", &q, &errs), 0);
    assert_int_equal(q->updated, 1795482180);
    assert_int_equal(q->updated_offset, 0);
    assert_int_equal(q->counters[0].serving, FEEDS_UNKNOWN);
    assert_int_equal(q->counters[0].waiting, 0);
    assert_null(q->counters[0].name.s[MODEL_LANG_EN]);
    feeds_queue_destroy(q);
    free(text);

    /* Loopback http for the demo; a day may end at 24:00; empty lists. */
    text = dq("{'format': 1, 'updated': '2026-11-24T10:00:00-03:30', 'facilities': [\n"
              "  {'id': 'x', 'name': 'ホール', 'reserve_url': 'http://127.0.0.1:8080/r?id=x',\n"
              "   'days': [{'date': '2026-11-24', 'slots': [\n"
              "     {'start': '21:00', 'end': '24:00', 'state': 'free'}]},\n"
              "    {'date': '2026-11-26', 'slots': []}]},\n"
              "  {'id': 'y', 'name': 'ホール2', 'reserve_url': null,\n"
              "   'days': [{'date': '2026-11-24', 'slots': []}]}]}");
    feeds_vacancy *v = NULL;
    assert_int_equal(feeds_vacancy_parse(text, strlen(text), NULL, &v, &errs), 0);
    assert_int_equal(v->updated_offset, -(3 * 3600 + 30 * 60));
    assert_string_equal(v->facilities[0].reserve_url, "http://127.0.0.1:8080/r?id=x");
    assert_int_equal(v->facilities[0].days[0].slots[0].end_min, 1440);
    assert_int_equal(v->facilities[0].days[1].n_slots, 0);
    assert_null(v->facilities[1].reserve_url);
    feeds_vacancy_destroy(v);
    free(text);

    text = dq("{'format': 1, 'updated': '2026-11-24T10:00:00+09:00', 'counters': []}");
    assert_int_equal(feeds_queue_parse(text, strlen(text), NULL, &q, &errs), 0);
    assert_int_equal(q->n_counters, 0);
    feeds_queue_destroy(q);
    free(text);
}

/* head, then n entries "pre<i>post" separated by ",\n", then tail (' for "). */
static char *repeat(const char *head, const char *pre, const char *post, size_t n, const char *tail,
                    size_t *len)
{
    size_t cap = strlen(head) + n * (strlen(pre) + strlen(post) + 24) + strlen(tail) + 1, k = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    k += (size_t)snprintf(buf + k, cap - k, "%s", head);
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%s%zu%s", i ? ",\n" : "", pre, i, post);
    k += (size_t)snprintf(buf + k, cap - k, "%s", tail);
    for (char *q = buf; *q; q++)
        if (*q == '\'')
            *q = '"';
    *len = k;
    return buf;
}

static void expect_first(bool queue, const char *text, size_t len, const char *want, size_t total)
{
    static feeds_errors errs;
    int r = parse(queue, text, len, &errs);
    char got[512];
    first_line(&errs, got, sizeof got);
    if (getenv("FEEDS_TEST_SHOW"))
        print_message("=== limit\n%s\n", got);
    assert_int_equal(r, FEEDS_INVALID);
    assert_string_equal(got, want);
    assert_int_equal(errs.total, total);
    assert_well_formed(&errs, len);
}

static void test_limits(void **state)
{
    (void)state;
    size_t len;
    /* 64 counters are fine, 65 are not. */
    const char *qhead = "{'format': 1, 'updated': '2026-11-24T10:03:00+09:00', 'counters': [\n";
    char *text = repeat(qhead, "{'id': 'c", "', 'name': '窓口', 'open': true}", 64, "]}\n", &len);
    static feeds_errors errs;
    assert_int_equal(parse(true, text, len, &errs), 0);
    free(text);
    text = repeat(qhead, "{'id': 'c", "', 'name': '窓口', 'open': true}", 65, "]}\n", &len);
    expect_first(true, text, len, "queue.json:1:67: counters: too many counters (65; at most 64)",
                 1);
    free(text);

    /* 64 facilities of 8 days of 48 slots: the biggest feed, under 256 KiB when compact. */
    const char *vhead = "{'format': 1, 'updated': '2026-11-24T10:00:00+09:00', 'facilities': [\n";
    text =
        repeat(vhead, "{'id': 'f", "', 'name': 'x', 'days': [{'date': '2026-11-24', 'slots': []}]}",
               65, "]}\n", &len);
    expect_first(false, text, len,
                 "vacancy.json:1:69: facilities: too many facilities (65; at most 64)", 1);
    free(text);
    text = repeat("{'format': 1, 'updated': '2026-11-24T10:00:00+09:00', 'facilities': [\n"
                  "{'id': 'f', 'name': 'x', 'days': [",
                  "{'date': '2026-12-1", "', 'slots': []}", 9, "]}]}\n", &len);
    expect_first(false, text, len,
                 "vacancy.json:2:34: facilities[0].days: too many days (9; at most 8)", 1);
    free(text);
    /* 49 slots of 10 minutes, 00:00 to 08:10. */
    char slots[49 * 64] = "";
    size_t k = 0;
    for (int i = 0; i < 49; i++)
        k += (size_t)snprintf(slots + k, sizeof slots - k,
                              "%s{'start': '%02d:%02d', 'end': '%02d:%02d', 'state': 'free'}",
                              i ? "," : "", i * 10 / 60, i * 10 % 60, (i + 1) * 10 / 60,
                              (i + 1) * 10 % 60);
    char head[256];
    snprintf(head, sizeof head, "%s",
             "{'format': 1, 'updated': '2026-11-24T10:00:00+09:00', "
             "'facilities': [{'id': 'f', 'name': 'x', 'days': [\n");
    text = repeat(head, "{'date': '2026-11-2", "', 'slots': [", 1, "", &len);
    size_t cap = len + k + 16;
    text = realloc(text, cap);
    assert_non_null(text);
    snprintf(text + len, cap - len, "%s]}]}]}", slots);
    for (char *q = text; *q; q++)
        if (*q == '\'')
            *q = '"';
    len = strlen(text);
    expect_first(false, text, len,
                 "vacancy.json:2:33: facilities[0].days[0].slots: too many slots (49; at most 48)",
                 1);
    free(text);

    /* 256 bytes of name are fine, 257 are not; ids stop at 64. */
    char name[300];
    memset(name, 'a', sizeof name);
    name[256] = '\0';
    char doc[1024];
    snprintf(doc, sizeof doc,
             "{\"format\": 1, \"updated\": \"2026-11-24T10:03:00Z\", \"counters\": [{\"id\": "
             "\"a\", \"name\": \"%s\", \"open\": true}]}",
             name);
    assert_int_equal(parse(true, doc, strlen(doc), &errs), 0);
    name[256] = 'a';
    name[257] = '\0';
    snprintf(doc, sizeof doc,
             "{\"format\": 1, \"updated\": \"2026-11-24T10:03:00Z\", \"counters\": [{\"id\": "
             "\"a\", \"name\": \"%s\", \"open\": true}]}",
             name);
    expect_first(true, doc, strlen(doc),
                 "queue.json:1:83: counters[0].name: longer than 256 bytes (257)", 1);
    name[65] = '\0';
    snprintf(doc, sizeof doc,
             "{\"format\": 1, \"updated\": \"2026-11-24T10:03:00Z\", \"counters\": [{\"id\": "
             "\"%s\", \"name\": \"x\", \"open\": true}]}",
             name);
    expect_first(
        true, doc, strlen(doc),
        "queue.json:1:70: counters[0].id: not an id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\" (1 to "
        "64 of a-z 0-9 _ -, starting with a letter or digit)",
        1);

    /* Too big: refused before parsing, whatever it holds. */
    len = FEEDS_MAX_BYTES + 1;
    text = malloc(len);
    assert_non_null(text);
    memset(text, ' ', len);
    text[0] = '{';
    text[len - 1] = '}';
    expect_first(true, text, len,
                 "queue.json:1:1: (root): document too large (262145 bytes; at most 262144)", 1);
    free(text);

    /* Too deep: refused before jansson recurses. */
    char deep[256];
    k = (size_t)snprintf(deep, sizeof deep, "{\"format\": 1, \"x\": ");
    for (int i = 0; i < 20; i++)
        deep[k++] = '[';
    for (int i = 0; i < 20; i++)
        deep[k++] = ']';
    deep[k++] = '}';
    expect_first(true, deep, k,
                 "queue.json:1:35: x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nested deeper "
                 "than 16 levels",
                 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_queue), cmocka_unit_test(test_example_vacancy),
        cmocka_unit_test(test_tolerated),     cmocka_unit_test(test_broken_feeds),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
