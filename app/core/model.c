/* model: the pack's arena, lookups and language fallback. Everything a pack
 * points to lives in its arena (a list of big chunks), freed in one go.
 * Must never parse, and never hand out a mutable pointer to screens. */
#include "app/core/model.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/log.h"

#define ARENA_CHUNK (64 * 1024)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
} arena_chunk;

struct model_arena {
    arena_chunk *head;
    size_t total;
};

static const char *const lang_codes[MODEL_LANG_COUNT] = {"ja", "en", "zh", "ko", "ja-easy"};

model_lang model_lang_from_code(const char *code)
{
    if (!code)
        return MODEL_LANG_NONE;
    for (int i = 0; i < MODEL_LANG_COUNT; i++)
        if (strcmp(code, lang_codes[i]) == 0)
            return (model_lang)i;
    return MODEL_LANG_NONE;
}

const char *model_lang_code(model_lang lang)
{
    return lang >= 0 && lang < MODEL_LANG_COUNT ? lang_codes[lang] : NULL;
}

model_lang model_text_lang(const model_text *t, model_lang lang)
{
    if (t && lang > MODEL_LANG_JA && lang < MODEL_LANG_COUNT && t->s[lang])
        return lang;
    return MODEL_LANG_JA;
}

const char *model_text_get(const model_text *t, model_lang lang)
{
    if (!t)
        return "";
    const char *s = t->s[model_text_lang(t, lang)];
    return s ? s : "";
}

bool model_text_empty(const model_text *t)
{
    return !t || !t->s[MODEL_LANG_JA];
}

const char *model_item_kind_name(model_item_kind kind)
{
    switch (kind) {
    case MODEL_ITEM_CARD:
        return "card";
    case MODEL_ITEM_IMAGE:
        return "image";
    case MODEL_ITEM_VIDEO:
        return "video";
    case MODEL_ITEM_BOARD:
        return "board";
    }
    return "?";
}

/* ---- arena ---- */

model_pack *model_pack_new(void)
{
    model_arena *a = calloc(1, sizeof *a);
    if (!a) {
        LOG_ERROR("model", "out of memory");
        return NULL;
    }
    model_pack tmp = {.arena = a};
    model_pack *p = model_alloc(&tmp, 1, sizeof *p);
    if (!p) {
        free(a);
        LOG_ERROR("model", "out of memory");
        return NULL;
    }
    p->arena = a;
    return p;
}

void *model_alloc(model_pack *p, size_t n, size_t size)
{
    if (!p || !p->arena || (size && n > SIZE_MAX / size))
        return NULL;
    size_t want = n * size;
    const size_t align = alignof(max_align_t);
    if (want > SIZE_MAX - align)
        return NULL;
    want = (want + align - 1) & ~(align - 1);
    if (want == 0)
        want = align;
    model_arena *a = p->arena;
    arena_chunk *c = a->head;
    if (!c || c->cap - c->used < want) {
        size_t cap = want > ARENA_CHUNK ? want : ARENA_CHUNK;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
        a->total += sizeof *c + cap;
    }
    void *mem = c->data + c->used;
    c->used += want;
    memset(mem, 0, want);
    return mem;
}

char *model_strndup(model_pack *p, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *d = model_alloc(p, 1, len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

size_t model_pack_arena_bytes(const model_pack *p)
{
    return p && p->arena ? p->arena->total : 0;
}

void model_pack_destroy(model_pack *p)
{
    if (!p)
        return;
    tz_zone_destroy(p->owned_zone);
    model_arena *a = p->arena; /* p itself lives in the arena */
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

/* ---- lookups ---- */

/* Each index is an array of pointers to records whose first member is the
 * id (or name) string, sorted by it; equal ids keep document order. */
typedef struct id_rec {
    const char *id;
} id_rec;

static int cmp_rec(const void *a, const void *b)
{
    const id_rec *x = *(const id_rec *const *)a, *y = *(const id_rec *const *)b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return (x > y) - (x < y); /* records are in one array: address = order */
}

static const void *find_rec(const void *const *index, size_t n, const char *id)
{
    if (!index || !id)
        return NULL;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const id_rec *r = index[mid];
        if (strcmp(r->id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && strcmp(((const id_rec *)index[lo])->id, id) == 0)
        return index[lo];
    return NULL;
}

static int cmp_object(const void *a, const void *b)
{
    return strcmp(((const model_object *)a)->name, ((const model_object *)b)->name);
}

/* The lookups read a record's id through its first member. */
_Static_assert(offsetof(model_item, id) == 0, "id first");
_Static_assert(offsetof(model_playlist, id) == 0, "id first");
_Static_assert(offsetof(model_category, id) == 0, "id first");
_Static_assert(offsetof(model_page, id) == 0, "id first");
_Static_assert(offsetof(model_media, name) == 0, "name first");

/* Pointers to n records of elem_size bytes at base, sorted by id. */
static const void **build_index(model_pack *p, const void *base, size_t n, size_t elem_size)
{
    const void **idx = model_alloc(p, n ? n : 1, sizeof *idx);
    if (!idx)
        return NULL;
    for (size_t i = 0; i < n; i++)
        idx[i] = (const unsigned char *)base + i * elem_size;
    qsort(idx, n, sizeof *idx, cmp_rec);
    return idx;
}

int model_pack_index(model_pack *p)
{
    p->item_index = (const model_item **)build_index(p, p->items, p->n_items, sizeof(model_item));
    p->playlist_index = (const model_playlist **)build_index(p, p->playlists, p->n_playlists,
                                                             sizeof(model_playlist));
    p->category_index = (const model_category **)build_index(p, p->categories, p->n_categories,
                                                             sizeof(model_category));
    p->media_index =
        (const model_media **)build_index(p, p->media, p->n_media, sizeof(model_media));
    const model_page **pages = model_alloc(p, p->n_pages ? p->n_pages : 1, sizeof *pages);
    if (!p->item_index || !p->playlist_index || !p->category_index || !p->media_index || !pages)
        return -1;
    size_t k = 0;
    for (size_t c = 0; c < p->n_categories; c++)
        for (size_t i = 0; i < p->categories[c].n_pages && k < p->n_pages; i++)
            pages[k++] = &p->categories[c].pages[i];
    qsort(pages, k, sizeof *pages, cmp_rec);
    p->page_index = pages;
    return 0;
}

const model_item *model_pack_find_item(const model_pack *p, const char *id)
{
    return p ? find_rec((const void *const *)p->item_index, p->n_items, id) : NULL;
}

const model_playlist *model_pack_find_playlist(const model_pack *p, const char *id)
{
    return p ? find_rec((const void *const *)p->playlist_index, p->n_playlists, id) : NULL;
}

const model_category *model_pack_find_category(const model_pack *p, const char *id)
{
    return p ? find_rec((const void *const *)p->category_index, p->n_categories, id) : NULL;
}

const model_page *model_pack_find_page(const model_pack *p, const char *id)
{
    return p ? find_rec((const void *const *)p->page_index, p->n_pages, id) : NULL;
}

const model_media *model_pack_find_media(const model_pack *p, const char *name)
{
    return p ? find_rec((const void *const *)p->media_index, p->n_media, name) : NULL;
}

const model_object *model_pack_find_object(const model_pack *p, const char *name)
{
    if (!p || !name || !p->manifest.n_objects)
        return NULL;
    model_object key = {.name = name};
    return bsearch(&key, p->manifest.objects, p->manifest.n_objects, sizeof key, cmp_object);
}
