/* bench_corpus: the paragraphs all engines lay out, identical bytes for each.
 * Markup is stripped here, once, so no engine ever sees {base|reading}. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/bench/bench.h"
#include "ui/text/markup.h"

/* Used only when tests/corpus/ja.txt is absent: notices of the kind a
 * community centre shows, with the punctuation, small kana, long vowels,
 * numbers with units, Latin words and URLs that make line breaking hard. */
/* clang-format off: split at punctuation, not mid-number */
static const char *const builtin_paragraphs[] = {
    "本日は館内の点検作業のため、午後３時から午後５時まで第２会議室はご利用いただけません。"
    "ご不便をおかけしますが、ご理解とご協力をお願いいたします。",
    "子育て{相談|そうだん}は毎週水曜日の10:00〜12:00に、２階の「ひろばルーム」で行っています。"
    "予約は不要です。お気軽にお越しください。",
    "【お知らせ】体育館のバドミントンコートは、１回２時間まで、"
    "１団体につき週２回までご予約いただけます（先着順）。",
    "マイナンバーカードの申請サポートを行います。本人確認書類（運転免許証、パスポートなど）"
    "をお持ちください。",
    "ベビーカーでお越しの方は、正面玄関横のスロープをご利用ください。"
    "エレベーターは１階と２階に停まります。",
    "館内ではWi-Fiをご利用いただけます。ネットワーク名は「hiroba-free」、"
    "パスワードは受付でお尋ねください。",
    "詳しくは市のホームページ https://www.city.example.lg.jp/kosodate/ をご覧いただくか、"
    "窓口までお問い合わせください。",
    "ただいまの待ち時間は約15分です。番号札をお取りになり、"
    "お呼びするまでロビーでお待ちください。",
    "夏休みこども工作教室「ペットボトルでつくる風車」を開催します。対象は小学１〜３年生、"
    "定員20名、参加費300円です。",
    "落とし物・忘れ物は１階受付でお預かりしています。保管期間は３か月です。"
    "傘・タオル類は１か月で処分します。",
    "災害時には、この建物は指定避難所になります。非常口の場所と避難経路を、"
    "あらかじめご確認ください。",
    "「ちょっとした困りごと」を気軽に話せる、"
    "シニアのためのおしゃべりサロンを毎月第１金曜日に開いています。",
    "駐車場は台数に限りがあります（普通車42台、うち車いす使用者用２台）。"
    "できるだけ公共交通機関をご利用ください。",
    "乳幼児健診のお知らせ：対象のお子さんには、健診日の約１か月前に通知をお送りしています。"
    "母子健康手帳をお持ちください。",
    "図書コーナーの本は、おひとり５冊まで、２週間お借りいただけます。"
    "返却は閉館後も入口のブックポストへどうぞ。",
    "インフルエンザ予防接種の受付は10月1日（月）から始まります。費用は１回3,500円、"
    "65歳以上の方は1,500円です。",
    "{窓口|まどぐち}の受付時間は、平日8:30〜17:15です。"
    "土曜日・日曜日・祝日・年末年始（12月29日〜1月3日）はお休みです。",
    "ボランティア募集！ 読み聞かせや、おもちゃの修理、イベントのお手伝いなど、"
    "できることからで大丈夫です。",
    "お問い合わせ：こども家庭課 子育て支援係　電話 012-345-6789（平日９時〜17時）"
    "／メール kosodate@city.example.lg.jp",
    "令和６年４月から、ごみの分別ルールが一部変わります。プラスチック製容器包装は「プラ」"
    "マークのあるものが対象です。",
    "キッズスペースでは、靴を脱いでお上がりください。おむつ替えシートと授乳室は、"
    "キッズスペースの奥にあります。",
};
/* clang-format on */

static int corpus_add(bench_corpus *c, size_t *cap, const char *src, size_t len)
{
    size_t plain_len = 0;
    char *plain = text_markup_strip(src, len, &plain_len);
    if (!plain) {
        fprintf(stderr, "bench: out of memory stripping markup\n");
        return -1;
    }
    if (plain_len == 0) {
        free(plain);
        return 0;
    }
    if (c->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        char **t = realloc(c->text, ncap * sizeof(*t));
        if (!t) {
            free(plain);
            return -1;
        }
        c->text = t;
        size_t *l = realloc(c->len, ncap * sizeof(*l));
        if (!l) {
            free(plain);
            return -1;
        }
        c->len = l;
        *cap = ncap;
    }
    c->text[c->n] = plain;
    c->len[c->n] = plain_len;
    c->n++;
    return 0;
}

static int corpus_builtin(bench_corpus *c, size_t limit)
{
    size_t cap = 0;
    size_t count = sizeof(builtin_paragraphs) / sizeof(builtin_paragraphs[0]);
    for (size_t i = 0; i < count && (limit == 0 || c->n < limit); i++) {
        if (corpus_add(c, &cap, builtin_paragraphs[i], strlen(builtin_paragraphs[i])) < 0) {
            return -1;
        }
    }
    c->source = "built-in";
    return 0;
}

int bench_corpus_load(bench_corpus *c, const char *path, bool allow_builtin, size_t limit)
{
    memset(c, 0, sizeof(*c));
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT && allow_builtin) {
            fprintf(stderr, "bench: %s not found, using the built-in notices\n", path);
            return corpus_builtin(c, limit);
        }
        fprintf(stderr, "bench: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t line_cap = 0, cap = 0;
    ssize_t got;
    int rc = 0;
    while ((got = getline(&line, &line_cap, f)) >= 0 && (limit == 0 || c->n < limit)) {
        size_t len = (size_t)got;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            len--;
        }
        if (len == 0 || line[0] == '#') {
            continue;
        }
        if (corpus_add(c, &cap, line, len) < 0) {
            rc = -1;
            break;
        }
    }
    free(line);
    fclose(f);
    if (rc == 0 && c->n == 0) {
        fprintf(stderr, "bench: %s holds no paragraphs\n", path);
        rc = -1;
    }
    c->source = path;
    if (rc < 0) {
        bench_corpus_free(c);
    }
    return rc;
}

void bench_corpus_free(bench_corpus *c)
{
    if (!c) {
        return;
    }
    for (size_t i = 0; i < c->n; i++) {
        free(c->text[i]);
    }
    free(c->text);
    free(c->len);
    memset(c, 0, sizeof(*c));
}
