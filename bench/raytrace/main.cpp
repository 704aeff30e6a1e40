// raytrace benchmark: renders a generated scene of spheres, boxes, triangles
// and a checkered floor with shadows and reflections, and prints image
// statistics. Usage: raytrace [WIDTH] [HEIGHT] [SAMPLES_PER_AXIS]
#include "scene.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

// splitmix64 behind the interface the scene builder needs.
class Random {
public:
  explicit Random(std::uint64_t Seed) : State(Seed) {}
  std::uint64_t next() {
    std::uint64_t Z = (State += 0x9E3779B97F4A7C15ULL);
    Z = (Z ^ (Z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    Z = (Z ^ (Z >> 27)) * 0x94D049BB133111EBULL;
    return Z ^ (Z >> 31);
  }
  double uniform(double Lo, double Hi) {
    return Lo + (Hi - Lo) * static_cast<double>(next() >> 11) * 0x1.0p-53;
  }

private:
  std::uint64_t State;
};

rt::Material randomMaterial(Random &Rng) {
  rt::Material M;
  M.Albedo = {Rng.uniform(0.2, 0.95), Rng.uniform(0.2, 0.95),
              Rng.uniform(0.2, 0.95)};
  M.Reflectivity = Rng.next() % 3 == 0 ? Rng.uniform(0.2, 0.7) : 0.0;
  return M;
}

void buildScene(rt::Scene &S, Random &Rng) {
  rt::Material Floor{{0.9, 0.9, 0.85}, 0.1, true};
  S.add<rt::Plane>(rt::Vec3d{0, 1, 0}, 0.0, Floor);
  for (int I = 0; I < 24; ++I) {
    rt::Vec3d Centre{Rng.uniform(-6, 6), 0, Rng.uniform(-14, -3)};
    switch (I % 3) {
    case 0: {
      double Radius = Rng.uniform(0.3, 1.2);
      Centre.Y = Radius;
      S.add<rt::Sphere>(Centre, Radius, randomMaterial(Rng));
      break;
    }
    case 1: {
      rt::Vec3d Half{Rng.uniform(0.2, 0.8), Rng.uniform(0.2, 1.0),
                     Rng.uniform(0.2, 0.8)};
      Centre.Y = Half.Y;
      S.add<rt::Box>(Centre - Half, Centre + Half, randomMaterial(Rng));
      break;
    }
    default: {
      double H = Rng.uniform(0.8, 2.0);
      S.add<rt::Triangle>(Centre + rt::Vec3d{-0.7, 0, 0},
                          Centre + rt::Vec3d{0.7, 0, 0.3},
                          Centre + rt::Vec3d{0.1, H, 0.1},
                          randomMaterial(Rng));
      break;
    }
    }
  }
  S.addLight({{-5, 8, 2}, {0.9, 0.85, 0.8}});
  S.addLight({{6, 5, -2}, {0.4, 0.45, 0.6}});
}

// Luminance quantised to 8 bits, as an image writer would store it.
template <typename T> int toByte(T Value) {
  T Clamped = std::clamp(Value, T(0), T(1));
  return static_cast<int>(Clamped * T(255) + T(0.5));
}

} // namespace

int main(int argc, char **argv) {
  int Width = argc > 1 ? std::atoi(argv[1]) : 320;
  int Height = argc > 2 ? std::atoi(argv[2]) : 240;
  int Samples = argc > 3 ? std::atoi(argv[3]) : 2;
  if (Width < 1 || Height < 1 || Samples < 1) {
    std::fprintf(stderr,
                 "raytrace: WIDTH, HEIGHT and SAMPLES must be positive\n");
    return 1;
  }
  Random Rng(20240607);
  rt::Scene Scene;
  buildScene(Scene, Rng);
  rt::Camera Cam({0, 2.2, 4}, {0, 0.8, -8}, {0, 1, 0}, 55.0,
                 static_cast<double>(Width) / Height);

  rt::TraceStats<long long> Stats;
  std::vector<rt::Colour> Image(static_cast<std::size_t>(Width) * Height);
  for (int Y = 0; Y < Height; ++Y)
    for (int X = 0; X < Width; ++X) {
      rt::Colour Sum;
      // Regular supersampling grid inside the pixel (no random jitter, so
      // the image is reproducible).
      for (int Sy = 0; Sy < Samples; ++Sy)
        for (int Sx = 0; Sx < Samples; ++Sx) {
          double U = (X + (Sx + 0.5) / Samples) / Width;
          double V = (Y + (Sy + 0.5) / Samples) / Height;
          ++Stats.PrimaryRays;
          Sum += Scene.trace(Cam.rayThrough(U, V), 3, Stats);
        }
      Image[static_cast<std::size_t>(Y) * Width + X] =
          Sum * (1.0 / (Samples * Samples));
    }

  rt::Colour Mean;
  std::array<long, 8> Histogram{};
  for (const rt::Colour &C : Image) {
    Mean += C;
    double Luma = 0.2126 * C.X + 0.7152 * C.Y + 0.0722 * C.Z;
    ++Histogram[static_cast<std::size_t>(toByte(Luma) >> 5)];
  }
  Mean = Mean * (1.0 / static_cast<double>(Image.size()));

  std::printf("image %dx%d samples %d shapes %zu\n", Width, Height,
              Samples * Samples, Scene.shapeCount());
  for (const auto &[Kind, N] : Scene.census())
    std::printf("  %s %d\n", Kind, N);
  std::printf("rays primary %lld shadow %lld reflection %lld tests %lld\n",
              Stats.PrimaryRays, Stats.ShadowRays, Stats.ReflectionRays,
              Stats.IntersectionTests);
  std::printf("mean_rgb %.6e %.6e %.6e\n", Mean.X, Mean.Y, Mean.Z);
  std::printf("luma_histogram");
  for (long N : Histogram)
    std::printf(" %ld", N);
  std::printf("\n");
  return 0;
}
