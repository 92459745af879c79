/* pack_json_content: the content arrays of a pack: playlists, the
 * top-level schedule, the ticker and the child-care pages, with the checks
 * that span entries (unique ids, references that must exist). Items are in
 * pack_json_items.c.
 * Must never leave a reference unresolved in a pack it returns. */
#include <string.h>

#include "app/core/pack_json_private.h"

/* ---- unique ids ---- */

void pj_check_unique(pj *c, const void *const *index, size_t n, pj_place_fn place)
{
    size_t i = 0;
    while (i < n) {
        const char *id = *(const char *const *)index[i];
        size_t j = i + 1;
        while (j < n && strcmp(*(const char *const *)index[j], id) == 0)
            j++;
        if (j - i > 1 && *id) {
            jsonpos_seg segs[8], first_segs[8];
            size_t first = i, first_order = SIZE_MAX, order;
            for (size_t k = i; k < j; k++) {
                place(c->pack, index[k], segs, &order);
                if (order < first_order) {
                    first_order = order;
                    first = k;
                }
            }
            size_t fn = place(c->pack, index[first], first_segs, &order);
            char where[128];
            jsonpos_path_format(first_segs, fn - 1, where, sizeof where); /* without ".id" */
            for (size_t k = i; k < j; k++) {
                if (k == first)
                    continue;
                size_t sn = place(c->pack, index[k], segs, &order);
                char q[64];
                pj_error_segs(c, segs, sn, "duplicate id %s (first at %s)",
                              pj_quote(id, q, sizeof q), where);
            }
        }
        i = j;
    }
}

static jsonpos_seg key_seg(const char *key)
{
    return (jsonpos_seg){.key = key, .key_len = strlen(key)};
}

static jsonpos_seg index_seg(size_t i)
{
    return (jsonpos_seg){.index = i};
}

static size_t place_playlist(const model_pack *p, const void *rec, jsonpos_seg *segs, size_t *order)
{
    *order = (size_t)((const model_playlist *)rec - p->playlists);
    segs[0] = key_seg("playlists");
    segs[1] = index_seg(*order);
    segs[2] = key_seg("id");
    return 3;
}

static size_t place_category(const model_pack *p, const void *rec, jsonpos_seg *segs, size_t *order)
{
    *order = (size_t)((const model_category *)rec - p->categories);
    segs[0] = key_seg("childcare");
    segs[1] = key_seg("categories");
    segs[2] = index_seg(*order);
    segs[3] = key_seg("id");
    return 4;
}

static size_t place_page(const model_pack *p, const void *rec, jsonpos_seg *segs, size_t *order)
{
    const model_page *page = rec;
    size_t ci = (size_t)(page->category - p->categories);
    size_t pi = (size_t)(page - page->category->pages);
    *order = ci * (PACK_JSON_MAX_PAGES + 1) + pi;
    segs[0] = key_seg("childcare");
    segs[1] = key_seg("categories");
    segs[2] = index_seg(ci);
    segs[3] = key_seg("pages");
    segs[4] = index_seg(pi);
    segs[5] = key_seg("id");
    return 6;
}

/* ---- playlists ---- */

