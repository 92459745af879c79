/* catalog: the kiosk's UI strings from assets/i18n/<code>.ini (see
 * catalog.h). The files ship with the kiosk but are parsed like untrusted
 * input: limits on size, entries and text length, strict UTF-8, and only
 * %s / %d placeholders that match Japanese, so that a broken translation
 * can never crash a format call or blank a button. Must never hand out
 * NULL from a lookup, and never change after load (the only mutable state,
 * the set of missing keys already logged, sits behind a mutex). */
#include "app/core/catalog_private.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "app/core/log.h"

#define MOD "catalog"

/* Missing keys logged by catalog_get, remembered by hash so each is logged
 * once; past this many the rest are not logged at all (a catalog that
 * misses that much has been reported at load already). */
#define LOGGED_MAX 64

#define STR_(x) #x
#define STR(x)  STR_(x)

typedef struct cat_entry {
    char *key; /* "section.name" */
    char *value;
    int line;
    bool drop; /* repeated, or placeholders unlike Japanese's (finish_table) */
    char placeholders[CATALOG_MAX_PLACEHOLDERS + 1]; /* "sd" for "%s ... %d" */
} cat_entry;

typedef struct cat_table {
    cat_entry *entries; /* in file order */
    size_t n, cap;
    cat_entry **sorted; /* by key, for lookups */
} cat_table;

/* The one thing that changes after load, kept apart so that lookups on a
 * const catalog can update it. */
typedef struct missing_log {
    pthread_mutex_t lock;
    uint64_t logged[LOGGED_MAX];
    size_t n_logged;
} missing_log;

struct catalog {
    cat_table lang[MODEL_LANG_COUNT];
    missing_log *missing;
};

typedef struct parse_state {
    catalog *c;
    model_lang lang;
    const char *name;
    cat_table t;
    const char *pos, *end;
    int line;
    char err[256]; /* the first problem that refuses the whole file */
} parse_state;

/* ---- tables ---- */

static void table_clear(cat_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->entries[i].key);
        free(t->entries[i].value);
    }
    free(t->entries);
    free(t->sorted);
    *t = (cat_table){0};
}

static int by_key_then_line(const void *a, const void *b)
{
    const cat_entry *x = *(cat_entry *const *)a, *y = *(cat_entry *const *)b;
    int r = strcmp(x->key, y->key);
    return r ? r : (x->line > y->line) - (x->line < y->line);
}

static int sort_table(cat_table *t)
{
    free(t->sorted);
    t->sorted = NULL;
    if (t->n == 0)
        return 0;
    t->sorted = malloc(t->n * sizeof *t->sorted);
    if (!t->sorted)
        return -1;
    for (size_t i = 0; i < t->n; i++)
        t->sorted[i] = &t->entries[i];
    qsort(t->sorted, t->n, sizeof *t->sorted, by_key_then_line);
    return 0;
}

static const cat_entry *table_find(const cat_table *t, const char *key)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(key, t->sorted[mid]->key);
        if (r == 0)
            return t->sorted[mid];
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Drops what the whole file must be read to judge: a key written twice
 * keeps its first text, then a translation whose placeholders differ from
 * Japanese's is refused (after the duplicates, so the text judged is the
 * one that would be shown). Each drop is logged. */
static int finish_table(parse_state *ps)
{
    cat_table *t = &ps->t;
    if (sort_table(t) != 0)
        return -1;
    bool any = false;
    for (size_t i = 1; i < t->n; i++) {
        if (strcmp(t->sorted[i - 1]->key, t->sorted[i]->key) == 0) {
            LOG_WARN(MOD, "%s:%d: \"%s\" repeated; the first one (line %d) is kept", ps->name,
                     t->sorted[i]->line, t->sorted[i]->key, t->sorted[i - 1]->line);
            t->sorted[i]->drop = true;
            any = true;
        }
    }
    for (size_t i = 0; i < t->n && ps->lang != MODEL_LANG_JA; i++) {
        cat_entry *e = &t->entries[i];
        if (e->drop)
            continue;
        const cat_entry *ja = table_find(&ps->c->lang[MODEL_LANG_JA], e->key);
        if (strcmp(e->placeholders, ja ? ja->placeholders : "") == 0)
            continue;
        LOG_WARN(MOD, "%s:%d: %s: %s (Japanese shown instead)", ps->name, e->line, e->key,
                 ja ? "placeholders differ from ja.ini's" : "placeholders in a text ja.ini lacks");
        e->drop = true;
        any = true;
    }
    if (!any)
        return 0;
    size_t kept = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->entries[i].drop) {
            free(t->entries[i].key);
            free(t->entries[i].value);
        } else {
            t->entries[kept++] = t->entries[i];
        }
    }
    t->n = kept;
    return sort_table(t);
}

