/* fuzz_pack_json: libFuzzer target for the pack parser (the same code reads
 * the signed manifest on the kiosk). Any bytes go in, as a source and as a
 * manifest; the promises of pack_json.h and model.h are checked and a broken
 * one aborts with a line saying which. Never tolerates a violation quietly. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/jsonpos.h"
#include "app/core/model.h"
#include "app/core/pack_json.h"
#include "app/core/schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_pack_json: invariant failed: %s (line %d)\n", #cond, __LINE__);  \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Strict UTF-8 (no overlongs, surrogates or > U+10FFFF). */
static bool utf8_ok(const char *s, size_t n, bool allow_control)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            if (!allow_control && (c < 0x20 || c == 0x7F))
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

static bool id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n < 1 || n > PACK_JSON_MAX_ID)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (i > 0 && (c == '_' || c == '-'))))
            return false;
    }
    return true;
}

static void check_text(const model_text *t, bool required)
{
    CHECK(!required || t->s[MODEL_LANG_JA] != NULL);
    if (!t->s[MODEL_LANG_JA]) {
        for (int l = 0; l < MODEL_LANG_COUNT; l++)
            CHECK(t->s[l] == NULL);
        CHECK(model_text_empty(t));
        return;
    }
    for (int l = 0; l < MODEL_LANG_COUNT; l++) {
        const char *s = model_text_get(t, (model_lang)l);
        size_t n = strlen(s);
        CHECK(n >= 1 && n <= PACK_JSON_MAX_STRING);
        CHECK(utf8_ok(s, n, true));
        CHECK(s == t->s[model_text_lang(t, (model_lang)l)]);
    }
}

static void check_media(const model_pack *p, const model_media *m, model_media_kind kind,
                        const char *text, size_t len)
{
    CHECK(m >= p->media && m < p->media + p->n_media);
    CHECK(m->kind == kind);
    CHECK(model_pack_find_media(p, m->name) == m);
    size_t n = strlen(m->name);
    CHECK(n >= 1 && n <= PACK_JSON_MAX_FILE_NAME && m->name[0] != '/');
    for (size_t i = 0; i < n; i++)
        CHECK((m->name[i] >= 'a' && m->name[i] <= 'z') ||
              (m->name[i] >= 'A' && m->name[i] <= 'Z') ||
              (m->name[i] >= '0' && m->name[i] <= '9') || strchr("._-/", m->name[i]));
    /* No empty, "." or ".." part: the file stays inside the pack folder. */
    for (const char *part = m->name; part;) {
        const char *slash = strchr(part, '/');
        size_t k = slash ? (size_t)(slash - part) : strlen(part);
        CHECK(k > 0 && !(k == 1 && part[0] == '.') &&
              !(k == 2 && part[0] == '.' && part[1] == '.'));
        part = slash ? slash + 1 : NULL;
    }
    /* where leads back to the reference in the text. */
    jsonpos_loc loc;
    CHECK(jsonpos_locate_str(text, len, m->where, JSONPOS_VALUE, &loc) == 0);
    CHECK(loc.offset < len && text[loc.offset] == '"');
    if (p->manifest.present) {
        CHECK(m->object != NULL && strcmp(m->object->name, m->name) == 0);
    } else {
        CHECK(m->object == NULL);
    }
}

static void check_schedule(const model_schedule *s)
{
    if (!s)
        return;
    CHECK(s->from_day <= s->until_day);
    CHECK(s->weekdays != 0 && s->weekdays <= MODEL_WEEKDAYS_ALL);
    CHECK(s->n_times <= PACK_JSON_MAX_TIMES);
    for (size_t i = 0; i < s->n_times; i++) {
        CHECK(s->times[i].start_min < 1440 && s->times[i].end_min <= 1440);
        CHECK(s->times[i].start_min != s->times[i].end_min);
    }
}

