/* alert_draw: the pictures of an alert. The full view (the takeover, or a
 * banner's alert opened by a tap) reads top to bottom in the order a
 * frightened reader needs it: what is happening (the headline, the largest
 * type, beside a warning mark), what to do (on a white panel, the second
 * largest type, never larger than 80% of the headline), where (area,
 * shelters), then what happened in detail, when it was issued, by whom and
 * until when, and a QR code to the city's page. Drills carry a black and
 * yellow 訓練 / DRILL band on top.
 *
 * Fitting (plan_fit): a tall screen takes everything up to 130%; otherwise
 * the details shrink (to 70%) before the headline and the instruction do,
 * then one shelter and two lines of description are enough before those
 * shrink too (to 70%); past that the description is cut with "…", shelters
 * are counted instead of listed, and the QR code goes. Each heading first
 * shrinks a step or two on one line, then wraps at the spaces between its
 * phrases when it can ("緊急安全確保" / "中央区の全域", never "中央" / "区"),
 * avoiding a lone last word. The headline and the instruction are never
 * cut. Sizes follow the shorter side: on a 43-inch 1080p panel (2.3 px/mm)
 * the headline is about 4 cm tall, the instruction 3 cm, the details about
 * 2 cm (1.1 cm at the very least): read from 5 m. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/screens/alert_private.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

#define QR_TEXT_MAX    1024 /* kit_qr_texture's limit */
#define N_SCALES       6
#define MAX_ROWS       6
#define MAX_VALUES     (ALERT_MAX_SHELTERS * 2 + 2)
#define NO_DETAILS     (-2)
#define DESC_SHOWN_MAX 3000 /* bytes of a description laid out (about 1000 kanji) */

/* Tall screens have room for larger type than the shorter side gives. */
static const int scales[N_SCALES] = {130, 115, 100, 90, 80, 70};

/* The word "language" in four scripts: the button a reader of any of them
 * must find, whatever language the screen is in now. */
static const char LANG_LABEL[] = "言語 · Language · 语言 · 언어";
static const char LANG_LABEL_2[] = "言語 · Language\n语言 · 언어"; /* a narrow button */
static const char DRILL_MARK[] = "訓練 DRILL";

/* Light pages (amber, pale yellow) need an edge round white panels. */
static bool light(SDL_Color c)
{
    return c.r * 299 + c.g * 587 + c.b * 114 > 128 * 1000;
}

static int lh(const text_layout *l)
{
    return l ? text_layout_height(l) : 0;
}

static int ladv(const text_layout *l)
{
    return l ? text_layout_max_advance(l) : 0;
}

static void put(screen_ctx *ctx, const text_layout *l, int x, int y, SDL_Color c)
{
    if (l && ctx->atlas)
        text_atlas_draw(ctx->atlas, l, x, y, c);
}

static model_lang ui_lang(const screen_ctx *ctx)
{
    if (ctx->session && ctx->session->lang >= 0 && ctx->session->lang < MODEL_LANG_COUNT)
        return ctx->session->lang;
    model_lang l = model_lang_from_code(ctx->lang);
    return l == MODEL_LANG_NONE ? MODEL_LANG_JA : l;
}

static model_lang key_lang(const screen_ctx *ctx, const char *key)
{
    return ctx->catalog ? catalog_lang(ctx->catalog, ui_lang(ctx), key) : MODEL_LANG_EN;
}

static text_style style(screen_ctx *ctx, model_lang lang, int px, text_weight w, bool markup,
                        float line_height, int max_lines)
{
    text_style st = kit_style(ctx, lang, px, w, TEXT_ALIGN_LEFT, max_lines);
    st.markup = markup;
    st.line_height = line_height;
    return st;
}

/* Whether hay contains needle, ASCII letters compared without case
 * ("Tsunami warning: ..." says "Tsunami Warning"). */
static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* A paragraph whose last line is a sliver of the width ("避難指" / "示"). */
static bool orphaned(const text_layout *l, int w)
{
    size_t n = text_layout_line_count(l);
    if (n < 2)
        return false;
    text_line_info last;
    text_layout_get_line(l, n - 1, &last);
    return last.advance_px < w / 5;
}

/* Where a phrase ends: an ASCII or ideographic space outside a ruby group.
 * Returns the length of the space at s (0: none). */
static size_t space_at(const char *s)
{
    if (*s == ' ')
        return 1;
    return strncmp(s, "\xE3\x80\x80", 3) == 0 ? 3 : 0; /* U+3000 */
}

/* Headings written with spaces between phrases ("緊急安全確保 中央区の全域")
 * wrap at those spaces when every phrase fits a line: Japanese may break
 * between any two kanji ("中央" / "区"), which a reader stumbles over in a
 * heading. Returns the layout of the text with newlines at the chosen
 * spaces, or NULL when a phrase is wider than the line or there is no space. */
