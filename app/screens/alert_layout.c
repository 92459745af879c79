/* alert_layout: measuring and fitting the text blocks of an alert's full
 * view. The small helpers every alert picture uses (sizes of layouts, the
 * reader's language, text styles), the fitting of headings (a step or two
 * smaller on one line, then wrapped at the spaces between phrases, never
 * cut) and of tokens that read badly split (addresses), and the plan of the
 * detail rows: where, shelters, what happened, issued, sender, expires.
 * alert_draw.c chooses the scale and draws; alert_banner.c uses the helpers
 * for the banner. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/screens/alert_private.h"
#include "app/screens/kit_draw.h"

#define DESC_SHOWN_MAX 3000 /* bytes of a description laid out (about 1000 kanji) */

int alert_lh(const text_layout *l)
{
    return l ? text_layout_height(l) : 0;
}

int alert_ladv(const text_layout *l)
{
    return l ? text_layout_max_advance(l) : 0;
}

void alert_put(screen_ctx *ctx, const text_layout *l, int x, int y, SDL_Color c)
{
    if (l && ctx->atlas)
        text_atlas_draw(ctx->atlas, l, x, y, c);
}

model_lang alert_ui_lang(const screen_ctx *ctx)
{
    if (ctx->session && ctx->session->lang >= 0 && ctx->session->lang < MODEL_LANG_COUNT)
        return ctx->session->lang;
    model_lang l = model_lang_from_code(ctx->lang);
    return l == MODEL_LANG_NONE ? MODEL_LANG_JA : l;
}

model_lang alert_key_lang(const screen_ctx *ctx, const char *key)
{
    return ctx->catalog ? catalog_lang(ctx->catalog, alert_ui_lang(ctx), key) : MODEL_LANG_EN;
}

text_style alert_style(screen_ctx *ctx, model_lang lang, int px, text_weight w, bool markup,
                       float line_height, int max_lines)
{
    text_style st = kit_style(ctx, lang, px, w, TEXT_ALIGN_LEFT, max_lines);
    st.markup = markup;
    st.line_height = line_height;
    return st;
}

