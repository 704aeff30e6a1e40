/* stackvm: a bytecode interpreter for a small stack machine.
 *
 * The benchmark assembles three programs into bytecode with a tiny assembler
 * (a prime sieve, Collatz chain lengths with a called subroutine, and a
 * randomly generated arithmetic kernel inside a counted loop) and runs them
 * on a switch-dispatched interpreter with a value stack, locals, a call stack
 * and a memory array. Values are 64-bit and wrap on overflow.
 * Usage: stackvm [SCALE]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
  OpHalt, OpPush, OpPop, OpDup, OpSwap, OpOver,
  OpLoad, OpStore, /* locals of the current frame */
  OpMemLoad, OpMemStore, /* the global memory array */
  OpAdd, OpSub, OpMul, OpDivU, OpModU, OpAnd, OpOr, OpXor, OpShl, OpShr,
  OpLtU, OpEq,
  OpJump, OpJumpIfZero, OpJumpIfNonZero,
  OpCall, OpRet,
  OpOut, /* folds the top of stack into the output digest */
} Opcode;

enum { NumLocals = 8, StackSize = 1024, CallDepth = 256 };

typedef struct {
  int32_t *Code;
  int Size;
  int Capacity;
} Program;

static void emit(Program *P, int32_t Word) {
  if (P->Size == P->Capacity) {
    P->Capacity = P->Capacity ? 2 * P->Capacity : 256;
    P->Code = realloc(P->Code, sizeof(int32_t) * (size_t)P->Capacity);
    if (!P->Code) {
      fprintf(stderr, "stackvm: out of memory\n");
      exit(1);
    }
  }
  P->Code[P->Size++] = Word;
}

static void op(Program *P, Opcode O) { emit(P, (int32_t)O); }
static void opArg(Program *P, Opcode O, int32_t Arg) {
  emit(P, (int32_t)O);
  emit(P, Arg);
}
/* Emits a jump with a placeholder target; returns the slot to patch. */
static int jumpForward(Program *P, Opcode O) {
  opArg(P, O, -1);
  return P->Size - 1;
}
static void patchHere(Program *P, int Slot) { P->Code[Slot] = P->Size; }

enum { MaxOutputs = 8 };

typedef struct {
  uint64_t Steps;
  uint64_t Digest;
  uint64_t Outputs[MaxOutputs]; /* the first values passed to OpOut */
  int NumOutputs;
  int Error;
} RunResult;

typedef struct {
  int ReturnPc;
  uint64_t Locals[NumLocals];
} Frame;

