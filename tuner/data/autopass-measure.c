/*===- autopass-measure.c - Run a program once and report what it cost ----===*
 *
 * The measuring helper of the ssh runner (docs/remote-runners.md). The tuner
 * compiles this file for the target with the same clang and target flags as
 * the program, copies it to the remote scratch folder and starts it there
 * once per run:
 *
 *   autopass-measure [--dir DIR] [--stdin FILE] [--timeout SECONDS]
 *                    [--pin CPU] [--keep-stdout] [--file NAME]... [--env K=V]...
 *                    -- PROGRAM ARGS...
 *
 * It creates DIR (a fresh run directory, an absolute path), runs PROGRAM there with its own
 * stdin/stdout/stderr files, takes the wall time (CLOCK_MONOTONIC) and the
 * rusage of the child (wait4) on this machine, removes DIR and writes a
 * report to its stdout, which nothing else writes to:
 *
 *   autopass-measure 1
 *   status exit=N signal=N timed_out=0|1 exec_errno=N wall=S user=S sys=S maxrss_kb=N
 *          disk_full=0|1
 *   blob stdout LEN            (only with --keep-stdout; LEN bytes follow, then \n)
 *   blob stderr LEN            (the last 8 KiB)
 *   blob file NAME LEN | missing file NAME      (each --file, read from DIR)
 *   truncated stdout | truncated file NAME      (past the 64 MiB cap)
 *   end
 *
 * disk_full=1 says the file system of DIR had no free block after the run:
 * the program's output may be cut short, and the run says nothing about the
 * program. When the connection that started the helper goes away (its
 * stdout, a pipe to sshd, reports an error), the program's process group
 * is killed, so that an orphaned run never loads the host while it is
 * measured again. After the program exits, its process group is killed too:
 * nothing it left running competes with the next run.
 *
 * C with POSIX and Linux calls (pipe2, sched_setaffinity under __linux__),
 * which every Linux target's C library has. It exits 0 whenever it wrote a
 * report (the program's own failure is in the report), 2 on bad usage or
 * when DIR cannot be set up (the message is on stderr), and never 255, which
 * ssh keeps for its own failures.
 *
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_LIST 64
#define STDOUT_CAP (64L << 20)
#define STDERR_TAIL 8192L

struct options {
  const char *dir, *stdin_path;
  double timeout;
  int pin;
  int keep_stdout;
  const char *files[MAX_LIST];
  int nfiles;
  char *env[MAX_LIST];
  int nenv;
  char **argv;
};

static int usage(const char *why) {
  fprintf(stderr, "autopass-measure: %s\n", why);
  return 2;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int parse(int argc, char **argv, struct options *o) {
  memset(o, 0, sizeof *o);
  o->pin = -1;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    int has = i + 1 < argc;
    if (!strcmp(a, "--")) {
      if (!has)
        return usage("no program after --");
      o->argv = argv + i + 1;
      return o->dir ? 0 : usage("--dir is required");
    }
    if (!strcmp(a, "--keep-stdout")) {
      o->keep_stdout = 1;
      continue;
    }
    if (!has)
      return usage("an option lacks its value");
    const char *v = argv[++i];
    if (!strcmp(a, "--dir"))
      o->dir = v;
    else if (!strcmp(a, "--stdin"))
      o->stdin_path = v;
    else if (!strcmp(a, "--timeout"))
      o->timeout = strtod(v, NULL);
    else if (!strcmp(a, "--pin"))
      o->pin = atoi(v);
    else if (!strcmp(a, "--file") && o->nfiles < MAX_LIST)
      o->files[o->nfiles++] = v;
    else if (!strcmp(a, "--env") && o->nenv < MAX_LIST && strchr(v, '='))
      o->env[o->nenv++] = (char *)v;
    else
      return usage("unknown option, bad value or too many");
  }
  return usage("expected -- PROGRAM ARGS...");
}

/* In the child: the files, the environment, the CPU; then exec. A failure
 * is written to Report (errno) and the child exits 127. */
