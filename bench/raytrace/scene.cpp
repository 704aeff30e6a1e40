// scene.cpp: closest-hit search, shadows, reflection and the camera model.
#include "scene.hpp"

#include <cmath>
#include <cstring>

namespace rt {

namespace {
// Offsets secondary rays from the surface so they do not hit it again.
constexpr double Epsilon = 1e-7;
constexpr double Infinity = 1e30;
constexpr double Pi = 3.14159265358979323846;

Colour surfaceColour(const Hit &H) {
  const Material &M = *H.Surface;
  if (!M.Checkered)
    return M.Albedo;
  long long Cell = static_cast<long long>(std::floor(H.Point.X)) +
                   static_cast<long long>(std::floor(H.Point.Z));
  return Cell % 2 == 0 ? M.Albedo : M.Albedo * 0.5;
}
} // namespace

std::optional<Hit> Scene::closestHit(const Ray &R, double MaxT,
                                     TraceStats<long long> &Stats) const {
  std::optional<Hit> Best;
  for (const auto &S : Shapes) {
    ++Stats.IntersectionTests;
    if (auto H = S->intersect(R, Epsilon, Best ? Best->Distance : MaxT))
      Best = H;
  }
  return Best;
}

bool Scene::occluded(const Ray &R, double MaxT,
                     TraceStats<long long> &Stats) const {
  for (const auto &S : Shapes) {
    ++Stats.IntersectionTests;
    if (S->intersect(R, Epsilon, MaxT))
      return true;
  }
  return false;
}

Colour Scene::trace(const Ray &R, int Depth,
                    TraceStats<long long> &Stats) const {
  std::optional<Hit> H = closestHit(R, Infinity, Stats);
  if (!H)
    return Sky * (0.5 + 0.5 * R.Direction.Y);

  Colour Base = surfaceColour(*H);
  Colour Result = Base * Ambient;
  for (const PointLight &L : Lights) {
    Vec3d ToLight = L.Position - H->Point;
    double Distance = ToLight.length();
    Vec3d Dir = ToLight * (1.0 / Distance);
    double Lambert = H->Normal.dot(Dir);
    if (Lambert <= 0)
      continue;
    ++Stats.ShadowRays;
    if (occluded(Ray{H->Point, Dir}, Distance, Stats))
      continue;
    double Falloff = 1.0 / (1.0 + 0.01 * Distance * Distance);
    Result += Base * L.Intensity * (Lambert * Falloff);
  }

  double Reflectivity = H->Surface->Reflectivity;
  if (Reflectivity > 0 && Depth > 0) {
    ++Stats.ReflectionRays;
    Vec3d Mirror =
        R.Direction - H->Normal * (2.0 * R.Direction.dot(H->Normal));
    Colour Reflected = trace(Ray{H->Point, Mirror.normalized()}, Depth - 1,
                             Stats);
    Result = Result * (1.0 - Reflectivity) + Reflected * Reflectivity;
  }
  return Result;
}

std::vector<std::pair<const char *, int>> Scene::census() const {
  std::vector<std::pair<const char *, int>> Counts;
  for (const auto &S : Shapes) {
    bool Found = false;
    for (auto &[Kind, N] : Counts)
      if (std::strcmp(Kind, S->kind()) == 0) {
        ++N;
        Found = true;
      }
    if (!Found)
      Counts.emplace_back(S->kind(), 1);
  }
  return Counts;
}

Camera::Camera(Vec3d Eye, Vec3d Target, Vec3d Up, double FovDegrees,
               double Aspect)
    : Eye(Eye) {
  double HalfHeight = std::tan(FovDegrees * Pi / 360.0);
  double HalfWidth = Aspect * HalfHeight;
  Vec3d W = (Eye - Target).normalized();
  Vec3d U = Up.cross(W).normalized();
  Vec3d V = W.cross(U);
  Corner = Eye - U * HalfWidth + V * HalfHeight - W;
  Horizontal = U * (2 * HalfWidth);
  Vertical = V * (-2 * HalfHeight);
}

Ray Camera::rayThrough(double U, double V) const {
  Vec3d Dir = Corner + Horizontal * U + Vertical * V - Eye;
  return Ray{Eye, Dir.normalized()};
}

} // namespace rt
