/* test_hiroba_cli: runs the real hiroba binary headless, as the project's
 * external checks do: screenshots of the asked size, clean exits on
 * signals, and clear non-zero exits (never a crash) on bad arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#ifndef HIROBA_BIN
#error "HIROBA_BIN must name the hiroba executable"
#endif
#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

#define MAX_ARGS 16

typedef struct run_result {
    bool exited;    /* false: killed by a signal (a crash) or timed out */
    int code;       /* exit status when exited */
    int signal;     /* the signal otherwise */
    char err[8192]; /* stderr */
    char out[2048]; /* stdout */
} run_result;

static void slurp(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Runs hiroba with args (NULL-terminated). signal_after_ms > 0 sends
 * SIGTERM that long after the window is up (its log line is seen), so the
 * signal tests the running loop, not start-up. Gives up after 60 s. */
static void run_hiroba(const char *const *args, int signal_after_ms, run_result *r)
{
    char err_path[4096], out_path[4096];
    snprintf(err_path, sizeof err_path, "%s/cli-stderr.txt", HIROBA_TEST_OUT_DIR);
    snprintf(out_path, sizeof out_path, "%s/cli-stdout.txt", HIROBA_TEST_OUT_DIR);
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)HIROBA_BIN;
    for (; args[argc - 1] && argc <= MAX_ARGS; argc++)
        argv[argc] = (char *)args[argc - 1];
    argv[argc] = NULL;

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (e < 0 || o < 0)
            _exit(127);
        dup2(e, 2);
        dup2(o, 1);
        execv(HIROBA_BIN, argv);
        _exit(127);
    }
    int status = 0;
    long waited = 0;
    bool signalled = false;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (signal_after_ms > 0 && !signalled && waited >= signal_after_ms) {
            slurp(err_path, r->err, sizeof r->err);
            if (strstr(r->err, "window:")) {
                kill(pid, SIGTERM);
                signalled = true;
            }
        }
        if (waited > 60000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fail_msg("hiroba did not finish within 60 s");
        }
        sleep_ms(10);
        waited += 10;
    }
    r->exited = WIFEXITED(status);
    r->code = r->exited ? WEXITSTATUS(status) : -1;
    r->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    slurp(err_path, r->err, sizeof r->err);
    slurp(out_path, r->out, sizeof r->out);
}

static void out_file(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", HIROBA_TEST_OUT_DIR, name);
}

static void assert_png_size(const char *path, int w, int h)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s)
        fail_msg("%s: %s", path, IMG_GetError());
    assert_int_equal(s->w, w);
    assert_int_equal(s->h, h);
    SDL_FreeSurface(s);
}

/* The contract the external checks use. */
static void test_screenshot(void **state)
{
    (void)state;
    char png[4096];
    out_file(png, sizeof png, "cli-640x360.png");
    remove(png);
    const char *args[] = {"--headless", "--size",  "640x360", "--screenshot",
                          png,          "--after", "0.2",     NULL};
    run_result r;
    run_hiroba(args, 0, &r);
    if (!r.exited || r.code != 0)
        fail_msg("exit %d signal %d: %s", r.code, r.signal, r.err);
    assert_png_size(png, 640, 360);
    char part[4200];
    snprintf(part, sizeof part, "%s.part", png);
    assert_int_equal(access(part, F_OK), -1); /* no temporary left behind */
}

