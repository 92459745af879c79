/* model: the content snapshot the screens read (a pack source or a published
 * manifest, after pack_json has validated it). Immutable once built: screens
 * and threads share a `const model_pack *` freely. Everything it points to is
 * owned by the pack's arena, so model_pack_destroy frees it in one go.
 * Never includes SDL or ui/; never parses anything (pack_json does that). */
#ifndef HIROBA_APP_CORE_MODEL_H
#define HIROBA_APP_CORE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/tz.h"

/* Content languages. The codes are the pack's keys and the --lang values. */
typedef enum model_lang {
    MODEL_LANG_NONE = -1, /* model_lang_from_code: not a known code */
    MODEL_LANG_JA = 0,    /* "ja": always present; every other language falls back to it */
    MODEL_LANG_EN,        /* "en" */
    MODEL_LANG_ZH,        /* "zh": Simplified Chinese */
    MODEL_LANG_KO,        /* "ko" */
    MODEL_LANG_JA_EASY,   /* "ja-easy": やさしい日本語 */
    MODEL_LANG_COUNT
} model_lang;

/* "ja-easy" -> MODEL_LANG_JA_EASY; NULL or unknown -> MODEL_LANG_NONE. */
model_lang model_lang_from_code(const char *code);
/* MODEL_LANG_JA -> "ja"; out of range -> NULL. */
const char *model_lang_code(model_lang lang);

/* A text in up to five languages: NUL-terminated, valid UTF-8, may hold
 * furigana markup {漢字|かんじ}. s[MODEL_LANG_JA] is NULL only for an absent
 * optional text (then every language is NULL). */
typedef struct model_text {
    const char *s[MODEL_LANG_COUNT];
} model_text;

/* The text in lang, else the Japanese text, else "" (never NULL). */
const char *model_text_get(const model_text *t, model_lang lang);
/* The language model_text_get returns for lang (lang itself, or
 * MODEL_LANG_JA after a fallback): screens pick the font by it, so Japanese
 * shown in Chinese mode keeps Japanese glyph forms. */
model_lang model_text_lang(const model_text *t, model_lang lang);
/* True when the text is absent (an optional text left out). */
bool model_text_empty(const model_text *t);

/* Minutes since local midnight. end is exclusive; end <= start means the
 * window crosses midnight and belongs to the day it starts on. 24:00 = 1440. */
typedef struct model_time_range {
    uint16_t start_min; /* 0..1439 */
    uint16_t end_min;   /* 0..1440, != start_min */
} model_time_range;

/* Bit d is struct tm's tm_wday d (0 = Sunday). */
#define MODEL_WEEKDAYS_ALL 0x7Fu

/* When something is on, in the pack's time zone. Every part is optional:
 * an open end, every weekday, all day. schedule_is_on evaluates it. */
typedef struct model_schedule {
    int32_t from_day;  /* days since 1970-01-01 (a civil date); INT32_MIN: open */
    int32_t until_day; /* inclusive; INT32_MAX: open */
    uint8_t weekdays;  /* MODEL_WEEKDAYS_ALL when not restricted */
    size_t n_times;    /* 0: all day */
    const model_time_range *times;
} model_schedule;

typedef enum model_media_kind {
    MODEL_MEDIA_IMAGE, /* .png .jpg .jpeg */
    MODEL_MEDIA_VIDEO, /* .mp4 .webm .mkv .mov */
} model_media_kind;

/* One entry of a manifest's "objects": a content-addressed file. */
typedef struct model_object {
    const char *name; /* the file name the pack uses ("kenshin.png") */
    char sha256[65];  /* 64 lowercase hex digits */
    uint64_t size;    /* bytes */
} model_object;

/* A media file the pack refers to. Every distinct name has one record,
 * shared by all its references. */
typedef struct model_media {
    const char *name;           /* relative to the pack folder: "img/logo.png" */
    model_media_kind kind;      /* from the extension */
    const char *where;          /* JSON path of the first reference ("items[2].file"),
                                 * for tools that report problems at the place
                                 * (jsonpos_locate_str) */
    const model_object *object; /* manifest: its sha256 and size; source: NULL */
} model_media;

typedef enum model_item_kind {
    MODEL_ITEM_CARD,  /* title + body, laid out by the text engine; optional image */
    MODEL_ITEM_IMAGE, /* a picture, letterboxed */
    MODEL_ITEM_VIDEO, /* a clip, muted in signage */
    MODEL_ITEM_BOARD, /* a live board (queue or vacancy) from the feeds, for its duration */
} model_item_kind;

/* The boards an item of kind MODEL_ITEM_BOARD may show (model_item.board). */
#define MODEL_BOARD_QUEUE   "queue"   /* 窓口の混雑状況 */
#define MODEL_BOARD_VACANCY "vacancy" /* 施設の空き状況 */