/* ---- checks ---- */

/* Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
 * Returns the offset of the first bad byte, or len. */
static size_t utf8_check(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n = c >= 0xC2 && c <= 0xDF   ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4
                                            : 0;
        if (n == 0 || len - i < n)
            return i;
        for (size_t k = 1; k < n; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
        if ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xED && p[i + 1] >= 0xA0) ||
            (c == 0xF0 && p[i + 1] < 0x90) || (c == 0xF4 && p[i + 1] >= 0x90))
            return i;
        i += n;
    }
    return len;
}

static int line_of(const char *text, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset; i++)
        if (text[i] == '\n' && line < INT_MAX)
            line++;
    return line;
}

/* Sections are [a-z0-9_-]+; names may also hold dots ("status.open"). */
static bool key_part_ok(const char *s, bool dots)
{
    if (!*s)
        return false;
    for (const char *p = s; *p; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                  (p > s && (ch == '_' || ch == '-' || (dots && ch == '.')));
        if (!ok)
            return false;
    }
    return true;
}

/* Every '%' must start %s or %d: a text is a printf format whether or not
 * the caller formats it, so a lone '%' (or %%, %n, %5s...) is refused and
 * a percent sign is written ％. Fills sig with the conversions in order.
 * Returns NULL or why not. */
static const char *placeholders_of(const char *v, char sig[CATALOG_MAX_PLACEHOLDERS + 1])
{
    size_t n = 0;
    for (const char *p = v; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] != 's' && p[1] != 'd')
            return "a '%' that is not %s or %d (write a percent sign as ％)";
        if (n == CATALOG_MAX_PLACEHOLDERS)
            return "too many placeholders";
        sig[n++] = p[1];
        p++;
    }
    sig[n] = '\0';
    return NULL;
}

/* No control characters (C0, DEL, C1): a text is one line of visible text. */
static bool printable(const char *v)
{
    const unsigned char *p = (const unsigned char *)v;
    for (; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return false;
        if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            return false;
    }
    return true;
}

/* ---- parsing ---- */

static void file_error(parse_state *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void file_error(parse_state *ps, const char *fmt, ...)
{
    if (ps->err[0])
        return;
    int n = snprintf(ps->err, sizeof ps->err, "%s:%d: ", ps->name, ps->line);
    if (n > 0 && (size_t)n < sizeof ps->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err + n, sizeof ps->err - (size_t)n, fmt, ap);
        va_end(ap);
    }
}

/* fgets over the buffer that counts lines and never lets inih split a line
 * too long for its buffer (it would read the rest as a line of its own):
 * such a line, or an indented one (inih would glue it to the text above),
 * refuses the file and reaches inih as an empty line. */
static char *read_line(char *str, int num, void *stream)
{
    parse_state *ps = stream;
    if (ps->pos >= ps->end || num < 2)
        return NULL;
    const char *start = ps->pos;
    const char *nl = memchr(start, '\n', (size_t)(ps->end - start));
    size_t n = nl ? (size_t)(nl - start) + 1 : (size_t)(ps->end - start);
    ps->pos += n;
    if (ps->line < INT_MAX)
        ps->line++;
    bool indented = false;
    if (start[0] == ' ' || start[0] == '\t') {
        for (size_t i = 1; i < n && !indented; i++)
            indented = start[i] != ' ' && start[i] != '\t' && start[i] != '\r' && start[i] != '\n';
    }
    /* The whole line, its line end and a NUL must fit in inih's buffer (on
     * its stack, where no sanitizer watches): count the bytes as they are,
     * never the text without its line end ("a\r\r\r...\n" is long too). */
    bool too_long = n + 1 > (size_t)num;
    if (too_long || indented) {
        if (too_long)
            file_error(ps, "line longer than %d bytes", num - 3);
        else
            file_error(ps, "indented line (a text must fit on its key's line)");
        str[0] = '\n';
        str[1] = '\0';
        return str;
    }
    memcpy(str, start, n);
    str[n] = '\0';
    return str;
}

