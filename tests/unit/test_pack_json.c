/* test_pack_json: core/pack_json. Each broken pack source in the table is
 * refused with exactly the first error line a member of staff would see
 * ("pack.json:LINE:COL: PATH: MESSAGE") and the expected number of problems;
 * the demo pack and a manifest built from it parse into the model they
 * describe; limits (size, depth, counts, string length) hold.
 *
 * To add a case: write the JSON, run with PACK_JSON_TEST_SHOW=1 to see every
 * error line of the table with a caret under its place, check the caret sits
 * where a person would look, then copy the first line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/core/clock.h"
#include "app/core/jsonpos.h"
#include "app/core/model.h"
#include "app/core/pack_json.h"

/* The JSON in this file is written with ' for " to stay readable (dq()
 * swaps them back); no case needs a real apostrophe. */
#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* Cases are wrapped in one of these documents, so each names only what it breaks. */
enum wrap { WHOLE, IN_SOURCE, IN_MANIFEST };
static const char source_head[] = "{\n"
                                  "  'format': 1,\n"
                                  "  'facility': {'name': 'ひろば'},\n";
static const char manifest_head[] = "{\n"
                                    "  'format': 1,\n"
                                    "  'facility': {'name': 'ひろば', 'logo': 'logo.png'},\n"
                                    "  'channel': 'chuo',\n"
                                    "  'issued': '2026-11-24T10:00:00+09:00',\n";

typedef struct bad_case {
    const char *name;
    enum pack_json_mode mode;
    enum wrap wrap;
    const char *json;
    const char *first; /* the first error line, exactly */
    size_t total;      /* how many problems in all */
} bad_case;