#define MAX_PHRASES 64
static const text_layout *wrap_phrases(screen_ctx *ctx, const char *s, const text_style *st,
                                       int width)
{
    /* The phrases: [start, end) and the space after each. */
    size_t start[MAX_PHRASES], end[MAX_PHRASES], n = 0, len = strlen(s);
    int depth = 0;
    start[0] = 0;
    for (size_t i = 0; i <= len && n < MAX_PHRASES;) {
        size_t sp = i < len && depth == 0 ? space_at(s + i) : 0;
        if (i == len || sp) {
            end[n++] = i;
            if (i == len || n == MAX_PHRASES)
                break;
            start[n] = i + sp;
            i += sp;
            continue;
        }
        depth += s[i] == '{' ? 1 : (s[i] == '}' && depth > 0 ? -1 : 0);
        i++;
    }
    if (n < 2 || end[n - 1] != len)
        return NULL;
    char *buf = malloc(len + 1);
    if (!buf)
        return NULL;
    const text_layout *res = NULL;
    bool broke = false, brk[MAX_PHRASES] = {false}; /* a line starts at phrase k */
    size_t first = 0;                               /* the first phrase of the line being filled */
    for (size_t k = 0; k < n; k++) {
        /* The line from phrase first to phrase k, as written. */
        size_t a = start[first], b = end[k];
        memcpy(buf, s + a, b - a);
        buf[b - a] = '\0';
        const text_layout *l = kit_layout(ctx, buf, st, 1 << 20);
        if (l && text_layout_max_advance(l) <= width)
            continue;
        if (k == first)
            goto done; /* one phrase wider than the line */
        first = k;     /* phrase k starts the next line */
        broke = true;
        memcpy(buf, s + start[k], end[k] - start[k]);
        buf[end[k] - start[k]] = '\0';
        l = kit_layout(ctx, buf, st, 1 << 20);
        if (!l || text_layout_max_advance(l) > width)
            goto done;
        brk[k] = true; /* the space before phrase k becomes a newline */
    }
    if (!broke)
        goto done;
    size_t o = 0;
    for (size_t k = 0; k < n; k++) {
        size_t a = start[k];
        if (k) {
            size_t prev_end = end[k - 1];
            if (brk[k]) {
                buf[o++] = '\n';
            } else {
                memcpy(buf + o, s + prev_end, a - prev_end);
                o += a - prev_end;
            }
        }
        memcpy(buf + o, s + a, end[k] - a);
        o += end[k] - a;
    }
    buf[o] = '\0';
    res = kit_layout(ctx, buf, st, width);
done:
    free(buf);
    return res;
}

/* Headings: one line at px or down to floor_pct of it; else wrapped a step
 * smaller (at phrase spaces when it can), a few 8% steps more while the last
 * line is a sliver. Never cut. *used (may be NULL) gets the size chosen. */
static const text_layout *fit_heading(screen_ctx *ctx, const char *s, model_lang lang, int px,
                                      int floor_pct, bool markup, float line_height, int width,
                                      int *used)
{
    if (used)
        *used = px;
    if (!s || !s[0])
        return NULL;
    const int pcts[] = {100, 85, floor_pct};
    for (size_t i = 0; i < sizeof pcts / sizeof pcts[0]; i++) {
        if (i && (pcts[i] >= pcts[i - 1] || pcts[i] < floor_pct))
            continue;
        text_style st =
            style(ctx, lang, px * pcts[i] / 100, TEXT_WEIGHT_BOLD, markup, line_height, 0);
        const text_layout *l = kit_layout(ctx, s, &st, width);
        if (used)
            *used = st.size_px;
        if (!l || text_layout_line_count(l) <= 1)
            return l;
    }
    const text_layout *first = NULL;
    int size = px * 85 / 100, first_px = size;
    for (int k = 0; k < 4; k++, size = size * 92 / 100) {
        text_style st = style(ctx, lang, size, TEXT_WEIGHT_BOLD, markup, line_height, 0);
        const text_layout *l = wrap_phrases(ctx, s, &st, width);
        if (!l || orphaned(l, width))
            l = kit_layout(ctx, s, &st, width);
        if (!l)
            break;
        if (!first) {
            first = l;
            first_px = size;
        }
        if (!orphaned(l, width)) {
            if (used)
                *used = size;
            return l;
        }
    }
    if (used)
        *used = first_px;
    return first;
}

/* A token that reads badly split (an e-mail address, a web address): one
 * line, shrinking down to 65% of px; else wrapped at px. */
static const text_layout *fit_token(screen_ctx *ctx, const char *s, model_lang lang, int px,
                                    text_weight w, int width, bool *one_line)
{
    if (one_line)
        *one_line = true;
    for (int pct = 100; pct >= 65; pct -= 7) {
        text_style st = style(ctx, lang, px * pct / 100, w, false, 1.35f, 0);
        const text_layout *l = kit_layout(ctx, s, &st, width);
        if (!l || text_layout_line_count(l) <= 1)
            return l;
    }
    if (one_line)
        *one_line = false;
    text_style st = style(ctx, lang, px, w, false, 1.35f, 0);
    return kit_layout(ctx, s, &st, width);
}

static const text_layout *ui_text(screen_ctx *ctx, const char *key, int px, text_weight w,
                                  int width)
{
    text_style st = style(ctx, key_lang(ctx, key), px, w, true, 1.3f, 0);
    return kit_layout(ctx, kit_str(ctx, key), &st, width);
}

/* ---- the plan of one full view ---- */

typedef struct prow {
    const text_layout *label;
    const text_layout *v[MAX_VALUES];
    size_t nv;
    /* A second label and value on the same line (issued and expires, when
     * the line is wide enough), drawn from x2 on. */
    const text_layout *label2, *v2;
    int x2;
    bool stack; /* this row's values under its label, though the others are beside */
    int h;
} prow;

typedef struct sizes {
    int pad, gap, head, kicker, instr, instr_label, label, value, small, band, band_text, qr;
} sizes;

typedef struct plan {
    sizes z;
    const text_layout *band_big, *band_text;
    int band_h;
    bool band_side; /* the sentence beside 訓練 DRILL, not under it */
    const text_layout *kicker, *head;
    int mark, head_h;
    const text_layout *instr_label, *instr;
    int instr_pad, instr_h;
    prow rows[MAX_ROWS];
    size_t n_rows;
    bool stacked;
    int label_w, det_w, det_h;
    int qr_side;
    bool qr_below; /* portrait: a wide tile under the details, not a column beside them */
    const text_layout *qr_cap, *qr_url;
    const text_layout *note;
    int foot_h;
    int total;
} plan;

/* Percentages of the base sizes: what is happening and what to do (top),
 * and the details under them (det), which give way first. */
typedef struct scale {
    int top, det;
} scale;