/* A name from the file as it may appear in the log: never an escape
 * sequence or a screenful. */
static const char *shown(const char *s)
{
    return printable(s) && strlen(s) <= 40 ? s : "(unprintable or long)";
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    parse_state *ps = user;
    if (!*section) {
        file_error(ps, "\"%s\" before any [section]", shown(name));
        return 0;
    }
    if (!key_part_ok(section, false) || !key_part_ok(name, true)) {
        LOG_WARN(MOD, "%s:%d: [%s] %s: keys are lowercase a-z, 0-9, _ and - (text ignored)",
                 ps->name, ps->line, shown(section), shown(name));
        return 1;
    }
    char key[CATALOG_KEY_MAX + 1];
    int kn = snprintf(key, sizeof key, "%s.%s", section, name);
    if (kn < 0 || (size_t)kn >= sizeof key) {
        LOG_WARN(MOD, "%s:%d: key longer than %d bytes (text ignored)", ps->name, ps->line,
                 CATALOG_KEY_MAX);
        return 1;
    }
    if (ps->t.n == CATALOG_MAX_ENTRIES) {
        file_error(ps, "more than %d texts", CATALOG_MAX_ENTRIES);
        return 0;
    }
    size_t vlen = strlen(value);
    const char *why = NULL;
    char sig[CATALOG_MAX_PLACEHOLDERS + 1];
    if (vlen == 0)
        why = "empty text";
    else if (vlen > CATALOG_MAX_VALUE)
        why = "text longer than " STR(CATALOG_MAX_VALUE) " bytes";
    else if (!printable(value))
        why = "control character in the text";
    else
        why = placeholders_of(value, sig);
    if (why) {
        LOG_WARN(MOD, "%s:%d: %s: %s (%s)", ps->name, ps->line, key, why,
                 ps->lang == MODEL_LANG_JA ? "the key is shown instead" : "Japanese shown instead");
        return 1;
    }
    if (ps->t.n == ps->t.cap) {
        size_t cap = ps->t.cap ? ps->t.cap * 2 : 64;
        if (cap > CATALOG_MAX_ENTRIES)
            cap = CATALOG_MAX_ENTRIES;
        cat_entry *grown = realloc(ps->t.entries, cap * sizeof *grown);
        if (!grown) {
            file_error(ps, "out of memory");
            return 0;
        }
        ps->t.entries = grown;
        ps->t.cap = cap;
    }
    cat_entry *e = &ps->t.entries[ps->t.n];
    *e = (cat_entry){.key = strdup(key), .value = strdup(value), .line = ps->line};
    memcpy(e->placeholders, sig, sizeof sig);
    if (!e->key || !e->value) {
        free(e->key);
        free(e->value);
        file_error(ps, "out of memory");
        return 0;
    }
    ps->t.n++;
    return 1;
}

int catalog_parse_lang(catalog *c, model_lang lang, const char *name, const char *text, size_t len)
{
    if (!c || lang < 0 || lang >= MODEL_LANG_COUNT || (!text && len))
        return -1;
    table_clear(&c->lang[lang]);
    if (!name)
        name = "(catalog)";
    log_level level = lang == MODEL_LANG_JA ? LOG_LEVEL_ERROR : LOG_LEVEL_WARN;
    const char *then =
        lang == MODEL_LANG_JA ? "the keys are shown instead" : "Japanese is shown instead";
    if (len > CATALOG_MAX_BYTES) {
        log_write(level, MOD, "%s: more than %u bytes; %s", name, CATALOG_MAX_BYTES, then);
        return -1;
    }
    const char *nul = len ? memchr(text, '\0', len) : NULL;
    if (nul) {
        log_write(level, MOD, "%s:%d: NUL byte; %s", name, line_of(text, (size_t)(nul - text)),
                  then);
        return -1;
    }
    size_t bad = len ? utf8_check((const unsigned char *)text, len) : 0;
    if (bad != len) {
        log_write(level, MOD, "%s:%d: not valid UTF-8; %s", name, line_of(text, bad), then);
        return -1;
    }
    parse_state ps = {.c = c, .lang = lang, .name = name, .pos = text, .end = text + len};
    int rc = ini_parse_stream(read_line, &ps, on_entry, &ps);
    if (!ps.err[0] && rc > 0)
        snprintf(ps.err, sizeof ps.err, "%s:%d: not a \"key = text\" line or a [section]", name,
                 rc);
    else if (!ps.err[0] && rc < 0)
        snprintf(ps.err, sizeof ps.err, "%s: out of memory", name);
    if (!ps.err[0] && finish_table(&ps) != 0)
        snprintf(ps.err, sizeof ps.err, "%s: out of memory", name);
    if (ps.err[0]) {
        log_write(level, MOD, "%s; %s", ps.err, then);
        table_clear(&ps.t);
        return -1;
    }
    c->lang[lang] = ps.t;
    return 0;
}