static void check_model(const model_pack *p, enum pack_json_mode mode, const char *text, size_t len)
{
    CHECK(p->format == 1 && p->timezone && p->zone);
    check_text(&p->facility.name, true);
    if (p->facility.logo)
        check_media(p, p->facility.logo, MODEL_MEDIA_IMAGE, text, len);
    CHECK(p->n_items <= PACK_JSON_MAX_ITEMS);
    for (size_t i = 0; i < p->n_items; i++) {
        const model_item *it = &p->items[i];
        CHECK(id_ok(it->id) && model_pack_find_item(p, it->id) == it);
        CHECK(it->duration_ms >= 1 && it->duration_ms <= PACK_JSON_MAX_DURATION_S * 1000);
        CHECK(it->priority <= 100);
        check_text(&it->title, it->kind == MODEL_ITEM_CARD);
        check_text(&it->body, false);
        /* A board names one of the two boards and has no media. */
        CHECK((it->kind == MODEL_ITEM_BOARD) == (it->board != NULL));
        if (it->board)
            CHECK(strcmp(it->board, MODEL_BOARD_QUEUE) == 0 ||
                  strcmp(it->board, MODEL_BOARD_VACANCY) == 0);
        if (it->kind == MODEL_ITEM_BOARD)
            CHECK(it->media == NULL);
        else if (it->kind != MODEL_ITEM_CARD)
            CHECK(it->media != NULL);
        if (it->kind != MODEL_ITEM_CARD)
            CHECK(model_text_empty(&it->title) && model_text_empty(&it->body));
        if (it->media)
            check_media(p, it->media,
                        it->kind == MODEL_ITEM_VIDEO ? MODEL_MEDIA_VIDEO : MODEL_MEDIA_IMAGE, text,
                        len);
        check_schedule(it->schedule);
    }
    for (size_t i = 0; i < p->n_playlists; i++) {
        const model_playlist *pl = &p->playlists[i];
        CHECK(id_ok(pl->id) && model_pack_find_playlist(p, pl->id) == pl);
        CHECK(pl->n_items >= 1 && pl->n_items <= PACK_JSON_MAX_PLAYLIST_ITEMS);
        for (size_t k = 0; k < pl->n_items; k++)
            CHECK(pl->items[k] >= p->items && pl->items[k] < p->items + p->n_items);
    }
    for (size_t i = 0; i < p->n_schedule; i++) {
        const model_playlist *pl = p->schedule[i].playlist;
        CHECK(pl >= p->playlists && pl < p->playlists + p->n_playlists);
        CHECK(p->schedule[i].when != NULL || i == p->n_schedule - 1);
        check_schedule(p->schedule[i].when);
    }
    for (size_t i = 0; i < p->n_ticker; i++) {
        check_text(&p->ticker[i].text, true);
        check_schedule(p->ticker[i].when);
    }
    size_t pages = 0;
    for (size_t c = 0; c < p->n_categories; c++) {
        const model_category *cat = &p->categories[c];
        CHECK(id_ok(cat->id) && model_pack_find_category(p, cat->id) == cat);
        check_text(&cat->title, true);
        if (cat->icon)
            check_media(p, cat->icon, MODEL_MEDIA_IMAGE, text, len);
        CHECK(cat->n_pages >= 1);
        for (size_t i = 0; i < cat->n_pages; i++) {
            const model_page *pg = &cat->pages[i];
            CHECK(pg->category == cat && id_ok(pg->id) && model_pack_find_page(p, pg->id) == pg);
            check_text(&pg->title, true);
            check_text(&pg->body, false);
            if (pg->image)
                check_media(p, pg->image, MODEL_MEDIA_IMAGE, text, len);
            if (pg->video)
                check_media(p, pg->video, MODEL_MEDIA_VIDEO, text, len);
            CHECK(pg->n_qr <= PACK_JSON_MAX_QR);
            for (size_t q = 0; q < pg->n_qr; q++) {
                check_text(&pg->qr[q].label, true);
                CHECK(strncmp(pg->qr[q].url, "https://", 8) == 0);
            }
        }
        pages += cat->n_pages;
    }
    CHECK(pages == p->n_pages && pages <= PACK_JSON_MAX_PAGES);
    CHECK(p->manifest.present == (mode == PACK_JSON_MANIFEST));
    if (p->manifest.present) {
        CHECK(p->manifest.version >= 1 && p->manifest.version < (INT64_C(1) << 53));
        CHECK(p->manifest.expires > p->manifest.issued && id_ok(p->manifest.channel));
        CHECK(p->manifest.n_objects == p->n_media); /* every file used, none extra */
        for (size_t i = 0; i < p->manifest.n_objects; i++) {
            const model_object *o = &p->manifest.objects[i];
            CHECK(strlen(o->sha256) == 64 && o->size >= 1);
            CHECK(i == 0 || strcmp(p->manifest.objects[i - 1].name, o->name) < 0);
            CHECK(model_pack_find_object(p, o->name) == o);
        }
    }
    /* The loop's view at a few instants: playlist items only, priorities in order. */
    static const int64_t instants[] = {0, 1795482000, 1795482000 + 13 * 3600, 4102444800LL};
    for (size_t i = 0; i < sizeof instants / sizeof instants[0]; i++) {
        const model_item *out[64];
        size_t n = schedule_items_now(p, instants[i], out, 64);
        const model_playlist *pl = schedule_playlist_now(p, instants[i]);
        CHECK(pl ? n <= pl->n_items : n == 0);
        for (size_t k = 1; k < n && k < 64; k++)
            CHECK(out[k - 1]->priority >= out[k]->priority);
        CHECK(schedule_ticker_now(p, instants[i], NULL, 0) <= p->n_ticker);
    }
}