static RunResult run(const Program *P, uint64_t *Memory, size_t MemorySize) {
  uint64_t Stack[StackSize];
  Frame *Frames = malloc(sizeof(Frame) * CallDepth);
  RunResult R;
  memset(&R, 0, sizeof(R));
  R.Digest = 0xCBF29CE484222325ULL;
  if (!Frames) {
    R.Error = 1;
    return R;
  }
  int Sp = 0, Fp = 0, Pc = 0;
  memset(&Frames[0], 0, sizeof(Frame));
  const int32_t *Code = P->Code;

/* Every instruction checks the stack bounds it relies on, so unbalanced code
 * stops with an error code instead of corrupting memory. Jump targets are
 * trusted: the assembler below computes them. */
#define NEED(N)                                                                \
  if (Sp < (N)) {                                                              \
    R.Error = 2;                                                               \
    goto done;                                                                 \
  }
#define ROOM()                                                                 \
  if (Sp >= StackSize) {                                                       \
    R.Error = 3;                                                               \
    goto done;                                                                 \
  }
#define BINARY(EXPR)                                                           \
  NEED(2);                                                                     \
  {                                                                            \
    uint64_t B = Stack[--Sp], A = Stack[Sp - 1];                               \
    Stack[Sp - 1] = (EXPR);                                                    \
  }                                                                            \
  break;

  for (;;) {
    ++R.Steps;
    int32_t Instr = Code[Pc++];
    switch ((Opcode)Instr) {
    case OpHalt:
      goto done;
    case OpPush:
      ROOM();
      Stack[Sp++] = (uint64_t)(int64_t)Code[Pc++];
      break;
    case OpPop:
      NEED(1);
      --Sp;
      break;
    case OpDup:
      NEED(1);
      ROOM();
      Stack[Sp] = Stack[Sp - 1];
      ++Sp;
      break;
    case OpSwap: {
      NEED(2);
      uint64_t T = Stack[Sp - 1];
      Stack[Sp - 1] = Stack[Sp - 2];
      Stack[Sp - 2] = T;
      break;
    }
    case OpOver:
      NEED(2);
      ROOM();
      Stack[Sp] = Stack[Sp - 2];
      ++Sp;
      break;
    case OpLoad:
      ROOM();
      Stack[Sp++] = Frames[Fp].Locals[Code[Pc++] & (NumLocals - 1)];
      break;
    case OpStore:
      NEED(1);
      Frames[Fp].Locals[Code[Pc++] & (NumLocals - 1)] = Stack[--Sp];
      break;
    case OpMemLoad:
      NEED(1);
      Stack[Sp - 1] = Memory[Stack[Sp - 1] % MemorySize];
      break;
    case OpMemStore: /* ( value address -- ) */
      NEED(2);
      Memory[Stack[Sp - 1] % MemorySize] = Stack[Sp - 2];
      Sp -= 2;
      break;
    case OpAdd:
      BINARY(A + B)
    case OpSub:
      BINARY(A - B)
    case OpMul:
      BINARY(A * B)
    case OpDivU:
      BINARY(B ? A / B : 0)
    case OpModU:
      BINARY(B ? A % B : A)
    case OpAnd:
      BINARY(A & B)
    case OpOr:
      BINARY(A | B)
    case OpXor:
      BINARY(A ^ B)
    case OpShl:
      BINARY(A << (B & 63))
    case OpShr:
      BINARY(A >> (B & 63))
    case OpLtU:
      BINARY(A < B ? 1u : 0u)
    case OpEq:
      BINARY(A == B ? 1u : 0u)
    case OpJump:
      Pc = Code[Pc];
      break;
    case OpJumpIfZero:
      NEED(1);
      Pc = Stack[--Sp] == 0 ? Code[Pc] : Pc + 1;
      break;
    case OpJumpIfNonZero:
      NEED(1);
      Pc = Stack[--Sp] != 0 ? Code[Pc] : Pc + 1;
      break;
    case OpCall: /* arguments stay on the value stack */
      if (Fp + 1 >= CallDepth) {
        R.Error = 4;
        goto done;
      }
      ++Fp;
      Frames[Fp].ReturnPc = Pc + 1;
      memset(Frames[Fp].Locals, 0, sizeof(Frames[Fp].Locals));
      Pc = Code[Pc];
      break;
    case OpRet:
      if (Fp == 0) {
        R.Error = 5;
        goto done;
      }
      Pc = Frames[Fp--].ReturnPc;
      break;
    case OpOut:
      NEED(1);
      --Sp;
      if (R.NumOutputs < MaxOutputs)
        R.Outputs[R.NumOutputs++] = Stack[Sp];
      R.Digest = (R.Digest ^ Stack[Sp]) * 0x100000001B3ULL;
      break;
    default:
      R.Error = 6;
      goto done;
    }
  }
done:
#undef NEED
#undef ROOM
#undef BINARY
  free(Frames);
  return R;
}

/* Sieve of Eratosthenes over Memory[0, Limit); outputs the prime count and
 * the sum of the primes. Locals: 0 = i, 1 = j, 2 = count, 3 = sum. */