static sizes sizes_at(const screen_ctx *ctx, scale sc)
{
    int u = ctx->width < ctx->height ? ctx->width : ctx->height;
    double k = u * sc.top / 100.0, d = u * sc.det / 100.0;
    sizes z;
    z.pad = (int)lround(u * 0.03);
    z.gap = (int)lround(u * 0.022 * sc.det / 100.0);
    z.head = (int)lround(k * 0.088);
    z.kicker = (int)lround(k * 0.05);
    z.instr = (int)lround(k * 0.064);
    z.instr_label = (int)lround(k * 0.034);
    z.label = (int)lround(d * 0.034);
    z.value = (int)lround(d * 0.042);
    z.small = (int)lround(d * 0.034);
    z.band = (int)lround(u * 0.07);
    z.band_text = (int)lround(u * 0.036);
    z.qr = (int)lround(d * 0.26);
    return z;
}

/* Areas as one line of text: "、" between them in CJK, ", " otherwise. */
static char *join_areas(const alert_info *in, model_lang lang)
{
    const char *sep = lang == MODEL_LANG_EN ? ", " : "、";
    size_t len = 1;
    for (size_t i = 0; i < in->n_areas; i++)
        len += strlen(in->areas[i]) + strlen(sep);
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    size_t o = 0;
    for (size_t i = 0; i < in->n_areas; i++) {
        if (!in->areas[i][0])
            continue;
        o += (size_t)snprintf(s + o, len - o, "%s%s", o ? sep : "", in->areas[i]);
    }
    return s;
}

/* The drill band: 訓練 DRILL in large type and a sentence in the reader's
 * language beside it (or under it when the width is short). */
static void plan_band(screen_ctx *ctx, const alert_text *t, int w, plan *p)
{
    p->band_h = 0;
    p->band_big = p->band_text = NULL;
    if (!t->drill)
        return;
    const sizes *z = &p->z;
    text_style st = style(ctx, MODEL_LANG_JA, z->band, TEXT_WEIGHT_BOLD, false, 1.25f, 0);
    p->band_big = kit_layout(ctx, DRILL_MARK, &st, w);
    int stripes = z->band * 2;
    int rest = w - 2 * stripes - ladv(p->band_big) - 3 * z->gap;
    int inner_h = (int)lround(z->band * 1.3);
    if (rest > w / 4) {
        p->band_text =
            kit_fit(ctx, kit_str(ctx, "alert.drill"), key_lang(ctx, "alert.drill"), z->band_text,
                    TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, rest, inner_h, z->band_text * 3 / 4);
        p->band_h =
            (lh(p->band_big) > lh(p->band_text) ? lh(p->band_big) : lh(p->band_text)) + z->gap;
        p->band_side = true;
    } else {
        p->band_text =
            kit_fit(ctx, kit_str(ctx, "alert.drill"), key_lang(ctx, "alert.drill"), z->band_text,
                    TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, ctx->width - 2 * stripes - 2 * z->gap,
                    inner_h * 2, z->band_text * 3 / 4);
        p->band_h = lh(p->band_big) + lh(p->band_text) + z->gap;
    }
}

/* A label/value row. */
static prow *add_row(screen_ctx *ctx, plan *p, const char *key)
{
    prow *r = &p->rows[p->n_rows++];
    memset(r, 0, sizeof *r);
    int lw = p->stacked ? p->det_w : p->label_w;
    r->label = kit_fit(ctx, kit_str(ctx, key), key_lang(ctx, key), p->z.label, TEXT_WEIGHT_BOLD,
                       TEXT_ALIGN_LEFT, lw, p->z.label * 3, p->z.label * 3 / 4);
    return r;
}

static void add_value(prow *r, const text_layout *l)
{
    if (l && r->nv < MAX_VALUES)
        r->v[r->nv++] = l;
}

static int row_height(const plan *p, const prow *r)
{
    int v = 0;
    for (size_t i = 0; i < r->nv; i++)
        v += lh(r->v[i]);
    if (p->stacked || r->stack)
        return lh(r->label) + v;
    int h = lh(r->label) > v ? lh(r->label) : v;
    h = lh(r->label2) > h ? lh(r->label2) : h;
    return lh(r->v2) > h ? lh(r->v2) : h;
}

static int details_height(plan *p)
{
    int h = 0;
    for (size_t i = 0; i < p->n_rows; i++) {
        p->rows[i].h = row_height(p, &p->rows[i]);
        h += p->rows[i].h + (i ? p->z.gap / 2 : 0);
    }
    return h;
}

/* desc_lines: -1 all, 0 none, else at most that many (cut with …),
 * NO_DETAILS: no rows at all (the last resort);
 * shelters: how many to list (the rest are counted). */