/* ---- loading ---- */

catalog *catalog_create_empty(void)
{
    catalog *c = calloc(1, sizeof *c);
    missing_log *m = calloc(1, sizeof *m);
    if (!c || !m) {
        free(c);
        free(m);
        LOG_ERROR(MOD, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&m->lock, NULL);
    c->missing = m;
    return c;
}

void catalog_destroy(catalog *c)
{
    if (!c)
        return;
    for (int l = 0; l < MODEL_LANG_COUNT; l++)
        table_clear(&c->lang[l]);
    pthread_mutex_destroy(&c->missing->lock);
    free(c->missing);
    free(c);
}

/* Reads at most CATALOG_MAX_BYTES + 1 bytes, so that the parser sees (and
 * refuses) a file that is too large without reading all of it. Returns 0,
 * or -1 with errno set. */
static int read_capped(const char *path, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *buf = malloc(CATALOG_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        errno = ENOMEM;
        return -1;
    }
    size_t n = fread(buf, 1, CATALOG_MAX_BYTES + 1, f);
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed) {
        free(buf);
        errno = saved ? saved : EIO;
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

/* One line per language that lacks some of Japanese's texts, at load: the
 * lookups themselves fall back quietly. */
static void report_missing(const catalog *c, model_lang lang, const char *path)
{
    const cat_table *ja = &c->lang[MODEL_LANG_JA], *t = &c->lang[lang];
    size_t missing = 0;
    char list[200] = "";
    size_t used = 0;
    for (size_t i = 0; i < ja->n; i++) {
        if (table_find(t, ja->entries[i].key))
            continue;
        if (missing++ < 4 && used < sizeof list) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                             ja->entries[i].key);
            if (w > 0)
                used += (size_t)w;
        }
    }
    if (missing)
        LOG_WARN(MOD, "%s: %zu text(s) of ja.ini missing, shown in Japanese: %s%s", path, missing,
                 list, missing > 4 ? ", ..." : "");
}

catalog *catalog_load(const char *dir)
{
    if (!dir || !*dir) {
        LOG_ERROR(MOD, "no catalog folder");
        return NULL;
    }
    catalog *c = catalog_create_empty();
    if (!c)
        return NULL;
    bool loaded[MODEL_LANG_COUNT] = {false};
    for (int l = 0; l < MODEL_LANG_COUNT; l++) {
        char path[PATH_MAX];
        int n = snprintf(path, sizeof path, "%s/%s.ini", dir, model_lang_code((model_lang)l));
        if (n < 0 || (size_t)n >= sizeof path) {
            LOG_ERROR(MOD, "catalog folder path too long: %.200s", dir);
            goto fail;
        }
        char *text;
        size_t len;
        if (read_capped(path, &text, &len) != 0) {
            if (l == MODEL_LANG_JA) {
                LOG_ERROR(MOD, "cannot read %s: %s (UI texts are shown as keys)", path,
                          strerror(errno));
                goto fail;
            }
            LOG_WARN(MOD, "cannot read %s: %s (Japanese is shown instead)", path, strerror(errno));
            continue;
        }
        int r = catalog_parse_lang(c, (model_lang)l, path, text, len);
        free(text);
        if (r != 0 && l == MODEL_LANG_JA)
            goto fail;
        loaded[l] = r == 0;
        if (loaded[l] && l != MODEL_LANG_JA)
            report_missing(c, (model_lang)l, path);
    }
    LOG_INFO(MOD, "UI texts from %s: ja %zu, en %zu, zh %zu, ko %zu, ja-easy %zu", dir,
             c->lang[MODEL_LANG_JA].n, c->lang[MODEL_LANG_EN].n, c->lang[MODEL_LANG_ZH].n,
             c->lang[MODEL_LANG_KO].n, c->lang[MODEL_LANG_JA_EASY].n);
    return c;
fail:
    catalog_destroy(c);
    return NULL;
}