static void assembleSieve(Program *P, int32_t Limit) {
  /* Clear the flags (memory is reused across programs). */
  opArg(P, OpPush, 0);
  opArg(P, OpStore, 0);
  int ClearLoop = P->Size;
  opArg(P, OpPush, 0);
  opArg(P, OpLoad, 0);
  op(P, OpMemStore);
  opArg(P, OpLoad, 0);
  opArg(P, OpPush, 1);
  op(P, OpAdd);
  op(P, OpDup);
  opArg(P, OpStore, 0);
  opArg(P, OpPush, Limit);
  op(P, OpLtU);
  opArg(P, OpJumpIfNonZero, ClearLoop);

  opArg(P, OpPush, 2);
  opArg(P, OpStore, 0);
  int Outer = P->Size;
  opArg(P, OpLoad, 0);
  opArg(P, OpPush, Limit);
  op(P, OpLtU);
  int ExitOuter = jumpForward(P, OpJumpIfZero);
  opArg(P, OpLoad, 0);
  op(P, OpMemLoad);
  int Composite = jumpForward(P, OpJumpIfNonZero);
  /* i is prime: count it, add it, mark its multiples from i*i. */
  opArg(P, OpLoad, 2);
  opArg(P, OpPush, 1);
  op(P, OpAdd);
  opArg(P, OpStore, 2);
  opArg(P, OpLoad, 3);
  opArg(P, OpLoad, 0);
  op(P, OpAdd);
  opArg(P, OpStore, 3);
  opArg(P, OpLoad, 0);
  op(P, OpDup);
  op(P, OpMul);
  opArg(P, OpStore, 1);
  int Inner = P->Size;
  opArg(P, OpLoad, 1);
  opArg(P, OpPush, Limit);
  op(P, OpLtU);
  int ExitInner = jumpForward(P, OpJumpIfZero);
  opArg(P, OpPush, 1);
  opArg(P, OpLoad, 1);
  op(P, OpMemStore);
  opArg(P, OpLoad, 1);
  opArg(P, OpLoad, 0);
  op(P, OpAdd);
  opArg(P, OpStore, 1);
  opArg(P, OpJump, Inner);
  patchHere(P, ExitInner);
  patchHere(P, Composite);
  opArg(P, OpLoad, 0);
  opArg(P, OpPush, 1);
  op(P, OpAdd);
  opArg(P, OpStore, 0);
  opArg(P, OpJump, Outer);
  patchHere(P, ExitOuter);
  opArg(P, OpLoad, 2);
  op(P, OpOut);
  opArg(P, OpLoad, 3);
  op(P, OpOut);
  op(P, OpHalt);
}

/* For n in [1, Count): calls a subroutine computing the Collatz chain length
 * of n, outputs the longest chain and the total number of steps.
 * Main locals: 0 = n, 1 = best, 2 = total. Subroutine locals: 0 = x,
 * 1 = steps. */
static void assembleCollatz(Program *P, int32_t Count) {
  int CallMain = jumpForward(P, OpJump);

  int Subroutine = P->Size; /* ( n -- steps ) */
  opArg(P, OpStore, 0);
  int Loop = P->Size;
  opArg(P, OpLoad, 0);
  opArg(P, OpPush, 1);
  op(P, OpEq);
  int Finished = jumpForward(P, OpJumpIfNonZero);
  opArg(P, OpLoad, 1);
  opArg(P, OpPush, 1);
  op(P, OpAdd);
  opArg(P, OpStore, 1);
  opArg(P, OpLoad, 0);
  opArg(P, OpPush, 1);
  op(P, OpAnd);
  int Odd = jumpForward(P, OpJumpIfNonZero);
  opArg(P, OpLoad, 0);
  opArg(P, OpPush, 1);
  op(P, OpShr);
  opArg(P, OpStore, 0);
  opArg(P, OpJump, Loop);
  patchHere(P, Odd);
  opArg(P, OpLoad, 0);
  opArg(P, OpPush, 3);
  op(P, OpMul);
  opArg(P, OpPush, 1);
  op(P, OpAdd);
  opArg(P, OpStore, 0);
  opArg(P, OpJump, Loop);
  patchHere(P, Finished);
  opArg(P, OpLoad, 1);
  op(P, OpRet);

  patchHere(P, CallMain);
  opArg(P, OpPush, 1);
  opArg(P, OpStore, 0);
  int MainLoop = P->Size;
  opArg(P, OpLoad, 0);
  opArg(P, OpCall, Subroutine);
  op(P, OpDup);
  opArg(P, OpLoad, 2);
  op(P, OpAdd);
  opArg(P, OpStore, 2);
  /* best = max(best, steps) */
  op(P, OpDup);
  opArg(P, OpLoad, 1);
  op(P, OpSwap);
  op(P, OpLtU);
  int NotBetter = jumpForward(P, OpJumpIfZero);
  opArg(P, OpStore, 1);
  int Next = jumpForward(P, OpJump);
  patchHere(P, NotBetter);
  op(P, OpPop);
  patchHere(P, Next);
  opArg(P, OpLoad, 0);
  opArg(P, OpPush, 1);
  op(P, OpAdd);
  op(P, OpDup);
  opArg(P, OpStore, 0);
  opArg(P, OpPush, Count);
  op(P, OpLtU);
  opArg(P, OpJumpIfNonZero, MainLoop);
  opArg(P, OpLoad, 1);
  op(P, OpOut);
  opArg(P, OpLoad, 2);
  op(P, OpOut);
  op(P, OpHalt);
}

static uint64_t RngState = 0x6A09E667F3BCC908ULL;

