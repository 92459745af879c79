/* fonts: loads each face once (one mmap shared by HarfBuzz and FreeType) and
 * keeps the fallback chains. Must never rasterise or shape by itself, and
 * never fail hard on a bad font file: a face that does not load is logged and
 * skipped, so a kiosk with one broken font still shows text. */
#include "ui/text/fonts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-ot.h>
#include <hb.h>
#include <ini.h>

#include "ui/ui_log.h"

#define PICK_CACHE_SIZE 2048u

struct face {
    char *path;
    int index;
    hb_blob_t *blob;
    hb_face_t *hb_face;
    hb_font_t *hb_font;
    FT_Face ft;
    int upem;
    int ascender, descender; /* ideographic em box in font units, bottom negative */
    char name[96];
};

struct pick_entry {
    uint32_t cp;
    uint32_t sig;
    uint16_t face;
};

struct text_fonts {
    FT_Library ft;
    struct face faces[TEXT_FONTS_MAX_FACES];
    size_t n_faces;
    uint16_t chain[TEXT_LANG_COUNT][TEXT_WEIGHT_COUNT][TEXT_CHAIN_MAX];
    uint8_t chain_len[TEXT_LANG_COUNT][TEXT_WEIGHT_COUNT];
    struct pick_entry pick_cache[PICK_CACHE_SIZE];
};

text_fonts *text_fonts_create(void)
{
    text_fonts *f = calloc(1, sizeof *f);
    if (!f) {
        UI_ERROR("fonts", "out of memory");
        return NULL;
    }
    if (FT_Init_FreeType(&f->ft) != 0) {
        UI_ERROR("fonts", "FreeType failed to initialise");
        free(f);
        return NULL;
    }
    for (size_t i = 0; i < PICK_CACHE_SIZE; i++)
        f->pick_cache[i].cp = UINT32_MAX;
    return f;
}

static void face_clear(struct face *fc)
{
    if (fc->ft)
        FT_Done_Face(fc->ft);
    hb_font_destroy(fc->hb_font);
    hb_face_destroy(fc->hb_face);
    hb_blob_destroy(fc->blob);
    free(fc->path);
    memset(fc, 0, sizeof *fc);
}

void text_fonts_destroy(text_fonts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_faces; i++)
        face_clear(&f->faces[i]);
    FT_Done_FreeType(f->ft);
    free(f);
}

