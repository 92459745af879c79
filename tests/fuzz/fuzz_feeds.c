/* fuzz_feeds: libFuzzer target for the live feed parser (queue and vacancy
 * feeds come from the network, from systems hiroba does not control). Any
 * bytes go in as both kinds of feed; the promises of feeds.h are checked and
 * a broken one aborts with a line saying which. Never tolerates a violation
 * quietly. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/feeds.h"
#include "app/core/jsonpos.h"
#include "app/core/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_feeds: invariant failed: %s (line %d)\n", #cond, __LINE__);      \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Strict UTF-8 (no overlongs, surrogates or > U+10FFFF), no control characters. */
static bool utf8_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F)
                return false;
            i++;
            continue;
        }
        size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4
                                              : 0;
        if (len == 0 || i + len > n)
            return false;
        for (size_t k = 1; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        if ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xED && p[i + 1] >= 0xA0) ||
            (c == 0xF0 && p[i + 1] < 0x90) || (c == 0xF4 && p[i + 1] >= 0x90))
            return false;
        i += len;
    }
    return true;
}

static void check_string(const char *s)
{
    CHECK(s != NULL);
    size_t n = strlen(s);
    CHECK(n >= 1 && n <= FEEDS_MAX_STRING && utf8_ok(s, n));
}

static void check_id(const char *id, const char *const *earlier, size_t n_earlier)
{
    check_string(id);
    size_t n = strlen(id);
    CHECK(n <= FEEDS_MAX_ID);
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (i > 0 && (c == '_' || c == '-')));
    }
    for (size_t i = 0; i < n_earlier; i++)
        CHECK(strcmp(earlier[i], id) != 0);
}

static void check_name(const model_text *t)
{
    check_string(t->s[MODEL_LANG_JA]);
    for (int l = 0; l < MODEL_LANG_COUNT; l++) {
        const char *s = model_text_get(t, (model_lang)l);
        check_string(s);
        CHECK(s == t->s[model_text_lang(t, (model_lang)l)]);
    }
}

static void check_queue(const feeds_queue *q)
{
    CHECK(q->n_counters <= FEEDS_MAX_COUNTERS && (q->n_counters == 0 || q->counters));
    CHECK(q->updated_offset > -86400 && q->updated_offset < 86400);
    const char *ids[FEEDS_MAX_COUNTERS];
    for (size_t i = 0; i < q->n_counters; i++) {
        const feeds_counter *c = &q->counters[i];
        check_id(c->id, ids, i);
        ids[i] = c->id;
        check_name(&c->name);
        CHECK(c->serving >= FEEDS_UNKNOWN && c->serving <= FEEDS_MAX_SERVING);
        CHECK(c->waiting >= FEEDS_UNKNOWN && c->waiting <= FEEDS_MAX_WAITING);
        CHECK(c->wait_minutes >= FEEDS_UNKNOWN && c->wait_minutes <= FEEDS_MAX_WAIT_MIN);
    }
}

static void check_vacancy(const feeds_vacancy *v)
{
    CHECK(v->n_facilities <= FEEDS_MAX_FACILITIES && (v->n_facilities == 0 || v->facilities));
    const char *ids[FEEDS_MAX_FACILITIES];
    for (size_t i = 0; i < v->n_facilities; i++) {
        const feeds_facility *f = &v->facilities[i];
        check_id(f->id, ids, i);
        ids[i] = f->id;
        check_name(&f->name);
        if (f->reserve_url) {
            check_string(f->reserve_url);
            CHECK(strncmp(f->reserve_url, "https://", 8) == 0 ||
                  strncmp(f->reserve_url, "http://127.0.0.1", 16) == 0 ||
                  strncmp(f->reserve_url, "http://localhost", 16) == 0);
        }
        CHECK(f->n_days >= 1 && f->n_days <= FEEDS_MAX_DAYS && f->days);
        for (size_t d = 0; d < f->n_days; d++) {
            const feeds_day *day = &f->days[d];
            CHECK(d == 0 || f->days[d - 1].day < day->day);
            CHECK(day->n_slots <= FEEDS_MAX_SLOTS && (day->n_slots == 0 || day->slots));
            for (size_t s = 0; s < day->n_slots; s++) {
                const feeds_slot *sl = &day->slots[s];
                CHECK(sl->start_min < 1440 && sl->end_min <= 1440 && sl->start_min < sl->end_min);
                CHECK(s == 0 || day->slots[s - 1].end_min <= sl->start_min);
                CHECK(sl->state == FEEDS_SLOT_FREE || sl->state == FEEDS_SLOT_BOOKED ||
                      sl->state == FEEDS_SLOT_CLOSED);
            }
        }
    }
}

static void check_errors(const feeds_errors *e, const char *text, size_t len)
{
    CHECK(e->count >= 1 && e->count <= FEEDS_MAX_ERRORS && e->count <= e->total);
    for (size_t i = 0; i < e->count; i++) {
        const feeds_error *er = &e->list[i];
        CHECK(er->line >= 1 && er->column >= 1 && er->offset <= len);
        CHECK(i == 0 || e->list[i - 1].offset <= er->offset);
        CHECK(memchr(er->path, '\0', sizeof er->path) &&
              memchr(er->message, '\0', sizeof er->message));
        CHECK(er->path[0] && er->message[0]);
        CHECK(utf8_ok(er->path, strlen(er->path)) && utf8_ok(er->message, strlen(er->message)));
        /* Our positions agree with the scanner (jansson's, for syntax errors,
         * point at the end of the token); out of memory has no place. */
        if (strncmp(er->message, "invalid JSON:", 13) != 0 &&
            strcmp(er->message, "out of memory") != 0) {
            uint32_t line, col;
            jsonpos_linecol(text, len, er->offset, &line, &col);
            CHECK(line == er->line && col == er->column);
        }
        char buf[512];
        CHECK(feeds_error_line(e, i, buf, sizeof buf) > 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static feeds_errors errs, again;
    const char *text = (const char *)data;
    size_t skip = size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (int kind = 0; kind < 2; kind++) {
        int r, r2;
        if (kind == 0) {
            feeds_queue *q = (feeds_queue *)&errs, *q2 = NULL; /* must come back NULL */
            r = feeds_queue_parse(text, size, NULL, &q, &errs);
            CHECK(r == 0 ? q != NULL : q == NULL);
            if (r == 0)
                check_queue(q);
            feeds_queue_destroy(q);
            r2 = feeds_queue_parse(text, size, NULL, &q2, &again);
            feeds_queue_destroy(q2);
        } else {
            feeds_vacancy *v = (feeds_vacancy *)&errs, *v2 = NULL;
            r = feeds_vacancy_parse(text, size, NULL, &v, &errs);
            CHECK(r == 0 ? v != NULL : v == NULL);
            if (r == 0)
                check_vacancy(v);
            feeds_vacancy_destroy(v);
            r2 = feeds_vacancy_parse(text, size, NULL, &v2, &again);
            feeds_vacancy_destroy(v2);
        }
        CHECK(r == 0 || r == FEEDS_INVALID || r == FEEDS_NOMEM);
        if (r == 0)
            CHECK(errs.count == 0 && errs.total == 0);
        else
            check_errors(&errs, text + skip, size - skip);
        /* Same input, same answer. */
        CHECK(r2 == r && again.count == errs.count && again.total == errs.total);
        for (size_t i = 0; i < errs.count; i++)
            CHECK(memcmp(&again.list[i], &errs.list[i], sizeof errs.list[i]) == 0);
    }
    return 0;
}
