/* glue: where a text may break, beyond the text engine's rules (ICU strict +
 * JLREQ kinsoku), said with word joiners (U+2060: no break on either side,
 * no width). A short bracketed phrase such as 「ひろば」 can be kept on one
 * line; text written in phrases with spaces between them (easy Japanese's
 * 分かち書き, Korean) can be made to break only at its spaces and after a
 * few marks. The screens (signage, child care, the boards) choose the rules
 * for a text's language; this module knows no language, only the rules.
 * Works on markup text and never changes what a reader sees: a {漢字|かんじ}
 * group stays whole, and a joiner never turns literal braces into a group
 * nor splits a byte sequence that is not valid UTF-8. Pure. */
#ifndef HIROBA_APP_SCREENS_GLUE_H
#define HIROBA_APP_SCREENS_GLUE_H

#include <stdbool.h>
#include <stddef.h>

#define GLUE_JOINER     "\xE2\x81\xA0" /* U+2060 WORD JOINER */
#define GLUE_JOINER_LEN 3

/* A short bracketed phrase has at most this many characters (brackets and
 * furigana bases counted, readings not): 「ひろば」 is one thing, a long
 * quote is not. */
#define GLUE_SHORT_BRACKETS 12

/* Which rules to apply. All false / NULL / 0: nothing is glued. */
typedef struct glue_opts {
    /* A bracketed phrase of up to GLUE_SHORT_BRACKETS characters, from an
     * opening bracket (「『（(【〈《“) to its closing one at the same depth,
     * on one line of the source, is glued whole. */
    bool brackets;
    /* With brackets: such a phrase stays whole even across the spaces and
     * word joiners in it (signage: "（10時 ～ 12時）" is one thing). When
     * false, its spaces stay places to break. */
    bool brackets_across_spaces;
    /* The characters of each phrase are glued together, so that lines break
     * only at spaces (space, tab, line end, U+3000), after a mark of
     * break_after and before one of break_before. */
    bool phrases;
    /* The marks, as UTF-8 strings of characters (NULL: none). */
    const char *break_after;
    const char *break_before;
    /* A phrase of more than this many units (characters; a furigana group
     * is one) is left free to break anywhere: a line could not hold it.
     * 0: no limit. */
    size_t phrase_max;
} glue_opts;

/* text (markup allowed, NUL-terminated) with word joiners added where opts
 * says lines must not break. Returns a new string (caller frees), or NULL
 * when nothing needs gluing (or out of memory): then text is used as it is.
 * Removing the joiners it added gives text back byte for byte; the markup
 * parser (ui/text/markup.h) finds the same plain text and groups in both;
 * valid UTF-8 in gives valid UTF-8 out. Joiners already in text are kept;
 * another is added beside one only inside a bracketed phrase glued across
 * its spaces. */
char *glue_text(const char *text, const glue_opts *opts);

#endif
