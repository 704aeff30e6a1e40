// scene.hpp: the scene (shapes and lights), the camera, and the recursive
// Whitted-style tracer that shades a ray.
#ifndef BENCH_RAYTRACE_SCENE_HPP
#define BENCH_RAYTRACE_SCENE_HPP

#include "shapes.hpp"

#include <memory>
#include <vector>

namespace rt {

struct PointLight {
  Vec3d Position;
  Colour Intensity;
};

// Counters a render reports; a template so the same code counts in any
// integer type the caller prefers.
template <typename Count> struct TraceStats {
  Count PrimaryRays = 0;
  Count ShadowRays = 0;
  Count ReflectionRays = 0;
  Count IntersectionTests = 0;
};

class Scene {
public:
  template <typename ShapeT, typename... Args> ShapeT &add(Args &&...A) {
    auto Owned = std::make_unique<ShapeT>(std::forward<Args>(A)...);
    ShapeT &Ref = *Owned;
    Shapes.push_back(std::move(Owned));
    return Ref;
  }
  void addLight(PointLight L) { Lights.push_back(L); }

  // Colour seen along R; Depth limits the reflection recursion.
  Colour trace(const Ray &R, int Depth, TraceStats<long long> &Stats) const;

  std::size_t shapeCount() const { return Shapes.size(); }
  // Number of shapes of each kind, in first-seen order, for the summary.
  std::vector<std::pair<const char *, int>> census() const;

private:
  std::optional<Hit> closestHit(const Ray &R, double MaxT,
                                TraceStats<long long> &Stats) const;
  bool occluded(const Ray &R, double MaxT, TraceStats<long long> &Stats) const;

  std::vector<std::unique_ptr<Shape>> Shapes;
  std::vector<PointLight> Lights;
  Colour Sky{0.55, 0.7, 0.9};
  Colour Ambient{0.06, 0.06, 0.08};
};

class Camera {
public:
  Camera(Vec3d Eye, Vec3d Target, Vec3d Up, double FovDegrees, double Aspect);
  // Ray through image coordinates (U, V) in [0, 1], V growing downwards.
  Ray rayThrough(double U, double V) const;

private:
  Vec3d Eye, Corner, Horizontal, Vertical;
};

} // namespace rt

#endif
