/* nbody: direct-summation gravitational N-body simulation.
 *
 * A cluster of bodies with generated positions, velocities and masses is
 * integrated with the kick-drift-kick leapfrog scheme; forces are summed over
 * all pairs with Plummer softening. The program prints the total energy
 * before and after and the final momentum, which a correct integrator nearly
 * conserves. The energy drift itself is not printed: it is a difference of
 * nearly equal numbers, too sensitive to rounding for an output check.
 * Usage: nbody [BODIES] [STEPS]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  double *X, *Y, *Z;
  double *Vx, *Vy, *Vz;
  double *Ax, *Ay, *Az;
  double *Mass;
  int N;
} System;

static const double Softening2 = 1e-2; /* squared softening length */
static const double TimeStep = 1e-3;

static uint64_t RngState = 0xB5AD4ECEDA1CE2A9ULL;

static double randomUnit(void) {
  uint64_t Z = (RngState += 0x9E3779B97F4A7C15ULL);
  Z = (Z ^ (Z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94D049BB133111EBULL;
  Z ^= Z >> 31;
  return (double)(Z >> 11) / 9007199254740992.0; /* [0, 1) */
}

static double *allocArray(int N) {
  double *P = calloc((size_t)N, sizeof(double));
  if (!P) {
    fprintf(stderr, "nbody: out of memory\n");
    exit(1);
  }
  return P;
}

static void initialise(System *S, int N) {
  S->N = N;
  S->X = allocArray(N);
  S->Y = allocArray(N);
  S->Z = allocArray(N);
  S->Vx = allocArray(N);
  S->Vy = allocArray(N);
  S->Vz = allocArray(N);
  S->Ax = allocArray(N);
  S->Ay = allocArray(N);
  S->Az = allocArray(N);
  S->Mass = allocArray(N);
  for (int I = 0; I < N; ++I) {
    /* Uniform in a unit ball by rejection, slowly rotating about z. */
    double X, Y, Z;
    do {
      X = 2.0 * randomUnit() - 1.0;
      Y = 2.0 * randomUnit() - 1.0;
      Z = 2.0 * randomUnit() - 1.0;
    } while (X * X + Y * Y + Z * Z > 1.0);
    S->X[I] = X;
    S->Y[I] = Y;
    S->Z[I] = Z;
    S->Vx[I] = -0.3 * Y + 0.05 * (randomUnit() - 0.5);
    S->Vy[I] = 0.3 * X + 0.05 * (randomUnit() - 0.5);
    S->Vz[I] = 0.05 * (randomUnit() - 0.5);
    S->Mass[I] = (0.5 + randomUnit()) / N;
  }
}

static void release(System *S) {
  double *Arrays[] = {S->X,  S->Y,  S->Z,  S->Vx, S->Vy,
                      S->Vz, S->Ax, S->Ay, S->Az, S->Mass};
  for (size_t I = 0; I < sizeof(Arrays) / sizeof(Arrays[0]); ++I)
    free(Arrays[I]);
}

static void computeAccelerations(System *S) {
  int N = S->N;
  for (int I = 0; I < N; ++I) {
    double Ax = 0.0, Ay = 0.0, Az = 0.0;
    double Xi = S->X[I], Yi = S->Y[I], Zi = S->Z[I];
    for (int J = 0; J < N; ++J) {
      double Dx = S->X[J] - Xi, Dy = S->Y[J] - Yi, Dz = S->Z[J] - Zi;
      double R2 = Dx * Dx + Dy * Dy + Dz * Dz + Softening2;
      double InvR = 1.0 / sqrt(R2);
      double Scale = S->Mass[J] * InvR * InvR * InvR;
      Ax += Dx * Scale;
      Ay += Dy * Scale;
      Az += Dz * Scale;
    }
    S->Ax[I] = Ax;
    S->Ay[I] = Ay;
    S->Az[I] = Az;
  }
}

static void kick(System *S, double Dt) {
  for (int I = 0; I < S->N; ++I) {
    S->Vx[I] += Dt * S->Ax[I];
    S->Vy[I] += Dt * S->Ay[I];
    S->Vz[I] += Dt * S->Az[I];
  }
}

static void drift(System *S, double Dt) {
  for (int I = 0; I < S->N; ++I) {
    S->X[I] += Dt * S->Vx[I];
    S->Y[I] += Dt * S->Vy[I];
    S->Z[I] += Dt * S->Vz[I];
  }
}

static double totalEnergy(const System *S) {
  double Kinetic = 0.0, Potential = 0.0;
  for (int I = 0; I < S->N; ++I) {
    double V2 = S->Vx[I] * S->Vx[I] + S->Vy[I] * S->Vy[I] + S->Vz[I] * S->Vz[I];
    Kinetic += 0.5 * S->Mass[I] * V2;
    for (int J = I + 1; J < S->N; ++J) {
      double Dx = S->X[J] - S->X[I], Dy = S->Y[J] - S->Y[I],
             Dz = S->Z[J] - S->Z[I];
      double R = sqrt(Dx * Dx + Dy * Dy + Dz * Dz + Softening2);
      Potential -= S->Mass[I] * S->Mass[J] / R;
    }
  }
  return Kinetic + Potential;
}

static void momentum(const System *S, double *Px, double *Py, double *Pz) {
  *Px = *Py = *Pz = 0.0;
  for (int I = 0; I < S->N; ++I) {
    *Px += S->Mass[I] * S->Vx[I];
    *Py += S->Mass[I] * S->Vy[I];
    *Pz += S->Mass[I] * S->Vz[I];
  }
}

int main(int argc, char **argv) {
  int N = argc > 1 ? atoi(argv[1]) : 1000;
  int Steps = argc > 2 ? atoi(argv[2]) : 50;
  if (N < 2 || Steps < 1) {
    fprintf(stderr, "nbody: need BODIES >= 2 and STEPS >= 1\n");
    return 1;
  }
  System S;
  initialise(&S, N);
  double E0 = totalEnergy(&S);

  computeAccelerations(&S);
  for (int T = 0; T < Steps; ++T) {
    kick(&S, 0.5 * TimeStep);
    drift(&S, TimeStep);
    computeAccelerations(&S);
    kick(&S, 0.5 * TimeStep);
  }

  double E1 = totalEnergy(&S), Px, Py, Pz;
  momentum(&S, &Px, &Py, &Pz);
  printf("bodies %d steps %d\n", N, Steps);
  printf("energy_before %.9e\n", E0);
  printf("energy_after %.9e\n", E1);
  printf("momentum %.6e %.6e %.6e\n", Px, Py, Pz);
  printf("body0 %.9e %.9e %.9e\n", S.X[0], S.Y[0], S.Z[0]);
  release(&S);
  return 0;
}
