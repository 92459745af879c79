/* queue_layout: how the queue board's counters are set: the type sizes
 * (figures readable from 5 m whatever the text-size switch), each card's
 * parts laid out in the right fonts, and the grid (columns, rows, card
 * style) that shows the most counters per page with the fewest broken
 * lines. Measures only: queue.c draws. */
#include "app/screens/boards_private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Figures of the number now served: digits this share of min(w, h) tall
 * (BIZ UDGothic Bold's figures are 0.85 em), so a 1080p screen shows them
 * 124 px tall, more than a ninth of its height: readable from 5 m. */
#define NUMBER_DIGIT_SHARE (1.0 / 8.7)
#define DIGIT_EM           0.85
#define DASH               "\xE2\x80\x94" /* — : a value the feed left out (never 0) */

queue_sizes queue_sizes_of(const screen_ctx *ctx)
{
    queue_sizes z;
    z.m = kit_metrics_get(ctx);
    int u = ctx->width < ctx->height ? ctx->width : ctx->height;
    z.number_px = (int)lround(u * NUMBER_DIGIT_SHARE / DIGIT_EM);
    z.name_px = z.m.text_px;
    z.label_px = z.m.small_px;
    z.stats_px = z.m.text_px;
    z.word_px = (int)lround(z.m.title_px * 1.25); /* 受付終了 where the number goes */
    z.pad = z.m.gap * 3 / 4;
    return z;
}

static const text_layout *lay_number(screen_ctx *ctx, const queue_sizes *z, const char *digits)
{
    /* Figures in the Japanese UD face in every language: made to be told
     * apart at a distance (the 3, 8 and 0 stay open). */
    text_style st =
        kit_style(ctx, MODEL_LANG_JA, z->number_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 0);
    st.line_height = 1.0f;
    return kit_layout(ctx, digits, &st, ctx->width);
}

/* "待ち 8人 · 約25分", the parts the feed gave. */
static const text_layout *lay_stats(screen_ctx *ctx, const queue_sizes *z, const feeds_counter *c,
                                    int width, bool centred)
{
    char people[BOARDS_TEXT_MAX], wait[BOARDS_TEXT_MAX], num[16], line[2 * BOARDS_TEXT_MAX + 8];
    const char *arg[] = {num};
    /* The line's font is that of the language its words are in (a
     * catalog may fall back to Japanese for one key). */
    model_lang l1 = boards_lang(ctx), l2 = l1;
    people[0] = wait[0] = '\0';
    if (c->waiting != FEEDS_UNKNOWN) {
        snprintf(num, sizeof num, "%d", (int)c->waiting);
        l1 = boards_str(ctx, "queue.waiting", arg, 1, people, sizeof people);
    }
    if (c->wait_minutes == 0) {
        l2 = boards_str(ctx, "queue.no_wait", NULL, 0, wait, sizeof wait);
    } else if (c->wait_minutes != FEEDS_UNKNOWN) {
        snprintf(num, sizeof num, "%d", (int)c->wait_minutes);
        l2 = boards_str(ctx, "queue.wait", arg, 1, wait, sizeof wait);
    }
    l1 = people[0] ? l1 : l2;
    if (!people[0] && !wait[0])
        return NULL;
    /* An ideographic space keeps the two phrases apart in every script;
     * when they do not fit one line, each gets its own: a break between
     * them reads better than one inside either. */
    text_align align = centred ? TEXT_ALIGN_CENTER : TEXT_ALIGN_LEFT;
    snprintf(line, sizeof line, "%s%s%s", people, people[0] && wait[0] ? "\xE3\x80\x80" : "", wait);
    const text_layout *l =
        boards_lay(ctx, line, l1, z->stats_px, TEXT_WEIGHT_BOLD, align, width, 0);
    if (l && text_layout_line_count(l) > 1 && people[0] && wait[0]) {
        snprintf(line, sizeof line, "%s\n%s", people, wait);
        l = boards_lay(ctx, line, l1, z->stats_px, TEXT_WEIGHT_BOLD, align, width, 0);
    }
    return l;
}

/* Lays out every part of c for a queue_card whose text column is width wide. */
void queue_lay_card(screen_ctx *ctx, const queue_sizes *z, const feeds_counter *c, int width,
                    bool centred, queue_card *out)
{
    memset(out, 0, sizeof *out);
    model_lang lang = boards_lang(ctx);
    out->name = boards_fit_lines(
        ctx, model_text_get(&c->name, lang), model_text_lang(&c->name, lang), z->name_px,
        TEXT_WEIGHT_BOLD, centred ? TEXT_ALIGN_CENTER : TEXT_ALIGN_LEFT, width, 2, z->m.small_px);
    if (!c->open) {
        /* One line, a little smaller if need be: a word broken in two
         * reads as two. */
        char word[BOARDS_TEXT_MAX];
        model_lang wl = boards_str(ctx, "queue.closed", NULL, 0, word, sizeof word);
        out->word = boards_fit_lines(ctx, word, wl, z->word_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT,
                                     width, 1, z->m.text_px);
        return;
    }
    out->label = boards_lay_ui(ctx, "queue.serving", NULL, 0, z->label_px, TEXT_WEIGHT_REGULAR,
                               TEXT_ALIGN_LEFT, width);
    if (c->serving == FEEDS_UNKNOWN)
        snprintf(out->digits, sizeof out->digits, "%s", DASH);
    else
        snprintf(out->digits, sizeof out->digits, "%d", (int)c->serving);
    out->number = lay_number(ctx, z, out->digits);
    out->stats = lay_stats(ctx, z, c, width, centred);
}

/* How the counters are set: columns, rows, queue_card size and style. */

typedef struct needs {
    int name_h, label_h, number_h, stats_h, word_h;
    int number_w, label_w, word_w;
    int name_lines, stats_lines, word_lines; /* the most any counter needs */
} needs;

static int lines_of(const text_layout *l)
{
    return l ? (int)text_layout_line_count(l) : 0;
}

/* The tallest and widest parts over all counters, at text width w. */
static needs measure(screen_ctx *ctx, const queue_sizes *z, const feeds_queue *q, int w,
                     bool centred)
{
    needs n = {0};
    for (size_t i = 0; i < q->n_counters; i++) {
        queue_card k;
        queue_lay_card(ctx, z, &q->counters[i], w, centred, &k);
#define GROW(field, v) n.field = (v) > n.field ? (v) : n.field
        GROW(name_h, boards_h(k.name));
        GROW(label_h, boards_h(k.label));
        GROW(number_h, boards_h(k.number));
        GROW(stats_h, boards_h(k.stats));
        GROW(word_h, boards_h(k.word));
        GROW(number_w, boards_w(k.number));
        GROW(label_w, boards_w(k.label));
        GROW(word_w, boards_w(k.word));
        GROW(name_lines, lines_of(k.name));
        GROW(stats_lines, lines_of(k.stats));
        GROW(word_lines, lines_of(k.word));
#undef GROW
    }
    return n;
}

static int tall_height(const queue_sizes *z, const needs *n)
{
    int figures = n->label_h + n->number_h;
    figures = figures > n->word_h ? figures : n->word_h;
    return 2 * z->pad + n->name_h + z->m.gap / 3 + figures + z->m.gap / 3 + n->stats_h;
}

static int wide_height(const queue_sizes *z, const needs *n)
{
    int left = n->name_h + z->m.gap / 3 + n->stats_h;
    int right = n->label_h + n->number_h;
    right = right > n->word_h ? right : n->word_h;
    return 2 * z->pad + (left > right ? left : right);
}

/* Fewer pages first; then text that keeps to its lines (a name on two
 * lines is common, more is not; the waiting and the wait each on one), no
 * empty cells, and cards near 3:2. */
static double score_of(int n, int cols, int rows, int w, int h, const needs *nd)
{
    int per = cols * rows, shown = n < per ? n : per;
    int pages = (n + per - 1) / per;
    int used_rows = (shown + cols - 1) / cols;
    int empty = used_rows * cols - shown;
    double aspect = (double)w / (h > 0 ? h : 1);
    int wraps = (nd->name_lines > 2 ? nd->name_lines - 2 : 0) +
                (nd->stats_lines > 2 ? nd->stats_lines - 2 : 0) +
                (nd->word_lines > 1 ? nd->word_lines - 1 : 0);
    return pages * 100.0 + wraps * 3.0 + (nd->stats_lines > 1) * 0.5 + empty +
           fabs(log(aspect / 1.5)) * 1.5;
}

queue_grid queue_fit_grid(screen_ctx *ctx, const queue_sizes *base, const feeds_queue *q, int W,
                          int H)
{
    queue_grid best = {
        .cols = 1, .rows = 1, .per_page = 1, .card_w = W, .card_h = H, .score = 1e18, .z = *base};
    int n = (int)q->n_counters, gap = base->m.gap;
    /* Wide cards have room for names and waits in heading size. */
    queue_sizes big = *base;
    big.name_px = big.stats_px = base->m.title_px;
    for (int cols = 1; cols <= 6 && cols <= (n > 0 ? n : 1); cols++) {
        int card_w = (W - (cols - 1) * gap) / cols;
        int inner = card_w - 2 * base->pad;
        if (inner <= 0)
            break;
        for (int style = 0; style < 3; style++) {
            bool wide = style > 0;
            const queue_sizes *z = style == 2 ? &big : base;
            needs nd;
            int num_col = 0, h, text_w = inner;
            if (wide) {
                /* The figures' column holds the widest number; the rest is text. */
                nd = measure(ctx, z, q, inner / 2, false);
                num_col = nd.number_w > nd.label_w ? nd.number_w : nd.label_w;
                num_col = num_col > nd.word_w ? num_col : nd.word_w;
                text_w = inner - num_col - gap;
                if (text_w < inner * 2 / 5)
                    continue;
                nd = measure(ctx, z, q, text_w, false);
                h = wide_height(z, &nd);
            } else {
                nd = measure(ctx, z, q, inner, true);
                if (nd.number_w > inner || nd.word_w > inner)
                    continue;
                h = tall_height(z, &nd);
            }
            int rows = (H + gap) / (h + gap);
            if (rows < 1)
                continue;
            int per = cols * rows;
            int used_rows = ((n < per ? n : per) + cols - 1) / cols;
            /* Cards share the height, up to half as tall again as they need. */
            int card_h = used_rows > 0 ? (H - (used_rows - 1) * gap) / used_rows : h;
            card_h = card_h < h * 3 / 2 ? card_h : h * 3 / 2;
            /* Too narrow for a short name on one line ("こども家庭|課"), or a
             * phrase broken: only when nothing else fits. */
            bool cramped = text_w < 7 * z->name_px || nd.stats_lines > 2 || nd.word_lines > 1;
            double s = score_of(n, cols, rows, card_w, card_h, &nd) - (style == 2) * 0.4 +
                       (cramped ? 1000.0 : 0.0);
            if (s < best.score)
                best = (queue_grid){cols, rows, per, card_w, card_h, wide, num_col, s, *z};
        }
    }
    return best;
}