static const bad_case bad_cases[] = {
    {"syntax_missing_comma", PACK_JSON_SOURCE, WHOLE,
     "{\n"
     "  'format': 1\n"
     "  'facility': {'name': 'x'}\n"
     "}\n",
     "pack.json:3:12: (root): invalid JSON: '}' expected near '\"facility\"'", 1},
    {"syntax_trailing_comma", PACK_JSON_SOURCE, WHOLE,
     "{\n"
     "  'format': 1,\n"
     "  'facility': {'name': 'x'},\n"
     "}\n",
     "pack.json:4:1: (root): invalid JSON: string or '}' expected near '}'", 1},
    {"syntax_empty", PACK_JSON_SOURCE, WHOLE, "",
     "pack.json:1:1: (root): invalid JSON: '[' or '{' expected near end of file", 1},
    {"syntax_duplicate_key", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'id': 'b'}]",
     "pack.json:4:44: items[0].id: invalid JSON: duplicate object key near '\"id\"'", 1},
    {"syntax_bad_utf8", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': '\xff"
     "'}]",
     "pack.json:4:23: ticker[0].text: invalid JSON: unable to decode byte 0xff near '\"'", 1},
    {"syntax_huge_number", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't', 'duration': 1e400}]",
     "pack.json:4:71: items[0].duration: invalid JSON: real number overflow near '1e400'", 1},
    {"root_not_object", PACK_JSON_SOURCE, WHOLE, "[{'format': 1}]\n",
     "pack.json:1:1: (root): expected an object {…} (a pack document)", 1},
    {"format_missing", PACK_JSON_SOURCE, WHOLE,
     "{\n"
     "  'facility': {'name': 'x'}\n"
     "}\n",
     "pack.json:1:1: format: missing; add \"format\": 1", 1},
    {"format_2", PACK_JSON_SOURCE, WHOLE,
     "{\n"
     "  'format': 2,\n"
     "  'facility': {'name': 'x'}\n"
     "}\n",
     "pack.json:2:13: format: unsupported format 2 (this hiroba reads format 1)", 1},
    {"format_string", PACK_JSON_SOURCE, WHOLE,
     "{\n"
     "  'format': '1',\n"
     "  'facility': {'name': 'x'}\n"
     "}\n",
     "pack.json:2:13: format: expected the integer 1", 1},
    {"root_unknown_key", PACK_JSON_SOURCE, IN_SOURCE, "  'playlist': []",
     "pack.json:4:3: playlist: unknown key (did you mean \"playlists\"?)", 1},
    {"facility_missing", PACK_JSON_SOURCE, WHOLE,
     "{\n"
     "  'format': 1\n"
     "}\n",
     "pack.json:1:1: facility: missing; the facility's name is shown in the header", 1},
    {"facility_name_number", PACK_JSON_SOURCE, WHOLE,
     "{\n"
     "  'format': 1,\n"
     "  'facility': {'name': 42}\n"
     "}\n",
     "pack.json:3:24: facility.name: expected text: a string, or an object like {\"ja\": \"…\", "
     "\"en\": \"…\"}",
     1},
    {"text_no_ja", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': {'en': 'Closed on Monday'}}]",
     "pack.json:4:23: ticker[0].text.ja: missing; every text needs Japanese (other languages fall "
     "back to it)",
     1},
    {"text_lang_jp", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': {'ja': '休館日', 'jp': '休館日'}}]",
     "pack.json:4:37: ticker[0].text.jp: unknown language (did you mean \"ja\"?)", 1},
    {"text_empty", PACK_JSON_SOURCE, IN_SOURCE, "  'ticker': [{'text': ''}]",
     "pack.json:4:23: ticker[0].text: empty text", 1},
    {"item_unknown_key", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [\n"
     "    {'id': 'kenshin', 'type': 'card', 'title': '健診', 'durtion': 12}\n"
     "  ]",
     "pack.json:5:54: items[0].durtion: unknown key (did you mean \"duration\"?)", 1},
    {"item_type_missing", PACK_JSON_SOURCE, IN_SOURCE, "  'items': [{'id': 'a', 'title': 't'}]",
     "pack.json:4:13: items[0].type: missing; one of \"card\", \"image\", \"video\", "
     "\"board\"",
     1},
    {"item_type_typo", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'cards', 'title': 't'}]",
     "pack.json:4:33: items[0].type: unknown type \"cards\" (did you mean \"card\"?)", 1},
    {"duration_string", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't', 'duration': '10'}]",
     "pack.json:4:67: items[0].duration: expected a number of seconds", 1},
    {"duration_zero", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't', 'duration': 0}]",
     "pack.json:4:67: items[0].duration: must be more than 0 and at most 3600 seconds (got 0)", 1},
    {"duration_too_long", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't', 'duration': 7200}]",
     "pack.json:4:67: items[0].duration: must be more than 0 and at most 3600 seconds (got 7200)",
     1},
    {"priority_range", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't', 'priority': 101}]",
     "pack.json:4:67: items[0].priority: expected an integer from 0 to 100", 1},
    {"priority_real", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't', 'priority': 50.5}]",
     "pack.json:4:67: items[0].priority: expected an integer from 0 to 100", 1},
    {"video_no_duration", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'v', 'type': 'video', 'file': 'v.mp4'}]",
     "pack.json:4:13: items[0].duration: missing; a video needs the most seconds it may play", 1},
    {"card_with_file", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't', 'file': 'a.png'}]",
     "pack.json:4:55: items[0].file: not used by a card (a card takes \"title\", \"body\" and "
     "\"image\")",
     1},
    {"image_with_image", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'image', 'image': 'a.png'}]",
     "pack.json:4:13: items[0].file: missing; the picture's file name (.png, .jpg)", 2},
    {"board_missing_board", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'q', 'type': 'board', 'duration': 20}]",
     "pack.json:4:13: items[0].board: missing; which board: \"queue\" or \"vacancy\"", 1},
    {"board_typo", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'q', 'type': 'board', 'board': 'vacany', 'duration': 20}]",
     "pack.json:4:51: items[0].board: unknown board \"vacany\" (did you mean \"vacancy\"?)", 1},
    {"board_unknown", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'q', 'type': 'board', 'board': 'weather', 'duration': 20}]",
     "pack.json:4:51: items[0].board: unknown board \"weather\" (\"queue\" or \"vacancy\")", 1},
    {"board_not_string", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'q', 'type': 'board', 'board': ['queue'], 'duration': 20}]",
     "pack.json:4:51: items[0].board: expected \"queue\" or \"vacancy\"", 1},
    {"board_no_duration", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'q', 'type': 'board', 'board': 'queue'}]",
     "pack.json:4:13: items[0].duration: missing; how many seconds the board shows", 1},
    {"board_with_file", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'q', 'type': 'board', 'board': 'queue', 'duration': 20, 'file': "
     "'q.png'}]",
     "pack.json:4:76: items[0].file: not used by a board (it takes \"board\": \"queue\" or "
     "\"vacancy\")",
     1},
    {"board_key_typo", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'q', 'type': 'board', 'bord': 'queue', 'duration': 20}]",
     "pack.json:4:13: items[0].board: missing; which board: \"queue\" or \"vacancy\"", 2},
    {"card_with_board", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't', 'board': 'queue'}]",
     "pack.json:4:55: items[0].board: not used by a card (a card takes \"title\", \"body\" and "
     "\"image\")",
     1},
    {"board_type_typo", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'q', 'type': 'bord', 'board': 'queue', 'duration': 20}]",
     "pack.json:4:33: items[0].type: unknown type \"bord\" (did you mean \"board\"?)", 1},
    {"id_uppercase", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'Kenshin', 'type': 'card', 'title': 't'}]",
     "pack.json:4:20: items[0].id: not an id: \"Kenshin\" (1 to 64 of a-z 0-9 _ -, starting with a "
     "lowercase letter or digit)",
     1},
    {"id_duplicate", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [\n"
     "    {'id': 'a', 'type': 'card', 'title': 't'},\n"
     "    {'id': 'a', 'type': 'card', 'title': 'u'}\n"
     "  ]",
     "pack.json:6:12: items[1].id: duplicate id \"a\" (first at items[0])", 1},
    {"playlist_dangling", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'kenshin', 'type': 'card', 'title': 't'}],\n"
     "  'playlists': [{'id': 'lobby', 'items': ['kenshin', 'kenhsin']}]",
     "pack.json:5:54: playlists[0].items[1]: no item \"kenhsin\" (did you mean \"kenshin\"?)", 1},
    {"playlist_empty", PACK_JSON_SOURCE, IN_SOURCE, "  'playlists': [{'id': 'lobby', 'items': []}]",
     "pack.json:4:42: playlists[0].items: empty: a playlist needs at least one item", 1},
    {"schedule_dangling", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't'}],\n"
     "  'playlists': [{'id': 'lobby', 'items': ['a']}],\n"
     "  'schedule': [{'playlist': 'loby'}]",
     "pack.json:6:29: schedule[0].playlist: no playlist \"loby\" (did you mean \"lobby\"?)", 1},
    {"schedule_unreachable", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't'}],\n"
     "  'playlists': [{'id': 'lobby', 'items': ['a']}],\n"
     "  'schedule': [\n"
     "    {'playlist': 'lobby'},\n"
     "    {'playlist': 'lobby', 'when': {'times': [{'start': '17:00', 'end': '21:00'}]}}\n"
     "  ]",
     "pack.json:8:5: schedule[1]: never chosen: schedule[0] has no \"when\" and always applies "
     "first",
     1},
    {"date_feb_30", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': 't', 'when': {'from': '2026-02-30'}}]",
     "pack.json:4:45: ticker[0].when.from: not a calendar date: \"2026-02-30\" (February 2026 has "
     "28 days)",
     1},
    {"date_shape", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': 't', 'when': {'from': '2026/11/01'}}]",
     "pack.json:4:45: ticker[0].when.from: expected a date \"YYYY-MM-DD\", like \"2026-11-24\"", 1},
    {"until_before_from", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': 't', 'when': {'from': '2026-11-01', 'until': '2026-10-31'}}]",
     "pack.json:4:68: ticker[0].when.until: before \"from\" (2026-11-01)", 1},
    {"time_25", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': 't', 'when': {'times': [{'start': '25:00', 'end': '26:00'}]}}]",
     "pack.json:4:57: ticker[0].when.times[0].start: not a time of day: \"25:00\" (00:00 to 24:00)",
     2},
    {"time_shape", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': 't', 'when': {'times': [{'start': '9:00', 'end': '12:00'}]}}]",
     "pack.json:4:57: ticker[0].when.times[0].start: expected a time \"HH:MM\", like \"09:30\"", 1},
    {"time_24_start", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': 't', 'when': {'times': [{'start': '24:00', 'end': '06:00'}]}}]",
     "pack.json:4:57: ticker[0].when.times[0].start: 24:00 can only end a time range", 1},
    {"time_equal", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': 't', 'when': {'times': [{'start': '09:00', 'end': '09:00'}]}}]",
     "pack.json:4:73: ticker[0].when.times[0].end: same as \"start\" (00:00 to 24:00 is the whole "
     "day)",
     1},
    {"weekday_typo", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': 't', 'when': {'weekdays': ['mon', 'tues']}}]",
     "pack.json:4:57: ticker[0].when.weekdays[1]: unknown weekday \"tues\" (did you mean \"tue\"?)",
     1},
    {"weekdays_empty", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': 't', 'when': {'weekdays': []}}]",
     "pack.json:4:49: ticker[0].when.weekdays: empty: leave \"weekdays\" out to mean every day", 1},
    {"when_unknown_key", PACK_JSON_SOURCE, IN_SOURCE,
     "  'ticker': [{'text': 't', 'when': {'form': '2026-11-01'}}]",
     "pack.json:4:37: ticker[0].when.form: unknown key (did you mean \"from\"?)", 1},
    {"file_dotdot", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'image', 'file': '../secret.png'}]",
     "pack.json:4:50: items[0].file: \"..\" is not allowed: files must be inside the pack folder",
     1},
    {"file_absolute", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'image', 'file': '/etc/logo.png'}]",
     "pack.json:4:50: items[0].file: must be relative to the pack folder (no leading \"/\")", 1},
    {"file_gif", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'image', 'file': 'poster.gif'}]",
     "pack.json:4:50: items[0].file: unsupported image type \".gif\" (use .png, .jpg or .jpeg)", 1},
    {"file_avi", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'v', 'type': 'video', 'file': 'clip.avi', 'duration': 30}]",
     "pack.json:4:50: items[0].file: unsupported video type \".avi\" (use .mp4, .webm, .mkv or "
     ".mov)",
     1},
    {"file_japanese", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'image', 'file': '健診.png'}]",
     "pack.json:4:50: items[0].file: file names may use only A-Z a-z 0-9 . _ - / (rename "
     "\"健診.png\")",
     1},
    {"file_no_ext", PACK_JSON_SOURCE, IN_SOURCE,
     "  'items': [{'id': 'a', 'type': 'card', 'title': 't', 'image': 'kenshin'}]",
     "pack.json:4:64: items[0].image: no file extension (images: .png, .jpg or .jpeg)", 1},
    {"too_deep", PACK_JSON_SOURCE, IN_SOURCE,
     "  '$schema': [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
     "pack.json:4:45: "
     "$schema[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]["
     "0][0][0]: nested deeper than 32 levels",
     1},
    {"url_ftp", PACK_JSON_SOURCE, IN_SOURCE,
     "  'feeds': {'queue': 'ftp://city.example.jp/queue.json'}",
     "pack.json:4:22: feeds.queue: expected an http:// or https:// URL", 1},
    {"url_userinfo", PACK_JSON_SOURCE, IN_SOURCE,
     "  'feeds': {'queue': 'https://admin:pw@city.example.jp/q.json'}",
     "pack.json:4:22: feeds.queue: not a valid URL: no user name or password in a pack's URL", 1},
    {"url_space", PACK_JSON_SOURCE, IN_SOURCE,
     "  'feeds': {'vacancy': 'https://city.example.jp/空き状況.json'}",
     "pack.json:4:24: feeds.vacancy: not a valid URL: percent-encode spaces, quotes and non-ASCII "
     "characters",
     1},
    {"qr_http", PACK_JSON_SOURCE, IN_SOURCE,
     "  'childcare': {'categories': [{'id': 'k', 'title': '健診', 'pages': [\n"
     "    {'id': 'p', 'title': 't', 'qr': [{'label': 'l', 'url': 'http://www.city.example.jp/'}]}\n"
     "  ]}]}",
     "pack.json:5:60: childcare.categories[0].pages[0].qr[0].url: expected an https:// URL (phones "
     "open it from the QR code)",
     1},
    {"page_duplicate", PACK_JSON_SOURCE, IN_SOURCE,
     "  'childcare': {'categories': [\n"
     "    {'id': 'a', 'title': 'A', 'pages': [{'id': 'p', 'title': 't'}]},\n"
     "    {'id': 'b', 'title': 'B', 'pages': [{'id': 'p', 'title': 't'}]}\n"
     "  ]}",
     "pack.json:6:48: childcare.categories[1].pages[0].id: duplicate id \"p\" (first at "
     "childcare.categories[0].pages[0])",
     1},
    {"timezone_unknown", PACK_JSON_SOURCE, IN_SOURCE, "  'timezone': 'Asia/Tokio'",
     "pack.json:4:15: timezone: unknown time zone \"Asia/Tokio\": not in the time zone database "
     "(tzdata)",
     1},
    {"screen_hours_equal", PACK_JSON_SOURCE, IN_SOURCE,
     "  'screen_hours': {'on': '07:00', 'off': '07:00'}",
     "pack.json:4:42: screen_hours.off: same as \"on\": leave screen_hours out to keep the screen "
     "on",
     1},
    {"schema_not_string", PACK_JSON_SOURCE, IN_SOURCE, "  '$schema': true",
     "pack.json:4:14: $schema: expected a string (the schema's URL)", 1},
    {"source_has_version", PACK_JSON_SOURCE, IN_SOURCE, "  'version': 3",
     "pack.json:4:3: version: only allowed in a published manifest (hiroba-pack build adds it)", 1},
    {"source_has_objects", PACK_JSON_SOURCE, IN_SOURCE, "  'objects': {}",
     "pack.json:4:3: objects: only allowed in a published manifest (hiroba-pack build adds it)", 1},
    {"manifest_missing_object", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 3,\n"
     "  'expires': '2026-12-24T10:00:00+09:00',\n"
     "  'objects': {}",
     "pack.json:3:39: facility.logo: \"logo.png\" is not listed in \"objects\"", 1},
    {"manifest_unused_object", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 3,\n"
     "  'expires': '2026-12-24T10:00:00+09:00',\n"
     "  'objects': {'logo.png': {'sha256': '" SHA "', 'size': 1234},\n"
     "    'old.png': {'sha256': '" SHA "', 'size': 99}}",
     "pack.json:9:5: objects[\"old.png\"]: not used by the pack (a manifest lists only the files "
     "it uses)",
     1},
    {"manifest_bad_sha", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 3,\n"
     "  'expires': '2026-12-24T10:00:00+09:00',\n"
     "  'objects': {'logo.png': {'sha256': "
     "'0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF', 'size': 1234}}",
     "pack.json:8:38: objects[\"logo.png\"].sha256: expected 64 lowercase hex digits (a SHA-256)",
     1},
    {"manifest_short_sha", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 3,\n"
     "  'expires': '2026-12-24T10:00:00+09:00',\n"
     "  'objects': {'logo.png': {'sha256': "
     "'0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde', 'size': 1234}}",
     "pack.json:8:38: objects[\"logo.png\"].sha256: expected 64 lowercase hex digits (a SHA-256)",
     1},
    {"manifest_size_zero", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 3,\n"
     "  'expires': '2026-12-24T10:00:00+09:00',\n"
     "  'objects': {'logo.png': {'sha256': '" SHA "', 'size': 0}}",
     "pack.json:8:114: objects[\"logo.png\"].size: expected a size in bytes, from 1 to 16 GiB", 1},
    {"manifest_version_0", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 0,\n"
     "  'expires': '2026-12-24T10:00:00+09:00',\n"
     "  'objects': {'logo.png': {'sha256': '" SHA "', 'size': 1234}}",
     "pack.json:6:14: version: expected a version: an integer from 1 to 2^53-1", 1},
    {"manifest_version_2p60", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 1152921504606846976,\n"
     "  'expires': '2026-12-24T10:00:00+09:00',\n"
     "  'objects': {'logo.png': {'sha256': '" SHA "', 'size': 1234}}",
     "pack.json:6:14: version: expected a version: an integer from 1 to 2^53-1", 1},
    {"manifest_version_real", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 3.0,\n"
     "  'expires': '2026-12-24T10:00:00+09:00',\n"
     "  'objects': {'logo.png': {'sha256': '" SHA "', 'size': 1234}}",
     "pack.json:6:14: version: expected a version: an integer from 1 to 2^53-1", 1},
    {"manifest_expires_before", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 3,\n"
     "  'expires': '2026-11-01T10:00:00+09:00',\n"
     "  'objects': {'logo.png': {'sha256': '" SHA "', 'size': 1234}}",
     "pack.json:7:14: expires: not after \"issued\"", 1},
    {"manifest_no_offset", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 3,\n"
     "  'expires': '2026-12-24T10:00:00',\n"
     "  'objects': {'logo.png': {'sha256': '" SHA "', 'size': 1234}}",
     "pack.json:7:14: expires: expected an RFC 3339 time with offset, like "
     "\"2026-11-24T10:00:00+09:00\"",
     1},
    {"manifest_object_name", PACK_JSON_MANIFEST, IN_MANIFEST,
     "  'version': 3,\n"
     "  'expires': '2026-12-24T10:00:00+09:00',\n"
     "  'objects': {'../logo.png': {'sha256': '" SHA "', 'size': 1}}",
     "pack.json:3:39: facility.logo: \"logo.png\" is not listed in \"objects\"", 2},
};

