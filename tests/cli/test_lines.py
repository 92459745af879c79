#!/usr/bin/env python3
"""Contract of `hiroba-pack lines`: the output format, the properties of the
breaks (width, kinsoku, no text lost) over the corpus, --ruby, --font,
--repeat, and clear errors for bad input. Run by CTest with the binary's path."""
import os
import subprocess
import sys
import tempfile
import unittest

PACK = sys.argv.pop(1) if len(sys.argv) > 1 else "hiroba-pack"
SRC = os.environ.get("HIROBA_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BIZ = "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf"

NO_START = set("、。，．,.・：；？！:;?!‼⁇⁈⁉ー）〕］｝〉》」』】〙〗〟’”｠»)]}"
               "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ‥…ヽヾゝゞ々〻")
NO_END = set("（〔［｛〈《「『【〘〖〝‘“｟«([{")


def run(args, text, check=True):
    p = subprocess.run([PACK, "lines", *args], input=text.encode("utf-8") if isinstance(text, str) else text,
                       capture_output=True, timeout=240)
    if check and p.returncode != 0:
        raise AssertionError(f"exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p


def parse(stdout):
    rows = []
    for line in stdout.decode("utf-8").splitlines():
        parts = line.split("\t")
        assert len(parts) == 4, f"not 4 tab-separated fields: {line!r}"
        rows.append((int(parts[0]), int(parts[1]), int(parts[2]), parts[3]))
    return rows


def strip_ruby(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "{":
            j = s.find("}", i)
            inner = s[i + 1:j] if j > 0 else ""
            if j > 0 and inner.count("|") == 1 and "{" not in inner and all(inner.split("|")):
                out.append(inner.split("|")[0])
                i = j + 1
                continue
        out.append(s[i])
        i += 1
    return "".join(out)


def corpus():
    with open(os.path.join(SRC, "tests", "corpus", "ja.txt"), encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


class LinesContract(unittest.TestCase):
    def test_format_and_numbering(self):
        rows = parse(run(["--width", "200", "--size", "20"], "一行目の段落です。\n二つ目の段落はもう少し長く、折り返します。\n").stdout)
        self.assertEqual(rows[0][:2], (0, 0))
        paras = sorted({r[0] for r in rows})
        self.assertEqual(paras, [0, 1])
        for p in paras:
            nums = [r[1] for r in rows if r[0] == p]
            self.assertEqual(nums, list(range(len(nums))))
        self.assertGreater(len([r for r in rows if r[0] == 1]), 1)

    def test_corpus_properties(self):
        paras = corpus()
        text = "\n".join(paras) + "\n"
        for width, size in [(240, 20), (480, 24), (600, 32), (1000, 40)]:
            for ruby in ("on", "off"):
                rows = parse(run(["--width", str(width), "--size", str(size), "--ruby", ruby], text).stdout)
                by_para = {}
                for p, n, adv, t in rows:
                    by_para.setdefault(p, []).append((n, adv, t))
                self.assertEqual(sorted(by_para), list(range(len(paras))))
                for p, lines in by_para.items():
                    where = f"width {width} size {size} ruby {ruby} paragraph {p}"
                    for n, adv, t in lines:
                        self.assertLessEqual(adv, width, f"{where} line {n}: {t}")
                    for i, (n, adv, t) in enumerate(lines):
                        if i > 0 and t:
                            self.assertNotIn(t[0], NO_START, f"{where}: line {n} starts with {t[0]}: {t}")
                        if i < len(lines) - 1 and t:
                            self.assertNotIn(t[-1], NO_END, f"{where}: line {n} ends with {t[-1]}: {t}")
                    joined = "".join(t for _, _, t in lines)
                    want = strip_ruby(paras[p])
                    self.assertEqual(joined.replace(" ", ""), want.replace(" ", ""), where)

    def test_ruby_widens_and_is_removed(self):
        on = parse(run(["--width", "4000", "--size", "40", "--ruby", "on"], "あ{十|じゅう}日\n").stdout)
        off = parse(run(["--width", "4000", "--size", "40", "--ruby", "off"], "あ{十|じゅう}日\n").stdout)
        self.assertEqual(on[0][3], "あ十日")
        self.assertEqual(off[0][3], "あ十日")
        self.assertGreater(on[0][2], off[0][2])

    def test_font_option(self):
        rows = parse(run(["--width", "300", "--size", "20", "--font", BIZ], "フォント指定\n").stdout)
        self.assertEqual(rows[0][2], 120)
        p = run(["--width", "300", "--size", "20", "--font", "/nonexistent.ttf"], "x\n", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(b"nonexistent", p.stderr)
        with tempfile.NamedTemporaryFile(suffix=".ttf") as bad:
            bad.write(b"\0\1\0\0 definitely not a font" * 10)
            bad.flush()
            p = run(["--width", "300", "--size", "20", "--font", bad.name], "x\n", check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertLess(p.returncode, 128)

    def test_repeat_prints_time_and_same_output(self):
        text = "\n".join(corpus()[:10]) + "\n"
        once = run(["--width", "500", "--size", "24"], text)
        rep = run(["--width", "500", "--size", "24", "--repeat", "5"], text)
        self.assertEqual(once.stdout, rep.stdout)
        times = [l for l in rep.stderr.decode().splitlines() if l.startswith("layout_us=")]
        self.assertEqual(len(times), 1)
        self.assertGreater(int(times[0].split("=")[1]), 0)

    def test_bad_input_never_crashes(self):
        for data in [b"", b"\n\n", b"\xff\xfe\xfd\n", b"\xe3\x81\n", b"{|}\n{a|\n",
                     ("長" * 35000).encode() + b"\n", b"\x00abc\n"]:
            p = run(["--width", "300", "--size", "20"], data, check=False)
            self.assertEqual(p.returncode, 0, p.stderr)
            rows = parse(p.stdout)
            for _, _, adv, t in rows:
                self.assertLessEqual(adv, 300)
        p = run(["--width", "300", "--size", "20"], b"ok\xff\n", check=False)
        self.assertIn("\ufffd", p.stdout.decode())
        self.assertIn(b"invalid UTF-8", p.stderr)

    def test_bad_arguments(self):
        for args in [[], ["--width", "0", "--size", "20"], ["--width", "x", "--size", "20"],
                     ["--width", "100"], ["--width", "100", "--size", "20", "--ruby", "maybe"],
                     ["--width", "100", "--size", "20", "extra"]]:
            p = run(args, "x\n", check=False)
            self.assertEqual(p.returncode, 2, args)
            self.assertTrue(p.stderr, args)


if __name__ == "__main__":
    unittest.main(verbosity=2)
