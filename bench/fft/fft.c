/* fft: iterative radix-2 complex fast Fourier transform.
 *
 * A generated signal (a few tones plus noise) is transformed forward, its
 * strongest frequency bins are located, and the spectrum is transformed back;
 * the round trip must reproduce the signal. The transform is the in-place
 * Cooley-Tukey algorithm: bit-reversal permutation, then log2(N) butterfly
 * stages using a precomputed twiddle table. Usage: fft [LOG2_N] [ROUNDS]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  double Re, Im;
} Complex;

static const double Pi = 3.14159265358979323846;

static uint64_t RngState = 0xBB67AE8584CAA73BULL;

static double randomUnit(void) {
  RngState ^= RngState >> 12;
  RngState ^= RngState << 25;
  RngState ^= RngState >> 27;
  return (double)((RngState * 0x2545F4914F6CDD1DULL) >> 11) /
         9007199254740992.0;
}

static void bitReverse(Complex *Data, size_t N) {
  for (size_t I = 1, J = 0; I < N; ++I) {
    size_t Bit = N >> 1;
    for (; J & Bit; Bit >>= 1)
      J ^= Bit;
    J |= Bit;
    if (I < J) {
      Complex T = Data[I];
      Data[I] = Data[J];
      Data[J] = T;
    }
  }
}

/* Twiddle[k] = exp(-2 pi i k / N) for k < N/2. */
static Complex *makeTwiddles(size_t N) {
  Complex *W = malloc(sizeof(Complex) * (N / 2));
  if (!W)
    return NULL;
  for (size_t K = 0; K < N / 2; ++K) {
    double Angle = -2.0 * Pi * (double)K / (double)N;
    W[K].Re = cos(Angle);
    W[K].Im = sin(Angle);
  }
  return W;
}

/* In-place transform; Inverse uses conjugated twiddles and scales by 1/N. */
static void transform(Complex *Data, size_t N, const Complex *Twiddle,
                      int Inverse) {
  bitReverse(Data, N);
  for (size_t Len = 2; Len <= N; Len <<= 1) {
    size_t Half = Len / 2, Stride = N / Len;
    for (size_t Start = 0; Start < N; Start += Len) {
      for (size_t K = 0; K < Half; ++K) {
        Complex W = Twiddle[K * Stride];
        if (Inverse)
          W.Im = -W.Im;
        Complex *A = &Data[Start + K], *B = &Data[Start + K + Half];
        double Tr = B->Re * W.Re - B->Im * W.Im;
        double Ti = B->Re * W.Im + B->Im * W.Re;
        B->Re = A->Re - Tr;
        B->Im = A->Im - Ti;
        A->Re += Tr;
        A->Im += Ti;
      }
    }
  }
  if (Inverse) {
    double Scale = 1.0 / (double)N;
    for (size_t I = 0; I < N; ++I) {
      Data[I].Re *= Scale;
      Data[I].Im *= Scale;
    }
  }
}

int main(int argc, char **argv) {
  int Log2N = argc > 1 ? atoi(argv[1]) : 20;
  int Rounds = argc > 2 ? atoi(argv[2]) : 3;
  if (Log2N < 4 || Log2N > 26 || Rounds < 1) {
    fprintf(stderr, "fft: need 4 <= LOG2_N <= 26 and ROUNDS >= 1\n");
    return 1;
  }
  size_t N = (size_t)1 << Log2N;
  Complex *Signal = malloc(sizeof(Complex) * N);
  Complex *Data = malloc(sizeof(Complex) * N);
  Complex *Twiddle = makeTwiddles(N);
  if (!Signal || !Data || !Twiddle) {
    fprintf(stderr, "fft: out of memory\n");
    return 1;
  }
  printf("n %zu rounds %d\n", N, Rounds);
  for (int Round = 0; Round < Rounds; ++Round) {
    /* Three tones at generated bins with generated amplitudes, plus noise. */
    size_t Bins[3];
    double Amps[3];
    for (int T = 0; T < 3; ++T) {
      Bins[T] = 1 + (size_t)(randomUnit() * (double)(N / 2 - 2));
      Amps[T] = 1.0 + 4.0 * randomUnit();
    }
    for (size_t I = 0; I < N; ++I) {
      double Value = 0.0;
      for (int T = 0; T < 3; ++T)
        Value += Amps[T] *
                 cos(2.0 * Pi * (double)(Bins[T] * I % N) / (double)N);
      Signal[I].Re = Value + 0.5 * (randomUnit() - 0.5);
      Signal[I].Im = 0.0;
    }
    memcpy(Data, Signal, sizeof(Complex) * N);
    transform(Data, N, Twiddle, 0);

    /* The strongest bin in the lower half, and the spectral energy. */
    size_t Peak = 0;
    double PeakMag = -1.0, Energy = 0.0;
    for (size_t K = 0; K < N; ++K) {
      double Mag = Data[K].Re * Data[K].Re + Data[K].Im * Data[K].Im;
      Energy += Mag;
      if (K < N / 2 && Mag > PeakMag) {
        PeakMag = Mag;
        Peak = K;
      }
    }
    transform(Data, N, Twiddle, 1);
    double MaxError = 0.0;
    for (size_t I = 0; I < N; ++I) {
      double E = fabs(Data[I].Re - Signal[I].Re) + fabs(Data[I].Im);
      if (E > MaxError)
        MaxError = E;
    }
    printf("round %d tones %zu %zu %zu peak_bin %zu peak_amp %.6e "
           "energy %.9e roundtrip_ok %d\n",
           Round, Bins[0], Bins[1], Bins[2], Peak,
           2.0 * sqrt(PeakMag) / (double)N, Energy, MaxError < 1e-9);
  }
  free(Signal);
  free(Data);
  free(Twiddle);
  return 0;
}