/* A paragraph whose last line is a sliver of the width ("避難指" / "示"). */
bool alert_orphaned(const text_layout *l, int w)
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
const text_layout *alert_wrap_phrases(screen_ctx *ctx, const char *s, const text_style *st,
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
const text_layout *alert_fit_heading(screen_ctx *ctx, const char *s, model_lang lang, int px,
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
            alert_style(ctx, lang, px * pcts[i] / 100, TEXT_WEIGHT_BOLD, markup, line_height, 0);
        const text_layout *l = kit_layout(ctx, s, &st, width);
        if (used)
            *used = st.size_px;
        if (!l || text_layout_line_count(l) <= 1)
            return l;
    }
    const text_layout *first = NULL;
    int size = px * 85 / 100, first_px = size;
    for (int k = 0; k < 4; k++, size = size * 92 / 100) {
        text_style st = alert_style(ctx, lang, size, TEXT_WEIGHT_BOLD, markup, line_height, 0);
        const text_layout *l = alert_wrap_phrases(ctx, s, &st, width);
        if (!l || alert_orphaned(l, width))
            l = kit_layout(ctx, s, &st, width);
        if (!l)
            break;
        if (!first) {
            first = l;
            first_px = size;
        }
        if (!alert_orphaned(l, width)) {
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
const text_layout *alert_fit_token(screen_ctx *ctx, const char *s, model_lang lang, int px,
                                   text_weight w, int width, bool *one_line)
{
    if (one_line)
        *one_line = true;
    for (int pct = 100; pct >= 65; pct -= 7) {
        text_style st = alert_style(ctx, lang, px * pct / 100, w, false, 1.35f, 0);
        const text_layout *l = kit_layout(ctx, s, &st, width);
        if (!l || text_layout_line_count(l) <= 1)
            return l;
    }
    if (one_line)
        *one_line = false;
    text_style st = alert_style(ctx, lang, px, w, false, 1.35f, 0);
    return kit_layout(ctx, s, &st, width);
}

const text_layout *alert_ui_text(screen_ctx *ctx, const char *key, int px, text_weight w, int width)
{
    text_style st = alert_style(ctx, alert_key_lang(ctx, key), px, w, true, 1.3f, 0);
    return kit_layout(ctx, kit_str(ctx, key), &st, width);
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

/* A label/value row. */
static alert_prow *add_row(screen_ctx *ctx, alert_plan *p, const char *key)
{
    alert_prow *r = &p->rows[p->n_rows++];
    memset(r, 0, sizeof *r);
    int lw = p->stacked ? p->det_w : p->label_w;
    r->label = kit_fit(ctx, kit_str(ctx, key), alert_key_lang(ctx, key), p->z.label,
                       TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, lw, p->z.label * 3, p->z.label * 3 / 4);
    return r;
}

static void add_value(alert_prow *r, const text_layout *l)
{
    if (l && r->nv < ALERT_VIEW_MAX_VALUES)
        r->v[r->nv++] = l;
}

static int row_height(const alert_plan *p, const alert_prow *r)
{
    int v = 0;
    for (size_t i = 0; i < r->nv; i++)
        v += alert_lh(r->v[i]);
    if (p->stacked || r->stack)
        return alert_lh(r->label) + v;
    int h = alert_lh(r->label) > v ? alert_lh(r->label) : v;
    h = alert_lh(r->label2) > h ? alert_lh(r->label2) : h;
    return alert_lh(r->v2) > h ? alert_lh(r->v2) : h;
}

static int details_height(alert_plan *p)
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
void alert_plan_details(screen_ctx *ctx, const alert_text *t, alert_plan *p, int desc_lines,
                        size_t shelters)
{
    const alert_sizes *z = &p->z;
    const alert_info *in = t->info;
    int vw = p->stacked ? p->det_w : p->det_w - p->label_w - z->gap;
    p->n_rows = 0;
    char *areas = join_areas(in, t->lang);
    if (areas && areas[0]) {
        alert_prow *r = add_row(ctx, p, "alert.area");
        text_style st = alert_style(ctx, t->lang, z->value, TEXT_WEIGHT_BOLD, t->markup, 1.35f, 0);
        add_value(r, kit_layout(ctx, areas, &st, vw));
    }
    free(areas);
    if (in->n_shelters) {
        alert_prow *r = add_row(ctx, p, "alert.shelters");
        size_t k = shelters < in->n_shelters ? shelters : in->n_shelters;
        for (size_t i = 0; i < k; i++) {
            text_style st =
                alert_style(ctx, t->lang, z->value, TEXT_WEIGHT_BOLD, t->markup, 1.35f, 0);
            add_value(r, kit_layout(ctx, in->shelters[i].name, &st, vw));
            if (in->shelters[i].address[0]) {
                st = alert_style(ctx, t->lang, z->small, TEXT_WEIGHT_REGULAR, t->markup, 1.35f, 0);
                add_value(r, kit_layout(ctx, in->shelters[i].address, &st, vw));
            }
        }
        if (k < in->n_shelters) {
            char num[24], buf[256];
            snprintf(num, sizeof num, "%zu", in->n_shelters - k);
            const char *args[] = {num};
            alert_fill(buf, sizeof buf, kit_str(ctx, "alert.more_shelters"), args, 1);
            text_style st = alert_style(ctx, alert_key_lang(ctx, "alert.more_shelters"), z->small,
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
        alert_prow *r = add_row(ctx, p, "alert.situation");
        text_style st = alert_style(ctx, t->lang, z->value, TEXT_WEIGHT_REGULAR, t->markup, 1.35f,
                                    desc_lines > 0 ? desc_lines : 0);
        add_value(r, kit_layout(ctx, desc, &st, vw));
    }
    char when[96], buf[ALERT_MAX_SHORT + 128];
    alert_when(ctx, t->e->alert->sent, when, sizeof when);
    alert_prow *r = add_row(ctx, p, "alert.issued"), *issued = r;
    text_style st =
        alert_style(ctx, alert_ui_lang(ctx), z->value, TEXT_WEIGHT_REGULAR, true, 1.35f, 0);
    add_value(r, kit_layout(ctx, when, &st, vw));
    const char *sender = in->sender_name[0] ? in->sender_name : t->e->alert->sender;
    r = add_row(ctx, p, "alert.sender");
    /* A name reads as text; an address (native alerts name their sender by
     * it) must not be split. */
    bool address = !strchr(sender, ' ') && (strchr(sender, '@') || strstr(sender, "://"));
    if (!address) {
        st = alert_style(ctx, t->lang, z->value, TEXT_WEIGHT_REGULAR, t->markup, 1.35f, 0);
        add_value(r, kit_layout(ctx, sender, &st, vw));
    } else { /* the sender's address: never split */
        bool one;
        const text_layout *l =
            alert_fit_token(ctx, sender, MODEL_LANG_EN, z->value, TEXT_WEIGHT_REGULAR, vw, &one);
        if (!one && !p->stacked) { /* under its label, across the whole width */
            r->stack = true;
            l = alert_fit_token(ctx, sender, MODEL_LANG_EN, z->value, TEXT_WEIGHT_REGULAR, p->det_w,
                                NULL);
        }
        add_value(r, l);
    }
    if (in->has_expires) {
        alert_when(ctx, in->expires, buf, sizeof buf);
        st = alert_style(ctx, alert_ui_lang(ctx), z->value, TEXT_WEIGHT_BOLD, true, 1.35f, 0);
        const text_layout *ev = kit_layout(ctx, buf, &st, vw);
        /* Beside the issue time when the line holds both, else a row. */
        const text_layout *el =
            alert_ui_text(ctx, "alert.expires", z->label, TEXT_WEIGHT_BOLD, p->det_w);
        int x2 = alert_ladv(issued->v[0]) + 2 * z->gap;
        if (!p->stacked && issued->nv == 1 && text_layout_line_count(issued->v[0]) == 1 &&
            x2 + alert_ladv(el) + z->gap + alert_ladv(ev) <= vw) {
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
void alert_plan_label_column(screen_ctx *ctx, alert_plan *p)
{
    static const char *const keys[] = {"alert.area",   "alert.shelters", "alert.situation",
                                       "alert.issued", "alert.sender",   "alert.expires"};
    int want = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const text_layout *l = alert_ui_text(ctx, keys[i], p->z.label, TEXT_WEIGHT_BOLD, p->det_w);
        want = alert_ladv(l) > want ? alert_ladv(l) : want;
    }
    int cap = p->det_w * 30 / 100;
    p->label_w = want < cap ? want : cap;
    /* Narrow details, or labels that would wrap in their column (easy
     * Japanese explains its words): labels over their values. */
    p->stacked = (p->det_w < ctx->width * 55 / 100 && p->det_w < 1000) || want > cap;
}
