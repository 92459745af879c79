/* catalog: the kiosk's own UI strings (button labels, board headings,
 * "may be out of date"...) in the five languages, from INI files in
 * assets/i18n/<code>.ini (ja.ini, en.ini, zh.ini, ko.ini, ja-easy.ini), read
 * with libinih: `[section]` + `key = text`, looked up as "section.key".
 * Content strings never come from here: they come from the pack.
 * Texts may hold furigana markup {漢字|かんじ} (ja-easy uses it) and
 * printf-style placeholders documented per key in assets/i18n/README.md
 * (only %s and %d, checked against ja.ini's at load: a translation whose
 * placeholders differ from Japanese is refused with a warning and falls
 * back, so a bad catalog can never crash a format call).
 * Lookup falls back to Japanese, then to the key itself (logged once), so
 * a missing string shows up on screen as "home.title", never as nothing.
 * Immutable after load: share freely between threads. */
#ifndef HIROBA_APP_CORE_CATALOG_H
#define HIROBA_APP_CORE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "app/core/model.h"

#define CATALOG_MAX_BYTES   (256u * 1024) /* per file */
#define CATALOG_MAX_ENTRIES 1024          /* per language */
#define CATALOG_MAX_VALUE   1024          /* bytes per text */

typedef struct catalog catalog;

/* Loads dir/<code>.ini for every language. ja.ini is required (NULL and
 * logged without it); another missing or broken file is logged and that
 * language falls back to Japanese. */
catalog *catalog_load(const char *dir);
void catalog_destroy(catalog *c);

/* The installed catalog folder: $HIROBA_I18N_DIR if set, else the source
 * tree's assets/i18n when run from a build tree, else
 * HIROBA_DATADIR "/i18n". */
const char *catalog_default_dir(void);

/* The text for key in lang (falling back as above; never NULL). */
const char *catalog_get(const catalog *c, model_lang lang, const char *key);
/* The language whose text catalog_get returns (lang, or MODEL_LANG_JA after
 * a fallback): screens choose fonts by it. */
model_lang catalog_lang(const catalog *c, model_lang lang, const char *key);
/* True when lang itself has key (tests: every key of ja.ini in every language). */
bool catalog_has(const catalog *c, model_lang lang, const char *key);
/* Calls fn for every key of lang, in file order (tests). */
void catalog_each_key(const catalog *c, model_lang lang, void (*fn)(void *user, const char *key),
                      void *user);

#endif