static bool file_readable(const char *path)
{
    return access(path, R_OK) == 0;
}

#if defined(HIROBA_SOURCE_DIR) && defined(HIROBA_BINARY_DIR)
/* True when this program lives in the build tree it was built in: then the
 * source tree's catalogs are the ones being worked on, not an older
 * installed copy. */
static bool run_from_build_tree(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    size_t blen = strlen(HIROBA_BINARY_DIR);
    return (size_t)n > blen && strncmp(exe, HIROBA_BINARY_DIR, blen) == 0 && exe[blen] == '/';
}
#endif

const char *catalog_default_dir(void)
{
    const char *env = getenv("HIROBA_I18N_DIR");
    if (env && *env)
        return env;
#if defined(HIROBA_SOURCE_DIR) && defined(HIROBA_BINARY_DIR)
    if (run_from_build_tree() && file_readable(HIROBA_SOURCE_DIR "/assets/i18n/ja.ini"))
        return HIROBA_SOURCE_DIR "/assets/i18n";
#endif
#ifdef HIROBA_DATADIR
    if (file_readable(HIROBA_DATADIR "/i18n/ja.ini"))
        return HIROBA_DATADIR "/i18n";
#endif
#ifdef HIROBA_SOURCE_DIR
    if (file_readable(HIROBA_SOURCE_DIR "/assets/i18n/ja.ini"))
        return HIROBA_SOURCE_DIR "/assets/i18n";
#endif
#ifdef HIROBA_DATADIR
    return HIROBA_DATADIR "/i18n";
#else
    return "assets/i18n";
#endif
}

/* ---- lookups ---- */

static uint64_t hash_key(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h;
}

/* Logs a key missing from every language once per catalog. */
static void log_missing(const catalog *c, const char *key)
{
    missing_log *m = c->missing;
    uint64_t h = hash_key(key);
    bool log = false;
    pthread_mutex_lock(&m->lock);
    size_t i = 0;
    while (i < m->n_logged && m->logged[i] != h)
        i++;
    if (i == m->n_logged && m->n_logged < LOGGED_MAX) {
        m->logged[m->n_logged++] = h;
        log = true;
    }
    pthread_mutex_unlock(&m->lock);
    if (log)
        LOG_WARN(MOD, "no text for \"%.100s\" in any catalog: the key is shown", key);
}

static model_lang valid_lang(model_lang lang)
{
    return lang > MODEL_LANG_JA && lang < MODEL_LANG_COUNT ? lang : MODEL_LANG_JA;
}

const char *catalog_get(const catalog *c, model_lang lang, const char *key)
{
    if (!key)
        return "";
    if (!c)
        return key;
    const cat_entry *e = table_find(&c->lang[valid_lang(lang)], key);
    if (!e)
        e = table_find(&c->lang[MODEL_LANG_JA], key);
    if (e)
        return e->value;
    log_missing(c, key);
    return key;
}

model_lang catalog_lang(const catalog *c, model_lang lang, const char *key)
{
    lang = valid_lang(lang);
    if (c && key && lang != MODEL_LANG_JA && table_find(&c->lang[lang], key))
        return lang;
    return MODEL_LANG_JA;
}

bool catalog_has(const catalog *c, model_lang lang, const char *key)
{
    if (!c || !key || lang < 0 || lang >= MODEL_LANG_COUNT)
        return false;
    return table_find(&c->lang[lang], key) != NULL;
}

void catalog_each_key(const catalog *c, model_lang lang, void (*fn)(void *user, const char *key),
                      void *user)
{
    if (!c || !fn || lang < 0 || lang >= MODEL_LANG_COUNT)
        return;
    const cat_table *t = &c->lang[lang];
    for (size_t i = 0; i < t->n; i++)
        fn(user, t->entries[i].key);
}

size_t catalog_count(const catalog *c, model_lang lang)
{
    if (!c || lang < 0 || lang >= MODEL_LANG_COUNT)
        return 0;
    return c->lang[lang].n;
}