static void plan_details(screen_ctx *ctx, const alert_text *t, plan *p, int desc_lines,
                         size_t shelters)
{
    const sizes *z = &p->z;
    const alert_info *in = t->info;
    int vw = p->stacked ? p->det_w : p->det_w - p->label_w - z->gap;
    p->n_rows = 0;
    char *areas = join_areas(in, t->lang);
    if (areas && areas[0]) {
        prow *r = add_row(ctx, p, "alert.area");
        text_style st = style(ctx, t->lang, z->value, TEXT_WEIGHT_BOLD, t->markup, 1.35f, 0);
        add_value(r, kit_layout(ctx, areas, &st, vw));
    }
    free(areas);
    if (in->n_shelters) {
        prow *r = add_row(ctx, p, "alert.shelters");
        size_t k = shelters < in->n_shelters ? shelters : in->n_shelters;
        for (size_t i = 0; i < k; i++) {
            text_style st = style(ctx, t->lang, z->value, TEXT_WEIGHT_BOLD, t->markup, 1.35f, 0);
            add_value(r, kit_layout(ctx, in->shelters[i].name, &st, vw));
            if (in->shelters[i].address[0]) {
                st = style(ctx, t->lang, z->small, TEXT_WEIGHT_REGULAR, t->markup, 1.35f, 0);
                add_value(r, kit_layout(ctx, in->shelters[i].address, &st, vw));
            }
        }
        if (k < in->n_shelters) {
            char num[24], buf[256];
            snprintf(num, sizeof num, "%zu", in->n_shelters - k);
            const char *args[] = {num};
            alert_fill(buf, sizeof buf, kit_str(ctx, "alert.more_shelters"), args, 1);
            text_style st = style(ctx, key_lang(ctx, "alert.more_shelters"), z->small,
                                  TEXT_WEIGHT_BOLD, true, 1.35f, 0);
            add_value(r, kit_layout(ctx, buf, &st, vw));
        }
    }
    if (in->description[0] && desc_lines != 0) {
        /* No screen shows more than this: shaping the rest of a 16 KB text
         * at every size tried would only cost time. */
        char cut[DESC_SHOWN_MAX + 4];
        const char *desc = in->description;
        size_t len = strlen(desc);
        if (len > DESC_SHOWN_MAX) {
            len = DESC_SHOWN_MAX;
            while (len > 0 && ((unsigned char)desc[len] & 0xC0) == 0x80)
                len--; /* not inside a UTF-8 sequence */
            memcpy(cut, desc, len);
            memcpy(cut + len, "\xE2\x80\xA6", 4); /* … and the NUL */
            desc = cut;
        }
        prow *r = add_row(ctx, p, "alert.situation");
        text_style st = style(ctx, t->lang, z->value, TEXT_WEIGHT_REGULAR, t->markup, 1.35f,
                              desc_lines > 0 ? desc_lines : 0);
        add_value(r, kit_layout(ctx, desc, &st, vw));
    }
    char when[96], buf[ALERT_MAX_SHORT + 128];
    alert_when(ctx, t->e->alert->sent, when, sizeof when);
    prow *r = add_row(ctx, p, "alert.issued"), *issued = r;
    text_style st = style(ctx, ui_lang(ctx), z->value, TEXT_WEIGHT_REGULAR, true, 1.35f, 0);
    add_value(r, kit_layout(ctx, when, &st, vw));
    const char *sender = in->sender_name[0] ? in->sender_name : t->e->alert->sender;
    r = add_row(ctx, p, "alert.sender");
    /* A name reads as text; an address (native alerts name their sender by
     * it) must not be split. */
    bool address = !strchr(sender, ' ') && (strchr(sender, '@') || strstr(sender, "://"));
    if (!address) {
        st = style(ctx, t->lang, z->value, TEXT_WEIGHT_REGULAR, t->markup, 1.35f, 0);
        add_value(r, kit_layout(ctx, sender, &st, vw));
    } else { /* the sender's address: never split */
        bool one;
        const text_layout *l =
            fit_token(ctx, sender, MODEL_LANG_EN, z->value, TEXT_WEIGHT_REGULAR, vw, &one);
        if (!one && !p->stacked) { /* under its label, across the whole width */
            r->stack = true;
            l = fit_token(ctx, sender, MODEL_LANG_EN, z->value, TEXT_WEIGHT_REGULAR, p->det_w,
                          NULL);
        }
        add_value(r, l);
    }
    if (in->has_expires) {
        alert_when(ctx, in->expires, buf, sizeof buf);
        st = style(ctx, ui_lang(ctx), z->value, TEXT_WEIGHT_BOLD, true, 1.35f, 0);
        const text_layout *ev = kit_layout(ctx, buf, &st, vw);
        /* Beside the issue time when the line holds both, else a row. */
        const text_layout *el = ui_text(ctx, "alert.expires", z->label, TEXT_WEIGHT_BOLD, p->det_w);
        int x2 = ladv(issued->v[0]) + 2 * z->gap;
        if (!p->stacked && issued->nv == 1 && text_layout_line_count(issued->v[0]) == 1 &&
            x2 + ladv(el) + z->gap + ladv(ev) <= vw) {
            issued->label2 = el;
            issued->v2 = ev;
            issued->x2 = x2;
        } else {
            r = add_row(ctx, p, "alert.expires");
            add_value(r, ev);
        }
    }
    p->det_h = details_height(p);
}

/* The label column: as wide as the widest label, up to 30% of the details. */
static void plan_label_column(screen_ctx *ctx, plan *p)
{
    static const char *const keys[] = {"alert.area",   "alert.shelters", "alert.situation",
                                       "alert.issued", "alert.sender",   "alert.expires"};
    int want = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const text_layout *l = ui_text(ctx, keys[i], p->z.label, TEXT_WEIGHT_BOLD, p->det_w);
        want = ladv(l) > want ? ladv(l) : want;
    }
    int cap = p->det_w * 30 / 100;
    p->label_w = want < cap ? want : cap;
    /* Narrow details, or labels that would wrap in their column (easy
     * Japanese explains its words): labels over their values. */
    p->stacked = (p->det_w < ctx->width * 55 / 100 && p->det_w < 1000) || want > cap;
}

static int foot_height(screen_ctx *ctx, const plan *p, size_t n)
{
    kit_metrics m = kit_metrics_get(ctx);
    if (ctx->touch)
        return m.target > p->z.value * 2 ? m.target : p->z.value * 2;
    return n > 1 ? (int)lround(p->z.label * 1.4) : 0;
}

static uint64_t url_hash(const char *url)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *s = url; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

/* Lays out the whole view at scale sc. Returns its height, or INT_MAX
 * when need_qr and the QR code found no room. */
