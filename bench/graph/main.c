/* graph benchmark: builds a generated road-like graph and runs breadth-first
 * search and Dijkstra from several sources, printing exact summaries.
 * Usage: graph [SIDE] [SOURCES]
 */
#include "graph.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int Side = argc > 1 ? atoi(argv[1]) : 500;
  int Sources = argc > 2 ? atoi(argv[2]) : 4;
  if (Side < 2 || Sources < 1) {
    fprintf(stderr, "graph: need SIDE >= 2 and SOURCES >= 1\n");
    return 1;
  }
  Graph G;
  if (!graphGenerate(&G, Side, 2, 0x5EEDULL)) {
    fprintf(stderr, "graph: out of memory\n");
    return 1;
  }
  int N = G.NumVertices;
  int *Hops = malloc(sizeof(int) * (size_t)N);
  uint64_t *Dist = malloc(sizeof(uint64_t) * (size_t)N);
  if (!Hops || !Dist) {
    fprintf(stderr, "graph: out of memory\n");
    return 1;
  }
  printf("vertices %d edges %d\n", N, G.NumEdges);
  for (int S = 0; S < Sources; ++S) {
    /* Sources spread along the diagonal of the grid. */
    int Source = (int)((long long)S * (N - 1) / Sources);
    int Reached = breadthFirstSearch(&G, Source, Hops);
    int MaxHops = 0;
    long long HopSum = 0;
    for (int V = 0; V < N; ++V)
      if (Hops[V] >= 0) {
        HopSum += Hops[V];
        if (Hops[V] > MaxHops)
          MaxHops = Hops[V];
      }

    dijkstra(&G, Source, Dist);
    uint64_t DistSum = 0, Farthest = 0;
    int FarthestVertex = -1;
    for (int V = 0; V < N; ++V) {
      if (Dist[V] == UINT64_MAX)
        continue;
      DistSum += Dist[V];
      if (Dist[V] > Farthest) {
        Farthest = Dist[V];
        FarthestVertex = V;
      }
    }
    printf("source %d reached %d max_hops %d hop_sum %lld dist_sum %llu "
           "farthest_vertex %d farthest_dist %llu\n",
           Source, Reached, MaxHops, HopSum, (unsigned long long)DistSum,
           FarthestVertex, (unsigned long long)Farthest);
  }
  free(Hops);
  free(Dist);
  graphFree(&G);
  return 0;
}
