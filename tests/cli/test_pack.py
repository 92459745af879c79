#!/usr/bin/env python3
"""Contract of hiroba-pack's publishing commands (keygen, build, sign, verify),
run as staff would run them, with the stock minisign on the other side of every
signature. Each test works in its own temporary folder on a small pack written
here: PNGs made with zlib, a JPEG and clips made with ffmpeg (make_clip.sh).
Run by CTest with the binary's path as the first argument."""
import hashlib
import json
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

PACK = sys.argv.pop(1) if len(sys.argv) > 1 else "hiroba-pack"
SRC = os.environ.get("HIROBA_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
MAKE_CLIP = os.path.join(SRC, "tests", "media", "make_clip.sh")
MINISIGN = shutil.which("minisign")
FFMPEG = os.environ.get("FFMPEG", "ffmpeg")

AT = "2026-11-24T10:00:00+09:00"         # every build is issued then (unless a test says)
EXPIRES = "2026-12-24T10:00:00+09:00"    # AT + the default 30 days
CHECK_AT = "2026-11-25T00:00:00+09:00"   # verify looks at the channel then
PASSWORD = "correct horse battery staple"

MEDIA = {}  # file name -> bytes, made once in setUpModule


# ---- media made here ------------------------------------------------------------------

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, rgb=(200, 40, 40), idat=None):
    """A minimal valid PNG (8-bit RGB, no filter), or one with the given IDAT payload."""
    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(rows) if idat is None else idat)
            + png_chunk(b"IEND", b""))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def setUpModule():
    global MEDIA_DIR
    MEDIA_DIR = tempfile.mkdtemp(prefix="hiroba-pack-media-")
    clip = os.path.join(MEDIA_DIR, "clip.mp4")
    audio = os.path.join(MEDIA_DIR, "audio.mp4")
    jpeg = os.path.join(MEDIA_DIR, "photo.jpg")
    subprocess.run(["sh", MAKE_CLIP, clip, "1", "160x120", "10"], check=True, timeout=120)
    subprocess.run(["sh", MAKE_CLIP, "--audio-only", audio, "1"], check=True, timeout=120)
    subprocess.run([FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc2=size=64x48", "-frames:v", "1", "-flags", "+bitexact",
                    "-fflags", "+bitexact", jpeg], check=True, timeout=120)
    for name, path in [("clip.mp4", clip), ("audio.mp4", audio), ("photo.jpg", jpeg)]:
        with open(path, "rb") as f:
            MEDIA[name] = f.read()
    MEDIA["logo.png"] = png(4, 3, (10, 120, 200))
    MEDIA["art/poster.png"] = png(16, 9)


def tearDownModule():
    shutil.rmtree(MEDIA_DIR, ignore_errors=True)


def base_doc():
    return {
        "format": 1,
        "facility": {"name": {"ja": "ひろば館", "en": "Hiroba Hall"}, "logo": "logo.png"},
        "items": [
            {"id": "poster", "type": "image", "file": "art/poster.png", "duration": 8},
            {"id": "photo", "type": "image", "file": "photo.jpg", "duration": 7.5},
            {"id": "notice", "type": "card", "title": {"ja": "お知らせ", "en": "Notice"},
             "body": {"ja": "{本日|ほんじつ}は{休館日|きゅうかんび}です。"},
             "image": "art/poster.png"},
            {"id": "clip", "type": "video", "file": "clip.mp4", "duration": 30},
        ],
        "playlists": [{"id": "main", "items": ["poster", "photo", "notice", "clip"]}],
        "schedule": [{"playlist": "main"}],
        "ticker": [{"text": {"ja": "ようこそ"}}],
    }


def base_files():
    return {name: MEDIA[name] for name in ("logo.png", "art/poster.png", "photo.jpg", "clip.mp4")}


def place(text, needle):
    """LINE:COLUMN (1-based, columns in characters) of the first needle in text."""
    i = text.index(needle)
    return f"{text.count(chr(10), 0, i) + 1}:{i - (text.rfind(chr(10), 0, i) + 1) + 1}"


def sorted_everywhere(pairs):
    keys = [k for k, _ in pairs]
    assert keys == sorted(keys), f"keys not sorted: {keys}"
    return dict(pairs)


class PackTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="hiroba-pack-test-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def pack(self, *args, ok=True, env=None, stdin=None):
        full_env = dict(os.environ)
        full_env.pop("HIROBA_KEY_PASSWORD", None)
        full_env.update(env or {})
        p = subprocess.run([PACK, *args], capture_output=True, text=True, env=full_env,
                           cwd=self.dir, timeout=240, input=stdin)
        if ok and p.returncode != 0:
            self.fail(f"hiroba-pack {' '.join(args)}: exit {p.returncode}\n{p.stdout}{p.stderr}")
        return p

    def source(self, name="src", doc=None, files=None):
        """Writes a pack source; files maps names to bytes, None (leave out) or "DIR"."""
        root = self.path(name)
        os.makedirs(root)
        text = json.dumps(base_doc() if doc is None else doc, ensure_ascii=False, indent=2) + "\n"
        with open(os.path.join(root, "pack.json"), "w", encoding="utf-8") as f:
            f.write(text)
        for fname, data in (base_files() if files is None else files).items():
            target = os.path.join(root, fname)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if data == "DIR":
                os.makedirs(target)
            elif data is not None:
                with open(target, "wb") as f:
                    f.write(data)
        return root, text

    def build(self, src="src", out="pub", channel="lobby", *extra, ok=True):
        return self.pack("build", src, "--channel", channel, "--out", out, "--at", AT, *extra,
                         ok=ok)

    def keygen(self, name="staff"):
        p = self.pack("keygen", "--out", name)
        key_id = re.search(r"^key id: ([0-9A-F]{16})$", p.stdout, re.M).group(1)
        return name + ".pub", name + ".key", key_id

    def manifest_path(self, out="pub", channel="lobby", suffix=""):
        return self.path(out, "channels", channel, "manifest.json" + suffix)

    def manifest(self, out="pub", channel="lobby"):
        with open(self.manifest_path(out, channel), encoding="utf-8") as f:
            return json.load(f, object_pairs_hook=sorted_everywhere)

    def object_path(self, sha, out="pub"):
        return self.path(out, "objects", sha[:2], sha)

    def tree(self, root):
        found = {}
        for dirpath, _, names in os.walk(root):
            for n in names:
                p = os.path.join(dirpath, n)
                with open(p, "rb") as f:
                    found[os.path.relpath(p, root)] = f.read()
        return found

    def published(self):
        """A signed channel: source, build at AT, key, sign. Returns (pub, key, key_id)."""
        self.source()
        self.build()
        pub, key, key_id = self.keygen()
        self.pack("sign", "pub", "--channel", "lobby", "--key", key)
        return pub, key, key_id

    def verify(self, *args, pubs=("staff.pub",), at=CHECK_AT):
        keys = [a for p in pubs for a in ("--pub", p)]
        when = ["--at", at] if at else []
        return self.pack("verify", "pub", "--channel", "lobby", *keys, *when, *args, ok=False)

    def need_minisign(self):
        if not MINISIGN:
            self.skipTest("the stock minisign is not installed (apt-get install minisign)")

    def minisign(self, *args, stdin=None, ok=True):
        p = subprocess.run([MINISIGN, *args], capture_output=True, text=True, cwd=self.dir,
                           timeout=120, input=stdin if stdin is not None else "")
        if ok and p.returncode != 0:
            self.fail(f"minisign {' '.join(args)}: exit {p.returncode}\n{p.stdout}{p.stderr}")
        return p


# ---- keygen ---------------------------------------------------------------------------