static void check_errors(const pack_json_errors *e, const char *text, size_t len)
{
    CHECK(e->count >= 1 && e->count <= PACK_JSON_MAX_ERRORS && e->count <= e->total);
    for (size_t i = 0; i < e->count; i++) {
        const pack_json_error *er = &e->list[i];
        CHECK(er->line >= 1 && er->column >= 1 && er->offset <= len);
        CHECK(i == 0 || e->list[i - 1].offset <= er->offset);
        CHECK(memchr(er->path, '\0', sizeof er->path) &&
              memchr(er->message, '\0', sizeof er->message));
        CHECK(er->path[0] && er->message[0]);
        CHECK(utf8_ok(er->path, strlen(er->path), false));
        CHECK(utf8_ok(er->message, strlen(er->message), false));
        /* Our own positions agree with the scanner (jansson's, for syntax
         * errors, count the same way but point at the end of the token). */
        if (strncmp(er->message, "invalid JSON:", 13) != 0) {
            uint32_t line, col;
            jsonpos_linecol(text, len, er->offset, &line, &col);
            CHECK(line == er->line && col == er->column);
        }
        char buf[600];
        CHECK(pack_json_error_line(e, i, buf, sizeof buf) > 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pack_json_errors errs, again;
    const char *text = (const char *)data;
    /* Positions count from after a BOM, as the parser does. */
    size_t skip = size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (int m = 0; m < 2; m++) {
        enum pack_json_mode mode = m ? PACK_JSON_MANIFEST : PACK_JSON_SOURCE;
        model_pack *p = (model_pack *)&errs; /* must come back NULL on failure */
        int r = pack_json_parse(text, size, "pack.json", mode, &p, &errs);
        CHECK(r == 0 || r == PACK_JSON_INVALID || r == PACK_JSON_NOMEM);
        if (r == 0) {
            CHECK(p != NULL && errs.count == 0 && errs.total == 0);
            check_model(p, mode, text + skip, size - skip);
            model_pack_destroy(p);
        } else {
            CHECK(p == NULL);
            check_errors(&errs, text + skip, size - skip);
        }
        /* Same input, same answer. */
        model_pack *q = NULL;
        int r2 = pack_json_parse(text, size, "pack.json", mode, &q, &again);
        CHECK(r2 == r && again.count == errs.count && again.total == errs.total);
        for (size_t i = 0; i < errs.count; i++)
            CHECK(memcmp(&again.list[i], &errs.list[i], sizeof errs.list[i]) == 0);
        model_pack_destroy(q);
    }
    return 0;
}
