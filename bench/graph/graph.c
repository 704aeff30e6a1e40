/* graph.c: generation of the benchmark graph and breadth-first search. */
#include "graph.h"

#include <stdlib.h>

static uint64_t nextRandom(uint64_t *State) {
  uint64_t Z = (*State += 0x9E3779B97F4A7C15ULL);
  Z = (Z ^ (Z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94D049BB133111EBULL;
  return Z ^ (Z >> 31);
}

int graphGenerate(Graph *G, int Side, int ExtraPerVertex, uint64_t Seed) {
  int N = Side * Side;
  int MaxDegree = 4 + ExtraPerVertex;
  G->NumVertices = N;
  G->RowStart = malloc(sizeof(int) * ((size_t)N + 1));
  G->Targets = malloc(sizeof(int) * (size_t)N * (size_t)MaxDegree);
  G->Weights = malloc(sizeof(uint32_t) * (size_t)N * (size_t)MaxDegree);
  if (!G->RowStart || !G->Targets || !G->Weights) {
    graphFree(G);
    return 0;
  }

  uint64_t State = Seed;
  int E = 0;
  for (int V = 0; V < N; ++V) {
    G->RowStart[V] = E;
    int Row = V / Side, Col = V % Side;
    const int DRow[4] = {-1, 1, 0, 0}, DCol[4] = {0, 0, -1, 1};
    for (int D = 0; D < 4; ++D) {
      int R = Row + DRow[D], C = Col + DCol[D];
      if (R < 0 || R >= Side || C < 0 || C >= Side)
        continue;
      /* A few grid edges are missing, like closed roads. */
      if (nextRandom(&State) % 16 == 0)
        continue;
      G->Targets[E] = R * Side + C;
      G->Weights[E] = 10 + (uint32_t)(nextRandom(&State) % 90);
      ++E;
    }
    for (int X = 0; X < ExtraPerVertex; ++X) {
      G->Targets[E] = (int)(nextRandom(&State) % (uint64_t)N);
      /* Long edges are expensive so they shortcut but do not dominate. */
      G->Weights[E] = 500 + (uint32_t)(nextRandom(&State) % 5000);
      ++E;
    }
  }
  G->RowStart[N] = E;
  G->NumEdges = E;
  return 1;
}

void graphFree(Graph *G) {
  free(G->RowStart);
  free(G->Targets);
  free(G->Weights);
}

int breadthFirstSearch(const Graph *G, int Source, int *Hops) {
  int *Queue = malloc(sizeof(int) * (size_t)G->NumVertices);
  if (!Queue)
    return -1;
  for (int V = 0; V < G->NumVertices; ++V)
    Hops[V] = -1;
  int Head = 0, Tail = 0;
  Hops[Source] = 0;
  Queue[Tail++] = Source;
  while (Head < Tail) {
    int V = Queue[Head++];
    for (int I = G->RowStart[V]; I < G->RowStart[V + 1]; ++I) {
      int W = G->Targets[I];
      if (Hops[W] < 0) {
        Hops[W] = Hops[V] + 1;
        Queue[Tail++] = W;
      }
    }
  }
  free(Queue);
  return Tail;
}
