/* pack_json_items: the signage items of a pack: text cards, pictures,
 * videos and live boards (the queue or vacancy board drawn from the feeds),
 * each with the keys its kind takes, and unique ids over all of them.
 * Must never accept an item that a screen could not show: every kind's
 * required keys are checked here, not by the screens. */
#include <string.h>

#include "app/core/pack_json_private.h"

static jsonpos_seg key_seg(const char *key)
{
    return (jsonpos_seg){.key = key, .key_len = strlen(key)};
}

static size_t place_item(const model_pack *p, const void *rec, jsonpos_seg *segs, size_t *order)
{
    *order = (size_t)((const model_item *)rec - p->items);
    segs[0] = key_seg("items");
    segs[1] = (jsonpos_seg){.index = *order};
    segs[2] = key_seg("id");
    return 3;
}

/* In model_item_kind order. */
static const char *const item_types[] = {"card", "image", "video", "board", NULL};
#define TYPES_HINT "one of \"card\", \"image\", \"video\", \"board\""
static const char *const item_keys_any[] = {"id",       "type",     "title", "body",
                                            "image",    "file",     "board", "duration",
                                            "priority", "schedule", NULL};
static const char *const card_keys[] = {"id",       "type",     "title",    "body", "image",
                                        "duration", "priority", "schedule", NULL};
static const char *const media_item_keys[] = {"id",       "type",     "file", "duration",
                                              "priority", "schedule", NULL};
static const char *const board_keys[] = {"id",       "type",     "board", "duration",
                                         "priority", "schedule", NULL};
static const char *const boards[] = {MODEL_BOARD_QUEUE, MODEL_BOARD_VACANCY, NULL};

static bool in_list(const char *key, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(key, list[i]) == 0)
            return true;
    return false;
}

/* What a key that belongs to another kind is called on this one. */
static void wrong_kind_key(pj *c, int kind)
{
    switch (kind) {
    case MODEL_ITEM_CARD:
        pj_error_key(c, "not used by a card (a card takes \"title\", \"body\" and \"image\")");
        break;
    case MODEL_ITEM_BOARD:
        pj_error_key(c, "not used by a board (it takes \"board\": \"queue\" or \"vacancy\")");
        break;
    default:
        pj_error_key(c, "not used by %s item (it takes \"file\")",
                     kind == MODEL_ITEM_IMAGE ? "an image" : "a video");
    }
}

/* Unknown keys, with a better word for keys that belong to another type. */
static void check_item_keys(pj *c, json_t *o, int kind)
{
    const char *const *allowed = kind < 0                   ? item_keys_any
                                 : kind == MODEL_ITEM_CARD  ? card_keys
                                 : kind == MODEL_ITEM_BOARD ? board_keys
                                                            : media_item_keys;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        if (in_list(key, allowed))
            continue;
        pj_push_key(c, key);
        if (in_list(key, item_keys_any)) {
            wrong_kind_key(c, kind);
        } else {
            const char *s = pj_room(c) ? pj_suggest(key, allowed) : NULL;
            char q[64];
            if (s)
                pj_error_key(c, "unknown key (did you mean %s?)", pj_quote(s, q, sizeof q));
            else
                pj_error_key(c, "unknown key");
        }
        pj_pop(c);
    }
}

static int read_item_type(pj *c, json_t *o)
{
    int kind = -1;
    json_t *v = pj_enter(c, o, "type", true, TYPES_HINT);
    const char *t = v ? pj_read_string(c, v, 64, "expected " TYPES_HINT) : NULL;
    for (int k = 0; t && item_types[k] && kind < 0; k++)
        if (strcmp(t, item_types[k]) == 0)
            kind = k;
    if (t && kind < 0) {
        const char *s = pj_room(c) ? pj_suggest(t, item_types) : NULL;
        char q[64];
        if (s)
            pj_error(c, "unknown type %s (did you mean \"%s\"?)", pj_quote(t, q, sizeof q), s);
        else
            pj_error(c, "unknown type %s (" TYPES_HINT ")", pj_quote(t, q, sizeof q));
    }
    pj_pop(c);
    return kind;
}

