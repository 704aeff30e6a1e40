/* imgfilter: an image-processing pipeline on a generated 8-bit grey image.
 *
 * The image (gradients, discs and rectangles with noise) goes through a 5x5
 * binomial blur done as two separable passes in fixed-point arithmetic, a
 * 3x3 Sobel edge detector, a threshold, and a 3x3 median filter; the program
 * prints histograms and checksums of each stage. Integer arithmetic
 * throughout, so the output is exact.
 * Usage: imgfilter [WIDTH] [HEIGHT] [PASSES]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int Width, Height;
  uint8_t *Pixels; /* row-major */
} Image;

static uint64_t RngState = 0x510E527FADE682D1ULL;

static uint32_t nextRandom(void) {
  uint64_t Z = (RngState += 0x9E3779B97F4A7C15ULL);
  Z = (Z ^ (Z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94D049BB133111EBULL;
  return (uint32_t)((Z ^ (Z >> 31)) >> 32);
}

static Image newImage(int Width, int Height) {
  Image Img = {Width, Height, calloc((size_t)Width * (size_t)Height, 1)};
  if (!Img.Pixels) {
    fprintf(stderr, "imgfilter: out of memory\n");
    exit(1);
  }
  return Img;
}

static uint8_t clampByte(int V) {
  return (uint8_t)(V < 0 ? 0 : V > 255 ? 255 : V);
}

static void drawScene(Image *Img) {
  int W = Img->Width, H = Img->Height;
  for (int Y = 0; Y < H; ++Y)
    for (int X = 0; X < W; ++X)
      Img->Pixels[Y * W + X] = (uint8_t)((X * 160 / W + Y * 64 / H) & 0xFF);
  for (int S = 0; S < 40; ++S) {
    int Cx = (int)(nextRandom() % (uint32_t)W);
    int Cy = (int)(nextRandom() % (uint32_t)H);
    int R = 8 + (int)(nextRandom() % (uint32_t)(W / 8));
    uint8_t Shade = (uint8_t)(nextRandom() & 0xFF);
    int IsDisc = S % 2 == 0;
    for (int Y = Cy - R; Y <= Cy + R; ++Y) {
      if (Y < 0 || Y >= H)
        continue;
      for (int X = Cx - R; X <= Cx + R; ++X) {
        if (X < 0 || X >= W)
          continue;
        if (IsDisc && (X - Cx) * (X - Cx) + (Y - Cy) * (Y - Cy) > R * R)
          continue;
        Img->Pixels[Y * W + X] = Shade;
      }
    }
  }
  for (int I = 0; I < W * H; ++I)
    Img->Pixels[I] = clampByte(Img->Pixels[I] + (int)(nextRandom() % 31) - 15);
}

/* Pixel access with clamp-to-edge addressing. */
static int at(const Image *Img, int X, int Y) {
  X = X < 0 ? 0 : X >= Img->Width ? Img->Width - 1 : X;
  Y = Y < 0 ? 0 : Y >= Img->Height ? Img->Height - 1 : Y;
  return Img->Pixels[Y * Img->Width + X];
}

/* 5-tap binomial kernel 1 4 6 4 1 (sum 16) horizontally then vertically;
 * the intermediate keeps 4 extra bits so rounding happens once. */
static void blur(const Image *Src, Image *Dst, uint16_t *Tmp) {
  static const int Taps[5] = {1, 4, 6, 4, 1};
  int W = Src->Width, H = Src->Height;
  for (int Y = 0; Y < H; ++Y)
    for (int X = 0; X < W; ++X) {
      int Sum = 0;
      for (int K = -2; K <= 2; ++K)
        Sum += Taps[K + 2] * at(Src, X + K, Y);
      Tmp[Y * W + X] = (uint16_t)Sum;
    }
  for (int Y = 0; Y < H; ++Y)
    for (int X = 0; X < W; ++X) {
      int Sum = 0;
      for (int K = -2; K <= 2; ++K) {
        int Yk = Y + K < 0 ? 0 : Y + K >= H ? H - 1 : Y + K;
        Sum += Taps[K + 2] * Tmp[Yk * W + X];
      }
      Dst->Pixels[Y * W + X] = (uint8_t)((Sum + 128) >> 8);
    }
}

static void sobel(const Image *Src, Image *Dst) {
  int W = Src->Width, H = Src->Height;
  for (int Y = 0; Y < H; ++Y)
    for (int X = 0; X < W; ++X) {
      int Gx = at(Src, X + 1, Y - 1) + 2 * at(Src, X + 1, Y) +
               at(Src, X + 1, Y + 1) - at(Src, X - 1, Y - 1) -
               2 * at(Src, X - 1, Y) - at(Src, X - 1, Y + 1);
      int Gy = at(Src, X - 1, Y + 1) + 2 * at(Src, X, Y + 1) +
               at(Src, X + 1, Y + 1) - at(Src, X - 1, Y - 1) -
               2 * at(Src, X, Y - 1) - at(Src, X + 1, Y - 1);
      int Mag = (Gx < 0 ? -Gx : Gx) + (Gy < 0 ? -Gy : Gy);
      Dst->Pixels[Y * W + X] = clampByte(Mag / 4);
    }
}

/* Median of the 3x3 neighbourhood: insertion sort of the nine values. */
static void median3x3(const Image *Src, Image *Dst) {
  int W = Src->Width, H = Src->Height;
  for (int Y = 0; Y < H; ++Y)
    for (int X = 0; X < W; ++X) {
      int V[9], N = 0;
      for (int Dy = -1; Dy <= 1; ++Dy)
        for (int Dx = -1; Dx <= 1; ++Dx)
          V[N++] = at(Src, X + Dx, Y + Dy);
      for (int I = 1; I < 9; ++I) {
        int Key = V[I], J = I - 1;
        while (J >= 0 && V[J] > Key) {
          V[J + 1] = V[J];
          --J;
        }
        V[J + 1] = Key;
      }
      Dst->Pixels[Y * W + X] = (uint8_t)V[4];
    }
}

static void report(const char *Stage, const Image *Img) {
  uint32_t Histogram[8] = {0};
  uint64_t Sum = 0, Hash = 14695981039346656037ULL;
  size_t N = (size_t)Img->Width * (size_t)Img->Height;
  for (size_t I = 0; I < N; ++I) {
    uint8_t P = Img->Pixels[I];
    ++Histogram[P >> 5];
    Sum += P;
    Hash = (Hash ^ P) * 1099511628211ULL;
  }
  printf("%-8s sum %llu hash %016llx hist", Stage, (unsigned long long)Sum,
         (unsigned long long)Hash);
  for (int B = 0; B < 8; ++B)
    printf(" %u", Histogram[B]);
  printf("\n");
}

int main(int argc, char **argv) {
  int W = argc > 1 ? atoi(argv[1]) : 1024;
  int H = argc > 2 ? atoi(argv[2]) : 1024;
  int Passes = argc > 3 ? atoi(argv[3]) : 4;
  if (W < 16 || H < 16 || Passes < 1) {
    fprintf(stderr, "imgfilter: need WIDTH, HEIGHT >= 16 and PASSES >= 1\n");
    return 1;
  }
  Image Input = newImage(W, H), Blurred = newImage(W, H);
  Image Edges = newImage(W, H), Cleaned = newImage(W, H);
  uint16_t *Tmp = malloc(sizeof(uint16_t) * (size_t)W * (size_t)H);
  if (!Tmp) {
    fprintf(stderr, "imgfilter: out of memory\n");
    return 1;
  }
  drawScene(&Input);
  report("input", &Input);

  /* Repeated blurring widens the effective kernel, as a pyramid would. */
  memcpy(Blurred.Pixels, Input.Pixels, (size_t)W * (size_t)H);
  for (int P = 0; P < Passes; ++P) {
    blur(&Blurred, &Edges, Tmp);
    memcpy(Blurred.Pixels, Edges.Pixels, (size_t)W * (size_t)H);
  }
  report("blurred", &Blurred);

  sobel(&Blurred, &Edges);
  report("edges", &Edges);

  for (int I = 0; I < W * H; ++I)
    Edges.Pixels[I] = Edges.Pixels[I] > 24 ? 255 : 0;
  median3x3(&Edges, &Cleaned);
  report("cleaned", &Cleaned);

  free(Input.Pixels);
  free(Blurred.Pixels);
  free(Edges.Pixels);
  free(Cleaned.Pixels);
  free(Tmp);
  return 0;
}