/* ' -> ", into a new string. */
static char *dq(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    for (char *p = d; *p; p++)
        if (*p == '\'')
            *p = '"';
    return d;
}

static char *build(const bad_case *c, size_t *len)
{
    const char *head = c->wrap == IN_SOURCE     ? source_head
                       : c->wrap == IN_MANIFEST ? manifest_head
                                                : "";
    const char *tail = c->wrap == WHOLE ? "" : "\n}\n";
    size_t n = strlen(head) + strlen(c->json) + strlen(tail);
    char *raw = malloc(n + 1);
    assert_non_null(raw);
    snprintf(raw, n + 1, "%s%s%s", head, c->json, tail);
    char *text = dq(raw);
    free(raw);
    *len = n;
    return text;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (set HIROBA_SOURCE_DIR to the source tree)", path);
    char *buf = malloc(PACK_JSON_MAX_BYTES + 1);
    assert_non_null(buf);
    *len = fread(buf, 1, PACK_JSON_MAX_BYTES + 1, f);
    fclose(f);
    return buf;
}

static char *demo_text(size_t *len)
{
    const char *dir = getenv("HIROBA_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/assets/demo-pack/pack.json", dir ? dir : ".");
    return read_file(path, len);
}

static void show(const char *name, const char *text, size_t len, const pack_json_errors *e)
{
    char line[600];
    print_message("=== %s\n", name);
    for (size_t i = 0; i < e->count; i++) {
        pack_json_error_line(e, i, line, sizeof line);
        print_message("%s\n", line);
    }
    if (!e->count)
        return;
    const char *p = text, *end = text + len;
    for (uint32_t l = 1; l < e->list[0].line && p < end; p++)
        if (*p == '\n')
            l++;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    print_message("  |%.*s\n  |%*s^\n", (int)((eol ? eol : end) - p), p, (int)e->list[0].column - 1,
                  "");
}

