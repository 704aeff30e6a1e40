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
 *   autopass-measure --serve
 *
 * --serve is the Slurm runner's form (docs/cluster.md): one helper per node
 * stays up for the whole session and takes one request after another on
 * stdin, so a run costs a pipe round trip, not a Slurm step. It first writes
 *   autopass-measure serve 1 node=NODE job=JOBID
 * (SLURMD_NODENAME and SLURM_JOB_ID, or the host name and 0), then for each
 * request
 *   run N\n  followed by N arguments, each  LEN\n<LEN bytes>
 * (the arguments of the first form; N <= MAX_ARGS, LEN <= MAX_ARG_BYTES)
 * answers
 *   report LEN\n<the report below>\n   or   error LEN\n<why>\n
 * and ends, exit 0, at the end of stdin; a request cut short or malformed
 * ends it with exit 2, unanswered.
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
#define MAX_ARGS (MAX_LIST * 4 + 64)
#define MAX_ARG_BYTES (1L << 20)
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

static int serving; /* --serve: errors are answered, not printed */
static char error_text[512];

static int usage(const char *why) {
  snprintf(error_text, sizeof error_text, "autopass-measure: %s", why);
  if (!serving)
    fprintf(stderr, "%s\n", error_text);
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

static void put_blob(FILE *out, const char *kind, const char *name, const char *path, long cap,
                     int tail) {
  struct stat st;
  FILE *f = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? fopen(path, "rb") : NULL;
  if (!f) {
    fprintf(out, "missing %s%s%s\n", kind, name ? " " : "", name ? name : "");
    return;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f), start = 0, len = size;
  if (len > cap) {
    len = cap;
    start = tail ? size - cap : 0;
  }
  fseek(f, start, SEEK_SET);
  fprintf(out, "blob %s%s%s %ld\n", kind, name ? " " : "", name ? name : "", len);
  char buf[65536];
  long left = len;
  while (left > 0) {
    size_t n = fread(buf, 1, left < (long)sizeof buf ? (size_t)left : sizeof buf, f);
    if (n == 0)
      break;
    fwrite(buf, 1, n, out);
    left -= (long)n;
  }
  for (; left > 0; --left) /* the file shrank: keep the frame's length */
    fputc(0, out);
  fputc('\n', out);
  fclose(f);
  if (size > cap && !tail)
    fprintf(out, "truncated %s%s%s\n", kind, name ? " " : "", name ? name : "");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  (void)remove(path); /* keep going; the session's rm -rf is the backstop */
  return 0;
}

/* The connection is gone: sshd closed the pipe that is our stdout (or,
 * serving, the coordinator closed our stdin: it sends nothing mid-run). */
static int connection_lost(void) {
  struct pollfd p[2] = {{1, 0, 0}, {0, 0, 0}};
  if (poll(p, 1, 0) == 1 && (p[0].revents & (POLLERR | POLLHUP)) != 0)
    return 1;
  return serving && poll(p + 1, 1, 0) == 1 && (p[1].revents & (POLLERR | POLLHUP)) != 0;
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

/* One run: 0 with the report written to out, 2 when it could not be set up
 * (error_text says why), 3 when the connection was lost mid-run. */
static int measure(const struct options *op, FILE *out) {
  struct options o = *op;
  if (mkdir(o.dir, 0700) != 0 || chdir(o.dir) != 0) {
    char why[400];
    snprintf(why, sizeof why, "cannot create %s: %s", o.dir, strerror(errno));
    return usage(why);
  }
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) {
    remove_dir(&o);
    return usage("pipe failed");
  }
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old);
  double start = now();
  pid_t pid = fork();
  if (pid < 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(pipefd[0]), close(pipefd[1]);
    remove_dir(&o);
    return usage("fork failed");
  }
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
    if (r < 0 && errno != EINTR) {
      sigprocmask(SIG_SETMASK, &old, NULL);
      close(pipefd[0]);
      remove_dir(&o);
      return usage("wait4 failed");
    }
    if (connection_lost()) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      remove_dir(&o);
      return 3; /* nobody reads a report any more */
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
  sigprocmask(SIG_SETMASK, &old, NULL);
  int exec_errno = 0;
  if (read(pipefd[0], &exec_errno, sizeof exec_errno) != (ssize_t)sizeof exec_errno)
    exec_errno = 0;
  close(pipefd[0]);
  fprintf(out, "autopass-measure 1\n");
  fprintf(out, "status exit=%d signal=%d timed_out=%d exec_errno=%d wall=%.9f user=%.6f sys=%.6f "
         "maxrss_kb=%ld disk_full=%d\n",
         WIFEXITED(status) ? WEXITSTATUS(status) : -1, WIFSIGNALED(status) ? WTERMSIG(status) : 0,
         timed_out, exec_errno, wall, (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6,
         (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6, (long)ru.ru_maxrss, disk_full());
  if (o.keep_stdout)
    put_blob(out, "stdout", NULL, "stdout", STDOUT_CAP, 0);
  put_blob(out, "stderr", NULL, "stderr", STDERR_TAIL, 1);
  for (int i = 0; i < o.nfiles; ++i)
    put_blob(out, "file", o.files[i], o.files[i], STDOUT_CAP, 0);
  fprintf(out, "end\n");
  remove_dir(&o);
  return 0;
}

/* Reads exactly n bytes from stdin; 0 at its end or on an error. */
static int read_exactly(char *buf, size_t n) { return fread(buf, 1, n, stdin) == n; }

/* Reads "WORD N\n" (or "N\n" for an empty WORD; 0 <= N <= max) from stdin;
 * -1 at the end or when malformed. */
static long read_header(const char *word, long max) {
  char line[64];
  if (!fgets(line, sizeof line, stdin))
    return -1;
  size_t w = strlen(word);
  char *end = NULL;
  if (strncmp(line, word, w) != 0 || (w > 0 && line[w] != ' '))
    return -1;
  const char *digits = line + (w > 0 ? w + 1 : 0);
  if (*digits < '0' || *digits > '9')
    return -1;
  long n = strtol(digits, &end, 10);
  return end && *end == '\n' && n <= max ? n : -1;
}

/* A frame ends with a newline after its LEN bytes: srun's slurmstepd passes
 * a task's output on line by line, and would hold a body that does not end
 * in one (an error's text) until the next frame. */
static int answer(const char *kind, const char *data, size_t len) {
  printf("%s %zu\n", kind, len);
  fwrite(data, 1, len, stdout);
  putchar('\n');
  return fflush(stdout) == 0 && !ferror(stdout);
}

static int serve(void) {
  serving = 1;
  char host[256] = "unknown";
  const char *node = getenv("SLURMD_NODENAME"), *job = getenv("SLURM_JOB_ID");
  if (!node && gethostname(host, sizeof host - 1) == 0)
    node = host;
  printf("autopass-measure serve 1 node=%s job=%s\n", node ? node : host, job ? job : "0");
  if (fflush(stdout) != 0)
    return 2;
  for (;;) {
    long argc = read_header("run", MAX_ARGS);
    if (argc < 0)
      return feof(stdin) ? 0 : usage("a malformed request");
    char **argv = calloc((size_t)argc + 2, sizeof *argv);
    if (!argv)
      return usage("out of memory");
    argv[0] = "autopass-measure";
    int ok = 1;
    for (long i = 1; ok && i <= argc; ++i) {
      long len = read_header("", MAX_ARG_BYTES);
      ok = len >= 0 && (argv[i] = malloc((size_t)len + 1)) != NULL &&
           read_exactly(argv[i], (size_t)len);
      if (ok)
        argv[i][len] = 0;
    }
    if (!ok) /* the coordinator went away mid-request, or sent garbage */
      return usage("a request cut short or malformed");
    struct options o;
    char *report = NULL;
    size_t report_len = 0;
    int rc = parse((int)argc + 1, argv, &o);
    if (rc == 0) {
      FILE *out = open_memstream(&report, &report_len);
      rc = out ? measure(&o, out) : usage("open_memstream failed");
      if (out)
        fclose(out);
    }
    int sent = rc == 3 ? 0
               : rc == 0 ? answer("report", report, report_len)
                         : answer("error", error_text, strlen(error_text));
    free(report);
    for (long i = 1; i <= argc; ++i)
      free(argv[i]);
    free(argv);
    if (!sent)
      return 2;
  }
}

int main(int argc, char **argv) {
  signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would make wait4 fail */
  if (argc == 2 && !strcmp(argv[1], "--serve"))
    return serve();
  struct options o;
  if (parse(argc, argv, &o) != 0)
    return 2;
  int rc = measure(&o, stdout);
  if (rc != 0)
    return 2;
  return fflush(stdout) == 0 ? 0 : 2;
}