static int plan_at(alert_overlay *o, screen_ctx *ctx, const alert_text *t, size_t n, scale sc,
                   int desc_lines, size_t shelters, bool need_qr, plan *p)
{
    memset(p, 0, sizeof *p);
    p->z = sizes_at(ctx, sc);
    const sizes *z = &p->z;
    const alert_info *in = t->info;
    int w = ctx->width - 2 * z->pad;
    plan_band(ctx, t, w, p);

    /* What is happening: the event above the headline unless the headline
     * says it already. */
    const char *head = in->headline[0] ? in->headline : in->event;
    const char *kick =
        in->headline[0] && in->event[0] && !contains_ci(in->headline, in->event) ? in->event : NULL;
    p->mark = (int)lround(z->head * 1.1);
    int hw = w - p->mark - z->gap;
    p->kicker =
        kick ? fit_heading(ctx, kick, t->lang, z->kicker, 85, t->markup, 1.25f, hw, NULL) : NULL;
    int head_px = z->head;
    p->head = fit_heading(ctx, head, t->lang, z->head, 75, t->markup, 1.25f, hw, &head_px);
    p->head_h = lh(p->kicker) + lh(p->head);
    if (p->head_h < p->mark)
        p->head_h = p->mark;

    /* What to do. */
    p->instr_pad = z->gap;
    if (in->instruction[0]) {
        int iw = w - 2 * p->instr_pad;
        p->instr_label = ui_text(ctx, "alert.what_to_do", z->instr_label, TEXT_WEIGHT_BOLD, iw);
        /* Second only to the headline, whatever size the headline took. */
        int instr_px = z->instr < head_px * 8 / 10 ? z->instr : head_px * 8 / 10;
        p->instr =
            fit_heading(ctx, in->instruction, t->lang, instr_px, 85, t->markup, 1.3f, iw, NULL);
        p->instr_h = 2 * p->instr_pad + lh(p->instr_label) + lh(p->instr);
    }

    /* Where, when, who; the QR code beside them. */
    p->foot_h = foot_height(ctx, p, n);
    if (t->other_lang)
        p->note = fit_heading(ctx, kit_str(ctx, "alert.other_lang"),
                              key_lang(ctx, "alert.other_lang"), z->label, 85, true, 1.3f, w, NULL);
    int top = z->pad + (p->band_h ? p->band_h + z->gap : 0) + p->head_h + z->gap +
              (p->instr_h ? p->instr_h + z->gap : 0);
    int bottom = z->pad + p->foot_h + (p->note ? lh(p->note) + z->gap / 2 : 0) + z->gap;
    int budget = ctx->height - top - bottom;
    p->qr_side = 0;
    p->qr_below = ctx->height > ctx->width;
    bool want_qr = in->web[0] && strlen(in->web) <= QR_TEXT_MAX &&
                   !(o->qr_failed && o->qr_hash == url_hash(in->web));
    /* Below this a phone must come very close: larger type gives way first. */
    int min_side = (ctx->width < ctx->height ? ctx->width : ctx->height) * 18 / 100;
    int tile_pad = z->gap / 2;
    p->det_w = w;
    if (want_qr && !p->qr_below) {
        int cap_w = z->qr;
        p->qr_cap = kit_fit(ctx, kit_str(ctx, "alert.more_info"), key_lang(ctx, "alert.more_info"),
                            z->label, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER, cap_w, z->label * 3,
                            z->label * 3 / 4);
        int side = budget - lh(p->qr_cap) - 3 * tile_pad;
        side = side < z->qr ? side : z->qr;
        if (side >= min_side) {
            p->qr_side = side;
            p->det_w = w - side - z->gap * 2;
            /* The caption centred under the code, as wide as the tile. */
            p->qr_cap = kit_fit(ctx, kit_str(ctx, "alert.more_info"),
                                key_lang(ctx, "alert.more_info"), z->label, TEXT_WEIGHT_BOLD,
                                TEXT_ALIGN_CENTER, side, z->label * 3, z->label * 3 / 4);
        }
    }
    plan_label_column(ctx, p);
    if (desc_lines != NO_DETAILS)
        plan_details(ctx, t, p, desc_lines, shelters);
    int det = p->det_h;
    if (want_qr && p->qr_below) {
        /* A tile across the width: the code, and beside it what it is and
         * the address for those who type it. */
        int side = budget - p->det_h - z->gap - 2 * tile_pad;
        side = side < z->qr ? side : z->qr;
        if (side >= min_side) {
            p->qr_side = side;
            int tw = w - 2 * tile_pad - side - z->gap;
            p->qr_cap = kit_fit(ctx, kit_str(ctx, "alert.more_info"),
                                key_lang(ctx, "alert.more_info"), z->value, TEXT_WEIGHT_BOLD,
                                TEXT_ALIGN_LEFT, tw, side / 2, z->label * 3 / 4);
            const char *shown = in->web;
            if (strncmp(shown, "https://", 8) == 0)
                shown += 8;
            p->qr_url =
                fit_token(ctx, shown, MODEL_LANG_EN, z->small, TEXT_WEIGHT_REGULAR, tw, NULL);
            if (lh(p->qr_cap) + lh(p->qr_url) > side)
                p->qr_url = NULL;
            det += z->gap + side + 2 * tile_pad;
        }
    } else if (p->qr_side) {
        int qr_h = p->qr_side + lh(p->qr_cap) + 3 * tile_pad;
        det = det > qr_h ? det : qr_h;
    }
    p->total = top + det + bottom;
    if (need_qr && want_qr && !p->qr_side)
        return INT_MAX;
    return p->total;
}

/* The description lines that fit in what plan p (laid out without one)
 * leaves of the screen. */
static int lines_left(const screen_ctx *ctx, const plan *p)
{
    int left =
        ctx->height - p->total - p->z.gap / 2 - (p->stacked ? (int)lround(p->z.label * 1.35) : 0);
    int pitch = (int)lround(p->z.value * 1.35);
    return pitch > 0 && left > 0 ? left / pitch : 0;
}

/* At scale sc with less in it: the shelter list shortened (down to
 * min_shelters, the rest counted) until the description gets at least
 * min_lines lines, cut with "…" (0: it may go). Returns whether it fits. */
static bool plan_trimmed(alert_overlay *o, screen_ctx *ctx, const alert_text *t, size_t n, scale sc,
                         bool need_qr, int min_lines, size_t min_shelters, plan *p)
{
    size_t all = t->info->n_shelters;
    bool desc = t->info->description[0] != '\0';
    for (size_t k = all + 1; k-- > min_shelters;) {
        if (plan_at(o, ctx, t, n, sc, desc ? 0 : -1, k, need_qr, p) > ctx->height)
            continue;
        if (!desc)
            return true;
        int lines = lines_left(ctx, p);
        if (plan_at(o, ctx, t, n, sc, -1, k, need_qr, p) <= ctx->height)
            return true;
        if (lines >= 1 && lines >= min_lines &&
            plan_at(o, ctx, t, n, sc, lines, k, need_qr, p) <= ctx->height)
            return true;
        if (min_lines == 0)
            return plan_at(o, ctx, t, n, sc, 0, k, need_qr, p) <= ctx->height;
    }
    return false;
}