static void assert_well_formed(const pack_json_errors *e, size_t len)
{
    assert_true(e->count <= PACK_JSON_MAX_ERRORS && e->count <= e->total);
    for (size_t i = 0; i < e->count; i++) {
        assert_true(e->list[i].line >= 1 && e->list[i].column >= 1);
        assert_true(e->list[i].offset <= len);
        if (i > 0)
            assert_true(e->list[i - 1].offset <= e->list[i].offset);
    }
}

static void test_broken_sources(void **state)
{
    (void)state;
    static pack_json_errors errs;
    bool show_all = getenv("PACK_JSON_TEST_SHOW") != NULL;
    size_t failed = 0;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        size_t len;
        char *text = build(c, &len);
        model_pack *p = (model_pack *)&errs; /* must be reset to NULL */
        int r = pack_json_parse(text, len, "pack.json", c->mode, &p, &errs);
        char got[600] = "(no error)";
        if (errs.count)
            pack_json_error_line(&errs, 0, got, sizeof got);
        if (show_all)
            show(c->name, text, len, &errs);
        if (r != PACK_JSON_INVALID || p != NULL || strcmp(got, c->first) != 0 ||
            errs.total != c->total) {
            print_error("%s: returned %d, %zu problems (want %zu)\n  got:  %s\n  want: %s\n",
                        c->name, r, errs.total, c->total, got, c->first);
            failed++;
        }
        assert_well_formed(&errs, len);
        free(text);
    }
    if (failed)
        fail_msg("%zu of %zu cases failed", failed, sizeof bad_cases / sizeof bad_cases[0]);
}

