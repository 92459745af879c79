/* signage_text: the signage screen's care for line breaks beyond what the
 * text engine's rules (ICU strict + JLREQ kinsoku) already do: a short
 * bracketed phrase such as 「ひろば」 is kept on one line (word joiners
 * between its characters, glue.h), and breaks that read badly (a paragraph
 * ending in a word or two alone, a kanji word split in two) are counted so
 * that the card can be set a little differently. Works on markup text
 * without ever splitting a {漢字|かんじ} group; never changes what a reader
 * sees, only where lines may break. */
#include "app/screens/signage_private.h"

#include <stdlib.h>
#include <string.h>

/* A short bracketed phrase is one thing on a sign, spaces and all. */
const glue_opts signage_glue_rules = {.brackets = true, .brackets_across_spaces = true};

const char *signage_glued(signage *s, const char *text)
{
    for (size_t i = 0; i < SG_GLUE_MAX; i++)
        if (s->glue[i].src == text)
            return s->glue[i].out ? s->glue[i].out : text;
    sg_glue *g = &s->glue[s->glue_next];
    s->glue_next = (s->glue_next + 1) % SG_GLUE_MAX;
    free(g->out);
    g->src = text;
    g->out = glue_text(text, &signage_glue_rules);
    return g->out ? g->out : text;
}

void signage_glue_clear(signage *s)
{
    for (size_t i = 0; i < SG_GLUE_MAX; i++) {
        free(s->glue[i].out);
        s->glue[i] = (sg_glue){0};
    }
    s->glue_next = 0;
}

/* The code point starting at s (or ending just before end, backwards). */
static uint32_t decode(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x80 || n < 2)
        return s[0];
    if (s[0] < 0xE0)
        return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    if (s[0] < 0xF0 || n < 4)
        return n < 3 ? 0xFFFD
                     : (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
           (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

static uint32_t last_char(const char *text, size_t len)
{
    size_t i = len;
    while (i > 0 && ((unsigned char)text[i - 1] & 0xC0) == 0x80)
        i--;
    return i > 0 ? decode((const unsigned char *)text + i - 1, len - i + 1) : 0;
}

static bool is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005 /* 々 */;
}

static bool is_hiragana(uint32_t c)
{
    return c >= 0x3041 && c <= 0x309F;
}

/* Hiragana that start a particle after a noun: は が を に へ で と も の や か. */
static bool is_particle(uint32_t c)
{
    static const uint32_t particles[] = {0x306F, 0x304C, 0x3092, 0x306B, 0x3078, 0x3067,
                                         0x3068, 0x3082, 0x306E, 0x3084, 0x304B};
    for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
        if (c == particles[i])
            return true;
    return false;
}

/* A paragraph's last line that reads as cut off: three characters or less
 * ("さい。"), or a single Latin word ("listen.", "November"). */
static bool orphan(const text_line_info *li)
{
    size_t chars = 0;
    bool latin = true;
    for (size_t i = 0; i < li->len; i++) {
        unsigned char c = (unsigned char)li->text[i];
        chars += (c & 0xC0) != 0x80;
        latin = latin && c < 0x80 && c != ' ';
    }
    return chars <= 3 || latin;
}

int signage_break_flaws(const text_layout *l)
{
    size_t n = l ? text_layout_line_count(l) : 0, plain_len;
    if (n < 2)
        return 0;
    const char *plain = text_layout_plain(l, &plain_len);
    int flaws = 0;
    bool prev_ends_paragraph = true;
    for (size_t i = 0; i < n; i++) {
        text_line_info li;
        text_layout_get_line(l, i, &li);
        size_t end = li.offset + li.len;
        while (end < plain_len && plain[end] == ' ')
            end++;
        bool ends_paragraph = end >= plain_len || plain[end] == '\n';
        if (ends_paragraph && !prev_ends_paragraph && orphan(&li))
            flaws++;
        /* After a kanji, a break is most often inside a word: before another
         * kanji (医療|機関, 大|丈夫) or before its okurigana (遊|べる, 受|け
         * られる); before a particle (機関|へ) it is fine. */
        uint32_t next = decode((const unsigned char *)plain + end, plain_len - end);
        if (!ends_paragraph && is_han(last_char(li.text, li.len)) &&
            (is_han(next) || (is_hiragana(next) && !is_particle(next))))
            flaws++;
        prev_ends_paragraph = ends_paragraph;
    }
    return flaws;
}