static void child(const struct options *o, int report) {
  int in = open(o->stdin_path ? o->stdin_path : "/dev/null", O_RDONLY);
  int out = open(o->keep_stdout ? "stdout" : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err = open("stderr", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
    goto fail;
  for (int i = 0; i < o->nenv; ++i)
    if (putenv(o->env[i]) != 0)
      goto fail;
#ifdef __linux__
  if (o->pin >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(o->pin, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
      goto fail;
  }
#endif
  /* execv, not execvp: execvp would hand a file it cannot execute (another
   * architecture's ELF) to /bin/sh instead of failing with ENOEXEC. */
  execv(o->argv[0], o->argv);
fail: {
  int e = errno;
  ssize_t w = write(report, &e, sizeof e);
  (void)w;
  _exit(127);
}
}

static void put_blob(const char *kind, const char *name, const char *path, long cap, int tail) {
  struct stat st;
  FILE *f = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? fopen(path, "rb") : NULL;
  if (!f) {
    printf("missing %s%s%s\n", kind, name ? " " : "", name ? name : "");
    return;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f), start = 0, len = size;
  if (len > cap) {
    len = cap;
    start = tail ? size - cap : 0;
  }
  fseek(f, start, SEEK_SET);
  printf("blob %s%s%s %ld\n", kind, name ? " " : "", name ? name : "", len);
  char buf[65536];
  long left = len;
  while (left > 0) {
    size_t n = fread(buf, 1, left < (long)sizeof buf ? (size_t)left : sizeof buf, f);
    if (n == 0)
      break;
    fwrite(buf, 1, n, stdout);
    left -= (long)n;
  }
  for (; left > 0; --left) /* the file shrank: keep the frame's length */
    putchar(0);
  putchar('\n');
  fclose(f);
  if (size > cap && !tail)
    printf("truncated %s%s%s\n", kind, name ? " " : "", name ? name : "");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  (void)remove(path); /* keep going; the session's rm -rf is the backstop */
  return 0;
}

/* The connection is gone: sshd closed the pipe that is our stdout. */
static int connection_lost(void) {
  struct pollfd p = {1, 0, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

static int disk_full(void) {
  struct statvfs v;
  return statvfs(".", &v) == 0 && v.f_bavail == 0;
}

/* The run directory and whatever the program wrote into it. */
static void remove_dir(const struct options *o) {
  if (chdir("/") == 0)
    nftw(o->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(int argc, char **argv) {
  struct options o;
  if (parse(argc, argv, &o) != 0)
    return 2;
  signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would make wait4 fail */
  if (mkdir(o.dir, 0700) != 0 || chdir(o.dir) != 0) {
    fprintf(stderr, "autopass-measure: cannot create %s: %s\n", o.dir, strerror(errno));
    return 2;
  }
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0)
    return usage("pipe failed");
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old);
  double start = now();
  pid_t pid = fork();
  if (pid < 0)
    return usage("fork failed");
  if (pid == 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    setpgid(0, 0);
    close(pipefd[0]);
    child(&o, pipefd[1]);
  }
  close(pipefd[1]);
  int status = 0, timed_out = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  for (;;) {
    pid_t r = wait4(pid, &status, WNOHANG, &ru);
    if (r == pid)
      break;
    if (r < 0 && errno != EINTR)
      return usage("wait4 failed");
    if (connection_lost()) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      remove_dir(&o);
      return 2; /* nobody reads a report any more */
    }
    double left = o.timeout > 0 ? start + o.timeout - now() : 1;
    if (o.timeout > 0 && left <= 0 && !timed_out) {
      timed_out = 1;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
    }
    /* At most a second between looks at the connection; never negative. */
    if (left > 1 || left < 0.01)
      left = left > 1 ? 1 : 0.01;
    struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
    sigtimedwait(&chld, NULL, &ts);
  }
  double wall = now() - start;
  kill(-pid, SIGKILL); /* whatever the program left running in its group */
  int exec_errno = 0;
  if (read(pipefd[0], &exec_errno, sizeof exec_errno) != (ssize_t)sizeof exec_errno)
    exec_errno = 0;
  printf("autopass-measure 1\n");
  printf("status exit=%d signal=%d timed_out=%d exec_errno=%d wall=%.9f user=%.6f sys=%.6f "
         "maxrss_kb=%ld disk_full=%d\n",
         WIFEXITED(status) ? WEXITSTATUS(status) : -1, WIFSIGNALED(status) ? WTERMSIG(status) : 0,
         timed_out, exec_errno, wall, (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6,
         (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6, (long)ru.ru_maxrss, disk_full());
  if (o.keep_stdout)
    put_blob("stdout", NULL, "stdout", STDOUT_CAP, 0);
  put_blob("stderr", NULL, "stderr", STDERR_TAIL, 1);
  for (int i = 0; i < o.nfiles; ++i)
    put_blob("file", o.files[i], o.files[i], STDOUT_CAP, 0);
  printf("end\n");
  remove_dir(&o);
  return fflush(stdout) == 0 ? 0 : 2;
}