/* Larger than 100% only with everything in it. Then the details shrink
 * (to 70%) before the headline and the instruction do, and from 100% down
 * one shelter (the rest counted, the QR code leads to all) and two lines
 * of description are enough before the type shrinks further; at the smallest scale the description,
 * then shelters, then the QR code give way. */
static void plan_fit(alert_overlay *o, screen_ctx *ctx, const alert_text *t, size_t n, plan *p)
{
    size_t all = t->info->n_shelters, few = all < 1 ? all : 1;
    for (int i = 0; i < N_SCALES && scales[i] > 100; i++)
        if (plan_at(o, ctx, t, n, (scale){scales[i], scales[i]}, -1, all, true, p) <= ctx->height)
            return;
    for (int i = 0; i < N_SCALES; i++) {
        if (scales[i] > 100)
            continue;
        for (int j = i; j < N_SCALES; j++) {
            scale sc = {scales[i], scales[j]};
            if (plan_at(o, ctx, t, n, sc, -1, all, true, p) <= ctx->height)
                return;
        }
        scale sc = {scales[i], scales[N_SCALES - 1]};
        if (plan_trimmed(o, ctx, t, n, sc, true, 2, few, p))
            return;
    }
    scale last = {scales[N_SCALES - 1], scales[N_SCALES - 1]};
    if (plan_trimmed(o, ctx, t, n, last, true, 1, 0, p) ||
        plan_trimmed(o, ctx, t, n, last, true, 0, 0, p) ||
        plan_trimmed(o, ctx, t, n, last, false, 0, 0, p))
        return;
    /* Still too tall: a headline or instruction of a length no city
     * writes. Those two alone, whole, at the smallest scale: the details
     * stay behind the QR code's page, and what runs past the screen's foot
     * is hidden by the language button, the only thing drawn over it. */
    plan_at(o, ctx, t, n, last, NO_DETAILS, 0, false, p);
}

/* ---- drawing ---- */

static void stripes(SDL_Renderer *r, SDL_Rect box, SDL_Color a, SDL_Color b)
{
    ui_draw_fill_rect(r, box, a);
    SDL_RenderSetClipRect(r, &box);
    float step = (float)box.h * 0.7f, t = step / 2.0f;
    for (float x = (float)box.x - (float)box.h; x < (float)(box.x + box.w); x += step)
        kit_draw_line(r, x, (float)(box.y + box.h), x + (float)box.h, (float)box.y, t, b);
    SDL_RenderSetClipRect(r, NULL);
}

static void draw_band(screen_ctx *ctx, const plan *p, const alert_palette *pal, int y)
{
    const sizes *z = &p->z;
    SDL_Rect band = {0, y, ctx->width, p->band_h};
    ui_draw_fill_rect(ctx->renderer, band, pal->band);
    int sw = z->band * 2;
    stripes(ctx->renderer, (SDL_Rect){0, y, sw, p->band_h}, pal->band, pal->band_ink);
    stripes(ctx->renderer, (SDL_Rect){ctx->width - sw, y, sw, p->band_h}, pal->band, pal->band_ink);
    int inner = ctx->width - 2 * sw;
    int big_w = ladv(p->band_big), text_w = ladv(p->band_text);
    if (p->band_side) {
        int x = sw + (inner - big_w - z->gap - text_w) / 2;
        put(ctx, p->band_big, x, y + (p->band_h - lh(p->band_big)) / 2, pal->band_ink);
        put(ctx, p->band_text, x + big_w + z->gap, y + (p->band_h - lh(p->band_text)) / 2,
            pal->band_ink);
    } else {
        int yy = y + z->gap / 2;
        put(ctx, p->band_big, sw + (inner - big_w) / 2, yy, pal->band_ink);
        put(ctx, p->band_text, sw + (inner - text_w) / 2, yy + lh(p->band_big), pal->band_ink);
    }
}

static void draw_details(screen_ctx *ctx, const plan *p, const alert_palette *pal, int x, int y)
{
    const sizes *z = &p->z;
    for (size_t i = 0; i < p->n_rows; i++) {
        const prow *r = &p->rows[i];
        put(ctx, r->label, x, y, pal->label);
        bool under = p->stacked || r->stack;
        int vx = under ? x : x + p->label_w + z->gap;
        int vy = under ? y + lh(r->label) : y;
        for (size_t k = 0; k < r->nv; k++) {
            put(ctx, r->v[k], vx, vy, pal->ink);
            vy += lh(r->v[k]);
        }
        if (r->v2) {
            put(ctx, r->label2, vx + r->x2, y, pal->label);
            put(ctx, r->v2, vx + r->x2 + ladv(r->label2) + z->gap, y, pal->ink);
        }
        y += r->h + z->gap / 2;
    }
}

static void draw_qr(alert_overlay *o, screen_ctx *ctx, const plan *p, const alert_palette *pal,
                    const char *url, int x, int y, int w)
{
    const sizes *z = &p->z;
    uint64_t h = url_hash(url);
    if (h != o->qr_hash || p->qr_side != o->qr_max) {
        if (o->qr)
            SDL_DestroyTexture(o->qr);
        o->qr = kit_qr_texture(ctx->renderer, url, p->qr_side, &o->qr_side);
        o->qr_hash = h;
        o->qr_max = p->qr_side;
        o->qr_failed = !o->qr;
    }
    if (!o->qr)
        return;
    int pad = z->gap / 2, edge = z->gap / 6 > 2 ? z->gap / 6 : 2;
    SDL_Rect tile =
        p->qr_below ? (SDL_Rect){x, y, w, p->qr_side + 2 * pad}
                    : (SDL_Rect){x, y, p->qr_side + 2 * pad, p->qr_side + lh(p->qr_cap) + 3 * pad};
    kit_draw_panel(ctx->renderer, tile, z->gap / 3, pal->panel, pal->panel_edge,
                   light(pal->bg) ? edge : 0);
    SDL_Rect dst = {x + pad + (p->qr_side - o->qr_side) / 2,
                    y + pad + (p->qr_side - o->qr_side) / 2, o->qr_side, o->qr_side};
    SDL_RenderCopy(ctx->renderer, o->qr, NULL, &dst);
    if (p->qr_below) {
        int tx = x + pad + p->qr_side + z->gap;
        int ty = y + pad + (p->qr_side - lh(p->qr_cap) - lh(p->qr_url)) / 2;
        put(ctx, p->qr_cap, tx, ty, pal->panel_ink);
        put(ctx, p->qr_url, tx, ty + lh(p->qr_cap), pal->panel_ink);
    } else {
        put(ctx, p->qr_cap, x + pad, y + 2 * pad + p->qr_side, pal->panel_ink);
    }
}

