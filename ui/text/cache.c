/* cache: a hash table of layouts with an LRU list and a byte budget. Must
 * never free a layout between two trims: screens hold borrowed pointers for
 * the length of a frame. */
#include "ui/text/cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_log.h"

struct entry {
    struct entry *next_in_bucket;
    struct entry *lru_prev, *lru_next; /* head = most recently used */
    uint64_t hash;
    text_style style;
    int width;
    size_t len;
    char *text;
    text_layout *layout;
    size_t bytes;
};

struct text_cache {
    text_engine *engine;
    size_t budget;
    struct entry **buckets;
    size_t n_buckets;
    struct entry *lru_head, *lru_tail;
    text_cache_stats stats;
};

#define DEFAULT_BUDGET (8u * 1024u * 1024u)

text_cache *text_cache_create(text_engine *engine, size_t budget_bytes)
{
    text_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->engine = engine;
    c->budget = budget_bytes ? budget_bytes : DEFAULT_BUDGET;
    c->n_buckets = 1024;
    c->buckets = calloc(c->n_buckets, sizeof *c->buckets);
    if (!c->buckets) {
        free(c);
        return NULL;
    }
    return c;
}

static void entry_free(struct entry *en)
{
    text_layout_destroy(en->layout);
    free(en->text);
    free(en);
}

void text_cache_clear(text_cache *c)
{
    if (!c)
        return;
    for (struct entry *en = c->lru_head, *next; en; en = next) {
        next = en->lru_next;
        entry_free(en);
    }
    memset(c->buckets, 0, c->n_buckets * sizeof *c->buckets);
    c->lru_head = c->lru_tail = NULL;
    c->stats.entries = 0;
    c->stats.bytes = 0;
}

void text_cache_destroy(text_cache *c)
{
    if (!c)
        return;
    text_cache_clear(c);
    free(c->buckets);
    free(c);
}

/* FNV-1a over the text, mixed with the style fields that change a layout. */
static uint64_t key_hash(const char *s, size_t len, const text_style *st, int width)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    uint64_t fields[] = {(uint64_t)st->size_px,   (uint64_t)st->weight,
                         (uint64_t)st->lang,      (uint64_t)st->align,
                         (uint64_t)st->max_lines, (uint64_t)st->markup,
                         (uint64_t)st->ruby,      (uint64_t)(st->line_height * 1000.0f),
                         (uint64_t)(int64_t)width};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        h ^= fields[i] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    }
    return h;
}

static bool style_equal(const text_style *a, const text_style *b)
{
    return a->size_px == b->size_px && a->weight == b->weight && a->lang == b->lang &&
           a->align == b->align && a->max_lines == b->max_lines && a->markup == b->markup &&
           a->ruby == b->ruby && a->line_height == b->line_height;
}

static void lru_unlink(text_cache *c, struct entry *en)
{
    if (en->lru_prev)
        en->lru_prev->lru_next = en->lru_next;
    else
        c->lru_head = en->lru_next;
    if (en->lru_next)
        en->lru_next->lru_prev = en->lru_prev;
    else
        c->lru_tail = en->lru_prev;
    en->lru_prev = en->lru_next = NULL;
}

static void lru_push_front(text_cache *c, struct entry *en)
{
    en->lru_next = c->lru_head;
    en->lru_prev = NULL;
    if (c->lru_head)
        c->lru_head->lru_prev = en;
    c->lru_head = en;
    if (!c->lru_tail)
        c->lru_tail = en;
}

const text_layout *text_cache_get(text_cache *c, const char *utf8, size_t len,
                                  const text_style *style, int width_px)
{
    uint64_t h = key_hash(utf8, len, style, width_px);
    struct entry **slot = &c->buckets[h % c->n_buckets];
    for (struct entry *en = *slot; en; en = en->next_in_bucket) {
        if (en->hash == h && en->len == len && en->width == width_px &&
            style_equal(&en->style, style) && memcmp(en->text, utf8, len) == 0) {
            c->stats.hits++;
            lru_unlink(c, en);
            lru_push_front(c, en);
            return en->layout;
        }
    }
    c->stats.misses++;
    struct entry *en = calloc(1, sizeof *en);
    if (!en)
        return NULL;
    en->text = malloc(len ? len : 1);
    en->layout = text_layout_create(c->engine, utf8, len, style, width_px);
    if (!en->text || !en->layout) {
        entry_free(en);
        return NULL;
    }
    memcpy(en->text, utf8, len);
    en->hash = h;
    en->len = len;
    en->style = *style;
    en->width = width_px;
    en->bytes = sizeof *en + len + text_layout_memory(en->layout);
    en->next_in_bucket = *slot;
    *slot = en;
    lru_push_front(c, en);
    c->stats.entries++;
    c->stats.bytes += en->bytes;
    return en->layout;
}

static void evict(text_cache *c, struct entry *en)
{
    struct entry **slot = &c->buckets[en->hash % c->n_buckets];
    while (*slot != en)
        slot = &(*slot)->next_in_bucket;
    *slot = en->next_in_bucket;
    lru_unlink(c, en);
    c->stats.entries--;
    c->stats.bytes -= en->bytes;
    c->stats.evictions++;
    entry_free(en);
}

void text_cache_trim(text_cache *c)
{
    while (c->stats.bytes > c->budget && c->lru_tail && c->lru_tail != c->lru_head)
        evict(c, c->lru_tail);
}

void text_cache_get_stats(const text_cache *c, text_cache_stats *out)
{
    *out = c->stats;
}