static void test_demo_pack(void **state)
{
    (void)state;
    static pack_json_errors errs;
    size_t len;
    char *text = demo_text(&len);
    model_pack *p = NULL;
    int r = pack_json_parse(text, len, "pack.json", PACK_JSON_SOURCE, &p, &errs);
    if (r != 0) {
        show("demo", text, len, &errs);
        fail_msg("the demo pack does not parse");
    }
    assert_string_equal(model_text_get(&p->facility.name, MODEL_LANG_EN),
                        "Hiroba City Central Community Centre");
    assert_string_equal(p->timezone, "Asia/Tokyo");
    assert_false(p->manifest.present);
    assert_int_equal(p->n_items, 9);
    assert_int_equal(p->n_playlists, 2);
    assert_int_equal(p->n_schedule, 2);
    assert_int_equal(p->n_ticker, 4);
    assert_true(p->n_categories >= 3);
    for (size_t i = 0; i < p->n_categories; i++)
        assert_true(p->categories[i].n_pages >= 2 && p->categories[i].n_pages <= 3);

    const model_playlist *lobby = model_pack_find_playlist(p, "lobby");
    const model_playlist *evening = model_pack_find_playlist(p, "evening");
    assert_non_null(lobby);
    assert_non_null(evening);
    assert_int_equal(lobby->n_items, p->n_items);
    assert_true(evening->n_items < lobby->n_items);
    assert_ptr_equal(p->schedule[1].playlist, lobby);
    assert_null(p->schedule[1].when);

    const model_item *video = model_pack_find_item(p, "tearai");
    assert_non_null(video);
    assert_int_equal(video->kind, MODEL_ITEM_VIDEO);
    assert_int_equal(video->duration_ms, 30000);
    assert_string_equal(video->media->name, "tearai.mp4");
    assert_int_equal(video->media->kind, MODEL_MEDIA_VIDEO);
    /* Both live boards play in the lobby loop, after everything else. */
    const model_item *qb = model_pack_find_item(p, "queue-board");
    const model_item *vb = model_pack_find_item(p, "vacancy-board");
    assert_non_null(qb);
    assert_non_null(vb);
    assert_int_equal(qb->kind, MODEL_ITEM_BOARD);
    assert_string_equal(qb->board, MODEL_BOARD_QUEUE);
    assert_string_equal(vb->board, MODEL_BOARD_VACANCY);
    assert_null(qb->media);
    assert_ptr_equal(lobby->items[lobby->n_items - 2], qb);
    assert_ptr_equal(lobby->items[lobby->n_items - 1], vb);

    /* Every title has all five languages; every media file the README names is used. */
    for (size_t i = 0; i < p->n_items; i++) {
        const model_item *it = &p->items[i];
        assert_ptr_equal(model_pack_find_item(p, it->id), it);
        for (int l = 0; it->kind == MODEL_ITEM_CARD && l < MODEL_LANG_COUNT; l++)
            assert_int_equal(model_text_lang(&it->title, (model_lang)l), l);
    }
    static const char *const files[] = {"logo.png",   "kenshin.png", "ohanashi.png",
                                        "ichiji.png", "sodan.png",   "tearai.mp4"};
    assert_int_equal(p->n_media, 6);
    for (size_t i = 0; i < 6; i++) {
        const model_media *m = model_pack_find_media(p, files[i]);
        assert_non_null(m);
        /* where locates the first reference, and the file name is there. */
        jsonpos_loc loc;
        assert_int_equal(jsonpos_locate_str(text, len, m->where, JSONPOS_VALUE, &loc), 0);
        assert_int_equal(text[loc.offset], '"');
        assert_memory_equal(text + loc.offset + 1, files[i], strlen(files[i]));
    }
    /* Fallback: this page has no ja-easy body, so it shows Japanese. */
    const model_page *pg = model_pack_find_page(p, "kenshin-4m");
    assert_non_null(pg);
    assert_null(pg->body.s[MODEL_LANG_JA_EASY]);
    assert_ptr_equal(model_text_get(&pg->body, MODEL_LANG_JA_EASY), pg->body.s[MODEL_LANG_JA]);
    assert_int_equal(model_text_lang(&pg->body, MODEL_LANG_JA_EASY), MODEL_LANG_JA);
    assert_string_equal(pg->category->id, "kenshin");
    assert_true(pg->n_qr >= 1 && strncmp(pg->qr[0].url, "https://www.city.example.jp/", 28) == 0);
    assert_string_equal(model_pack_find_page(p, "yobou-tearai")->video->name, "tearai.mp4");
    assert_string_equal(p->feeds.queue, "http://127.0.0.1:8080/feeds/queue.json");
    assert_true(p->screen_hours.set);
    model_pack_destroy(p);
    free(text);
}