static void draw_foot(alert_overlay *o, screen_ctx *ctx, const plan *p, const alert_palette *pal,
                      size_t n, size_t i, bool closable)
{
    const sizes *z = &p->z;
    int y = ctx->height - z->pad - p->foot_h;
    int w = ctx->width - 2 * z->pad, x = z->pad;
    char count[96], a[24], b[24];
    snprintf(a, sizeof a, "%zu", i + 1);
    snprintf(b, sizeof b, "%zu", n);
    const char *args[] = {a, b};
    alert_fill(count, sizeof count, kit_str(ctx, "alert.count"), args, 2);
    text_style cst =
        style(ctx, key_lang(ctx, "alert.count"), z->value, TEXT_WEIGHT_BOLD, false, 1.3f, 0);
    const text_layout *cl = n > 1 ? kit_layout(ctx, count, &cst, w) : NULL;
    if (!ctx->touch) {
        put(ctx, cl, x + w - ladv(cl), y, pal->ink);
        return;
    }
    /* Language on the left, as wide as the right side leaves it (up to 45%);
     * previous, the count, next and close on the right. */
    int bh = p->foot_h, unit = w / 6;
    int right = (closable ? unit + z->gap : 0) + (n > 1 ? 2 * unit + ladv(cl) + 2 * z->gap : 0);
    int lw = w - right - z->gap;
    lw = lw < w * 45 / 100 ? lw : w * 45 / 100;
    kit_metrics m = kit_metrics_get(ctx);
    text_style probe = style(ctx, MODEL_LANG_JA, m.text_px, TEXT_WEIGHT_BOLD, false, 1.3f, 0);
    bool one_line = ladv(kit_layout(ctx, LANG_LABEL, &probe, w)) <= lw - 2 * m.gap;
    kit_button(ctx, &o->ui, KIT_ID_LANG, (SDL_Rect){x, y, lw, bh},
               one_line ? LANG_LABEL : LANG_LABEL_2, MODEL_LANG_JA, KIT_BUTTON, NULL);
    int rx = x + w;
    if (closable) {
        int cw = unit;
        rx -= cw;
        kit_button(ctx, &o->ui, ALERT_ID_CLOSE, (SDL_Rect){rx, y, cw, bh},
                   kit_str(ctx, "alert.close"), key_lang(ctx, "alert.close"), KIT_BUTTON, NULL);
        rx -= z->gap;
    }
    if (n > 1) {
        int bw = unit;
        rx -= bw;
        kit_button(ctx, &o->ui, ALERT_ID_NEXT, (SDL_Rect){rx, y, bw, bh},
                   kit_str(ctx, "alert.next"), key_lang(ctx, "alert.next"), KIT_BUTTON, NULL);
        int cw = ladv(cl) + z->gap;
        rx -= cw;
        put(ctx, cl, rx + (cw - ladv(cl)) / 2, y + (bh - lh(cl)) / 2, pal->ink);
        rx -= bw;
        kit_button(ctx, &o->ui, ALERT_ID_PREV, (SDL_Rect){rx, y, bw, bh},
                   kit_str(ctx, "alert.prev"), key_lang(ctx, "alert.prev"), KIT_BUTTON, NULL);
    }
}

void alert_draw_full(alert_overlay *o, screen_ctx *ctx, const alerts_entry *const *live, size_t n,
                     size_t i, bool closable)
{
    alert_text t;
    alert_text_for(live[i], ui_lang(ctx), &t);
    if (!t.info)
        return;
    alert_note_shown(o, &t);
    const alert_palette *pal = alert_palette_for(live[i]->decision.info->severity);
    plan p;
    plan_fit(o, ctx, &t, n, &p);
    const sizes *z = &p.z;
    SDL_Renderer *r = ctx->renderer;
    ui_draw_clear(r, pal->bg);
    int x = z->pad, w = ctx->width - 2 * z->pad, y = z->pad;
    if (p.band_h) {
        /* The band runs edge to edge, from the very top. */
        draw_band(ctx, &p, pal, 0);
        y = p.band_h + z->gap;
    }
    kit_draw_mark(r, KIT_MARK_WARN, (SDL_Rect){x, y, p.mark, p.mark}, pal->ink, pal->bg);
    int hx = x + p.mark + z->gap;
    put(ctx, p.kicker, hx, y, pal->ink);
    put(ctx, p.head, hx, y + lh(p.kicker), pal->ink);
    y += p.head_h + z->gap;
    if (p.instr_h) {
        SDL_Rect panel = {x, y, w, p.instr_h};
        int edge = light(pal->bg) ? (z->gap / 4 > 3 ? z->gap / 4 : 3) : 0;
        kit_draw_panel(r, panel, z->gap / 2, pal->panel, pal->panel_edge, edge);
        put(ctx, p.instr_label, x + p.instr_pad, y + p.instr_pad, pal->panel_label);
        put(ctx, p.instr, x + p.instr_pad, y + p.instr_pad + lh(p.instr_label), pal->panel_ink);
        y += p.instr_h + z->gap;
    }
    draw_details(ctx, &p, pal, x, y);
    if (p.qr_side && p.qr_below)
        draw_qr(o, ctx, &p, pal, t.info->web, x, y + p.det_h + z->gap, w);
    else if (p.qr_side)
        draw_qr(o, ctx, &p, pal, t.info->web, x + w - p.qr_side - z->gap, y, 0);
    if (p.note)
        put(ctx, p.note, x, ctx->height - z->pad - p.foot_h - z->gap / 2 - lh(p.note), pal->ink);
    draw_foot(o, ctx, &p, pal, n, i, closable);
    if (o->ui.picker_open) {
        SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(r, 0, 0, 0, 150);
        SDL_RenderFillRect(r, NULL);
        kit_chrome_overlay(ctx, &o->ui);
    }
}