/* Bad input: a non-zero exit with a message, never a crash. */
static void test_bad_arguments(void **state)
{
    (void)state;
    static const struct {
        const char *args[8];
        int code;
        const char *message;
    } cases[] = {
        {{"--headless", "--size", "0x0", "--screenshot", "x.png"}, 2, "--size"},
        {{"--headless", "--size", "abc", "--screenshot", "x.png"}, 2, "--size"},
        {{"--headless", "--size", "640x", "--screenshot", "x.png"}, 2, "--size"},
        {{"--headless", "--size", "99999x10"}, 2, "--size"},
        {{"--headless", "--size", "-640x360"}, 2, "--size"},
        {{"--headless", "--size"}, 2, "needs a value"},
        {{"--headless", "--size", "64x36", "--screenshot", "/nonexistent-dir/x.png"},
         2,
         "/nonexistent-dir"},
        {{"--headless", "--size", "64x36", "--screenshot", "/"}, 2, "directory"},
        {{"--headless", "--after", "-1"}, 2, "--after"},
        {{"--headless", "--after", "soon"}, 2, "--after"},
        {{"--headless", "--screenshot-every", "1"}, 2, "--screenshot-dir"},
        {{"--headless", "--screenshot-dir", "/nonexistent-dir"}, 2, "--screenshot-dir"},
        {{"--frobnicate"}, 2, "unknown argument"},
        {{"--headless", "--size", "64x36", "--clock", "yesterday", "--after", "0"}, 1, "clock"},
        {{"--headless", "--size", "64x36", "--fonts", "/nonexistent.ini", "--after", "0"},
         1,
         "fonts"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r;
        run_hiroba(cases[i].args, 0, &r);
        if (!r.exited || r.code != cases[i].code || !strstr(r.err, cases[i].message))
            fail_msg("case %zu (%s %s): exited %d code %d signal %d, stderr:\n%s", i,
                     cases[i].args[0], cases[i].args[1] ? cases[i].args[1] : "", r.exited, r.code,
                     r.signal, r.err);
    }
}

static void test_version_and_help(void **state)
{
    (void)state;
    run_result r;
    const char *version[] = {"--version", NULL};
    run_hiroba(version, 0, &r);
    assert_true(r.exited && r.code == 0);
    assert_non_null(strstr(r.out, "hiroba "));
    const char *help[] = {"--help", NULL};
    run_hiroba(help, 0, &r);
    assert_true(r.exited && r.code == 0);
    assert_non_null(strstr(r.out, "--screenshot"));
}

/* SIGTERM while running: a clean, prompt, successful shutdown. */
static void test_sigterm(void **state)
{
    (void)state;
    const char *args[] = {"--headless", "--size", "320x240", NULL};
    run_result r;
    Uint64 t0 = SDL_GetTicks64();
    run_hiroba(args, 1500, &r);
    if (!r.exited || r.code != 0)
        fail_msg("exit %d signal %d: %s", r.code, r.signal, r.err);
    assert_true(SDL_GetTicks64() - t0 < 10000);
    assert_non_null(strstr(r.err, "stopped"));
}

/* --screenshot-dir: numbered shots at the interval until --after. */
static void test_screenshot_dir(void **state)
{
    (void)state;
    char dir[4096];
    out_file(dir, sizeof dir, "cli-shots");
    mkdir(dir, 0755);
    char first[4200], third[4200], tenth[4200];
    snprintf(first, sizeof first, "%s/shot-0001.png", dir);
    snprintf(third, sizeof third, "%s/shot-0003.png", dir);
    snprintf(tenth, sizeof tenth, "%s/shot-0010.png", dir);
    remove(first);
    remove(third);
    remove(tenth);
    const char *args[] = {
        "--headless", "--size", "160x90", "--screenshot-dir", dir, "--screenshot-every", "0.3",
        "--after",    "1.0",    NULL};
    run_result r;
    run_hiroba(args, 0, &r);
    if (!r.exited || r.code != 0)
        fail_msg("exit %d signal %d: %s", r.code, r.signal, r.err);
    assert_png_size(first, 160, 90);
    assert_png_size(third, 160, 90);
    assert_int_equal(access(tenth, F_OK), -1);
}

static int teardown(void **state)
{
    (void)state;
    IMG_Quit();
    SDL_Quit();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screenshot),       cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_version_and_help), cmocka_unit_test(test_sigterm),
        cmocka_unit_test(test_screenshot_dir),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