static void read_playlist(pj *c, json_t *o, model_playlist *pl)
{
    static const char *const keys[] = {"id", "items", NULL};
    pl->id = "";
    if (!pj_is_object(c, o, "expected a playlist {\"id\": …, \"items\": [\"item id\", …]}"))
        return;
    pj_check_keys(c, o, keys);
    json_t *v = pj_enter(c, o, "id", true, NULL);
    const char *id = v ? pj_read_id(c, v) : NULL;
    if (id)
        pl->id = id;
    pj_pop(c);
    v = pj_enter(c, o, "items", true, "the ids of the items it plays, in order");
    size_t n = 0;
    if (v && pj_is_array(c, v, PACK_JSON_MAX_PLAYLIST_ITEMS,
                         "expected a list of item ids [\"kenshin\", …]", &n)) {
        if (n == 0)
            pj_error(c, "empty: a playlist needs at least one item");
        const model_item **items = model_alloc(c->pack, n ? n : 1, sizeof *items);
        if (!items) {
            pj_nomem(c);
            n = 0;
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            pj_push_index(c, i);
            const char *ref = pj_read_string(c, json_array_get(v, i), PACK_JSON_MAX_STRING,
                                             "expected an item id (a string)");
            const model_item *it = ref ? model_pack_find_item(c->pack, ref) : NULL;
            if (it) {
                items[k++] = it;
            } else if (ref) {
                const char *s = pj_room(c)
                                    ? pj_suggest_id(ref, (const void *const *)c->pack->item_index,
                                                    c->pack->n_items)
                                    : NULL;
                char q[64], q2[64];
                if (s)
                    pj_error(c, "no item %s (did you mean %s?)", pj_quote(ref, q, sizeof q),
                             pj_quote(s, q2, sizeof q2));
                else
                    pj_error(c, "no item %s", pj_quote(ref, q, sizeof q));
            }
            pj_pop(c);
        }
        pl->items = items;
        pl->n_items = k;
    }
    pj_pop(c);
}

void pj_read_playlists(pj *c, json_t *root)
{
    json_t *arr = pj_enter(c, root, "playlists", false, NULL);
    size_t n = 0;
    if (arr && pj_is_array(c, arr, PACK_JSON_MAX_PLAYLISTS,
                           "expected a list of playlists [{\"id\": …, \"items\": […]}]", &n)) {
        model_playlist *pls = model_alloc(c->pack, n ? n : 1, sizeof *pls);
        if (!pls) {
            pj_nomem(c);
            n = 0;
        }
        for (size_t i = 0; i < n; i++) {
            pj_push_index(c, i);
            read_playlist(c, json_array_get(arr, i), &pls[i]);
            pj_pop(c);
        }
        c->pack->playlists = pls;
        c->pack->n_playlists = n;
    }
    pj_pop(c);
    if (model_pack_index(c->pack) != 0) {
        pj_nomem(c);
        return;
    }
    pj_check_unique(c, (const void *const *)c->pack->playlist_index, c->pack->n_playlists,
                    place_playlist);
}

/* ---- the top-level schedule ---- */

void pj_read_schedule_entries(pj *c, json_t *root)
{
    static const char *const keys[] = {"playlist", "when", NULL};
    json_t *arr = pj_enter(c, root, "schedule", false, NULL);
    size_t n = 0;
    if (!arr || !pj_is_array(c, arr, PACK_JSON_MAX_SCHEDULE,
                             "expected a list [{\"playlist\": …, \"when\": {…}}, …]", &n)) {
        pj_pop(c);
        return;
    }
    model_schedule_entry *es = model_alloc(c->pack, n ? n : 1, sizeof *es);
    if (!es) {
        pj_nomem(c);
        pj_pop(c);
        return;
    }
    size_t k = 0, default_at = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        pj_push_index(c, i);
        if (pj_is_object(c, o, "expected an entry {\"playlist\": …, \"when\": {…}}")) {
            pj_check_keys(c, o, keys);
            if (default_at != SIZE_MAX)
                pj_error(c, "never chosen: schedule[%zu] has no \"when\" and always applies first",
                         default_at);
            json_t *v = pj_enter(c, o, "playlist", true, "the id of the playlist to play");
            const char *ref =
                v ? pj_read_string(c, v, PACK_JSON_MAX_STRING, "expected a playlist id (a string)")
                  : NULL;
            const model_playlist *pl = ref ? model_pack_find_playlist(c->pack, ref) : NULL;
            if (ref && !pl) {
                const char *s =
                    pj_room(c) ? pj_suggest_id(ref, (const void *const *)c->pack->playlist_index,
                                               c->pack->n_playlists)
                               : NULL;
                char q[64], q2[64];
                if (s)
                    pj_error(c, "no playlist %s (did you mean %s?)", pj_quote(ref, q, sizeof q),
                             pj_quote(s, q2, sizeof q2));
                else
                    pj_error(c, "no playlist %s", pj_quote(ref, q, sizeof q));
            }
            pj_pop(c);
            const model_schedule *when = NULL;
            v = pj_enter(c, o, "when", false, NULL);
            if (v)
                when = pj_read_schedule(c, v);
            else if (default_at == SIZE_MAX)
                default_at = i;
            pj_pop(c);
            if (pl) {
                es[k].playlist = pl;
                es[k].when = when;
                k++;
            }
        }
        pj_pop(c);
    }
    c->pack->schedule = es;
    c->pack->n_schedule = k;
    pj_pop(c);
}