class Keygen(PackTest):
    def test_files_modes_and_output(self):
        p = self.pack("keygen", "--out", "staff")
        key_id = re.search(r"^key id: ([0-9A-F]{16})$", p.stdout, re.M).group(1)
        public = re.search(r"^public key: (\S+)$", p.stdout, re.M).group(1)
        with open(self.path("staff.pub")) as f:
            lines = f.read().splitlines()
        self.assertTrue(lines[0].startswith("untrusted comment: "))
        self.assertEqual(lines[1], public)
        self.assertEqual(len(public), 56)
        self.assertEqual(stat.S_IMODE(os.stat(self.path("staff.key")).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(self.path("staff.pub")).st_mode), 0o644)
        self.assertIn("unencrypted", p.stdout)
        other = self.pack("keygen", "--out", "other").stdout
        self.assertNotIn(key_id, other)

    def test_refuses_to_overwrite_without_force(self):
        self.pack("keygen", "--out", "staff")
        before = self.tree(self.dir)
        p = self.pack("keygen", "--out", "staff", ok=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("already exists", p.stderr)
        self.assertIn("--force", p.stderr)
        self.assertEqual(self.tree(self.dir), before)
        self.pack("keygen", "--out", "staff", "--force")
        self.assertNotEqual(self.tree(self.dir)["staff.pub"], before["staff.pub"])

    def test_stock_minisign_signs_with_our_key(self):
        self.need_minisign()
        self.keygen()
        with open(self.path("note.txt"), "w") as f:
            f.write("お知らせ\n")
        self.minisign("-Sm", "note.txt", "-s", "staff.key")
        p = self.minisign("-Vm", "note.txt", "-p", "staff.pub")
        self.assertIn("Signature and comment signature verified", p.stdout)
        with open(self.path("note.txt"), "a") as f:
            f.write("x")
        p = self.minisign("-Vm", "note.txt", "-p", "staff.pub", ok=False)
        self.assertNotEqual(p.returncode, 0)

    def test_password_protected_key(self):
        """Encrypted like minisign's own keys: each step derives the key with scrypt (~1 GiB)."""
        self.source()
        self.build()
        p = self.pack("keygen", "--out", "staff", env={"HIROBA_KEY_PASSWORD": PASSWORD})
        self.assertIn("password-protected", p.stdout)
        p = self.pack("sign", "pub", "--channel", "lobby", "--key", "staff.key", ok=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("a password is needed", p.stderr)
        with open(self.path("password.txt"), "w") as f:
            f.write(PASSWORD + "\n")  # an editor's final newline is not part of it
        self.pack("sign", "pub", "--channel", "lobby", "--key", "staff.key",
                  "--password-file", "password.txt")
        self.assertEqual(self.verify().returncode, 0)
        p = self.pack("sign", "pub", "--channel", "lobby", "--key", "staff.key",
                      env={"HIROBA_KEY_PASSWORD": "not it"}, ok=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("wrong password", p.stderr)
        if MINISIGN:
            self.minisign("-Sm", "pub/channels/lobby/manifest.json", "-s", "staff.key",
                          stdin=PASSWORD + "\n")
            self.assertEqual(self.verify().returncode, 0)

    def test_bad_arguments(self):
        with open(self.path("empty-password"), "w") as f:
            f.write("\n")
        for args in [[], ["--out"], ["--out", "k", "extra"], ["--bogus"],
                     ["--out", "k", "--password-file", "empty-password"],
                     ["--out", "k", "--password-file", "missing-file"]]:
            p = self.pack("keygen", *args, ok=False)
            self.assertEqual(p.returncode, 2, args)
            self.assertTrue(p.stderr, args)
        self.assertFalse(os.path.exists(self.path("k.key")))


# ---- build ----------------------------------------------------------------------------

class Build(PackTest):
    def test_happy_path(self):
        _, text = self.source()
        p = self.build()
        files = base_files()
        total = sum(len(d) for d in files.values())
        self.assertEqual(p.stdout.splitlines()[0],
                         f"built channel lobby version 1: 4 objects (4 new), {total} bytes "
                         f"({total} new)")
        self.assertIn(f"issued {AT}, expires {EXPIRES}", p.stdout)
        m = self.manifest()  # keys sorted at every level, or this fails
        self.assertEqual(m["channel"], "lobby")
        self.assertEqual(m["version"], 1)
        self.assertEqual(m["issued"], AT)
        self.assertEqual(m["expires"], EXPIRES)
        self.assertEqual(m["objects"], {n: {"sha256": sha256(d), "size": len(d)}
                                        for n, d in files.items()})
        rest = {k: v for k, v in m.items()
                if k not in ("channel", "version", "issued", "expires", "objects")}
        self.assertEqual(rest, json.loads(text))
        with open(self.manifest_path(), "rb") as f:
            self.assertTrue(f.read().endswith(b"}\n"))
        published = self.tree(self.path("pub"))
        want = {os.path.join("objects", sha256(d)[:2], sha256(d)): d for d in files.values()}
        want[os.path.join("channels", "lobby", "manifest.json")] = published.get(
            os.path.join("channels", "lobby", "manifest.json"))
        self.assertEqual(published, want)  # nothing else: no tmp/, no stray files
        self.assertEqual(sorted(os.listdir(self.path("pub"))), ["channels", "objects"])

    def test_valid_days_and_time_zone(self):
        self.source()
        self.pack("build", "src", "--channel", "lobby", "--out", "pub",
                  "--at", "2026-11-24T01:00:00Z", "--valid-days", "7")
        m = self.manifest()
        self.assertEqual(m["issued"], "2026-11-24T10:00:00+09:00")
        self.assertEqual(m["expires"], "2026-12-01T10:00:00+09:00")

    def test_versions_only_go_up(self):
        self.source()
        self.build()
        p = self.build()
        self.assertIn("version 2: 4 objects (0 new)", p.stdout)
        self.assertEqual(self.manifest()["version"], 2)
        self.build("src", "pub", "lobby", "--version", "10")
        self.assertEqual(self.manifest()["version"], 10)
        self.build()
        self.assertEqual(self.manifest()["version"], 11)
        for version, why in [("11", "is not above version 11"), ("3", "is not above version 11"),
                             ("100012", "jumps more than 100000 above version 11")]:
            p = self.build("src", "pub", "lobby", "--version", version, ok=False)
            self.assertEqual(p.returncode, 1, version)
            self.assertIn(f"--version {version} {why}", p.stderr)
            self.assertEqual(self.manifest()["version"], 11)
        self.build("src", "pub", "lobby", "--version", "100011")
        self.assertEqual(self.manifest()["version"], 100011)
        self.build("src", "pub", "other")  # channels count their versions apart
        self.assertEqual(self.manifest(channel="other")["version"], 1)

    def test_same_source_same_objects(self):
        self.source("src")
        shutil.copytree(self.path("src"), self.path("copy", "of", "src"))
        self.build("src", "pub1")
        self.pack("build", "copy/of/src", "--channel", "hall", "--out", "pub2",
                  "--at", "2027-01-01T00:00:00Z", "--valid-days", "3")
        objects1 = self.tree(self.path("pub1", "objects"))
        self.assertEqual(len(objects1), 4)
        self.assertEqual(objects1, self.tree(self.path("pub2", "objects")))
        self.assertEqual(self.manifest("pub1")["objects"], self.manifest("pub2", "hall")["objects"])

    def test_build_removes_the_old_signature(self):
        self.published()
        self.assertTrue(os.path.exists(self.manifest_path(suffix=".minisig")))
        p = self.build()
        self.assertIn("removed the signature of version 1", p.stdout)
        self.assertIn("next: hiroba-pack sign", p.stdout)
        self.assertFalse(os.path.exists(self.manifest_path(suffix=".minisig")))
        self.assertEqual(self.verify().stdout.splitlines(),
                         ["manifest.json.minisig: missing: the manifest is not signed "
                          "(hiroba-pack sign)"])

    def test_unreadable_published_manifest_stops_the_build(self):
        self.source()
        os.makedirs(self.path("pub", "channels", "lobby"))
        with open(self.manifest_path(), "w") as f:
            f.write("{ not json")
        p = self.build(ok=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("cannot tell which version is published", p.stderr)
        with open(self.manifest_path()) as f:
            self.assertEqual(f.read(), "{ not json")

    def test_no_pack_json(self):
        os.makedirs(self.path("src"))
        p = self.build(ok=False)
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stderr, r"src/pack\.json: cannot read it: No such file")
        self.assertFalse(os.path.exists(self.path("pub")))

    def test_bad_arguments(self):
        self.source()
        for args in [[], ["src"], ["src", "--channel", "lobby"], ["src", "--out", "pub"],
                     ["src", "--channel", "../up", "--out", "pub"],
                     ["src", "--channel", "Lobby", "--out", "pub"],
                     ["src", "--channel", "lobby", "--out", "pub", "--valid-days", "0"],
                     ["src", "--channel", "lobby", "--out", "pub", "--version", "0"],
                     ["src", "--channel", "lobby", "--out", "pub", "--at", "tomorrow"],
                     ["src", "--channel", "lobby", "--out", "pub", "--at", "2026-11-24T10:00:00"],
                     ["src", "--channel", "lobby", "--out", "pub", "extra"]]:
            p = self.pack("build", *args, ok=False)
            self.assertEqual(p.returncode, 2, args)
            self.assertTrue(p.stderr, args)
        self.assertFalse(os.path.exists(self.path("pub")))


def set_item(i, key, value):
    return lambda doc, files: doc["items"][i].__setitem__(key, value)


def set_file(name, data):
    return lambda doc, files: files.__setitem__(name, data)


# (what, change to the source, JSON path, text the place starts with, message)
BROKEN_SOURCES = [
    ("missing media", set_item(0, "file", "art/missing.png"), "items[0].file",
     '"art/missing.png"', '"art/missing.png": no such file in the pack folder'),
    ("unsupported extension", set_item(0, "file", "art/poster.gif"), "items[0].file",
     '"art/poster.gif"', 'unsupported image type ".gif" (use .png, .jpg or .jpeg)'),
    ("PNG named .jpg", set_file("photo.jpg", png(2, 2)), "items[1].file", '"photo.jpg"',
     '"photo.jpg": a PNG image named .jpg; rename it to .png'),
    ("JPEG named .png, used twice: told at the first use",
     lambda d, f: f.__setitem__("art/poster.png", MEDIA["photo.jpg"]), "items[0].file",
     '"art/poster.png"', '"art/poster.png": a JPEG image named .png; rename it to .jpg'),
    ("GIF named .png", set_file("logo.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
     "facility.logo", '"logo.png"', '"logo.png": unsupported image format (GIF); use PNG or JPEG'),
    ("not an image at all", set_file("logo.png", b"hello, world\n"), "facility.logo",
     '"logo.png"', '"logo.png": unsupported image format (not PNG or JPEG)'),
    ("corrupt PNG", set_file("art/poster.png", png(16, 9, idat=b"not zlib data")),
     "items[0].file", '"art/poster.png"',
     '"art/poster.png": damaged PNG: IDAT: incorrect header check'),
    ("PNG cut short", lambda d, f: f.__setitem__("art/poster.png", png(16, 9)[:-20]),
     "items[0].file", '"art/poster.png"',
     '"art/poster.png": damaged PNG: IDAT: incorrect data check'),
    ("JPEG cut short", lambda d, f: f.__setitem__("photo.jpg", MEDIA["photo.jpg"][:-300]),
     "items[1].file", '"photo.jpg"', '"photo.jpg": damaged JPEG (cut short: no end marker)'),
    ("image too large", set_file("art/poster.png", png(9000, 1)), "items[0].file",
     '"art/poster.png"', '"art/poster.png": 9000x1 pixels; images may be at most 8192x8192'),
    ("empty file", set_file("logo.png", b""), "facility.logo", '"logo.png"', '"logo.png" is empty'),
    ("a folder where a file should be", set_file("photo.jpg", "DIR"), "items[1].file",
     '"photo.jpg"', '"photo.jpg" is a folder, not a file'),
    ("an .mp4 that is not a video", set_file("clip.mp4", b"not a video\n" * 100),
     "items[3].file", '"clip.mp4"',
     '"clip.mp4": libvlc cannot open it (not a video file, or damaged)'),
    ("a clip with sound but no picture", lambda d, f: f.__setitem__("clip.mp4", MEDIA["audio.mp4"]),
     "items[3].file", '"clip.mp4"', '"clip.mp4": no video track (audio only)'),
    ("unknown key, with a suggestion", set_item(0, "duraton", 8), "items[0].duraton",
     '"duraton"', 'unknown key (did you mean "duration"?)'),
    ("duration that is not a number", set_item(0, "duration", "ten"), "items[0].duration",
     '"ten"', "expected a number of seconds"),
    ("schedule with no such date", set_item(0, "schedule", {"from": "2026-13-01"}),
     "items[0].schedule.from", '"2026-13-01"', 'not a calendar date: "2026-13-01" (no month 13)'),
    ("schedule with no such weekday", set_item(0, "schedule", {"weekdays": ["funday"]}),
     "items[0].schedule.weekdays[0]", '"funday"',
     'unknown weekday "funday" (mon tue wed thu fri sat sun)'),
    ("a manifest key in a source", lambda d, f: d.__setitem__("version", 3), "version",
     '"version"', "only allowed in a published manifest (hiroba-pack build adds it)"),
]


class BrokenSources(PackTest):
    def test_each_problem_at_its_place(self):
        for n, (what, change, path, at, message) in enumerate(BROKEN_SOURCES):
            with self.subTest(what):
                doc, files = base_doc(), base_files()
                change(doc, files)
                name = f"src-{n}"
                _, text = self.source(name, doc, files)
                p = self.build(name, "pub-" + name, ok=False)
                self.assertEqual(p.returncode, 1, p.stdout)
                self.assertEqual(p.stderr.splitlines(), [
                    f"pack.json:{place(text, at)}: {path}: {message}",
                    f"hiroba-pack build: 1 problem in {name}: nothing was published"])
                self.assertFalse(os.path.exists(self.path("pub-" + name)))

    def test_all_problems_at_once_in_file_order(self):
        files = base_files()
        files["clip.mp4"] = b"not a video"
        files["logo.png"] = None
        files["art/poster.png"] = png(16, 9, idat=b"xx")
        _, text = self.source(files=files)
        p = self.build(ok=False)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr.splitlines(), [
            f'pack.json:{place(text, chr(34) + "logo.png")}: facility.logo: "logo.png": no such '
            "file in the pack folder",
            f'pack.json:{place(text, chr(34) + "art/poster.png")}: items[0].file: '
            '"art/poster.png": damaged PNG: IDAT: incorrect header check',
            f'pack.json:{place(text, chr(34) + "clip.mp4")}: items[3].file: "clip.mp4": libvlc '
            "cannot open it (not a video file, or damaged)",
            "hiroba-pack build: 3 problems in src: nothing was published"])


# ---- sign and verify ------------------------------------------------------------------

class SignVerify(PackTest):
    def test_sign_and_verify(self):
        self.source()
        self.pack("build", "src", "--channel", "lobby", "--out", "pub")  # issued now
        pub, key, key_id = self.keygen()
        p = self.pack("sign", "pub", "--channel", "lobby", "--key", key)
        self.assertEqual(p.stdout.splitlines()[0],
                         f"signed channel lobby version 1 with key {key_id}")
        with open(self.manifest_path(suffix=".minisig")) as f:
            sig = f.read().splitlines()
        self.assertEqual(len(sig), 4)
        self.assertEqual(sig[2], "trusted comment: hiroba channel=lobby version=1")
        p = self.verify(at=None)  # now: the manifest was issued now, for 30 days
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertEqual(len(p.stdout.splitlines()), 1)
        total = sum(len(d) for d in base_files().values())
        self.assertTrue(p.stdout.startswith(
            f"ok: channel lobby version 1, signed by key {key_id}, 4 objects ({total} bytes), "
            "expires "), p.stdout)
        if MINISIGN:
            p = self.minisign("-Vm", "pub/channels/lobby/manifest.json", "-p", pub)
            self.assertIn("Trusted comment: hiroba channel=lobby version=1", p.stdout)

    def test_stock_minisign_keys_and_signatures(self):
        self.need_minisign()
        self.source()
        self.build()
        self.minisign("-G", "-W", "-p", "stock.pub", "-s", "stock.key")
        manifest = "pub/channels/lobby/manifest.json"
        for flags in (["-S"], ["-S", "-l"]):  # prehashed (the default) and legacy
            self.minisign(*flags, "-m", manifest, "-s", "stock.key")
            p = self.verify(pubs=("stock.pub",))
            self.assertEqual(p.returncode, 0, f"{flags}: {p.stdout}")
        self.pack("sign", "pub", "--channel", "lobby", "--key", "stock.key")
        self.minisign("-Vm", manifest, "-p", "stock.pub")
        self.assertEqual(self.verify(pubs=("stock.pub",)).returncode, 0)

    def test_several_trusted_keys(self):
        _, _, key_id = self.published()
        self.keygen("next")
        p = self.verify(pubs=("next.pub", "staff.pub"))
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertIn(f"signed by key {key_id}", p.stdout)

    def test_expiry_boundary(self):
        self.published()
        self.assertEqual(self.verify(at="2026-12-24T09:59:59+09:00").returncode, 0)
        self.assertEqual(self.verify(at="2026-12-24T01:00:00Z").stdout.splitlines(),
                         [f"manifest.json: expired at {EXPIRES}"])

    def test_sign_refuses_what_a_kiosk_would_reject(self):
        self.source()
        _, key, _ = self.keygen()
        p = self.pack("sign", "pub", "--channel", "lobby", "--key", key, ok=False)
        self.assertEqual(p.returncode, 1)  # nothing built yet
        self.build()
        self.build("src", "pub", "other")
        shutil.copy(self.manifest_path(channel="other"), self.manifest_path())
        p = self.pack("sign", "pub", "--channel", "lobby", "--key", key, ok=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("is for channel 'other', not 'lobby'", p.stderr)
        self.build()
        sha = sha256(MEDIA["photo.jpg"])
        os.remove(self.object_path(sha))
        p = self.pack("sign", "pub", "--channel", "lobby", "--key", key, ok=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(f"objects/{sha[:2]}/{sha}: missing (photo.jpg)", p.stderr)
        self.assertFalse(os.path.exists(self.manifest_path(suffix=".minisig")))

    def test_bad_arguments(self):
        self.published()
        for cmd, args in [("sign", ["pub", "--channel", "lobby"]),
                          ("sign", ["--channel", "lobby", "--key", "staff.key"]),
                          ("sign", ["pub", "--channel", "../x", "--key", "staff.key"]),
                          ("verify", ["pub", "--channel", "lobby"]),
                          ("verify", ["pub", "--channel", "lobby", "--pub", "missing.pub"]),
                          ("verify", ["pub", "--channel", "lobby", "--pub", "staff.key"]),
                          ("verify", ["pub", "--channel", "lobby", "--pub", "staff.pub",
                                      "--at", "soon"]),
                          ("verify", ["pub", "--channel", "lobby", "--pub", "staff.pub",
                                      "--min-version", "-1"])]:
            p = self.pack(cmd, *args, ok=False)
            self.assertEqual(p.returncode, 2, [cmd, *args])
            self.assertTrue(p.stderr, [cmd, *args])


def flip_byte(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0x01]))


class VerifyRejects(PackTest):
    """Each case: a freshly built and signed channel, one change, and the one line (or
    lines) verify must print for it, exit 1."""

    def expect(self, lines, *args, **kw):
        p = self.verify(*args, **kw)
        self.assertEqual(p.stdout.splitlines(), lines)
        self.assertEqual(p.returncode, 1)

    def test_untouched_channel_passes(self):
        self.published()
        p = self.verify()
        self.assertEqual(p.returncode, 0, p.stdout)

    def test_tampered_manifest(self):
        _, _, key_id = self.published()
        with open(self.manifest_path(), "rb") as f:
            data = f.read()
        self.assertEqual(data.count(b'"duration": 8,'), 1)
        with open(self.manifest_path(), "wb") as f:
            f.write(data.replace(b'"duration": 8,', b'"duration": 9,'))  # one byte
        self.expect(["manifest.json: signature: bad-signature: the signature does not match the "
                     f"data (prehashed signature by key {key_id}): the data or the signature was "
                     "altered"])

    def test_tampered_object(self):
        self.published()
        sha = sha256(MEDIA["art/poster.png"])
        flip_byte(self.object_path(sha), 30)
        with open(self.object_path(sha), "rb") as f:
            now = sha256(f.read())
        self.expect([f"objects/{sha[:2]}/{sha}: content does not match its sha256 (it hashes to "
                     f"{now[:16]}…) (art/poster.png)"])

    def test_truncated_object(self):
        self.published()
        clip = MEDIA["clip.mp4"]
        sha = sha256(clip)
        os.truncate(self.object_path(sha), len(clip) - 100)
        self.expect([f"objects/{sha[:2]}/{sha}: size {len(clip) - 100}, manifest says "
                     f"{len(clip)} (clip.mp4)"])

    def test_object_with_extra_data(self):
        self.published()
        sha = sha256(MEDIA["logo.png"])
        with open(self.object_path(sha), "ab") as f:
            f.write(b"EXTRA")
        self.expect([f"objects/{sha[:2]}/{sha}: size {len(MEDIA['logo.png']) + 5}, manifest says "
                     f"{len(MEDIA['logo.png'])} (logo.png)"])

    def test_missing_object(self):
        self.published()
        sha = sha256(MEDIA["photo.jpg"])
        os.remove(self.object_path(sha))
        self.expect([f"objects/{sha[:2]}/{sha}: missing (photo.jpg)"])

    def test_wrong_key(self):
        _, _, key_id = self.published()
        _, _, other_id = self.keygen("other")
        self.expect([f"manifest.json: signature: unknown-key: signed by key {key_id}, which is "
                     f"not trusted (trusted: {other_id})"], pubs=("other.pub",))

    def test_expired(self):
        self.published()
        self.expect([f"manifest.json: expired at {EXPIRES}"], at="2027-01-01T00:00:00+09:00")

    def test_lower_version(self):
        self.published()
        for kiosk_has in ("5", "1"):
            self.expect([f"manifest.json: rollback: version 1 is not newer than trusted version "
                         f"{kiosk_has}"], "--min-version", kiosk_has)
        self.assertEqual(self.verify("--min-version", "0").returncode, 0)

    def test_manifest_of_another_channel(self):
        _, key, _ = self.published()
        self.build("src", "pub", "other")
        self.pack("sign", "pub", "--channel", "other", "--key", key)
        for suffix in ("", ".minisig"):
            shutil.copy(self.manifest_path(channel="other", suffix=suffix),
                        self.manifest_path(suffix=suffix))
        self.expect(["manifest.json: manifest is for channel 'other', not 'lobby'"])

    def test_signature_of_another_build(self):
        _, key, key_id = self.published()
        shutil.copy(self.manifest_path(suffix=".minisig"), self.path("v1.minisig"))
        self.build()
        self.pack("sign", "pub", "--channel", "lobby", "--key", key)
        shutil.copy(self.path("v1.minisig"), self.manifest_path(suffix=".minisig"))
        self.expect(["manifest.json: signature: bad-signature: the signature does not match the "
                     f"data (prehashed signature by key {key_id}): the data or the signature was "
                     "altered"])

    def test_altered_trusted_comment(self):
        _, _, key_id = self.published()
        with open(self.manifest_path(suffix=".minisig")) as f:
            lines = f.read().splitlines()
        lines[2] = lines[2].replace("version=1", "version=9")
        with open(self.manifest_path(suffix=".minisig"), "w") as f:
            f.write("\n".join(lines) + "\n")
        self.expect(["manifest.json: signature: bad-global-signature: line 3: the trusted "
                     f"comment does not match its signature: it was altered (key {key_id})"])

    def test_missing_signature(self):
        self.published()
        os.remove(self.manifest_path(suffix=".minisig"))
        self.expect(["manifest.json.minisig: missing: the manifest is not signed "
                     "(hiroba-pack sign)"])

    def test_signed_manifest_the_kiosk_cannot_read(self):
        self.need_minisign()
        self.published()
        with open(self.manifest_path(), encoding="utf-8") as f:
            text = f.read().replace("{\n", '{\n  "bogus": true,\n', 1)
        with open(self.manifest_path(), "w", encoding="utf-8") as f:
            f.write(text)
        self.minisign("-Sm", "pub/channels/lobby/manifest.json", "-s", "staff.key")
        self.expect([f"manifest.json:{place(text, chr(34) + 'bogus')}: bogus: unknown key"])

    def test_every_problem_on_its_own_line(self):
        self.published()
        sha = sha256(MEDIA["photo.jpg"])
        os.remove(self.object_path(sha))
        self.expect(["manifest.json: rollback: version 1 is not newer than trusted version 2",
                     f"manifest.json: expired at {EXPIRES}",
                     f"objects/{sha[:2]}/{sha}: missing (photo.jpg)"],
                    "--min-version", "2", at="2030-01-01T00:00:00Z")

    def test_no_manifest(self):
        self.keygen()
        self.expect(["manifest.json: cannot read it: No such file or directory"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
