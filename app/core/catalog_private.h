/* catalog_private: the catalog parser reached from a memory buffer, for the
 * fuzzer and the unit tests (catalog_load reads files and calls the same
 * code). Not for other modules. */
#ifndef HIROBA_APP_CORE_CATALOG_PRIVATE_H
#define HIROBA_APP_CORE_CATALOG_PRIVATE_H

#include <stddef.h>

#include "app/core/catalog.h"

#define CATALOG_KEY_MAX          96 /* bytes, "section.key" */
#define CATALOG_MAX_PLACEHOLDERS 8  /* per text */

/* A catalog with no language loaded (every lookup returns the key). NULL
 * when out of memory. Release with catalog_destroy. */
catalog *catalog_create_empty(void);

/* Parses text[0..len) (no NUL needed; a NUL inside refuses the file) as
 * lang's file, replacing what lang had. name is for messages ("en.ini").
 * Parse Japanese first: the other languages' placeholders are checked
 * against it. Returns 0, or -1 when the whole file is refused (logged; lang
 * then has no texts and falls back to Japanese). Single texts that break a
 * rule are refused one by one (logged) and the rest is kept. */
int catalog_parse_lang(catalog *c, model_lang lang, const char *name, const char *text, size_t len);

/* How many texts lang has. */
size_t catalog_count(const catalog *c, model_lang lang);

#endif