/* ---- ticker ---- */

void pj_read_ticker(pj *c, json_t *root)
{
    static const char *const keys[] = {"text", "when", NULL};
    json_t *arr = pj_enter(c, root, "ticker", false, NULL);
    size_t n = 0;
    if (arr && pj_is_array(c, arr, PACK_JSON_MAX_TICKER,
                           "expected a list of notices [{\"text\": …}, …]", &n)) {
        model_ticker *t = model_alloc(c->pack, n ? n : 1, sizeof *t);
        if (!t) {
            pj_nomem(c);
            n = 0;
        }
        for (size_t i = 0; i < n; i++) {
            json_t *o = json_array_get(arr, i);
            pj_push_index(c, i);
            if (pj_is_object(c, o, "expected a notice {\"text\": …, \"when\": {…}}")) {
                pj_check_keys(c, o, keys);
                json_t *v = pj_enter(c, o, "text", true, NULL);
                if (v)
                    pj_read_text(c, v, &t[i].text);
                pj_pop(c);
                v = pj_enter(c, o, "when", false, NULL);
                if (v)
                    t[i].when = pj_read_schedule(c, v);
                pj_pop(c);
            }
            pj_pop(c);
        }
        c->pack->ticker = t;
        c->pack->n_ticker = n;
    }
    pj_pop(c);
}

/* ---- child-care pages ---- */

static void read_qr(pj *c, json_t *arr, model_page *page)
{
    static const char *const keys[] = {"label", "url", NULL};
    size_t n;
    if (!pj_is_array(c, arr, PACK_JSON_MAX_QR,
                     "expected a list of links [{\"label\": …, \"url\": \"https://…\"}]", &n))
        return;
    model_qr *qr = model_alloc(c->pack, n ? n : 1, sizeof *qr);
    if (!qr) {
        pj_nomem(c);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        pj_push_index(c, i);
        if (pj_is_object(c, o, "expected a link {\"label\": …, \"url\": \"https://…\"}")) {
            pj_check_keys(c, o, keys);
            json_t *v = pj_enter(c, o, "label", true, "what the link is for");
            if (v)
                pj_read_text(c, v, &qr[i].label);
            pj_pop(c);
            v = pj_enter(c, o, "url", true, NULL);
            if (v)
                qr[i].url = pj_read_url(c, v, true);
            pj_pop(c);
        }
        pj_pop(c);
    }
    page->qr = qr;
    page->n_qr = n;
}

static void read_page(pj *c, json_t *o, model_page *page)
{
    static const char *const keys[] = {"id", "title", "body", "image", "video", "qr", NULL};
    page->id = "";
    if (!pj_is_object(c, o, "expected a page {\"id\": …, \"title\": …, \"body\": …}"))
        return;
    pj_check_keys(c, o, keys);
    json_t *v = pj_enter(c, o, "id", true, NULL);
    const char *id = v ? pj_read_id(c, v) : NULL;
    if (id)
        page->id = id;
    pj_pop(c);
    v = pj_enter(c, o, "title", true, NULL);
    if (v)
        pj_read_text(c, v, &page->title);
    pj_pop(c);
    v = pj_enter(c, o, "body", false, NULL);
    if (v)
        pj_read_text(c, v, &page->body);
    pj_pop(c);
    v = pj_enter(c, o, "image", false, NULL);
    if (v)
        page->image = pj_read_media(c, v, MODEL_MEDIA_IMAGE);
    pj_pop(c);
    v = pj_enter(c, o, "video", false, NULL);
    if (v)
        page->video = pj_read_media(c, v, MODEL_MEDIA_VIDEO);
    pj_pop(c);
    v = pj_enter(c, o, "qr", false, NULL);
    if (v)
        read_qr(c, v, page);
    pj_pop(c);
}

