/* graph.h: a directed weighted graph in compressed sparse row form, its
 * generator, and the two searches of the graph benchmark (breadth-first
 * search and Dijkstra's shortest paths).
 */
#ifndef BENCH_GRAPH_H
#define BENCH_GRAPH_H

#include <stdint.h>

typedef struct {
  int NumVertices;
  int NumEdges;
  int *RowStart; /* NumVertices + 1 offsets into Targets/Weights */
  int *Targets;
  uint32_t *Weights;
} Graph;

/* Builds a road-network-like graph: vertices on a grid joined to their
 * neighbours, plus a few random long-range edges per vertex. */
int graphGenerate(Graph *G, int Side, int ExtraPerVertex, uint64_t Seed);
void graphFree(Graph *G);

/* Hop distances from Source (-1 when unreachable); returns vertices reached. */
int breadthFirstSearch(const Graph *G, int Source, int *Hops);

/* Shortest path lengths from Source (UINT64_MAX when unreachable). */
void dijkstra(const Graph *G, int Source, uint64_t *Dist);

#endif
