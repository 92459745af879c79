/* kinsoku: JLREQ line-start and line-end prohibitions (禁則処理), as pure
 * predicates over code points, shared by the breaker, tests and benchmarks. */
#ifndef HIROBA_UI_TEXT_KINSOKU_H
#define HIROBA_UI_TEXT_KINSOKU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* May not start a line: closing brackets and quotes, 、。，．・：；？！ and their
 * ASCII forms, ー and other prolonged/iteration marks, small kana, ‥ …, ％ etc. */
bool kinsoku_no_line_start(uint32_t cp);
/* May not end a line: opening brackets and quotes （「『【〔〈《 ［ ｛ “ ‘ and prefixes ¥ ＄ £ # №.
 */
bool kinsoku_no_line_end(uint32_t cp);

/* Counts lines (given as byte offsets where each line starts, line 0 at 0,
 * in utf8[0..len)) that start or end against the rules above. Used by tests
 * and by the benchmark to judge any engine by the same yardstick. */
size_t kinsoku_count_violations(const char *utf8, size_t len, const size_t *line_starts,
                                size_t n_lines);

#endif