/* Returns the face number of path:index, loading it if new; -1 on failure. */
static int face_open(text_fonts *f, const char *path, int index)
{
    for (size_t i = 0; i < f->n_faces; i++)
        if (f->faces[i].index == index && strcmp(f->faces[i].path, path) == 0)
            return (int)i;
    if (f->n_faces >= TEXT_FONTS_MAX_FACES) {
        UI_ERROR("fonts", "%s: more than %d faces configured", path, TEXT_FONTS_MAX_FACES);
        return -1;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        UI_ERROR("fonts", "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_size < 12) {
        UI_ERROR("fonts", "%s: not a font file", path);
        return -1;
    }
    struct face fc = {0};
    fc.index = index;
    fc.path = strdup(path);
    fc.blob = hb_blob_create_from_file_or_fail(path);
    if (!fc.path || !fc.blob) {
        UI_ERROR("fonts", "%s: cannot read", path);
        goto fail;
    }
    unsigned int count = hb_face_count(fc.blob);
    if (count == 0 || index < 0 || (unsigned)index >= count) {
        UI_ERROR("fonts", "%s: not a font file, or no face %d in it (%u faces)", path, index,
                 count);
        goto fail;
    }
    unsigned int blob_len = 0;
    const char *data = hb_blob_get_data(fc.blob, &blob_len);
    FT_Error err =
        FT_New_Memory_Face(f->ft, (const FT_Byte *)data, (FT_Long)blob_len, (FT_Long)index, &fc.ft);
    if (err != 0 || !FT_IS_SCALABLE(fc.ft)) {
        UI_ERROR("fonts", "%s:%d: FreeType cannot use this face (error %d)", path, index, (int)err);
        goto fail;
    }
    fc.hb_face = hb_face_create(fc.blob, (unsigned)index);
    fc.upem = (int)hb_face_get_upem(fc.hb_face);
    fc.hb_font = hb_font_create(fc.hb_face);
    if (!fc.hb_font || fc.upem <= 0 || hb_face_get_glyph_count(fc.hb_face) == 0) {
        UI_ERROR("fonts", "%s:%d: HarfBuzz cannot use this face", path, index);
        goto fail;
    }
    hb_ot_font_set_funcs(fc.hb_font);
    /* The ideographic em box (BASE table, else OS/2 typo metrics) is what
     * CJK lines are built on; hhea ascenders include line gap in some faces. */
    hb_position_t top = 0, bottom = 0;
    hb_ot_layout_get_baseline_with_fallback(fc.hb_font,
                                            HB_OT_LAYOUT_BASELINE_TAG_IDEO_EMBOX_TOP_OR_RIGHT,
                                            HB_DIRECTION_LTR, HB_SCRIPT_HAN, HB_TAG_NONE, &top);
    hb_ot_layout_get_baseline_with_fallback(fc.hb_font,
                                            HB_OT_LAYOUT_BASELINE_TAG_IDEO_EMBOX_BOTTOM_OR_LEFT,
                                            HB_DIRECTION_LTR, HB_SCRIPT_HAN, HB_TAG_NONE, &bottom);
    fc.ascender = (int)top;
    fc.descender = (int)bottom;
    if (fc.ascender <= 0 || fc.ascender - fc.descender <= 0) {
        fc.ascender = fc.upem * 88 / 100;
        fc.descender = -fc.upem * 12 / 100;
    }
    snprintf(fc.name, sizeof fc.name, "%s %s", fc.ft->family_name ? fc.ft->family_name : "?",
             fc.ft->style_name ? fc.ft->style_name : "");
    f->faces[f->n_faces] = fc;
    return (int)f->n_faces++;
fail:
    face_clear(&fc);
    return -1;
}

static int chain_append(text_fonts *f, text_lang lang, text_weight weight, uint16_t face)
{
    uint8_t *len = &f->chain_len[lang][weight];
    for (uint8_t i = 0; i < *len; i++)
        if (f->chain[lang][weight][i] == face)
            return 0;
    if (*len >= TEXT_CHAIN_MAX) {
        UI_WARN("fonts", "chain longer than %d faces; %s ignored", TEXT_CHAIN_MAX,
                f->faces[face].name);
        return -1;
    }
    f->chain[lang][weight][(*len)++] = face;
    return 0;
}

int text_fonts_add(text_fonts *f, text_lang lang, text_weight weight, const char *path,
                   int face_index)
{
    if (lang >= TEXT_LANG_COUNT || weight >= TEXT_WEIGHT_COUNT)
        return -1;
    int face = face_open(f, path, face_index);
    if (face < 0)
        return -1;
    return chain_append(f, lang, weight, (uint16_t)face);
}

int text_fonts_prepend_all(text_fonts *f, const char *path, int face_index)
{
    int face = face_open(f, path, face_index);
    if (face < 0)
        return -1;
    for (int l = 0; l < TEXT_LANG_COUNT; l++) {
        for (int w = 0; w < TEXT_WEIGHT_COUNT; w++) {
            uint16_t *c = f->chain[l][w];
            uint8_t n = f->chain_len[l][w];
            uint8_t j = 0;
            uint16_t out[TEXT_CHAIN_MAX];
            out[j++] = (uint16_t)face;
            for (uint8_t i = 0; i < n && j < TEXT_CHAIN_MAX; i++)
                if (c[i] != face)
                    out[j++] = c[i];
            memcpy(c, out, j * sizeof *out);
            f->chain_len[l][w] = j;
        }
    }
    for (size_t i = 0; i < PICK_CACHE_SIZE; i++)
        f->pick_cache[i].cp = UINT32_MAX;
    return 0;
}

/* "path[:index]", with a relative path taken from dir. */
static int parse_face_spec(const char *spec, const char *dir, char *path, size_t cap, int *index)
{
    *index = 0;
    char tmp[1024];
    if (strlen(spec) >= sizeof tmp)
        return -1;
    strcpy(tmp, spec);
    char *colon = strrchr(tmp, ':');
    if (colon && colon[1] != '\0' && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        *index = atoi(colon + 1);
        *colon = '\0';
    }
    int n = (tmp[0] == '/' || !dir) ? snprintf(path, cap, "%s", tmp)
                                    : snprintf(path, cap, "%s/%s", dir, tmp);
    return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

struct ini_ctx {
    text_fonts *f;
    const char *dir;
    const char *file;
    int errors;
};

static int section_to_chain(const char *section, text_lang *lang, text_weight *weight)
{
    static const char *const langs[] = {"ja", "zh", "ko", "en"};
    char l[16] = "ja", w[16] = "";
    const char *dot = strchr(section, '.');
    if (dot) {
        size_t n = (size_t)(dot - section);
        if (n >= sizeof l)
            return -1;
        memcpy(l, section, n);
        l[n] = '\0';
        snprintf(w, sizeof w, "%s", dot + 1);
    } else {
        snprintf(w, sizeof w, "%s", section);
    }
    *lang = TEXT_LANG_COUNT;
    for (int i = 0; i < TEXT_LANG_COUNT; i++)
        if (strcmp(l, langs[i]) == 0)
            *lang = (text_lang)i;
    if (strcmp(w, "regular") == 0)
        *weight = TEXT_WEIGHT_REGULAR;
    else if (strcmp(w, "bold") == 0)
        *weight = TEXT_WEIGHT_BOLD;
    else
        return -1;
    return *lang == TEXT_LANG_COUNT ? -1 : 0;
}

static int fonts_ini_entry(void *user, const char *section, const char *name, const char *value)
{
    struct ini_ctx *ctx = user;
    text_lang lang;
    text_weight weight;
    if (section_to_chain(section, &lang, &weight) != 0 || strcmp(name, "face") != 0) {
        UI_WARN("fonts", "%s: [%s] %s: unknown section or key, ignored", ctx->file, section, name);
        return 1;
    }
    char path[1024];
    int index;
    if (parse_face_spec(value, ctx->dir, path, sizeof path, &index) != 0) {
        UI_WARN("fonts", "%s: [%s] face = %s: path too long", ctx->file, section, value);
        ctx->errors++;
        return 1;
    }
    if (text_fonts_add(ctx->f, lang, weight, path, index) != 0)
        ctx->errors++;
    return 1;
}

/* Empty chains borrow: lang.bold <- ja.bold <- lang.regular <- ja.regular. */
static void fill_fallback_chains(text_fonts *f)
{
    for (int l = 0; l < TEXT_LANG_COUNT; l++) {
        for (int w = 0; w < TEXT_WEIGHT_COUNT; w++) {
            if (f->chain_len[l][w])
                continue;
            int src_l = 0, src_w = w;
            if (!f->chain_len[0][w]) {
                src_l = l;
                src_w = TEXT_WEIGHT_REGULAR;
                if (!f->chain_len[l][src_w])
                    src_l = 0;
            }
            memcpy(f->chain[l][w], f->chain[src_l][src_w], sizeof f->chain[l][w]);
            f->chain_len[l][w] = f->chain_len[src_l][src_w];
        }
    }
}

text_fonts *text_fonts_load(const char *ini_path)
{
    FILE *fp = fopen(ini_path, "r");
    if (!fp) {
        UI_ERROR("fonts", "%s: %s", ini_path, strerror(errno));
        return NULL;
    }
    text_fonts *f = text_fonts_create();
    if (!f) {
        fclose(fp);
        return NULL;
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", ini_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    struct ini_ctx ctx = {f, dir, ini_path, 0};
    int line = ini_parse_file(fp, fonts_ini_entry, &ctx);
    fclose(fp);
    if (line != 0)
        UI_WARN("fonts", "%s:%d: syntax error", ini_path, line);
    fill_fallback_chains(f);
    if (!text_fonts_ready(f)) {
        UI_ERROR("fonts", "%s: no usable font face", ini_path);
        text_fonts_destroy(f);
        return NULL;
    }
    return f;
}

size_t text_fonts_face_count(const text_fonts *f)
{
    return f ? f->n_faces : 0;
}

bool text_fonts_ready(const text_fonts *f)
{
    return f && f->chain_len[TEXT_LANG_JA][TEXT_WEIGHT_REGULAR] > 0;
}

size_t text_fonts_chain(const text_fonts *f, text_lang lang, text_weight weight,
                        uint16_t out[TEXT_CHAIN_MAX])
{
    if (lang >= TEXT_LANG_COUNT)
        lang = TEXT_LANG_JA;
    if (weight >= TEXT_WEIGHT_COUNT)
        weight = TEXT_WEIGHT_REGULAR;
    size_t n = f->chain_len[lang][weight];
    if (n == 0) {
        lang = TEXT_LANG_JA;
        n = f->chain_len[lang][weight];
        if (n == 0) {
            weight = TEXT_WEIGHT_REGULAR;
            n = f->chain_len[lang][weight];
        }
    }
    memcpy(out, f->chain[lang][weight], n * sizeof *out);
    return n;
}

static bool face_has(struct face *fc, uint32_t cp)
{
    hb_codepoint_t g;
    return hb_font_get_nominal_glyph(fc->hb_font, cp, &g) && g != 0;
}

bool text_fonts_has(text_fonts *f, uint16_t face, uint32_t cp)
{
    return face < f->n_faces && face_has(&f->faces[face], cp);
}

uint16_t text_fonts_pick(text_fonts *f, const uint16_t *chain, size_t n, uint32_t cp)
{
    uint32_t sig = (uint32_t)n;
    for (size_t i = 0; i < n; i++)
        sig = sig * 31u + chain[i] + 1u;
    struct pick_entry *e = &f->pick_cache[(cp * 2654435761u ^ sig * 40503u) % PICK_CACHE_SIZE];
    if (e->cp == cp && e->sig == sig)
        return e->face;
    uint16_t face = chain[0];
    for (size_t i = 0; i < n; i++) {
        if (face_has(&f->faces[chain[i]], cp)) {
            face = chain[i];
            break;
        }
    }
    e->cp = cp;
    e->sig = sig;
    e->face = face;
    return face;
}

void *text_fonts_hb_font(text_fonts *f, uint16_t face)
{
    return f->faces[face].hb_font;
}

void *text_fonts_ft_face(text_fonts *f, uint16_t face)
{
    return f->faces[face].ft;
}

void text_fonts_metrics(text_fonts *f, uint16_t face, int size_px, int32_t *ascender26,
                        int32_t *descender26)
{
    const struct face *fc = &f->faces[face];
    /* Normalise the em box to exactly one em. */
    int64_t span = fc->ascender - fc->descender;
    int64_t em26 = (int64_t)size_px * 64;
    *ascender26 = (int32_t)(em26 * fc->ascender / span);
    *descender26 = (int32_t)(*ascender26 - em26);
}

const char *text_fonts_face_name(const text_fonts *f, uint16_t face)
{
    return face < f->n_faces ? f->faces[face].name : "?";
}

static inline bool file_exists(const char *p)
{
    return access(p, R_OK) == 0;
}

const char *text_fonts_default_ini(void)
{
    const char *env = getenv("HIROBA_FONTS");
    if (env && *env)
        return env;
#ifdef HIROBA_DATADIR
    if (file_exists(HIROBA_DATADIR "/fonts/fonts.ini"))
        return HIROBA_DATADIR "/fonts/fonts.ini";
#endif
#ifdef HIROBA_SOURCE_DIR
    if (file_exists(HIROBA_SOURCE_DIR "/fonts/fonts.ini"))
        return HIROBA_SOURCE_DIR "/fonts/fonts.ini";
#endif
    return "fonts/fonts.ini";
}