/* "board": which live board; the strings are static, not the arena's. */
static void read_board(pj *c, json_t *o, model_item *it)
{
    json_t *v = pj_enter(c, o, "board", true, "which board: \"queue\" or \"vacancy\"");
    const char *b = v ? pj_read_string(c, v, 64, "expected \"queue\" or \"vacancy\"") : NULL;
    for (size_t k = 0; b && boards[k] && !it->board; k++)
        if (strcmp(b, boards[k]) == 0)
            it->board = boards[k];
    if (b && !it->board) {
        const char *s = pj_room(c) ? pj_suggest(b, boards) : NULL;
        char q[64];
        if (s)
            pj_error(c, "unknown board %s (did you mean \"%s\"?)", pj_quote(b, q, sizeof q), s);
        else
            pj_error(c, "unknown board %s (\"queue\" or \"vacancy\")", pj_quote(b, q, sizeof q));
    }
    pj_pop(c);
}

static void read_item(pj *c, json_t *o, model_item *it)
{
    it->id = "";
    it->priority = 50;
    it->duration_ms = PACK_JSON_DEFAULT_DURATION_S * 1000;
    if (!pj_is_object(c, o, "expected an item {\"id\": …, \"type\": …}"))
        return;
    int kind = read_item_type(c, o);
    it->kind = kind < 0 ? MODEL_ITEM_CARD : (model_item_kind)kind;
    check_item_keys(c, o, kind);

    json_t *v = pj_enter(c, o, "id", true, NULL);
    const char *id = v ? pj_read_id(c, v) : NULL;
    if (id)
        it->id = id;
    pj_pop(c);

    if (kind == MODEL_ITEM_CARD) {
        v = pj_enter(c, o, "title", true, "a card shows a title");
        if (v)
            pj_read_text(c, v, &it->title);
        pj_pop(c);
        v = pj_enter(c, o, "body", false, NULL);
        if (v)
            pj_read_text(c, v, &it->body);
        pj_pop(c);
        v = pj_enter(c, o, "image", false, NULL);
        if (v)
            it->media = pj_read_media(c, v, MODEL_MEDIA_IMAGE);
        pj_pop(c);
    } else if (kind == MODEL_ITEM_BOARD) {
        read_board(c, o, it);
    } else if (kind >= 0) {
        v = pj_enter(c, o, "file", true,
                     kind == MODEL_ITEM_IMAGE ? "the picture's file name (.png, .jpg)"
                                              : "the clip's file name (.mp4, .webm, .mkv, .mov)");
        if (v)
            it->media = pj_read_media(
                c, v, kind == MODEL_ITEM_IMAGE ? MODEL_MEDIA_IMAGE : MODEL_MEDIA_VIDEO);
        pj_pop(c);
    }

    /* A clip needs its longest play; a board has no natural length either,
     * and a loop that stays on one board for 10 s by accident is a surprise. */
    v = pj_enter(c, o, "duration", kind == MODEL_ITEM_VIDEO || kind == MODEL_ITEM_BOARD,
                 kind == MODEL_ITEM_BOARD ? "how many seconds the board shows"
                                          : "a video needs the most seconds it may play");
    if (v)
        pj_read_duration(c, v, &it->duration_ms);
    pj_pop(c);
    v = pj_enter(c, o, "priority", false, NULL);
    int64_t prio;
    if (v && pj_read_int(c, v, 0, 100, "expected an integer from 0 to 100", &prio))
        it->priority = (uint8_t)prio;
    pj_pop(c);
    v = pj_enter(c, o, "schedule", false, NULL);
    if (v)
        it->schedule = pj_read_schedule(c, v);
    pj_pop(c);
}

void pj_read_items(pj *c, json_t *root)
{
    json_t *arr = pj_enter(c, root, "items", false, NULL);
    size_t n = 0;
    if (arr && pj_is_array(c, arr, PACK_JSON_MAX_ITEMS, "expected a list of items [{…}, …]", &n)) {
        model_item *items = model_alloc(c->pack, n ? n : 1, sizeof *items);
        if (!items) {
            pj_nomem(c);
            n = 0;
        }
        for (size_t i = 0; i < n; i++) {
            pj_push_index(c, i);
            read_item(c, json_array_get(arr, i), &items[i]);
            pj_pop(c);
        }
        c->pack->items = items;
        c->pack->n_items = n;
    }
    pj_pop(c);
    if (model_pack_index(c->pack) != 0) {
        pj_nomem(c);
        return;
    }
    pj_check_unique(c, (const void *const *)c->pack->item_index, c->pack->n_items, place_item);
}