/* The demo source plus what hiroba-pack build adds. */
static char *demo_manifest(size_t *len)
{
    size_t n;
    char *text = demo_text(&n);
    char *end = strrchr(text, '}');
    assert_non_null(end);
    static const char *const files[] = {"logo.png",   "kenshin.png", "ohanashi.png",
                                        "ichiji.png", "sodan.png",   "tearai.mp4"};
    char extra[2048];
    int k = snprintf(extra, sizeof extra,
                     ",\n  'channel': 'chuo',\n  'version': 7,\n"
                     "  'issued': '2026-11-24T10:00:00+09:00',\n"
                     "  'expires': '2026-12-24T10:00:00Z',\n  'objects': {");
    for (size_t i = 0; i < 6; i++)
        k += snprintf(extra + k, sizeof extra - (size_t)k,
                      "%s\n    '%s': {'sha256': '" SHA "', 'size': %zu}", i ? "," : "", files[i],
                      1000 + i);
    snprintf(extra + k, sizeof extra - (size_t)k, "}\n}\n");
    char *q = dq(extra);
    size_t head = (size_t)(end - text);
    char *out = malloc(head + strlen(q) + 1);
    assert_non_null(out);
    while (head > 0 && (text[head - 1] == '\n' || text[head - 1] == ' '))
        head--;
    memcpy(out, text, head);
    strcpy(out + head, q);
    *len = strlen(out);
    free(q);
    free(text);
    return out;
}

static void test_manifest(void **state)
{
    (void)state;
    static pack_json_errors errs;
    size_t len;
    char *text = demo_manifest(&len);
    model_pack *p = NULL;
    if (pack_json_parse(text, len, "manifest.json", PACK_JSON_MANIFEST, &p, &errs) != 0) {
        show("manifest", text, len, &errs);
        fail_msg("the demo manifest does not parse");
    }
    clock_time issued, expires;
    assert_int_equal(clock_parse_iso8601("2026-11-24T10:00:00+09:00", &issued), 0);
    assert_int_equal(clock_parse_iso8601("2026-12-24T10:00:00Z", &expires), 0);
    assert_true(p->manifest.present);
    assert_string_equal(p->manifest.channel, "chuo");
    assert_int_equal(p->manifest.version, 7);
    assert_int_equal(p->manifest.issued, issued.sec);
    assert_int_equal(p->manifest.expires, expires.sec);
    assert_int_equal(p->manifest.n_objects, 6);
    for (size_t i = 1; i < p->manifest.n_objects; i++)
        assert_true(strcmp(p->manifest.objects[i - 1].name, p->manifest.objects[i].name) < 0);
    for (size_t i = 0; i < p->n_media; i++) {
        const model_object *o = p->media[i].object;
        assert_non_null(o);
        assert_string_equal(o->name, p->media[i].name);
        assert_string_equal(o->sha256, SHA);
        assert_ptr_equal(model_pack_find_object(p, o->name), o);
    }
    assert_int_equal(model_pack_find_object(p, "tearai.mp4")->size, 1005);
    model_pack_destroy(p);

    /* The same document as a source: the five manifest keys are refused. */
    assert_int_equal(pack_json_parse(text, len, "pack.json", PACK_JSON_SOURCE, &p, &errs),
                     PACK_JSON_INVALID);
    assert_int_equal(errs.total, 5);
    for (size_t i = 0; i < errs.count; i++)
        assert_string_equal(errs.list[i].message,
                            "only allowed in a published manifest (hiroba-pack build adds it)");
    free(text);

    /* A source read as a manifest: five keys missing, six files not listed. */
    text = demo_text(&len);
    assert_int_equal(pack_json_parse(text, len, "manifest.json", PACK_JSON_MANIFEST, &p, &errs),
                     PACK_JSON_INVALID);
    assert_int_equal(errs.total, 11);
    char line[600];
    pack_json_error_line(&errs, 0, line, sizeof line);
    assert_string_equal(line, "manifest.json:1:1: channel: missing");
    free(text);
}

static void expect_first(const char *text, size_t len, enum pack_json_mode mode, const char *want,
                         size_t total)
{
    static pack_json_errors errs;
    model_pack *p = NULL;
    assert_int_equal(pack_json_parse(text, len, "pack.json", mode, &p, &errs), PACK_JSON_INVALID);
    assert_null(p);
    char line[600];
    pack_json_error_line(&errs, 0, line, sizeof line);
    assert_string_equal(line, want);
    assert_int_equal(errs.total, total);
    assert_well_formed(&errs, len);
}