/* ---- the banner ---- */

void alert_draw_banner(alert_overlay *o, screen_ctx *ctx, const alerts_entry *const *live, size_t n)
{
    alert_text t;
    alert_text_for(live[0], ui_lang(ctx), &t);
    if (!t.info)
        return;
    alert_note_shown(o, &t);
    const alert_palette *pal = alert_palette_for(live[0]->decision.info->severity);
    kit_metrics m = kit_metrics_get(ctx);
    SDL_Renderer *r = ctx->renderer;
    /* Over the screen's header band (title and clock), never over the bar
     * of buttons at the bottom; tall enough to be a touch target. */
    int bh = m.header_h > m.target ? m.header_h : m.target;
    SDL_Rect band = {0, 0, ctx->width, bh};
    ui_draw_fill_rect(r, band, pal->bg);
    int edge = m.gap / 5 > 3 ? m.gap / 5 : 3;
    ui_draw_fill_rect(r, (SDL_Rect){0, bh - edge, ctx->width, edge}, pal->band);
    int x = m.gap, inner_h = bh - edge - m.gap;
    if (t.drill) {
        const text_layout *dl =
            kit_fit(ctx, DRILL_MARK, MODEL_LANG_JA, m.title_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT,
                    ctx->width / 4, inner_h, m.small_px);
        int dw = ladv(dl) + m.gap;
        ui_draw_fill_rect(r, (SDL_Rect){0, 0, x + dw, bh - edge}, pal->band);
        put(ctx, dl, x / 2 + m.gap / 2, (bh - edge - lh(dl)) / 2, pal->band_ink);
        x += dw + m.gap / 2;
    }
    int mark = inner_h * 7 / 10;
    kit_draw_mark(r, KIT_MARK_WARN, (SDL_Rect){x, (bh - edge - mark) / 2, mark, mark}, pal->ink,
                  pal->bg);
    x += mark + m.gap / 2;
    /* On the right: on a touch kiosk a button-like "touch for details"
     * (a tap anywhere on the banner opens it), and how many more alerts. */
    int rx = ctx->width - m.gap, right_w = ctx->width / 4;
    if (ctx->touch) {
        int pad = m.gap * 3 / 4;
        const text_layout *hl =
            kit_fit(ctx, kit_str(ctx, "alert.tap_hint"), key_lang(ctx, "alert.tap_hint"),
                    m.small_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, right_w - 2 * pad, inner_h - pad,
                    m.small_px * 3 / 4);
        int bw = ladv(hl) + 2 * pad, bhh = inner_h;
        SDL_Rect b = {rx - bw, (bh - edge - bhh) / 2, bw, bhh};
        int be = m.gap / 8 > 2 ? m.gap / 8 : 2;
        kit_draw_panel(r, b, m.radius, pal->panel, pal->panel_edge, be);
        put(ctx, hl, b.x + pad + (bw - 2 * pad - ladv(hl)) / 2, b.y + (bhh - lh(hl)) / 2,
            pal->panel_ink);
        rx = b.x - m.gap;
    }
    if (n > 1) {
        char more[128], num[24];
        snprintf(num, sizeof num, "%zu", n - 1);
        const char *args[] = {num};
        alert_fill(more, sizeof more, kit_str(ctx, "alert.more_alerts"), args, 1);
        const text_layout *ml =
            kit_fit(ctx, more, key_lang(ctx, "alert.more_alerts"), m.small_px, TEXT_WEIGHT_BOLD,
                    TEXT_ALIGN_LEFT, right_w / 2, inner_h, m.small_px * 3 / 4);
        rx -= ladv(ml);
        put(ctx, ml, rx, (bh - edge - lh(ml)) / 2, pal->ink);
        rx -= m.gap;
    }
    const alert_info *in = t.info;
    const char *head = in->headline[0] ? in->headline : in->event;
    int tw = rx - x;
    /* Shrinks to fit the band; a headline no band can hold is cut with "…"
     * here only: a tap shows it whole. */
    const text_layout *tl = NULL, *fallback = NULL;
    for (int px = m.title_px;; px = px * 9 / 10) {
        text_style st = style(ctx, t.lang, px, TEXT_WEIGHT_BOLD, t.markup, 1.2f, 0);
        tl = kit_layout(ctx, head, &st, tw);
        if (tl && text_layout_line_count(tl) > 1) {
            const text_layout *ph = wrap_phrases(ctx, head, &st, tw);
            tl = ph && !orphaned(ph, tw) ? ph : tl;
        }
        bool fits = tl && lh(tl) <= inner_h;
        if (fits && !orphaned(tl, tw))
            break;
        if (fits && !fallback)
            fallback = tl;
        if (!tl || px <= m.small_px * 3 / 4) {
            tl = fallback ? fallback : tl;
            break;
        }
    }
    if (tl && lh(tl) > inner_h) {
        text_style st =
            style(ctx, t.lang, m.small_px * 3 / 4, TEXT_WEIGHT_BOLD, t.markup, 1.25f, 2);
        tl = kit_layout(ctx, head, &st, tw);
    }
    put(ctx, tl, x, (bh - edge - lh(tl)) / 2, pal->ink);
    if (ctx->touch) {
        kit_ui_hit(&o->ui, band, ALERT_ID_BANNER);
        o->banner = band;
    }
}