static void read_category(pj *c, json_t *o, model_category *cat)
{
    static const char *const keys[] = {"id", "title", "icon", "pages", NULL};
    cat->id = "";
    if (!pj_is_object(c, o, "expected a category {\"id\": …, \"title\": …, \"pages\": […]}"))
        return;
    pj_check_keys(c, o, keys);
    json_t *v = pj_enter(c, o, "id", true, NULL);
    const char *id = v ? pj_read_id(c, v) : NULL;
    if (id)
        cat->id = id;
    pj_pop(c);
    v = pj_enter(c, o, "title", true, NULL);
    if (v)
        pj_read_text(c, v, &cat->title);
    pj_pop(c);
    v = pj_enter(c, o, "icon", false, NULL);
    if (v)
        cat->icon = pj_read_media(c, v, MODEL_MEDIA_IMAGE);
    pj_pop(c);
    v = pj_enter(c, o, "pages", true, "a category needs at least one page");
    size_t n = 0;
    if (v && pj_is_array(c, v, PACK_JSON_MAX_PAGES, "expected a list of pages [{…}, …]", &n)) {
        size_t room = PACK_JSON_MAX_PAGES - c->pack->n_pages;
        if (n == 0)
            pj_error(c, "empty: a category needs at least one page");
        if (n > room) {
            pj_error(c, "too many pages in the pack (at most %d)", PACK_JSON_MAX_PAGES);
            n = room;
        }
        model_page *pages = model_alloc(c->pack, n ? n : 1, sizeof *pages);
        if (!pages) {
            pj_nomem(c);
            n = 0;
        }
        for (size_t i = 0; i < n; i++) {
            pages[i].category = cat;
            pj_push_index(c, i);
            read_page(c, json_array_get(v, i), &pages[i]);
            pj_pop(c);
        }
        cat->pages = pages;
        cat->n_pages = n;
        c->pack->n_pages += n;
    }
    pj_pop(c);
}

void pj_read_childcare(pj *c, json_t *root)
{
    static const char *const keys[] = {"categories", NULL};
    json_t *cc = pj_enter(c, root, "childcare", false, NULL);
    if (!cc || !pj_is_object(c, cc, "expected an object {\"categories\": […]}")) {
        pj_pop(c);
        return;
    }
    pj_check_keys(c, cc, keys);
    json_t *arr = pj_enter(c, cc, "categories", true, NULL);
    size_t n = 0;
    if (arr && pj_is_array(c, arr, PACK_JSON_MAX_CATEGORIES,
                           "expected a list of categories [{…}, …]", &n)) {
        model_category *cats = model_alloc(c->pack, n ? n : 1, sizeof *cats);
        if (!cats) {
            pj_nomem(c);
            n = 0;
        }
        c->pack->categories = cats; /* before the pages: they point back at it */
        for (size_t i = 0; i < n; i++) {
            pj_push_index(c, i);
            read_category(c, json_array_get(arr, i), &cats[i]);
            pj_pop(c);
        }
        c->pack->n_categories = n;
    }
    pj_pop(c);
    pj_pop(c);
    if (model_pack_index(c->pack) != 0) {
        pj_nomem(c);
        return;
    }
    pj_check_unique(c, (const void *const *)c->pack->category_index, c->pack->n_categories,
                    place_category);
    pj_check_unique(c, (const void *const *)c->pack->page_index, c->pack->n_pages, place_page);
}