typedef struct model_item {
    const char *id;
    model_item_kind kind;
    model_text title;               /* card: present; image/video: empty */
    model_text body;                /* card: may be empty */
    const model_media *media;       /* card: optional image; image/video: the file; board: NULL */
    const char *board;              /* board: MODEL_BOARD_QUEUE or _VACANCY; others: NULL */
    uint32_t duration_ms;           /* card/image/board: shown this long; video: at most */
    uint8_t priority;               /* 0..100, higher plays first */
    const model_schedule *schedule; /* NULL: always on */
} model_item;

typedef struct model_playlist {
    const char *id;
    size_t n_items;
    const model_item *const *items; /* in playlist order; may repeat an item */
} model_playlist;

/* One row of the top-level "schedule": the first row whose `when` is on
 * chooses the playlist. */
typedef struct model_schedule_entry {
    const model_playlist *playlist;
    const model_schedule *when; /* NULL: the default, always on */
} model_schedule_entry;

typedef struct model_ticker {
    model_text text;
    const model_schedule *when; /* NULL: always */
} model_ticker;

typedef struct model_qr {
    model_text label;
    const char *url; /* https:// */
} model_qr;

typedef struct model_category model_category;

typedef struct model_page {
    const char *id; /* unique over all pages of the pack */
    model_text title;
    model_text body;          /* may be empty */
    const model_media *image; /* NULL: none */
    const model_media *video; /* NULL: none */
    size_t n_qr;
    const model_qr *qr;
    const model_category *category; /* the category it belongs to */
} model_page;

struct model_category {
    const char *id;
    model_text title;
    const model_media *icon; /* NULL: none */
    size_t n_pages;
    const model_page *pages;
};

/* Feed URLs (http or https), NULL when not configured. */
typedef struct model_feeds {
    const char *queue;
    const char *vacancy;
    const char *alerts;
    const char *cap;
} model_feeds;

/* When the display should be on. Used by a later issue. */
typedef struct model_screen_hours {
    bool set;         /* false: always on */
    uint16_t on_min;  /* minutes since local midnight */
    uint16_t off_min; /* off < on: the screen stays on past midnight */
} model_screen_hours;

typedef struct model_facility {
    model_text name;
    const model_media *logo; /* NULL: none */
} model_facility;

/* What a published manifest adds to the source. present is false for a source. */
typedef struct model_manifest {
    bool present;
    const char *channel;
    int64_t version; /* 1 .. 2^53-1 */
    int64_t issued;  /* epoch seconds */
    int64_t expires; /* epoch seconds, > issued */
    size_t n_objects;
    const model_object *objects; /* sorted by name (strcmp) */
} model_manifest;

typedef struct model_arena model_arena;

typedef struct model_pack {
    int format; /* 1 */
    model_facility facility;
    const char *timezone; /* IANA name, "Asia/Tokyo" by default */
    const tz_zone *zone;  /* its rules, loaded once when the pack was parsed */

    size_t n_items;
    const model_item *items; /* in document order */
    size_t n_playlists;
    const model_playlist *playlists;
    size_t n_schedule;
    const model_schedule_entry *schedule;
    size_t n_ticker;
    const model_ticker *ticker;
    size_t n_categories;
    const model_category *categories;
    size_t n_pages; /* over all categories */
    size_t n_media;
    const model_media *media; /* every distinct file, in order of first reference */

    model_feeds feeds;
    model_screen_hours screen_hours;
    model_manifest manifest;

    /* Private below: lookups go through model_pack_find_*. */
    model_arena *arena;
    tz_zone *owned_zone;
    const model_item **item_index; /* sorted by id */
    const model_playlist **playlist_index;
    const model_category **category_index;
    const model_page **page_index;
    const model_media **media_index; /* sorted by name */
} model_pack;

/* Frees the pack and everything it owns. NULL is a no-op. */
void model_pack_destroy(model_pack *p);

/* Lookups by id (or file name), O(log n). NULL when absent. */
const model_item *model_pack_find_item(const model_pack *p, const char *id);
const model_playlist *model_pack_find_playlist(const model_pack *p, const char *id);
const model_category *model_pack_find_category(const model_pack *p, const char *id);
const model_page *model_pack_find_page(const model_pack *p, const char *id);
const model_object *model_pack_find_object(const model_pack *p, const char *name);
const model_media *model_pack_find_media(const model_pack *p, const char *name);

/* "card", "image", "video", "board". */
const char *model_item_kind_name(model_item_kind kind);

/* ---- For builders (pack_json) only: screens never call these. ---- */

/* An empty pack with its arena. NULL (logged) when out of memory. */
model_pack *model_pack_new(void);
/* Zeroed memory owned by p, aligned for any type. NULL when out of memory
 * or n * size overflows. */
void *model_alloc(model_pack *p, size_t n, size_t size);
/* Copies len bytes and a NUL into p's arena. */
char *model_strndup(model_pack *p, const char *s, size_t len);
/* (Re)builds the lookup indexes over items, playlists, categories, pages and
 * media as they are now; call again after filling more arrays. Objects are
 * the builder's to sort. Returns 0 or -1 (memory). */
int model_pack_index(model_pack *p);
/* Bytes the arena holds (tests, limits). */
size_t model_pack_arena_bytes(const model_pack *p);

#endif