/* Appends printf output to a growing buffer. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}

static void test_limits(void **state)
{
    (void)state;
    /* A string of 16 KiB + 1 byte; exactly 16 KiB is fine. */
    for (size_t n = PACK_JSON_MAX_STRING; n <= PACK_JSON_MAX_STRING + 1; n++) {
        sbuf b = {0};
        put(&b, "{\"format\": 1, \"facility\": {\"name\": \"x\"},\n \"ticker\": [{\"text\": \"");
        for (size_t i = 0; i < n; i++)
            put(&b, "a");
        put(&b, "\"}]}");
        static pack_json_errors errs;
        model_pack *p = NULL;
        int r = pack_json_parse(b.s, b.len, "pack.json", PACK_JSON_SOURCE, &p, &errs);
        if (n == PACK_JSON_MAX_STRING) {
            assert_int_equal(r, 0);
            assert_int_equal(strlen(model_text_get(&p->ticker[0].text, MODEL_LANG_EN)), n);
            model_pack_destroy(p);
        } else {
            expect_first(b.s, b.len, PACK_JSON_SOURCE,
                         "pack.json:2:22: ticker[0].text: longer than 16384 bytes (16385)", 1);
        }
        free(b.s);
    }

    /* A document over 4 MiB is refused before parsing, whatever it holds. */
    size_t big = PACK_JSON_MAX_BYTES + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    expect_first(huge, big, PACK_JSON_SOURCE,
                 "pack.json:1:1: (root): document too large (4194305 bytes; at most 4194304)", 1);
    free(huge);

    /* 1001 items: one error at the array, the first 1000 still checked. */
    sbuf b = {0};
    put(&b, "{\"format\": 1, \"facility\": {\"name\": \"x\"},\n\"items\": [");
    for (int i = 0; i <= PACK_JSON_MAX_ITEMS; i++)
        put(&b, "%s{\"id\": \"i%d\", \"type\": \"card\", \"title\": \"t\"}", i ? "," : "", i);
    put(&b, "]}");
    expect_first(b.s, b.len, PACK_JSON_SOURCE,
                 "pack.json:2:10: items: too many entries (1001; at most 1000)", 1);
    free(b.s);

    /* 501 pages over two categories: refused at the category that overflows. */
    b = (sbuf){0};
    put(&b, "{\"format\": 1, \"facility\": {\"name\": \"x\"}, \"childcare\": {\"categories\": [");
    for (int c = 0; c < 2; c++) {
        put(&b, "%s\n{\"id\": \"c%d\", \"title\": \"t\", \"pages\": [", c ? "," : "", c);
        for (int i = 0; i < (c ? 251 : 250); i++)
            put(&b, "%s{\"id\": \"p%d-%d\", \"title\": \"t\"}", i ? "," : "", c, i);
        put(&b, "]}");
    }
    put(&b, "]}}");
    expect_first(b.s, b.len, PACK_JSON_SOURCE,
                 "pack.json:3:37: childcare.categories[1].pages: too many pages in the pack (at "
                 "most 500)",
                 1);
    free(b.s);

    /* 33 levels are refused before jansson sees them; 32 are only unusual. */
    expect_first("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 66,
                 PACK_JSON_SOURCE,
                 "pack.json:1:33: "
                 "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
                 "[0][0][0][0][0][0]: nested deeper than 32 levels",
                 1);
    expect_first("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 64,
                 PACK_JSON_SOURCE,
                 "pack.json:1:1: (root): expected an object {…} (a pack document)", 1);

    /* 60 problems: the first 50 are kept, in file order, and the rest counted. */
    b = (sbuf){0};
    put(&b, "{\"format\": 1, \"facility\": {\"name\": \"x\"}, \"items\": [");
    for (int i = 0; i < 60; i++)
        put(&b, "%s\n{\"id\": \"i%d\", \"type\": \"card\", \"title\": \"t\", \"duration\": \"x\"}",
            i ? "," : "", i);
    put(&b, "]}");
    static pack_json_errors errs;
    model_pack *p = NULL;
    assert_int_equal(pack_json_parse(b.s, b.len, "pack.json", PACK_JSON_SOURCE, &p, &errs),
                     PACK_JSON_INVALID);
    assert_int_equal(errs.count, PACK_JSON_MAX_ERRORS);
    assert_int_equal(errs.total, 60);
    assert_well_formed(&errs, b.len);
    for (size_t i = 0; i < errs.count; i++)
        assert_int_equal(errs.list[i].line, i + 2);
    char *printed = NULL;
    size_t printed_len = 0;
    FILE *f = open_memstream(&printed, &printed_len);
    pack_json_errors_print(&errs, f);
    fclose(f);
    assert_non_null(strstr(printed, "pack.json:51:57: items[49].duration: expected a number of "
                                    "seconds\npack.json: 10 more problems not shown\n"));
    free(printed);
    free(b.s);
}

