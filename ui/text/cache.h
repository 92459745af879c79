/* cache: layouts keyed by (text, style, width), so a screen redrawn 60 times
 * a second shapes each paragraph once. Least-recently-used entries are evicted
 * beyond a byte budget, only in text_cache_trim(), never in the middle of a
 * frame: a pointer from text_cache_get() stays valid until the next trim. */
#ifndef HIROBA_UI_TEXT_CACHE_H
#define HIROBA_UI_TEXT_CACHE_H

#include <stddef.h>

#include "ui/text/layout.h"

typedef struct text_cache text_cache;

/* engine is borrowed until destroy; budget_bytes 0 means 8 MiB. */
text_cache *text_cache_create(text_engine *engine, size_t budget_bytes);
void text_cache_destroy(text_cache *c);

/* Borrowed until the next text_cache_trim/clear/destroy; NULL like layout_create. */
const text_layout *text_cache_get(text_cache *c, const char *utf8, size_t len,
                                  const text_style *style, int width_px);
/* Call once per frame, after drawing. */
void text_cache_trim(text_cache *c);
void text_cache_clear(text_cache *c);

typedef struct text_cache_stats {
    size_t entries, bytes, hits, misses, evictions;
} text_cache_stats;
void text_cache_get_stats(const text_cache *c, text_cache_stats *out);

#endif