static uint64_t nextRandom(void) {
  RngState ^= RngState >> 12;
  RngState ^= RngState << 25;
  RngState ^= RngState >> 27;
  return RngState * 0x2545F4914F6CDD1DULL;
}

/* Emits a random expression tree over locals 1..4 and small constants,
 * leaving exactly one value on the stack. */
static void emitRandomExpression(Program *P, int Depth) {
  if (Depth == 0 || nextRandom() % 4 == 0) {
    if (nextRandom() % 3 == 0)
      opArg(P, OpPush, (int32_t)(nextRandom() % 1000) + 1);
    else
      opArg(P, OpLoad, 1 + (int32_t)(nextRandom() % 4));
    return;
  }
  static const Opcode Binary[] = {OpAdd, OpSub, OpMul, OpXor,
                                  OpAnd, OpOr,  OpShr, OpModU};
  emitRandomExpression(P, Depth - 1);
  emitRandomExpression(P, Depth - 1);
  op(P, Binary[nextRandom() % (sizeof(Binary) / sizeof(Binary[0]))]);
}

/* A counted loop whose body updates locals 1..4 with generated expressions
 * and mixes them through memory; locals: 0 = counter, 5 = scratch. */
static void assembleRandomKernel(Program *P, int32_t Iterations) {
  for (int32_t L = 1; L <= 4; ++L) {
    opArg(P, OpPush, L * 7919);
    opArg(P, OpStore, L);
  }
  opArg(P, OpPush, 0);
  opArg(P, OpStore, 0);
  int Loop = P->Size;
  for (int32_t L = 1; L <= 4; ++L) {
    emitRandomExpression(P, 4);
    opArg(P, OpLoad, 0);
    op(P, OpAdd);
    opArg(P, OpStore, L);
  }
  /* memory[counter % 4096] ^= local1; local2 += memory[local3 % 4096] */
  opArg(P, OpLoad, 1);
  opArg(P, OpLoad, 0);
  opArg(P, OpPush, 4095);
  op(P, OpAnd);
  op(P, OpDup);
  op(P, OpMemLoad);
  op(P, OpSwap);
  opArg(P, OpStore, 5);
  op(P, OpXor);
  opArg(P, OpLoad, 5);
  op(P, OpMemStore);
  opArg(P, OpLoad, 3);
  opArg(P, OpPush, 4095);
  op(P, OpAnd);
  op(P, OpMemLoad);
  opArg(P, OpLoad, 2);
  op(P, OpAdd);
  opArg(P, OpStore, 2);

  opArg(P, OpLoad, 0);
  opArg(P, OpPush, 1);
  op(P, OpAdd);
  op(P, OpDup);
  opArg(P, OpStore, 0);
  opArg(P, OpPush, Iterations);
  op(P, OpLtU);
  opArg(P, OpJumpIfNonZero, Loop);
  for (int32_t L = 1; L <= 4; ++L) {
    opArg(P, OpLoad, L);
    op(P, OpOut);
  }
  op(P, OpHalt);
}

int main(int argc, char **argv) {
  int Scale = argc > 1 ? atoi(argv[1]) : 10;
  if (Scale < 1) {
    fprintf(stderr, "stackvm: SCALE must be positive\n");
    return 1;
  }
  size_t MemorySize = (size_t)Scale * 100000 + 4096;
  uint64_t *Memory = calloc(MemorySize, sizeof(uint64_t));
  if (!Memory) {
    fprintf(stderr, "stackvm: out of memory\n");
    return 1;
  }
  static const char *const Names[] = {"sieve", "collatz", "random_kernel"};
  int Failures = 0;
  for (int K = 0; K < 3; ++K) {
    Program P = {NULL, 0, 0};
    if (K == 0)
      assembleSieve(&P, Scale * 100000);
    else if (K == 1)
      assembleCollatz(&P, Scale * 10000);
    else
      assembleRandomKernel(&P, Scale * 20000);
    RunResult R = run(&P, Memory, MemorySize);
    if (R.Error)
      ++Failures;
    printf("%s code %d steps %llu digest %016llx error %d\n", Names[K], P.Size,
           (unsigned long long)R.Steps, (unsigned long long)R.Digest, R.Error);
    printf("  outputs");
    for (int I = 0; I < R.NumOutputs; ++I)
      printf(" %llu", (unsigned long long)R.Outputs[I]);
    printf("\n");
    free(P.Code);
  }
  free(Memory);
  return Failures ? 2 : 0;
}