static void test_values(void **state)
{
    (void)state;
    static pack_json_errors errs;
    char *text = dq("{'format': 1, 'facility': {'name': 'x'}, 'timezone': 'Europe/Berlin',\n"
                    " 'items': [{'id': 'a', 'type': 'card', 'title': 't'},\n"
                    "  {'id': 'b', 'type': 'image', 'file': 'img/B.JPEG', 'duration': 7.5,\n"
                    "   'priority': 0, 'schedule': {'from': '2026-11-01', 'until': '2026-11-30',\n"
                    "   'weekdays': ['sat', 'sun'],\n"
                    "   'times': [{'start': '22:00', 'end': '02:00'}, {'start': '00:00', 'end': "
                    "'24:00'}]}},\n"
                    "  {'id': 'c', 'type': 'video', 'file': 'c.webm', 'duration': 0.0001},\n"
                    "  {'id': 'd', 'type': 'board', 'board': 'queue', 'duration': 20},\n"
                    "  {'id': 'e', 'type': 'board', 'board': 'vacancy', 'duration': 30,\n"
                    "   'priority': 90, 'schedule': {'weekdays': ['mon']}}],\n"
                    " 'screen_hours': {'on': '07:00', 'off': '24:00'}}");
    model_pack *p = NULL;
    assert_int_equal(pack_json_parse(text, strlen(text), "pack.json", PACK_JSON_SOURCE, &p, &errs),
                     0);
    assert_string_equal(p->timezone, "Europe/Berlin");
    assert_string_equal(tz_zone_name(p->zone), "Europe/Berlin");
    const model_item *a = &p->items[0], *b = &p->items[1], *c = &p->items[2];
    assert_int_equal(a->duration_ms, PACK_JSON_DEFAULT_DURATION_S * 1000);
    assert_int_equal(a->priority, 50);
    assert_null(a->schedule);
    assert_null(a->media);
    assert_true(model_text_empty(&a->body));
    assert_string_equal(model_text_get(&a->body, MODEL_LANG_EN), "");
    assert_int_equal(b->duration_ms, 7500);
    assert_int_equal(b->priority, 0);
    assert_int_equal(b->media->kind, MODEL_MEDIA_IMAGE); /* extensions in any case */
    assert_int_equal(b->schedule->from_day, tz_days_from_civil(2026, 11, 1));
    assert_int_equal(b->schedule->until_day, tz_days_from_civil(2026, 11, 30));
    assert_int_equal(b->schedule->weekdays, (1 << 6) | (1 << 0));
    assert_int_equal(b->schedule->n_times, 2);
    assert_int_equal(b->schedule->times[0].start_min, 22 * 60);
    assert_int_equal(b->schedule->times[0].end_min, 2 * 60);
    assert_int_equal(b->schedule->times[1].end_min, 1440);
    assert_int_equal(c->duration_ms, 1); /* never rounded to nothing */
    /* Boards name their board and have no media. */
    const model_item *d = &p->items[3], *e = &p->items[4];
    assert_null(a->board);
    assert_null(c->board);
    assert_int_equal(d->kind, MODEL_ITEM_BOARD);
    assert_string_equal(model_item_kind_name(d->kind), "board");
    assert_string_equal(d->board, MODEL_BOARD_QUEUE);
    assert_null(d->media);
    assert_true(model_text_empty(&d->title));
    assert_int_equal(d->duration_ms, 20000);
    assert_string_equal(e->board, MODEL_BOARD_VACANCY);
    assert_int_equal(e->duration_ms, 30000);
    assert_int_equal(e->priority, 90);
    assert_int_equal(e->schedule->weekdays, 1 << 1);
    assert_int_equal(p->n_media, 2);
    assert_int_equal(p->screen_hours.on_min, 7 * 60);
    assert_int_equal(p->screen_hours.off_min, 1440);
    assert_null(p->feeds.queue);
    model_pack_destroy(p);
    free(text);
}

static void test_bom_and_crlf(void **state)
{
    (void)state;
    /* Windows editors: a BOM and CRLF line ends. Columns count characters. */
    char *text = dq("\xEF\xBB\xBF{'format': 1,\r\n"
                    " 'facility': {'name': '中央'},\r\n"
                    " 'ticker': [{'text': {'ja': 'お知らせ', 'en': 'Notice', 'kr': 'x'}}]}\r\n");
    expect_first(text, strlen(text), PACK_JSON_SOURCE,
                 "pack.json:3:53: ticker[0].text.kr: unknown language (did you mean \"ko\"?)", 1);
    free(text);
}

static void test_errors_add(void **state)
{
    (void)state;
    /* What the build tool does when a file named in the pack is missing. */
    static pack_json_errors errs;
    char *text = dq("{\n  'format': 1,\n  'facility': {'name': 'x', 'logo': 'logo.png'},\n"
                    "  'items': [{'id': 'a', 'type': 'image', 'file': 'a.png'}]\n}\n");
    model_pack *p = NULL;
    assert_int_equal(pack_json_parse(text, strlen(text), "pack.json", PACK_JSON_SOURCE, &p, &errs),
                     0);
    assert_int_equal(errs.count, 0);
    for (size_t i = p->n_media; i-- > 0;)
        assert_int_equal(pack_json_errors_add(&errs, text, strlen(text), p->media[i].where,
                                              "file not found: %s", p->media[i].name),
                         0);
    char line[600];
    pack_json_error_line(&errs, 0, line, sizeof line);
    assert_string_equal(line, "pack.json:3:37: facility.logo: file not found: logo.png");
    pack_json_error_line(&errs, 1, line, sizeof line);
    assert_string_equal(line, "pack.json:4:50: items[0].file: file not found: a.png");
    assert_int_equal(pack_json_error_line(&errs, 2, line, sizeof line), -1);
    model_pack_destroy(p);
    free(text);
}

static void test_langs(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        model_lang lang;
    } cases[] = {{"ja", MODEL_LANG_JA}, {"en", MODEL_LANG_EN},           {"zh", MODEL_LANG_ZH},
                 {"ko", MODEL_LANG_KO}, {"ja-easy", MODEL_LANG_JA_EASY}, {"jp", MODEL_LANG_NONE},
                 {"", MODEL_LANG_NONE}, {"JA", MODEL_LANG_NONE},         {NULL, MODEL_LANG_NONE}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(model_lang_from_code(cases[i].code), cases[i].lang);
        if (cases[i].lang != MODEL_LANG_NONE)
            assert_string_equal(model_lang_code(cases[i].lang), cases[i].code);
    }
    assert_null(model_lang_code(MODEL_LANG_COUNT));
    model_text t = {.s = {[MODEL_LANG_JA] = "日本語", [MODEL_LANG_KO] = "한국어"}};
    assert_string_equal(model_text_get(&t, MODEL_LANG_KO), "한국어");
    assert_string_equal(model_text_get(&t, MODEL_LANG_ZH), "日本語");
    assert_int_equal(model_text_lang(&t, MODEL_LANG_ZH), MODEL_LANG_JA);
    assert_int_equal(model_text_lang(&t, MODEL_LANG_KO), MODEL_LANG_KO);
    assert_string_equal(model_text_get(NULL, MODEL_LANG_EN), "");
    assert_string_equal(model_text_get(&t, MODEL_LANG_NONE), "日本語");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_broken_sources), cmocka_unit_test(test_demo_pack),
        cmocka_unit_test(test_manifest),       cmocka_unit_test(test_limits),
        cmocka_unit_test(test_values),         cmocka_unit_test(test_bom_and_crlf),
        cmocka_unit_test(test_errors_add),     cmocka_unit_test(test_langs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
