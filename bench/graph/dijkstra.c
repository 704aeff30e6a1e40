/* dijkstra.c: single-source shortest paths with a binary min-heap that
 * supports decrease-key (each vertex remembers its heap position). */
#include "graph.h"

#include <stdlib.h>

typedef struct {
  int *Vertex;   /* heap array of vertices */
  int *Position; /* Position[v] = index in Vertex, or -1 */
  const uint64_t *Key;
  int Size;
} Heap;

static void heapSwap(Heap *H, int A, int B) {
  int VA = H->Vertex[A], VB = H->Vertex[B];
  H->Vertex[A] = VB;
  H->Vertex[B] = VA;
  H->Position[VB] = A;
  H->Position[VA] = B;
}

static void siftUp(Heap *H, int I) {
  while (I > 0) {
    int Parent = (I - 1) / 2;
    if (H->Key[H->Vertex[Parent]] <= H->Key[H->Vertex[I]])
      break;
    heapSwap(H, I, Parent);
    I = Parent;
  }
}

static void siftDown(Heap *H, int I) {
  for (;;) {
    int Smallest = I, L = 2 * I + 1, R = 2 * I + 2;
    if (L < H->Size && H->Key[H->Vertex[L]] < H->Key[H->Vertex[Smallest]])
      Smallest = L;
    if (R < H->Size && H->Key[H->Vertex[R]] < H->Key[H->Vertex[Smallest]])
      Smallest = R;
    if (Smallest == I)
      return;
    heapSwap(H, I, Smallest);
    I = Smallest;
  }
}

static int popMin(Heap *H) {
  int Top = H->Vertex[0];
  heapSwap(H, 0, H->Size - 1);
  --H->Size;
  H->Position[Top] = -1;
  if (H->Size > 0)
    siftDown(H, 0);
  return Top;
}

void dijkstra(const Graph *G, int Source, uint64_t *Dist) {
  int N = G->NumVertices;
  Heap H;
  H.Vertex = malloc(sizeof(int) * (size_t)N);
  H.Position = malloc(sizeof(int) * (size_t)N);
  H.Key = Dist;
  H.Size = 0;
  if (!H.Vertex || !H.Position) {
    free(H.Vertex);
    free(H.Position);
    return;
  }
  for (int V = 0; V < N; ++V) {
    Dist[V] = UINT64_MAX;
    H.Position[V] = -1;
  }
  Dist[Source] = 0;
  H.Vertex[0] = Source;
  H.Position[Source] = 0;
  H.Size = 1;

  while (H.Size > 0) {
    int V = popMin(&H);
    for (int I = G->RowStart[V]; I < G->RowStart[V + 1]; ++I) {
      int W = G->Targets[I];
      uint64_t Candidate = Dist[V] + G->Weights[I];
      if (Candidate >= Dist[W])
        continue;
      Dist[W] = Candidate;
      if (H.Position[W] < 0) {
        H.Vertex[H.Size] = W;
        H.Position[W] = H.Size;
        ++H.Size;
      }
      siftUp(&H, H.Position[W]);
    }
  }
  free(H.Vertex);
  free(H.Position);
}
